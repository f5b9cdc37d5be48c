"""Workbooks sent back to units: 退回修改 (their own file, problems marked) and the 未报送/迟报 list.

A return workbook is the unit's submission as it sent it, plus a first sheet 修改说明 listing every
finding, with each offending cell filled (red 错误, yellow 警告) and commented. The source file is only
read: .xlsx/.xlsm are loaded from their bytes with openpyxl (macros dropped, the result is a plain .xlsx;
everything else, hidden sheets included, kept); .csv/.xls are rebuilt cell by cell into an .xlsx.
Marks left by an earlier return (our comments and highlight colours) are cleared first, so a file
resubmitted after a return does not carry stale red cells into the next one.
"""
from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

import openpyxl
import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..files import atomic_path
from ..intake.discover import Source
from ..intake.workbook import read_workbook
from ..model.findings import Finding, Severity
from ..model.round_ledger import NO_TABLE, UNREADABLE, RoundLedger
from .excel import display_width, put_text, write_table
from .findings_book import parse_a1, parse_row_ref, sheet_title, sort_findings

GUIDE_SHEET = "修改说明"
INSTRUCTION = "请按以下问题修改后，将整个文件重新报送。"
GUIDE_HEADERS = ["严重程度", "工作表", "单元格", "问题说明"]
GUIDE_HEADER_ROW = 3  # one-based: instruction, count line, header
AUTHOR = "汇总检查"
FILLS = {Severity.ERROR: "FFFF8080", Severity.WARNING: "FFFFFF00"}  # bright, unlike the template's pale input cells
GUIDE_FILLS = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFEB9C", Severity.INFO: "FFDDEBF7"}
OPENPYXL_SUFFIXES = {".xlsx", ".xlsm"}
# A .csv/.xls of more cells than this is not copied into the return workbook: openpyxl keeps an object of
# ~0.5 KB per cell (a million-row export would take gigabytes and minutes); its 修改说明 lists the problems.
RETURN_CELLS = 200_000
RETURN_BYTES = 32 << 20  # a file this big holds more cells than that surely: not read again to count them
_RANK = {s: i for i, s in enumerate(Severity)}


def write_return_workbook(source: Source, findings: Iterable[Finding], path: str | Path) -> Path:
    """The unit's submission with its problems marked, saved as a new .xlsx at `path`."""
    items = sort_findings(findings)
    data = source.read_bytes()
    wb, names, note = _load(source.name, source.suffix, data)
    _mark(wb, items, names)
    _guide_sheet(wb, items, note)
    with atomic_path(path) as tmp:
        wb.save(str(tmp))
    return Path(path)


def _load(name: str, suffix: str, data: bytes) -> tuple[Workbook, dict[str, str] | None, str]:
    """The workbook itself when openpyxl can open it, else a cell-by-cell copy (sheet names may change);
    and what 修改说明 says of a file too big to copy ('' when copied)."""
    if suffix.lower() in OPENPYXL_SUFFIXES:
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data))
        except Exception:  # openpyxl rejects some files calamine reads (strict OOXML, odd producers)
            return _rebuild(name, data)
        _clear_old_marks(wb)
        return wb, None, ""
    return _rebuild(name, data)


# -- rebuilding .csv / .xls -----------------------------------------------------------------------------
def _rebuild(name: str, data: bytes) -> tuple[Workbook, dict[str, str], str]:
    """An openpyxl workbook with the same sheets and values at the same refs; original → new sheet name.
    A file beyond RETURN_CELLS gives a workbook with no sheet, and the note saying why."""
    wb = Workbook()
    wb.remove(wb.active)
    names: dict[str, str] = {}
    taken = {GUIDE_SHEET.lower()}
    if len(data) > RETURN_BYTES:
        return wb, names, _not_copied(name, f"达 {len(data) >> 20} MB")
    sheets = read_workbook(name, data)
    cells = sum(len(row) for sheet in sheets for row in sheet.rows)
    if cells > RETURN_CELLS:
        return wb, names, _not_copied(name, f"有 {cells:,} 个单元格")
    for sheet in sheets:
        ws = wb.create_sheet(sheet_title(sheet.name, taken))
        names[sheet.name] = ws.title
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    _set_plain(ws.cell(r, c), value)
        for r0, c0, r1, c1 in sheet.merged:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    return wb, names, ""


def _not_copied(name: str, size: str) -> str:
    return f"原文件“{name}”{size}，过大，未附在本工作簿中（问题单元格见下表），请在原文件中修改后重新报送。"


def _set_plain(cell, value: Any) -> None:
    """Copy a value exactly; text stays text even when it looks like a formula."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula
    else:
        cell.value = value


# -- marking cells ------------------------------------------------------------------------------------
def _clear_old_marks(wb: Workbook) -> None:
    ours = set(FILLS.values())
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                fill = cell.fill
                if fill is not None and fill.fill_type == "solid" and fill.fgColor.rgb in ours:
                    cell.fill = PatternFill(fill_type=None)


def _find_sheet(wb: Workbook, name: str, names: dict[str, str] | None) -> Worksheet | None:
    title = names.get(name, name) if names else name
    if title in wb.sheetnames:
        return wb[title]
    # a rebuilt CSV has one sheet, whatever the finding calls it; elsewhere never guess a sheet
    data = [ws for ws in wb.worksheets if ws.sheet_state == "visible" and ws.title != GUIDE_SHEET]
    return data[0] if len(data) == 1 and (not name or names is not None) else None


def _anchor(ws: Worksheet, row: int, col: int):
    """The writable cell for (row, col): the top-left of a merged range it lies in."""
    cell = ws.cell(row, col)
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return cell


def _targets(ws: Worksheet, ref: str) -> list:
    """Cells a finding points at: its A1 cell, or every used cell of a '第5行' row."""
    a1 = parse_a1(ref)
    if a1:
        return [_anchor(ws, *a1)]
    row = parse_row_ref(ref)
    if row is None or row > ws.max_row:
        return []
    return [c for c in ws[row] if not isinstance(c, MergedCell) and c.value not in (None, "")]


def _mark(wb: Workbook, items: list[Finding], names: dict[str, str] | None) -> None:
    cells: dict[tuple[str, str], Any] = {}
    worst: dict[tuple[str, str], Severity] = {}
    notes: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in items:
        ws = _find_sheet(wb, f.sheet, names) if f.cell else None
        for i, cell in enumerate(_targets(ws, f.cell) if ws else []):
            key = (ws.title, cell.coordinate)
            cells[key] = cell
            if key not in worst or _RANK[f.severity] < _RANK[worst[key]]:
                worst[key] = f.severity
            if i == 0:  # a whole row gets one comment, on its first used cell
                notes[key].append(f)
    for key, cell in cells.items():
        if worst[key] in FILLS:
            cell.fill = PatternFill("solid", fgColor=FILLS[worst[key]])
        if notes.get(key):
            _comment(cell, notes[key])


def _comment(cell, found: list[Finding]) -> None:
    # a value merged over several rows is judged on each of them: the same words once
    text = "\n".join(dict.fromkeys(f"【{f.severity.value}】{f.message}" for f in found))
    old = cell.comment.text if cell.comment is not None else ""
    comment = Comment(f"{old}\n{text}" if old else text, AUTHOR)
    comment.width = 320
    comment.height = max(80, 24 * (text.count("\n") + 1) + 20 * (len(text) // 28))
    cell.comment = comment


# -- 修改说明 -------------------------------------------------------------------------------------------
def _guide_sheet(wb: Workbook, items: list[Finding], note: str = "") -> None:
    if GUIDE_SHEET in wb.sheetnames:  # left over from an earlier return of this file
        wb.remove(wb[GUIDE_SHEET])
    ws = wb.create_sheet(GUIDE_SHEET, 0)
    ws["A1"] = INSTRUCTION
    ws["A1"].font = Font(bold=True, size=14, color="FFC00000")
    counts = {s: sum(1 for f in items if f.severity is s) for s in Severity}
    ws["A2"] = "共 {} 个问题：".format(len(items)) + "，".join(f"{s.value} {n} 个" for s, n in counts.items() if n) \
        + "。" + (note or "表中标红的单元格为错误，标黄的为警告，鼠标移到单元格上可查看批注。")
    bold = Font(bold=True)
    for c, header in enumerate(GUIDE_HEADERS, start=1):
        cell = ws.cell(GUIDE_HEADER_ROW, c, header)
        cell.font, cell.fill = bold, PatternFill("solid", fgColor="FFDDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, f in enumerate(items, start=GUIDE_HEADER_ROW + 1):
        for c, value in enumerate([f.severity.value, f.sheet, f.cell or "（整个文件）", f.message], start=1):
            cell = ws.cell(r, c)
            put_text(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.alignment = wrap
        ws.cell(r, 1).fill = PatternFill("solid", fgColor=GUIDE_FILLS[f.severity])
        lines = math.ceil(display_width(f.message) / 78) if f.message else 1
        ws.row_dimensions[r].height = 15 * max(lines, 1) + 3  # LibreOffice and WPS do not grow the row
    for letter, width in zip("ABCD", (10, 18, 12, 80)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{GUIDE_HEADER_ROW + 1}"
    _print_on_one_page_wide(ws, GUIDE_HEADER_ROW)
    for sheet in wb.worksheets:  # open on 修改说明, with no other sheet selected alongside it
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0


def _print_on_one_page_wide(ws, header_row: int) -> None:
    """A4 landscape, scaled to one page wide, the header row repeated on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{header_row}:{header_row}"


# -- 未报送 / 迟报 ---------------------------------------------------------------------------------------
MISSING_HEADERS = ["单位", "简称", "单位类型", "联系邮箱", "应报任务数", "情况"]
LATE_HEADERS = ["单位", "文件", "送达时间", "截止日期", "迟到天数"]


def write_missing_list(rl: RoundLedger, path: str | Path) -> Path:
    """未报送 (units that sent nothing, with how to reach them) and 迟报 (files after the deadline)."""
    deadline = rl.ledger.round(rl.round).deadline
    missing = []
    for name in rl.missing:
        unit = rl.ledger.units.units.get(name) or rl.ledger.units.match(name)
        owed = sum(1 for row in rl if row.owner == name)
        failed = [f.name for f in rl.files if f.unit == name and f.state in (UNREADABLE, NO_TABLE)]
        missing.append([name, (unit.short or "") if unit else "", unit.kind.value if unit else "",
                        (unit.email or "") if unit else "", owed,
                        f"报送文件无法读取（{'、'.join(failed)}）" if failed else "未报送"])
    late = []
    for f in rl.late:
        days = (f.arrived.date() - deadline).days if f.arrived and deadline else None
        late.append([f.unit or "", f.name, f.arrived, deadline, days])
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_urls": False, "strings_to_formulas": False,
                                              "default_date_format": "yyyy-mm-dd hh:mm"})
        write_table(book, "未报送", MISSING_HEADERS, missing)
        sheet = write_table(book, "迟报", LATE_HEADERS, late)
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for r, row in enumerate(late, start=1):
            if row[3] is not None:
                sheet.write_datetime(r, 3, row[3], day)
        sheet.set_column(2, 3, 18)
        book.close()
    return Path(path)
