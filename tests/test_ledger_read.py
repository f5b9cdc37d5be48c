"""Reading annual ledgers as offices really keep them: aliased, messy headers; problems all at once."""
import datetime as dt

import pytest

from reporter.intake.annual import LedgerError, read_ledger
from reporter.model.targets import Aggregation, Direction


def messy_ledger(book):
    tasks = [
        ["2025年全省民生实事任务台帐"],
        ["填报说明：本表为年度任务台帐，请勿改动表头。"],
        ["編號", "重点\n任务", "所属领域", "2025年目标（万个）", "牵头部门", "配合单位", "时间节点", "指标属性", "备注"],
        ["MS-01", "新增公办学前教育学位", "教育", "７", "省教育厅", "省财政厅、省发改委", "年底前", "约束性", ""],
        ["MS-02", "城镇调查失业率", "就业", "控制在5.5%以内", "省人社厅", "", "2025年12月31日", "预期性", ""],
        ["MS-03", "困难群众基本生活保障", "社会救助", "应保尽保", "省民政厅", "", "6月底前", "", ""],
        ["MS-04", "急救站点建设", "医疗卫生", "待定", "省卫健委", "", "长期坚持", "", ""],
        ["MS-02", "重复的任务", "就业", "1", "省人社厅", "", "", "", ""],
        ["", "没有编号的任务", "就业", "1", "省人社厅", "", "", "", ""],
        ["填表人：张三", None, None, "联系电话：123"],
    ]
    regions = [
        ["任务编号", "地区", "年度目标"],
        ["MS-01", "武汉市", 3],
        ["MS-01", "鹹寧市", 2],
        ["MS-01", "恩施州", 1.5],
        ["MS-01", "火星市", 0.5],
        ["MS-99", "黄石市", 1],
    ]
    plan = [
        ["任务编号", "一季度", "二季度", "三季度", "四季度"],
        ["MS-01", 20, 50, 80, 100],
        ["MS-03", 30, 20, 80, 100],
    ]
    units = [
        ["单位名称", "简称", "别名", "单位类型", "联系邮箱"],
        ["湖北省教育厅", "省教育厅", "教育厅", "部门", "jyt@example.org"],
        ["湖北省人力资源和社会保障厅", "省人社厅", "人社厅", "部门", "rst@example.org"],
        ["湖北省民政厅", "省民政厅", "民政厅", "部门", "mzt@example.org"],
        ["湖北省卫生健康委员会", "省卫健委", "卫健委", "部门", ""],
        ["湖北省财政厅", "省财政厅", "", "部门", ""],
    ]
    return book("台帐.xlsx", {"Sheet1": tasks, "分解": regions, "计划": plan, "通讯录": units},
                merges={"Sheet1": ["A1:I1"]})


def test_messy_headers_are_read_by_name(book):
    ledger, findings = read_ledger(messy_ledger(book))
    assert ledger.year == 2025
    assert list(ledger.tasks) == ["MS-01", "MS-02", "MS-03", "MS-04"]
    t1 = ledger.tasks["MS-01"]
    assert t1.name == "新增公办学前教育学位" and t1.domain == "教育"
    assert t1.target.value == 7 and t1.unit == "万个"
    assert t1.lead == "湖北省教育厅" and t1.responsible == ("湖北省财政厅", "省发改委")
    assert t1.deadline.date == dt.date(2025, 12, 31)
    assert t1.indicator.aggregation is Aggregation.SUM
    t2 = ledger.tasks["MS-02"]
    assert t2.indicator.direction is Direction.LOWER and t2.target.value == 5.5
    assert ledger.tasks["MS-03"].target.label == "应保尽保"
    assert ledger.tasks["MS-03"].deadline.date == dt.date(2025, 6, 30)


def test_region_targets_and_plans(book):
    ledger, _ = read_ledger(messy_ledger(book))
    t1 = ledger.tasks["MS-01"]
    assert set(t1.region_targets) == {"420100", "421200", "422800"}
    assert t1.region_units["421200"] == "咸宁市人民政府"
    assert t1.decomposed
    assert t1.plan.milestones == ((3, 20.0), (6, 50.0), (9, 80.0), (12, 100.0))
    assert ledger.tasks["MS-03"].plan is None  # its plan goes down, so it is refused


def test_every_problem_is_reported_at_once_with_its_cell(book):
    _, findings = read_ledger(messy_ledger(book))
    got = {(f.code, f.sheet, f.cell) for f in findings}
    assert ("ledger-duplicate-task", "Sheet1", "A8") in got
    assert ("ledger-empty-cell", "Sheet1", "A9") in got
    assert ("ledger-target-unparsed", "Sheet1", "D7") in got
    assert ("ledger-deadline-unparsed", "Sheet1", "G7") in got
    assert ("ledger-unknown-region", "分解", "B5") in got
    assert ("ledger-unknown-task", "分解", "A6") in got
    assert ("ledger-bad-plan", "计划", "C3") in got
    assert ("ledger-unknown-unit", "Sheet1", "F4") in got  # 省发改委 is not in the units sheet
    assert ("ledger-region-sum", "Sheet1", "A4") in got  # 3 + 2 + 1.5 ≠ 7, named at the task's row
    for f in findings:
        assert f.file == "台帐.xlsx" and f.message


def test_footer_rows_are_not_tasks(book):
    ledger, findings = read_ledger(messy_ledger(book))
    assert not any("填表人" in t.name or "填表人" in t.code for t in ledger)


def test_no_task_sheet_is_one_clear_error(book):
    path = book("空.xlsx", {"Sheet1": [["随便"], ["什么"]]})
    with pytest.raises(LedgerError, match="找不到任务表") as err:
        read_ledger(path)
    assert err.value.findings.codes() == ["ledger-no-task-sheet"]


def test_unreadable_file_names_the_file(tmp_path):
    path = tmp_path / "台帐.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(LedgerError, match="台帐.xlsx"):
        read_ledger(path)


def test_reading_does_not_modify_the_ledger(book):
    path = messy_ledger(book)
    before = path.read_bytes()
    read_ledger(path)
    assert path.read_bytes() == before


def test_a_county_outside_the_table_grouped_under_section_headings(book):
    """长兴县's 七优享 list (seed 003) as the county tables it: no 领域 column but 一、幼有善育 … headings above
    the rows, a 合计 row at the foot, no 地区 sheet. The county is the office (not 湖北省, the built-in table's
    root); each heading is its rows' 领域; the 合计 row is no task; 各乡镇（街道） asks for the towns by name."""
    rows = [
        ["长兴县2025年“七优享”民生实事项目任务清单"],
        ["序号", "项目名称", "年度目标", "计量单位", "牵头单位", "责任单位", "完成时间"],
        ["一、幼有善育（2项）"],
        [1, "新增托位", 300, "个", "县卫健局", "各乡镇（街道）", "2025年12月"],
        [2, "普惠性幼儿园在园幼儿占比", "≥92%", "%", "县教育局", None, "2025年12月"],
        ["二、学有优教"],
        [3, "新改扩建中小学", 4, "所", "县教育局", "县发改局、县住建局", "2025年9月"],
        ["合计"],
    ]
    lg, findings = read_ledger(book("七优享.xlsx", {"任务清单": rows}))
    assert (lg.office.name, lg.office.scope) == ("长兴县", "全县")
    assert {c: t.domain for c, t in lg.tasks.items()} == {"1": "幼有善育", "2": "幼有善育", "3": "学有优教"}
    said = [(f.cell, f.message) for f in findings if f.severity.value == "错误"]
    assert said == [("F4", "“各乡镇(街道)”在长兴县之下没有对应的地区，没有展开：请在“地区”工作表中列出这些地区，或改写为具体单位。")]


def test_a_county_ledger_with_its_plan_beside_its_tasks(book):
    """嘉鱼县's 为民办实事 台账: the target under "2025年目标任务", a quarterly 计划进度 in columns of the task sheet,
    完成时限 written 2025.12 and 12月31日前, a 责任领导 column the ledger has no use for."""
    rows = [
        ["嘉鱼县2025年为民办实事项目推进台账"],
        ["编号", "类别", "实事项目", "2025年目标任务", "单位", "责任领导", "牵头责任单位", "协同单位", "完成时限",
         "一季度", "二季度", "三季度", "四季度"],
        ["JY-1", "教育", "新建公办幼儿园", 2, "所", "张副县长", "县教育局", "县住建局", "2025.12", "0%", "30%", "60%", "100%"],
        ["JY-2", "就业", "城镇新增就业", "≥3000", "人", "李副县长", "县人社局", None, "12月31日前", 25, 50, 75, 100],
        ["JY-3", "养老", "农村互助养老服务点", "新建15个", None, "王副县长", "县民政局", None, "2025年10月底"],
        ["JY-4", "养老", "老年助餐点", "20个", "个", None, "县民政局", None, "年底前", 3, 8, 14, None],  # counts, no plan
    ]
    lg, findings = read_ledger(book("嘉鱼.xlsx", {"台账": rows}))
    assert {c: (t.target.value, t.deadline.date.isoformat(), t.deadline.parsed) for c, t in lg.tasks.items()} == {
        "JY-1": (2, "2025-12-31", True), "JY-2": (3000, "2025-12-31", True), "JY-3": (15, "2025-10-31", True),
        "JY-4": (20, "2025-12-31", True)}
    assert lg.tasks["JY-1"].plan.milestones == ((3, 0.0), (6, 30.0), (9, 60.0), (12, 100.0))
    assert lg.tasks["JY-2"].plan.kind == "季度" and lg.tasks["JY-3"].plan is None
    # JY-4's columns hold figures (3, 8, 14 of 20 点), not a plan: beside the tasks a plan says % or reaches 100
    assert lg.tasks["JY-4"].plan is None
    assert [f.message for f in findings if f.severity.value != "提示"] == []
