"""Files as clerks really send them — renamed, zipped twice, cut short, locked, with a stray cell far away,
UTF-16 or tab-separated, with hidden sheets: each is read, or is one clear Chinese finding naming the file
while the run goes on with the others."""
import base64
import io
import re
import subprocess
import sys
import zipfile
import zlib

import pytest
import xlsxwriter
from openpyxl import Workbook

from reporter.intake import workbook as workbook_module
from reporter.intake.annual import read_ledger
from reporter.intake.collect import collect
from reporter.intake.discover import discover
from reporter.intake.workbook import UnreadableFile, read_workbook
from reporter.model.schedule import parse_round

ROUND = parse_round("2025-05")
TABLE = [["填报单位：省人社厅"], ["任务编号", "任务名称", "累计完成", "进展状态"], ["T2", "城镇新增就业", 28.5, "正常推进"]]
# A real .xls (BIFF8, written by xlwt) holding TABLE on sheet 进展填报, after a hidden sheet 上报底稿.
XLS = zlib.decompress(base64.b64decode("""
eNrtWE1IVFEUPvfNmz9xxhkbBScQEbK0gbA2bvRZUK6czB+UGkxnnEWMjDEEpVBaNisLg3BRRDCgUBuzjf0uatciMmwRJMFYyzYF
RUE6r3POe2+YKRcO1GDyvsc999xzzz33vnvO/Xnv9ZI3nbrvX4Xf0AIWyKhOsOXIBCanUfAA1qsqsUbuwKSa+K/gdKAjbVZ44npp
Jx+Sv1dBggX5OVKAD5hCcBqCI/FoTRFxiMcwKGgMzULG2JPgFiY3VPG4yplGmO5geo91nzJtZclVps2omxbHYUkJNjShHXr6pFqu
cyMV8IDbvGNJI1TAC4rj8WtCi3krHEycGhzemhXVcinMAnquLRqPJgaH0+BDF87CN7UG4KuxVp/VmPLiygWg/Ee+3L6B/LokA0yA
OiAoEJO4q9bL5F5ZlATnwjP9yhjJxq2kLYuV6Z5QrG8uvAbDvBE7tU35nBMEiXu62o/6VXH2cbBlNNmFa+ZnMNVZOf7dYF3dn0eR
3Xc+NXXlhCeMLBlcTIgBjPzu/TYQr3rbZhait/saQ/4gVkdiTf13IivTJdQXbxSevI3CxcunFOkQlDHv5UXkwaNg7e6X5fZwh3KS
JRN8OGhHyC56Z1DhIrXAxu5sjUYbuMVeppfY6k7m/Ux9GPqY13VU6MyRSda5zLV12M8Bxhtldw6/B/nkp2MPq5MflXrk59tWx3zz
b5UU1OIsDunbwiQEREDcvEF4pBi50Deb90yr/th4HJJHH7uqn5NlsA4lzHq1w1Qqh0XmWnOO02LMqoWpvO1mVegagt8uX0OwBtnQ
SjR/lmxJwpKcLVmwZNVtSRvYktiWTdfXfEGOuiBRiWxNBYw6suUwvC1t5G0TJkyYMGHChIktALosSfpFka5FVv0Satf/66xjypi/
SbYtOmEEnzP4WXoY4pgnYLSg+KkEqzBsiU22Mf4XEnqx9wTEIMzjiBUcv/gRIXLfZ9MNPX9vCRXaf6aQcf7j/n8BM+UUMw==
"""))


@pytest.fixture
def ledger(book):
    path = book("台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["T1", "新增公办学前教育学位", "教育", "个", "70000", "省教育厅", "年底前"],
            ["T2", "城镇新增就业", "就业", "万人", "70", "省人社厅", "年底前"],
        ],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系邮箱"],
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"],
            ["湖北省人力资源和社会保障厅", "省人社厅", "部门", "rst@example.org"],
        ],
    })
    return read_ledger(path, year=2025)[0]


def xlsx_bytes(rows, sheet="进展填报"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def education(value=30000):
    return xlsx_bytes([["填报单位：省教育厅"], ["任务编号", "任务名称", "累计完成"], ["T1", "新增公办学前教育学位", value]])


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED, locked=False):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2025, 6, 2, 10, 0, 0)), data, compression)
    data = bytearray(out.getvalue())
    if locked:  # the flag WinRAR / 7-Zip mark an encrypted member with, in its local and central headers
        for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            for m in re.finditer(re.escape(sig), bytes(data)):
                data[m.start() + at] |= 0x1
    return bytes(data)


def english(message, *names):
    """Words of an English exception left in a message meant for a clerk (file names and format names aside)."""
    for name in names:
        message = message.replace(name, "")
    message = re.sub(r"Excel|WPS|XML|Word|xlsx|xls|zip|csv|UTF|\bOA\b", "", message)
    return re.findall(r"[A-Za-z]{3,}", message)


def unreadable(rl):
    return {f.file: f.message for f in rl.findings if f.code == "intake-unreadable"}


# -- zips ---------------------------------------------------------------------------------------------------
def test_a_truncated_or_locked_zip_is_one_finding_and_the_run_goes_on(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "省人社厅5月进展.xlsx").write_bytes(xlsx_bytes(TABLE))
    whole = zip_bytes({"省教育厅5月进展.xlsx": education()})
    (folder / "省教育厅报送（截断）.zip").write_bytes(whole[:-40])  # the mail gateway cut off its end
    (folder / "省教育厅报送（加密）.zip").write_bytes(zip_bytes({"省教育厅5月进展.xlsx": education()},
                                                       locked=True))
    (folder / "随便.zip").write_bytes(b"not a zip at all")
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T2", "")].value == 28.5 and rl.rows[("T2", "")].submitter == "湖北省人力资源和社会保障厅"
    found = unreadable(rl)
    assert set(found) == {"省教育厅报送（截断）.zip", "省教育厅报送（加密）.zip", "随便.zip"}
    assert "压缩包“省教育厅报送（截断）.zip”已损坏" in found["省教育厅报送（截断）.zip"]
    assert "压缩包“随便.zip”已损坏" in found["随便.zip"]
    assert "压缩包“省教育厅报送（加密）.zip”设有密码" in found["省教育厅报送（加密）.zip"]
    assert "请解压后" in found["省教育厅报送（加密）.zip"]
    assert all(not english(m, f) for f, m in found.items())
    assert {(f.name, f.state) for f in rl.files} >= {("省教育厅报送（截断）.zip", "无法读取"),
                                                     ("省教育厅报送（加密）.zip", "无法读取")}


def test_a_zip_cut_short_never_shows_the_parts_of_a_workbook_stored_in_it(tmp_path):
    """Cut just after a workbook stored uncompressed, a zip's last end record is the workbook's own: read as
    is, the zip would list '[Content_Types].xml', 'xl/workbook.xml'… as its files."""
    book = education()
    whole = zip_bytes({"省教育厅5月进展.xlsx": book}, compression=zipfile.ZIP_STORED)
    end = whole.index(book) + len(book)
    for cut in (end, end + 30):  # right after the workbook, or in the zip's own central directory
        path = tmp_path / "省教育厅报送.zip"
        path.write_bytes(whole[:cut])
        with zipfile.ZipFile(path) as zf:  # what Python's zipfile makes of it
            assert "xl/workbook.xml" in zf.namelist()
        sources = list(discover(tmp_path))
        assert [(s.name, s.readable) for s in sources] == [("省教育厅报送.zip", True)]
        with pytest.raises(UnreadableFile, match="压缩包“省教育厅报送.zip”已损坏"):
            sources[0].read_bytes()


def test_a_zip_inside_a_zip_is_opened_one_level_deep(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    county = zip_bytes({"省教育厅5月进展.xlsx": education(31000), "更深.zip": zip_bytes({"a.xlsx": education()})})
    (folder / "5月报送材料.zip").write_bytes(zip_bytes({"省人社厅5月进展.xlsx": xlsx_bytes(TABLE),
                                                        "教育厅报送.zip": county}))
    names = [(s.name, s.error is None) for s in discover(folder)]
    assert names == [("5月报送材料.zip/教育厅报送.zip/更深.zip", False),
                     ("5月报送材料.zip/教育厅报送.zip/省教育厅5月进展.xlsx", True),
                     ("5月报送材料.zip/省人社厅5月进展.xlsx", True)]
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T1", "")].value == 31000
    assert rl.rows[("T1", "")].origin[0] == "5月报送材料.zip/教育厅报送.zip/省教育厅5月进展.xlsx"
    assert rl.rows[("T2", "")].value == 28.5
    assert "层" in unreadable(rl)["5月报送材料.zip/教育厅报送.zip/更深.zip"]
    assert not [f for f in rl.findings if f.code == "intake-unsupported-file"]


def test_a_locked_zip_inside_a_zip_is_named_alone(tmp_path):
    book = education()  # built once: two builds differ in their timestamp when a second turns between them
    inner = zip_bytes({"a.xlsx": book}, locked=True)
    (tmp_path / "all.zip").write_bytes(zip_bytes({"b.xlsx": book, "县.zip": inner}))
    sources = {s.name: s for s in discover(tmp_path)}
    assert set(sources) == {"all.zip/b.xlsx", "all.zip/县.zip"}
    assert sources["all.zip/b.xlsx"].read_bytes() == book
    with pytest.raises(UnreadableFile, match="压缩包“all.zip/县.zip”设有密码"):
        sources["all.zip/县.zip"].read_bytes()


# -- a stray cell far away ----------------------------------------------------------------------------------
def stray(path, where, text):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("进展填报")
    for r, row in enumerate(TABLE):
        ws.write_row(r, 0, row)
    if text is None:
        ws.write_blank(where, None, wb.add_format({"bold": True}))
    else:
        ws.write_string(where, text)
    wb.close()
    return path


def read_capped(path):
    """read_workbook in a process that may not take 2 GB: a regression fails the test, not the machine."""
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            "from reporter.intake.workbook import read_workbook, UnreadableFile\n"
            "try:\n"
            "    print(repr([(s.name, s.rows) for s in read_workbook(sys.argv[1])]))\n"
            "except UnreadableFile as exc:\n"
            "    print('UNREADABLE', exc)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_sheet_is_measured_to_its_farthest_row_and_column_whatever_it_declares():
    """A writer may declare A1:B2 and hold cells further away, rows and cells in any order: the grid the reader
    would build is counted to the farthest row (1200) and the farthest column (AA comes after Z), the size
    the memory budget is checked against."""
    xml = (b'<worksheet><dimension ref="A1:B2"/><sheetData><row r="1200"><c r="B1200"><v>1</v></c></row>'
           b'<row r="3"><c r="AA3" t="s"><v>0</v></c><c r="Z5"><v>2</v></c></row></sheetData></worksheet>')
    assert workbook_module._extent(xml, b"") == 1200 * 27
    # every cell within CX999: what it declares is taken (such a grid is small, whatever it holds)
    assert workbook_module._extent(xml.replace(b"B1200", b"B12"), b"") == 2 * 2


@pytest.mark.parametrize("where,text", [("XFD1048576", " "), ("Z1048576", "\u3000"), ("A1048576", ""),
                                        ("XFD1048576", None)])
def test_a_blank_cell_far_away_is_left_out_safely(tmp_path, where, text):
    path = stray(tmp_path / "省人社厅5月进展.xlsx", where, text)
    assert read_capped(path) == repr([("进展填报", [[c for c in row] + [""] * (4 - len(row)) for row in TABLE])])


def test_content_far_away_is_refused_with_a_message_naming_the_cell(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = stray(folder / "省人社厅5月进展.xlsx", "XFD1048576", "x")
    out = read_capped(path)
    assert out.startswith("UNREADABLE") and "工作表“进展填报”在 XFD1048576" in out and "删除多余的行和列" in out
    (folder / "省教育厅5月进展.xlsx").write_bytes(education())
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert "文件“省人社厅5月进展.xlsx”的工作表“进展填报”在 XFD1048576" in unreadable(rl)["省人社厅5月进展.xlsx"]
    assert rl.rows[("T1", "")].value == 30000


def test_a_formula_far_away_is_content(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("进展填报")
    ws.write_row(0, 0, ["任务编号", "累计完成"])
    ws.write_formula("Z1048576", "=A1")
    wb.close()
    assert "在 Z1048576" in read_capped(path)


def test_an_ordinary_sheet_is_not_looked_at_cell_by_cell(tmp_path, monkeypatch):
    def trim(*args):
        raise AssertionError("a sheet of ordinary size was parsed cell by cell")

    monkeypatch.setattr(workbook_module, "_trim", trim)
    path = stray(tmp_path / "a.xlsx", "ZZ900", " ")  # 702 × 900 cells: calamine reads that as it is
    assert read_workbook(path)[0].rows[2][:4] == TABLE[2]


def big_table(path, far=None):
    """A table wider and longer than CHECK_CELLS lets through unlooked at (patched to 50 cells below): its own
    cells reach its last row and column; `far`: a cell (ref, text) written beyond them."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("进展填报")
    ws.write_row(0, 0, ["任务编号", "任务名称", "累计完成", "进展状态", "备注"])
    for i in range(1, 30):
        ws.write_row(i, 0, [f"T{i}", f"任务{i}", 10.0 * i, "正常推进", "无" if i == 29 else ""])
    if far:
        ws.write_string(*far)
    wb.close()
    return path


@pytest.mark.parametrize("far,trimmed", [(None, False), (("F40", " "), True), (("E31", "\u3000"), True)])
def test_a_large_table_filled_to_its_corner_is_not_trimmed_cell_by_cell(tmp_path, monkeypatch, far, trimmed):
    """Past CHECK_CELLS a sheet is trimmed of blank cells beyond its content, cell by cell (3 s for 60,000 rows
    of 20 columns); a table whose last row and last column hold content has nothing beyond it and is read as
    it is. A blank cell beyond the content (a space in F40, a full-width space under the last row) is still
    trimmed away."""
    real, calls = workbook_module._trim, []
    monkeypatch.setattr(workbook_module, "CHECK_CELLS", 50)
    monkeypatch.setattr(workbook_module, "_trim", lambda *args: calls.append(args) or real(*args))
    rows = read_workbook(big_table(tmp_path / "省人社厅5月进展.xlsx", far))[0].rows
    assert bool(calls) is trimmed
    assert len(rows) == 30 and max(map(len, rows)) == 5  # the blank far cell is no part of the grid
    assert rows[29] == ["T29", "任务29", 290.0, "正常推进", "无"]


# -- what the file is, not what its name says ------------------------------------------------------------------
def test_a_real_xls_named_xlsx_is_read(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "省人社厅5月进展.xlsx").write_bytes(XLS)
    sheets = read_workbook("省人社厅5月进展.xlsx", XLS)
    assert [(s.name, s.hidden) for s in sheets] == [("上报底稿", True), ("进展填报", False)]
    assert sheets[1].rows[2] == ["T2", "城镇新增就业", 28.5, "正常推进"]
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T2", "")].value == 28.5 and not unreadable(rl)


def test_a_csv_named_xlsx_is_read_as_csv(tmp_path):
    text = "\r\n".join(",".join(str(c) for c in row) for row in TABLE)
    sheets = read_workbook("省人社厅5月进展.xlsx", text.encode("gbk"))
    assert [s.name for s in sheets] == ["省人社厅5月进展"]
    assert list(sheets[0].rows[2]) == ["T2", "城镇新增就业", 28.5, "正常推进"]  # a number, as Excel reads it


@pytest.mark.parametrize("data,says", [
    (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>\xe4\xbb\xbb</td></tr></table></body></html>",
     "网页格式"),
    (b"\xef\xbb\xbf\r\n<table border=1><tr><td>1</td></tr></table>", "网页格式"),
    (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
     b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', "XML 表格格式"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related;", "网页格式"),
    (workbook_module.OLE + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000, "设有打开密码"),
    (b"", "空文件"),
    (b"\x00\x01\x02\x03garbage\x00\xff" * 50, "已损坏或不是表格文件"),
    (b"PK\x03\x04" + b"\0" * 100, "不完整或已损坏"),
    (zip_bytes({"word/document.xml": b"<w/>"}), "不是 Excel 工作簿"),
])
def test_a_file_that_is_not_what_its_name_says_gets_a_chinese_message(data, says):
    for name in ("省人社厅5月进展.xls", "省人社厅5月进展.xlsx"):
        with pytest.raises(UnreadableFile) as caught:
            read_workbook(name, data)
        message = str(caught.value)
        assert says in message and f"“{name}”" in message, message
        assert not english(message, name), message


def test_an_encrypted_xlsx_is_one_finding_and_the_run_goes_on(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "省人社厅5月进展.xlsx").write_bytes(workbook_module.OLE + b"\0" * 504 +
                                                 "EncryptedPackage".encode("utf-16-le") + b"\0" * 3000)
    (folder / "省教育厅5月进展.xlsx").write_bytes(education())
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert "文件“省人社厅5月进展.xlsx”设有打开密码" in unreadable(rl)["省人社厅5月进展.xlsx"]
    assert "取消密码后重报" in unreadable(rl)["省人社厅5月进展.xlsx"]
    assert rl.rows[("T1", "")].value == 30000


# -- CSV --------------------------------------------------------------------------------------------------------
ROWS = [["填报单位：省人社厅"], ["任务编号", "任务名称", "累计完成", "进展状态", "工作进展"],
        ["T2", "城镇新增就业", "28.5", "正常推进", "开展招聘会12场,发放补贴3,000万元,培训2,100人"]]


@pytest.mark.parametrize("sep", ["\t", ",", ";"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf16_and_with_tabs_or_semicolons_is_read(sep, encoding):
    quote = '"' if sep == "," else ""
    lines = [sep.join(quote + c + quote if "," in c else c for c in row) for row in ROWS]
    data = "\r\n".join(lines).encode(encoding)
    sheets = read_workbook("省人社厅5月进展.csv", data)
    assert list(map(list, sheets[0].rows)) == ROWS[:2] + [["T2", "城镇新增就业", 28.5, *ROWS[2][3:]]]


def test_csv_numbers_are_read_as_excel_reads_them_and_nothing_written_changes():
    """A number written as a number cell reads back (300, 28.5, -3, pandas' 300.0) is a float, as in a
    workbook; what would change if read as one stays text: a code's leading zero, trailing zeros, an
    exponent, a thousands separator, an ID number beyond a float's precision."""
    rows = [["任务编号", "累计完成", "联系电话", "身份证号", "备注"],
            ["028", "300", "02787654321", "420102199001011234", "1.50"],
            ["T2", "28.5", "1e3", "3,000", "-3"],
            ["T3", "300.0", "-0", "nan", "inf"], ["T4", "３００", "", "", ""]]
    data = "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows).encode()
    read = list(map(list, read_workbook("省人社厅5月进展.csv", data)[0].rows))
    assert read[1] == ["028", 300.0, "02787654321", "420102199001011234", "1.50"]
    assert read[2] == ["T2", 28.5, "1e3", "3,000", -3.0]
    assert read[3] == ["T3", 300.0, "-0", "nan", "inf"]
    assert read[4][1] == "３００"  # full-width digits: text, as written (the merge reads them as 300)
    assert all(type(v) is float for v in (read[1][1], read[2][1], read[3][1], read[2][4]))


def test_utf16_tab_separated_csv_is_collected(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "省人社厅5月进展.csv").write_bytes("\n".join("\t".join(r) for r in ROWS).encode("utf-16"))
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T2", "")].value == 28.5 and not unreadable(rl)


# -- hidden sheets ---------------------------------------------------------------------------------------------
def test_hidden_and_very_hidden_sheets_are_flagged():
    wb = Workbook()
    helper = wb.active
    helper.title = "上报底稿"
    helper.sheet_state = "hidden"
    secret = wb.create_sheet("参数")
    secret.sheet_state = "veryHidden"
    form = wb.create_sheet("进展填报")
    for sheet in (helper, secret, form):
        sheet.append(["任务编号", "累计完成"])
    wb.active = 2
    out = io.BytesIO()
    wb.save(out)
    sheets = read_workbook("a.xlsx", out.getvalue())
    assert [(s.name, s.hidden) for s in sheets] == [("上报底稿", True), ("参数", True), ("进展填报", False)]
    assert read_workbook("b.csv", b"a,b\n1,2").pop().hidden is False
