"""Shared xlsxwriter helpers: formats, safe text, column widths."""
from __future__ import annotations

import re
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def plain_number(value: Any) -> Any:
    """A 年度目标 written as a bare number ('0.22', '15') as the number, so a workbook stores a number, not
    text Excel flags with a green corner; '1200户', '≥95%', '001' stay as written."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return value


def safe_value(value: Any) -> Any:
    """A value to write as it is. Text that starts like a formula (=, +, -, @) can never run: every workbook
    reporter writes has xlsxwriter's strings_to_formulas off, so text is stored as a text cell (an apostrophe
    in front, as once written here, would show: '-已筹集房源). openpyxl writers use put_text."""
    return value


def put_text(cell, value: Any) -> None:
    """Set an openpyxl cell to a value, text always as text: openpyxl would store '=…' as a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


def display_width(text: Any) -> int:
    """Column width in Excel units: CJK characters count double."""
    s = "" if text is None else str(text)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def fit_widths(rows: list[list[Any]], minimum: int = 6, maximum: int = 60) -> list[int]:
    widths: list[int] = []
    for row in rows:
        for i, value in enumerate(row):
            w = display_width(value) + 2
            if i >= len(widths):
                widths.append(w)
            else:
                widths[i] = max(widths[i], w)
    return [min(max(w, minimum), maximum) for w in widths]


def header_format(book) -> Any:
    return book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                            "valign": "vcenter", "align": "center", "font_name": "宋体"})


def write_table(book, name: str, headers: list[str], rows: list[list[Any]], text_wrap_cols: tuple[int, ...] = ()):
    """A plain sheet: bold frozen header, autofilter, fitted widths, A4 landscape."""
    sheet = book.add_worksheet(name)
    head = header_format(book)
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, headers, head)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, [safe_value(v) for v in row])
    for c, width in enumerate(fit_widths([headers, *rows])):
        sheet.set_column(c, c, width, wrap if c in text_wrap_cols else None)
    sheet.freeze_panes(1, 0)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    return sheet
