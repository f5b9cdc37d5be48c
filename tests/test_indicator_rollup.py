"""Rates, weighted means, sums and qualitative targets rolled up random region trees (hypothesis).

A parent's rate is Σ分子/Σ分母 over exactly the regions below it that reported both; a weighted mean is
Σ数值×权重/Σ权重 likewise; a sum is the sum of the regions that reported; a qualitative task is never a
number: its parents count the regions done.
"""
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.model.round_ledger import TOTAL, RoundLedger, RoundRow, expected_rows
from reporter.model.regions import RegionTree
from reporter.model.schedule import Round, parse_deadline
from reporter.model.targets import Aggregation, Direction, Indicator, parse_target
from reporter.model.tasks import AnnualLedger, Task
from reporter.model.units import UnitDirectory
from reporter.rollup.regions import rollup_regions
from reporter.rollup.status import Status
from reporter.rollup.summary import summarise


@st.composite
def trees(draw):
    """A province, 1-4 cities, 1-4 counties each, and under some counties 1-3 towns (乡镇)."""
    rows = [{"code": "900000", "name": "乙省", "parent": "", "level": "省"}]
    for c in range(1, draw(st.integers(1, 4)) + 1):
        city = f"90{c:02d}00"
        rows.append({"code": city, "name": f"乙{c}市", "parent": "900000", "level": "市"})
        for k in range(1, draw(st.integers(1, 4)) + 1):
            county = f"90{c:02d}{k:02d}"
            rows.append({"code": county, "name": f"乙{c}市{k}县", "parent": city, "level": "县"})
            for t in range(1, draw(st.integers(0, 3)) + 1):
                rows.append({"code": f"{county}{t:03d}", "name": f"乙{c}市{k}县{t}镇", "parent": county,
                             "level": "乡"})
    return RegionTree.from_rows(rows)


def leaves_of(tree):
    return [r.code for r in tree if not tree.children(r.code)]


def make_task(code, agg, unit, target, leaves, **basis):
    indicator = Indicator(code, unit, Direction.HIGHER, None, agg, **basis)
    t = Task(code, code, target=parse_target(target, unit), indicator=indicator, lead="乙厅",
             deadline=parse_deadline("年底前", 2025))
    t.region_targets = {leaf: parse_target(target, unit) for leaf in leaves}
    t.region_units = {leaf: f"{leaf}政府" for leaf in leaves}
    return t


def ledger(tree):
    leaves = leaves_of(tree)
    tasks = [make_task("RATE", Aggregation.RATE, "%", "≥95%", leaves, numerator="入学人数", denominator="适龄儿童数"),
             make_task("MEAN", Aggregation.WEIGHTED_MEAN, "个", "4.5个", leaves, weight_base="常住人口"),
             make_task("SUM", Aggregation.SUM, "个", "100个", leaves),
             make_task("ALL", Aggregation.COUNT_MET, None, "全覆盖", leaves)]
    return AnnualLedger(2025, {t.code: t for t in tasks}, UnitDirectory(), tree)


maybe = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
positive = st.one_of(st.none(), st.floats(1, 1e6, allow_nan=False, allow_infinity=False))
report = st.tuples(st.booleans(), maybe, maybe, positive, st.sampled_from(["已完成", "正常推进", "滞后", None]))


@st.composite
def rounds(draw):
    tree = draw(trees())
    lg = ledger(tree)
    leaves = leaves_of(tree)
    reports = draw(st.lists(report, min_size=len(leaves), max_size=len(leaves)))
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    for leaf, (sent, value, numerator, denominator, status) in zip(leaves, reports):
        if not sent:
            continue
        rate = 100 * numerator / denominator if numerator is not None and denominator else value
        rl.rows[("RATE", leaf)] = RoundRow("RATE", leaf, submitter="县", value=rate, numerator=numerator,
                                           denominator=denominator)
        rl.rows[("MEAN", leaf)] = RoundRow("MEAN", leaf, submitter="县", value=value, weight=denominator)
        rl.rows[("SUM", leaf)] = RoundRow("SUM", leaf, submitter="县", value=value)
        rl.rows[("ALL", leaf)] = RoundRow("ALL", leaf, submitter="县", value=0.0, status=status)
    return rl


def below(tree, code):
    kids = tree.children(code)
    return [code] if not kids else [leaf for k in kids for leaf in below(tree, k.code)]


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-8)  # sums keep 12 significant digits


@settings(max_examples=80, deadline=None)
@given(rounds())
def test_a_parent_rate_is_the_sum_of_numerators_over_the_sum_of_denominators_of_those_that_gave_both(rl):
    tree, rolled = rl.ledger.regions, rollup_regions(rl)
    for region in tree:
        kids = tree.children(region.code)
        if not kids:
            continue
        rows = [rl.rows[("RATE", leaf)] for leaf in below(tree, region.code)]
        both = [r for r in rows if r.numerator is not None and r.denominator]
        node = rolled[("RATE", region.code)]
        if both:
            assert close(node.value, 100 * sum(r.numerator for r in both) / sum(r.denominator for r in both))
            covered = sum(rolled[("RATE", k.code)].has_parts for k in kids)
            assert node.covered == covered
            if len(kids) == 1 and tree.children(kids[0].code):  # one city: the province says what it says
                assert node.note == rolled[("RATE", kids[0].code)].note
            else:
                assert f"{len(kids)} 个" in node.note and f"中 {covered} 个报送分子、分母" in node.note
        else:
            assert node.value is None and "不能汇总" in node.note


@settings(max_examples=80, deadline=None)
@given(rounds())
def test_a_weighted_mean_weighs_exactly_the_regions_that_gave_value_and_weight(rl):
    tree, rolled = rl.ledger.regions, rollup_regions(rl)
    for region in tree:
        if not tree.children(region.code):
            continue
        rows = [rl.rows[("MEAN", leaf)] for leaf in below(tree, region.code)]
        both = [r for r in rows if r.value is not None and r.weight]
        node = rolled[("MEAN", region.code)]
        if both:
            assert close(node.value, sum(r.value * r.weight for r in both) / sum(r.weight for r in both))
        else:
            assert node.value is None


@settings(max_examples=80, deadline=None)
@given(rounds())
def test_a_sum_is_the_sum_of_the_regions_that_reported_and_nothing_qualitative_is_summed(rl):
    tree, rolled = rl.ledger.regions, rollup_regions(rl)
    for region in tree:
        if not tree.children(region.code):
            continue
        leaves = below(tree, region.code)
        values = [rl.rows[("SUM", leaf)].value for leaf in leaves if rl.rows[("SUM", leaf)].value is not None]
        node = rolled[("SUM", region.code)]
        assert (node.value is None) == (not values)
        if values:
            assert abs(node.value - sum(values)) <= 1e-6 * max(1.0, node.value)
        counted = rolled[("ALL", region.code)]
        done = sum(rl.rows[("ALL", leaf)].status == "已完成" for leaf in leaves)
        assert counted.value is None and counted.target is None  # a count of regions is never 累计完成
        assert (counted.met, counted.expected) == (done, len(leaves))
        assert counted.note.endswith(f"中 {done} 个已完成")


def test_coverage_is_worded_with_the_childrens_level():
    tree = RegionTree.from_rows(
        [{"code": "900000", "name": "乙省", "parent": "", "level": "省"},
         {"code": "900100", "name": "乙市", "parent": "900000", "level": "市"}]
        + [{"code": f"90010{k}", "name": f"乙{k}县", "parent": "900100", "level": "县"} for k in range(1, 6)])
    rl = RoundLedger(ledger(tree), Round(2025, 5), rows=expected_rows(ledger(tree)))
    parts = [(90, 100), (45, 50), (None, None), (10, 40), (30, 30)]
    for k, (num, den) in enumerate(parts, start=1):
        rate = 100 * num / den if den else 88.0  # 3县 gives only its rate
        rl.rows[("RATE", f"90010{k}")] = RoundRow("RATE", f"90010{k}", submitter="县", value=rate,
                                                  numerator=num, denominator=den)
    node = rollup_regions(rl)[("RATE", "900100")]
    assert close(node.value, 100 * 175 / 220)  # 79.545…%, printed 79.5%; not the mean of the rates (78.6%)
    assert node.note == "按 5 个县市区中 4 个报送分子、分母的计算"


def test_a_qualitative_task_split_to_regions_is_judged_on_the_share_done():
    tree = RegionTree.from_rows(
        [{"code": "900000", "name": "乙省", "parent": "", "level": "省"}]
        + [{"code": f"90000{k}", "name": f"乙{k}县", "parent": "900000", "level": "县"} for k in range(1, 7)])
    lg = ledger(tree)
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    for k, status in enumerate(["已完成", "已完成", "已完成", "已完成", "正常推进", "滞后"], start=1):
        rl.rows[("ALL", f"90000{k}")] = RoundRow("ALL", f"90000{k}", submitter="县", status=status)
    ro = summarise(rl)
    assert ro.task_figure(lg.tasks["ALL"]) == (None, "6 个县市区中 4 个已完成")
    judged = ro.tasks["ALL"]
    assert judged.completion == 100 * 4 / 6 and judged.status is Status.AHEAD  # 66.7% done, 序时 41.4%
    for k in range(1, 7):
        rl.rows[("ALL", f"90000{k}")].status = "已完成"
    assert summarise(rl).tasks["ALL"].status is Status.DONE_EARLY
    assert rl.rows[("ALL", TOTAL)].submitter is None  # judged from its regions: the lead sent no whole row


def test_a_number_typed_for_a_qualitative_target_is_never_shown_as_its_figure():
    """A lead writes 0 in 累计完成 of an 应保尽保 task: documents show the status it reported, not '0'."""
    from reporter.render.bulletin import task_table
    from reporter.render.notices import lagging_by_unit

    tree = RegionTree.from_rows([{"code": "900000", "name": "乙省", "parent": "", "level": "省"}])
    task = Task("Q1", "困难群众应保尽保", target=parse_target("应保尽保"), lead="乙厅",
                deadline=parse_deadline("6月底前", 2025),
                indicator=Indicator("Q1", None, Direction.HIGHER, None, Aggregation.COUNT_MET))
    lg = AnnualLedger(2025, {"Q1": task}, UnitDirectory(), tree)
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    rl.rows[("Q1", TOTAL)] = RoundRow("Q1", TOTAL, owner="乙厅", submitter="乙厅", value=0.0, raw_value="0",
                                      status="滞后", problems="资金未到位")
    ro = summarise(rl)
    assert task_table(ro).rows[0][5] == "滞后"
    assert [r["累计完成"] for r in ro.lagging()] == [None]
    assert [r.value for r in lagging_by_unit(ro)["乙厅"]] == ["滞后"]


def test_a_number_left_blank_for_a_quantitative_target_shows_a_dash_not_the_status():
    """县住建局 leaves 累计完成 of its 120户 task blank and writes 滞后: 累计完成 is '—' in 附件1 and the notice,
    the status has its own column (only a qualitative target shows its status in place of a figure)."""
    from reporter.render.bulletin import TASK_HEADERS, task_table
    from reporter.render.notices import lagging_by_unit

    tree = RegionTree.from_rows([{"code": "421224", "name": "通山县", "parent": "", "level": "县"}])
    task = Task("TS-05", "农村低收入群体危房改造", target=parse_target("120户"), lead="县住建局",
                deadline=parse_deadline("2025年10月底", 2025),
                indicator=Indicator("危房改造户数", "户", Direction.HIGHER, None, Aggregation.SUM))
    lg = AnnualLedger(2025, {"TS-05": task}, UnitDirectory(), tree)
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    rl.rows[("TS-05", TOTAL)] = RoundRow("TS-05", TOTAL, owner="县住建局", submitter="县住建局", status="滞后")
    ro = summarise(rl)
    row = dict(zip(TASK_HEADERS, task_table(ro).rows[0]))
    assert row["累计完成"] == "—" and row["状态"] == ro.tasks["TS-05"].status.value
    assert [r.value for r in lagging_by_unit(ro)["县住建局"]] == ["—"]


def test_the_sample_years_rates_roll_up_from_the_parts_its_units_sent(sample_round, sample_rollup):
    """The sample's 咸宁市 counties send 分子/分母 (most of them) beside their rates: the city's rate is
    Σ分子/Σ分母 of those that did, worked out here from truth.json, the figures the generator wrote."""
    import json

    truth = json.loads((sample_round / "2025-05" / "样例报送" / "truth.json").read_text(encoding="utf-8"))
    rows = [r for f in truth["files"] for r in f["rows"]] if "files" in truth else truth["rows"]
    ro = sample_rollup
    checked = 0
    for code, city in (("MS2025-016", "421200"), ("MS2025-057", "421200"), ("MS2025-089", "420100")):
        mine = {r["region"]: r for r in rows if r["task"] == code and r.get("region")}
        parts = [(r["numerator"], r["denominator"]) for r in mine.values() if r.get("denominator")]
        node = ro.rolled[(code, city)]
        assert close(node.value, 100 * sum(n for n, _ in parts) / sum(d for _, d in parts))
        assert node.note.endswith(f"中 {len(parts)} 个报送分子、分母的计算")
        assert ro.rolled[(code, "420000")].value == node.value  # the province: the one city it is split under
        checked += 1
    assert checked == 3
