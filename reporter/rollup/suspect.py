"""Figures intake suspects of a unit error, held out of every total until the unit confirms or corrects them.

A 累计完成 of 100 times its (higher-is-better, numeric) target or more is almost always a unit mix-up: 4100 written
for 0.41 万个, a count written where 万人 was meant. Intake already warns from 5 times (远超目标); from HOLD_FACTOR
times the figure is kept out of the round's value — and so out of every sum, rate, judgement, ranking and
document, which all read the same rows — and listed with its cell. The unit confirms a figure by writing
已核实 (or 核实无误, 确认无误, 数据无误) in the row's 存在问题, 工作进展 or a note column; a corrected file replaces it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter, is_

import numpy as np

from ..model.round_ledger import TOTAL, RoundLedger, RoundRow
from ..model.tasks import Task
from .status import rows_by_task

HOLD_FACTOR = 100.0
_value = attrgetter("value")
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
    submitter: str = ""  # the unit's name as the units sheet has it, to address it

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


def hold_out(rl: RoundLedger, rows=None) -> list[HeldValue]:
    """Move every suspect figure of the round from `value` to `held`, and list them (again on a second call:
    `rl.held` keeps the rows). `rows` is status.rows_by_task(rl), when the caller has it: a national round has
    600k rows, compared with their limits an array per task."""
    rows = rows_by_task(rl) if rows is None else rows
    for task in rl.ledger:
        regions, got = rows[task.code]
        limit = _limits(task, regions)
        if not np.isfinite(limit).any():
            continue
        figures = list(map(_value, got)) if not any(map(is_, got, repeat(None))) else \
            [r.value if r is not None else None for r in got]
        values = np.array(figures, dtype=float)  # None → NaN
        with np.errstate(invalid="ignore"):
            for i in np.flatnonzero(values >= limit).tolist():
                row = got[i]
                if row.submitter is None or confirmed(row):
                    continue
                target = task.target if regions[i] == TOTAL else task.region_targets.get(regions[i])
                row.held, row.held_reason, row.value = row.value, suspect_reason(task, target, row.value), None
                rl.held.append((task.code, regions[i]))
    return [_listed(rl, rl.rows[key]) for key in rl.held]


def _limits(task: Task, regions: tuple[str, ...]) -> np.ndarray:
    """Each row's limit (_limit), worked out once per target (region targets repeat), without a Python step per
    row: a national task has 2,900 rows."""
    targets = list(map(task.region_targets.get, regions))
    for i, region in enumerate(regions[:1]):  # the whole task's row comes first (status.task_regions)
        if region == TOTAL:
            targets[i] = task.target
    ids = list(map(id, targets))
    limit = {k: _limit(task, t) for k, t in dict(zip(ids, targets)).items()}
    return np.array(list(map(limit.__getitem__, ids)), dtype=float)


def _limit(task: Task, target) -> float:
    """The smallest figure suspect_reason holds for a target; infinity when it holds none."""
    if target is None or not target.is_numeric or not target.value or target.value < 0 or task.lower_is_better(target):
        return math.inf
    return HOLD_FACTOR * target.value


def _listed(rl: RoundLedger, row: RoundRow) -> HeldValue:
    task, target = rl.task(row), rl.target(row)
    src = row.sources.get("value")
    unit = rl.ledger.units.match(row.submitter) if row.submitter else None
    return HeldValue(row.task, task.name, rl.region_name(row) if row.region != TOTAL else "",
                     unit.label if unit else (row.submitter or ""), row.held, target.describe() if target else "",
                     task.unit or "", row.held_reason, src.file if src else "", src.sheet if src else "",
                     src.cell if src else "", row.submitter or "")
