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
from enum import Enum
from typing import Any, Mapping

from ..ledger.round import RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.targets import Direction, Target
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


@dataclass(frozen=True)
class Judgement:
    status: Status
    time_progress: float  # 序时进度, percent
    completion: float | None  # 完成率, percent of the target (higher-is-better numeric targets)
    gap: float | None  # completion − time progress, percentage points
    reason: str  # one plain Chinese sentence


def judge(task: Task, target: Target | None, row: RoundRow, rnd: Round,
          thresholds: Thresholds = Thresholds()) -> Judgement:
    planned = task.planned_percent(rnd)
    if not row.reported:
        return Judgement(Status.NOT_REPORTED, planned, None, None, "本轮未报送")
    due = task.deadline is not None and rnd.end >= task.deadline.date
    numeric = target is not None and target.is_numeric and target.value is not None
    if numeric and row.value is not None:
        lower = target.direction is Direction.LOWER or (
            target.comparator is None and task.indicator is not None and task.indicator.direction is Direction.LOWER)
        if lower:
            return _judge_lower(target, row.value, planned, due)
        return _judge_higher(target, row, planned, due, thresholds)
    return _judge_by_status(row, planned, due)


def _judge_higher(target: Target, row: RoundRow, planned: float, due: bool, th: Thresholds) -> Judgement:
    value = row.value
    completion = 100.0 * value / target.value if target.value else None
    if target.is_met(value):
        status = Status.DONE if due else Status.DONE_EARLY
        return Judgement(status, planned, completion, None if completion is None else completion - planned,
                         f"累计完成 {value:g}，已达到目标 {target.raw}")
    if due:
        return Judgement(Status.OVERDUE, planned, completion, _gap(completion, planned),
                         f"已过完成时限，累计完成 {value:g}，未达到目标 {target.raw}")
    if completion is None:
        return Judgement(Status.UNKNOWN, planned, None, None, "目标值为 0，无法计算完成率")
    gap = completion - planned
    if value == 0 and planned > 0:
        return Judgement(Status.NOT_STARTED, planned, completion, gap, f"序时进度 {planned:.1f}%，尚无完成量")
    if gap >= th.ahead:
        status = Status.AHEAD
    elif gap >= -th.tolerance:
        status = Status.ON_SCHEDULE
    elif gap >= -th.severe:
        status = Status.BEHIND
    else:
        status = Status.SEVERE
    return Judgement(status, planned, completion, gap,
                     f"完成率 {completion:.1f}%，序时进度 {planned:.1f}%，相差 {gap:+.1f} 个百分点")


def _judge_lower(target: Target, value: float, planned: float, due: bool) -> Judgement:
    # a bare number on a 逆向 indicator is a ceiling, whatever the number itself says
    if (target.is_met(value) if target.comparator is not None else value <= target.value):
        status = Status.DONE if due else Status.ON_SCHEDULE
        return Judgement(status, planned, None, None, f"当前值 {value:g}，控制在目标 {target.raw} 以内")
    status = Status.OVERDUE if due else Status.BEHIND
    return Judgement(status, planned, None, None, f"当前值 {value:g}，超出目标 {target.raw}")


_BY_STATUS = {"已完成": Status.DONE, "正常推进": Status.ON_SCHEDULE, "滞后": Status.BEHIND, "未启动": Status.NOT_STARTED}


def _judge_by_status(row: RoundRow, planned: float, due: bool) -> Judgement:
    status = _BY_STATUS.get(row.status or "")
    if status is None:
        return Judgement(Status.UNKNOWN, planned, None, None, "没有可判断的数值或进展状态")
    if status is Status.DONE:
        return Judgement(Status.DONE if due else Status.DONE_EARLY, planned, None, None, "报送状态为已完成")
    if due:
        return Judgement(Status.OVERDUE, planned, None, None, f"已过完成时限，报送状态为{row.status}")
    if status is Status.NOT_STARTED and planned == 0:
        status = Status.ON_SCHEDULE
    return Judgement(status, planned, None, None, f"按报送状态“{row.status}”判断")


def _gap(completion: float | None, planned: float) -> float | None:
    return None if completion is None else completion - planned


def judge_round(rl: RoundLedger, thresholds: Thresholds = Thresholds()) -> dict[tuple[str, str], Judgement]:
    """A judgement for every row of the round."""
    return {key: judge(rl.task(row), rl.target(row), row, rl.round, thresholds) for key, row in rl.rows.items()}
