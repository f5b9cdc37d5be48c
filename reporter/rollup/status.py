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

from dataclasses import dataclass
from typing import NamedTuple
from enum import Enum
from typing import Any, Mapping

from ..ledger.round import TOTAL, RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.targets import Comparator, Target
from ..model.tasks import Task


class Status(str, Enum):
    DONE_EARLY = "提前完成"
    DONE = "已完成"
    AHEAD = "超序时"
    ON_SCHEDULE = "按序时"
    BEHIND = "滞后"
    SEVERE = "严重滞后"
    OVERDUE = "逾期未完成"
    NOT_STARTED = "未启动"
    NOT_REPORTED = "未报送"
    UNKNOWN = "无法判断"

    @property
    def colour(self) -> str:
        return COLOURS[self][0]

    @property
    def hex(self) -> str:
        return COLOURS[self][1]

    @property
    def lagging(self) -> bool:
        """Counts toward escalation and the 滞后任务 lists."""
        return self in LAGGING


# One colour per class, used the same way in every output (Excel fills, Word tables, charts).
COLOURS: dict[Status, tuple[str, str]] = {
    Status.DONE_EARLY: ("绿", "#C6EFCE"), Status.DONE: ("绿", "#C6EFCE"),
    Status.AHEAD: ("蓝", "#BDD7EE"), Status.ON_SCHEDULE: ("蓝", "#BDD7EE"),
    Status.BEHIND: ("黄", "#FFEB9C"),
    Status.SEVERE: ("红", "#FFC7CE"), Status.OVERDUE: ("红", "#FFC7CE"), Status.NOT_STARTED: ("红", "#FFC7CE"),
    Status.NOT_REPORTED: ("灰", "#D9D9D9"), Status.UNKNOWN: ("灰", "#D9D9D9"),
}
LAGGING = {Status.BEHIND, Status.SEVERE, Status.OVERDUE, Status.NOT_STARTED, Status.NOT_REPORTED}


@dataclass(frozen=True)
class Thresholds:
    ahead: float = 5.0  # completion this many points above 序时进度 → 超序时
    tolerance: float = 0.0  # up to this many points below → still 按序时
    severe: float = 20.0  # more than this many points below → 严重滞后

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Thresholds":
        known = {k: float(section[k]) for k in ("ahead", "tolerance", "severe") if k in section}
        return cls(**known)


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
            return f"序时进度 {self.time_progress:.1f}%，尚无完成量"
        return f"完成率 {self.completion:.1f}%，序时进度 {self.time_progress:.1f}%，相差 {self.gap:+.1f} 个百分点"


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
    gap = None if completion is None else completion - planned
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


def judge_round(rl: RoundLedger, thresholds: Thresholds = Thresholds()) -> dict[tuple[str, str], Judgement]:
    """A judgement for every row of the round, task by task (a national round has 600k rows)."""
    rnd, rows, out = rl.round, rl.rows, {}
    for task in rl.ledger:
        planned = task.planned_percent(rnd)
        due = task.deadline is not None and rnd.end >= task.deadline.date
        plain: dict[int, bool] = {}  # id(target) → fast path applies; region targets repeat across rows
        for region in (TOTAL, *task.region_targets):
            key = (task.code, region)
            row = rows.get(key)
            if row is None:
                continue
            target = task.target if region == TOTAL else task.region_targets[region]
            fast = plain.get(id(target))
            if fast is None:
                fast = plain[id(target)] = not due and _plain_higher(task, target)
            out[key] = (_fast_higher(target, row.value, planned, thresholds)
                        if fast and row.submitter is not None and row.value is not None
                        else judge(task, target, row, rnd, thresholds, planned, due))
    return out


def _plain_higher(task: Task, target: Target | None) -> bool:
    """The common case the fast path handles: a number against a ≥ (or bare) higher-is-better target."""
    return (target is not None and target.is_numeric and bool(target.value)
            and target.comparator in (None, Comparator.GE) and not is_lower(task, target))


def _fast_higher(target: Target, value: float, planned: float, th: Thresholds) -> Judgement:
    """_judge_higher before the deadline, inlined for a ≥ target: the same classes, a third of the time."""
    completion = 100.0 * value / target.value
    gap = completion - planned
    if value >= target.value:
        return Judgement(Status.DONE_EARLY, planned, completion, gap)
    if value == 0 and planned > 0:
        return Judgement(Status.NOT_STARTED, planned, completion, gap)
    if gap >= th.ahead:
        return Judgement(Status.AHEAD, planned, completion, gap)
    if gap >= -th.tolerance:
        return Judgement(Status.ON_SCHEDULE, planned, completion, gap)
    return Judgement(Status.BEHIND if gap >= -th.severe else Status.SEVERE, planned, completion, gap)
