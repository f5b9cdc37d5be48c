"""Judge each task × region of a round against 序时进度 (planned time progress).

Rules (docs/status.md repeats them for clerks):
- Not in any accepted file → 未报送.
- Numeric targets, higher is better (新增学位 7万个, 参保率 ≥95%): completion = value / target.
  Target met → 已完成, or 提前完成 when the round ends before the deadline.
  Otherwise compare completion with 序时进度 (gap = completion − time progress, percentage points):
  gap ≥ ahead → 超序时; gap ≥ −tolerance → 按序时; gap ≥ −severe → 滞后 (慢序时); else 严重滞后.
  Past the deadline and not met → 逾期未完成. A value of 0 (or status 未启动) while 序时进度 > 0 → 未启动.
- Numeric targets, lower is better (失业率 ≤5.5%, 孕产妇死亡率 ≤9/10万): within the target → 按序时 before the
  deadline and 已完成 from the deadline round on; outside it → 滞后, or 逾期未完成 from the deadline on.
- Qualitative or unparsed targets (全覆盖, 应保尽保): judged by the reported 进展状态 — 已完成 → 已完成/提前完成,
  正常推进 → 按序时, 滞后 → 滞后, 未启动 → 未启动 (按序时 while 序时进度 is 0); past the deadline and not 已完成 →
  逾期未完成; no status → 无法判断.
- A numeric task reported with no usable number is judged by its status the same way.
Thresholds live in the [status] table of reporter.toml.
"""
from __future__ import annotations

import math
from collections.abc import ItemsView, Mapping, ValuesView
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, is_
from typing import Any, NamedTuple

import numpy as np

from ..model.round_ledger import TOTAL, RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.status import LAGGING, Status
from ..model.targets import Comparator, Target
from ..model.tasks import Task


@dataclass(frozen=True)
class Thresholds:
    ahead: float = 5.0  # completion this many points above 序时进度 → 超序时
    tolerance: float = 0.0  # up to this many points below (as printed) → still 按序时
    severe: float = 20.0  # more than this many points below → 严重滞后
    places: int = 1  # decimals 完成率 and 序时进度 are printed with; the gap is taken between the printed figures

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Thresholds":
        known: dict[str, Any] = {k: float(section[k]) for k in ("ahead", "tolerance", "severe") if k in section}
        if "places" in section:
            known["places"] = int(section["places"])
        return cls(**known)


def shown(x, places: int = 1):
    """A percentage as printed, 四舍五入 to `places` decimals (41.36 → 41.4); numpy arrays element-wise.

    Gaps are taken between printed figures, so a clerk never reads '41.4% vs 41.4%, 滞后' or '差距 -0'."""
    f = 10.0 ** places
    if isinstance(x, np.ndarray):
        return np.floor(np.round(x * f, 6) + 0.5) / f
    return math.floor(round(x * f, 6) + 0.5) / f  # a row's reason: plain floats (numpy's scalars cost 10×)


def shown_gap(completion, planned: float, places: int = 1):
    """完成率 − 序时进度 as the printed figures give it, never −0."""
    return np.round(shown(completion, places) - shown(planned, places), places) + 0.0


class Judgement(NamedTuple):
    """A row's class and the figures behind it (a NamedTuple: the national rollup makes 600k of them)."""

    status: Status
    time_progress: float  # 序时进度, percent
    completion: float | None = None  # 完成率, percent of the target (higher-is-better numeric targets)
    gap: float | None = None  # completion − time progress, percentage points
    basis: str = ""  # what the class rests on when it is not the figures: 'status', 'lower', 'missing'

    @property
    def reason(self) -> str:
        """One plain Chinese sentence saying why."""
        s = self.status
        if s is Status.NOT_REPORTED:
            return "本轮未报送"
        if self.basis == "status":
            return "按报送的进展状态判断" if s is not Status.OVERDUE else "已过完成时限，报送状态不是已完成"
        if self.basis == "missing":
            return "没有可判断的数值或进展状态"
        if self.basis == "lower":
            return {Status.DONE: "已过完成时限，控制在目标以内", Status.ON_SCHEDULE: "控制在目标以内",
                    Status.BEHIND: "超出目标", Status.OVERDUE: "已过完成时限，仍超出目标"}[s]
        if s in (Status.DONE, Status.DONE_EARLY):
            return "已达到年度目标"
        if s is Status.OVERDUE:
            return "已过完成时限，未达到年度目标"
        if self.completion is None:
            return "目标值为 0，无法计算完成率"
        if s is Status.NOT_STARTED:
            return f"序时进度 {shown(self.time_progress):.1f}%，尚无完成量"
        return _figures(self.completion, f"{shown(self.time_progress):.1f}", self.gap)


def _figures(completion: float, progress: str, gap: float) -> str:
    """Why a row is 超序时, 按序时, 滞后 or 严重滞后; `progress` is 序时进度 written with one decimal."""
    return f"完成率 {shown(completion):.1f}%，序时进度 {progress}%，相差 {gap:+.1f} 个百分点"


def judge(task: Task, target: Target | None, row: RoundRow, rnd: Round,
          thresholds: Thresholds = Thresholds(), planned: float | None = None, due: bool | None = None) -> Judgement:
    """The class of one row. `planned` and `due` may be passed in when judging many rows of one task."""
    planned = task.planned_percent(rnd) if planned is None else planned
    if row.submitter is None:
        return Judgement(Status.NOT_REPORTED, planned)
    if due is None:
        due = task.deadline is not None and rnd.end >= task.deadline.date
    value = row.value
    if value is not None and target is not None and target.value is not None and target.is_numeric:
        if is_lower(task, target):
            return _judge_lower(target, value, planned, due)
        return _judge_higher(target, value, planned, due, thresholds)
    return _judge_by_status(row, planned, due)


def is_lower(task: Task, target: Target) -> bool:
    """Lower is better: the target says so (≤, 以内), or a bare number on a 逆向 indicator."""
    return task.lower_is_better(target)


def _judge_higher(target: Target, value: float, planned: float, due: bool, th: Thresholds) -> Judgement:
    completion = 100.0 * value / target.value if target.value else None
    gap = None if completion is None else float(shown_gap(completion, planned, th.places))
    if target.is_met(value):
        return Judgement(Status.DONE if due else Status.DONE_EARLY, planned, completion, gap)
    if due:
        return Judgement(Status.OVERDUE, planned, completion, gap)
    if gap is None:
        return Judgement(Status.UNKNOWN, planned)
    if value == 0 and planned > 0:
        return Judgement(Status.NOT_STARTED, planned, completion, gap)
    if gap >= th.ahead:
        status = Status.AHEAD
    elif gap >= -th.tolerance:
        status = Status.ON_SCHEDULE
    elif gap >= -th.severe:
        status = Status.BEHIND
    else:
        status = Status.SEVERE
    return Judgement(status, planned, completion, gap)


def _judge_lower(target: Target, value: float, planned: float, due: bool) -> Judgement:
    # a bare number on a 逆向 indicator is a ceiling, whatever the number itself says
    met = target.is_met(value) if target.comparator is not None else value <= target.value
    if met:
        return Judgement(Status.DONE if due else Status.ON_SCHEDULE, planned, basis="lower")
    return Judgement(Status.OVERDUE if due else Status.BEHIND, planned, basis="lower")


_BY_STATUS = {"已完成": Status.DONE, "正常推进": Status.ON_SCHEDULE, "滞后": Status.BEHIND, "未启动": Status.NOT_STARTED}


def _judge_by_status(row: RoundRow, planned: float, due: bool) -> Judgement:
    status = _BY_STATUS.get(row.status or "")
    if status is None:
        return Judgement(Status.UNKNOWN, planned, basis="missing")
    if status is Status.DONE:
        return Judgement(Status.DONE if due else Status.DONE_EARLY, planned, basis="status")
    if due:
        return Judgement(Status.OVERDUE, planned, basis="status")
    if status is Status.NOT_STARTED and planned == 0:
        status = Status.ON_SCHEDULE
    return Judgement(status, planned, basis="status")


# -- a whole round at once -------------------------------------------------------------------------------
# A national round has 600k rows. judge_round keeps each task's classes in numpy arrays (status codes,
# completion, gap) and makes a Judgement only when one is asked for; rows outside the common case are judged
# by judge() one by one and kept as they are. The results are those of judge() for every row.

STATUSES: tuple[Status, ...] = tuple(Status)  # status code (array value) → Status
CODE: dict[Status, int] = {s: i for i, s in enumerate(STATUSES)}
LAGGING_CODES = np.array([s in LAGGING for s in STATUSES])
_NOT_REPORTED = CODE[Status.NOT_REPORTED]
_EXACT = 2 ** 53  # integers below this are floats exactly
_value, _submitter = attrgetter("value"), attrgetter("submitter")


def task_regions(task: Task) -> tuple[str, ...]:
    """The row keys of a task, in judging order: the whole task (TOTAL), then each region it is split to."""
    return (TOTAL, *(r for r in task.region_targets if r != TOTAL)) if TOTAL in task.region_targets \
        else (TOTAL, *task.region_targets)


def rows_by_task(rl: RoundLedger) -> dict[str, tuple[tuple[str, ...], list[RoundRow | None]]]:
    """Task code → (task_regions(task), the round's row for each or None): one pass over the rows."""
    out: dict[str, tuple[tuple[str, ...], list[RoundRow | None]]] = {}
    where: dict[str, tuple[dict[str, int], list]] = {}
    positions: dict[tuple[str, ...], dict[str, int]] = {}  # tasks split to the same regions share one
    for task in rl.ledger:
        regions = task_regions(task)
        pos = positions.get(regions)
        if pos is None:
            pos = positions[regions] = {r: i for i, r in enumerate(regions)}
        slots: list[RoundRow | None] = [None] * len(regions)
        out[task.code] = (regions, slots)
        where[task.code] = (pos, slots)
    for (code, region), row in rl.rows.items():
        found = where.get(code)
        if found is not None:
            i = found[0].get(region)
            if i is not None:
                found[1][i] = row
    return out


class TaskJudgements:
    """The judged rows of one task: regions in judging order, with status codes, completion and gap arrays.

    NaN in `completion` / `gap` stands for None; rows judged one by one keep their Judgement in `special`.
    """

    __slots__ = ("task", "regions", "rows", "planned", "status", "completion", "gap", "special", "_index", "_made")

    def __init__(self, task: str, regions: tuple[str, ...], rows: list[RoundRow], planned: float,
                 status: np.ndarray, completion: np.ndarray, gap: np.ndarray, special: dict[int, Judgement],
                 index: dict[str, int] | None = None):
        self.task, self.regions, self.rows, self.planned = task, regions, rows, planned
        self.status, self.completion, self.gap, self.special = status, completion, gap, special
        self._index = index
        self._made: list[Judgement] | None = None  # Judgements made for look-ups by key

    def __len__(self) -> int:
        return len(self.regions)

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {r: i for i, r in enumerate(self.regions)}
        return self._index

    def judgement(self, i: int) -> Judgement:
        """Row i's Judgement; the first look-up makes the task's Judgements at once and keeps them."""
        if self._made is None:
            self._made = self.judgements()
        return self._made[i]

    def judgements(self, which: list[int] | None = None) -> list[Judgement]:
        """The Judgements of all rows, or of the row numbers in `which`, in that order."""
        pick = slice(None) if which is None else which
        made = list(map(tuple.__new__, repeat(Judgement), zip(  # Judgement(...) without a Python call per row
            STATUS_OBJECTS[self.status[pick]].tolist(), repeat(self.planned), _nones(self.completion[pick]),
            _nones(self.gap[pick]), repeat(""))))
        special = self.special
        if special and which is None:
            for i, j in special.items():
                made[i] = j
        elif special:
            for n, i in enumerate(which):
                j = special.get(i)
                if j is not None:
                    made[n] = j
        return made

    def fields(self, which: list[int]) -> tuple[list[Status], list[float | None], list[float | None], list[str]]:
        """Status, completion as printed (41.4), gap and reason of the rows in `which`: a Judgement's fields
        without making it."""
        codes, completion = self.status[which], self.completion[which]
        statuses = STATUS_OBJECTS[codes].tolist()
        comp, printed, gap = _nones(completion), _nones(shown(completion)), _nones(self.gap[which])
        # rows judged on the figures (arrays only): the sentence with the figures; the others from a Judgement
        on = (_ON_FIGURES[codes] & ~np.isnan(completion)).tolist()
        progress, planned = f"{shown(self.planned):.1f}", self.planned
        reasons = [f"完成率 {p:.1f}%，序时进度 {progress}%，相差 {g:+.1f} 个百分点" if f
                   else Judgement(s, planned, c, g).reason
                   for f, s, c, p, g in zip(on, statuses, comp, printed, gap)]
        if self.special:
            for n, i in enumerate(which):
                j = self.special.get(i)
                if j is not None:
                    statuses[n], gap[n], reasons[n] = j.status, j.gap, j.reason
                    printed[n] = None if j.completion is None else shown(j.completion)
        return statuses, printed, gap, reasons


def _nones(a: np.ndarray) -> list[float | None]:
    """Floats, None for NaN."""
    out = a.astype(object)
    out[np.isnan(a)] = None
    return out.tolist()


STATUS_OBJECTS = np.empty(len(STATUSES), dtype=object)
STATUS_OBJECTS[:] = STATUSES
# classes whose reason is the figures' sentence (when the row has a completion rate)
_ON_FIGURES = np.array([s in (Status.AHEAD, Status.ON_SCHEDULE, Status.BEHIND, Status.SEVERE) for s in STATUSES])


class JudgementTable(Mapping):
    """(task code, region code) → Judgement for a whole round, kept as per-task arrays (read-only).

    Behaves like the dict judge_round used to return: same keys in the same order, same Judgements.
    """

    def __init__(self, blocks: list[TaskJudgements]):
        self.blocks = blocks
        self._where = {b.task: b for b in blocks}
        self._len = sum(len(b) for b in blocks)

    def __getitem__(self, key) -> Judgement:
        try:
            code, region = key
        except (TypeError, ValueError):
            raise KeyError(key) from None
        block = self._where.get(code)
        i = block.index.get(region) if block is not None else None
        if i is None:
            raise KeyError(key)
        return block.judgement(i)

    def get(self, key, default=None):
        try:
            code, region = key
        except (TypeError, ValueError):
            return default
        block = self._where.get(code)
        i = block.index.get(region) if block is not None else None
        return default if i is None else block.judgement(i)

    def __contains__(self, key) -> bool:
        try:
            code, region = key
            block = self._where.get(code)
            return block is not None and region in block.index
        except (TypeError, ValueError):
            return False

    def __iter__(self):
        for b in self.blocks:
            code = b.task
            for region in b.regions:
                yield code, region

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"JudgementTable({len(self)} rows, {len(self.blocks)} tasks)"

    def items(self):
        return _Items(self)

    def values(self):
        return _Values(self)

    def _items(self):
        for b in self.blocks:
            code = b.task
            yield from zip(zip(repeat(code), b.regions), b._made if b._made is not None else b.judgements())

    def _values(self):
        for b in self.blocks:
            yield from b._made if b._made is not None else b.judgements()


class _Items(ItemsView):
    def __iter__(self):
        return self._mapping._items()


class _Values(ValuesView):
    def __iter__(self):
        return self._mapping._values()


def judge_round(rl: RoundLedger, thresholds: Thresholds = Thresholds(),
                rows: Mapping[str, tuple[tuple[str, ...], list[RoundRow | None]]] | None = None) -> JudgementTable:
    """A judgement for every row of the round, task by task (a national round has 600k rows).

    `rows` is rows_by_task(rl), when the caller has it already.
    """
    rows = rows_by_task(rl) if rows is None else rows
    rnd, blocks = rl.round, []
    indexes: dict[tuple[str, ...], dict[str, int]] = {}
    for task in rl.ledger:
        regions, got = rows[task.code]
        if any(map(is_, got, repeat(None))):  # rows the round does not have are not judged
            keep = [i for i, r in enumerate(got) if r is not None]
            regions, got = tuple(regions[i] for i in keep), [got[i] for i in keep]
            targets = [task.target if r == TOTAL else task.region_targets[r] for r in regions]
        else:
            targets = [task.target, *(task.region_targets[r] for r in regions[1:])] \
                if len(regions) != len(task.region_targets) + 1 else [task.target, *task.region_targets.values()]
        index = indexes.get(regions)
        if index is None:
            index = indexes[regions] = {r: i for i, r in enumerate(regions)}
        blocks.append(_judge_task(task, regions, got, targets, rnd, thresholds, index))
    return JudgementTable(blocks)


def _judge_task(task: Task, regions: tuple[str, ...], rows: list[RoundRow], targets: list[Target | None],
                rnd: Round, th: Thresholds, index: dict[str, int]) -> TaskJudgements:
    planned = task.planned_percent(rnd)
    due = task.deadline is not None and rnd.end >= task.deadline.date
    n = len(rows)
    status = np.full(n, -1, dtype=np.int8)
    completion = np.full(n, np.nan)
    gap = np.full(n, np.nan)
    # the common case, as arrays: a reported float against a plain higher-is-better target (≥ or bare number)
    ids = list(map(id, targets))
    # id(target) → its value on the array path, worked out once per target: region targets repeat
    plain = {k: _plain_value(task, t) for k, t in dict(zip(ids, targets)).items()}
    tv = np.array(list(map(plain.__getitem__, ids)), dtype=float)  # None → NaN: not the common case
    values = list(map(_value, rows))
    submitters = list(map(_submitter, rows))
    reported = np.ones(n, dtype=bool) if None not in submitters else np.array([s is not None for s in submitters])
    if not set(map(type, values)) <= {float, type(None)}:  # whole numbers convert exactly below 2**53
        values = [x if x.__class__ is float or x.__class__ is int and -_EXACT < x < _EXACT else None for x in values]
    v = np.array(values, dtype=float)  # None → NaN
    usable = ~np.isnan(v)  # not None, nor a NaN value (those are judged one by one)
    status[~reported] = _NOT_REPORTED
    fast = reported & usable & ~np.isnan(tv)
    if fast.any():
        fv, ft = v[fast], tv[fast]
        c = 100.0 * fv / ft
        g = shown_gap(c, planned, th.places)
        met = (fv > ft) | _isclose(fv, ft)  # Target.is_met for a ≥ target
        if due:
            codes = np.where(met, CODE[Status.DONE], CODE[Status.OVERDUE])
        else:
            codes = np.select(
                [met, (fv == 0) & (planned > 0), g >= th.ahead, g >= -th.tolerance, g >= -th.severe],
                [CODE[Status.DONE_EARLY], CODE[Status.NOT_STARTED], CODE[Status.AHEAD], CODE[Status.ON_SCHEDULE],
                 CODE[Status.BEHIND]], CODE[Status.SEVERE])
        status[fast] = codes
        completion[fast] = c
        gap[fast] = g
    special: dict[int, Judgement] = {}
    for i in np.flatnonzero(status < 0).tolist():
        j = special[i] = judge(task, targets[i], rows[i], rnd, th, planned, due)
        status[i] = CODE[j.status]
        completion[i] = np.nan if j.completion is None else j.completion
        gap[i] = np.nan if j.gap is None else j.gap
    return TaskJudgements(task.code, regions, rows, planned, status, completion, gap, special, index)


def _plain_value(task: Task, target: Target | None) -> float | None:
    """The target's value when the array path judges against it: a finite, non-zero number that is met at or
    above it (≥ or a bare number, higher is better); else None."""
    if (target is not None and target.is_numeric and target.value and target.value.__class__ is float
            and math.isfinite(target.value) and target.comparator in (None, Comparator.GE)
            and not is_lower(task, target)):
        return target.value
    return None


def _isclose(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) element by element (as Target.is_met uses it)."""
    diff = np.abs(b - a)
    return (a == b) | (np.isfinite(a) & np.isfinite(b)
                       & ((diff <= np.abs(1e-9 * b)) | (diff <= np.abs(1e-9 * a)) | (diff <= 1e-9)))
