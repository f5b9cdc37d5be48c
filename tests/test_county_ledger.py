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
