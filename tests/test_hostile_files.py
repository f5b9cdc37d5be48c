"""Hostile files: bounded memory for every format, each sheet on its own, passwords recognised, and the
readers' English never shown. Each file is refused (or read) with one Chinese finding naming it, before
anything big is allocated, and the rest of the round goes on."""
from dataclasses import replace

import pytest

from reporter import memory
from reporter.intake.collect import collect
from reporter.intake.discover import discover
from reporter.intake import workbook as workbook_module
from reporter.intake.workbook import UnreadableFile, read_workbook

from .hostile_files import lying_zip, ods, ods_cell, ods_row, with_macro_sheet, xls_patched, xlsb
from .test_reader_cases import (ROUND, TABLE, XLS, education, english, ledger, unreadable,  # noqa: F401
                                xlsx_bytes, zip_bytes)


@pytest.fixture
def budget(monkeypatch):
    """A small budget, so that files just beyond it stay small in the test."""
    def set_to(**limits):
        monkeypatch.setattr(memory, "BUDGET", replace(memory.BUDGET, **limits))
    return set_to


@pytest.fixture
def unread(monkeypatch):
    """Refusals must come before the reader allocates anything: calamine is never called for these files."""
    real = workbook_module._read_excel

    def guarded(path, *args):
        assert not path.name.startswith("省教育厅"), f"{path.name} reached the reader"
        return real(path, *args)
    monkeypatch.setattr(workbook_module, "_read_excel", guarded)


def folder_with(tmp_path, files: dict[str, bytes]):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "省人社厅5月进展.xlsx").write_bytes(xlsx_bytes(TABLE))  # a good file beside the hostile ones
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def collected(ledger, folder):
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T2", "")].value == 28.5  # the round went on with the good file
    return rl


# -- 1. one memory budget for every format -----------------------------------------------------------------
def test_a_zip_member_inflating_beyond_the_budget_is_refused_before_it_is_read(ledger, tmp_path, budget):
    budget(inflated=2 << 20)
    bomb = zip_bytes({"省教育厅5月进展.xlsx": b"\0" * (3 << 20)})  # 3 MB of zeros: a 3 KB zip
    liar = lying_zip("省教育厅5月进展.xlsx", b"small", b"\0" * (3 << 20))  # declares 5 bytes
    rl = collected(ledger, folder_with(tmp_path, {"炸弹.zip": bomb, "谎报.zip": liar}))
    found = unreadable(rl)
    assert "解压后超过 2 MB" in found["炸弹.zip/省教育厅5月进展.xlsx"]
    assert "已损坏" in found["谎报.zip/省教育厅5月进展.xlsx"]
    assert all(not english(m, f) for f, m in found.items())


def test_a_workbook_whose_parts_inflate_beyond_the_budget_is_refused(ledger, tmp_path, budget, unread):
    budget(inflated=2 << 20)
    rows = [["任务编号", "任务名称", "累计完成"]] + [["T1", "新增公办学前教育学位" * 20, i] for i in range(6000)]
    big = xlsx_bytes(rows)
    assert len(big) < 2 << 20  # small on disk, large inflated
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅5月进展.xlsx": big})))
    assert "文件“省教育厅5月进展.xlsx”解压后超过 2 MB" in found["省教育厅5月进展.xlsx"]


def test_a_file_too_big_to_read_is_refused_by_its_own_size(ledger, tmp_path, budget, unread):
    """A plain CSV past the byte budget: its own size is the reason (nothing was unzipped)."""
    budget(inflated=2 << 20)
    big = ("任务编号,累计完成\n" + "T1,1\n" * (800 << 10)).encode()
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅导出.csv": big})))
    message = found["省教育厅导出.csv"]
    assert "文件“省教育厅导出.csv”有 3 MB，超过一次可读取的上限（2 MB），未读取" in message and "解压" not in message


def test_an_ods_repeating_one_cell_a_million_times_is_refused_before_it_is_read(ledger, tmp_path, budget, unread):
    budget(cells=200_000)
    bomb = ods(ods_row(ods_cell("1", 1000), 1000))  # ~1 KB declaring 1,000,000 cells
    trailing = ods(ods_row(ods_cell("任务编号") + ods_cell("累计完成")) + ods_row(ods_cell("T1") + ods_cell("3"))
                   + ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1048570))
    assert len(bomb) < 2000
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅.ods": bomb})))
    assert "文件“省教育厅.ods”的表格范围达 1,000,000 个单元格，超过一次可读取的上限（200,000 个）" in found["省教育厅.ods"]
    # LibreOffice's empty rows repeated to the sheet's end cost a reader nothing: read as usual
    assert read_workbook("a.ods", trailing)[0].rows == [["任务编号", "累计完成"], ["T1", "3"]]


def test_an_xlsb_with_values_in_far_corners_is_refused_before_it_is_read(ledger, tmp_path, budget, unread):
    budget(cells=1_000_000)
    corners = xlsb({(0, 0): 1, (0, 1999): 2, (1999, 0): 3, (1999, 1999): 4})  # 4 cells, a 2000×2000 grid
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅.xlsb": corners})))
    assert "表格范围达 4,000,000 个单元格" in found["省教育厅.xlsb"]
    assert read_workbook("a.xlsb", xlsb({(0, 0): 1.5, (2, 1): 2}))[0].rows == [[1.5, ""], ["", ""], ["", 2.0]]


def test_an_xls_with_a_cell_far_away_is_refused_before_it_is_read(ledger, tmp_path, budget, unread):
    budget(cells=1_000_000)
    far = xls_patched(XLS, far=(60000, 200))
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅.xls": far})))
    assert "表格范围达" in found["省教育厅.xls"] and "省教育厅.xls" in found["省教育厅.xls"]


def test_an_xlsx_declaring_a_small_dimension_with_a_far_cell_is_refused(tmp_path, budget):
    """<dimension ref="A1:C3"> is what the file says, not what it holds."""
    import io
    import zipfile
    budget(cells=1_000_000)
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["任务编号", "累计完成"], ["T1", 3]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="3000"><c r="ZZ3000" t="n"><v>1</v></c></row></sheetData>')
            zf.writestr(info, data)
    with pytest.raises(UnreadableFile, match="ZZ3000"):
        read_workbook("a.xlsx", out.getvalue())


# -- 8. each sheet on its own ----------------------------------------------------------------------------
def test_a_macro_sheet_costs_only_itself(ledger, tmp_path):
    rows = [["填报单位：省教育厅"], ["任务编号", "任务名称", "累计完成"], ["T1", "新增公办学前教育学位", 31000]]
    rl = collect(ledger, ROUND, folder_with(tmp_path, {"省教育厅5月进展.xlsx": with_macro_sheet(rows)}),
                 workers=1).round_ledger
    assert rl.rows[("T1", "")].value == 31000
    skipped = [f for f in rl.findings if f.sheet == "宏1"]
    assert skipped and "该工作表是宏表" in skipped[0].message and skipped[0].file == "省教育厅5月进展.xlsx"


# -- 10. passwords and the readers' English ----------------------------------------------------------------
@pytest.mark.parametrize("name, data", [("省教育厅.xls", lambda: xls_patched(XLS, password=True)),
                                        ("省教育厅.ods", lambda: ods(ods_row(ods_cell("1")), encrypted=True))])
def test_a_password_protected_xls_or_ods_is_named_as_such(ledger, tmp_path, name, data):
    found = unreadable(collected(ledger, folder_with(tmp_path, {name: data()})))
    assert f"文件“{name}”设有打开密码" in found[name]


@pytest.mark.parametrize("damage", ["truncated", "bad-crc"])
def test_no_reader_english_reaches_the_clerk(tmp_path, damage):
    good = xlsb({(0, 0): 1.0})
    if damage == "truncated":  # the sheet's records cut off: calamine says 'failed to fill whole buffer'
        import io
        import zipfile
        src, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for info in src.infolist():
                data = src.read(info)
                zf.writestr(info.filename, data[:-9] if info.filename.endswith("sheet1.bin") else data)
        data = out.getvalue()
    else:  # one byte of the compressed sheet changed: 'Bad CRC-32'
        data = bytearray(good)
        at = good.index(b"xl/worksheets/sheet1.bin") + len("xl/worksheets/sheet1.bin") + 3
        data[at] ^= 0xFF
        data = bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        read_workbook("省教育厅.xlsb", data)
    message = str(caught.value)
    assert "省教育厅.xlsb" in message and not english(message, "省教育厅.xlsb"), message


# -- 6. links out of the folder ----------------------------------------------------------------------------
def test_a_link_to_a_file_outside_the_folder_is_refused(ledger, tmp_path):
    secret = tmp_path / "别处" / "省教育厅5月进展.xlsx"
    secret.parent.mkdir()
    secret.write_bytes(education(99999))
    folder = folder_with(tmp_path, {})
    (folder / "省教育厅5月进展.xlsx").symlink_to(secret)
    (folder / "本地.xlsx").symlink_to(folder / "省人社厅5月进展.xlsx")  # a link inside the folder is fine
    rl = collected(ledger, folder)
    assert rl.rows[("T1", "")].value is None
    assert "指向报送文件夹以外" in unreadable(rl)["省教育厅5月进展.xlsx"]
    assert [s.error is None for s in discover(folder)] == [True, True, False]


# -- 2, 9. CSV: line by line, any line end, a row budget ---------------------------------------------------
def test_a_csv_with_mac_line_ends_is_read(ledger, tmp_path):
    text = "填报单位：省教育厅\r任务编号,任务名称,累计完成\rT1,新增公办学前教育学位,31000\r"
    rl = collected(ledger, folder_with(tmp_path, {"省教育厅5月进展.csv": text.encode("gb18030")}))
    assert rl.rows[("T1", "")].value == 31000


def test_a_csv_beyond_the_row_budget_is_refused_as_soon_as_it_passes_it(ledger, tmp_path, budget):
    budget(rows=1000)
    lines = ["任务编号,任务名称,累计完成"] + [f"T{i},任务{i},{i}" for i in range(5000)]
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅.csv": "\n".join(lines).encode()})))
    assert "文件“省教育厅.csv”超过 1,000 行" in found["省教育厅.csv"]


def test_a_worksheet_inflating_beyond_what_it_declares_is_refused(ledger, tmp_path):
    """A workbook's sheet XML is inflated once, by the pass that looks for blind cells, which checks it as
    the inflate pass checks every other part: a worksheet declaring 100 bytes that inflates to its real
    size is a damaged file, named, not read (calamine would follow the real size)."""
    import io
    import struct
    import zipfile

    honest = education()
    member = "xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(io.BytesIO(honest)).getinfo(member)
    assert info.file_size > 100
    data = bytearray(honest)
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # the local header's size
    central = honest.rindex(member.encode()) - 46  # the central directory's record of the member
    assert honest[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, 100)
    found = unreadable(collected(ledger, folder_with(tmp_path, {"省教育厅5月进展.xlsx": bytes(data)})))
    assert "省教育厅5月进展.xlsx" in found and "已损坏" in found["省教育厅5月进展.xlsx"]
    assert not english(found["省教育厅5月进展.xlsx"], "省教育厅5月进展.xlsx")


# -- 11. a unit whose only file cannot be read ------------------------------------------------------------
def test_a_unit_whose_only_file_cannot_be_read_is_told_why_in_its_own_sheet(tmp_path):
    import openpyxl

    from reporter import api

    from .conftest import write_book
    from .test_mail import ledger_rows
    ledger = write_book(tmp_path / "台帐.xlsx", ledger_rows())
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "省教育厅5月进展.xlsx").write_bytes(xlsx_bytes(TABLE)[:-300])  # cut short in the mail
    write_book(folder / "省住建厅5月进展.xlsx", {"说明": [["本月进展见附件"]]})  # readable, but no table
    result = api.collect(folder, ledger, "2025-05", tmp_path / "工作区")
    states = {f.name: (f.unit, f.state) for f in result.round_ledger.files}
    assert states["省教育厅5月进展.xlsx"] == ("湖北省教育厅", "无法读取")
    assert states["省住建厅5月进展.xlsx"] == ("湖北省住房和城乡建设厅", "未找到填报表")  # not “无法读取”
    told = {f.value: f.message for f in result.round_ledger.findings if f.code == "intake-submission-unreadable"}
    assert "省教育厅报送的文件“省教育厅5月进展.xlsx”无法读取，本轮按未报送处理" in told["湖北省教育厅"]
    assert "中找不到进展填报表" in told["湖北省住房和城乡建设厅"]
    book = openpyxl.load_workbook(result.outputs["问题清单"])
    mine = [r for r in book["省教育厅"].iter_rows(values_only=True)]
    assert any("已损坏" in str(cell) or "不完整" in str(cell) for row in mine for cell in row)
    missing = openpyxl.load_workbook(result.outputs["未报送迟报名单"])["未报送"]
    rows = {r[0]: r for r in missing.iter_rows(min_row=2, values_only=True)}
    assert rows["湖北省教育厅"][-1] == "报送文件无法读取（省教育厅5月进展.xlsx）"
    assert rows["湖北省民政厅"][-1] == "未报送"


# -- findings of one kind in one file are grouped ----------------------------------------------------------
def test_findings_of_one_kind_in_one_file_beyond_twenty_are_counted_in_one(ledger, tmp_path):
    lines = ["填报单位：省教育厅", "任务编号,任务名称,累计完成"] + [f"X{i},不在台帐的任务{i},{i}" for i in range(5000)]
    rl = collected(ledger, folder_with(tmp_path, {"省教育厅.csv": "\n".join(lines).encode()}))
    unknown = [f for f in rl.findings if f.code == "intake-unknown-task" and f.file == "省教育厅.csv"]
    assert len(unknown) == 22 and unknown[-1].message.startswith("另有 4979 处同类问题（任务不在台帐中）")


def test_files_beyond_the_rounds_budget_are_refused_by_name(ledger, tmp_path, budget):
    """The round's budget counts the rows a file gives the round (what is kept of it once read): the good
    file's one row is taken, the next file's one row is beyond it, whatever rows it repeats."""
    budget(round_rows=1)
    rows = [["填报单位：省教育厅"], ["任务编号", "任务名称", "累计完成"], ["T1", "新增公办学前教育学位", 30000]]
    rl = collected(ledger, folder_with(tmp_path, {"省教育厅5月进展.xlsx": xlsx_bytes(rows + rows[2:] * 3)}))
    assert "合计已超过 1 行" in unreadable(rl)["省教育厅5月进展.xlsx"]
