"""Roll task values up the region hierarchy, any depth, by each indicator's own rule.

- 求和 (SUM): children's values are added; targets too.
- 比率 (RATE): Σ分子 / Σ分母 over exactly the children that reported both parts (each row's own 分子 and 分母,
  or the numerator and denominator indicators named in the ledger's 汇总依据 when the ledger has them as
  tasks of their own) — never a sum or plain mean of the rates. How many children that covers is stated
  ("5 个县市区中 4 个"); when none did, the parent has no rate and its note says why.
- 加权平均 (WEIGHTED_MEAN): Σ(数值×权重) / Σ权重 over the children that reported both, likewise.
- 最小值 / 最大值: min / max of the children.
- 达标个数 (COUNT_MET, qualitative): how many leaf regions are done (已完成, or a numeric target met) out of
  how many; never a number passed off as 累计完成 (the parent's value stays None).
- 不汇总 (NONE): no parent value.
A region that reported its own figure and whose children reported too is compared with their rollup; a
difference beyond rounding (0.5%) is a finding. The effective value passed upward is the children's rollup
when any child reported, else the region's own figure.
Sums, minima, maxima and 不汇总 of a national round are worked out with numpy arrays (_Arrays below), the
other rules region by region; both give the same nodes (tests/test_rollup_properties.py checks it).
"""
from __future__ import annotations

import math
import operator
from itertools import repeat
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

import numpy as np

from ..model import findings as F
from ..model.office import children_word
from ..model.round_ledger import TOTAL, RoundLedger
from ..model.targets import Aggregation, rate_scale
from ..model.tasks import Task
from .status import rows_by_task

TOLERANCE = 0.005  # relative difference accepted as rounding
DIGITS = 12  # sums keep this many significant digits: 4.72, not 4.720000000000001, in every output


def tidy_array(a: np.ndarray) -> np.ndarray:
    """Figures to DIGITS significant digits (binary noise of sums gone); 0, NaN and ±inf as they are."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = 10.0 ** (DIGITS - 1 - np.floor(np.log10(np.abs(a))))
        out = np.round(a * scale) / scale
    return np.where(np.isfinite(out) & (a != 0), out, a)


def tidy(x: float | None) -> float | None:
    """A sum or quotient without binary noise, rounded as the array path rounds."""
    return None if x is None else float(tidy_array(np.array([x], dtype=float))[0])


@dataclass(slots=True)
class RegionValue:
    task: str
    region: str  # region code
    value: float | None = None  # the figure passed upward (children's rollup, else its own)
    target: float | None = None
    own: float | None = None  # what the region itself reported
    reported: int = 0  # leaf regions under it (or itself) that reported a value
    expected: int = 0  # leaf regions under it (or itself)
    met: int = 0  # COUNT_MET: leaf regions under it (or itself) that are done
    children: int = 0
    note: str = ""
    # 比率: Σ分子 and Σ分母 of the children that reported both; 加权平均: Σ数值×权重 and Σ权重
    numerator: float | None = None
    denominator: float | None = None
    covered: int = 0  # children whose parts went into the parent's rate or weighted mean
    leaf_word: str = ""  # what the leaf regions under it are called (县市区, 乡镇（街道）…), for the notes

    @property
    def has_parts(self) -> bool:
        return self.numerator is not None and bool(self.denominator)


def rollup_regions(rl: RoundLedger, findings: F.Findings | None = None, leaves: bool = True,
                   rows: Mapping[str, tuple[tuple[str, ...], list]] | None = None) -> dict[tuple[str, str], RegionValue]:
    """(task code, region code) → RegionValue for every decomposed task's regions and their ancestors.

    With leaves=False only the regions that have children are returned (a leaf is its own reported row).
    `rows` is status.rows_by_task(rl), when the caller has it already.
    """
    findings = findings if findings is not None else F.Findings()
    out: dict[tuple[str, str], RegionValue] = {}
    by_indicator = {t.indicator.name: t for t in rl.ledger if t.indicator}
    done: dict[str, Mapping[str, RegionValue]] = {}
    arrays = _Arrays(rl, rows)
    for task in rl.ledger:
        if task.region_targets:
            nodes = _roll_task(rl, task, by_indicator, done, findings, arrays)
            if not leaves and isinstance(nodes, _ArrayNodes):
                out.update({(task.code, code): node for code, node in nodes.parent_items()})
            else:
                out.update({(task.code, code): node for code, node in nodes.items() if leaves or node.children})
    return out


def leaf_value(rl: RoundLedger, task: Task, code: str) -> RegionValue:
    """The RegionValue of a region with no children under the task: its own reported row."""
    row = rl.rows.get((task.code, code))
    value = row.value if row else None
    target = task.region_targets.get(code)
    node = RegionValue(task.code, code, value, target.value if target and target.is_numeric else None, value,
                       int(value is not None), 1)
    _leaf_extras(node, task, row, target)
    return node


def _aggregation(task: Task) -> Aggregation:
    return task.indicator.aggregation if task.indicator else Aggregation.NONE


def _parts(aggregation: Aggregation, row) -> tuple[float | None, float | None]:
    """A row's own (分子, 分母) for a rate, (数值×权重, 权重) for a weighted mean; (None, None) without both."""
    if row is None:
        return None, None
    if aggregation is Aggregation.RATE and row.numerator is not None and row.denominator:
        return row.numerator, row.denominator
    if aggregation is Aggregation.WEIGHTED_MEAN and row.value is not None and row.weight:
        return row.value * row.weight, row.weight
    return None, None


def _leaf_extras(node: RegionValue, task: Task, row, target) -> None:
    """What a leaf passes up besides its value: its parts (比率, 加权平均) or whether it is done (达标个数)."""
    aggregation = _aggregation(task)
    if aggregation is Aggregation.COUNT_MET:
        node.met = int(_done(task, target, row))
        node.reported = int(row is not None and row.submitter is not None)  # a status is a report here
        if target is None or not target.is_numeric:  # never a 0 for a wording
            node.value = node.own = None
    elif aggregation in (Aggregation.RATE, Aggregation.WEIGHTED_MEAN):
        node.numerator, node.denominator = _parts(aggregation, row)


def _done(task: Task, target, row) -> bool:
    """A qualitative row is done when its unit says 已完成; a numeric one when the figure meets the target."""
    if row is None or row.submitter is None:
        return False
    if target is not None and target.is_numeric and row.value is not None:
        return bool(task.meets(target, row.value))
    return row.status == "已完成"


# Rounds with more rows than this roll up in a forked process while the parent judges the rows.
PARALLEL_ROWS = 100_000
_FORKED: RoundLedger | None = None


def rollup_regions_async(rl: RoundLedger, parallel_rows: int = PARALLEL_ROWS):
    """Start the region rollup (parents only) and return a function that waits for it.

    The child is forked, so it shares the round without copying; only the parent nodes travel back.
    summarise no longer uses it: with the array path a national rollup takes a few tenths of a second, less
    than the fork costs (copy-on-write of the parent's heap, the nodes pickled back).
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


def _roll_task(rl: RoundLedger, task: Task, by_indicator: dict[str, Task], done: dict[str, Mapping[str, RegionValue]],
               findings: F.Findings, arrays: "_Arrays | None" = None) -> Mapping[str, RegionValue]:
    if task.code in done:
        return done[task.code]
    aggregation = task.indicator.aggregation if task.indicator else Aggregation.NONE
    if arrays is not None and aggregation in _ARRAY_RULES:
        nodes = arrays.roll(task, aggregation, findings)
        if nodes is not None:
            done[task.code] = nodes
            return nodes
    tree = rl.ledger.regions
    nodes: dict[str, RegionValue] = {}
    children: dict[str, list[str]] = {}
    rows, chain, code_ = rl.rows, tree.chain, task.code  # locals: this loop runs once per task × leaf region
    for code, target in task.region_targets.items():
        row = rows.get((code_, code))
        value = row.value if row else None
        nodes[code] = RegionValue(code_, code, value, target.value if target.is_numeric else None, value,
                                  int(value is not None), 1)
        _leaf_extras(nodes[code], task, row, target)
        below = code
        for anc in reversed(chain(code)):  # walk up until an ancestor is already known
            children.setdefault(anc, []).append(below)
            if anc in nodes:
                break
            own_row = rows.get((code_, anc))
            nodes[anc] = RegionValue(code_, anc, own=own_row.value if own_row else None)
            nodes[anc].numerator, nodes[anc].denominator = _parts(aggregation, own_row)
            below = anc
    leaves_have_parts = any(nodes[c].has_parts for c in task.region_targets)
    weights = None if leaves_have_parts else _helpers(rl, task, aggregation, by_indicator, done, findings, arrays)
    for code in sorted(children, key=lambda c: -len(tree.chain(c))):  # deepest parents first
        _combine(nodes[code], [nodes[c] for c in children[code]], aggregation, weights, task, tree)
        _compare(rl, task, nodes[code], findings)
    done[task.code] = nodes
    return nodes


def _helpers(rl, task, aggregation, by_indicator, done, findings, arrays=None):
    """Rolled-up numerator/denominator or weight-base values a rate or weighted mean needs, or None."""
    ind = task.indicator
    names = ((ind.numerator, ind.denominator) if aggregation is Aggregation.RATE
             else (ind.weight_base,) if aggregation is Aggregation.WEIGHTED_MEAN else ())
    if not names:
        return None
    tasks = [by_indicator.get(n) if n else None for n in names]
    if not all(t is not None and t.region_targets for t in tasks):
        asked = "分子、分母" if aggregation is Aggregation.RATE else "权重"
        findings.add(F.ROLLUP_NOT_AGGREGABLE, f"任务“{task.code} {task.name}”的{aggregation.value}指标，各地区都没有报送"
                                              f"{asked}（{'、'.join(n or '未注明' for n in names)}），上级数值不计算。",
                     field="汇总依据", value=task.code)
        return None
    return [_roll_task(rl, t, by_indicator, done, findings, arrays) for t in tasks]


def _combine(parent: RegionValue, kids: list[RegionValue], aggregation: Aggregation, helpers, task: Task,
             tree=None) -> None:
    parent.children = len(kids)
    parent.reported = sum(k.reported for k in kids)
    parent.expected = sum(k.expected for k in kids)
    values = [k.value for k in kids if k.value is not None]
    targets = [k.target for k in kids]
    if aggregation is Aggregation.SUM:
        agg = tidy(sum(values)) if values else None
        parent.target = tidy(sum(targets)) if targets and all(t is not None for t in targets) else parent.target
    elif aggregation in (Aggregation.MIN, Aggregation.MAX):
        pick = min if aggregation is Aggregation.MIN else max
        agg = pick(values) if values else None
        parent.target = pick(targets) if targets and all(t is not None for t in targets) else parent.target
    elif aggregation is Aggregation.COUNT_MET:
        parent.met = sum(k.met for k in kids)
        parent.leaf_word = kids[-1].leaf_word or _word(tree, kids[-1].region)
        parent.note = f"{parent.expected} 个{parent.leaf_word}中 {parent.met} 个已完成"
        agg = None  # a count of regions is not 累计完成: the parent's figure is the note
    elif aggregation in (Aggregation.RATE, Aggregation.WEIGHTED_MEAN) and helpers is not None:
        agg = _ratio(parent, kids, aggregation, helpers, task)
    elif aggregation in (Aggregation.RATE, Aggregation.WEIGHTED_MEAN):
        agg = _from_parts(parent, kids, aggregation, task, tree)
    else:
        agg = None
        parent.note = "该指标不汇总"
    parent.value = agg if agg is not None else parent.own


def _word(tree, code: str) -> str:
    """What regions of a code's level are called in a sentence: 市州, 县市区, 乡镇（街道）, else 地区."""
    region = tree.get(code) if tree is not None else None
    level = region.level if region else ""
    if level in ("乡", "镇", "乡镇", "街道"):  # 乡镇 / 街道 / 乡镇（街道） as the county's own towns are named
        return children_word(tree.children(region.parent) if region.parent in tree else [region], "县")
    return {"市": "市州", "县": "县市区"}.get(level, "地区")


def _from_parts(parent: RegionValue, kids: list[RegionValue], aggregation: Aggregation, task: Task,
                tree) -> float | None:
    """Σ分子/Σ分母 (or Σ数值×权重/Σ权重) over exactly the children that reported both; the coverage in the note."""
    covered = [k for k in kids if k.has_parts]
    parent.covered = len(covered)
    word = _word(tree, kids[-1].region)
    asked = "分子、分母" if aggregation is Aggregation.RATE else "权重"
    single = len(kids) == 1 and kids[0].note  # a task split under one city: the province says what the city says
    if not covered:
        if single:
            parent.note = kids[0].note
            return None
        given = sum(k.reported > 0 for k in kids)
        parent.note = (f"{len(kids)} 个{word}中 {given} 个只报送了{'比率' if aggregation is Aggregation.RATE else '数值'}、"
                       f"没有报送{asked}，不能汇总" if given else f"{len(kids)} 个{word}均未报送，不能汇总")
        return None
    parent.numerator = tidy(sum(k.numerator for k in covered))
    parent.denominator = tidy(sum(k.denominator for k in covered))
    if not parent.denominator:
        parent.note = f"{asked}之和为 0，不能汇总"
        return None
    parent.note = kids[0].note if single else f"按 {len(kids)} 个{word}中 {len(covered)} 个报送{asked}的计算"
    scale = rate_scale(task.unit) if aggregation is Aggregation.RATE else 1.0
    return tidy(scale * parent.numerator / parent.denominator)  # not rounded further: printed 88.5%, not 88.54 → 88.6


def _ratio(parent: RegionValue, kids: list[RegionValue], aggregation: Aggregation, helpers, task: Task) -> float | None:
    """The ledger's own numerator/denominator (or weight) tasks, rolled up the same tree."""
    if aggregation is Aggregation.RATE:
        num, den = (h.get(parent.region) for h in helpers)
        if num and den and num.value is not None and den.value:
            return tidy(rate_scale(task.unit) * num.value / den.value)
        return None
    base = helpers[0]
    pairs = [(k.value, base[k.region].value) for k in kids
             if k.value is not None and k.region in base and base[k.region].value]
    total = sum(w for _, w in pairs)
    return tidy(sum(v * w for v, w in pairs) / total) if total else None


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


# -- the common rules as arrays -------------------------------------------------------------------------------
# A national round splits each task to ~2,900 counties. Sums, minima, maxima and 不汇总 are worked out level by
# level with numpy over a child → parent index that tasks split to the same regions share; the nodes are the
# same as _roll_task's, in the same order. np.bincount adds left to right as sum() does on Python 3.11, so the
# floats are the same to the bit (3.12's sum() compensates rounding: the last bit may then differ). Leaves
# become RegionValues only when asked for. Anything unusual (NaN, ±inf, −0.0 under min/max, figures that are
# not floats) takes the plain path.

_ARRAY_RULES = {Aggregation.SUM, Aggregation.MIN, Aggregation.MAX, Aggregation.NONE}


class _Shape:
    """The nodes of a task split to given regions, as _roll_task builds them, and its levels as index arrays."""

    def __init__(self, tree, regions: Iterable[str]):
        index: dict[str, int] = {}
        children: dict[str, list[str]] = {}
        chain = tree.chain
        for code in regions:  # the same walk as _roll_task's, without the values
            if code not in index:
                index[code] = len(index)
            below = code
            for anc in reversed(chain(code)):
                children.setdefault(anc, []).append(below)
                if anc in index:
                    break
                index[anc] = len(index)
                below = anc
        self.codes = list(index)
        self.index = index
        self.targets = np.array([index[c] for c in regions], dtype=np.intp)  # node of each region, in order
        n = len(index)
        self.kids = np.zeros(n, dtype=np.int64)
        for code, kids in children.items():
            self.kids[index[code]] = len(kids)
        self.is_parent = self.kids > 0
        self.order = np.array([index[c] for c in sorted(children, key=lambda c: -len(chain(c)))],
                              dtype=np.intp)  # parents, deepest first
        self.parents = [i for i in range(n) if self.is_parent[i]]  # in node order
        self.parent_index = np.array(self.parents, dtype=np.intp)
        split = set(self.targets.tolist())
        self.above = [i for i in self.parents if i not in split]  # parents that are not regions split to
        levels: dict[int, tuple[list[int], list[int], list[int]]] = {}
        for code in sorted(children, key=lambda c: -len(chain(c))):
            kid, par, members = levels.setdefault(len(chain(code)), ([], [], []))
            members.append(index[code])
            for k in children[code]:
                kid.append(index[k])
                par.append(index[code])
        self.levels = [tuple(np.array(a, dtype=np.intp) for a in levels[d]) for d in sorted(levels, reverse=True)]


class _Arrays:
    """The array path of one rollup_regions call: the round's rows by task and the shapes already built."""

    def __init__(self, rl: RoundLedger, rows):
        self.rl, self._rows, self.shapes = rl, rows, {}

    @property
    def rows(self):
        if self._rows is None:
            self._rows = rows_by_task(self.rl)
        return self._rows

    def shape(self, task: Task) -> _Shape:
        key = tuple(task.region_targets)
        shape = self.shapes.get(key)
        if shape is None:
            shape = self.shapes[key] = _Shape(self.rl.ledger.regions, key)
        return shape

    def roll(self, task: Task, aggregation: Aggregation, findings: F.Findings) -> "_ArrayNodes | None":
        """The task's nodes, or None when its figures need the plain path (nothing is reported then)."""
        if TOTAL in task.region_targets:
            return None
        shape = self.shape(task)
        n, code_ = len(shape.codes), task.code
        got = self.rows[code_][1][1:]  # the rows of the regions split to, in order
        values = list(map(_value, got)) if not any(map(operator.is_, got, repeat(None))) else \
            [r.value if r is not None else None for r in got]
        targets = list(task.region_targets.values())
        ids = list(map(id, targets))  # region targets repeat: work each out once
        numeric = {k: t.value if t.is_numeric else None for k, t in dict(zip(ids, targets)).items()}
        figures, goals = _floats(values), _floats(list(map(numeric.__getitem__, ids)))
        if figures is None or goals is None:
            return None
        ov, tv0 = np.full(n, np.nan), np.full(n, np.nan)  # NaN: none
        ov[shape.targets], tv0[shape.targets] = figures, goals
        rows = self.rl.rows
        for i in shape.above:  # regions above those split to: their own figures, if they reported any
            row = rows.get((code_, shape.codes[i]))
            v = row.value if row is not None else None
            if v is not None:
                if v.__class__ is not float or not math.isfinite(v):
                    return None
                ov[i] = v
        has_own, has_t0 = ~np.isnan(ov), ~np.isnan(tv0)
        if aggregation in (Aggregation.MIN, Aggregation.MAX) and (_negative_zero(ov) or _negative_zero(tv0)):
            return None  # min/max of ±0 depends on the order; leave it to the plain path
        value, has = ov.copy(), has_own.copy()
        target, has_t = tv0.copy(), has_t0.copy()
        reported = has_own.astype(np.int64)
        expected = np.ones(n, dtype=np.int64)
        for kid, par, members in shape.levels:  # deepest parents first
            reported[members] = np.bincount(par, weights=reported[kid], minlength=n)[members]
            expected[members] = np.bincount(par, weights=expected[kid], minlength=n)[members]
            if aggregation is Aggregation.NONE:
                continue  # the value passed up is the region's own; the target stays its own
            kh, kt = has[kid], has_t[kid]
            some = np.bincount(par, weights=kh, minlength=n)[members] > 0
            every = np.bincount(par, weights=kt, minlength=n)[members] == shape.kids[members]
            if aggregation is Aggregation.SUM:  # bincount adds in edge order, as sum() does; tidy() as _combine
                agg = tidy_array(np.bincount(par, weights=np.where(kh, value[kid], 0.0), minlength=n)[members])
                tagg = tidy_array(np.bincount(par, weights=np.where(kt, target[kid], 0.0), minlength=n)[members])
            else:
                pick, start = (np.minimum, np.inf) if aggregation is Aggregation.MIN else (np.maximum, -np.inf)
                agg, tagg = np.full(n, start), np.full(n, start)
                pick.at(agg, par, np.where(kh, value[kid], start))
                pick.at(tagg, par, np.where(kt, target[kid], start))
                agg, tagg = agg[members], tagg[members]
            value[members] = np.where(some, agg, ov[members])
            has[members] = some | has_own[members]
            target[members] = np.where(every, tagg, tv0[members])
            has_t[members] = every | has_t0[members]
        note = "该指标不汇总" if aggregation is Aggregation.NONE else ""
        p = shape.parent_index
        parents: dict[int, RegionValue] = {}
        for i, region, v, hv, t, ht, o, ho, rep, exp, kids in zip(
                shape.parents, map(shape.codes.__getitem__, shape.parents), value[p].tolist(), has[p].tolist(),
                target[p].tolist(), has_t[p].tolist(), ov[p].tolist(), has_own[p].tolist(), reported[p].tolist(),
                expected[p].tolist(), shape.kids[p].tolist()):
            parents[i] = RegionValue(code_, region, v if hv else None, t if ht else None, o if ho else None,
                                     rep, exp, 0, kids, note)
        # a region's own figure against its children's rollup, deepest first (as _roll_task compares them)
        with np.errstate(invalid="ignore"):
            flagged = has_own & has & (reported > 0) & ~(
                np.abs(ov - value) <= TOLERANCE * np.maximum(np.abs(value), np.abs(ov)))
        for i in shape.order[flagged[shape.order]].tolist():
            _compare(self.rl, task, parents[i], findings)
        return _ArrayNodes(code_, shape, parents, ov, tv0)


def _negative_zero(a: np.ndarray) -> bool:
    return bool((np.signbit(a) & (a == 0)).any())


def _floats(figures: list) -> np.ndarray | None:
    """The figures as an array (None → NaN), or None unless every one is a finite float or None."""
    if not set(map(type, figures)) <= {float, type(None)}:
        return None
    a = np.array(figures, dtype=float)
    if len(figures) - int(np.isfinite(a).sum()) != figures.count(None):
        return None  # NaN or ±inf
    return a


_value = operator.attrgetter("value")


class _ArrayNodes(Mapping):
    """Region code → RegionValue of one task, in _roll_task's order; leaves are made when asked for."""

    def __init__(self, task: str, shape: _Shape, parents: dict[int, RegionValue], own: np.ndarray,
                 targets: np.ndarray):
        self.task, self.shape, self.parents, self.own, self.targets = task, shape, parents, own, targets
        self._leaves: dict[int, RegionValue] = {}

    def _node(self, i: int) -> RegionValue:
        node = self.parents.get(i)
        if node is None:
            node = self._leaves.get(i)
            if node is None:
                value, target = float(self.own[i]), float(self.targets[i])
                value = None if value != value else value
                node = self._leaves[i] = RegionValue(self.task, self.shape.codes[i], value,
                                                     None if target != target else target, value,
                                                     int(value is not None), 1)
        return node

    def __getitem__(self, code: str) -> RegionValue:
        return self._node(self.shape.index[code])

    def __contains__(self, code) -> bool:
        return code in self.shape.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.shape.codes)

    def __len__(self) -> int:
        return len(self.shape.codes)

    def parent_items(self) -> Iterator[tuple[str, RegionValue]]:
        codes = self.shape.codes
        return ((codes[i], node) for i, node in self.parents.items())
