"""The classes a task × region is judged into against 序时进度 (rollup.status judges; history stores them),
with the colour each is shown in everywhere."""
from __future__ import annotations

from enum import Enum


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
