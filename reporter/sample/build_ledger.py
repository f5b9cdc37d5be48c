"""Write the bundled sample ledger workbook from ``reporter.sample.ledger_data``.

    python -m reporter.sample.build_ledger            # → ledgers/sample/2025年民生实事任务台帐.xlsx
    python -m reporter.sample.build_ledger OUT.xlsx   # → OUT.xlsx

The file is written atomically (temporary file in the target folder, then ``os.replace``) and
deterministically (fixed document timestamps), so rebuilding an unchanged data file gives the
same workbook.
"""
from __future__ import annotations

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from reporter.sample import ledger_data as data

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = REPO_ROOT / "ledgers" / "sample" / data.FILE_NAME

SHEET_TASKS = "任务"
SHEET_REGIONS = "分地区目标"
SHEET_PLANS = "计划进度"
SHEET_UNITS = "责任单位"
SHEET_ROUNDS = "填报轮次"
SHEET_README = "说明"

REGION_COLUMNS = ["任务编号", "地区", "年度目标", "责任单位"]
PLAN_COLUMNS = ["任务编号", "计划类型", *data.MONTHS, *data.QUARTERS]

# Column widths (characters) by header; anything not listed gets 10.
_WIDTHS = {
    "任务编号": 12, "领域": 11, "任务名称": 24, "任务内容": 52, "指标名称": 26, "计量单位": 9,
    "年度目标": 11, "指标属性": 9, "指标方向": 9, "汇总方式": 9, "汇总依据": 30, "牵头单位": 14,
    "责任单位": 32, "完成时限": 14, "分解到地区": 10, "来源文件": 34, "备注": 48,
    "地区": 14, "计划类型": 9, "单位名称": 34, "简称": 22, "别名": 30, "单位类型": 9,
    "所属工作组": 14, "联系人": 12, "联系邮箱": 30, "轮次": 10, "截止日期": 12,
    **{month: 6 for month in data.MONTHS},
    **{quarter: 8 for quarter in data.QUARTERS},
}
# Columns whose text wraps inside the cell.
_WRAPPED = {"任务名称", "任务内容", "指标名称", "汇总依据", "责任单位", "来源文件", "备注", "单位名称", "别名"}


class LedgerDataError(ValueError):
    """The sample data is inconsistent (raised before anything is written)."""


def _unit_names() -> set[str]:
    names: set[str] = set()
    for unit in data.UNITS:
        names.add(unit["name"])
        names.add(unit["short"])
        names.update(part for part in unit["aliases"].split("、") if part)
    return names


def validate() -> None:
    """Check the cross-references an inspector would check; raise LedgerDataError on the first problem."""
    ids = [task["id"] for task in data.TASKS]
    if len(ids) != len(set(ids)):
        raise LedgerDataError("任务编号重复")
    known_ids = set(ids)
    units = _unit_names()
    allowed = units | set(data.COLLECTIVE_UNITS)
    regions = set(data.REGION_GOVERNMENTS)
    for task in data.TASKS:
        missing = {key for key, _ in data.TASK_COLUMNS} - set(task)
        if missing:
            raise LedgerDataError(f"{task['id']} 缺少字段 {sorted(missing)}")
        if task["lead"] not in units:
            raise LedgerDataError(f"{task['id']} 牵头单位不在责任单位表中：{task['lead']}")
        for name in task["responsible"].split("、"):
            if name not in allowed:
                raise LedgerDataError(f"{task['id']} 责任单位不在责任单位表中：{name}")
        if task["decomposed"] != (task["id"] in data.REGIONAL_TARGETS):
            raise LedgerDataError(f"{task['id']} 分解到地区与分地区目标不一致")
    for task_id, targets in data.REGIONAL_TARGETS.items():
        if task_id not in known_ids:
            raise LedgerDataError(f"分地区目标引用了不存在的任务 {task_id}")
        unknown = set(targets) - regions
        if unknown:
            raise LedgerDataError(f"{task_id} 分地区目标含未知地区 {sorted(unknown)}")
        task = next(t for t in data.TASKS if t["id"] == task_id)
        if task["aggregation"] == "求和" and isinstance(task["target"], (int, float)):
            total = sum(Decimal(str(value)) for value in targets.values())
            if total != Decimal(str(task["target"])):
                raise LedgerDataError(f"{task_id} 分地区目标合计 {total} ≠ 年度目标 {task['target']}")
    for plan in data.PLANS:
        if plan["task_id"] not in known_ids:
            raise LedgerDataError(f"计划进度引用了不存在的任务 {plan['task_id']}")
        expected = {"月度": 12, "季度": 4}.get(plan["kind"])
        values = plan["values"]
        if expected is None or len(values) != expected:
            raise LedgerDataError(f"{plan['task_id']} 计划类型或期数不正确")
        if any(b < a for a, b in zip(values, values[1:])) or max(values) > 100 or values[-1] != 100:
            raise LedgerDataError(f"{plan['task_id']} 计划进度须非递减、不超过100并以100收尾")


def _formats(workbook):
    base = {"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1}
    return {
        "header": workbook.add_format({
            **base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter",
            "text_wrap": True,
        }),
        "cell": workbook.add_format(base),
        "wrap": workbook.add_format({**base, "text_wrap": True}),
        "date": workbook.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
        "title": workbook.add_format({"font_name": "黑体", "font_size": 14, "bold": True}),
        "text": workbook.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"}),
    }


def _write_value(sheet, row, col, value, fmt):
    if value is None or value == "":
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _table_sheet(workbook, fmts, name, headers, rows, *, row_height=None):
    """One header row + data rows, with the layout every sheet shares."""
    sheet = workbook.add_worksheet(name)
    for col, header in enumerate(headers):
        wrapped = header in _WRAPPED
        sheet.set_column(col, col, _WIDTHS.get(header, 10), fmts["wrap"] if wrapped else fmts["cell"])
        sheet.write_string(0, col, header, fmts["header"])
    sheet.set_row(0, 22)
    for r, row in enumerate(rows, start=1):
        if row_height:
            sheet.set_row(r, row_height)
        for col, (header, value) in enumerate(zip(headers, row)):
            fmt = fmts["wrap"] if header in _WRAPPED else fmts["cell"]
            if hasattr(value, "isoformat") and not isinstance(value, str):
                sheet.write_datetime(r, col, value, fmts["date"])
            else:
                _write_value(sheet, r, col, value, fmt)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    return sheet


def _task_rows():
    keys = [key for key, _ in data.TASK_COLUMNS]
    return [[task[key] for key in keys] for task in data.TASKS]


def _region_rows():
    rows = []
    for task in data.TASKS:
        for region, target in data.REGIONAL_TARGETS.get(task["id"], {}).items():
            rows.append([task["id"], region, target, data.REGION_GOVERNMENTS[region]])
    return rows


def _plan_rows():
    rows = []
    for plan in data.PLANS:
        monthly = plan["values"] if plan["kind"] == "月度" else [None] * 12
        quarterly = plan["values"] if plan["kind"] == "季度" else [None] * 4
        rows.append([plan["task_id"], plan["kind"], *monthly, *quarterly])
    return rows


def _unit_rows():
    keys = [key for key, _ in data.UNIT_COLUMNS]
    return [[unit[key] for key in keys] for unit in data.UNITS]


def _write_workbook(path: str) -> None:
    workbook = xlsxwriter.Workbook(path)
    workbook.set_properties({
        "title": data.LEDGER_TITLE,
        "subject": "民生实事年度任务台帐（示例）",
        "author": f"{data.OFFICE}（示例）",
        "company": data.OFFICE,
        "category": "示例数据",
        "keywords": "民生实事, 任务台帐, 示例",
        "comments": "reporter 示例台帐，由 reporter.sample.build_ledger 生成",
        "created": data.CREATED,
    })
    fmts = _formats(workbook)

    _table_sheet(workbook, fmts, SHEET_TASKS, [h for _, h in data.TASK_COLUMNS], _task_rows())
    _table_sheet(workbook, fmts, SHEET_REGIONS, REGION_COLUMNS, _region_rows())
    _table_sheet(workbook, fmts, SHEET_PLANS, PLAN_COLUMNS, _plan_rows())
    _table_sheet(workbook, fmts, SHEET_UNITS, [h for _, h in data.UNIT_COLUMNS], _unit_rows())
    _table_sheet(workbook, fmts, SHEET_ROUNDS, data.ROUND_COLUMNS, [list(r) for r in data.ROUNDS])

    readme = workbook.add_worksheet(SHEET_README)
    readme.set_column(0, 0, 120)
    readme.write_string(0, 0, data.README_LINES[0], fmts["title"])
    for row, line in enumerate(data.README_LINES[1:], start=1):
        readme.write_string(row, 0, line, fmts["text"])
    readme.set_landscape()
    readme.set_paper(9)
    readme.fit_to_pages(1, 0)

    workbook.get_worksheet_by_name(SHEET_TASKS).activate()
    workbook.close()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_sample_ledger(path: str | os.PathLike = DEFAULT_PATH) -> Path:
    """Validate the sample data and write the workbook to ``path`` atomically; return the path."""
    validate()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".~", suffix=".xlsx")
    os.close(fd)
    try:
        _write_workbook(tmp)
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = build_sample_ledger(args[0] if args else DEFAULT_PATH)
    print(f"已生成示例台帐：{out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
