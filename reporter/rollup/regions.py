"""Roll task values up the region hierarchy, any depth, by each indicator's own rule.

- 求和 (SUM): children's values are added; targets too.
- 比率 (RATE): recomputed from the numerator and denominator indicators named in the ledger's 汇总依据
  (分子:…;分母:…), themselves summed — never a sum or plain mean of the rates. Without them: not rolled up.
- 加权平均 (WEIGHTED_MEAN): weighted by the named base indicator's values. Without them: not rolled up.
- 最小值 / 最大值: min / max of the children.
- 达标个数 (COUNT_MET, qualitative): how many children meet their target, out of how many.
- 不汇总 (NONE): no parent value.
A region that reported its own figure and whose children reported too is compared with their rollup; a
difference beyond rounding (0.5%) is a finding. The effective value passed upward is the children's rollup
when any child reported, else the region's own figure.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..ledger.round import TOTAL, RoundLedger
from ..model import findings as F
from ..model.targets import Aggregation
from ..model.tasks import Task

TOLERANCE = 0.005  # relative difference accepted as rounding


@dataclass(slots=True)
class RegionValue:
    task: str
    region: str  # region code
    value: float | None = None  # the figure passed upward (children's rollup, else its own)
    target: float | None = None
    own: float | None = None  # what the region itself reported
    reported: int = 0  # leaf regions under it (or itself) that reported a value
    expected: int = 0  # leaf regions under it (or itself)
    met: int = 0  # COUNT_MET: children meeting their target
    children: int = 0
    note: str = ""


def rollup_regions(rl: RoundLedger, findings: F.Findings | None = None,
                   leaves: bool = True) -> dict[tuple[str, str], RegionValue]:
    """(task code, region code) → RegionValue for every decomposed task's regions and their ancestors.

    With leaves=False only the regions that have children are returned (a leaf is its own reported row).
    """
    findings = findings if findings is not None else F.Findings()
    out: dict[tuple[str, str], RegionValue] = {}
    by_indicator = {t.indicator.name: t for t in rl.ledger if t.indicator}
    done: dict[str, dict[str, RegionValue]] = {}
    for task in rl.ledger:
        if task.region_targets:
            nodes = _roll_task(rl, task, by_indicator, done, findings)
            out.update({(task.code, code): node for code, node in nodes.items() if leaves or node.children})
    return out


def leaf_value(rl: RoundLedger, task: Task, code: str) -> RegionValue:
    """The RegionValue of a region with no children under the task: its own reported row."""
    row = rl.rows.get((task.code, code))
    value = row.value if row else None
    target = task.region_targets.get(code)
    return RegionValue(task.code, code, value, target.value if target and target.is_numeric else None, value,
                       int(value is not None), 1)


# Rounds with more rows than this roll up in a forked process while the parent judges the rows.
PARALLEL_ROWS = 100_000
_FORKED: RoundLedger | None = None


def rollup_regions_async(rl: RoundLedger, parallel_rows: int = PARALLEL_ROWS):
    """Start the region rollup (parents only) and return a function that waits for it.

    A national round (600k rows) spends as long rolling up as judging; on two cores the two overlap. The
    child is forked, so it shares the round without copying; only the parent nodes travel back.
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if len(rl.rows) < parallel_rows or "fork" not in mp.get_all_start_methods():
        findings = F.Findings()
        result = rollup_regions(rl, findings, leaves=False)
        return lambda: (result, findings)
    global _FORKED
    _FORKED = rl
    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
    future = pool.submit(_rollup_forked)

    def wait():
        global _FORKED
        try:
            return future.result()
        finally:
            pool.shutdown()
            _FORKED = None
    return wait


def _rollup_forked():
    findings = F.Findings()
    return rollup_regions(_FORKED, findings, leaves=False), findings


def _roll_task(rl: RoundLedger, task: Task, by_indicator: dict[str, Task], done: dict[str, dict[str, RegionValue]],
               findings: F.Findings) -> dict[str, RegionValue]:
    if task.code in done:
        return done[task.code]
    tree = rl.ledger.regions
    nodes: dict[str, RegionValue] = {}
    children: dict[str, list[str]] = {}
    rows, chain, code_ = rl.rows, tree.chain, task.code  # locals: this loop runs once per task × leaf region
    for code, target in task.region_targets.items():
        row = rows.get((code_, code))
        value = row.value if row else None
        nodes[code] = RegionValue(code_, code, value, target.value if target.is_numeric else None, value,
                                  int(value is not None), 1)
        below = code
        for anc in reversed(chain(code)):  # walk up until an ancestor is already known
            children.setdefault(anc, []).append(below)
            if anc in nodes:
                break
            own_row = rows.get((code_, anc))
            nodes[anc] = RegionValue(code_, anc, own=own_row.value if own_row else None)
            below = anc
    aggregation = task.indicator.aggregation if task.indicator else Aggregation.NONE
    weights = _helpers(rl, task, aggregation, by_indicator, done, findings)
    for code in sorted(children, key=lambda c: -len(tree.chain(c))):  # deepest parents first
        _combine(nodes[code], [nodes[c] for c in children[code]], aggregation, weights, task)
        _compare(rl, task, nodes[code], findings)
    done[task.code] = nodes
    return nodes


def _helpers(rl, task, aggregation, by_indicator, done, findings):
    """Rolled-up numerator/denominator or weight-base values a rate or weighted mean needs, or None."""
    ind = task.indicator
    names = ((ind.numerator, ind.denominator) if aggregation is Aggregation.RATE
             else (ind.weight_base,) if aggregation is Aggregation.WEIGHTED_MEAN else ())
    if not names:
        return None
    tasks = [by_indicator.get(n) if n else None for n in names]
    if not all(t is not None and t.region_targets for t in tasks):
        findings.add(F.ROLLUP_NOT_AGGREGABLE, f"任务“{task.code} {task.name}”的{aggregation.value}指标缺少"
                                              f"{'、'.join(n or '（未注明）' for n in names)}的分地区数据，上级数值不计算。",
                     field="汇总依据", value=task.code)
        return None
    return [_roll_task(rl, t, by_indicator, done, findings) for t in tasks]


def _combine(parent: RegionValue, kids: list[RegionValue], aggregation: Aggregation, helpers, task: Task) -> None:
    parent.children = len(kids)
    parent.reported = sum(k.reported for k in kids)
    parent.expected = sum(k.expected for k in kids)
    values = [k.value for k in kids if k.value is not None]
    targets = [k.target for k in kids]
    if aggregation is Aggregation.SUM:
        agg = sum(values) if values else None
        parent.target = sum(targets) if targets and all(t is not None for t in targets) else parent.target
    elif aggregation in (Aggregation.MIN, Aggregation.MAX):
        pick = min if aggregation is Aggregation.MIN else max
        agg = pick(values) if values else None
        parent.target = pick(targets) if targets and all(t is not None for t in targets) else parent.target
    elif aggregation is Aggregation.COUNT_MET:
        parent.met = sum(_meets(task, k) for k in kids)
        agg, parent.target = float(parent.met), float(len(kids))
    elif aggregation in (Aggregation.RATE, Aggregation.WEIGHTED_MEAN) and helpers is not None:
        agg = _ratio(parent, kids, aggregation, helpers)
    else:
        agg = None
        parent.note = "该指标不汇总" if aggregation is Aggregation.NONE else "缺少分子分母或权重数据，不汇总"
    parent.value = agg if agg is not None else parent.own


def _ratio(parent: RegionValue, kids: list[RegionValue], aggregation: Aggregation, helpers) -> float | None:
    if aggregation is Aggregation.RATE:
        num, den = (h.get(parent.region) for h in helpers)
        if num and den and num.value is not None and den.value:
            return 100.0 * num.value / den.value
        return None
    base = helpers[0]
    pairs = [(k.value, base[k.region].value) for k in kids
             if k.value is not None and k.region in base and base[k.region].value]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def _meets(task: Task, node: RegionValue) -> bool:
    target = task.region_targets.get(node.region)
    if target is None:
        return False
    if node.value is not None and target.is_numeric:
        return bool(target.is_met(node.value))
    return False


def _compare(rl: RoundLedger, task: Task, node: RegionValue, findings: F.Findings) -> None:
    """A region's own figure against its children's rollup."""
    if node.own is not None and node.value is not None and node.reported:
        region = rl.ledger.regions.get(node.region)
        _mismatch(rl, task, node.region, region.name if region else node.region, node.own, node.value, findings)


def _mismatch(rl: RoundLedger, task: Task, key: str, who: str, own: float, rolled: float,
              findings: F.Findings) -> None:
    if abs(own - rolled) <= TOLERANCE * max(abs(rolled), abs(own)):
        return
    row = rl.rows.get((task.code, key))
    src = row.sources.get("value") if row else None
    findings.add(F.ROLLUP_MISMATCH, f"任务“{task.code}”{who}报送 {own:g}，下级汇总为 {rolled:g}。",
                 file=src.file if src else "", sheet=src.sheet if src else "", cell=src.cell if src else "",
                 field="累计完成", value=f"{own:g}")


def compare_totals(rl: RoundLedger, rolled: dict[tuple[str, str], RegionValue], findings: F.Findings) -> None:
    """The lead's whole-task figure against the rollup of the region it was split under."""
    for task in rl.ledger:
        whole = rl.ledger.whole_region(task) if task.region_targets else None
        node = rolled.get((task.code, whole.code)) if whole else None
        total = rl.rows.get((task.code, TOTAL))
        if node and total and total.value is not None and node.value is not None and node.reported:
            _mismatch(rl, task, TOTAL, f"{rl.ledger.units.match(task.lead).label if rl.ledger.units.match(task.lead) else task.lead}（全部）",
                      total.value, node.value, findings)


def leaves(rolled: Iterable[RegionValue]) -> list[RegionValue]:
    return [n for n in rolled if n.children == 0]
