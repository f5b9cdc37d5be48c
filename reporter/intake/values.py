"""Turn cell values as clerks write them into numbers, text and dates — or say why not."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..model.text import compact, normalize_text, to_simplified

_EMPTY_MARKS = {"", "-", "—", "——", "--", "/", "／", "无", "暂无", "空", "N/A", "n/a", "NA", "null", "None", "…"}
_NUMBER = re.compile(r"^(?P<about>约|大约|近|超|逾)?(?P<num>[-+]?\d+(?:\.\d+)?)(?P<scale>千万|百万|万|亿|千)?"
                     r"(?P<over>余|多|左右)?(?P<pct>%|‰)?$")  # '300余', '2万多': about, as '约300' is
# a number followed by a unit as clerks write it: '9个', '1.1万户', '35 人' (spaces are gone by then)
_UNIT_BRACKETS = {"()", "[]", "【】"}  # compact has made full-width brackets half-width
_NUMBER_UNIT = re.compile(r"^(?P<about>约|大约|近|超|逾)?(?P<num>[-+]?\d+(?:\.\d+)?)(?P<over>余|多)?"
                          r"(?P<unit>[^\d%‰.余多]{1,6})$")


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates ISO, strings normalised."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first: this runs for every cell
        return normalize_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return normalize_text(value)


def free_text(value: Any) -> str:
    """A 工作进展/存在问题/下步措施/备注 cell as the unit wrote it: trimmed, line ends as '\\n', 繁体 → 简体;
    full-width punctuation, line breaks and inner spaces are kept (cell_text would flatten them)."""
    if type(value) is not str:
        return cell_text(value)
    text = value.strip()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return to_simplified(text)  # cached per distinct text, and a no-op for ASCII


def is_empty_mark(value: Any) -> bool:
    """Blank cells and the marks clerks use for 'nothing': —, /, 无."""
    return value is None or (isinstance(value, str) and compact(value) in _EMPTY_MARKS)


@dataclass(frozen=True)
class Number:
    value: float
    scale: str | None = None  # 千/万/百万/千万/亿 written after the number
    percent: str | None = None  # % or ‰ written after the number
    approximate: bool = False  # 约300
    unit: str | None = None  # the unit written after the number ('万户' in '1.1万户'), from parse_quantity only


_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?![\d])")


def _ungrouped(text: str) -> str | None:
    """'1,200' / '1，200' without their thousands separators; None when a comma is not one ('1,20' is a typo
    for 1.20 or 120: asked, never guessed)."""
    if "," not in text and "，" not in text:
        return text
    text = _GROUPED.sub(lambda m: m.group(0).replace(",", "").replace("，", ""), text)
    return None if "," in text or "，" in text else text


def parse_number(value: Any) -> Number | None:
    """'1,200', '1 200', '１２００', '95%', '2.5万', '约300' → Number; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = _ungrouped(compact(value))
    m = _NUMBER.match(text) if text is not None else None
    if not m:
        return None
    return Number(float(m.group("num")), m.group("scale"), m.group("pct"), bool(m.group("about") or m.group("over")))


def parse_quantity(value: Any) -> Number | None:
    """parse_number, or a number with a unit written after it: '9个', '1.1万户', '1,260张' → Number(unit=…).
    Brackets around the unit are just brackets: '2600（套）' is 2600 套. Whether that unit is the task's is for the
    caller to decide."""
    number = parse_number(value)
    if number is not None or not isinstance(value, str):
        return number
    text = _ungrouped(compact(value))
    m = _NUMBER_UNIT.match(text) if text is not None else None
    if not m:
        return None
    unit = m.group("unit")
    if len(unit) > 2 and unit[0] + unit[-1] in _UNIT_BRACKETS:
        unit = unit[1:-1]
    return Number(float(m.group("num")), approximate=bool(m.group("about") or m.group("over")), unit=unit)


def number_value(value: Any) -> float | None:
    """parse_number(value).value, or None; a number cell (the usual case) is returned without parsing."""
    if value.__class__ is float:
        return value
    number = parse_number(value)
    return number.value if number else None


def parse_bool(value: Any) -> bool | None:
    text = compact(value)
    if text in {"是", "Y", "y", "yes", "Yes", "TRUE", "true", "True", "1", "√", "✓"}:
        return True
    if text in {"否", "N", "n", "no", "No", "FALSE", "false", "False", "0", "", "×"}:
        return False
    return None
