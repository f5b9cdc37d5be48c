"""Inspect the bundled sample ledger the way a 民生办 reviewer would."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reporter.sample.build_ledger import build_sample_ledger

LEDGER = Path(__file__).resolve().parents[1] / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"

TASK_HEADERS = [
    "任务编号", "领域", "任务名称", "任务内容", "指标名称", "计量单位", "年度目标", "指标属性",
    "指标方向", "汇总方式", "汇总依据", "牵头单位", "责任单位", "完成时限", "分解到地区", "来源文件", "备注",
]
REGION_HEADERS = ["任务编号", "地区", "年度目标", "责任单位"]
MONTHS = [f"{m}月" for m in range(1, 13)]
QUARTERS = ["一季度", "二季度", "三季度", "四季度"]
PLAN_HEADERS = ["任务编号", "计划类型", *MONTHS, *QUARTERS]
UNIT_HEADERS = ["单位名称", "简称", "别名", "单位类型", "所属工作组", "联系人", "联系邮箱"]
ROUND_HEADERS = ["轮次", "截止日期"]

# Real Hubei region names, written out here independently of the sample data.
HUBEI_CITIES = {
    "武汉市", "黄石市", "十堰市", "宜昌市", "襄阳市", "鄂州市", "荆门市", "孝感市", "荆州市",
    "黄冈市", "咸宁市", "随州市", "恩施州", "仙桃市", "潜江市", "天门市", "神农架林区",
}
WUHAN_DISTRICTS = {
    "江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "汉南区",
    "蔡甸区", "江夏区", "黄陂区", "新洲区",
}
WUHAN_ZONES = {"东湖高新区", "武汉经开区"}
XIANNING_COUNTIES = {"咸安区", "嘉鱼县", "通城县", "崇阳县", "通山县", "赤壁市"}
REAL_REGIONS = HUBEI_CITIES | WUHAN_DISTRICTS | WUHAN_ZONES | XIANNING_COUNTIES
REGION_GROUPS = [HUBEI_CITIES, WUHAN_DISTRICTS | WUHAN_ZONES, XIANNING_COUNTIES]

COLLECTIVE = {"各市州人民政府"}
AGGREGATIONS = {"求和", "比率", "加权平均", "最小值", "最大值", "达标个数", "不汇总"}


def _rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, row)) for row in rows[1:] if any(v is not None for v in row)]


@pytest.fixture(scope="module")
def workbook():
    assert LEDGER.exists(), f"missing committed sample ledger {LEDGER}"
    return openpyxl.load_workbook(LEDGER)


@pytest.fixture(scope="module")
def sheets(workbook):
    return {name: _rows(workbook[name]) for name in ["任务", "分地区目标", "计划进度", "责任单位", "填报轮次"]}


@pytest.fixture(scope="module")
def tasks(sheets):
    return sheets["任务"][1]


@pytest.fixture(scope="module")
def unit_lookup(sheets):
    """Every name a unit can be written as → its row."""
    lookup = {}
    for unit in sheets["责任单位"][1]:
        names = [unit["单位名称"], unit["简称"], *re.split(r"[、,，]", unit["别名"] or "")]
        for name in names:
            if name:
                assert lookup.get(name, unit) is unit, f"单位名称/简称/别名冲突：{name}"
                lookup[name] = unit
    return lookup


def _dec(value) -> Decimal:
    return Decimal(str(value))


def test_sheets_and_headers(workbook, sheets):
    assert workbook.sheetnames == ["任务", "分地区目标", "计划进度", "责任单位", "填报轮次", "说明"]
    assert sheets["任务"][0] == TASK_HEADERS
    assert sheets["分地区目标"][0] == REGION_HEADERS
    assert sheets["计划进度"][0] == PLAN_HEADERS
    assert sheets["责任单位"][0] == UNIT_HEADERS
    assert sheets["填报轮次"][0] == ROUND_HEADERS


def test_layout_for_printing(workbook):
    ws = workbook["任务"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws["A1"].font.b
    assert ws.cell(row=2, column=TASK_HEADERS.index("任务内容") + 1).alignment.wrap_text


def test_task_count_domains_and_ids(tasks):
    assert len(tasks) >= 60
    domains = Counter(t["领域"] for t in tasks)
    assert len(domains) >= 6
    assert min(domains.values()) >= 4, domains
    ids = [t["任务编号"] for t in tasks]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"MS2025-\d{3}", i) for i in ids)


def test_task_fields_are_filled_and_valid(tasks):
    for t in tasks:
        for header in ["领域", "任务名称", "任务内容", "指标名称", "年度目标", "牵头单位", "责任单位",
                       "完成时限", "来源文件", "备注"]:
            assert t[header] not in (None, ""), (t["任务编号"], header)
        assert t["指标属性"] in {"约束性", "预期性"}
        assert t["指标方向"] in {"正向", "逆向"}
        assert t["汇总方式"] in AGGREGATIONS
        assert t["分解到地区"] in {"是", "否"}
        assert "、" not in t["牵头单位"], "牵头单位只能有一个"
        basis = t["汇总依据"] or ""
        if t["汇总方式"] == "比率":
            assert re.fullmatch(r"分子:[^;]+;分母:.+", basis), (t["任务编号"], basis)
        elif t["汇总方式"] == "加权平均":
            assert basis, t["任务编号"]
        else:
            assert basis == "", t["任务编号"]


def test_targets_mix_numeric_text_and_qualitative(tasks):
    targets = [t["年度目标"] for t in tasks]
    numeric = [v for v in targets if isinstance(v, (int, float))]
    text = [v for v in targets if isinstance(v, str)]
    assert len(numeric) > len(tasks) / 2
    assert any(re.match(r"[≥≤><]", v) for v in text)
    assert {"全覆盖", "应保尽保", "动态清零"} <= set(text)
    assert any(re.fullmatch(r"\d+(\.\d+)?/10万", v) for v in text)
    for t in tasks:
        if isinstance(t["年度目标"], (int, float)):
            assert t["计量单位"], f"{t['任务编号']} 数值目标缺少计量单位"
    assert sum(t["指标方向"] == "逆向" for t in tasks) >= 3
    assert {"约束性", "预期性"} <= {t["指标属性"] for t in tasks}


def test_deadlines_are_varied(tasks):
    deadlines = {t["完成时限"] for t in tasks}
    assert {"2025年12月31日", "年底前", "6月底前", "9月底前", "2025年6月30日", "三季度末"} <= deadlines


def test_sources_name_the_seed_documents(tasks):
    sources = " ".join(t["来源文件"] for t in tasks)
    for needle in ["关于进一步保障和改善民生的若干措施", "武政〔2022〕2号", "咸宁市公共服务“十四五”规划",
                   "着力解决群众急难愁盼的意见", "长兴县"]:
        assert needle in sources
    for t in tasks:
        if "（派生）" in t["备注"]:
            assert "原文" in t["备注"] or "据规划" in t["备注"], t["任务编号"]


def test_units_resolve(tasks, unit_lookup):
    for t in tasks:
        assert t["牵头单位"] in unit_lookup, f"{t['任务编号']} 牵头单位 {t['牵头单位']}"
        assert unit_lookup[t["牵头单位"]]["单位类型"] == "部门"
        for name in t["责任单位"].split("、"):
            assert name in unit_lookup or name in COLLECTIVE, f"{t['任务编号']} 责任单位 {name}"


def test_unit_sheet(sheets):
    units = sheets["责任单位"][1]
    assert {u["单位类型"] for u in units} == {"部门", "地区"}
    for u in units:
        assert u["单位名称"] and u["简称"] and u["联系人"]
        assert re.fullmatch(r"[a-z]+@[a-z.]*example\.gov\.cn", u["联系邮箱"]), u["联系邮箱"]
        if u["单位类型"] == "部门":
            assert u["所属工作组"]
            assert u["单位名称"].startswith(("湖北省", "中共湖北省委", "中国人民银行湖北", "国网湖北", "国家金融监督管理总局湖北"))


def test_regional_targets(tasks, sheets, unit_lookup):
    by_id = {t["任务编号"]: t for t in tasks}
    rows = sheets["分地区目标"][1]
    regions_of = defaultdict(list)
    for row in rows:
        assert row["任务编号"] in by_id, row
        assert row["地区"] in REAL_REGIONS, row["地区"]
        assert row["年度目标"] not in (None, ""), row
        unit = unit_lookup.get(row["责任单位"])
        assert unit is not None and unit["单位类型"] == "地区", row
        regions_of[row["任务编号"]].append(row["地区"])
    for task_id, regions in regions_of.items():
        assert len(regions) == len(set(regions)), task_id
        group = next(g for g in REGION_GROUPS if regions[0] in g)
        assert set(regions) <= group, f"{task_id} 混用了不同层级的地区"
        assert set(regions) >= group - WUHAN_ZONES, f"{task_id} 分解不完整"
    decomposed = {t["任务编号"] for t in tasks if t["分解到地区"] == "是"}
    assert decomposed == set(regions_of)
    assert len(decomposed) >= 12
    used_groups = {next(i for i, g in enumerate(REGION_GROUPS) if regions[0] in g) for regions in regions_of.values()}
    assert used_groups == {0, 1, 2}


def test_additive_decompositions_add_up(tasks, sheets):
    totals = defaultdict(Decimal)
    for row in sheets["分地区目标"][1]:
        if isinstance(row["年度目标"], (int, float)):
            totals[row["任务编号"]] += _dec(row["年度目标"])
    checked = 0
    for t in tasks:
        if t["分解到地区"] == "是" and t["汇总方式"] == "求和" and isinstance(t["年度目标"], (int, float)):
            assert totals[t["任务编号"]] == _dec(t["年度目标"]), t["任务编号"]
            checked += 1
    assert checked >= 10


def test_plans(tasks, sheets):
    ids = {t["任务编号"] for t in tasks}
    plans = sheets["计划进度"][1]
    kinds = Counter(p["计划类型"] for p in plans)
    assert kinds["月度"] >= 3 and kinds["季度"] >= 3
    assert len({p["任务编号"] for p in plans}) == len(plans)
    for p in plans:
        assert p["任务编号"] in ids
        used, unused = (MONTHS, QUARTERS) if p["计划类型"] == "月度" else (QUARTERS, MONTHS)
        values = [p[c] for c in used]
        assert all(isinstance(v, (int, float)) for v in values), p
        assert all(p[c] is None for c in unused), p
        assert all(0 <= v <= 100 for v in values)
        assert all(b >= a for a, b in zip(values, values[1:])), p["任务编号"]
        assert values[-1] == 100


def test_rounds(sheets):
    rounds = sheets["填报轮次"][1]
    assert [r["轮次"] for r in rounds] == [f"2025-{m:02d}" for m in range(1, 13)]
    for month, r in enumerate(rounds, start=1):
        deadline = r["截止日期"]
        assert isinstance(deadline, (datetime, date))
        expected = date(2026, 1, 5) if month == 12 else date(2025, month + 1, 5)
        assert (deadline.date() if isinstance(deadline, datetime) else deadline) == expected


def test_readme(workbook):
    lines = [row[0] for row in workbook["说明"].iter_rows(values_only=True) if row[0]]
    assert len(lines) >= 4
    text = "\n".join(lines)
    assert "示例" in text and "武政〔2022〕2号" in text and "派生" in text


def _values(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def test_rebuild_matches_committed_file(tmp_path):
    rebuilt = build_sample_ledger(tmp_path / "rebuilt.xlsx")
    assert _values(rebuilt) == _values(LEDGER)
    again = build_sample_ledger(tmp_path / "again.xlsx")
    assert again.read_bytes() == rebuilt.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


def test_project_reader_accepts_sample_without_findings():
    from reporter.intake.annual import read_ledger

    ledger, findings = read_ledger(LEDGER)
    assert list(findings) == []
    assert len(ledger.tasks) >= 60
