"""分子, 分母 and 权重 of a submission row: the parts a parent recomputes a rate or a weighted mean from.

A 比率 row's rate and its 分子/分母 must agree: the rate is checked against 分子 ÷ 分母 (in the rate's unit,
rollup's rate_scale) and, when the rate is left blank, worked out from them (said so). Parts are counts: a
text, a negative number or a 分母 of 0 is reported and kept out of every total (the text stays in the notes).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..model import findings as F
from ..model.round_ledger import RoundRow
from ..model.targets import Aggregation, rate_scale
from ..model.tasks import Task
from .submission_schema import PARTS, PROGRESS
from .values import cell_text, parse_number

# A written rate this close to 分子 ÷ 分母 agrees with it (rounded when written: 88.5% for 88.54%).
RATE_POINTS = 0.1
RATE_SHARE = 0.005

Report = Callable[[F.FindingType, str, str], None]  # (type, message, field key)


def read_parts(fields: dict[str, Any], task: Task, out: RoundRow, report: Report) -> list[str]:
    """Fill `out.numerator`, `out.denominator`, `out.weight` from a row's cells; check a 比率 row's rate against
    them. Returns 'header：text' notes of part cells that are not numbers (kept, never dropped)."""
    notes = []
    for key in PARTS:
        if key not in fields:
            continue
        raw = fields[key]
        number = part_number(raw)
        header = PROGRESS.field(key).header
        if number is None or number < 0:
            notes.append(f"{header}：{cell_text(raw)}")
            report(F.INTAKE_PART_NOT_NUMBER, f"{header}“{cell_text(raw)}”不是不小于 0 的数值，不参与上级汇总。", key)
            continue
        setattr(out, key, number)
    aggregation = task.indicator.aggregation if task.indicator else None
    if aggregation is Aggregation.RATE:
        _check_rate(task, out, report)
    elif aggregation is Aggregation.WEIGHTED_MEAN and out.weight == 0:
        report(F.INTAKE_ZERO_DENOMINATOR, "权重为 0，本行不参与上级的加权平均。", "weight")
    return notes


_SCALES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_WITH_UNIT = re.compile(r"\s*([\d.,]+\s*[万亿千百]?)\s*[\u4e00-\u9fff]{1,4}\s*")  # '1200人', '1.2万户'


def part_number(raw: Any) -> float | None:
    """A count as written: 1200, '1,200', '1.2万' (12000), '1200人'; None for text, a percentage or nothing."""
    if raw.__class__ is float or raw.__class__ is int:
        return float(raw)
    number = parse_number(raw)
    if number is None and (m := _WITH_UNIT.fullmatch(cell_text(raw))):
        number = parse_number(m[1])
    if number is None or number.percent:
        return None
    return number.value * _SCALES.get(number.scale or "", 1.0)


def _check_rate(task: Task, out: RoundRow, report: Report) -> None:
    num, den = out.numerator, out.denominator
    if num is None or den is None:
        return
    if den == 0:
        report(F.INTAKE_ZERO_DENOMINATOR, "分母为 0，本行不参与上级的比率计算。", "denominator")
        return
    rate = rate_scale(task.unit) * num / den
    unit = task.unit or ""
    if out.value is None and not out.raw_value:
        out.value = float(f"{rate:.12g}")  # never rounded twice: documents print it to their own precision
        report(F.INTAKE_RATE_FROM_PARTS, f"没有填比率，按分子 {num:g} ÷ 分母 {den:g} 算出 {rate:.2f}{unit}。", "numerator")
    elif out.value is not None and abs(out.value - rate) > max(RATE_POINTS, RATE_SHARE * abs(rate)):
        report(F.INTAKE_RATE_PARTS_DIFFER, f"填报的比率 {out.value:g}{unit} 与分子 {num:g} ÷ 分母 {den:g} = {rate:.2f}{unit} "
                                           "不一致，请核对；上级按分子、分母计算。", "value")
