"""Outputs of `reporter collect`, opened with openpyxl the way an inspector (or a clerk's Excel) would."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from reporter.intake.annual import read_ledger
from reporter.intake.discover import Source
from reporter.model import findings as F
from reporter.model.round_ledger import FileRecord, RoundLedger, expected_rows
from reporter.model.schedule import parse_round
from reporter.render.findings_book import ALL_SHEET, NO_UNIT_SHEET, sheet_title, write_findings, write_findings_by_unit
from reporter.render.returns import FILLS, GUIDE_SHEET, INSTRUCTION, write_missing_list, write_return_workbook
from reporter.render.round_book import CHANGES_SHEET, FILES_SHEET, SHEET, number_format, write_round_ledger

ROUND = parse_round("2025-05")
WUHAN, XIANNING = "420100", "421200"
EDU, HOUSING = "湖北省教育厅", "湖北省住房和城乡建设厅"
EDU_FILE = "省教育厅_2025年5月.xlsx"


def ledger_rows():
    return {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["MS-01", "新增公办幼儿园学位", "教育", "万个", "7万个", "省教育厅", "2025年12月底"],
            ["MS-02", "义务教育巩固率", "教育", "%", "≥95%", "省教育厅", "年底前"],
            ["MS-03", "城镇老旧小区改造", "住房", "个", "1200个", "省住建厅", "11月底前"],
        ],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["MS-01", "武汉市", "3万个"], ["MS-01", "咸宁市", "4万个"]],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系邮箱"],
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"],
            ["湖北省住房和城乡建设厅", "省住建厅", "部门", "zjt@example.org"],
            ["武汉市人民政府", "武汉市政府", "地区", "wh@example.org"],
            ["咸宁市人民政府", "咸宁市政府", "地区", ""],
        ],
    }


@pytest.fixture
def rl(book) -> RoundLedger:
    ledger, _ = read_ledger(book("2025年民生实事任务台帐.xlsx", ledger_rows()))
    rl = RoundLedger(ledger, ledger.round(ROUND), rows=expected_rows(ledger))
    whole = rl.rows[("MS-01", "")]
    whole.submitter, whole.value, whole.raw_value, whole.previous = EDU, 2.5, "2.5万个", 1.75
    whole.status = whole.status_raw = "正常推进"
    whole.progress = "=1+1"  # must stay text
    whole.origin, whole.columns = (EDU_FILE, "进展填报", 3), {"status": 8, "value": 7}  # value in H4
    rate = rl.rows[("MS-02", "")]
    rate.submitter, rate.value, rate.raw_value, rate.status = EDU, 96.0, "96", "已完成"
    rate.origin, rate.columns = (EDU_FILE, "进展填报", 4), {"progress": 9, "status": 8}  # no value cell
    wuhan = rl.rows[("MS-01", WUHAN)]
    wuhan.submitter, wuhan.value, wuhan.raw_value = "武汉市人民政府", 1.2, "1.2"
    rl.files = [
        FileRecord(EDU_FILE, EDU, "采用", dt.datetime(2025, 6, 8, 9, 30), late=True, rows=2, how="元数据"),
        FileRecord("武汉.csv", "武汉市人民政府", "采用", dt.datetime(2025, 6, 3), rows=1, how="填报单位栏"),
        FileRecord("不明.xlsx", None, "未识别单位", dt.datetime(2025, 6, 4)),
    ]
    rl.missing = [HOUSING, "咸宁市人民政府"]
    rl.changes = [{"unit": EDU, "task": "MS-01", "region": "", "field": "累计完成", "old": "2", "new": "2.5",
                   "old_file": "省教育厅_旧.xlsx", "new_file": EDU_FILE}]
    fs = rl.findings
    fs.add(F.INTAKE_LAG_NO_REASON, "状态为“滞后”，请在“存在问题”栏说明原因。", file=EDU_FILE, sheet="进展填报", cell="I12")
    fs.add(F.INTAKE_NOT_NUMBER, "累计完成“abc”不是数值，未汇总。", file=EDU_FILE, sheet="进展填报", cell="E5",
           field="累计完成", value="abc")
    fs.add(F.INTAKE_NEGATIVE, "累计完成为负数。", file=EDU_FILE, sheet="进展填报", cell="E5", field="累计完成")
    fs.add(F.INTAKE_LAG_NO_REASON, "状态为“滞后”，请说明原因。", file=EDU_FILE, sheet="进展填报", cell="I2")
    fs.add(F.INTAKE_DUPLICATE, "任务重复填报。", file=EDU_FILE, sheet="进展填报", cell="第6行")
    fs.add(F.INTAKE_SUBMITTER_FROM_NAME, "按文件名认定。", file=EDU_FILE)
    fs.add(F.INTAKE_NOT_NUMBER, "武汉的值不是数值。", file="武汉.csv", sheet="武汉", cell="C3", value="约一万")
    fs.add(F.INTAKE_UNKNOWN_SUBMITTER, "无法确定报送单位。", file="不明.xlsx")
    fs.add(F.INTAKE_MISSING, "省住建厅本轮未报送（应报 1 项）。", field="报送单位", value=HOUSING)
    return rl


def _rows(ws) -> list[dict]:
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


# -- 本轮台帐 --------------------------------------------------------------------------------------------
def test_round_ledger_rows_values_and_provenance(rl, tmp_path):
    path = write_round_ledger(rl, tmp_path / "本轮台帐.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [SHEET, FILES_SHEET, CHANGES_SHEET]
    rows = _rows(wb[SHEET])
    assert len(rows) == len(rl.rows) == 5
    assert [(r["任务编号"], r["地区"]) for r in rows] == [
        ("MS-01", "全省"), ("MS-01", "武汉市"), ("MS-01", "咸宁市"), ("MS-02", "全省"), ("MS-03", "全省")]
    first = rows[0]
    assert first["累计完成"] == 2.5 and first["上期累计"] == 1.75 and first["本月新增"] == pytest.approx(0.75)
    assert first["牵头单位"] == "省教育厅" and first["报送单位"] == "省教育厅" and first["年度目标"] == "7万个"
    assert first["完成率(%)"] == 35.7  # 2.5 ÷ 7, as the documents print it (not 35.714285714285715)
    assert first["序时进度(%)"] == round(rl.task(rl.rows[("MS-01", "")]).planned_percent(rl.round), 1)
    assert (first["来源文件"], first["来源工作表"], first["来源单元格"]) == (EDU_FILE, "进展填报", "H4")
    assert first["原值"] == "2.5万个"
    assert rows[3]["来源单元格"] == "I5"  # no value provenance: the status's
    assert rows[3]["原值"] is None  # '96' is the number itself
    assert rows[4]["报送单位"] == "未报送" and rows[4]["累计完成"] is None


def test_round_ledger_text_never_a_formula(rl, tmp_path):
    ws = openpyxl.load_workbook(write_round_ledger(rl, tmp_path / "t.xlsx"))[SHEET]
    col = [c.value for c in ws[1]].index("工作进展") + 1
    cell = ws.cell(2, col)
    assert cell.data_type != "f"
    assert cell.value == "=1+1" and cell.data_type == "s"  # as written, stored as text
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_round_ledger_formats_and_layout(rl, tmp_path):
    ws = openpyxl.load_workbook(write_round_ledger(rl, tmp_path / "t.xlsx"))[SHEET]
    headers = [c.value for c in ws[1]]
    value, rate = headers.index("累计完成") + 1, headers.index("完成率(%)") + 1
    assert ws.cell(2, value).number_format == "0.00"  # 万个
    assert ws.cell(5, value).number_format == "0.0"  # %
    assert ws.cell(6, value).number_format == "#,##0.##"  # 个, blank: room for a fraction
    assert ws.cell(3, headers.index("计量单位") + 1).value == "万个"
    assert ws.cell(2, rate).number_format == "0.0"
    assert number_format("个", 1200.0) == "#,##0" and number_format("个", 12.5) == "#,##0.##"
    assert number_format("万元", 3) == "0.00" and number_format("%", 95) == "0.0"
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    unreported = ws.cell(6, 1)
    assert unreported.fill.fgColor.rgb.endswith("F2F2F2") and ws.cell(2, 1).fill.fill_type is None


def test_round_ledger_files_and_changes(rl, tmp_path):
    wb = openpyxl.load_workbook(write_round_ledger(rl, tmp_path / "t.xlsx"))
    files = _rows(wb[FILES_SHEET])
    assert files[0]["文件"] == EDU_FILE and files[0]["报送单位"] == "省教育厅" and files[0]["是否迟报"] == "是"
    assert files[0]["送达时间"] == dt.datetime(2025, 6, 8, 9, 30)
    assert files[2]["状态"] == "未识别单位"
    changes = _rows(wb[CHANGES_SHEET])
    assert changes == [{"单位": "省教育厅", "任务编号": "MS-01", "地区": None, "字段": "累计完成", "旧值": "2",
                        "新值": "2.5", "旧文件": "省教育厅_旧.xlsx", "新文件": EDU_FILE}]


# -- 问题清单 -------------------------------------------------------------------------------------------
def _label(rl):
    return lambda name: rl.ledger.units.match(name).label


def test_findings_by_unit(rl, tmp_path):
    unit_of_file = {f.name: f.unit for f in rl.files if f.unit}
    wb = openpyxl.load_workbook(write_findings_by_unit(tmp_path / "问题清单.xlsx", rl.findings, unit_of_file,
                                                       _label(rl)))
    assert wb.sheetnames == [ALL_SHEET, "省教育厅", "武汉市政府", "省住建厅", NO_UNIT_SHEET]
    assert len(_rows(wb[ALL_SHEET])) == len(rl.findings)
    edu = _rows(wb["省教育厅"])
    assert {r["文件"] for r in edu} == {EDU_FILE}
    # errors first, then warnings; within a severity by cell, C2 before C12
    assert [(r["严重程度"], r["单元格"]) for r in edu] == [
        ("错误", "E5"), ("错误", "E5"), ("警告", None), ("警告", "I2"), ("警告", "第6行"), ("警告", "I12")]
    assert [r["文件"] for r in _rows(wb["武汉市政府"])] == ["武汉.csv"]
    assert [r["问题说明"] for r in _rows(wb["省住建厅"])] == ["省住建厅本轮未报送（应报 1 项）。"]
    assert [r["文件"] for r in _rows(wb[NO_UNIT_SHEET])] == ["不明.xlsx"]
    assert wb[ALL_SHEET]["B2"].fill.fgColor.rgb.endswith("FFC7CE")


def test_findings_keeps_plain_signature(rl, tmp_path):
    wb = openpyxl.load_workbook(write_findings(tmp_path / "f.xlsx", rl.findings))
    assert wb.sheetnames == [ALL_SHEET] and len(_rows(wb[ALL_SHEET])) == len(rl.findings)


def test_sheet_titles_are_excel_safe():
    taken: set[str] = set()
    names = [sheet_title(n, taken) for n in ["a/b:c", "A/B:C", "长" * 40, "长" * 40, "'x'", "History"]]
    assert names[0] == "a_b_c" and names[1] == "A_B_C(2)"
    assert len(names[2]) == 31 and names[3].endswith("(2)") and len(names[3]) == 31
    assert names[4] == "x" and names[5] == "History_"


# -- 退回修改 -------------------------------------------------------------------------------------------
def _submission(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进展填报"
    ws.append(["任务编号", "任务名称", "地区", "年度目标", "累计完成"])
    for i in range(2, 13):
        ws.append([f"MS-{i:02d}", "任务", "", "7万个", i])
    ws["E5"] = "abc"
    meta = wb.create_sheet("_reporter")
    meta["A1"], meta["B1"] = "填报单位", EDU
    meta.sheet_state = "veryHidden"
    wb.save(path)
    return path


def _source(path: Path) -> Source:
    return Source(path.name, path.suffix.lower(), dt.datetime(2025, 6, 8), path)


def test_return_workbook_marks_cells(rl, tmp_path):
    src = _submission(tmp_path / EDU_FILE)
    before = src.read_bytes()
    mine = [f for f in rl.findings if f.file == EDU_FILE]
    out = write_return_workbook(_source(src), mine, tmp_path / "退回" / "省教育厅_退回修改.xlsx")
    assert src.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == GUIDE_SHEET and wb.active.title == GUIDE_SHEET
    assert wb["_reporter"].sheet_state == "veryHidden" and wb["_reporter"]["B1"].value == EDU
    ws = wb["进展填报"]
    e5 = ws["E5"]
    assert e5.value == "abc" and e5.fill.fgColor.rgb == FILLS[F.Severity.ERROR]
    assert "累计完成“abc”不是数值" in e5.comment.text and "负数" in e5.comment.text
    assert e5.comment.text.startswith("【错误】")
    assert ws["I2"].fill.fgColor.rgb == FILLS[F.Severity.WARNING] and ws["I2"].comment is not None
    assert all(c.fill.fgColor.rgb == FILLS[F.Severity.WARNING] for c in ws[6] if c.value is not None)
    assert ws["A6"].comment is not None and ws["B6"].comment is None  # one comment per row finding
    assert ws["A3"].fill.fill_type is None and ws["A3"].comment is None
    guide = wb[GUIDE_SHEET]
    assert guide["A1"].value == INSTRUCTION
    listed = [row for row in guide.iter_rows(min_row=4, values_only=True)]
    assert len(listed) == len(mine)
    assert {r[3] for r in listed} == {f.message for f in mine}
    assert ("警告", None, "（整个文件）", "按文件名认定。") in listed  # a file-level finding, only here


def test_return_of_a_returned_file_drops_stale_marks(rl, tmp_path):
    src = _submission(tmp_path / EDU_FILE)
    mine = [f for f in rl.findings if f.file == EDU_FILE]
    first = write_return_workbook(_source(src), mine, tmp_path / "first.xlsx")
    fixed = tmp_path / "resubmitted.xlsx"
    fixed.write_bytes(first.read_bytes())
    only = [f for f in mine if f.cell == "I2"]
    wb = openpyxl.load_workbook(write_return_workbook(_source(fixed), only, tmp_path / "second.xlsx"))
    assert wb.sheetnames.count(GUIDE_SHEET) == 1
    ws = wb["进展填报"]
    assert ws["E5"].comment is None and ws["E5"].fill.fill_type is None
    assert ws["I2"].comment.text.count("【警告】") == 1


def test_return_workbook_from_csv(rl, tmp_path):
    src = tmp_path / "武汉.csv"
    src.write_text("任务编号,地区,累计完成\nMS-01,武汉市,1.2\nMS-01,江岸区,约一万\nMS-02,,=1+1\n", encoding="utf-8-sig")
    mine = [f for f in rl.findings if f.file == "武汉.csv"]
    out = write_return_workbook(_source(src), mine, tmp_path / "武汉_退回修改.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [GUIDE_SHEET, "武汉"]
    ws = wb["武汉"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["任务编号", "地区", "累计完成"], ["MS-01", "武汉市", 1.2], ["MS-01", "江岸区", "约一万"], ["MS-02", None, "=1+1"]]
    assert ws["B2"].data_type == "s" and ws["C2"].data_type == "n"  # a number as Excel reads the CSV
    assert ws["C4"].data_type != "f"
    assert ws["C3"].fill.fgColor.rgb == FILLS[F.Severity.ERROR] and "武汉的值不是数值" in ws["C3"].comment.text


# -- 未报送 / 迟报 -------------------------------------------------------------------------------------
def test_missing_list(rl, tmp_path):
    wb = openpyxl.load_workbook(write_missing_list(rl, tmp_path / "未报送迟报名单.xlsx"))
    missing = {r["单位"]: r for r in _rows(wb["未报送"])}
    assert missing[HOUSING] == {"单位": HOUSING, "简称": "省住建厅", "单位类型": "部门",
                                "联系邮箱": "zjt@example.org", "应报任务数": 1, "情况": "未报送"}
    assert missing["咸宁市人民政府"]["应报任务数"] == 1 and missing["咸宁市人民政府"]["单位类型"] == "地区"
    late = _rows(wb["迟报"])
    assert len(late) == 1
    assert late[0]["单位"] == EDU and late[0]["文件"] == EDU_FILE
    assert late[0]["截止日期"] == dt.datetime(2025, 6, 5) and late[0]["迟到天数"] == 3


def test_a_merged_cells_findings_are_one_comment(tmp_path):
    """A 进展状态 merged over three rows is judged on each row: the merged cell gets the words once."""
    path = tmp_path / "省教育厅.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进展填报"
    for row in (["任务编号", "累计完成", "进展状态"], ["T1", 1, "暂缓"], ["T2", 2, None], ["T3", 3, None]):
        ws.append(row)
    ws.merge_cells("C2:C4")
    wb.save(path)
    found = F.Findings()
    for cell in ("C2", "C3", "C4"):
        found.add(F.INTAKE_STATUS_UNKNOWN, "进展状态“暂缓”无法识别。", file=path.name, sheet="进展填报", cell=cell)
    out = write_return_workbook(_source(path), list(found), tmp_path / "退回.xlsx")
    comment = openpyxl.load_workbook(out)["进展填报"]["C2"].comment.text
    assert comment.count("暂缓") == 1
