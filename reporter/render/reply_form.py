"""The 整改情况回执 (reply form) sent with each 督办通知: a small protected workbook the unit fills in.

Sheets, laid out like the fill-in templates (render.fillin) and built with its formats and print setup:

* ``整改回执`` — one row per task of the notice: grey locked columns from the notice (任务编号, 任务名称,
  地区, 本期情况, 连续滞后期数, 督办级别), pale-yellow columns to fill (REPLY_COLUMNS);
* ``填写说明`` — plain-Chinese instructions from templates/notices/reply_guide.j2;
* META_SHEET, very hidden — template id REPLY_ID, unit, round, 督办编号, so a returned 回执 can be matched
  to its notice. The id is not the fill-in template's, and no header is one intake reads as 累计完成: a 回执
  dropped among the round's submissions is never taken for a progress report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..intake.submission_schema import META_KEYS, META_SHEET
from .document import gongwen_date
from .fillin import (FIRST_DATA_ROW, FOOTER_TEXT, HEADER_ROW, INFO_ROW, PROTECT_PASSWORD, TITLE_ROW, _Formats,
                     _print_setup, _write_atomic)

REPLY_ID = "reporter-reply"
REPLY_VERSION = "1"
SHEET = "整改回执"
GUIDE_SHEET = "填写说明"
STATES = ("已赶上序时进度", "正在整改", "难以按期完成")  # 整改进展 drop-down
# Locked columns: (header, width, the fill-in template's column whose look it takes)
GIVEN_COLUMNS = (("序号", 6, "code"), ("任务编号", 12, "code"), ("任务名称", 26, "name"), ("地区", 14, "region"),
                 ("本期情况", 30, "name"), ("连续滞后期数", 8, "code"), ("督办级别", 9, "code"))
# Columns to fill: (header, width, look) — 'status' is a centred drop-down, 'finish_date' a date cell
REPLY_COLUMNS = (("滞后原因", 28, "progress"), ("整改举措", 32, "progress"), ("整改进展", 14, "status"),
                 ("预计赶上序时进度日期", 14, "finish_date"), ("责任人及联系方式", 18, "progress"))
DATA_ROW_HEIGHT = 48  # room to write two or three lines by hand after printing


@dataclass(frozen=True)
class ReplyRow:
    code: str
    name: str
    place: str  # 地区 as the notice writes it
    situation: str  # 本期情况, e.g. '严重滞后，完成率12.5%，序时进度41.4%'
    runs: int
    level: str


@dataclass(frozen=True)
class ReplyForm:
    """What a 回执 shows; the notice builder fills it in."""

    unit: str  # canonical unit name, for the metadata
    label: str
    number: str  # 督办编号
    round_key: str
    issued: dt.date  # the notice's date, also the metadata's timestamp: the same notice gives the same file
    deadline: dt.date
    rows: tuple[ReplyRow, ...]
    guide: tuple[str, ...]  # 填写说明, one paragraph per line
    ledger: str = ""  # ledger file name, for the metadata


def fill_columns() -> str:
    """The headers a unit fills in, for the instructions."""
    return "、".join(h for h, _, _ in REPLY_COLUMNS)


def write_reply_form(form: ReplyForm, path: str | Path, generated: dt.datetime | None = None) -> Path:
    """Write the 回执 atomically; the metadata's timestamp is `generated`, else the notice's date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = generated or dt.datetime.combine(form.issued, dt.time())
    _write_atomic(path, lambda tmp: _workbook(tmp, form, stamp))
    return path


def _workbook(path: str, form: ReplyForm, generated: dt.datetime) -> None:
    # in_memory: a small book; xlsxwriter's temporary files cost more than the writing (bench/bench_run.py)
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False, "in_memory": True})
    wb.set_properties({"title": _title(form), "created": generated})
    fmt = _Formats(wb)
    _reply_sheet(wb.add_worksheet(SHEET), fmt, form)
    _guide_sheet(wb.add_worksheet(GUIDE_SHEET), fmt, form.guide)
    _meta_sheet(wb.add_worksheet(META_SHEET), form, generated)
    wb.close()


def _title(form: ReplyForm) -> str:
    return f"整改情况回执（{form.number}）" if form.number else "整改情况回执"


def _reply_sheet(ws: Worksheet, fmt: _Formats, form: ReplyForm) -> None:
    columns = (*GIVEN_COLUMNS, *REPLY_COLUMNS)
    last = len(columns) - 1
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last, _title(form), fmt.title)
    ws.set_row(TITLE_ROW, 30)
    info = f"报送单位：{form.label}　　督办编号：{form.number}　　反馈期限：{gongwen_date(form.deadline)}"
    ws.merge_range(INFO_ROW, 0, INFO_ROW, last, info, fmt.info)
    ws.set_row(INFO_ROW, 20)
    for col, (header, width, _) in enumerate(columns):
        ws.write_string(HEADER_ROW, col, header, fmt.header)
        ws.set_column(col, col, width)
    ws.set_row(HEADER_ROW, 32)
    for i, row in enumerate(form.rows):
        _data_row(ws, fmt, FIRST_DATA_ROW + i, i + 1, row)
    end = FIRST_DATA_ROW + len(form.rows) - 1
    if form.rows:
        _validations(ws, FIRST_DATA_ROW, end, form.deadline)
    footer = max(end, HEADER_ROW) + 2
    ws.merge_range(footer, 0, footer, last, FOOTER_TEXT, fmt.footer)
    ws.set_row(footer, 24)
    ws.freeze_panes(FIRST_DATA_ROW, 3)
    ws.protect(PROTECT_PASSWORD, {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                                  "select_unlocked_cells": True})
    _print_setup(ws)


def _data_row(ws: Worksheet, fmt: _Formats, r: int, number: int, row: ReplyRow) -> None:
    given = (number, row.code, row.name, row.place, row.situation, row.runs, row.level)
    for col, ((_, _, look), value) in enumerate(zip(GIVEN_COLUMNS, given)):
        ws.write(r, col, value, fmt.cell(look))
    for col, (_, _, look) in enumerate(REPLY_COLUMNS, start=len(GIVEN_COLUMNS)):
        ws.write_blank(r, col, None, fmt.cell(look))
    ws.set_row(r, DATA_ROW_HEIGHT)


def _validations(ws: Worksheet, first: int, last: int, deadline: dt.date) -> None:
    state = len(GIVEN_COLUMNS) + [h for h, _, _ in REPLY_COLUMNS].index("整改进展")
    ws.data_validation(first, state, last, state, {
        "validate": "list", "source": list(STATES), "input_title": "整改进展",
        "input_message": "请从下拉列表选择：" + "、".join(STATES) + "。",
        "error_title": "整改进展填写有误", "error_message": "只能从下拉列表中选择：" + "、".join(STATES) + "。"})
    when = state + 1
    latest = dt.date(deadline.year + 1, 12, 31)
    ws.data_validation(first, when, last, when, {
        "validate": "date", "criteria": "between", "minimum": dt.date(deadline.year, 1, 1), "maximum": latest,
        "input_title": "预计赶上序时进度日期", "input_message": f"填写日期，如 {deadline.isoformat()}。",
        "error_title": "日期填写有误",
        "error_message": f"请填写 {deadline.year}年1月1日 至 {gongwen_date(latest)} 之间的日期，如 {deadline.isoformat()}。"})


def _guide_sheet(ws: Worksheet, fmt: _Formats, lines: Sequence[str]) -> None:
    ws.set_column(0, 0, 110, fmt.guide)
    ws.write_string(0, 0, GUIDE_SHEET, fmt.guide_title)
    ws.set_row(0, 24)
    for i, line in enumerate(lines, start=2):
        ws.write_string(i, 0, line, fmt.guide)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _meta_sheet(ws: Worksheet, form: ReplyForm, generated: dt.datetime) -> None:
    values = {"template": REPLY_ID, "version": REPLY_VERSION, "unit": form.unit, "round": form.round_key,
              "ledger": form.ledger, "generated": generated.isoformat(timespec="seconds")}
    rows = [(META_KEYS[k], v) for k, v in values.items()] + [("督办编号", form.number)]
    for r, (label, value) in enumerate(rows):
        ws.write_string(r, 0, label)
        ws.write_string(r, 1, value)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 40)
    ws.very_hidden()
