"""Per-unit fill-in workbooks, opened with openpyxl the way an inspector (or a clerk's Excel) would."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from reporter.intake.annual import read_ledger
from reporter.intake.headers import is_footer, locate
from reporter.intake.submission_schema import FILLED, META_KEYS, META_SHEET, PROGRESS, STATUSES, TEMPLATE_ID
from reporter.intake.workbook import read_workbook
from reporter.model.schedule import parse_round
from reporter.render.fillin import (GUIDE_SHEET, PROGRESS_SHEET, safe_filename, template_filename,
                                    write_templates)

SAMPLE_LEDGER = Path(__file__).resolve().parents[1] / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"
ROUND = parse_round("2025-05")
GENERATED = dt.datetime(2025, 5, 20, 9, 30)
HEADERS = [f.header for f in PROGRESS.fields]
COL = {f.key: i + 1 for i, f in enumerate(PROGRESS.fields)}  # openpyxl columns are 1-based
FIRST_DATA_ROW = 4  # title, info line, header


def ledger_rows():
    tasks = [
        ["任务编号", "任务名称", "领域", "指标名称", "计量单位", "年度目标", "牵头单位", "责任单位", "完成时限"],
        ["MS-01", "新增公办幼儿园学位", "教育", "新增学位数", "万个", "7万个", "省教育厅", "省财政厅", "2025年12月底"],
        ["MS-02", "城镇新增就业", "就业", "城镇新增就业人数", "万人", "70万人", "省人社厅", "", "年底前"],
        ["MS-03", "义务教育巩固率", "教育", "巩固率", "%", "≥95%", "省教育厅", "", "2025年12月31日"],
        ["MS-04", "城镇老旧小区改造", "住房", "改造小区数", "个", "1200个", "省住建厅", "省财政厅", "11月底前"],
        ["MS-05", "农村电网改造", "能源", "改造线路", "公里", "500公里", "省能源局", "省教育厅", "年底前"],
        ["MS-06", "武汉市学校食堂明厨亮灶", "教育", "覆盖情况", "", "全覆盖", "省教育厅", "", "年底前"],
    ]
    regions = [
        ["任务编号", "地区", "年度目标"],
        ["MS-01", "武汉市", "3万个"],
        ["MS-01", "咸宁市", "4万个"],
        ["MS-04", "武汉市", "700个"],
        ["MS-04", "咸宁市", "500个"],
        ["MS-06", "江岸区", "全覆盖"],  # a Wuhan task split among its districts
        ["MS-06", "江汉区", "全覆盖"],
    ]
    units = [
        ["单位名称", "简称", "单位类型", "联系邮箱"],
        ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"],
        ["湖北省人力资源和社会保障厅", "省人社厅", "部门", ""],
        ["湖北省住房和城乡建设厅", "省住建厅", "部门", ""],
        ["湖北省财政厅", "省财政厅", "部门", ""],
        # an awkward short name: characters Windows refuses and a trailing dot
        ["湖北省能源局", '能源局/电力:"办"*?.', "部门", ""],
        ["武汉市人民政府", "武汉市政府", "地区", ""],
        ["咸宁市人民政府", "咸宁市政府", "", ""],  # type left blank, as offices do
    ]
    return {"任务": tasks, "分地区目标": regions, "责任单位": units}


@pytest.fixture
def ledger(book):
    led, _ = read_ledger(book("2025年民生实事任务台帐.xlsx", ledger_rows()))
    return led


@pytest.fixture
def written(ledger, tmp_path):
    # a task total may be keyed by the top region's code instead of ""
    previous = {("MS-01", ""): 2.5, ("MS-01", "420100"): 1.2, ("MS-03", ""): 93.5, ("MS-06", ""): 1.0}
    paths = write_templates(ledger, ROUND, tmp_path / "out", previous=previous, generated=GENERATED)
    return {_meta(p)["填报单位"]: p for p in paths}, paths


def _meta(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[META_SHEET]
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True)}


def _sheet(path: Path):
    return openpyxl.load_workbook(path)[PROGRESS_SHEET]


def _data(ws) -> list[dict[str, object]]:
    """Data rows as {field key: value}, stopping at the first blank row."""
    out = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value in (None, ""):
            break
        out.append({key: ws.cell(r, c).value for key, c in COL.items()})
    return out


def _validations(ws, kind: str):
    return [dv for dv in ws.data_validations.dataValidation if dv.type == kind]


# -- which files --------------------------------------------------------------------------------------
def test_one_workbook_per_submitter_in_order(ledger, written):
    by_unit, paths = written
    assert [_meta(p)["填报单位"] for p in paths] == ledger.submitters()
    assert set(by_unit) == {"湖北省教育厅", "湖北省人力资源和社会保障厅", "湖北省住房和城乡建设厅", "湖北省能源局",
                            "武汉市人民政府", "咸宁市人民政府", "江岸区人民政府", "江汉区人民政府"}
    # 省财政厅 only co-operates: no workbook
    assert by_unit["湖北省教育厅"].name == "2025-05_省教育厅_进展填报.xlsx"
    assert not [p for p in paths[0].parent.iterdir() if p not in paths]  # no temp files left behind


def test_units_argument_restricts_and_rejects_strangers(ledger, tmp_path):
    paths = write_templates(ledger, "2025-05", tmp_path, units=["省教育厅", "武汉市人民政府"], generated=GENERATED)
    assert [_meta(p)["填报单位"] for p in paths] == [n for n in ledger.submitters()
                                                   if n in ("湖北省教育厅", "武汉市人民政府")]
    with pytest.raises(ValueError, match="省财政厅"):
        write_templates(ledger, ROUND, tmp_path, units=["省财政厅"])


# -- what they hold -------------------------------------------------------------------------------------
def test_title_info_and_headers(written):
    ws = _sheet(written[0]["湖北省教育厅"])
    assert ws["A1"].value == "2025年5月民生实事进展填报表（省教育厅）"
    assert any(str(m).startswith("A1:") for m in ws.merged_cells.ranges)
    info = ws["A2"].value
    assert "填报单位：省教育厅" in info and "2025年5月" in info and "报送截止：2025年6月5日" in info
    assert [c.value for c in ws[3]] == HEADERS


def test_department_lists_exactly_the_tasks_it_leads(written):
    rows = _data(_sheet(written[0]["湖北省教育厅"]))
    assert [(r["code"], r["region"], r["target"]) for r in rows] == [
        ("MS-01", "湖北省", "7万个"),  # decomposed: the provincial total
        ("MS-03", None, "≥95%"),
        ("MS-06", "武汉市", "全覆盖"),  # split among Wuhan districts: 武汉市 stands for the whole task
    ]  # not MS-05, where it only co-operates
    assert rows[0]["name"] == "新增公办幼儿园学位" and rows[0]["indicator"] == "新增学位数"
    assert rows[0]["unit"] == "万个"


def test_region_government_lists_its_regions_with_region_targets(written):
    rows = _data(_sheet(written[0]["武汉市人民政府"]))
    assert [(r["code"], r["region"], r["target"]) for r in rows] == [("MS-01", "武汉市", "3万个"),
                                                                      ("MS-04", "武汉市", "700个")]
    assert _meta(written[0]["武汉市人民政府"])["单位类型"] == "地区"
    assert _meta(written[0]["咸宁市人民政府"])["单位类型"] == "地区"  # inferred: 单位类型 was blank


def test_previous_cumulative_values_are_prefilled(written):
    edu = _data(_sheet(written[0]["湖北省教育厅"]))
    assert [r["previous"] for r in edu] == [2.5, 93.5, 1.0]
    wuhan = _data(_sheet(written[0]["武汉市人民政府"]))
    assert [r["previous"] for r in wuhan] == [1.2, None]
    assert all(r[k] is None for r in edu + wuhan for k in FILLED)


def test_number_formats_follow_the_unit(written):
    ws = _sheet(written[0]["湖北省教育厅"])
    value = COL["value"]
    assert ws.cell(FIRST_DATA_ROW, value).number_format == "0.00"  # 万个
    assert ws.cell(FIRST_DATA_ROW + 1, value).number_format == "0.0"  # %
    ws = _sheet(written[0]["湖北省住房和城乡建设厅"])
    assert ws.cell(FIRST_DATA_ROW, value).number_format == "#,##0.##"  # 个
    assert ws.cell(FIRST_DATA_ROW, COL["finish_date"]).number_format == "yyyy-mm-dd"


# -- protection and validation ---------------------------------------------------------------------------
def test_sheet_is_protected_without_password_and_only_fill_cells_are_open(written):
    ws = _sheet(written[0]["湖北省教育厅"])
    assert ws.protection.sheet
    assert not ws.protection.password
    # openpyxl flags say "forbidden": False means clerks may do it
    assert ws.protection.formatColumns is False and ws.protection.formatRows is False
    assert ws.protection.autoFilter is False
    for r in (FIRST_DATA_ROW, FIRST_DATA_ROW + 1):
        for key in ("value", "status", "progress", "problems", "measures", "finish_date"):
            assert ws.cell(r, COL[key]).protection.locked is False, key
        for key in ("code", "name", "region", "target", "previous"):
            assert ws.cell(r, COL[key]).protection.locked is not False, key
    assert ws.cell(3, COL["value"]).protection.locked is not False  # the header too


def _covers(dv, row: int, col: int) -> bool:
    return any(rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col for rng in dv.sqref.ranges)


def test_data_validations(written):
    ws = _sheet(written[0]["湖北省教育厅"])
    rows = (FIRST_DATA_ROW, FIRST_DATA_ROW + 1)
    decimal = _validations(ws, "decimal")
    assert decimal and all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in decimal)
    assert all(any(_covers(dv, r, COL["value"]) for dv in decimal) for r in rows)
    assert all(dv.showErrorMessage and dv.error and dv.prompt for dv in decimal)
    assert "万个" in decimal[0].prompt  # the prompt names the unit to fill in
    assert "定性目标" in decimal[-1].prompt  # MS-06 全覆盖
    (status,) = _validations(ws, "list")
    assert status.formula1.strip('"').split(",") == list(STATUSES)
    assert all(_covers(status, r, COL["status"]) for r in rows) and status.prompt
    (date,) = _validations(ws, "date")
    assert date.operator in (None, "between") and all(_covers(date, r, COL["finish_date"]) for r in rows)
    low, high = float(date.formula1), float(date.formula2)  # Excel serial dates
    assert low == (dt.date(2025, 1, 1) - dt.date(1899, 12, 30)).days
    assert high == (dt.date(2026, 12, 31) - dt.date(1899, 12, 30)).days


# -- metadata, guide, print ---------------------------------------------------------------------------------
def test_metadata_sheet_is_very_hidden_and_names_unit_and_round(written):
    path = written[0]["湖北省教育厅"]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [PROGRESS_SHEET, GUIDE_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert _meta(path) == {
        META_KEYS["template"]: TEMPLATE_ID, META_KEYS["version"]: "1", META_KEYS["unit"]: "湖北省教育厅",
        META_KEYS["unit_kind"]: "部门", META_KEYS["round"]: "2025-05",
        META_KEYS["ledger"]: "2025年民生实事任务台帐.xlsx", META_KEYS["generated"]: "2025-05-20T09:30:00",
    }


def test_guide_sheet_explains_filling(written):
    ws = openpyxl.load_workbook(written[0]["湖北省教育厅"])[GUIDE_SHEET]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    for words in ("累计", "不是当月", "计量单位", "2025年6月5日", "重新报送", "文件名", *STATUSES):
        assert words in text, words


def test_print_setup_is_a4_landscape_with_repeated_header(written):
    ws = _sheet(written[0]["湖北省教育厅"])
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # 1 page wide is the OOXML default, so the attribute may be absent; 0 tall means "as many as needed"
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "C4"


def test_footer_and_headers_are_what_intake_reads(written):
    path = written[0]["湖北省教育厅"]
    sheets = read_workbook(path)
    table = locate([s for s in sheets if s.name == PROGRESS_SHEET], PROGRESS)
    assert table is not None and set(table.columns) == {f.key for f in PROGRESS.fields}
    assert [table.value(v, "code") for _, v in table.rows()] == ["MS-01", "MS-03", "MS-06"]  # footer skipped
    footer = [r for r in table.sheet.rows if r and isinstance(r[0], str) and r[0].startswith("填表人")]
    assert len(footer) == 1 and is_footer(footer[0])
    ws = _sheet(path)
    assert ws.cell(FIRST_DATA_ROW + 4, 1).value.startswith("填表人")
    assert ws.cell(FIRST_DATA_ROW + 4, 1).protection.locked is False  # names can be written in


# -- files -------------------------------------------------------------------------------------------------
def test_awkward_unit_names_give_windows_safe_file_names(written):
    name = written[0]["湖北省能源局"].name
    assert name == "2025-05_能源局电力办_进展填报.xlsx"
    assert safe_filename("CON.xlsx") == "_CON.xlsx"
    assert safe_filename("lpt1") == "_lpt1"
    assert safe_filename("报表. . ") == "报表"
    long = template_filename(ROUND, "很长的单位名称" * 40)
    assert len(long) <= 150 and long.endswith("_进展填报.xlsx") and long.startswith("2025-05_")
    assert template_filename(ROUND, "a\tb\x00c|d<e>f") == "2025-05_abcdef_进展填报.xlsx"
    assert template_filename(ROUND, "///") == "2025-05_填报单位_进展填报.xlsx"
    for path in written[1]:
        assert not set(path.name) & set('\\/:*?"<>|') and not path.stem.endswith((".", " "))


def test_units_with_the_same_label_get_separate_files(book, tmp_path):
    rows = ledger_rows()
    rows["任务"].append(["MS-08", "药品集采", "医疗", "品种数", "个", "50个", "湖北省药品监督管理局", "", "年底前"])
    rows["任务"].append(["MS-09", "医保结算", "医疗", "覆盖率", "%", "100%", "湖北省医疗保障局", "", "年底前"])
    rows["责任单位"] += [["湖北省药品监督管理局", "省药监局", "部门", ""], ["湖北省医疗保障局", "省药监局", "部门", ""]]
    led, _ = read_ledger(book("2025年台帐.xlsx", rows))
    paths = write_templates(led, ROUND, tmp_path / "out", units=["湖北省药品监督管理局", "湖北省医疗保障局"])
    first, second = (_meta(p)["填报单位"] for p in paths)
    # the first keeps the short name; the second falls back to its full name
    assert [p.name for p in paths] == ["2025-05_省药监局_进展填报.xlsx", f"2025-05_{second}_进展填报.xlsx"]
    assert {first, second} == {"湖北省药品监督管理局", "湖北省医疗保障局"}


def test_same_inputs_give_identical_files(ledger, tmp_path):
    first = write_templates(ledger, ROUND, tmp_path / "a", generated=GENERATED)
    second = write_templates(ledger, ROUND, tmp_path / "b", generated=GENERATED)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))


def test_rewriting_replaces_the_file(ledger, tmp_path):
    out = tmp_path / "out"
    (path,) = write_templates(ledger, ROUND, out, units=["省教育厅"], generated=GENERATED)
    later = GENERATED + dt.timedelta(days=1)
    (again,) = write_templates(ledger, ROUND, out, units=["省教育厅"], generated=later)
    assert again == path and _meta(path)["生成时间"] == later.isoformat()
    assert [p.name for p in out.iterdir()] == [path.name]


@pytest.mark.skipif(not SAMPLE_LEDGER.exists(), reason="sample ledger not built yet")
def test_sample_ledger_templates_for_every_submitter(tmp_path):
    ledger, _ = read_ledger(SAMPLE_LEDGER)
    rnd = parse_round(f"{ledger.year}-05")
    paths = write_templates(ledger, rnd, tmp_path)
    assert len(paths) == len(ledger.submitters()) == len({p.name.casefold() for p in paths})
    for path, unit in zip(paths, ledger.submitters()):
        meta = _meta(path)
        assert meta["填报单位"] == unit and meta["填报轮次"] == rnd.key
        rows = _data(_sheet(path))
        expected = sum(1 for t in ledger if t.lead == unit)
        expected += sum(len(codes) for codes in ledger.tasks_of_region_unit(unit).values())
        assert len(rows) == expected > 0
