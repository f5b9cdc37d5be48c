"""The ledger's regions: its 地区 sheet, the office's root, region targets in any layout, collective units.

Order matters and is the same for every ledger: the 地区 sheet extends the built-in table; the office's root is
found (see office_root); the tree is cut to the root's subtree, so every name afterwards — in the decomposition,
in the units sheet, in every submission — is matched within the root; region targets and collective units
(各县（市、区）人民政府) then become rows of the tasks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..model.findings import (LEDGER_AMBIGUOUS_REGION, LEDGER_BAD_REGION_ROW, LEDGER_BAD_VALUE,
                              LEDGER_COLLECTIVE_EMPTY, LEDGER_NO_OFFICE, LEDGER_REGION_BASE_UNIT, LEDGER_REGION_SUM,
                              LEDGER_TARGET_UNPARSED, LEDGER_UNKNOWN_REGION, LEDGER_UNKNOWN_TASK, Findings,
                              cell_ref)
from ..model.office import Office, office_of
from ..model.regions import Region, RegionTree
from ..model.targets import Aggregation, Target, TargetKind, parse_target
from ..model.tasks import Task
from ..model.text import compact
from ..model.units import Unit, UnitDirectory, UnitKind
from .headers import Table
from .office_root import common_root, place_in_title, region_in_title, sheet_root
from .region_layouts import RegionCell, is_own_part
from .values import cell_text, parse_number

ADD_REGION = "请改为地区表中的名称，或在“地区”工作表中补充该地区（地区名称、上级地区，可填地区代码）。"


@dataclass
class RegionSheet:
    """The 地区 sheet as read: the regions it adds and where each row is."""

    regions: list[Region] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)  # region code → A1 of its name cell
    sheet: str = ""


# -- the 地区 sheet ----------------------------------------------------------------------------------------------
_LEVEL_BY_ENDING = (("社区", "村"), ("村", "村"), ("街道", "乡"), ("镇", "乡"), ("乡", "乡"), ("自治区", "省"), ("省", "省"), ("自治州", "市"),
                    ("盟", "市"), ("州", "市"), ("县", "县"), ("旗", "县"), ("区", "县"))


def _level(name: str, given: str, parent: Region | None) -> str:
    """The region's level: as the sheet says; else below its parent (省 → 市 → 县 → 乡); else from its name."""
    if given:
        return {"市州": "市", "地级": "市", "县级": "县", "县市区": "县", "乡镇": "乡", "街道": "乡",
                "乡镇街道": "乡", "镇": "乡", "社区": "村", "村社区": "村", "村（社区）": "村"}.get(given, given)
    below = {"省": "市", "市": "县", "县": "乡", "乡": "村"}.get(parent.level) if parent else None
    if below:
        return below
    return next((lv for ending, lv in _LEVEL_BY_ENDING if name.endswith(ending)), "")


def read_region_sheet(table: Table, base: RegionTree, file: str, findings: Findings) -> RegionSheet:
    """Rows of 地区名称 [地区代码] [上级代码 or 上级地区] [层级] [简称] [别名]; a row without a code gets one made
    up from its parent's (a 乡镇 of 长兴县: 330522-01), a parent may be written as a name."""
    out = RegionSheet(sheet=table.sheet.name)
    rows = []
    for r, values in table.rows():
        name = cell_text(table.value(values, "name"))
        if not name:
            continue
        code = _code(table.value(values, "code"))
        if code and any(code == c for c, *_ in rows):
            findings.add(LEDGER_BAD_REGION_ROW, f"地区代码“{code}”重复，本行未载入。", file=file,
                         sheet=table.sheet.name, cell=cell_ref(r, table.columns["code"]), value=code)
            continue
        rows.append((code, name, cell_text(table.value(values, "parent")), cell_text(table.value(values, "level")),
                     cell_text(table.value(values, "short")), cell_text(table.value(values, "aliases")), r))
    names = {compact(name): code for code, name, *_ in rows if code}
    made: dict[str, int] = {}
    known: dict[str, Region] = {}
    for code, name, parent_text, level, short, aliases, r in rows:
        parent = _parent(parent_text, names, known, base)
        if parent_text and parent is None:
            findings.add(LEDGER_BAD_REGION_ROW, f"“{name}”的上级“{parent_text}”无法识别，按没有上级载入。"
                         + ADD_REGION, file=file, sheet=table.sheet.name, cell=cell_ref(r, table.columns["parent"]),
                         value=parent_text)
        if not code:
            stem = parent or "X"
            made[stem] = made.get(stem, 0) + 1
            code = f"{stem}-{made[stem]:02d}"
            names[compact(name)] = code
        parent_region = known.get(parent) or base.get(parent) if parent else None
        region = Region(code=code, name=name, parent=parent, level=_level(name, level, parent_region),
                        short=short or None, aliases=tuple(a for a in re.split(r"[|｜、,，]", aliases) if a))
        known[code] = region
        out.regions.append(region)
        out.places[code] = cell_ref(r, table.columns["name"])
    _same_name_siblings(out, file, findings)
    return out


def _code(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return compact(value).upper()


def _parent(text: str, names: dict[str, str], known: dict[str, Region], base: RegionTree) -> str | None:
    """A parent written as a code (of the sheet or the built-in table) or as a name."""
    if not text:
        return None
    code = _code(text)
    if code in known or code in base or code in names.values():
        return code
    if compact(text) in names:
        return names[compact(text)]
    found = base.match(text)
    if found is not None:
        return found.code
    return code if code.isdigit() else None  # a code of a region the sheet leaves out: its root, found later


def _same_name_siblings(sheet: RegionSheet, file: str, findings: Findings) -> None:
    seen: dict[tuple[str | None, str], Region] = {}
    for region in sheet.regions:
        key = (region.parent, compact(region.name))
        if key in seen:
            findings.add(LEDGER_AMBIGUOUS_REGION,
                         f"地区“{region.name}”与代码 {seen[key].code} 的地区同名且上级相同，无法区分："
                         "请删去重复的一行，或改用不同的名称。", file=file, sheet=sheet.sheet,
                         cell=sheet.places[region.code], value=region.name)
        seen.setdefault(key, region)


# -- the office's root -------------------------------------------------------------------------------------------
def find_office(tree: RegionTree, sheet: RegionSheet, titles: list[str], cells: list[RegionCell],
                configured: str | None, file: str, findings: Findings,
                leads: list[str] = ()) -> tuple[RegionTree, Office | None]:
    """The office and the tree cut to its region (see office_root for the order tried). `leads`: the task
    sheet's 牵头单位 as written; 省xx厅 over a decomposition to one city's counties says the office is the
    province's, not the city's."""
    tree, added = _attach_sheet(tree, sheet, titles)
    if configured:
        found = tree.match(configured) or tree.get(configured)
        if found is None:
            findings.add(LEDGER_NO_OFFICE, f"reporter.toml 中设置的所属地区“{configured}”不在地区表中。" + ADD_REGION,
                         file=file, value=configured)
        else:
            return _cut(tree, found, "config")
    for title in titles:
        found = region_in_title(tree, title)
        if found is not None:
            return _cut(tree, found, "title")
    found = sheet_root(tree, [r.code for r in sheet.regions] + added)
    if found is not None:
        return _cut(tree, found, "regions")
    named = [r for c in cells if not c.total for r in [tree.match(c.region)] if r is not None]
    found = common_root(tree, [r.code for r in named]) if named else None
    if found is not None and len({r.code for r in named}) > 1:
        return _cut(tree, _raised(tree, found, leads), "targets")
    place = "" if named or sheet.regions else next((p for t in titles for p in [place_in_title(t)] if p), "")
    if place:  # 长兴县 of 浙江, not in the built-in table: the office is the place its title names, not 湖北省
        root = Region(code="ROOT", name=place, level=_level(place, "", None))
        return _cut(tree.merged([root]), root, "title")
    roots = tree.roots()
    if len(roots) == 1:
        return _cut(tree, roots[0], "tree")
    findings.add(LEDGER_NO_OFFICE, "无法确定本台帐属于哪个地区：请在台帐标题中写明（如“咸宁市2025年民生实事任务台帐”），"
                                   "或在 reporter.toml 的 [workspace] 中写 region = \"咸宁市\"。", file=file)
    return tree, None


def adopt_towns(tree: RegionTree, office: Office | None, cells: list[RegionCell]) -> tuple[RegionTree, Office | None]:
    """A county ledger with no 地区 sheet names its 乡镇 only in the decomposition: when nothing is known under
    the office's region, the names there ending in 镇/乡/街道 become its 乡镇 (code: the county's code and a
    3-digit number, in the order written), so their targets and 各乡镇人民政府 are placed instead of lost."""
    if office is None or tree.children(office.region):
        return tree, office
    names: list[str] = []
    for c in cells:
        name = compact(c.region)
        if not c.total and name.endswith(("镇", "乡", "街道")) and tree.match(name) is None and name not in names:
            names.append(name)
    if not names:
        return tree, office
    towns = [Region(code=f"{office.region}{i:03d}", name=name, parent=office.region, level="乡")
             for i, name in enumerate(names, 1)]
    tree = tree.merged(towns)
    return tree, office_of(tree, office.region, office.found_by)


def _raised(tree: RegionTree, region: Region, leads: list[str]) -> Region:
    """The region, or its ancestor at the level most leads are named for (省民政厅 → 省, 市人社局 → 市)."""
    levels = [lv for name in leads for lv in [{"省": "省", "市": "市", "县": "县"}.get(compact(name)[:1])] if lv]
    if not levels:
        return region
    level = max(set(levels), key=levels.count)
    order = ("省", "市", "县", "乡")
    if level not in order or region.level not in order or order.index(level) >= order.index(region.level):
        return region
    return next((a for a in tree.ancestors(region.code) if a.level == level), region)


def _attach_sheet(tree: RegionTree, sheet: RegionSheet, titles: list[str]) -> tuple[RegionTree, list[str]]:
    """The built-in table extended with the sheet; the sheet's top rows put under the place the title names
    when they have no parent in the table (a county's 乡镇 listed without 长兴县)."""
    if not sheet.regions:
        return tree, []
    codes = {r.code for r in sheet.regions}
    tops = [r for r in sheet.regions if r.parent is None or (r.parent not in codes and r.parent not in tree)]
    merged = tree.merged(sheet.regions)
    place = next((p for t in titles for p in [region_in_title(merged, t)] if p is not None), None)
    if place is None and tops:
        name = next((p for t in titles for p in [place_in_title(t)] if p), "")
        missing = {r.parent for r in tops} - {None}
        if name or len(missing) == 1:
            code = missing.pop() if len(missing) == 1 else "ROOT"
            place = Region(code=code, name=name or "本级", level=_level(name, "", None))
            merged = merged.merged([place])
    if place is None:
        return merged, []
    moved = [replace(r, parent=place.code) for r in tops if r.code != place.code and r.parent != place.code]
    moved += [replace(r, level=_level(r.name, "", place)) for r in tops if r.parent == place.code and not r.level]
    return (merged.merged(moved) if moved else merged), [place.code]


def _cut(tree: RegionTree, root: Region, how: str) -> tuple[RegionTree, Office]:
    sub = tree.subtree(root.code)
    return sub, office_of(sub, root.code, how)


# -- region targets ----------------------------------------------------------------------------------------------
# What a region's answerable body is called, by the region's name ending (else 人民政府).
_BODY = {"街道": "办事处", "社区": "居民委员会", "村": "村民委员会"}


def region_unit(units: UnitDirectory, region: Region) -> str:
    """The unit answerable for a region's rows: its government (通山县人民政府, 雉城街道办事处, 长中社区居民委员会), as
    the units sheet names it when it does."""
    body = _BODY.get(next((e for e in _BODY if region.name.endswith(e)), ""), "人民政府")
    for name in (f"{region.name}{body}", f"{region.name}人民政府", f"{region.name}办事处", f"{region.name}政府",
                 region.name):
        found = units.match(name)
        if found is not None and found.kind is UnitKind.REGION:
            return found.name
        if found is not None:  # named in a 责任单位 cell before the regions were known: it is this region's
            return units.add(replace(found, kind=UnitKind.REGION, region=region.code, short=found.short or region.name,
                                     aliases=tuple(dict.fromkeys((*found.aliases, region.name))))).name
    name = f"{region.name}{body}"
    return units.add(Unit(name=name, short=region.name, aliases=(region.name,), kind=UnitKind.REGION,
                          region=region.code, registered=False)).name


@dataclass
class _Total:
    cell: RegionCell
    task: Task
    value: float


def apply_cells(cells: list[RegionCell], tasks: dict[str, Task], tree: RegionTree, office: Office | None,
                units: UnitDirectory, file: str, findings: Findings) -> None:
    """Region targets from every layout into the tasks; 合计 cells checked against their rows' regions."""
    by_name = _tasks_by_name(tasks)
    totals: list[_Total] = []
    for c in cells:
        task = tasks.get(c.task) if c.task else None
        task = task or by_name.get(compact(c.task_name)) or (by_name.get(compact(c.task)) if c.task else None)
        if task is None:
            what = f"任务编号“{c.task}”" if c.task else f"任务“{c.task_name}”"
            findings.add(LEDGER_UNKNOWN_TASK, f"{what}不在任务表中，本格未载入：请与任务表的任务编号一致。",
                         file=file, sheet=c.sheet, cell=c.task_cell or c.cell, value=c.task or c.task_name)
            continue
        own = office is not None and not c.total and is_own_part(c.region)
        region = _own_part(tree, office) if own else None if c.total else _region(c, tree, office, file, findings)
        if c.total or (region is not None and office is not None and region.code == office.region):
            number = parse_number(c.target)
            if number is not None:
                totals.append(_Total(c, task, number.value))
            continue
        if region is None:
            continue
        target = parse_target(cell_text(c.target), task.unit)
        if not target.is_parsed:
            findings.add(LEDGER_TARGET_UNPARSED, f"“{region.name}”的目标“{target.raw}”无法识别，已按原文保留。",
                         file=file, sheet=c.sheet, cell=c.cell, value=target.raw)
        if region.code in task.region_targets and task.region_targets[region.code].raw != target.raw:
            findings.add(LEDGER_BAD_VALUE, f"任务“{task.code}”“{region.name}”的目标写了两处且不同，采用先读到的"
                         f"“{task.region_targets[region.code].raw}”。", file=file, sheet=c.sheet, cell=c.cell,
                         value=target.raw)
            continue
        task.region_targets[region.code] = target
        owner = units.ensure(c.unit, UnitKind.REGION)[0].name if c.unit else task.lead if own else region_unit(
            units, region)
        task.region_units[region.code] = owner
        task.decomposed = True
    for total in totals:
        _check_total(total, file, findings)


def settle_base_unit(task: Task, file: str, findings: Findings) -> None:
    """A task counted in a scaled unit (2.8万人) whose regions' targets are plain numbers in the base unit (7000,
    3000 … adding up to 28000): a city writes its own target in 万人 and each county's in 人. Read as the
    task's unit, 7000 would be 7000万人 and every county's figure a thousandfold out; so when the plain
    numbers add up to the target in the base unit (and not in the scaled one), the whole task is counted in the
    base unit — its target, its regions' targets and the figures units fill in — and the clerk is told."""
    target, indicator = task.target, task.indicator
    if not (target and target.value and target.scale > 1 and indicator and task.region_targets
            and indicator.aggregation is Aggregation.SUM):
        return
    plain = [parse_number(t.raw) for t in task.region_targets.values()]
    if any(n is None or n.scale or n.percent for n in plain):
        return
    written, whole = sum(n.value for n in plain), target.base_value
    if _close(written * target.scale, whole) or not _close(written, whole):
        return
    base = target.base_unit
    task.target = replace(target, value=whole, unit=base, scale=1.0)
    task.indicator = replace(indicator, unit=base)
    task.region_targets = {code: parse_target(t.raw, base) for code, t in task.region_targets.items()}
    findings.add(LEDGER_REGION_BASE_UNIT, f"任务“{task.code}”的分地区目标合计 {written:,.10g}，等于年度目标"
                 f"“{target.describe()}”的 {whole:,.10g}{base or ''}：本任务按“{base or '基本单位'}”汇总和填报。",
                 file=file, sheet=task.place.sheet, cell=task.place.cell, value=target.raw)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, abs(b) * 0.005)


def _own_part(tree: RegionTree, office: Office) -> Region:
    """The office's own part (咸宁市本级) as a region below its root, made once: its figures are the lead
    department's and add up with the counties' to the whole."""
    code = f"{office.region}-BJ"
    if code not in tree:
        root = tree[office.region]
        below = {"省": "市", "市": "县", "县": "乡", "乡": "村"}.get(root.level, "")
        word = office.scope.removeprefix("全")
        tree.extend([Region(code=code, name=f"{root.name}本级", parent=root.code, level=below,
                            aliases=(f"{word}本级", f"{word}直", "本级"))])
    return tree[code]


def _tasks_by_name(tasks: dict[str, Task]) -> dict[str, Task]:
    out: dict[str, Task] = {}
    for task in tasks.values():
        for name in (task.name, task.indicator.name if task.indicator else ""):
            if name:
                out.setdefault(compact(name), task)
    return out


def _region(c: RegionCell, tree: RegionTree, office: Office | None, file: str, findings: Findings) -> Region | None:
    group = tree.match(c.group) if c.group else None
    found = tree.match(c.region, group.code if group else None)
    if found is not None:
        return found
    where = office.name if office else "本台帐"
    candidates = tree.match_all(c.region, group.code if group else None)
    if len(candidates) > 1:
        paths = "、".join("".join(tree.path(r.code)[1:]) or r.name for r in candidates[:4])
        findings.add(LEDGER_AMBIGUOUS_REGION, f"地区“{c.region}”在{where}下有 {len(candidates)} 个同名地区（{paths}），"
                     "无法确定指哪一个，本处未载入：请写出上级地区（如“某某县某某镇”）。", file=file, sheet=c.sheet,
                     cell=c.region_cell, value=c.region)
    else:
        findings.add(LEDGER_UNKNOWN_REGION, f"地区“{c.region}”不在{where}的地区中，本处未载入。" + ADD_REGION,
                     file=file, sheet=c.sheet, cell=c.region_cell, value=c.region)
    return None


def _check_total(total: _Total, file: str, findings: Findings) -> None:
    task, c = total.task, total.cell
    if task.indicator is None or task.indicator.aggregation is not Aggregation.SUM:
        return
    parts = [t.value for t in task.region_targets.values() if t.value is not None]
    if not parts or len(parts) != len(task.region_targets):
        return
    if abs(sum(parts) - total.value) > max(1e-6, abs(total.value) * 0.005):
        findings.add(LEDGER_REGION_SUM, f"任务“{task.code}”的{c.region or '合计'} {total.value:g} 与各地区目标之和 "
                     f"{sum(parts):g} 不一致：请核对合计或分地区目标。", file=file, sheet=c.sheet, cell=c.cell,
                     field="合计", value=f"{total.value:g}")


# -- collective units --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Collective:
    """A collective unit named in a task's row: 各县（市、区）人民政府."""

    task: str
    name: str
    level: str  # 市 / 县 / 乡 / 'children'
    sheet: str
    cell: str


def expand_collectives(collectives: list[Collective], tasks: dict[str, Task], tree: RegionTree,
                       office: Office | None, units: UnitDirectory, file: str, findings: Findings) -> None:
    """Every region of the collective's level under the root reports the task's row for itself; a task the
    ledger splits itself keeps its own regions. A rate or a wording is every region's target; a quantity not
    split has no region target (rows are judged by their stated progress, the sum against the whole)."""
    for c in collectives:
        task = tasks.get(c.task)
        if task is None or office is None:
            continue
        regions = _of_level(tree, office, c.level)
        if not regions:
            findings.add(LEDGER_COLLECTIVE_EMPTY, f"“{c.name}”在{office.name}之下没有对应的地区，没有展开：请在"
                         "“地区”工作表中列出这些地区，或改写为具体单位。", file=file, sheet=c.sheet, cell=c.cell,
                         value=c.name)
            continue
        if task.region_targets:
            continue
        shared = task.target if task.target and task.target.kind in (TargetKind.RATE, TargetKind.QUALITATIVE) \
            else Target("", TargetKind.UNPARSED, flag="未分解到地区")
        for region in regions:
            task.region_targets[region.code] = shared
            task.region_units[region.code] = region_unit(units, region)
        task.decomposed = True


def _of_level(tree: RegionTree, office: Office, level: str) -> list[Region]:
    if level == "children":
        return tree.children(office.region)
    order = ("省", "市", "县", "乡", "村")
    if office.level in order and level in order and order.index(level) <= order.index(office.level):
        return []
    return [r for r in tree.descendants(office.region) if r.level == level]
