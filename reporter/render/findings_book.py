"""The findings workbook: every finding, with where it is and what to do, for clerks to act on.

`write_findings` writes one sheet 全部问题; `write_findings_by_unit` adds one sheet per submitting unit
(its label as sheet name) so each unit's problems can be mailed back on their own. Findings are sorted
by severity (错误, 警告, 提示), then file, sheet and cell in reading order (C2 before C12).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Mapping

import xlsxwriter

from ..files import atomic_path
from ..model.findings import Finding, Severity
from .excel import write_table

HEADERS = ["序号", "严重程度", "问题类型", "文件", "工作表", "单元格", "字段", "原值", "问题说明", "代码"]
ALL_SHEET = "全部问题"
NO_UNIT_SHEET = "未识别单位的文件"
SEVERITY_COLOURS = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFEB9C", Severity.INFO: "#DDEBF7"}
BOOK_OPTIONS = {"strings_to_urls": False, "strings_to_formulas": False}

_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_ROW_REF = re.compile(r"^第\s*(\d+)\s*行$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def parse_a1(ref: str) -> tuple[int, int] | None:
    """'C12' → (12, 3), one-based (row, column); None for anything else."""
    m = _A1.match((ref or "").strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def parse_row_ref(ref: str) -> int | None:
    """'第5行' → 5 (one-based), the form used when a finding names a row rather than a cell."""
    m = _ROW_REF.match((ref or "").strip())
    return int(m.group(1)) if m else None


def cell_order(ref: str) -> tuple[int, int, str]:
    """Sort key in reading order: blank (file-level) first, then by row number and column."""
    a1 = parse_a1(ref)
    if a1:
        return a1[0], a1[1], ""
    row = parse_row_ref(ref)
    if row is not None:
        return row, 0, ""
    return (0, 0, ref) if not ref else (10**9, 0, ref)


def finding_key(f: Finding) -> tuple:
    return _SEVERITY_RANK[f.severity], f.file, f.sheet, cell_order(f.cell)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_key)


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel-legal sheet name, unique (case-insensitively) among `taken`, which it joins."""
    base = _SHEET_BAD.sub("_", str(name or "")).strip().strip("'") or "Sheet"
    if base.lower() == "history":  # reserved by Excel
        base += "_"
    title, n = base[:SHEET_NAME_MAX], 1
    while title.lower() in taken:
        n += 1
        suffix = f"({n})"
        title = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def finding_row(i: int, f: Finding) -> list:
    return [i, f.severity.value, f.type.title, f.file, f.sheet, f.cell, f.field, f.value, f.message, f.code]


def _findings_sheet(book, name: str, items: list[Finding], fills: dict) -> None:
    sheet = write_table(book, name, HEADERS, [finding_row(i, f) for i, f in enumerate(items, 1)],
                        text_wrap_cols=(8,))
    for r, f in enumerate(items, start=1):
        sheet.write_string(r, 1, f.severity.value, fills[f.severity])  # overwrite with the coloured cell


def add_findings_sheet(book, name: str, findings: Iterable[Finding]) -> None:
    """A findings sheet laid out as 全部问题, in another workbook (the 汇总分析表's 汇总问题)."""
    _findings_sheet(book, name, sort_findings(findings), _fills(book))


def _fills(book) -> dict:
    return {s: book.add_format({"bg_color": colour, "align": "center"}) for s, colour in SEVERITY_COLOURS.items()}


def write_findings(path: str | Path, findings: Iterable[Finding], sheet_name: str = ALL_SHEET,
                   extra: Mapping[str, tuple[list[str], list[list]]] | None = None) -> Path:
    """The findings sheet, then any `extra` sheets (name → headers, rows), such as check's 识读结果."""
    items = sort_findings(findings)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), BOOK_OPTIONS)
        _findings_sheet(book, sheet_name, items, _fills(book))
        for name, (headers, rows) in (extra or {}).items():
            write_table(book, name, headers, rows, text_wrap_cols=(2, 3))
        book.close()
    return Path(path)


def _unit_of(f: Finding, unit_of_file: Mapping[str, str | None]) -> str | None:
    """A file's unit; a file-less finding about a unit (未报送) names it in its 报送单位 field."""
    if f.file:
        return unit_of_file.get(f.file) or None
    return (f.value or None) if f.field == "报送单位" else None


def write_findings_by_unit(path: str | Path, findings: Iterable[Finding], unit_of_file: Mapping[str, str | None],
                           label: Callable[[str], str]) -> Path:
    """全部问题, then one sheet per unit with findings, then 未识别单位的文件 (files no unit could be tied to).

    Findings with neither a file nor a unit (rare) appear only in 全部问题.
    """
    items = sort_findings(findings)
    groups: dict[str, list[Finding]] = {u: [] for u in dict.fromkeys(u for u in unit_of_file.values() if u)}
    orphans: list[Finding] = []
    for f in items:
        unit = _unit_of(f, unit_of_file)
        if unit:
            groups.setdefault(unit, []).append(f)
        elif f.file:
            orphans.append(f)
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), BOOK_OPTIONS)
        fills = _fills(book)
        taken = {ALL_SHEET.lower(), NO_UNIT_SHEET.lower()}
        _findings_sheet(book, ALL_SHEET, items, fills)
        for unit, mine in groups.items():
            if mine:
                _findings_sheet(book, sheet_title(label(unit) or unit, taken), mine, fills)
        if orphans:
            _findings_sheet(book, NO_UNIT_SHEET, orphans, fills)
        book.close()
    return Path(path)
