"""Find a table on a sheet by its header names, whatever the position, wording or script.

A schema is a list of fields, each with a canonical header and the aliases real offices use. A header cell
matches after normalisation (full-width → half-width, 繁体 → 简体, spaces and line breaks removed, a unit
in brackets split off: 年度目标（万人） → 年度目标 + 万人, unless the bracket is part of an alias, as in
县（市、区）). One- and two-row (merged) headers are accepted. When several columns name one field, the
standard name wins over an alias, an alias over a loose alias (完成情况), and only then the leftmost; a
field whose headers name months (截至5月底累计完成) takes the column of the month asked for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, NamedTuple, Sequence

from ..model.text import compact, split_header
from .workbook import Sheet


@dataclass(frozen=True)
class Field:
    key: str  # identifier used in code
    header: str  # canonical Chinese header
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()  # regexes for headers like 2025年目标
    loose: tuple[str, ...] = ()  # aliases that only roughly name the field (完成情况): any other match wins

    def __post_init__(self):
        # loose aliases are aliases too, listed last: `aliases` is what the docs list
        object.__setattr__(self, "aliases", self.aliases + tuple(a for a in self.loose if a not in self.aliases))

    def rank(self, name: str, patterns: bool = True) -> int | None:
        """How well a header names the field: 0 its standard name, 1 an alias or pattern, 2 a loose alias."""
        if name == self.header:
            return 0
        if name in self.aliases:
            return 2 if name in self.loose else 1
        if patterns and any(re.fullmatch(p, name) for p in self.patterns):
            return 1
        return None

    def matches(self, name: str) -> bool:
        return self.rank(name) is not None


class Hit(NamedTuple):
    field: Field
    rank: int  # see Field.rank
    unit: str | None  # the unit written in brackets after the name


@dataclass(frozen=True)
class Schema:
    name: str  # Chinese name of the table, for messages
    fields: tuple[Field, ...]
    required: tuple[str, ...]
    sheet_names: tuple[str, ...] = ()  # usual sheet names, tried first
    # at least one of these besides the required ones: what tells the rows apart (a 累计完成 column alone,
    # as on a 填报说明 sheet listing the columns, is no table)
    any_of: tuple[str, ...] = ()
    # (field, field of the month before) for a field whose headers may name a month: 截至5月底累计完成
    monthly: tuple[str, str] | None = None
    # header text → the field it names; every file repeats the same few dozen headers, and trying each
    # field's aliases and patterns on each of them was most of the time spent finding a table
    _matches: dict[str, Hit | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def match(self, header: str) -> Field | None:
        found = self.hit(header)
        return found.field if found else None

    def hit(self, header: str) -> Hit | None:
        """The field a header names, how well, and the unit written with it."""
        if header not in self._matches:
            if len(self._matches) >= 4096:  # data rows near the header are scanned too: keep it bounded
                self._matches.clear()
            self._matches[header] = self._hit(header)
        return self._matches[header]

    def _hit(self, header: str) -> Hit | None:
        name, unit = split_header(header)
        if unit is not None:  # 县（市、区）: a bracket that belongs to the name, written as an alias
            whole = compact(header)
            for f in self.fields:
                rank = f.rank(whole, patterns=False)
                if rank is not None:
                    return Hit(f, rank, None)
        for f in self.fields:
            rank = f.rank(name)
            if rank is not None:
                return Hit(f, rank, unit)
        return None


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
        """(row index, values) for each data row, skipping blank rows, footer notes and section headings."""
        for r, values, _ in self.sections():
            yield r, values

    def sections(self) -> Iterator[tuple[int, list[Any], str]]:
        """rows() with the title of the section heading above each row ('一、幼有善育' → '幼有善育'; '' before
        the first): a ledger without a 领域 column often groups its tasks under such headings."""
        rows, section = self.sheet.rows, ""
        for r in range(self.data_start, len(rows)):
            values = rows[r]
            if is_data(values):
                yield r, values, section
            elif is_heading(values):
                section = heading_title(values)

    def value(self, values: list[Any], key: str) -> Any:
        col = self.columns.get(key)
        if col is None or col >= len(values):
            return None
        value = values[col]
        return None if value == "" else value


FOOTER = re.compile(r"^(填表人|填报人|制表人?|审核人|审核|负责人|联系人|联系电话|电话|单位负责人|填报日期|填表日期|"
                    r"注|备注|说明|填表说明|填报单位|报送单位)\s*([(（][^)）]{0,4}[)）])?\s*[:：]")  # 填报单位（盖章）：


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


# The numbering of a heading written in a cell of its own (the 序号 column) before the title: 一 / 二、 / （三）
HEADING_MARK = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]?|[（(][一二三四五六七八九十百\d]+[)）][、.．]?)$")


HEADING_COLUMNS = 2  # a heading starts in column A, B or C


def is_heading(values: Sequence[Any]) -> bool:
    """A section heading — 一、就业创业 alone on its row, or a mark and a title: 一 | 就业创业（2项） — a label
    for the rows below, not a row of data. Text only: a number anywhere makes it data; and it starts in the
    first columns (a '2.部分企业用工需求下降' alone in the 存在问题 column is a note that ran on, i.e. data)."""
    filled = []
    for i, v in enumerate(values):
        if v is None or v == "":
            continue
        if not isinstance(v, str):
            return False
        if v.isspace():
            continue
        if not filled and i > HEADING_COLUMNS:
            return False
        filled.append(v)
        if len(filled) > 2:
            return False
    if len(filled) == 1:
        return bool(HEADING.match(compact(filled[0])))
    return len(filled) == 2 and bool(HEADING_MARK.match(compact(filled[0]))) and _is_title(compact(filled[1]))


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]?|[（(][一二三四五六七八九十百\d]+[)）][、.．]?|"
                        r"第[一二三四五六七八九十百\d]+(?:部分|类|项|章|节|篇|批)[、.．:：]?|\d+[、.．])")
_COUNT = re.compile(r"[（(]\s*共?\s*\d+\s*[项个件类]\s*[)）]$")


def heading_title(values: Sequence[Any]) -> str:
    """A section heading's title without its numbering or count: '一、' | '幼有善育（2项）' → '幼有善育'."""
    text = "".join(compact(v) for v in values if isinstance(v, str) and v.strip())
    return _COUNT.sub("", _NUMBERING.sub("", text, count=1)).strip()


def _is_title(text: str) -> bool:
    # a task code (T1, MS-2025-01, 民生01) next to the mark makes the row data
    return not text.isascii() and not text[-1].isdigit()


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


_MONTH = re.compile(r"(?<![\d一二三四五六七八九十])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月")
_CN_MONTHS = {n: m for m, n in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


@lru_cache(maxsize=4096)
def month_named(text: str) -> int | None:
    """The month a header or sheet name names, the last one for a span: 截至5月底 / 1-5月 / 2025年4月 / 四月."""
    found = _MONTH.findall(compact(text))
    if not found:
        return None
    last = found[-1]
    return int(last) if last.isdigit() else _CN_MONTHS[last]


class _Column(NamedTuple):
    rank: int
    col: int
    hit: Hit
    whole: str  # all of the column's header text, for the month it names


def _map_row(schema: Schema, texts: dict[int, list[str]],
             month: int | None = None) -> tuple[dict[str, int], dict[str, str]]:
    """Assign fields to columns. Each column names the field of the first of its candidate texts that
    matches; a field named by several columns takes the best match, then the leftmost (see _by_month)."""
    found: dict[str, list[_Column]] = {}
    for col, candidates in texts.items():
        for i, text in enumerate(candidates):
            hit = schema.hit(text)
            if hit:
                # the upper text naming the same field too makes the match as good as the upper's:
                # 完成数 under 1-5月累计完成 is that column, not a loose 完成数
                for other in candidates[i + 1:]:
                    also = schema.hit(other)
                    if also and also.field is hit.field and also.rank < hit.rank:
                        hit = Hit(hit.field, also.rank, hit.unit or also.unit)
                found.setdefault(hit.field.key, []).append(_Column(hit.rank, col, hit, candidates[-1]))
                break
    chosen = {key: min(columns) for key, columns in found.items()}
    if schema.monthly and schema.monthly[0] in found:
        _by_month(schema.monthly, found[schema.monthly[0]], chosen, month)
    columns = {key: c.col for key, c in chosen.items()}
    units = {key: c.hit.unit for key, c in chosen.items() if c.hit.unit}
    return columns, units


def _by_month(keys: tuple[str, str], found: list[_Column], chosen: dict[str, _Column], month: int | None) -> None:
    """Columns of one field naming months (截至4月底累计完成 | 截至5月底累计完成): the one naming `month`
    (without it, the latest named) is the field, the one naming the month before is `keys[1]` unless another
    column already names that; the other months' columns are left over (kept as notes). When no column names
    the month, the best match naming none or the latest month wins (a header not updated since last month)."""
    key, before_key = keys
    dated = [(month_named(c.whole), c) for c in found]
    named = [m for m, _ in dated if m]
    if not named:
        return
    target = month or max(named)
    this = [c for m, c in dated if m == target]
    chosen[key] = min(this or [c for m, c in dated if m in (None, max(named))])
    before = [c for m, c in dated if m == target - 1 and c is not chosen[key]]
    if before and before_key not in chosen:
        chosen[before_key] = min(before)


def _row_has_header(schema: Schema, texts: list[str], width: int) -> bool:
    return any(schema.match(t) for t in texts[:width] if t)


# The lower text of a column under an upper cell merged over several columns that is a share, not an amount:
# 完成率（%） under 1-5月累计完成 is not 累计完成.
_SHARE = re.compile(r"率|%|％|百分比|占比|比例|比重")


def _wide_cells(sheet: Sheet, rows: range) -> set[tuple[int, int]]:
    """Cells of the header rows inside a merge spanning several columns (1-5月累计完成 over 完成率｜完成数)."""
    return {(r, c) for r0, c0, r1, c1 in sheet.merged if c1 > c0 and (r0 in rows or r1 in rows)
            for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}


def find_table(sheet: Sheet, schema: Schema, scan: int = 20, month: int | None = None) -> Table | None:
    """The best header (one row, or two rows with merges) on the sheet holding all required fields (and one
    of `schema.any_of`). `month`: the month asked for, which picks among columns naming months. Under an
    upper cell merged over several columns, each column's own lower text decides: a rate (完成率（%）) is
    never the upper's field, while a lower text naming no field (数量) takes the upper's."""
    best: Table | None = None
    limit = min(scan, len(sheet.rows))
    filled = _spread_merged(sheet, range(0, limit + 1))
    wide = _wide_cells(sheet, range(0, limit + 1))
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
                    if (r, c) in wide and (r + 1, c) not in wide and _SHARE.search(parts[1]):
                        candidates = [parts[1]]  # a share under a wide upper cell: its own text only
                    else:
                        candidates.append(parts[0] + parts[1])
                if candidates:
                    texts[c] = candidates
            columns, units = _map_row(schema, texts, month)
            if not all(k in columns for k in schema.required) or (
                    schema.any_of and not any(k in columns for k in schema.any_of)):
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
