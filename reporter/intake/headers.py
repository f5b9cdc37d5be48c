"""Find a table on a sheet by its header names, whatever the position, wording or script.

A schema is a list of fields, each with a canonical header and the aliases real offices use. A header cell
matches after normalisation (full-width → half-width, 繁体 → 简体, spaces and line breaks removed, a unit
in brackets split off: 年度目标（万人） → 年度目标 + 万人). One- and two-row (merged) headers are accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from ..model.text import compact, split_header
from .workbook import Sheet


@dataclass(frozen=True)
class Field:
    key: str  # identifier used in code
    header: str  # canonical Chinese header
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()  # regexes for headers like 2025年目标

    def matches(self, name: str) -> bool:
        if name == self.header or name in self.aliases:
            return True
        return any(re.fullmatch(p, name) for p in self.patterns)


@dataclass(frozen=True)
class Schema:
    name: str  # Chinese name of the table, for messages
    fields: tuple[Field, ...]
    required: tuple[str, ...]
    sheet_names: tuple[str, ...] = ()  # usual sheet names, tried first
    # header text → the field it names; every file repeats the same few dozen headers, and trying each
    # field's aliases and patterns on each of them was most of the time spent finding a table
    _matches: dict[str, Field | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def match(self, header: str) -> Field | None:
        if header not in self._matches:
            if len(self._matches) >= 4096:  # data rows near the header are scanned too: keep it bounded
                self._matches.clear()
            name, _ = split_header(header)
            self._matches[header] = next((f for f in self.fields if f.matches(name)), None)
        return self._matches[header]


@dataclass
class Table:
    sheet: Sheet
    schema: Schema
    header_rows: tuple[int, ...]
    columns: dict[str, int]  # field key → column index
    units: dict[str, str] = field(default_factory=dict)  # field key → unit written in the header
    extras: dict[int, str] = field(default_factory=dict)  # column → header of a column not in the schema
    headers: dict[int, str] = field(default_factory=dict)  # column → header as written

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row index, values) for each data row, skipping blank rows and footer notes."""
        rows = self.sheet.rows
        for r in range(self.data_start, len(rows)):
            values = rows[r]
            if is_data(values):
                yield r, values

    def value(self, values: list[Any], key: str) -> Any:
        col = self.columns.get(key)
        if col is None or col >= len(values):
            return None
        value = values[col]
        return None if value == "" else value


FOOTER = re.compile(r"^(填表人|填报人|制表人?|审核人|审核|负责人|联系人|联系电话|电话|单位负责人|填报日期|填表日期|"
                    r"注|备注|说明|填表说明)\s*[:：]")


# A section heading among the data rows: 一、就业创业 / （二）教育 / 第三部分 / 1. 社会保障, alone on its row.
HEADING = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[)）]|"
                     r"第[一二三四五六七八九十百\d]+(?:部分|类|项|章|节|篇|批)|\d+[、.．]\s*\D)")
# A row that sums others: its task or region cell says 合计 / 小计 / 全市合计 / 全省.
TOTAL_LABEL = re.compile(r"^(?:(?:全省|全市|全州|全县|全区|各地|总)?(?:合计|总计|小计|汇总)|全省|全市|全州|全县|全区)$")


def is_data(values: Sequence[Any]) -> bool:
    """Neither blank, nor a footer note, nor a section heading; decided on the first cell when it can be, as
    it is for most rows."""
    first = values[0] if values else None
    if first is not None and not isinstance(first, str):
        return True  # a number or a date first: not blank, and footers are text
    if isinstance(first, str) and first.isascii() and not first.isspace() and first:
        return True  # ASCII text first, like a task code: footer notes start with Chinese words
    return not (is_blank(values) or is_footer(values) or is_heading(values))


def is_heading(values: Sequence[Any]) -> bool:
    """A section heading (一、就业创业) alone on its row: a label for the rows below, not a row of data."""
    filled = [v for v in values if v not in (None, "") and not (isinstance(v, str) and v.isspace())]
    return len(filled) == 1 and isinstance(filled[0], str) and bool(HEADING.match(compact(filled[0])))


def is_total_label(value: Any) -> bool:
    return isinstance(value, str) and bool(TOTAL_LABEL.match(compact(value)))


def is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def is_footer(values: Sequence[Any]) -> bool:
    first = next((v for v in values if v not in (None, "")), None)
    return isinstance(first, str) and bool(FOOTER.match(compact(first)))


def _spread_merged(sheet: Sheet, rows: range) -> dict[tuple[int, int], Any]:
    """Header cells with merged values copied into every cell of their range."""
    filled: dict[tuple[int, int], Any] = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r0 in rows or r1 in rows:
            value = sheet.cell(r0, c0)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    filled[(r, c)] = value
    return filled


def _header_text(sheet: Sheet, filled: dict, r: int, c: int) -> str:
    value = filled.get((r, c), sheet.cell(r, c))
    return "" if value is None else str(value).strip()


def _map_row(schema: Schema, texts: dict[int, list[str]]) -> tuple[dict[str, int], dict[str, str]]:
    """Assign fields to columns: each column takes the first of its candidate texts that matches."""
    columns: dict[str, int] = {}
    units: dict[str, str] = {}
    for col, candidates in texts.items():
        for text in candidates:
            f = schema.match(text)
            if f and f.key not in columns:
                columns[f.key] = col
                unit = split_header(text)[1]
                if unit:
                    units[f.key] = unit
                break
    return columns, units


def _row_has_header(schema: Schema, texts: list[str], width: int) -> bool:
    return any(schema.match(t) for t in texts[:width] if t)


def find_table(sheet: Sheet, schema: Schema, scan: int = 20) -> Table | None:
    """The best header (one row, or two rows with merges) on the sheet holding all required fields."""
    best: Table | None = None
    limit = min(scan, len(sheet.rows))
    filled = _spread_merged(sheet, range(0, limit + 1))
    row_texts: dict[int, list[str]] = {}  # each row's header texts, worked out once (rows are tried twice)

    def texts_of(x: int) -> list[str]:
        if x not in row_texts:
            width = max(len(sheet.rows[x]), len(sheet.rows[x + 1]) if x + 1 < len(sheet.rows) else 0,
                        len(sheet.rows[x - 1]) if x > 0 else 0)
            row_texts[x] = [_header_text(sheet, filled, x, c) for c in range(width)]
        return row_texts[x]

    for r in range(limit):
        width = max(len(sheet.rows[r]), len(sheet.rows[r + 1]) if r + 1 < len(sheet.rows) else 0)
        for rows in ((r,), (r, r + 1)):
            if rows[-1] >= len(sheet.rows):
                continue
            texts = {}
            lines = [texts_of(x) for x in rows]
            for c in range(width):
                parts = [line[c] for line in lines]
                # lower text alone, then upper alone, then both joined: 完成情况/累计值 → 累计值
                candidates = [p for p in reversed(parts) if p]
                if len(parts) == 2 and all(parts) and parts[0] != parts[1]:
                    candidates.append(parts[0] + parts[1])
                if candidates:
                    texts[c] = candidates
            columns, units = _map_row(schema, texts)
            if not all(k in columns for k in schema.required):
                continue
            if len(rows) == 2 and not (_row_has_header(schema, lines[0], width)
                                       and _row_has_header(schema, lines[1], width)):
                continue  # a title line above a header, or a data row below one, is not a header row
            # a valid two-row header wins ties: its lower row (累计完成/完成率) is not data
            if best is None or len(columns) > len(best.columns) or (
                    len(rows) == 2 and len(columns) == len(best.columns) and best.header_rows[0] == r):
                used = set(columns.values())
                headers = {c: t[0] for c, t in texts.items()}
                extras = {c: t[0] for c, t in texts.items() if c not in used}
                best = Table(sheet, schema, rows, columns, units, extras, headers)
        if best is not None and best.header_rows[0] == r:
            break  # the first row that holds a full header wins; later rows are data
    return best


def locate(sheets: Sequence[Sheet], schema: Schema) -> Table | None:
    """The table for a schema: sheets with a usual name first, then every other sheet."""
    names = {compact(n) for n in schema.sheet_names}
    ordered = sorted(sheets, key=lambda s: compact(s.name) not in names)
    for sheet in ordered:
        table = find_table(sheet, schema)
        if table:
            return table
    return None
