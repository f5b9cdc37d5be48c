"""The copy of a workbook the reader is handed (sheets rewritten: merged cells first, far blanks trimmed) reads
exactly as the file itself: the same cells and the same merged ranges, whatever the sheet's layout."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from reporter.intake.rezip import replaced
from reporter.intake.workbook import read_workbook

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _ledger_like() -> bytes:
    """A county's sheet as its office lays it out (seed 003): a title merged across, a two-row header with
    merged cells, each task's code and name merged down over its 乡镇 rows; and a sheet without merges."""
    wb = Workbook()
    ws = wb.active
    ws.title = "进展填报"
    ws.append(["2025年长兴县民生实事项目进展情况表"])
    ws.append(["任务编号", "任务名称", "乡镇（街道）", "完成情况", None, "进展状态"])
    ws.append([None, None, None, "年度目标", "累计完成", None])
    ws.append(["CX-01", "新建城乡公交候车亭", "雉城街道", 20, 12, "正常推进"])
    ws.append([None, None, "画溪街道", 10, 6, "正常推进"])
    ws.append([None, None, "太湖街道", 10, 2, "滞后"])
    ws.append(["CX-02", "改造农村公厕", "洪桥镇", 15, 15, "已完成"])
    for ref in ("A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "A4:A6", "B4:B6"):
        ws.merge_cells(ref)
    other = wb.create_sheet("填报说明")
    other.append(["请按月填报累计完成数"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _calamine(data: bytes) -> dict[str, tuple[list, list]]:
    """What python-calamine reads from the file as it is: each sheet's cells and merged ranges."""
    book = CalamineWorkbook.from_object(io.BytesIO(data))
    found = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
        found[name] = sheet.to_python(skip_empty_area=False), merged
    return found


def _with_sheet(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML changed by `edit`, deflated as Excel writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            zout.writestr(info, edit(part) if info.filename == "xl/worksheets/sheet1.xml" else part)
    return out.getvalue()


def _prefixed(xml: bytes) -> bytes:
    """Every element of the main namespace written x:… (some .NET tools do)."""
    return re.sub(rb"<(/?)(?![?!])([A-Za-z]+)", rb"<\1x:\2", xml.replace(MAIN, MAIN.replace(b"xmlns", b"xmlns:x")))


LAYOUTS = {
    "as Excel writes it": lambda xml: xml,
    "with a namespace prefix": _prefixed,
    "no merged cells at all": lambda xml: re.sub(rb"<mergeCells\b.*?</mergeCells>", b"", xml, flags=re.S),
    "an empty <mergeCells/>": lambda xml: re.sub(rb"<mergeCells\b.*?</mergeCells>", b'<mergeCells count="0"/>',
                                                  xml, flags=re.S),
    "merged cells already first": lambda xml: re.sub(
        rb"(<sheetData>.*</sheetData>)(<mergeCells\b.*?</mergeCells>)", rb"\2\1", xml, flags=re.S),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_reader_sees_the_cells_and_merged_ranges_the_file_has(tmp_path, layout):
    data = _with_sheet(_ledger_like(), LAYOUTS[layout])
    path = tmp_path / "长兴县_5月进展.xlsx"
    path.write_bytes(data)
    expected = _calamine(data)
    sheets = {sheet.name: sheet for sheet in read_workbook(path)}
    assert set(sheets) == set(expected) == {"进展填报", "填报说明"}
    for name, (rows, merged) in expected.items():
        assert sheets[name].rows == rows
        assert sorted(sheets[name].merged) == sorted(merged)
    if layout != "no merged cells at all" and layout != "an empty <mergeCells/>":
        assert (3, 0, 5, 0) in sheets["进展填报"].merged  # CX-01 over its three 街道 rows
        assert sheets["进展填报"].rows[3][:5] == ["CX-01", "新建城乡公交候车亭", "雉城街道", 20, 12]
    else:
        assert sheets["进展填报"].merged == []


class _Stream(io.RawIOBase):
    """A stream that cannot seek: zipfile then writes each member's sizes after its data (flag bit 3)."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buffer += b
        return len(b)


def test_the_copy_keeps_every_other_member_as_it_was():
    stream = _Stream()
    with zipfile.ZipFile(stream, "w") as zout:  # written as a stream: data descriptors after each member
        zout.writestr("xl/workbook.xml", b"<workbook/>" * 50, zipfile.ZIP_DEFLATED)
        zout.writestr("xl/worksheets/sheet1.xml", b"<worksheet>old</worksheet>", zipfile.ZIP_DEFLATED)
        zout.writestr("docProps/说明.txt", "填报说明".encode(), zipfile.ZIP_STORED)
    data = bytes(stream.buffer)
    zin = zipfile.ZipFile(io.BytesIO(data))
    assert all(info.flag_bits & 0x08 for info in zin.infolist())
    copy = zipfile.ZipFile(io.BytesIO(replaced(data, zin, {"xl/worksheets/sheet1.xml": b"<worksheet>new</worksheet>"})))
    assert copy.testzip() is None  # every member's checksum holds
    assert copy.namelist() == zin.namelist()
    assert copy.read("xl/worksheets/sheet1.xml") == b"<worksheet>new</worksheet>"
    assert copy.read("xl/workbook.xml") == zin.read("xl/workbook.xml")
    assert copy.read("docProps/说明.txt").decode() == "填报说明"
    assert copy.getinfo("xl/workbook.xml").compress_type == zipfile.ZIP_DEFLATED  # copied, not inflated again


def test_a_workbook_too_large_to_copy_is_read_as_it_is(tmp_path, monkeypatch):
    """Past MERGES_FIRST_BYTES the copy (and the reader's own copies of it) would cost too much memory: the
    reader reads the file itself, the same cells and merged ranges."""
    from reporter.intake import workbook

    monkeypatch.setattr(workbook, "MERGES_FIRST_BYTES", 100)
    handed = []
    monkeypatch.setattr(workbook, "replaced", lambda *args: handed.append(args) or args[0])
    data = _ledger_like()
    path = tmp_path / "长兴县_5月进展.xlsx"
    path.write_bytes(data)
    sheets = {sheet.name: sheet for sheet in read_workbook(path)}
    assert handed == []
    for name, (rows, merged) in _calamine(data).items():
        assert sheets[name].rows == rows and sorted(sheets[name].merged) == sorted(merged)
    assert (3, 0, 5, 0) in sheets["进展填报"].merged
