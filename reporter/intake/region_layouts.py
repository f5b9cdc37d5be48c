"""Region targets as offices lay them out, read into one list of cells before any region is matched.

Three layouts (docs/ledger-format.md shows each):
* long: one row per task and region (任务编号 | 地区 | 年度目标 [| 责任单位]);
* wide: one row per task, one column per region (编号 | 指标 | 咸安区 | 嘉鱼县 | … [| 合计]), maybe under a
  second header row grouping counties under their city; any sheet name (任务分解, 分解表, 附表2 …);
* columns of the task sheet itself named for regions.
A 合计 column or row (合计 / 全市合计 / 全省) is kept as a total to check the regions against, never a region.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..model.findings import cell_ref
from ..model.regions import RegionTree
from ..model.text import compact, split_header
from . import ledger_schema as S
from .headers import Table, _header_text, _spread_merged, find_table, is_total_label
from .values import cell_text
from .workbook import Sheet

LONG, WIDE, TASK_COLUMNS = "长表", "宽表", "任务表分地区列"


@dataclass(frozen=True)
class RegionCell:
    """One region's target for one task, as written, and where."""

    task: str  # task code as written ('' when the row names the task only by its name)
    task_name: str  # 任务名称 or 指标 as written, to find the task without a code
    region: str  # region name as written
    target: Any  # the target cell's value
    unit: str  # 责任单位 named for the region on that row ('' for none)
    sheet: str
    cell: str  # A1 of the target
    region_cell: str  # A1 of the region name (the header cell in a wide sheet)
    task_cell: str = ""  # A1 of the task code (or name) on the target's row
    group: str = ""  # the upper header over the region (a city over its counties), '' for none
    layout: str = LONG
    total: bool = False  # a 合计 cell: checked against the regions, not a region


def long_cells(table: Table) -> list[RegionCell]:
    out = []
    for r, values in table.rows():
        region = cell_text(table.value(values, "region"))
        out.append(RegionCell(
            task=cell_text(table.value(values, "code")), task_name="", region=region,
            target=table.value(values, "target"), unit=cell_text(table.value(values, "unit")),
            sheet=table.sheet.name, cell=cell_ref(r, table.columns["target"]),
            region_cell=cell_ref(r, table.columns["region"]), task_cell=cell_ref(r, table.columns["code"]),
            layout=LONG, total=is_total_label(region)))
    return out


def region_columns(table: Table, tree: RegionTree, unknown: bool = False) -> dict[int, tuple[str, str]]:
    """Columns of a table not in its schema whose header names a region or a 合计 (with `unknown`, every other
    headed column too): column → (name as written, the upper header over it or '')."""
    rows = table.header_rows
    filled = _spread_merged(table.sheet, range(rows[0], rows[-1] + 1))
    out: dict[int, tuple[str, str]] = {}
    for col in sorted(table.extras):
        texts = [_header_text(table.sheet, filled, r, col) for r in rows]
        name, group = texts[-1], (texts[0] if len(texts) > 1 and texts[0] != texts[-1] else "")
        if name and (unknown or is_total_label(name) or _is_region(tree, name, group)):
            out[col] = (name, group)
    return out


# The office's own part of a target, beside its regions' (市本级, 县直, 本级): done by the lead department itself.
_OWN_PART = re.compile(r"^(?:省|市|州|县|区|旗|镇|乡|街道)?(?:本级|直属|直)$|^.{2,12}本级$")


def is_own_part(name: str) -> bool:
    """市本级 / 县直 / 咸宁市本级: the part of a split target the office's own departments carry."""
    return bool(_OWN_PART.match(compact(name)))


def _is_region(tree: RegionTree, header: str, group: str) -> bool:
    if not header:
        return False
    if is_own_part(header):
        return True
    within = tree.match(group) if group else None
    for text in (compact(header), split_header(header)[0]):
        if tree.match(text, within.code if within else None) is not None or len(tree.match_all(text)) > 1:
            return True
    return False


def wide_tables(sheets: Sequence[Sheet], tree: RegionTree) -> list[tuple[Table, dict[int, tuple[str, str]]]]:
    """Sheets laid out wide: a task column and two or more region columns (one will do on a sheet with a
    usual name such as 任务分解). Every other headed column of such a sheet is read as a region too, so a
    name the tree does not know is reported at its header, not passed over."""
    usual = {compact(n) for n in S.WIDE_TARGETS.sheet_names}
    found = []
    for sheet in sheets:
        table = find_table(sheet, S.WIDE_TARGETS)
        if table is None:
            continue
        columns = region_columns(table, tree)
        regions = [c for c, (name, _) in columns.items() if not is_total_label(name)]
        every = region_columns(table, tree, unknown=True)
        usual_sheet = _usual_name(sheet.name, usual)
        # a county's 乡镇 the built-in table does not know: on a usual sheet they are still region columns
        if len(regions) >= 2 or (usual_sheet and (regions or len(every) >= 2)):
            found.append((table, every))
    return found


def _usual_name(name: str, usual: set[str]) -> bool:
    """附表2 乡镇任务分解, 附件2：县市区任务分解表: a usual name after a 附表/附件 number counts as the usual name."""
    name = compact(name)
    return name in usual or any(name.endswith(u) for u in usual)


def wide_cells(table: Table, columns: dict[int, tuple[str, str]], layout: str = WIDE) -> list[RegionCell]:
    """One cell per task row and region column; blank cells are no target (the task is not split there)."""
    out = []
    header_row = table.header_rows[-1]
    for r, values in table.rows():
        code = cell_text(table.value(values, "code"))
        name = cell_text(table.value(values, "name")) or cell_text(table.value(values, "indicator"))
        if not code and not name or is_total_label(code or name):
            continue
        key_col = table.columns.get("code" if code else "name", table.columns.get("indicator", 0))
        for col, (region, group) in columns.items():
            value = values[col] if col < len(values) else None
            if value is None or value == "":
                continue
            out.append(RegionCell(task=code, task_name=name, region=region, target=value, unit="",
                                  sheet=table.sheet.name, cell=cell_ref(r, col),
                                  region_cell=cell_ref(header_row, col), task_cell=cell_ref(r, key_col),
                                  group=group, layout=layout,
                                  total=is_total_label(region)))
    return out
