"""Invariants of the region rollup, checked on random data (hypothesis)."""
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reporter.ledger.round import RoundLedger, RoundRow, expected_rows
from reporter.model.regions import RegionTree
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
