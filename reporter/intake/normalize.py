"""Normalise what a unit wrote into the task's terms: value in the task's unit, status, dates.

Each function returns the clean value (or None) and the problems found, as (finding type, message) pairs.
Rules, documented in docs/intake.md:
- '2.5万' is multiplied by 10,000 unless the task's unit already starts with 万 (then it is 2.5 as written).
- For a % indicator, '95%' and '95' are 95; a bare number between 0 and 1 ('0.95') is read as a fraction
  (95) and reported, because no real 完成率 target is below 1%.
- A % written for a task whose unit is not % cannot be converted: it is kept verbatim and reported.
- '约300' is 300, reported as 提示. '—', '/', '无' and blanks mean 'not filled'.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from ..model import findings as F
from ..model.schedule import parse_deadline
from ..model.text import compact
from .values import cell_text, is_empty_mark, parse_number

Problem = tuple[F.FindingType, str]

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "已完成": ("已完成", "完成", "全部完成", "已全部完成", "提前完成", "已完工", "已办结", "已达标", "完成目标"),
    "正常推进": ("正常推进", "序时推进", "按计划推进", "按序时推进", "推进中", "进行中", "有序推进", "正常",
             "按时推进", "超序时", "超序时推进", "按序时", "基本按序时推进", "顺利推进", "持续推进"),
    "滞后": ("滞后", "进度滞后", "未完成", "慢序时", "落后", "推进滞后", "严重滞后", "滞后于序时", "进度缓慢"),
    "未启动": ("未启动", "未开工", "尚未启动", "未开始", "暂未启动", "尚未开工", "待启动"),
}
_STATUS_INDEX = {word: status for status, words in STATUS_WORDS.items() for word in words}


def normalize_status(raw: Any) -> tuple[str | None, list[Problem]]:
    if isinstance(raw, str):  # a handful of distinct texts per file: worth caching
        status, problems = _status_of_text(raw)
        return status, list(problems)
    return _status(raw)


@lru_cache(maxsize=4096)
def _status_of_text(raw: str) -> tuple[str | None, tuple[Problem, ...]]:
    status, problems = _status(raw)
    return status, tuple(problems)


def _status(raw: Any) -> tuple[str | None, list[Problem]]:
    if is_empty_mark(raw):
        return None, []
    key = compact(raw).rstrip("。.")
    status = _STATUS_INDEX.get(key)
    if status is None:  # '项目已完成验收' → a known word of 3+ characters inside it, longest first
        for word in sorted(_STATUS_INDEX, key=len, reverse=True):
            if len(word) >= 3 and word in key:
                status = _STATUS_INDEX[word]
                break
    if status is None:
        return None, [(F.INTAKE_STATUS_UNKNOWN, f"进展状态“{cell_text(raw)}”无法识别，应为已完成、正常推进、滞后或未启动之一。")]
    return status, []


def normalize_value(raw: Any, unit: str | None) -> tuple[float | None, list[Problem]]:
    """The cumulative value in the task's unit, or None with the reason."""
    if raw.__class__ is float and raw >= 0 and not (raw < 1 and raw > 0 and is_pct_unit(unit)):
        return raw, []  # a plain number cell, the common case: what the rules below give it, without parsing
    if is_empty_mark(raw):
        return None, []
    number = parse_number(raw)
    text = cell_text(raw)
    if number is None:
        return None, [(F.INTAKE_NOT_NUMBER, f"累计完成“{text}”不是数值，已原样保留，未汇总。")]
    pct_unit = is_pct_unit(unit)
    unit = compact(unit or "")
    problems: list[Problem] = []
    value = number.value
    if number.percent and not pct_unit:
        return None, [(F.INTAKE_PERCENT_FOR_COUNT, f"累计完成“{text}”是百分数，但本任务的计量单位是“{unit or '未注明'}”，"
                                                   "请填写实际数量。")]
    if number.scale:
        factor = {"万": 1e4, "亿": 1e8, "千": 1e3}[number.scale]
        if unit.startswith(number.scale):
            pass  # '2.5万' in a 万户 column means 2.5 万户
        elif unit.startswith("亿") and number.scale == "万":
            value = value / 1e4
            problems.append((F.INTAKE_SCALED, f"“{text}”已换算为 {value:g}{unit}。"))
        else:
            value = value * factor
            problems.append((F.INTAKE_SCALED, f"“{text}”已换算为 {value:g}{unit}。"))
    elif pct_unit and not number.percent and 0 < value < 1 and isinstance(raw, str | float):
        value = value * 100
        problems.append((F.INTAKE_PERCENT_FRACTION, f"“{text}”按百分数 {value:g}% 汇总，请核对。"))
    if number.approximate:
        problems.append((F.INTAKE_APPROX, f"“{text}”是约数，按 {value:g} 汇总。"))
    if value < 0:
        return None, problems + [(F.INTAKE_NEGATIVE, f"累计完成“{text}”为负数，未汇总。")]
    return value, problems


def is_pct_unit(unit: str | None) -> bool:
    return compact(unit or "") in ("%", "‰", "百分比")


def normalize_date(raw: Any, year: int) -> tuple[str, list[Problem]]:
    """完成日期 from an Excel date, serial number, '2025.5.31', '2025/5/31' or '2025年5月31日' → ISO text."""
    if is_empty_mark(raw):
        return "", []
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%Y-%m-%d"), []
    if isinstance(raw, (int, float)) and 30000 < raw < 60000:  # an Excel serial date
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))).isoformat(), []
    deadline = parse_deadline(raw, year)
    if deadline.parsed:
        return deadline.date.isoformat(), []
    return cell_text(raw), [(F.INTAKE_DATE_UNPARSED, f"完成日期“{cell_text(raw)}”无法识别，已按原文保留。")]
