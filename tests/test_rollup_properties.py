"""Invariants of the region rollup, checked on random data (hypothesis)."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.model.regions import RegionTree
from reporter.model.round_ledger import RoundLedger, RoundRow, expected_rows
from reporter.model.schedule import Round, parse_deadline
from reporter.model.targets import Aggregation, Direction, Indicator, parse_target
from reporter.model.tasks import AnnualLedger, Task
from reporter.model.units import UnitDirectory
from reporter.rollup.regions import rollup_regions

TREE = RegionTree.from_rows(
    [{"code": "100000", "name": "甲省", "parent": ""}]
    + [{"code": f"10{c}00", "name": f"甲省{c}市", "parent": "100000"} for c in "1234"]
    + [{"code": f"10{c}0{k}", "name": f"甲省{c}市{k}县", "parent": f"10{c}00"} for c in "1234" for k in "123"]
)
LEAVES = [r.code for r in TREE if r.code.endswith(("1", "2", "3")) and not r.code.endswith("00")]


def task(code, agg, unit="个", basis=None, name=None):
    target = parse_target("100", unit)
    num, den = basis or (None, None)
    indicator = Indicator(name or code, unit, Direction.HIGHER, None, agg, numerator=num, denominator=den)
    t = Task(code, name or code, target=target, indicator=indicator, lead="甲厅", deadline=parse_deadline("年底前", 2025))
    t.region_targets = {leaf: parse_target("10", unit) for leaf in LEAVES}
    t.region_units = {leaf: f"{leaf}政府" for leaf in LEAVES}
    return t


def ledger():
    tasks = [task("S", Aggregation.SUM), task("N", Aggregation.SUM, name="分子数"),
             task("D", Aggregation.SUM, name="分母数"), task("R", Aggregation.RATE, "%", ("分子数", "分母数")),
             task("M", Aggregation.MAX)]
    return AnnualLedger(2025, {t.code: t for t in tasks}, UnitDirectory(), TREE)


values = st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), min_size=len(LEAVES),
                  max_size=len(LEAVES))
positive = st.lists(st.floats(1, 1e6, allow_nan=False), min_size=len(LEAVES), max_size=len(LEAVES))


def round_ledger(lg, per_task, order_seed=None):
    rl = RoundLedger(lg, Round(2025, 5), rows=expected_rows(lg))
    items = [(code, leaf, v) for code, vals in per_task.items() for leaf, v in zip(LEAVES, vals)]
    if order_seed is not None:
        random.Random(order_seed).shuffle(items)
    for code, leaf, v in items:
        rl.rows[(code, leaf)] = RoundRow(code, leaf, submitter="x" if v is not None else None, value=v)
    return rl


@settings(max_examples=60, deadline=None)
@given(values)
def test_parent_additive_value_is_the_sum_of_its_children(vals):
    rolled = rollup_regions(round_ledger(ledger(), {"S": vals}))
    for region in TREE:
        kids = TREE.children(region.code)
        if not kids:
            continue
        node = rolled[("S", region.code)]
        child_values = [rolled[("S", k.code)].value for k in kids if rolled[("S", k.code)].value is not None]
        assert (node.value is None) == (not child_values)
        if child_values:
            assert abs(node.value - sum(child_values)) <= 1e-6 * max(1.0, abs(node.value))
        leaves_below = sum(1 for d in TREE.descendants(region.code) if d.code in LEAVES)
        assert node.target == 10 * leaves_below  # targets roll up by the same rule


@settings(max_examples=60, deadline=None)
@given(positive, positive)
def test_rates_are_recomputed_from_numerator_and_denominator(num, den):
    rates = [100 * n / d for n, d in zip(num, den)]
    rolled = rollup_regions(round_ledger(ledger(), {"N": num, "D": den, "R": rates}))
    top = rolled[("R", "100000")].value
    assert abs(top - 100 * sum(num) / sum(den)) <= 1e-6 * top
    mean_of_rates = sum(rates) / len(rates)
    if abs(mean_of_rates - top) > 1e-6 * top:
        assert top != mean_of_rates  # never the plain mean of the children's rates


@settings(max_examples=30, deadline=None)
@given(values, values, st.integers(0, 10_000))
def test_results_do_not_depend_on_input_order(a, b, seed):
    lg = ledger()
    first = rollup_regions(round_ledger(lg, {"S": a, "M": b}))
    second = rollup_regions(round_ledger(lg, {"S": a, "M": b}, order_seed=seed))
    assert {k: (v.value, v.target, v.reported) for k, v in first.items()} == \
        {k: (v.value, v.target, v.reported) for k, v in second.items()}


@settings(max_examples=20, deadline=None)
@given(values)
def test_rerunning_is_idempotent(vals):
    rl = round_ledger(ledger(), {"S": vals, "M": vals})
    once = {k: (v.value, v.target) for k, v in rollup_regions(rl).items()}
    twice = {k: (v.value, v.target) for k, v in rollup_regions(rl).items()}
    assert once == twice


def test_forked_rollup_equals_the_serial_one():
    from reporter.rollup.regions import rollup_regions_async

    vals = [float(i) for i in range(len(LEAVES))]
    rl = round_ledger(ledger(), {"S": vals, "N": vals, "D": [v + 1 for v in vals], "M": vals})
    serial, _ = rollup_regions_async(rl, parallel_rows=10**9)()
    forked, _ = rollup_regions_async(rl, parallel_rows=0)()
    assert {k: (v.value, v.target, v.reported) for k, v in serial.items()} == \
        {k: (v.value, v.target, v.reported) for k, v in forked.items()}
    assert all(v.children for v in forked.values())  # parents only: leaves are their own rows


# -- the array paths (national rounds) give the answers of the plain, row-by-row code ----------------------------
import sys  # noqa: E402
from dataclasses import astuple, replace  # noqa: E402
from unittest import mock  # noqa: E402

import pytest  # noqa: E402

from reporter.model import findings as F  # noqa: E402
from reporter.model.round_ledger import TOTAL  # noqa: E402
from reporter.rollup import regions as regions_module  # noqa: E402
from reporter.rollup.status import judge, judge_round, shown  # noqa: E402
from reporter.rollup.summary import summarise  # noqa: E402

CITIES = [r.code for r in TREE if r.code.endswith("00") and r.code != "100000"]
TARGET_TEXTS = ["100", "≥95%", "≤5.5%", "全覆盖", "0", "10"]
figures = st.one_of(st.none(), st.floats(-5, 150, allow_nan=False), st.sampled_from([0.0, -0.0, 10.0, 100.0]),
                    st.just(100.0 * (1 - 1e-12)), st.just(10.0 * (1 + 1e-11)), st.integers(0, 120),
                    st.just(2 ** 53 + 1))
row_spec = st.tuples(st.booleans(), st.booleans(), figures,  # row present, reported, value
                     st.sampled_from([None, "已完成", "正常推进", "滞后", "未启动"]))


def mixed_ledger(spec):
    """Tasks with assorted targets, directions and deadlines; regions: every county, some also a city."""
    tasks = []
    for n, (text, lower, deadline, agg, with_city) in enumerate(spec):
        unit = "%" if "%" in text else "个"
        direction = Direction.LOWER if lower else Direction.HIGHER
        t = Task(f"K{n}", f"K{n}", target=parse_target(text, unit), lead=f"厅{n % 2}",
                 deadline=parse_deadline(deadline, 2025),
                 indicator=Indicator(f"K{n}", unit, direction, None, agg))
        regions = ([CITIES[0]] if with_city else []) + LEAVES
        t.region_targets = {r: parse_target(TARGET_TEXTS[(n + i) % len(TARGET_TEXTS)], unit)
                            for i, r in enumerate(regions)}
        t.region_units = {r: f"{r}政府" for r in regions}
        tasks.append(t)
    return AnnualLedger(2025, {t.code: t for t in tasks}, UnitDirectory(), TREE)


task_spec = st.tuples(st.sampled_from(TARGET_TEXTS), st.booleans(), st.sampled_from(["6月底前", "年底前", "三季度末"]),
                      st.sampled_from([Aggregation.SUM, Aggregation.MIN, Aggregation.MAX, Aggregation.NONE,
                                       Aggregation.COUNT_MET]), st.booleans())


def mixed_round(lg, rows, month, totals=()):
    rl = RoundLedger(lg, Round(2025, month), rows={})
    keys = [(t.code, r) for t in lg for r in (TOTAL, *t.region_targets)]
    for (code, region), (present, reported, value, status) in zip(keys, rows * (len(keys) // len(rows) + 1)):
        if present:
            rl.rows[(code, region)] = RoundRow(code, region, owner=f"{region or code}单位", value=value, status=status,
                                               submitter="单位" if reported else None)
    for code, region, value in totals:  # cities and the province report their own figures too
        if code in lg.tasks:
            rl.rows[(code, region)] = RoundRow(code, region, owner="市", submitter="市", value=value)
    return rl


@settings(max_examples=60, deadline=None)
@given(st.lists(task_spec, min_size=1, max_size=4), st.lists(row_spec, min_size=1, max_size=40), st.integers(1, 12))
def test_judge_round_equals_judge_row_by_row(spec, rows, month):
    lg = mixed_ledger(spec)
    rl = mixed_round(lg, rows, month)
    expected = [((t.code, r), judge(t, t.target if r == TOTAL else t.region_targets[r], rl.rows[(t.code, r)], rl.round))
                for t in lg for r in (TOTAL, *t.region_targets) if (t.code, r) in rl.rows]
    judged = judge_round(rl)
    assert list(judged.items()) == expected
    assert len(judged) == len(expected) and all(judged[k] == j for k, j in expected)
    assert [j.reason for _, j in judged.items()] == [j.reason for _, j in expected]
    for block in judged.blocks:  # the fields the lagging list reads, without making Judgements
        which = list(range(len(block)))
        mine = [j for (code, _), j in expected if code == block.task]
        printed = [None if j.completion is None else shown(j.completion) for j in mine]  # 完成率 as printed
        assert list(zip(*block.fields(which))) == [(j.status, p, j.gap, j.reason) for j, p in zip(mine, printed)]


def _plain_rollup(rl, leaves):
    findings = F.Findings()
    with mock.patch.object(regions_module, "_ARRAY_RULES", frozenset()):
        return rollup_regions(rl, findings, leaves=leaves), findings


@settings(max_examples=60, deadline=None)
@given(st.lists(task_spec, min_size=1, max_size=4), st.lists(row_spec, min_size=1, max_size=40),
       st.lists(st.tuples(st.sampled_from(["K0", "K1", "K2"]), st.sampled_from(CITIES + ["100000"]),
                          st.one_of(st.none(), st.floats(0, 500, allow_nan=False))), max_size=6))
def test_array_rollup_equals_the_plain_one(spec, rows, totals):
    rl = mixed_round(mixed_ledger(spec), rows, 5, totals)
    for leaves in (True, False):
        findings = F.Findings()
        mine = rollup_regions(rl, findings, leaves=leaves)
        plain, plain_findings = _plain_rollup(rl, leaves)
        assert list(mine) == list(plain)
        if sys.version_info < (3, 12):  # to the bit, −0.0 too
            assert [repr(astuple(v)) for v in mine.values()] == [repr(astuple(v)) for v in plain.values()]
        else:  # sum() compensates rounding from 3.12 on; numpy adds left to right
            assert all(astuple(a) == pytest.approx(astuple(b)) for a, b in zip(mine.values(), plain.values()))
        assert [(f.code, f.message) for f in findings] == [(f.code, f.message) for f in plain_findings]


@settings(max_examples=30, deadline=None)
@given(st.lists(task_spec, min_size=1, max_size=4), st.lists(row_spec, min_size=1, max_size=40), st.integers(1, 12),
       st.dictionaries(st.tuples(st.sampled_from(["K0", "K1"]), st.sampled_from([TOTAL, *LEAVES])),
                       st.integers(0, 4), max_size=8))
def test_summary_from_arrays_equals_the_row_by_row_one(spec, rows, month, history):
    rl = mixed_round(mixed_ledger(spec), rows, month)
    for task in rl.ledger:  # every whole-task row exists (summarise reads it)
        rl.rows.setdefault((task.code, TOTAL), RoundRow(task.code, TOTAL, owner=task.lead))
    ro = summarise(rl, consecutive=history)
    plain = replace(ro, judgements=dict(ro.judgements.items()))  # any mapping: the row-by-row code runs
    for depth in (0, 1, 2, 3):
        assert list(ro.region_groups(depth).items()) == list(plain.region_groups(depth).items())
        assert ro.region_ranking(depth) == plain.region_ranking(depth)
    assert ro.unit_ranking() == plain.unit_ranking()
    assert [list(d.items()) for d in ro.lagging()] == [list(d.items()) for d in plain.lagging()]
    expected_runs = dict(history)
    for key, j in ro.judgements.items():
        if j.status.lagging:
            expected_runs.setdefault(key, 1)
    assert list(ro.consecutive.items()) == list(expected_runs.items())
