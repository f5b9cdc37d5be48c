"""Parse one submitted file into raw rows with cell positions — no ledger needed, so it runs in workers.

Every sheet is searched for a progress table (title rows, notes, one- or two-row merged headers, aliases,
繁体 and full-width all tolerated). What cannot be read becomes a file-level problem, never an exception.
"""
from __future__ import annotations

import bisect
import datetime as dt
from array import array
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Sequence

from ..model.text import compact, normalize_text, split_header
from .discover import Source
from .headers import Table, find_table, is_blank, is_data, is_footer, month_named
from .submission_schema import GUIDE_SHEETS, META_KEYS, META_SHEET, PROGRESS, TEMPLATE_ID
from .workbook import Sheet, UnreadableFile, read_workbook


class RawCell(NamedTuple):
    value: Any
    col: int
    blind: str | None = None  # 'formula' (no cached value) or 'error:#REF!'


class Layout:
    """How one table names its columns, shared by all its rows."""

    def __init__(self, sheet: str, columns: dict[str, int], headers: dict[int, str],
                 blind: dict[tuple[int, int], str], units: dict[str, str] | None = None):
        self.sheet = sheet
        self.units = units or {}  # field key → the unit this table's header writes for it: 累计完成（个）
        # a table without a 地区 column: its sheet's name, which may name the rows' region (one sheet per
        # 县市区: 咸安区, 嘉鱼县); whether it does is for the caller, who knows the regions, to decide
        self.region_hint: str | None = None if "region" in columns else sheet
        self.fields = tuple(sorted(columns.items(), key=lambda kc: kc[1]))  # (field key, column), by column
        self.headers = headers  # column → header as written
        self.blind = blind  # the sheet's (row, col) → 'formula' / 'error:#REF!'
        self._plans: dict[int, tuple[tuple, tuple]] = {}
        self._shared: dict[tuple[int, ...], dict[str, int]] = {}

    def plan(self, width: int) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[int, str, str], ...]]:
        """For a row of `width` cells: its (field key, column) pairs, and (column, header, key in
        RoundRow.columns) for each other column. Worked out once per width rather than once per row."""
        if width not in self._plans:
            fields = tuple((key, c) for key, c in self.fields if c < width)
            used = {c for _, c in self.fields}
            labels = [(c, self.label(c)) for c in range(width) if c not in used]
            self._plans[width] = fields, tuple((c, label, f"备注:{label}") for c, label in labels)
        return self._plans[width]

    def shared(self, columns: dict[str, int]) -> dict[str, int]:
        """One dict for all rows with the same non-empty columns: they end up as RoundRow.columns, and a dict
        per row was most of the memory a round took (and a copy per row, twice, of its time)."""
        # in one table a column always has the same key, so the columns in order tell the dict
        return self._shared.setdefault(tuple(columns.values()), columns)

    def label(self, col: int) -> str:
        # a column with no header is still kept, named by its letter; two columns with one header (备注,
        # 备注) are told apart by their letters, as a row keeps its other columns by label
        header = self.headers.get(col)
        if not header:
            return f"{_letters(col)}列"
        if sum(1 for text in self.headers.values() if text == header) > 1:
            return f"{header}（{_letters(col)}列）"
        return header


class RawRow:
    """One recognised data row: the non-empty cells of its known fields and of its other columns.

    Built for every row of every file, so it holds plain values and column numbers rather than a RawCell per
    cell (the hot loop in collect reads `fields` directly); `cells` and `extras` make RawCells on demand.
    """

    __slots__ = ("sheet", "row", "fields", "others", "columns", "layout")

    def __init__(self, sheet: str, row: int, fields: dict[str, Any], others: dict[str, Any],
                 columns: dict[str, int], layout: Layout):
        self.sheet = sheet
        self.row = row  # zero-based
        self.fields = fields  # field key → value (None for a blind cell), non-empty cells only, by column
        self.others = others  # header of an unknown column → value, non-empty cells only, by column
        # where each non-empty cell is, as RoundRow.columns has it: the keys of `fields`, in the same order,
        # then '备注:header' for each of `others`; shared with other rows, so never edited
        self.columns = columns
        self.layout = layout

    def blind(self, key: str) -> str | None:
        """'formula' / 'error:…' when the field's cell has a value no reader can see."""
        return self._blind_at(self.columns[key]) if self.layout.blind and key in self.fields else None

    def _blind_at(self, col: int) -> str | None:
        return self.layout.blind.get((self.row, col)) if self.layout.blind else None

    @property
    def cells(self) -> dict[str, RawCell]:  # field key → cell (non-empty only)
        return {key: RawCell(value, col, self._blind_at(col))
                for (key, value), col in zip(self.fields.items(), self.columns.values())}

    @property
    def extras(self) -> dict[str, RawCell]:  # header of an unknown column → cell
        cells = {}
        for header, value in self.others.items():
            col = self.columns[f"备注:{header}"]
            cells[header] = RawCell(value, col, self._blind_at(col))
        return cells


class Grid:
    """One recognised table's data rows, as read: collect's fast path works on its columns, and a RawRow is
    made only for a row that needs one (`raw_row`), rather than for each of a file's hundreds of rows."""

    __slots__ = ("layout", "rows", "values")

    def __init__(self, layout: Layout, rows: Sequence[int], values: list[Sequence]):
        self.layout = layout
        self.rows = rows  # zero-based sheet row of each data row
        self.values = values  # its cells, as the reader gave them

    def __len__(self) -> int:
        return len(self.rows)

    def raw_row(self, i: int) -> RawRow:
        return _raw_row(self.layout, self.rows[i], self.values[i])


@dataclass
class Submission:
    source: Source
    meta: dict[str, str] = field(default_factory=dict)  # from the template's metadata sheet
    declared: list[tuple[str, str, str]] = field(default_factory=list)  # (text, sheet, cell) of 填报单位：…
    grids: list[Grid] = field(default_factory=list)  # the data rows of each recognised table
    tables: list[tuple[str, tuple[int, ...], dict[str, int]]] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # field key → unit written in its header
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sheet, Chinese reason) of a table not read
    error: str | None = None  # unreadable file / no table: a Chinese message
    _rows: list[RawRow] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def rows(self) -> list[RawRow]:
        """Every recognised data row (each has a non-empty or blind cell), made on first use."""
        if self._rows is None:
            self._rows = [row for grid in self.grids for i in range(len(grid))
                          if (row := grid.raw_row(i)).fields or row.others]
        return self._rows

    @property
    def row_count(self) -> int:
        # every data row has a non-empty or blind cell (blank rows are not data), so no RawRow is needed
        return sum(len(grid) for grid in self.grids)

    @property
    def generated(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.meta.get("generated", ""))
        except ValueError:
            return None


# A seal mark written with a label or a name: 填报单位（盖章）： / 江汉区人民政府（盖章）
_STAMP = r"\((?:盖章|公章|签章|印章|章)\)"
_DECLARED = re.compile(rf"^(填报单位|报送单位|填表单位|单位名称|单位|地区|填报地区)(?:{_STAMP})?[:：]\s*(.+)$")
_BARE = re.compile(rf"^(填报单位|报送单位|填表单位|单位名称)(?:{_STAMP})?[:：]?$")
# Rows searched for 填报单位 on a sheet without a table (a cover sheet): a few more than find_table searches
# for a header
DECLARED_SCAN = 25


def parse_submission(source: Source, month: int | None = None) -> Submission:
    """Read a file's progress tables. `month`: the round's month, which picks the columns and sheets of that
    month when headers or sheet names name months (截至5月底累计完成; sheets 4月, 5月)."""
    sub = Submission(source)
    if not source.readable:
        sub.error = _unsupported(source)
        return sub
    try:
        sheets = read_workbook(source.name, source.read_bytes())
    except (UnreadableFile, OSError) as exc:
        sub.error = str(exc)
        return sub
    tables = []
    hidden: list[tuple[str, str, str]] = []  # 填报单位 read on hidden sheets, put after the visible sheets'
    for sheet in sheets:
        if sheet.error:
            sub.skipped.append((sheet.name, f"该工作表无法读取（{sheet.error}），文件中其他工作表照常读取。"))
            continue
        if sheet.name == META_SHEET:
            sub.meta = _meta(sheet)
            continue
        if split_header(sheet.name)[0] in GUIDE_SHEETS:
            continue  # 填报说明 lists the headers: it must not be read as a table
        table = find_table(sheet, PROGRESS, month=month)
        found = hidden if getattr(sheet, "hidden", False) else sub.declared
        _declared(sheet, found, table.header_rows[0] if table else DECLARED_SCAN)
        if table is not None:
            tables.append(table)
    sub.declared += hidden
    for table in _of_month(_visible(tables, sub.skipped), month, sub.skipped):
        _read(sub, table)
    if not sub.tables:
        sub.error = (f"文件“{source.name}”中找不到进展填报表：需要含“累计完成”（或“完成值”等）表头的工作表。"
                     "请使用下发的填报模板。")
    return sub


def _read(sub: Submission, table: Table) -> None:
    sheet = table.sheet
    _spread_down(sheet, table)
    sub.tables.append((sheet.name, table.header_rows, dict(table.columns)))
    sub.units.update(table.units)
    layout = Layout(sheet.name, table.columns, table.headers, sheet.blind, table.units)
    sub.grids.append(_grid(layout, table))


def _visible(tables: list[Table], skipped: list[tuple[str, str]]) -> list[Table]:
    """The tables on visible sheets, when there are any: a hidden sheet (a working copy with last month's
    figures, a helper sheet) is not what the unit sends, and its rows would make the visible ones duplicates.
    Each hidden one left is recorded in `skipped`. When every table is hidden, all are read."""
    shown = [t for t in tables if not getattr(t.sheet, "hidden", False)]
    if not shown or len(shown) == len(tables):
        return tables
    for table in tables:
        if getattr(table.sheet, "hidden", False):
            skipped.append((table.sheet.name, "该工作表为隐藏工作表，文件中另有可见的进展填报表，未读取。"))
    return shown


def _of_month(tables: list[Table], month: int | None, skipped: list[tuple[str, str]]) -> list[Table]:
    """The tables to read when sheet names name months (4月, 5月 — last month's sheet kept beside this
    month's): a sheet naming another month than `month` (without it, the latest named) is not read while
    another sheet names that month or none; each one left is recorded in `skipped`. When every sheet names
    another month, all are read: a sheet not renamed since last month is still this month's data."""
    named = [month_named(t.sheet.name) for t in tables]
    target = month or max(filter(None, named), default=None)
    if target is None or not any(m in (target, None) for m in named):
        return tables
    for table, m in zip(tables, named):
        if m not in (target, None):
            why = f"本轮为{month}月" if month else f"文件中另有{target}月的工作表"
            skipped.append((table.sheet.name, f"表名为{m}月，{why}，未读取。"))
    return [t for t, m in zip(tables, named) if m in (target, None)]


def _unsupported(source: Source) -> str:
    kind = {".et": "WPS 表格", ".numbers": "Numbers", ".pdf": "PDF", ".doc": "Word", ".docx": "Word",
            ".wps": "WPS 文字", ".jpg": "图片", ".png": "图片"}.get(source.suffix, "不支持的")
    return f"“{source.name}”是{kind}文件，无法读取。请用 Excel 或 WPS 打开填报模板，另存为 .xlsx 后重新报送。"


def _meta(sheet: Sheet) -> dict[str, str]:
    labels = {label: key for key, label in META_KEYS.items()}
    meta = {}
    for row in sheet.rows:
        if len(row) >= 2 and compact(row[0]) in labels:
            meta[labels[compact(row[0])]] = "" if row[1] is None else str(row[1]).strip()
    return meta if meta.get("template") == TEMPLATE_ID else {}


def _declared(sheet: Sheet, found: list[tuple[str, str, str]], stop: int) -> None:
    """'填报单位：省民政厅' written in a title or info row above row `stop` (the table's header), possibly in
    the next cell."""
    from ..model.findings import cell_ref

    for r, row in enumerate(sheet.rows[:stop]):
        for c, value in enumerate(row):
            if not isinstance(value, str) or value.isascii():  # codes, numbers: every label is Chinese
                continue
            for name, bare in _declarations(value):
                if bare and c + 1 < len(row):
                    name = _unit_name(normalize_text(row[c + 1]))
                if name:
                    found.append((name, sheet.name, cell_ref(r, c)))


@lru_cache(maxsize=4096)
def _declarations(value: str) -> tuple[tuple[str, bool], ...]:
    """Each part of a cell's text as (the unit it declares, or ''; whether it is a bare '填报单位：' whose unit
    is in the next cell). Cached because every file repeats the same titles and headers."""
    found = []
    for part in re.split(r"\s{2,}|\u3000", value.strip()):
        text = normalize_text(part)
        m = _DECLARED.match(text)
        bare = m is None and bool(_BARE.match(text))
        found.append((_unit_name(m.group(2).strip()) if m else "", bare))
    return tuple(found)


def _unit_name(text: str) -> str:
    # the seal mark is no part of the name: 江汉区人民政府（盖章）
    return re.split(r"\s|填报|报送|时间|日期", re.sub(_STAMP, "", text).strip())[0] if text else ""


# Numbers are not spread down a merged cell: a 累计完成 merged over two rows is one number, and counting it
# for each row would double it.
_NOT_SPREAD = ("value", "previous", "target")


def _spread_down(sheet: Sheet, table: Table) -> None:
    """A cell merged down a column of the data rows holds its value for each row it spans — a task's code
    and name written once over the rows of its regions — so the value is copied into those rows (of the
    grid read, never the file). Only rows with content of their own get it: a row that is nothing but part
    of a merge is not a data row."""
    numbers = {table.columns[key] for key in _NOT_SPREAD if key in table.columns}
    rows = sheet.rows
    for r0, c0, r1, c1 in sheet.merged:
        if r1 == r0 or r0 < table.data_start or c0 in numbers or r0 >= len(rows):
            continue
        value = sheet.cell(r0, c0)
        if value is None or value == "":
            continue
        for r in range(r0 + 1, min(r1 + 1, len(rows))):
            row = rows[r]
            if c0 < len(row) and row[c0] in (None, "") and any(
                    v not in (None, "") for i, v in enumerate(row) if not c0 <= i <= c1):
                row[c0] = value


def _grid(layout: Layout, table: Table) -> Grid:
    """The table's data rows: not blank, not a footer note. A row whose only content is a formula without a
    cached value (or an error) reads as blank, yet it is data: it must become a finding, never vanish."""
    rows, values = array("l"), []  # 8 bytes a row number, not an int object each (a CSV's million rows)
    sheet_rows = table.sheet.rows
    for r in range(table.data_start, len(sheet_rows)):
        cells = sheet_rows[r]
        # is_data's usual answers written out, as this runs for every row of every file: a number or a date
        # first, or ASCII text like a task code, is data; is_data decides the rest (blank rows, footers)
        first = cells[0] if cells else None
        if isinstance(first, str):
            quick = first and first.isascii() and not first.isspace()
        else:
            quick = first is not None
        if quick or is_data(cells):
            rows.append(r)
            values.append(cells)
    blind = {r for r, _ in layout.blind} - set(rows) if layout.blind else ()
    if blind:
        for r in sorted(x for x in blind if table.data_start <= x < len(sheet_rows)):
            if not is_footer(sheet_rows[r]):
                i = bisect.bisect(rows, r)
                rows.insert(i, r)
                values.insert(i, sheet_rows[r])
    return Grid(layout, rows, values)


def _raw_row(layout: Layout, r: int, values: list) -> RawRow:
    """The row's non-empty cells. A blind cell counts even though it reads as ''; its value is then None."""
    fields: dict[str, Any] = {}
    columns: dict[str, int] = {}
    blind = layout.blind
    field_cols, other_cols = layout.plan(len(values))
    # the field columns are read directly instead of testing every column against a column → field map,
    # and the emptiness test is written out: this loop runs for every cell of every file
    for key, col in field_cols:
        value = values[col]
        if value is None or (isinstance(value, str) and (not value or value.isspace())):
            if not (blind and (r, col) in blind):
                continue
            value = None if value == "" else value
        fields[key] = value
        columns[key] = col
    others: dict[str, Any] = {}
    for col, header, key in other_cols:
        value = values[col]
        if value is None or (isinstance(value, str) and (not value or value.isspace())):
            if not (blind and (r, col) in blind):
                continue
            value = None if value == "" else value
        others[header] = value
        columns[key] = col
    return RawRow(layout.sheet, r, fields, others, layout.shared(columns), layout)


def _letters(col: int) -> str:
    from ..model.findings import cell_ref

    return cell_ref(0, col)[:-1]


__all__ = ["Grid", "Layout", "RawCell", "RawRow", "Submission", "parse_submission", "is_blank"]
