"""Per-unit fill-in workbooks (填报模板) for one round.

Each submitting unit gets one workbook:

* ``进展填报`` — its rows pre-filled from the ledger; only the FILLED columns are unlocked, and 分子/分母 (比率
  tasks) or 权重 (加权平均 tasks) on the rows that need them — those columns are hidden in a unit's workbook
  when none of its rows does. Last round's merged 累计完成 is 上月累计完成 (locked, grey) and the unit's last
  工作进展 is written in for editing;
* ``填报说明`` — plain-Chinese instructions;
* META_SHEET, very hidden — template id, unit, round and ledger, so intake knows what a returned
  file is whatever it has been renamed to.

Sheet protection has no password (PROTECT_PASSWORD): it only stops accidental edits, and clerks must
be able to lift it (审阅 → 撤销工作表保护) to fix row heights or print settings.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable, Mapping

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..files import atomic_path, safe_filename, unique_filename
from ..intake.submission_schema import (FILLED, META_KEYS, META_SHEET, PARTS, PROGRESS, STATUSES, TEMPLATE_ID,
                                        TEMPLATE_VERSION)
from ..model.schedule import Round, parse_round
from ..model.targets import Aggregation
from ..model.tasks import AnnualLedger, Task
from ..model.text import compact
from ..model.units import UnitKind
from .excel import display_width, plain_number

__all__ = ["write_templates", "template_filename", "safe_filename", "PROTECT_PASSWORD",
           "PROGRESS_SHEET", "GUIDE_SHEET"]

PROGRESS_SHEET = PROGRESS.sheet_names[0]  # 进展填报
GUIDE_SHEET = "填报说明"
PROTECT_PASSWORD = ""  # deliberately empty: protection guards against slips, not against the clerk
FOOTER_TEXT = "填表人：        联系电话：        审核人："

TITLE_ROW, INFO_ROW, HEADER_ROW = 0, 1, 2
FIRST_DATA_ROW = HEADER_ROW + 1

COLUMNS = tuple(f.key for f in PROGRESS.fields)
COL = {key: i for i, key in enumerate(COLUMNS)}
WIDTHS = {"code": 10, "name": 28, "region": 12, "indicator": 22, "unit": 9, "target": 16, "previous": 12,
          "value": 12, "numerator": 12, "denominator": 12, "weight": 12, "status": 11, "progress": 36, "problems": 28, "measures": 28, "finish_date": 13}
WRAPPED = {"name", "indicator", "target", "progress", "problems", "measures"}
NUMERIC = {"previous", "value", *PARTS}
DATE_FORMAT = "yyyy-mm-dd"

STATUS_MEANINGS = {
    "已完成": "已达到年度目标",
    "正常推进": "正在实施，进度达到或快于序时进度",
    "滞后": "进度落后于序时进度",
    "未启动": "尚未开始实施",
}

# Characters Windows refuses in file names, and the device names it reserves.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@dataclass(frozen=True)
class _Row:
    task: Task
    region_code: str  # "" for the whole task
    region_name: str
    target: str  # 年度目标 as written in the ledger
    previous: float | None
    progress: str = ""  # the unit's 工作进展 of last round, written in for editing

    def part_name(self, key: str) -> str | None:
        """What the row's 分子 / 分母 / 权重 is (from the ledger's 汇总依据), or None when the row has no such part."""
        ind = self.task.indicator
        if ind is None:
            return None
        if ind.aggregation is Aggregation.RATE and key in ("numerator", "denominator"):
            return getattr(ind, key) or ("分子" if key == "numerator" else "分母")
        if ind.aggregation is Aggregation.WEIGHTED_MEAN and key == "weight":
            return ind.weight_base or "权重"
        return None


@dataclass(frozen=True)
class _Submitter:
    name: str  # canonical unit name
    label: str  # the name offices write (省教育厅)
    kind: UnitKind
    rows: tuple[_Row, ...]


# -- public entry point -----------------------------------------------------------------------------
def write_templates(ledger: AnnualLedger, rnd: Round | str, out_dir: str | Path,
                    previous: Mapping[tuple[str, str], float] | None = None,
                    units: Iterable[str] | None = None, *,
                    generated: dt.datetime | None = None,
                    progress: Mapping[tuple[str, str], str] | None = None) -> list[Path]:
    """Write one fill-in workbook per submitting unit; return the paths in submitter order.

    ``previous`` maps (task code, region code or "") to last round's cumulative value (上月累计完成), ``progress``
    to the unit's last 工作进展 text (written in for editing).
    ``units`` restricts the output to these units (any name the directory matches); a name that is not
    a submitter raises ValueError. ``generated`` fixes the timestamp in the metadata (for tests).
    """
    rnd = ledger.round(parse_round(rnd) if isinstance(rnd, str) else rnd)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    generated = generated or dt.datetime.now().replace(microsecond=0)
    used: set[str] = set()
    paths = []
    for name in _select(ledger, units):
        sub = _submitter(ledger, name, previous or {}, progress or {})
        path = out / _unique_filename(rnd, sub, used)
        _write_atomic(path, lambda tmp: _write_workbook(tmp, ledger, rnd, sub, generated))
        paths.append(path)
    return paths


def template_filename(rnd: Round, label: str, taken: set[str] | None = None) -> str:
    """{round key}_{unit label}_进展填报.xlsx, safe on Windows and at most NAME_BYTES bytes (the label cut to
    fit); with `taken`, one not in it (…_{label}_2_进展填报.xlsx)."""
    part = _clean_name(label) or "填报单位"
    return unique_filename(part, set() if taken is None else taken, prefix=f"{rnd.key}_", suffix="_进展填报.xlsx")


def _clean_name(text: str) -> str:
    text = _FORBIDDEN.sub("", str(text))
    return re.sub(r"\s+", " ", text).strip().rstrip(". ")


def _unique_filename(rnd: Round, sub: _Submitter, used: set[str]) -> str:
    """Two units must never share a file (Windows compares names without case)."""
    for label in (sub.label, sub.name):
        name = template_filename(rnd, label)
        if name.casefold() not in used:
            used.add(name.casefold())
            return name
    return template_filename(rnd, sub.label, used)


# -- who fills in what --------------------------------------------------------------------------------
def _select(ledger: AnnualLedger, units: Iterable[str] | None) -> list[str]:
    order = ledger.submitters()
    if units is None:
        return order
    wanted = set()
    for written in units:
        found = ledger.units.match(written)
        name = written if written in order else (found.name if found else compact(written))
        if name not in order:
            raise ValueError(f"“{written}”不是本台帐的填报单位（牵头单位或承担分地区任务的地方政府）。")
        wanted.add(name)
    return [n for n in order if n in wanted]


def _submitter(ledger: AnnualLedger, name: str, previous: Mapping[tuple[str, str], float],
               progress: Mapping[tuple[str, str], str]) -> _Submitter:
    rows = _rows(ledger, name, previous, progress)
    unit = ledger.units.match(name)
    # A 责任单位 sheet often leaves 单位类型 blank, which parses as 部门; a unit that only fills in
    # regions of decomposed tasks is a region government whatever the sheet says.
    only_regions = bool(rows) and all(r.region_code for r in rows)
    kind = UnitKind.REGION if (unit and unit.kind is UnitKind.REGION) or only_regions else UnitKind.DEPARTMENT
    return _Submitter(name, unit.label if unit else name, kind, tuple(rows))


def _rows(ledger: AnnualLedger, name: str, previous: Mapping[tuple[str, str], float],
          progress: Mapping[tuple[str, str], str]) -> list[_Row]:
    """In ledger order, per task: a whole-task row if the unit leads it, then the regions it fills in."""
    rows = []
    for task, code in ledger.rows_of(name):
        key = (task.code, code)
        if code:
            region = ledger.regions.get(code)
            target = task.region_targets.get(code)
            rows.append(_Row(task, code, region.name if region else code, target.raw if target else "",
                             _number(previous.get(key)), progress.get(key) or ""))
            continue
        whole = ledger.whole_region(task) if task.decomposed else None
        rows.append(_Row(task, "", whole.name if whole else "", task.target.raw if task.target else "",
                         _number(previous.get(key)), progress.get(key) or ""))
    return rows


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


# -- files ----------------------------------------------------------------------------------------------
def _write_atomic(path: Path, write: Callable[[str], None]) -> None:
    """Write through a temp file beside the target, then swap it in: a reader never sees half a workbook."""
    with atomic_path(path) as tmp:
        write(str(tmp))


def _write_workbook(path: str, ledger: AnnualLedger, rnd: Round, sub: _Submitter, generated: dt.datetime) -> None:
    # Text stays text: a task name starting with "=" or holding a URL must not turn into a formula or link.
    # in_memory: a small book; xlsxwriter's temporary files cost more than the writing (bench/bench_run.py)
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False, "in_memory": True})
    wb.set_properties({"title": _title(rnd, sub), "created": generated})  # fixed date → same bytes
    formats = _Formats(wb)
    _progress_sheet(wb.add_worksheet(PROGRESS_SHEET), formats, ledger, rnd, sub)
    _guide_sheet(wb.add_worksheet(GUIDE_SHEET), formats, rnd, sub)
    _meta_sheet(wb.add_worksheet(META_SHEET), ledger, rnd, sub, generated)
    wb.close()


# -- sheet 进展填报 ----------------------------------------------------------------------------------------
class _Formats:
    """Cell formats, created once per workbook and shared by every cell that needs them."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._cache: dict[tuple, object] = {}
        self.title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.info = wb.add_format({"valign": "vcenter"})
        self.header = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                     "border": 1, "bg_color": "#D9D9D9"})
        self.footer = wb.add_format({"valign": "vcenter", "locked": False})
        self.guide_title = wb.add_format({"bold": True, "font_size": 14})
        self.guide = wb.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, key: str, num_format: str | None = None, filled: bool | None = None):
        """Locked cells are grey, cells to fill are pale yellow, so clerks see at once where to type.
        `filled` says so for a column filled on some rows only (分子, 分母, 权重)."""
        filled = key in FILLED if filled is None else filled
        spec = (key, num_format, filled)
        if spec not in self._cache:
            props = {"border": 1, "valign": "vcenter", "text_wrap": key in WRAPPED}
            props.update({"locked": False, "bg_color": "#FFF2CC"} if filled else {"bg_color": "#F2F2F2"})
            if key == "finish_date":
                props["num_format"] = DATE_FORMAT
            elif num_format:
                props["num_format"] = num_format
            if key in ("code", "region", "unit", "status"):
                props["align"] = "center"
            self._cache[spec] = self.wb.add_format(props)
        return self._cache[spec]


def number_format(unit: str | None) -> str:
    """Display format for values in ``unit``: one decimal for percentages, two for 万/亿 units."""
    unit = unit or ""
    if "%" in unit or "％" in unit or "百分" in unit:
        return "0.0"
    if "万" in unit or "亿" in unit:
        return "0.00"
    return "#,##0.##"


def _title(rnd: Round, sub: _Submitter) -> str:
    return f"{rnd.label}民生实事进展填报表（{sub.label}）"


def _cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _progress_sheet(ws: Worksheet, fmt: _Formats, ledger: AnnualLedger, rnd: Round, sub: _Submitter) -> None:
    last_col = len(COLUMNS) - 1
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, _title(rnd, sub), fmt.title)
    ws.set_row(TITLE_ROW, 30)
    info = f"填报单位：{sub.label}　　填报轮次：{rnd.label}　　报送截止：{_cn_date(rnd.deadline)}"
    ws.merge_range(INFO_ROW, 0, INFO_ROW, last_col, info, fmt.info)
    ws.set_row(INFO_ROW, 20)
    for col, field in enumerate(PROGRESS.fields):
        names = {row.part_name(field.key) for row in sub.rows} - {None} if field.key in PARTS else set()
        header = f"{field.header}：{names.pop()}" if len(names) == 1 else field.header  # 分子：入学人数
        ws.write_string(HEADER_ROW, col, header, fmt.header)
        hidden = field.key in PARTS and not any(row.part_name(field.key) for row in sub.rows)
        ws.set_column(col, col, WIDTHS.get(field.key, 12), None, {"hidden": True} if hidden else {})
    ws.set_row(HEADER_ROW, 30)
    for i, row in enumerate(sub.rows):
        _data_row(ws, fmt, FIRST_DATA_ROW + i, row)
    last_row = FIRST_DATA_ROW + len(sub.rows) - 1
    if sub.rows:
        _validations(ws, sub.rows, ledger.year)
    footer_row = max(last_row, HEADER_ROW) + 2  # one blank row, then the signature line
    ws.merge_range(footer_row, 0, footer_row, last_col, FOOTER_TEXT, fmt.footer)
    ws.set_row(footer_row, 24)
    ws.autofilter(HEADER_ROW, 0, max(last_row, HEADER_ROW), last_col)
    ws.freeze_panes(FIRST_DATA_ROW, COL["name"] + 1)
    ws.protect(PROTECT_PASSWORD, {"format_columns": True, "format_rows": True, "autofilter": True,
                                  "select_locked_cells": True, "select_unlocked_cells": True})
    _print_setup(ws)


def _data_row(ws: Worksheet, fmt: _Formats, r: int, row: _Row) -> None:
    task = row.task
    texts = {"code": task.code, "name": task.name, "region": row.region_name,
             "indicator": task.indicator.name if task.indicator else "",
             "unit": task.unit or "", "target": row.target}
    num_format = number_format(task.unit)
    for key, col in COL.items():
        filled = bool(row.part_name(key)) if key in PARTS else None
        cell = fmt.cell(key, (num_format if key == "value" or key == "previous" else "#,##0.##") if key in NUMERIC
                        else None, filled)
        if key == "target" and isinstance(plain_number(row.target), (int, float)):
            ws.write_number(r, col, plain_number(row.target), fmt.cell(key, num_format))  # 0.22, not '0.22'
        elif key in texts and texts[key]:
            ws.write_string(r, col, texts[key], cell)
        elif key == "previous" and row.previous is not None:
            ws.write_number(r, col, row.previous, cell)
        elif key == "progress" and row.progress:
            ws.write_string(r, col, row.progress, cell)
        else:
            ws.write_blank(r, col, None, cell)
    ws.set_row(r, row_height({key: texts.get(key) or (row.progress if key == "progress" else "") for key in WRAPPED}))


LINE_PT = 14.5  # one line of 11 pt text in Excel, LibreOffice and WPS


def row_height(texts: Mapping[str, str]) -> float:
    """Points for a row whose wrapped cells hold `texts`: LibreOffice and WPS do not grow a row that
    xlsxwriter wrote, so wrapped text would overlap the next row."""
    lines = max((math.ceil(display_width(text) / max(WIDTHS.get(key, 12) - 1, 1)) for key, text in texts.items()
                 if text), default=1)
    return LINE_PT * max(lines, 1) + 4


def _validations(ws: Worksheet, rows: tuple[_Row, ...], year: int) -> None:
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows) - 1
    value = COL["value"]
    # One rule per run of rows with the same unit, so the prompt can name the unit to use.
    r = first
    for (unit, numeric), run in groupby(rows, key=lambda row: (row.task.unit or "", _numeric(row))):
        n = len(list(run))
        unit_text = f"，计量单位：{unit}" if unit else ""
        prompt = (f"填写年初至本月底的累计完成数（不是当月数）{unit_text}。只填数字，不带单位和文字。" if numeric else
                  "本任务为定性目标，可不填数字，请在“进展状态”和“工作进展”中说明；有可量化的完成数时填数字。")
        ws.data_validation(r, value, r + n - 1, value, {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": "累计完成",
            "input_message": prompt,
            "error_title": "累计完成填写有误",
            "error_message": f"请填写不小于 0 的数字{unit_text}，不要带单位、文字或空格。",
        })
        r += n
    for i, row in enumerate(rows):
        for key in PARTS:
            name = row.part_name(key)
            if name:
                ws.data_validation(first + i, COL[key], first + i, COL[key], {
                    "validate": "decimal", "criteria": ">=", "value": 0,
                    "input_title": PROGRESS.field(key).header,
                    "input_message": f"{PROGRESS.field(key).header}：{name}。{_PART_HELP[key]}"[:255],
                    "error_title": f"{PROGRESS.field(key).header}填写有误",
                    "error_message": f"请填写“{name}”的实际数（不小于 0 的数字），不要带单位或文字。"[:255],
                })
    status = COL["status"]
    ws.data_validation(first, status, last, status, {
        "validate": "list", "source": list(STATUSES),
        "input_title": "进展状态",
        "input_message": "请从下拉列表选择：" + "、".join(STATUSES) + "。",
        "error_title": "进展状态填写有误",
        "error_message": "进展状态只能从下拉列表中选择：" + "、".join(STATUSES) + "。",
    })
    finish = COL["finish_date"]
    ws.data_validation(first, finish, last, finish, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(year, 1, 1), "maximum": dt.date(year + 1, 12, 31),
        "input_title": "完成日期",
        "input_message": f"已完成的任务填写实际完成日期，如 {year}-06-30；未完成的不填。",
        "error_title": "完成日期填写有误",
        "error_message": f"请填写 {year}年1月1日 至 {year + 1}年12月31日 之间的日期，如 {year}-06-30。",
    })


_PART_HELP = {
    "numerator": "填写实际数，上级的比率按各地 分子之和 ÷ 分母之和 计算，不是比率相加或平均。",
    "denominator": "填写实际数，上级的比率按各地 分子之和 ÷ 分母之和 计算，不是比率相加或平均。",
    "weight": "填写实际数，上级按 数值×权重 之和 ÷ 权重之和 加权计算。",
}


def _numeric(row: _Row) -> bool:
    """Whether the row's own target is a number (region rows have their own target)."""
    target = row.task.region_targets.get(row.region_code) if row.region_code else row.task.target
    return bool(target and target.is_numeric)


def _print_setup(ws: Worksheet) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.repeat_rows(HEADER_ROW)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")


# -- sheet 填报说明 ----------------------------------------------------------------------------------------
def _guide_lines(rnd: Round, sub: _Submitter) -> list[str]:
    filled = "、".join(PROGRESS.field(k).header for k in FILLED)
    locked = "、".join(f.header for f in PROGRESS.fields if f.key not in FILLED)
    statuses = "；".join(f"“{s}”：{STATUS_MEANINGS[s]}" if s in STATUS_MEANINGS else f"“{s}”" for s in STATUSES)
    return [
        f"一、本表是{sub.label}{rnd.label}民生实事进展填报表，请于{_cn_date(rnd.deadline)}前报送。",
        f"二、只需填写“{PROGRESS_SHEET}”表中浅黄色的单元格：{filled}。",
        f"三、灰色的列（{locked}）由年度任务台帐生成，已锁定，请勿修改。如发现台帐信息有误，请在“存在问题”中说明或另行联系。",
        "四、“累计完成”填写从年初到本月底的累计完成数，不是当月完成数。"
        "请按“计量单位”列的单位填写纯数字，不要带单位或文字。例如计量单位为“万人”、累计完成 1.2 万人，填 1.2；"
        "计量单位为“%”、完成 85%，填 85。",
        *_part_lines(sub),
        f"五、“进展状态”从下拉列表中选择：{statuses}。",
        "六、“工作进展”简要写明本月底前的主要进展；进展状态为“滞后”或“未启动”的，请在“存在问题”和“下步措施”中写明原因和措施。",
        f"七、任务已完成的，请在“完成日期”中填写实际完成日期，格式如 {rnd.year}-06-30；未完成的不填。",
        "八、表格最后一行请填写填表人、联系电话和审核人。",
        "九、请勿增删行列，请勿重命名或删除工作表；请直接在本文件中填写，保存为 .xlsx 格式，"
        "不要另存为 .xls、.et 等其他格式，也不要把内容复制到新文件中报送。",
        "十、工作表已设置保护（无密码），仅为防止误改。如需调整行高、列宽可直接操作；确需撤销保护的，"
        "可在“审阅”菜单中点击“撤销工作表保护”，但请勿改动灰色列的内容。",
        "十一、文件名可以自行修改，不影响识别。需要更正时，请修改后将整个文件重新报送，不要只发送修改的部分。",
    ]


def _part_lines(sub: _Submitter) -> list[str]:
    """What 分子, 分母 and 权重 are for each rate or weighted-mean task of the unit (none: no line)."""
    named: dict[str, str] = {}
    for row in sub.rows:
        num, den, weight = (row.part_name(k) for k in PARTS)
        if num and den:
            named.setdefault(row.task.code, f"“{row.task.name}”：分子为{num}，分母为{den}")
        elif weight:
            named.setdefault(row.task.code, f"“{row.task.name}”：权重为{weight}")
    if not named:
        return []
    return ["　　比率类任务除比率外，请在“分子”“分母”中填写计算比率的两个实际数；加权平均类任务请在“权重”中填写"
            "权重的实际数。上级的比率按各地分子之和 ÷ 分母之和计算，不把比率相加或平均；只填比率的，上级无法汇总。"
            + "；".join(named.values()) + "。"]


def _guide_sheet(ws: Worksheet, fmt: _Formats, rnd: Round, sub: _Submitter) -> None:
    ws.set_column(0, 0, 110, fmt.guide)
    ws.write_string(0, 0, "填报说明", fmt.guide_title)
    ws.set_row(0, 24)
    for i, line in enumerate(_guide_lines(rnd, sub), start=2):
        ws.write_string(i, 0, line, fmt.guide)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


# -- hidden metadata sheet -------------------------------------------------------------------------------
def _meta_sheet(ws: Worksheet, ledger: AnnualLedger, rnd: Round, sub: _Submitter, generated: dt.datetime) -> None:
    values = {
        "template": TEMPLATE_ID,
        "version": TEMPLATE_VERSION,
        "unit": sub.name,
        "unit_kind": sub.kind.value,
        "round": rnd.key,
        "ledger": Path(ledger.path).name if ledger.path else "",
        "generated": generated.isoformat(timespec="seconds"),
    }
    for r, (key, label) in enumerate(META_KEYS.items()):
        ws.write_string(r, 0, label)
        ws.write_string(r, 1, values.get(key, ""))
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 40)
    ws.very_hidden()  # not listed under 取消隐藏, so nobody deletes it by accident
