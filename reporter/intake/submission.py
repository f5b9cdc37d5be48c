"""Parse one submitted file into raw rows with cell positions — no ledger needed, so it runs in workers.

Every sheet is searched for a progress table (title rows, notes, one- or two-row merged headers, aliases,
繁体 and full-width all tolerated). What cannot be read becomes a file-level problem, never an exception.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..model.text import compact, normalize_text
from .discover import Source
from .headers import find_table, is_blank
from .submission_schema import META_KEYS, META_SHEET, PROGRESS, TEMPLATE_ID
from .workbook import Sheet, UnreadableFile, read_workbook


class RawCell(NamedTuple):
    value: Any
    col: int
    blind: str | None = None  # 'formula' (no cached value) or 'error:#REF!'


@dataclass
class RawRow:
    sheet: str
    row: int  # zero-based
    cells: dict[str, RawCell]  # field key → cell (non-empty only)
    extras: dict[str, RawCell] = field(default_factory=dict)  # header of an unknown column → cell


@dataclass
class Submission:
    source: Source
    meta: dict[str, str] = field(default_factory=dict)  # from the template's metadata sheet
    declared: list[tuple[str, str, str]] = field(default_factory=list)  # (text, sheet, cell) of 填报单位：…
    rows: list[RawRow] = field(default_factory=list)
    tables: list[tuple[str, tuple[int, ...], dict[str, int]]] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # field key → unit written in its header
    error: str | None = None  # unreadable file / no table: a Chinese message

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def generated(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.meta.get("generated", ""))
        except ValueError:
            return None


_DECLARED = re.compile(r"^(填报单位|报送单位|填表单位|单位名称|单位|地区|填报地区)[:：]\s*(.+)$")


def parse_submission(source: Source) -> Submission:
    sub = Submission(source)
    if not source.readable:
        sub.error = _unsupported(source)
        return sub
    try:
        sheets = read_workbook(source.name, source.read_bytes())
    except (UnreadableFile, OSError) as exc:
        sub.error = str(exc)
        return sub
    for sheet in sheets:
        if sheet.name == META_SHEET:
            sub.meta = _meta(sheet)
            continue
        _declared(sheet, sub)
        table = find_table(sheet, PROGRESS)
        if table is None:
            continue
        sub.tables.append((sheet.name, table.header_rows, dict(table.columns)))
        sub.units.update(table.units)
        by_col = {c: k for k, c in table.columns.items()}
        for r, values in table.rows():
            row = _raw_row(sheet, r, values, by_col, table.headers)
            if row.cells or row.extras:
                sub.rows.append(row)
    if not sub.tables:
        sub.error = (f"文件“{source.name}”中找不到进展填报表：需要含“累计完成”（或“完成值”等）表头的工作表。"
                     "请使用下发的填报模板。")
    return sub


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


def _declared(sheet: Sheet, sub: Submission, scan: int = 8) -> None:
    """'填报单位：省民政厅' written in a title or info row, possibly in the next cell."""
    from ..model.findings import cell_ref

    for r, row in enumerate(sheet.rows[:scan]):
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            for part in re.split(r"\s{2,}|\u3000", value.strip()):
                text = normalize_text(part)
                m = _DECLARED.match(text)
                name = m.group(2).strip() if m else None
                if m is None and text.rstrip(":：") in ("填报单位", "报送单位", "填表单位") and c + 1 < len(row):
                    name = normalize_text(row[c + 1])
                if name:
                    name = re.split(r"\s|填报|报送|时间|日期", name)[0]
                    if name:
                        sub.declared.append((name, sheet.name, cell_ref(r, c)))


def _raw_row(sheet: Sheet, r: int, values: list, by_col: dict[int, str], headers: dict[int, str]) -> RawRow:
    row = RawRow(sheet.name, r, {})
    blind = sheet.blind
    for col, value in enumerate(values):
        kind = blind.get((r, col)) if blind else None
        if kind is None and (value is None or value == "" or (isinstance(value, str) and not value.strip())):
            continue
        cell = RawCell(None if value == "" else value, col, kind)
        key = by_col.get(col)
        if key is not None:
            row.cells[key] = cell
        else:
            # a column with no header is still kept, named by its letter
            row.extras[headers.get(col) or f"{_letters(col)}列"] = cell
    return row


def _letters(col: int) -> str:
    from ..model.findings import cell_ref

    return cell_ref(0, col)[:-1]


__all__ = ["RawCell", "RawRow", "Submission", "parse_submission", "is_blank"]
