"""A county's own ledger (长兴县, seed 003: 公共服务“七优享” indicators) split to its 乡镇（街道）, written by hand
as the county's office would, with submissions each 乡镇 writes by hand; figures checked by hand at every level.
"""
from __future__ import annotations

import openpyxl
import pytest

from reporter import api
from reporter.intake.submission_schema import PROGRESS
from reporter.rollup.status import Status

from .conftest import write_book

ROUND = "2025-05"
COUNTY = ("330522", "长兴县")
TOWNS = [("330522001", "雉城街道", "街道"), ("330522002", "画溪街道", "街道"), ("330522003", "太湖街道", "街道"),
         ("330522101", "洪桥镇", "镇"), ("330522102", "李家巷镇", "镇"), ("330522103", "泗安镇", "镇")]
GOV = {"街道": "办事处", "镇": "人民政府"}

TASK_HEADERS = ["任务编号", "领域", "任务名称", "指标名称", "计量单位", "年度目标", "汇总方式", "汇总依据", "牵头单位",
                "完成时限", "分解到地区"]
TASKS = [
    ["CX-01", "幼有善育", "发展普惠托育服务", "普惠托位占比", "%", "89%", "比率", "分子:普惠托位数;分母:托位总数",
     "县卫生健康局", "年底前", "是"],
    ["CX-02", "幼有善育", "托育服务供给", "每千人口拥有3岁以下婴幼儿托位数", "个", "5.00个", "加权平均", "常住人口",
     "县卫生健康局", "年底前", "是"],
    ["CX-03", "住有宜居", "老旧小区改造", "老旧小区累计改造个数", "个", "54个", "求和", "", "县住房和城乡建设局",
     "年底前", "是"],
    ["CX-04", "弱有众扶", "社会救助服务联合体建设", "乡镇社会救助服务联合体覆盖", "", "全覆盖", "达标个数", "",
     "县民政局", "年底前", "是"],
    ["CX-05", "住有宜居", "保障性租赁住房筹集", "保障性租赁住房累计建设筹集套数", "套", "8922套", "求和", "",
     "县住房和城乡建设局", "年底前", "否"],
]
OLD_ESTATES = [12, 10, 8, 9, 8, 7]  # CX-03's 54 个 split to the six 乡镇（街道）


def unit_of(name: str, kind: str) -> str:
    return name + GOV[kind]


def write_ledger(path):
    regions = [["地区代码", "地区名称", "上级代码", "层级"], [COUNTY[0], COUNTY[1], "", "县"]]
    regions += [[code, name, COUNTY[0], kind] for code, name, kind in TOWNS]
    split = [["任务编号", "地区", "年度目标", "责任单位"]]
    for code, (t, name, kind) in ((c, town) for c in ("CX-01", "CX-02", "CX-04") for town in TOWNS):
        target = {"CX-01": "89%", "CX-02": "5个", "CX-04": "全覆盖"}[code]
        split.append([code, name, target, unit_of(name, kind)])
    for (t, name, kind), n in zip(TOWNS, OLD_ESTATES):
        split.append(["CX-03", name, f"{n}个", unit_of(name, kind)])
    units = [["单位名称", "单位类型"], ["县卫生健康局", "部门"], ["县住房和城乡建设局", "部门"], ["县民政局", "部门"]]
    units += [[unit_of(name, kind), "地区"] for _, name, kind in TOWNS]
    title = ["长兴县2025年公共服务“七优享”民生实事年度任务台帐"]
    return write_book(path, {"任务": [title, TASK_HEADERS, *TASKS], "分地区目标": split, "地区": regions,
                             "责任单位": units})


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("changxing")
    return write_ledger(folder / "长兴县2025年民生实事任务台帐.xlsx"), folder / "工作区"


def test_the_county_ledger_reads_with_its_towns(county):
    ledger, out = county
    checked = api.check(ledger, ROUND, out)
    tasks = checked.ledger.tasks
    assert set(tasks["CX-01"].region_targets) == {code for code, _, _ in TOWNS}
    assert tasks["CX-01"].indicator.numerator == "普惠托位数" and tasks["CX-02"].indicator.weight_base == "常住人口"
    assert checked.ledger.whole_region(tasks["CX-03"]).name == "长兴县"


def test_a_towns_template_asks_for_numerator_denominator_and_weight_by_name(county):
    ledger, out = county
    result = api.template(ledger, ROUND, out)
    town = next(p for p in result.files if "洪桥镇" in p.name)
    ws = openpyxl.load_workbook(town)["进展填报"]
    headers = [c.value for c in ws[3]]
    col = {f.key: headers.index(h) + 1 for f in PROGRESS.fields for h in headers if h and h.split("：")[0] == f.header}
    assert headers[col["numerator"] - 1] == "分子：普惠托位数" and headers[col["denominator"] - 1] == "分母：托位总数"
    assert headers[col["weight"] - 1] == "权重：常住人口"
    assert col["numerator"] == col["value"] + 1  # beside the rate
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("CX")}
    assert ws.cell(rows["CX-01"], col["numerator"]).protection.locked is False
    assert ws.cell(rows["CX-03"], col["numerator"]).protection.locked is not False  # a sum has no parts
    assert ws.cell(rows["CX-02"], col["weight"]).protection.locked is False
    guide = " ".join(str(c.value) for c in openpyxl.load_workbook(town)["填报说明"]["A"] if c.value)
    assert "“发展普惠托育服务”：分子为普惠托位数，分母为托位总数" in guide
    bureau = next(p for p in result.files if "县住房和城乡建设局" in p.name)
    sheet = openpyxl.load_workbook(bureau)["进展填报"]
    assert [hidden(sheet, col[k]) for k in ("numerator", "denominator", "weight")] == [True, True, True]
    assert not hidden(sheet, col["value"])  # no rate or weighted task: only the parts stay out of the way
    assert [hidden(ws, col[k]) for k in ("numerator", "denominator", "weight")] == [False, False, False]


def hidden(ws, column: int) -> bool:
    """Whether a column is hidden (xlsxwriter writes neighbouring alike columns as one <col min max>)."""
    return any(d.hidden for d in ws.column_dimensions.values() if d.min and d.min <= column <= d.max)


# -- a round: each 乡镇（街道） writes its own sheet by hand ---------------------------------------------------
# (累计完成, 分子, 分母, 权重, 进展状态) per task; None where the cell is left blank
REPORTS = {
    "雉城街道": {"CX-01": (90, 180, 200, None, "正常推进"), "CX-02": (5.2, None, None, 12.1, "正常推进"),
              "CX-03": (5, None, None, None, "正常推进"), "CX-04": (None, None, None, None, "已完成")},
    "画溪街道": {"CX-01": (88, 88, 100, None, "正常推进"), "CX-02": (4.8, None, None, 8.0, "正常推进"),
              "CX-03": (4, None, None, None, "正常推进"), "CX-04": (None, None, None, None, "已完成")},
    "太湖街道": {"CX-01": (85, None, None, None, "正常推进"), "CX-02": (5.0, None, None, None, "正常推进"),
              "CX-03": (3, None, None, None, "正常推进"), "CX-04": (None, None, None, None, "已完成")},
    "洪桥镇": {"CX-01": (75, 45, 60, None, "正常推进"), "CX-02": (4.0, None, None, 6.5, "正常推进"),
            "CX-03": (9, None, None, None, "已完成"), "CX-04": (None, None, None, None, "已完成")},
    "李家巷镇": {"CX-01": (None, 50, 50, None, "正常推进"), "CX-02": (6.0, None, None, 5.4, "正常推进"),
              "CX-03": (800, None, None, None, "正常推进"), "CX-04": (None, None, None, None, "正常推进")},
}  # 泗安镇 sends nothing
HEADERS = ["序号", "任务编号", "任务名称", "地区", "累计完成", "分子（普惠托位数）", "分母（托位总数）", "权重（常住人口）",
           "进展状态", "工作进展", "存在问题"]


def write_round(folder):
    folder.mkdir(parents=True, exist_ok=True)
    names = {t[0]: t[2] for t in TASKS}
    kinds = {name: kind for _, name, kind in TOWNS}
    for town, rows in REPORTS.items():
        sheet = [[f"{town}2025年5月民生实事进展情况表"], HEADERS]
        for n, (code, (value, num, den, weight, status)) in enumerate(rows.items(), start=1):
            sheet.append([n, code, names[code], town, value, num, den, weight, status, f"{town}按计划推进", ""])
        sheet.append([f"填报单位：{unit_of(town, kinds[town])}"])
        write_book(folder / f"{unit_of(town, kinds[town])}5月进展.xlsx", {"进展表": sheet})
    write_book(folder / "县住房和城乡建设局5月进展.xlsx", {"Sheet1": [
        HEADERS, [1, "CX-05", names["CX-05"], "", 3100, None, None, None, "正常推进", "已筹集3100套", ""]]})
    return folder


@pytest.fixture(scope="module")
def county_round(county):
    ledger, out = county
    collected = api.collect(write_round(out.parent / "五月报送"), ledger, ROUND, out)
    rolled = api.rollup(ledger, ROUND, out)
    rolled.collected = collected
    return rolled


def test_every_level_of_the_county_by_hand(county_round):
    ro = county_round.rollup
    rows = ro.round_ledger.rows
    hongqiao, lijiaxiang = "330522101", "330522102"
    # 乡镇 level: each keeps what it reported; 李家巷镇's rate is worked out from its 分子/分母
    assert (rows[("CX-01", hongqiao)].value, rows[("CX-01", hongqiao)].numerator,
            rows[("CX-01", hongqiao)].denominator) == (75, 45, 60)
    assert rows[("CX-01", lijiaxiang)].value == 100
    assert rows[("CX-01", "330522003")].value == 85 and rows[("CX-01", "330522003")].numerator is None
    assert rows[("CX-02", hongqiao)].weight == 6.5
    # 县 level, by hand
    rate = ro.rolled[("CX-01", COUNTY[0])]
    assert rate.value == pytest.approx(100 * 363 / 410, rel=1e-11)  # 88.536…%, printed 88.5%
    assert rate.note == "按 6 个乡镇（街道）中 4 个报送分子、分母的计算"
    mean = ro.rolled[("CX-02", COUNTY[0])]
    # (5.2×12.1 + 4.8×8.0 + 4.0×6.5 + 6.0×5.4) ÷ (12.1 + 8.0 + 6.5 + 5.4) = 159.72 ÷ 32 = 4.99125
    assert mean.value == pytest.approx(4.99125, rel=1e-11)
    assert mean.note == "按 6 个乡镇（街道）中 4 个报送权重的计算"
    estates = ro.rolled[("CX-03", COUNTY[0])]
    assert estates.value == 5 + 4 + 3 + 9 and estates.target == 54  # 李家巷镇's 800 (8 个 × 100) held out
    assert [(h.region, h.value) for h in ro.held] == [("李家巷镇", 800)]
    covered = ro.rolled[("CX-04", COUNTY[0])]
    assert covered.value is None and covered.note == "6 个乡镇（街道）中 4 个已完成"
    # the task as a whole: judged from the county's figure when the 县直部门 sent no whole row
    assert ro.tasks["CX-01"].completion == pytest.approx(100 * rate.value / 89)
    assert ro.tasks["CX-04"].completion == pytest.approx(100 * 4 / 6)


def test_the_county_documents_show_the_same_figures(county_round, tmp_path):
    from reporter.render.bulletin import build_bulletin, document_text, load_office, task_table

    ro = county_round.rollup
    table = {r[1]: r for r in task_table(ro).rows}
    assert table["CX-01"][5] == "88.5%" and table["CX-01"][8] == "超序时"  # 363 ÷ 410
    assert table["CX-02"][5] == "4.99个"
    assert table["CX-03"][5] == "21个" and table["CX-03"][6] == "38.9%" and table["CX-03"][8] == "滞后"  # 21 ÷ 54
    assert table["CX-04"][5] == "6 个乡镇（街道）中 4 个已完成" and table["CX-04"][6] == "66.7%"
    assert table["CX-05"][5] == "3100套"
    text = document_text(build_bulletin(ro, load_office()))
    assert "李家巷镇人民政府报送的“老旧小区改造”李家巷镇累计完成800个" in text
    book = openpyxl.load_workbook(county_round.outputs["汇总分析表"])
    rolled = {(r[0], r[4]): r for r in book["分地区汇总值"].iter_rows(min_row=2, values_only=True)}
    assert rolled[("CX-03", "长兴县")][5] == 21 and rolled[("CX-03", "李家巷镇")][5] is None
    assert rolled[("CX-04", "长兴县")][9] == "6 个乡镇（街道）中 4 个已完成"
    held = list(book["待核实数值"].iter_rows(min_row=2, values_only=True))
    assert held[0][2:5] == ("李家巷镇", "李家巷镇人民政府", 800)


def test_intake_says_what_it_did_with_the_parts(county_round):
    findings = county_round.collected.round_ledger.findings
    codes = {f.code: f for f in findings}
    assert "intake-rate-from-parts" in codes and "100.00%" in codes["intake-rate-from-parts"].message
    assert codes["intake-rate-from-parts"].file == "李家巷镇人民政府5月进展.xlsx"


def test_the_round_ledger_keeps_each_towns_parts_beside_its_rate(county_round):
    book = openpyxl.load_workbook(county_round.collected.outputs["本轮台帐"])
    ws = book["本轮台帐"]
    headers = [c.value for c in ws[1]]
    at = {h: i for i, h in enumerate(headers)}
    assert headers[at["累计完成"] + 1:at["累计完成"] + 4] == ["分子", "分母", "权重"]
    rows = {(r[at["任务编号"]], r[at["地区"]]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    hongqiao = rows[("CX-01", "洪桥镇")]
    assert (hongqiao[at["累计完成"]], hongqiao[at["分子"]], hongqiao[at["分母"]]) == (75, 45, 60)
    assert rows[("CX-02", "雉城街道")][at["权重"]] == 12.1
    assert rows[("CX-01", "太湖街道")][at["分子"]] is None  # only its rate


def test_a_resubmission_that_changes_a_numerator_is_in_the_audit_trail(county, tmp_path):
    ledger, _ = county
    folder = write_round(tmp_path / "报送")
    names = {t[0]: t[2] for t in TASKS}
    rows = [["序号", "任务编号", "任务名称", "地区", "累计完成", "分子", "分母", "进展状态", "工作进展"]]
    rows += [[n, code, names[code], "洪桥镇", value, num, den, status, "按计划推进"] for n, (code, (value, num, den, _, status))
             in enumerate(REPORTS["洪桥镇"].items(), start=1)]
    rows[1][5] = 46  # CX-01's 分子: 45 → 46
    write_book(folder / "洪桥镇人民政府5月进展（修改版）.xlsx", {"进展表": rows})
    result = api.collect(folder, ledger, ROUND, tmp_path / "工作区")
    rl = result.round_ledger
    assert rl.rows[("CX-01", "330522101")].numerator == 46
    changed = [c for c in rl.changes if c["field"] == "分子"]
    assert [(c["task"], c["region"], c["old"], c["new"]) for c in changed] == [("CX-01", "洪桥镇", "45", "46")]
