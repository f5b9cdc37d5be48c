"""Who sent a file: the template's metadata sheet first, then a 填报单位： cell, then the rows' content, then
the address of the e-mail it came in (a unit's 联系邮箱), and the file name only as a last resort (with a
warning). Unknown is a finding, never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Any, Iterable

from ..model.tasks import AnnualLedger
from ..model.text import compact
from ..model.units import Unit, UnitKind, unit_keys
from .submission import Submission
from .values import cell_text


@dataclass(frozen=True)
class Identity:
    unit: str  # canonical unit name
    how: str  # 元数据 / 填报单位栏 / 表中内容 / 发件人 / 文件名
    place: str = ""  # sheet and cell the name was read from


BY_LEAD = "表中任务的牵头单位"  # how: no unit, region or sender named; the tasks' one lead assumed


def identify(sub: Submission, ledger: AnnualLedger, sender: str = "") -> Identity | None:
    """`sender`: the address of the e-mail the file came in, if it did."""
    found = _from_meta(sub, ledger) or _from_declared(sub, ledger)
    if found:
        return found
    by_rows, by_mail = _from_rows(sub, ledger), from_sender(sender, ledger)
    if by_mail:
        # the rows are content, which wins (collect warns of the disagreement); but a region government's
        # file of a task's rows with no 地区 column points to the task's lead, as with the file name below
        if by_rows and by_rows.unit != by_mail.unit and not _reports_all(by_mail.unit, sub, ledger):
            return by_rows
        return by_mail
    by_name = from_file_name(sub, ledger)
    if by_rows and by_name and by_rows.unit != by_name.unit:
        if _reports_all(by_name.unit, sub, ledger):  # 咸安区政府.xlsx with T4's rows, no 地区 column: 咸安区's rows
            return by_name
        # 江汉区政府…（教育类）.xlsx holding only 省教育厅's tasks: the rows say one unit and the name
        # another, and either guess would put the figures in the wrong rows
        return None
    if by_rows and by_name and by_rows.how == BY_LEAD:  # the file's name says the same: no guess left
        return replace(by_rows, how="表中内容")
    return by_rows or by_name


def _reports_all(unit: str, sub: Submission, ledger: AnnualLedger) -> bool:
    """Whether the unit reports a row (the whole task, or one of its regions) of every task the file names."""
    tasks = [ledger.tasks.get(code) for code, _ in _codes_and_regions(sub)]
    tasks = [task for task in tasks if task is not None]
    return bool(tasks) and all(task.lead == unit or unit in task.region_units.values() for task in tasks)


def identify_sheets(sub: Submission, ledger: AnnualLedger) -> dict[str, Identity] | None:
    """Sheet → unit for a workbook several units put together (a 专班 forwarding one sheet per member unit):
    every sheet with a table says 填报单位：×× on it, and they name more than one unit. None otherwise."""
    if sub.meta or len(sub.grids) < 2:
        return None
    by_sheet: dict[str, Identity] = {}
    for text, sheet, cell in sub.declared:
        unit = resolve_unit(text, ledger)
        if unit and sheet not in by_sheet:
            by_sheet[sheet] = Identity(unit.name, "填报单位栏", f"{sheet} › {cell}")
    sheets = {grid.layout.sheet for grid in sub.grids}
    if not sheets <= by_sheet.keys() or len({by_sheet[s].unit for s in sheets}) < 2:
        return None
    return {sheet: by_sheet[sheet] for sheet in sheets}


def resolve_unit(name: str, ledger: AnnualLedger) -> Unit | None:
    """A unit by any of its names, or the government of a region named (咸安区 → 咸安区人民政府), or either
    followed by the name of its office that fills the form (咸安区人民政府办公室, 咸安区民生实事办,
    省人社厅办公室)."""
    return _resolve(name, ledger) or _by_office(name, ledger)


def _resolve(name: str, ledger: AnnualLedger) -> Unit | None:
    unit = ledger.units.match(name)
    if unit:
        return unit
    region = ledger.regions.match(re.sub(r"(人民政府|政府)$", "", compact(name)))
    if region:
        for candidate in ledger.units:
            if candidate.kind is UnitKind.REGION and candidate.region == region.code:
                return candidate
        return ledger.units.match(f"{region.name}人民政府")
    return None


# What follows a unit's or region's name when its office fills the form in: 办公室, 办, 政府办, 民生实事办公室,
# 民生办, 民生实事领导小组办公室, 综合科.
_OFFICE = re.compile(r"(人民政府|政府)?(民生实事|民生工作|民生|重点工作|督查督办|督查)?(工作)?(领导小组)?(办公室|办)"
                     r"|(人民政府|政府)?(综合科|综合处|综合股|督查室|督查科|秘书科)")


def _by_office(name: str, ledger: AnnualLedger) -> Unit | None:
    """The unit or region whose name the text starts with, the longest such name, when the rest of the text
    is an office (see _OFFICE): never another unit's name, as 咸安区人民政府教育局 is not 咸安区人民政府's."""
    text = compact(name)
    if not text or not _OFFICE.search(text):
        return None
    names = _names(ledger)
    for variant in unit_keys(text):  # 湖北省人社厅办公室 is also 人社厅办公室
        best = max((key for key in names if variant.startswith(key) and _OFFICE.fullmatch(variant[len(key):])),
                   key=len, default=None)
        if best:
            return ledger.units.units.get(names[best])
    return None


_CACHE: list = []  # [(ledger, its unit count, {what: index})]: the last ledger's, as each worker has one


def _of_ledger(ledger: AnnualLedger, build):
    """build(ledger), made once per ledger (and again if units were added to it): every file asks."""
    if not (_CACHE and _CACHE[0][0] is ledger and _CACHE[0][1] == len(ledger.units)):
        _CACHE[:] = [(ledger, len(ledger.units), {})]
    made = _CACHE[0][2]
    if build not in made:
        made[build] = build(ledger)
    return made[build]


def _names(ledger: AnnualLedger) -> dict[str, str]:
    return _of_ledger(ledger, _build_names)


def _build_names(ledger: AnnualLedger) -> dict[str, str]:
    """Every name (two characters or more) of one unit, or of a region whose government is one, → the
    unit's canonical name; a name two units go by is left out."""
    owners: dict[str, set[str]] = {}
    for unit in ledger.units:
        for alias in unit.names():
            for key in unit_keys(alias):
                owners.setdefault(key, set()).add(unit.name)
    for region in ledger.regions:
        unit = _resolve(region.name, ledger)
        if unit:
            for alias in region.names():
                owners.setdefault(compact(alias), set()).add(unit.name)
    return {key: next(iter(units)) for key, units in owners.items() if len(key) >= 2 and len(units) == 1}


def _from_meta(sub: Submission, ledger: AnnualLedger) -> Identity | None:
    name = sub.meta.get("unit")
    unit = resolve_unit(name, ledger) if name else None
    return Identity(unit.name, "元数据") if unit else None


def _from_declared(sub: Submission, ledger: AnnualLedger) -> Identity | None:
    for text, sheet, cell in sub.declared:
        unit = resolve_unit(text, ledger)
        if unit:
            return Identity(unit.name, "填报单位栏", f"{sheet} › {cell}")
    return None


def _from_rows(sub: Submission, ledger: AnnualLedger) -> Identity | None:
    """All rows point to one unit: the one region government owning the named regions, or one lead."""
    owners: set[str] = set()
    by_region = False
    for code, region_cell in _codes_and_regions(sub):
        task = ledger.tasks.get(code)
        region = ledger.regions.match(region_cell) if region_cell else None
        if task and region and region.code in task.region_units:
            owners.add(task.region_units[region.code])
            by_region = True
        elif task and not region_cell:
            owners.add(task.lead)
    if len(owners) == 1:  # no region named: only a guess that the tasks' lead sent it (collect says so)
        return Identity(owners.pop(), "表中内容" if by_region else BY_LEAD)
    return None


def _codes_and_regions(sub: Submission) -> dict[tuple[str, str], None]:
    """The distinct (任务编号, 地区) texts of the file's data rows ('' where empty), in row order: what
    identifying a file looks at, read from its grids' columns rather than a RawRow made for each row (a
    file repeats a few hundred pairs down up to a million rows)."""
    pairs: dict[tuple[Any, Any], None] = {}
    for grid in sub.grids:
        columns = dict(grid.layout.fields)
        code, region = columns.get("code"), columns.get("region")
        pairs.update(dict.fromkeys(zip(_column(grid.values, code), _column(grid.values, region))))
    return dict.fromkeys((cell_text(code), cell_text(region)) for code, region in pairs)


def _column(rows: list[list], col: int | None) -> Iterable[Any]:
    if col is None:
        return repeat(None, len(rows))
    return (row[col] if col < len(row) else None for row in rows)


def from_sender(sender: str, ledger: AnnualLedger) -> Identity | None:
    """The unit whose 联系邮箱 is `sender` (an address two units give is no one's)."""
    unit = _of_ledger(ledger, _by_address).get(sender.lower()) if sender else None
    return Identity(unit, "发件人", sender.lower()) if unit else None


def _by_address(ledger: AnnualLedger) -> dict[str, str]:
    owners: dict[str, set[str]] = {}
    for unit in ledger.units:
        for address in unit.addresses():
            owners.setdefault(address, set()).add(unit.name)
    return {address: next(iter(units)) for address, units in owners.items() if len(units) == 1}


def from_file_name(sub: Submission, ledger: AnnualLedger) -> Identity | None:
    """The longest unit or region name found in the file's own name, else in the names of the folders (or
    zip) it is in, the nearest first: 硚口区政府5月进度.xlsx inside 硚口区政府、武汉经开区管委会.zip is 硚口区's."""
    return named_in_path(sub.name, ledger)


def named_in_path(name: str, ledger: AnnualLedger) -> Identity | None:
    """from_file_name for a file known only by its name (one that could not be read)."""
    parts = re.split(r"[/\\]", name.rsplit(".", 1)[0])
    for part in reversed(parts):
        found = _named_in(compact(part), ledger)
        if found:
            return Identity(found.name, "文件名")
    return None


def _named_in(stem: str, ledger: AnnualLedger) -> Unit | None:
    """The unit whose name (or its region's) is the longest found in `stem`; the first unit on a tie."""
    return next((unit for key, unit in _of_ledger(ledger, _names_by_length) if key in stem), None)


def _names_by_length(ledger: AnnualLedger) -> list[tuple[str, Unit]]:
    """(name, unit) for every name of two characters or more of every unit (and of a region government's
    region), longest first, in units order among equals."""
    found = []
    for unit in ledger.units:
        names = list(unit.names())
        if unit.kind is UnitKind.REGION and unit.region:
            region = ledger.regions.get(unit.region)
            if region:
                names += list(region.names())
        found += [(key, unit) for key in map(compact, names) if len(key) >= 2]
    return sorted(found, key=lambda pair: -len(pair[0]))
