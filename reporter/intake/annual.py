"""Read the office's annual ledger workbook (年度任务台帐) into an AnnualLedger.

Sheets are found by their headers, not their positions or names; only the task sheet is required.
Every problem is collected as a finding with file, sheet and cell — all at once, not one at a time.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Sequence

from ..model.findings import (LEDGER_BAD_PLAN, LEDGER_BAD_VALUE, LEDGER_DEADLINE_UNPARSED,
                              LEDGER_DUPLICATE_TASK, LEDGER_EMPTY_CELL, LEDGER_NO_TASK_SHEET,
                              LEDGER_REGION_SUM, LEDGER_TARGET_UNPARSED, LEDGER_UNKNOWN_REGION,
                              LEDGER_UNKNOWN_TASK, LEDGER_UNKNOWN_UNIT, LEDGER_UNREADABLE, Findings, cell_ref)
from ..model.regions import RegionTree, load_builtin_regions
from ..model.schedule import Plan, parse_deadline, parse_round
from ..model.targets import Aggregation, Direction, Indicator, Nature, infer_aggregation, parse_target
from ..model.tasks import AnnualLedger, Place, Task, Unplaced
from ..model.text import compact, split_names
from ..model.units import Unit, UnitDirectory, UnitKind, collective_level, split_units
from . import ledger_schema as S
from .headers import Table, find_table, is_total_label, locate
from .ledger_regions import (Collective, RegionSheet, adopt_towns, apply_cells, expand_collectives, find_office,
                             read_region_sheet, settle_base_unit)
from .region_layouts import TASK_COLUMNS, RegionCell, long_cells, region_columns, wide_cells, wide_tables
from .values import cell_text, parse_bool, parse_number
from .workbook import Sheet, UnreadableFile, read_workbook


class LedgerError(Exception):
    """The ledger cannot be used at all (unreadable, or no task sheet); details are in .findings."""

    def __init__(self, message: str, findings: Findings):
        super().__init__(message)
        self.findings = findings


def read_ledger(path: str | Path, year: int | None = None, regions: RegionTree | None = None,
                office: str | None = None) -> tuple[AnnualLedger, Findings]:
    """Read a ledger workbook. Raises LedgerError only when no task table can be found. `office`: the office's
    region as set in reporter.toml (a name or code); found from the ledger itself when not given."""
    path = Path(path)
    findings = Findings()
    try:
        sheets = read_workbook(path)
    except (UnreadableFile, OSError) as exc:
        findings.add(LEDGER_UNREADABLE, str(exc), file=path.name)
        raise LedgerError(str(exc), findings) from exc
    reader = _Reader(path.name, sheets, findings)
    tasks_table = reader.claim(S.TASKS)
    if tasks_table is None:
        msg = f"台帐“{path.name}”中找不到任务表：需要一张含“任务编号”和“任务名称”表头的工作表。"
        findings.add(LEDGER_NO_TASK_SHEET, msg, file=path.name)
        raise LedgerError(msg, findings)
    year = year or _guess_year(path, sheets, tasks_table)
    title = _title(sheets, tasks_table) or path.stem
    base = regions or load_builtin_regions()
    region_table = reader.claim(S.REGIONS) or reader.claim_named(S.REGION_NAMES)
    sheet = read_region_sheet(region_table, base, path.name, findings) if region_table else RegionSheet()
    units_table = reader.claim_units()
    cells = reader.region_cells(tasks_table, base.merged(sheet.regions))
    leads = [cell_text(tasks_table.value(v, "lead")) for _, v in tasks_table.rows()]
    tree, found = find_office(base, sheet, [title, path.stem], cells, office, path.name, findings, leads)
    tree, found = adopt_towns(tree, found, cells)
    units = reader.units(units_table, tree)
    tasks = reader.tasks(tasks_table, year, units)
    apply_cells(cells, tasks, tree, found, units, path.name, findings)
    expand = [c for c in reader.collectives if c.task not in reader.whole_only]
    expand_collectives(expand, tasks, tree, found, units, path.name, findings)
    for task in tasks.values():
        settle_base_unit(task, path.name, findings)
        reader.check_region_sum(task, tasks_table)
    reader.plans(tasks)
    rounds = reader.rounds()
    ledger = AnnualLedger(year, tasks, units, tree, rounds, title, str(path), office=found,
                          unplaced=reader.unplaced(tasks_table, cells))
    return ledger, findings


def _guess_year(path: Path, sheets: Sequence[Sheet], table: Table) -> int:
    """The ledger's year from its file name, title rows or sheet names; this year otherwise."""
    texts = [path.stem, *(s.name for s in sheets)]
    texts += [cell_text(v) for r in range(table.header_rows[0]) for v in table.sheet.rows[r]]
    for text in texts:
        m = re.search(r"(20\d{2})\s*年", text) or re.search(r"(20\d{2})", text)
        if m:
            return int(m.group(1))
    return dt.date.today().year


def _title(sheets: Sequence[Sheet], table: Table) -> str:
    for r in range(table.header_rows[0]):
        for value in table.sheet.rows[r]:
            if value not in (None, ""):
                return cell_text(value)
    return ""


class _Reader:
    def __init__(self, file: str, sheets: Sequence[Sheet], findings: Findings):
        self.file = file
        self.sheets = list(sheets)
        self.findings = findings
        self.collectives: list[Collective] = []
        self.whole_only: set[str] = set()

    def claim(self, schema: S.Schema) -> Table | None:
        """Find a schema's table on a sheet no other schema has taken."""
        table = locate(self.sheets, schema)
        if table is not None:
            self.sheets.remove(table.sheet)
        return table

    def add(self, ftype, message: str, table: Table, row: int, key: str | None = None, value: Any = None):
        col = table.columns.get(key, 0) if key else 0
        field = table.schema.field(key).header if key else ""
        self.findings.add(ftype, message, file=self.file, sheet=table.sheet.name,
                          cell=cell_ref(row, col) if key else f"第{row + 1}行",
                          field=field, value=cell_text(value))

    # -- units -------------------------------------------------------------------------------------------------
    def units(self, table: Table | None, tree: RegionTree) -> UnitDirectory:
        directory = UnitDirectory()
        if table is None:
            return directory
        for r, values in table.rows():
            name = cell_text(table.value(values, "name"))
            if not name:
                continue
            kind = UnitKind.parse(table.value(values, "kind"), name)
            region_name = cell_text(table.value(values, "region"))
            region = tree.match(region_name or _GOV.sub("", name)) if kind is UnitKind.REGION else None
            directory.add(Unit(
                name=compact(name),
                short=cell_text(table.value(values, "short")) or None,
                aliases=tuple(split_names(table.value(values, "aliases"))),
                kind=kind,
                group=cell_text(table.value(values, "group")) or None,
                contact=cell_text(table.value(values, "contact")) or None,
                email=cell_text(table.value(values, "email")) or None,
                region=region.code if region else None,
            ))
        return directory

    def claim_named(self, schema: S.Schema) -> Table | None:
        """A schema's table only on a sheet bearing one of its usual names (for a schema loose enough to be
        found on any sheet, such as a bare list of names)."""
        names = {compact(n) for n in schema.sheet_names}
        for sheet in self.sheets:
            table = find_table(sheet, schema) if compact(sheet.name) in names else None
            if table is not None:
                self.sheets.remove(sheet)
                return table
        return None

    def claim_units(self) -> Table | None:
        # A units table needs more than a name column, or any sheet with 责任单位 would pass.
        table = locate(self.sheets, S.UNITS)
        if table is None or len(table.columns) < 2:
            return None
        self.sheets.remove(table.sheet)
        return table

    def unplaced(self, tasks_table: Table, cells: list[RegionCell]) -> list[Unplaced]:
        """Sheets no table was found on, and columns of the task sheet neither its schema nor a region's."""
        used = {(c.sheet, c.region_cell[:-len(str(tasks_table.header_rows[-1] + 1))]) for c in cells}
        out = []
        for col, header in sorted(tasks_table.extras.items()):
            ref = cell_ref(tasks_table.header_rows[-1], col)
            if header and (tasks_table.sheet.name, ref[:-len(str(tasks_table.header_rows[-1] + 1))]) not in used:
                out.append(Unplaced(tasks_table.sheet.name, ref, header, "任务表中的这一列不是可识别的表头，未读入"))
        for sheet in self.sheets:
            filled = sum(1 for row in sheet.rows for v in row if v not in (None, ""))
            if filled and not sheet.hidden:
                out.append(Unplaced(sheet.name, "", f"{filled} 个非空单元格",
                                    "没有找到可识别的表头（任务、地区、分地区目标、计划进度、责任单位、填报轮次），未读入"))
        return out

    def region_cells(self, tasks_table: Table, tree: RegionTree) -> list[RegionCell]:
        """Region targets in every layout: the long sheet, wide sheets, region columns of the task sheet."""
        cells: list[RegionCell] = []
        long_table = self.claim(S.REGION_TARGETS)
        if long_table is not None:
            cells += long_cells(long_table)
        for table, columns in wide_tables(self.sheets, tree):
            self.sheets.remove(table.sheet)
            cells += wide_cells(table, columns)
        own = {c: v for c, v in region_columns(tasks_table, tree).items() if not is_total_label(v[0])}
        if own:
            cells += wide_cells(tasks_table, own, TASK_COLUMNS)
        return cells

    def collective(self, code: str, names: list[str], table: Table, row: int, key: str) -> list[str]:
        """The names that are single units; collectives (各县（市、区）人民政府) are kept to expand later."""
        single = []
        for name in names:
            level = collective_level(name)
            if level is None:
                single.append(name)
            else:
                cell = cell_ref(row, table.columns[key])
                self.collectives.append(Collective(code, name, level, table.sheet.name, cell))
        return single

    def unit_name(self, units: UnitDirectory, name: str, table: Table, row: int, key: str) -> str:
        unit, known = units.ensure(name)
        if not known and len(units) > 1:  # only complain when the ledger has a units sheet at all
            self.add(LEDGER_UNKNOWN_UNIT, f"单位“{name}”不在责任单位表中，已按原名登记。", table, row, key, name)
        return unit.name

    # -- tasks --------------------------------------------------------------------------------------
    def tasks(self, table: Table, year: int, units: UnitDirectory) -> dict[str, Task]:
        has_units_sheet = len(units) > 0
        for key in ("target", "lead"):
            if key not in table.columns:
                header = table.schema.field(key).header
                self.findings.add(LEDGER_BAD_VALUE if key == "target" else LEDGER_EMPTY_CELL,
                                  f"任务表缺少“{header}”列。", file=self.file, sheet=table.sheet.name,
                                  field=header)
        tasks: dict[str, Task] = {}
        for r, values, section in table.sections():
            if is_total_label(next((v for v in values if v not in (None, "")), None)):
                continue  # a 合计 row under the tasks: no task of its own
            task = self.task(table, r, values, year, units, has_units_sheet)
            if task is None:
                continue
            if section and not task.domain:
                task.domain = section  # 一、幼有善育 above the rows: their 领域
            if task.code in tasks:
                first = tasks[task.code].place.cell
                self.add(LEDGER_DUPLICATE_TASK, f"任务编号“{task.code}”与 {first} 重复，本行未载入。",
                         table, r, "code", task.code)
                continue
            tasks[task.code] = task
        return tasks

    def task(self, table: Table, r: int, values: list, year: int, units: UnitDirectory,
             has_units_sheet: bool) -> Task | None:
        get = lambda key: table.value(values, key)  # noqa: E731
        code, name = cell_text(get("code")), cell_text(get("name"))
        if not code or not name:
            missing = "code" if not code else "name"
            label = table.schema.field(missing).header
            self.add(LEDGER_EMPTY_CELL, f"{label}为空，本行未载入。", table, r, missing)
            return None
        unit = cell_text(get("unit")) or table.units.get("target") or None
        target = parse_target(cell_text(get("target")), unit)
        if not target.is_parsed:
            self.add(LEDGER_TARGET_UNPARSED, f"任务“{code}”的年度目标“{target.raw}”无法识别，已按原文保留。",
                     table, r, "target", get("target"))
        deadline = parse_deadline(get("deadline"), year)
        if get("deadline") is not None and not deadline.parsed:
            self.add(LEDGER_DEADLINE_UNPARSED, f"任务“{code}”的完成时限“{deadline.raw}”无法识别，按年底计算序时进度。",
                     table, r, "deadline", get("deadline"))
        if get("decomposed") is not None and parse_bool(get("decomposed")) is False:
            self.whole_only.add(code)  # 分解到地区 = 否: a collective is co-responsible, not a row per region
        lead_names = self.collective(code, split_units(get("lead")), table, r, "lead")
        if not lead_names and not get("lead"):
            self.add(LEDGER_EMPTY_CELL, f"任务“{code}”没有牵头单位。", table, r, "lead")
        check = self.unit_name if has_units_sheet else (lambda d, n, *a: d.ensure(n)[0].name)
        lead = check(units, lead_names[0], table, r, "lead") if lead_names else ""
        others = self.collective(code, split_units(get("responsible")), table, r, "responsible")
        responsible = tuple(check(units, n, table, r, "responsible") for n in lead_names[1:] + others)
        # month or quarter columns in the task sheet: a plan when they read as one (a running ledger's monthly
        # figures, 1200 under 5月, are not: left alone rather than called a bad plan)
        plan = self.plan(table, r, values, quiet=True) if _PLAN_KEYS & table.columns.keys() else None
        return Task(
            code=code, name=name, domain=cell_text(get("domain")), content=cell_text(get("content")), plan=plan,
            indicator=self.indicator(table, r, values, name, unit, target), target=target,
            lead=lead, responsible=tuple(dict.fromkeys(responsible)), deadline=deadline,
            collectives=tuple(c.name for c in self.collectives if c.task == code),
            decomposed=bool(parse_bool(get("decomposed"))), source=cell_text(get("source")),
            note=cell_text(get("note")), place=Place(self.file, table.sheet.name, cell_ref(r, 0)),
        )

    def indicator(self, table: Table, r: int, values: list, name: str, unit: str | None, target) -> Indicator:
        get = lambda key: table.value(values, key)  # noqa: E731
        direction = Direction.parse(cell_text(get("direction"))) if get("direction") else None
        nature = Nature.parse(cell_text(get("nature"))) if get("nature") else None
        aggregation = Aggregation.parse(cell_text(get("aggregation"))) if get("aggregation") else None
        for key, parsed in (("direction", direction), ("nature", nature), ("aggregation", aggregation)):
            if get(key) is not None and parsed is None:
                self.add(LEDGER_BAD_VALUE, f"“{cell_text(get(key))}”不是可识别的{table.schema.field(key).header}。",
                         table, r, key, get(key))
        numerator, denominator, base = _basis(cell_text(get("basis")))
        indicator_name = cell_text(get("indicator")) or name
        return Indicator(
            name=indicator_name, unit=unit,
            direction=direction or target.direction or Direction.HIGHER, nature=nature,
            aggregation=aggregation or infer_aggregation(target, unit, numerator=numerator, denominator=denominator,
                                                         weight_base=base, name=indicator_name),
            numerator=numerator, denominator=denominator, weight_base=base,
        )

    # -- per-region targets, plans, rounds -----------------------------------------------------------
    def check_region_sum(self, task: Task, table: Table) -> None:
        """The regions' targets against the task's 年度目标, for a quantity that adds up."""
        if not (task.region_targets and task.indicator and task.indicator.aggregation is Aggregation.SUM):
            return
        parts = [t.base_value for t in task.region_targets.values()]
        total = task.target.base_value if task.target else None
        if total is None or any(p is None for p in parts):
            return
        if abs(sum(parts) - total) > max(1e-6, abs(total) * 0.005):
            unit = task.target.base_unit or ""  # base values: 7万人 is 70000人
            self.findings.add(LEDGER_REGION_SUM,
                              f"任务“{task.code}”分地区目标之和 {sum(parts):,.10g}{unit} 与年度目标 {total:,.10g}{unit} "
                              "不一致：请核对。", file=self.file, sheet=table.sheet.name, cell=task.place.cell,
                              field="年度目标", value=f"{sum(parts):.10g}")

    def plans(self, tasks: dict[str, Task]) -> None:
        table = self.claim(S.PLAN)
        if table is None:
            return
        for r, values in table.rows():
            code = cell_text(table.value(values, "code"))
            if code not in tasks:
                self.add(LEDGER_UNKNOWN_TASK, f"任务编号“{code}”不在任务表中，本行未载入。", table, r, "code", code)
                continue
            plan = self.plan(table, r, values)
            if plan:
                tasks[code].plan = plan

    def plan(self, table: Table, r: int, values: list, quiet: bool = False) -> Plan | None:
        """The row's 计划进度; None, and a finding unless `quiet`, when it is not one."""
        points: list[tuple[int, float, str]] = []
        keys = [(f"m{m}", m) for m in range(1, 13)] + [(f"q{q}", q * 3) for q in range(1, 5)]
        for key, month in keys:
            raw = table.value(values, key)
            if raw is None:
                continue
            number = parse_number(raw)
            if number is None or not 0 <= number.value <= 100:
                if not quiet:
                    self.add(LEDGER_BAD_PLAN, f"计划进度“{cell_text(raw)}”应为 0 到 100 之间的百分数。",
                             table, r, key, raw)
                return None
            points.append((month, number.value, key))
        if not points:
            return None
        points.sort()
        if all(p <= 1 for _, p, _ in points) and any(0 < p < 1 for _, p, _ in points):
            points = [(m, p * 100, k) for m, p, k in points]  # written as fractions (0.2 = 20%)
        if quiet and points[-1][1] != 100 and not any("%" in cell_text(table.value(values, k)) for _, _, k in points):
            return None  # beside the tasks, a plan says % or reaches 100%; 3, 8, 14 are figures
        for (_, a, _), (m, b, key) in zip(points, points[1:]):
            if b < a:
                if not quiet:
                    self.add(LEDGER_BAD_PLAN, f"计划进度 {b:g}% 低于前一期的 {a:g}%，累计进度不应下降。",
                             table, r, key, b)
                return None
        kind = "季度" if all(k.startswith("q") for _, _, k in points) else "月度"
        return Plan(tuple((m, p) for m, p, _ in points), kind)

    def rounds(self) -> dict:
        table = self.claim(S.ROUNDS)
        out = {}
        if table is None:
            return out
        for r, values in table.rows():
            raw_round, raw_deadline = table.value(values, "round"), table.value(values, "deadline")
            try:
                rnd = parse_round(cell_text(raw_round))
            except ValueError as exc:
                self.add(LEDGER_BAD_VALUE, str(exc), table, r, "round", raw_round)
                continue
            deadline = parse_deadline(raw_deadline, rnd.year)
            if not deadline.parsed:
                self.add(LEDGER_BAD_VALUE, f"截止日期“{cell_text(raw_deadline)}”无法识别，按次月5日计。",
                         table, r, "deadline", raw_deadline)
            out[rnd.key] = rnd.with_deadline(deadline.date if deadline.parsed else rnd.default_deadline())
        return out


_GOV = re.compile(r"(人民政府|政府)$")


_PLAN_KEYS = frozenset(f.key for f in S.PLAN_FIELDS)


def _basis(text: str) -> tuple[str | None, str | None, str | None]:
    """汇总依据 → (numerator, denominator, weight base): '分子:新增学位;分母:适龄儿童', '分子为…，分母为…' and
    '入学人数/适龄儿童数' name the two parts of a rate; '常住人口', '权重：常住人口', '按常住人口加权' a weight."""
    if not text:
        return None, None, None
    parts = dict(re.findall(r"(分子|分母)\s*(?:[:：]|为|是)\s*([^;；,，。]+)", text))
    if parts:
        return parts.get("分子"), parts.get("分母"), None
    slash = re.fullmatch(r"\s*([^/÷]+?)\s*[/÷]\s*([^/÷]+?)\s*", text)
    if slash and not re.search(r"\d", text):  # '入学人数/适龄儿童数', not '3.2人/千人'
        return slash[1], slash[2], None
    weight = re.sub(r"^(?:权重|权数|加权依据|按|以)\s*(?:[:：]|为)?\s*|\s*(?:加权(?:平均)?|为权重|作为权重)\s*$", "", text)
    return None, None, weight or text
