"""Tasks of the annual ledger (年度任务台帐) and the ledger itself."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Iterable, Iterator

from .office import Office, scope_word
from .regions import RegionTree
from .schedule import Deadline, Plan, Round, linear_percent
from .targets import Aggregation, Direction, Indicator, Target, TargetKind
from .units import UnitDirectory


@dataclass(frozen=True)
class Place:
    """Where a value came from: file, sheet and A1 cell or row."""

    file: str = ""
    sheet: str = ""
    cell: str = ""


@dataclass(frozen=True)
class Unplaced:
    """Something in the ledger the reader did not use: a sheet it found no table on, a column it did not know."""

    sheet: str
    cell: str  # A1 of a header cell, '' for a whole sheet
    text: str  # what is there
    reason: str  # why it was left, in Chinese


# Roll-ups of figures that are levels, not running totals: they may go down from one round to the next.
_LEVELS = (Aggregation.RATE, Aggregation.WEIGHTED_MEAN, Aggregation.MIN, Aggregation.MAX)


@dataclass
class Task:
    code: str  # 任务编号
    name: str  # 任务名称
    domain: str = ""  # 领域
    content: str = ""  # 任务内容
    indicator: Indicator | None = None
    target: Target | None = None  # 年度目标
    lead: str = ""  # 牵头单位 (canonical unit name)
    responsible: tuple[str, ...] = ()  # 责任单位 (配合), canonical names
    collectives: tuple[str, ...] = ()  # 各县（市、区）人民政府 as written: expanded into region rows
    deadline: Deadline | None = None  # 完成时限
    plan: Plan | None = None  # 计划进度; None → linear to the deadline
    decomposed: bool = False  # 分解到地区
    region_targets: dict[str, Target] = field(default_factory=dict)  # region code → target
    region_units: dict[str, str] = field(default_factory=dict)  # region code → unit that fills it in
    source: str = ""  # 来源文件
    note: str = ""  # 备注
    place: Place = Place()

    @property
    def unit(self) -> str | None:
        """计量单位."""
        if self.indicator and self.indicator.unit:
            return self.indicator.unit
        return self.target.unit if self.target else None

    def units(self) -> tuple[str, ...]:
        """Every unit answerable for the task: the lead first, then co-responsible units."""
        return (self.lead, *[u for u in self.responsible if u != self.lead]) if self.lead else self.responsible

    def reporter(self, region: str) -> str | None:
        """The unit that reports the task's row for a region ('', the whole task: its lead; '' when a region
        row has nobody named), None when the task has no row for that region (it is not split to it)."""
        if not region:
            return self.lead
        return self.region_units.get(region, "") if region in self.region_targets else None

    def cumulative(self, target: Target | None) -> bool:
        """Whether 累计完成 grows through the year, so it cannot fall below last round's: a quantity that adds
        up (not a rate, a level, or a ceiling such as a 失业率 to keep under)."""
        return (target is not None and target.kind is TargetKind.QUANTITY and not self.lower_is_better(target)
                and not (self.indicator and self.indicator.aggregation in _LEVELS))

    def lower_is_better(self, target: Target) -> bool:
        """The target says so (≤, 以内), or it is a bare number on a 逆向 indicator."""
        return target.direction is Direction.LOWER or (
            target.comparator is None and self.indicator is not None and self.indicator.direction is Direction.LOWER)

    def meets(self, target: Target, value: float) -> bool | None:
        """Whether a value meets a target; a bare number on a 逆向 indicator is a ceiling."""
        if target.comparator is None and target.value is not None and self.lower_is_better(target):
            return value <= target.value
        return target.is_met(value)

    def planned_percent(self, rnd: Round) -> float:
        """序时进度 (time_progress) at the end of a round, in percent of the annual target."""
        deadline = self.deadline.date if self.deadline else dt.date(rnd.year, 12, 31)
        if self.plan:
            return self.plan.percent_at(rnd.month, deadline, rnd.year)
        return linear_percent(rnd.month, rnd.year, deadline)


@dataclass
class AnnualLedger:
    """The office's yearly task ledger: tasks, units, regions and rounds."""

    year: int
    tasks: dict[str, Task]
    units: UnitDirectory
    regions: RegionTree
    rounds: dict[str, Round] = field(default_factory=dict)  # key '2025-05' → Round with deadline
    title: str = ""
    path: str = ""
    office: Office | None = None  # whose ledger: the root region of every rollup and its words (全市)
    unplaced: list[Unplaced] = field(default_factory=list)  # what the reader left unread (识读结果)
    _whole: dict = field(default_factory=dict, repr=False, compare=False)

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks.values())

    def __len__(self) -> int:
        return len(self.tasks)

    def round(self, rnd: Round) -> Round:
        """The round with its deadline from the ledger's 填报轮次 sheet, or the usual 5th of next month."""
        known = self.rounds.get(rnd.key)
        return known if known else rnd.with_deadline(rnd.deadline or rnd.default_deadline())

    def tasks_of_unit(self, unit: str) -> list[Task]:
        """Tasks a department answers for: as lead, or as co-responsible unit."""
        return [t for t in self if unit in t.units()]

    def tasks_of_region_unit(self, unit: str) -> dict[str, list[str]]:
        """For a region government: task code → region codes it fills in for decomposed tasks."""
        out: dict[str, list[str]] = {}
        for task in self:
            codes = [code for code, owner in task.region_units.items() if owner == unit]
            if codes:
                out[task.code] = codes
        return out

    def assignments(self) -> Iterator[tuple[Task, str, str]]:
        """(task, region code — '' for the task as a whole —, unit that reports it), in ledger order."""
        for task in self:
            yield task, "", task.lead
            for code in task.region_targets:
                yield task, code, task.reporter(code)

    def rows_of(self, unit: str) -> list[tuple[Task, str]]:
        """What a unit reports each round: (task, region code or '') in ledger order."""
        return [(task, region) for task, region, owner in self.assignments() if owner == unit]

    @property
    def scope(self) -> str:
        """What the whole office is called: 全省 / 全市 / 全县, from the office's region (or the tree's root)."""
        if self.office:
            return self.office.scope
        roots = self.regions.roots()
        return scope_word(roots[0].name) if len(roots) == 1 else "全部"

    def whole_label(self, region) -> str:
        """The 地区 of a whole-task row: 全市 for the office's own region, 武汉市（全部） below it."""
        if region is None or (self.office and region.code == self.office.region):
            return self.scope
        roots = self.regions.roots()
        if self.office is None and len(roots) == 1 and region.code == roots[0].code:
            return self.scope
        return f"{region.name}（全部）"

    def whole_region(self, task: Task):
        """The region written on a task's whole-task row: the lowest region above all the regions it is split
        to (武汉市 for a task split among Wuhan's districts), else the top of the tree (the office's region)."""
        key = (task.code, len(task.region_targets))  # cached: rollups ask once per lagging row
        if key not in self._whole:
            self._whole[key] = self._whole_region(task)
        return self._whole[key]

    def _whole_region(self, task: Task):
        common: tuple[str, ...] | None = None
        for code in task.region_targets:
            chain = self.regions.chain(code)  # root first
            if common is None:
                common = chain
            elif chain[: len(common)] != common:
                n = next((i for i, (a, b) in enumerate(zip(common, chain)) if a != b), min(len(common), len(chain)))
                common = common[:n]
        if common:
            return self.regions.get(common[-1])
        roots = self.regions.roots()
        return roots[0] if len(roots) == 1 else None

    def submitters(self) -> list[str]:
        """Units expected to send a workbook each round: lead departments and region governments."""
        # written with map: a national ledger has a hundred thousand tasks, and collect asks on every run
        tasks = self.tasks.values()
        names = set(map(attrgetter("lead"), tasks))
        for units in map(attrgetter("region_units"), tasks):
            if units:
                names.update(units.values())
        names.discard("")
        names.discard(None)
        return self.in_unit_order(names)

    def in_unit_order(self, names: Iterable[str]) -> list[str]:
        """Unit names in the units sheet's order, any others after them by name."""
        order = {name: i for i, name in enumerate(self.units.units)}
        return sorted(names, key=lambda n: (n not in order, order.get(n, 0), n))
