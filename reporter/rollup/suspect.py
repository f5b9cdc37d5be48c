"""Figures intake suspects of a unit error, held out of every total until the unit confirms or corrects them.

A 累计完成 of 100 times its (higher-is-better, numeric) target or more is almost always a unit mix-up: 4100 written
for 0.41 万个, a count written where 万人 was meant. Intake already warns from 5 times (远超目标); from HOLD_FACTOR
times the figure is kept out of the round's value — and so out of every sum, rate, judgement, ranking and
document, which all read the same rows — and listed with its cell. The unit confirms a figure by writing
已核实 (or 核实无误, 确认无误, 数据无误) in the row's 存在问题, 工作进展 or a note column; a corrected file replaces it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.round_ledger import TOTAL, RoundLedger, RoundRow
from ..model.tasks import Task

HOLD_FACTOR = 100.0
CONFIRMED = re.compile(r"已核实|核实无误|确认无误|数据无误|数值无误|经核实")


@dataclass(frozen=True)
class HeldValue:
    """One figure held out of the totals, and where it was written."""

    task: str
    task_name: str
    region: str  # region name, '' for the whole task
    unit: str  # the reporting unit (报送单位)
    value: float
    target: str  # the target as written
    measure: str  # 计量单位
    reason: str
    file: str = ""
    sheet: str = ""
    cell: str = ""

    @property
    def place(self) -> str:
        return " › ".join(p for p in (self.file, self.sheet, self.cell) if p)


def suspect_reason(task: Task, target, value: float | None) -> str:
    """Why a figure is too doubtful to add up, or '' when it is not."""
    if value is None or target is None or not target.is_numeric or not target.value or target.value < 0:
        return ""
    if task.lower_is_better(target) or value < HOLD_FACTOR * target.value:
        return ""
    return (f"累计完成 {value:g} 是年度目标 {target.describe()} 的 {value / target.value:.0f} 倍，疑似计量单位错误"
            f"（{task.unit or '未注明'}），核实前不计入汇总")


def confirmed(row: RoundRow) -> bool:
    return any(CONFIRMED.search(text or "") for text in (row.problems, row.progress, row.notes, row.measures))


def hold_out(rl: RoundLedger) -> list[HeldValue]:
    """Move every suspect figure of the round from `value` to `held`, and list them (idempotent: a row already
    held stays held and is listed again)."""
    out: list[HeldValue] = []
    for row in rl:
        if row.held is None:
            if row.value is None or row.submitter is None:
                continue
            task = rl.task(row)
            reason = suspect_reason(task, rl.target(row), row.value)
            if not reason or confirmed(row):
                continue
            row.held, row.held_reason, row.value = row.value, reason, None
        out.append(_listed(rl, row))
    return out


def _listed(rl: RoundLedger, row: RoundRow) -> HeldValue:
    task, target = rl.task(row), rl.target(row)
    src = row.sources.get("value")
    unit = rl.ledger.units.match(row.submitter) if row.submitter else None
    return HeldValue(row.task, task.name, rl.region_name(row) if row.region != TOTAL else "",
                     unit.label if unit else (row.submitter or ""), row.held, target.describe() if target else "",
                     task.unit or "", row.held_reason, src.file if src else "", src.sheet if src else "",
                     src.cell if src else "")
