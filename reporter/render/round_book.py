"""The round ledger workbook (本轮台帐): every task × region row of the round, with where each value came from.

Sheets: 本轮台帐 (one row per RoundRow, ledger task order, the task as a whole before its regions),
报送文件 (every file read and what became of it) and 版本变动 (values a unit changed between versions).
Unreported rows are greyed so gaps stand out; all text goes through `safe_value`.
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import xlsxwriter

from ..files import atomic_path
from ..model.round_ledger import TOTAL, RoundLedger, RoundRow
from ..rollup.status import shown
from .excel import fit_widths, header_format, plain_number, safe_value, write_table

SHEET = "本轮台帐"
FILES_SHEET = "报送文件"
CHANGES_SHEET = "版本变动"
NOT_REPORTED = "未报送"
BOOK_OPTIONS = {"strings_to_urls": False, "strings_to_formulas": False, "default_date_format": "yyyy-mm-dd hh:mm"}

# (header, kind): kind picks the cell format — text, wrap (long text), num (task unit), pct ('0.0').
COLUMNS: list[tuple[str, str]] = [
    ("任务编号", "text"), ("领域", "text"), ("任务名称", "wrap"), ("地区", "text"), ("牵头单位", "text"),
    ("报送单位", "text"), ("计量单位", "text"), ("年度目标", "text"), ("上期累计", "num"), ("累计完成", "num"),
    ("分子", "count"), ("分母", "count"), ("权重", "count"),  # 比率 / 加权平均 rows: what their parents add up
    ("本月新增", "num"), ("完成率(%)", "pct"), ("序时进度(%)", "pct"), ("进展状态", "text"), ("原填写状态", "text"),
    ("工作进展", "wrap"), ("存在问题", "wrap"), ("下步措施", "wrap"), ("完成日期", "text"), ("备注", "wrap"),
    ("来源文件", "text"), ("来源工作表", "text"), ("来源单元格", "text"), ("原值", "text"),
]
FROZEN_COLS = 4  # 任务编号 … 地区 stay visible while scrolling right
PRINTED_COLS = [h for h, _ in COLUMNS].index("来源文件")  # 任务编号 … 备注
WRAP_WIDTH = {"任务名称": 28, "工作进展": 40, "存在问题": 30, "下步措施": 30, "备注": 30}
GREY_FONT, GREY_FILL = "#808080", "#F2F2F2"

FILE_HEADERS = ["文件", "报送单位", "识别方式", "状态", "送达时间", "送达时间依据", "是否迟报", "汇总行数", "发件人", "邮件主题",
                "邮件"]
CHANGE_KEYS = {"unit": "单位", "task": "任务编号", "region": "地区", "field": "字段", "old": "旧值", "new": "新值",
               "old_file": "旧文件", "new_file": "新文件"}


def number_format(unit: str | None, value: Any = None) -> str:
    """Percentages to one decimal, 万-scaled units to two, counts with thousands separators."""
    unit = (unit or "").strip()
    if unit in {"%", "％", "百分比"}:
        return "0.0"
    if unit.startswith("万"):
        return "0.00"
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        return "#,##0"  # '#,##0.##' would show a whole number as '1,200.'
    return "#,##0.##"


def write_round_ledger(rl: RoundLedger, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), BOOK_OPTIONS)
        _ledger_sheet(book, rl)
        _files_sheet(book, rl)
        _changes_sheet(book, rl)
        book.close()
    return Path(path)


# -- 本轮台帐 -----------------------------------------------------------------------------------------
def ordered_rows(rl: RoundLedger) -> list[RoundRow]:
    """Ledger task order; within a task the whole first, then regions in the ledger's order."""
    task_pos = {code: i for i, code in enumerate(rl.ledger.tasks)}

    def key(row: RoundRow) -> tuple:
        task = rl.ledger.tasks.get(row.task)
        regions = list(task.region_targets) if task else []
        region_pos = -1 if row.region == TOTAL else regions.index(row.region) if row.region in regions else len(regions)
        return task_pos.get(row.task, len(task_pos)), row.task, region_pos, row.region

    return sorted(rl, key=key)


def _label(rl: RoundLedger, name: str | None) -> str:
    if not name:
        return ""
    unit = rl.ledger.units.units.get(name) or rl.ledger.units.match(name)
    return unit.label if unit else name


def _whole_name(rl: RoundLedger) -> str:
    """Name shown in 地区 for a task as a whole: the office's scope (全省, 全市, 全县)."""
    return rl.ledger.scope


def _source(row: RoundRow):
    """Where the value came from, else the status, else any field of the row."""
    return row.sources.get("value") or row.sources.get("status") or next(iter(row.sources.values()), None)


def _raw_if_different(row: RoundRow) -> str:
    raw = (row.raw_value or "").strip()
    if not raw or row.value is None:
        return raw
    try:
        return "" if math.isclose(float(raw.replace(",", "")), row.value) else raw
    except ValueError:
        return raw


def row_values(rl: RoundLedger, row: RoundRow, whole: str) -> list[Any]:
    task = rl.task(row)
    target = rl.target(row)
    prov = _source(row)
    return [
        task.code, task.domain, task.name, whole if row.region == TOTAL else rl.region_name(row),
        _label(rl, task.lead), _label(rl, row.submitter) if row.reported else NOT_REPORTED,
        task.unit or "", target.raw if target else "", row.previous, row.value, row.numerator, row.denominator,
        row.weight, row.increment,
        _shown(rl.completion(row)), _shown(task.planned_percent(rl.round)), row.status or "", row.status_raw,
        row.progress,
        row.problems, row.measures, row.finish_date, row.notes,
        prov.file if prov else "", prov.sheet if prov else "", prov.cell if prov else "", _raw_if_different(row),
    ]


def _shown(percent: float | None) -> float | None:
    """A percentage as the documents print it (41.4, not 41.36986301369863)."""
    return None if percent is None else shown(percent)


class _Formats:
    """One format per (kind, number format, greyed), created on first use."""

    def __init__(self, book):
        self.book, self.cache = book, {}

    def get(self, kind: str, num_format: str | None, grey: bool):
        key = (kind, num_format, grey)
        if key not in self.cache:
            props: dict[str, Any] = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
            if kind == "wrap":
                props["text_wrap"] = True
            if num_format:
                props["num_format"] = num_format
            if grey:
                props.update(font_color=GREY_FONT, bg_color=GREY_FILL)
            self.cache[key] = self.book.add_format(props)
        return self.cache[key]


def put(sheet, r: int, c: int, value: Any, fmt=None) -> None:
    """Numbers as numbers, dates as dates, everything else as neutralised text; blanks keep the format."""
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(r, c, value, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(r, c, value, fmt)
    else:
        sheet.write_string(r, c, safe_value(str(value)), fmt)


def _ledger_sheet(book, rl: RoundLedger) -> None:
    sheet = book.add_worksheet(SHEET)
    headers = [h for h, _ in COLUMNS]
    sheet.write_row(0, 0, headers, header_format(book))
    formats, whole = _Formats(book), _whole_name(rl)
    table = []
    for r, row in enumerate(ordered_rows(rl), start=1):
        values = row_values(rl, row, whole)
        table.append(values)
        unit = rl.task(row).unit
        for c, ((header, kind), value) in enumerate(zip(COLUMNS, values)):
            value = plain_number(value) if header == "年度目标" else value
            num = (number_format(unit, value) if kind == "num" else "0.0" if kind == "pct"
                   else "#,##0.##" if kind == "count" else None)
            put(sheet, r, c, value, formats.get(kind, num, not row.reported))
    widths = fit_widths([headers, *[[safe_value(v) for v in row] for row in table]], maximum=40)
    for c, (header, _) in enumerate(COLUMNS):
        sheet.set_column(c, c, WRAP_WIDTH.get(header, widths[c]))
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, FROZEN_COLS)
    sheet.autofilter(0, 0, max(len(table), 1), len(COLUMNS) - 1)
    _print_setup(sheet, len(table))


def _print_setup(sheet, rows: int) -> None:
    """A4 landscape, one page wide (a clerk prints it to read it: 5 columns a page made it 300 pages), the
    header row on every page; the source columns (来源文件 … 原值) are for checking on screen, not printed."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.repeat_rows(0)
    sheet.print_area(0, 0, max(rows, 1), PRINTED_COLS - 1)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")


# -- 报送文件, 版本变动 --------------------------------------------------------------------------------
def _files_sheet(book, rl: RoundLedger) -> None:
    rows = [[f.name, _label(rl, f.unit), f.how, f.state, f.arrived, f.arrival, "是" if f.late else "否", f.rows,
             f.sender, f.subject, f.message] for f in rl.files]
    write_table(book, FILES_SHEET, FILE_HEADERS, rows)


def _changes_sheet(book, rl: RoundLedger) -> None:
    keys = [k for k in CHANGE_KEYS if any(k in c for c in rl.changes)]
    keys += list(dict.fromkeys(k for c in rl.changes for k in c if k not in CHANGE_KEYS))
    if not keys:
        keys = list(CHANGE_KEYS)
    rows = [[_label(rl, c.get(k)) if k == "unit" else c.get(k, "") for k in keys] for c in rl.changes]
    write_table(book, CHANGES_SHEET, [CHANGE_KEYS.get(k, str(k)) for k in keys], rows)
