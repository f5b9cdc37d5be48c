"""Turn cell values as clerks write them into numbers, text and dates — or say why not."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..model.text import compact, normalize_text

_EMPTY_MARKS = {"", "-", "—", "——", "--", "/", "／", "无", "暂无", "空", "N/A", "n/a", "NA", "null", "None", "…"}
_NUMBER = re.compile(r"^(?P<about>约|大约|近|超|逾)?(?P<num>[-+]?\d+(?:\.\d+)?)(?P<scale>万|亿|千)?(?P<pct>%|‰)?$")
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}


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


def is_empty_mark(value: Any) -> bool:
    """Blank cells and the marks clerks use for 'nothing': —, /, 无."""
    return value is None or (isinstance(value, str) and compact(value) in _EMPTY_MARKS)


@dataclass(frozen=True)
class Number:
    value: float
    scale: str | None = None  # 万/亿/千 written after the number
    percent: str | None = None  # % or ‰ written after the number
    approximate: bool = False  # 约300


def parse_number(value: Any) -> Number | None:
    """'1,200', '1 200', '１２００', '95%', '2.5万', '约300' → Number; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Number(float(value))
    text = compact(value).replace(",", "").replace("，", "")
    m = _NUMBER.match(text)
    if not m:
        return None
    return Number(float(m.group("num")), m.group("scale"), m.group("pct"), bool(m.group("about")))


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
