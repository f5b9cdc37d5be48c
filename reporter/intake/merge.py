"""One accepted submission merged into the round, row by row: each row matched to a task and region of the
ledger, its cells normalised, checked and given their provenance, and everything out of the ordinary named
in a finding. This is the reference for what a row gives; merge_columns takes plain rows faster, the same.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Mapping

from ..model import findings as F
from ..model.findings import cell_ref
from ..model.round_ledger import TOTAL, RoundRow
from ..model.schedule import Round
from ..model.targets import TargetKind, parse_target
from ..model.tasks import AnnualLedger, Task
from ..model.text import compact
from ..model.units import UnitKind
from .headers import is_total_label
from .normalize import normalize_date, normalize_status, normalize_value, unit_factor
from .results import FileResult, MergedRow, pack, where
from .submission import Grid, RawCell, RawRow, Submission
from .parts import read_parts
from .submission_schema import FILLED, PARTS, PROGRESS
from .values import cell_text, free_text, number_value, parse_number

# A task name written differently is accepted only at or above this similarity (difflib ratio), and reported.
NAME_MATCH_THRESHOLD = 0.8
# A cumulative value above this multiple of the target is probably in the wrong unit (个 for 万个).
FAR_ABOVE_FACTOR = 5.0
# Rows with neither a task code nor a name are each named up to this many per file, the rest in one finding:
# a 进展状态 filled down a whole column would otherwise give a hundred thousand.
NAMELESS_NAMED = 20
_CODE_HEADER = PROGRESS.field("code").header


@dataclass
class Context:
    """What every file is checked against: made in the main process and handed to each worker."""

    ledger: AnnualLedger
    round: Round
    previous: Mapping[tuple[str, str], float]  # last round's cumulative values, for the 低于上期 check


class Merger:
    """Merge one accepted submission into the round ledger, row by row (merge_row, the reference for what
    a row gives); merge_columns.ColumnMerger takes a table's plain rows column by column instead."""

    def __init__(self, ctx: Context, sub: Submission, res: FileResult):
        self.ctx, self.sub, self.res = ctx, sub, res
        self.file = sub.name
        self.ledger = ctx.ledger
        self.unit = res.identity.unit
        self.unit_obj = self.ledger.units.match(self.unit)
        is_region = self.unit_obj and self.unit_obj.kind is UnitKind.REGION
        self.own_region = self.unit_obj.region if is_region else None
        self.findings = F.Findings(res.findings)
        self.seen: dict[tuple[str, str], int] = {}  # key → number of the row that supplied it
        self.notes: dict[str, str] = {}  # one string for all rows with the same notes (less to send and keep)
        self.note_parts: dict[tuple[str, str], str] = {}  # (header, text as written) → 'header：text'
        self.merged: list[MergedRow] = []  # in row order
        self.nameless: list[RawRow] = []  # rows with neither a task code nor a name
        self.at: dict[tuple[str, str], int] = {}  # key → its row's index in merged
        self.sheet_regions: dict[str, object] = {}  # sheet name → the region it names (None: none)
        # findings of a kind past those listed (Findings groups them), counted here and grouped at the end
        # (by code: a FindingType's own hash is worked out field by field, and this is asked for every row)
        self.more: dict[str, int] = {}
        self.names: dict[str, tuple[Task | None, float]] = {}  # a name as compact() has it → match_name

    def add(self, ftype, message: str, row: RawRow, key: str | None = None, cell: RawCell | None = None):
        if self.counted(ftype):
            return
        cell = cell or (row.cells.get(key) if key else None)
        col = cell.col if cell else min((c.col for c in row.cells.values()), default=0)
        field = PROGRESS.field(key).header if key and key in {f.key for f in PROGRESS.fields} else ""
        self.findings.add(ftype, message, file=self.sub.name, sheet=row.sheet, cell=cell_ref(row.row, col),
                          field=field, value=cell_text(cell.value) if cell else "")

    def merge(self) -> None:
        for grid in self.sub.grids:
            self.merge_grid(grid)
        rest = self.nameless[NAMELESS_NAMED:]
        if rest:
            self.add(F.INTAKE_UNKNOWN_TASK, f"另有 {len(rest)} 行（第 {rest[0].row + 1}–{rest[-1].row + 1} 行，工作表“"
                                            f"{rest[0].sheet}”等）同样没有任务编号和任务名称，未汇总。", rest[0])
        for code, more in self.more.items():
            self.findings.group(F.CATALOGUE[code], self.file, more)
        self.res.packed = pack(self.merged)  # column by column, to be sent

    def merge_grid(self, grid: Grid) -> None:
        """Merge a table's rows, one by one."""
        for i in range(len(grid)):
            self.merge_row(grid.raw_row(i))

    def merge_row(self, row: RawRow) -> int:
        task = self.match_task(row)
        if task is None:
            return 0
        key = self.match_key(row, task)
        if key is None:
            return 0
        blank = None
        if key in self.seen:
            blank = self.blank_duplicate(key, row)
            if blank is None:
                self.add(F.INTAKE_DUPLICATE, f"任务“{task.code}”{self.where(key)}在第 {self.seen[key]} 行已填报，"
                                             "本行重复，未汇总。", row, "code")
                return 0
        earlier = self.seen.get(key)
        self.seen[key] = row.row + 1
        out = RoundRow(task.code, key[1], owner=task.reporter(key[1]), previous=self.ctx.previous.get(key))
        self.fill(row, task, out)
        if blank is None:
            self.at[key] = len(self.merged)
            self.merged.append(MergedRow.of(out))
            return 1
        self.merged[blank] = MergedRow.of(out)  # the blank row gives way to this one
        sheet, r = self.merged[blank].sheet, earlier - 1
        self.findings.add(F.INTAKE_DUPLICATE, f"本行未填写，与第 {row.row + 1} 行是同一任务“{task.code}”{self.where(key)}，"
                                              f"采用第 {row.row + 1} 行。", file=self.file, sheet=sheet,
                          cell=cell_ref(r, row.columns.get("code", 0)), field="任务编号", value=task.code)
        return 0

    def counted(self, ftype: F.FindingType) -> bool:
        """Whether findings of this kind in this file are only counted now (past those listed): then this
        one is, and the caller need not word it (a million rows of unknown tasks, or repeats)."""
        code = ftype.code
        if code in self.more or self.findings.grouped(ftype, self.file):
            self.more[code] = self.more.get(code, 0) + 1
            return True
        return False

    def duplicate(self, task: Task, key: tuple[str, str], sheet: str, r: int, col: int, code: Any) -> None:
        """What merge_row says of a row, with a task code, giving the key an earlier row gave (filled): not
        merged. (merge_columns' fast path says it without making the row.) Past the ones listed, only counted."""
        if self.counted(F.INTAKE_DUPLICATE):
            return
        self.findings.add(F.INTAKE_DUPLICATE, f"任务“{task.code}”{self.where(key)}在第 {self.seen[key]} 行已填报，"
                                              "本行重复，未汇总。", file=self.file, sheet=sheet, cell=cell_ref(r, col),
                          field=_CODE_HEADER, value=cell_text(code))

    def blank_duplicate(self, key: tuple[str, str], row: RawRow) -> int | None:
        """The index in `merged` of the row already taken for `key`, when it held nothing the unit fills in
        (the template's row left blank, the unit's filled row further down) and this row holds something."""
        i = self.at.get(key)
        if i is None or not self.reported(row):
            return None
        return i if not self.merged[i].filled else None

    # -- the fast path -------------------------------------------------------------------------------

    def find_region(self, name: str):
        """The region a name names: one under the unit's own first ('城关镇' style duplicates), then any."""
        own_region, regions = self.own_region, self.ledger.regions
        return (own_region and regions.match(name, within=own_region)) or regions.match(name)


    def where(self, key: tuple[str, str]) -> str:
        return where(self.ledger, key)

    # -- matching ---------------------------------------------------------------------------------
    def match_task(self, row: RawRow) -> Task | None:
        fields = row.fields
        code = cell_text(fields["code"]) if "code" in fields else ""
        task = (self.ledger.tasks.get(code) or self.ledger.tasks.get(compact(code).upper())) if code else None
        if task:
            return task
        name = cell_text(fields["name"] if "name" in fields else fields.get("indicator"))
        if name:
            task, score = self.match_name(name)
            if task:
                said = f"任务编号“{code}”无法对应" if code else "没有任务编号"
                self.add(F.INTAKE_FUZZY, f"{said}，按名称“{name}”匹配到任务“{task.code} {task.name}”"
                                         f"（相似度 {score:.0%}），请核对。", row, "name")
                return task
        label = code or name or _leading_text(row)  # 合计 may stand in a 序号 column merged across the row
        if is_total_label(label):
            key = "code" if code else "name" if name else None
            self.add(F.INTAKE_TOTAL_ROW, f"“{label}”行是合计行，不汇总：本系统按任务和地区自行汇总。", row, key,
                     None if key else _leading_cell(row))
            return None
        blind = self.blind_cells(row)
        if blind and not (code or name) or any(key in ("code", "name") for key, _ in blind):
            # the row is there, but what would name its task is a formula no reader can see
            cells = "、".join(cell_ref(row.row, cell.col) for _, cell in blind)
            key = next((key for key, _ in blind if key in ("code", "name")), blind[0][0])
            self.add(F.INTAKE_UNKNOWN_TASK, f"本行的公式没有保存计算结果或是错误值（{cells}），无法对应台帐任务，本行未汇总。"
                                            "请在 Excel 中打开、保存后重报。", row, key, blind[0][1] if key is None else None)
            return None
        if not (code or name):
            self.nameless.append(row)
            if len(self.nameless) > NAMELESS_NAMED:  # a column filled down far below the table: said once, below
                return None
        what = f"任务编号“{code}”" if code else f"任务“{name}”" if name else "本行没有任务编号和任务名称，"
        self.add(F.INTAKE_UNKNOWN_TASK, f"{what}不在台帐中，本行未汇总。" if (code or name) else f"{what}未汇总。",
                 row, "code" if code else "name")
        return None

    def blind_cells(self, row: RawRow) -> list[tuple[str | None, RawCell]]:
        """(field key, or None for another column; cell) of each cell of the row no reader can see."""
        if not row.layout.blind:
            return []
        return ([(key, cell) for key, cell in row.cells.items() if cell.blind]
                + [(None, cell) for cell in row.extras.values() if cell.blind])

    def match_name(self, name: str) -> tuple[Task | None, float]:
        """The ledger task most like `name` (task name or indicator), the unit's own tasks first. Worked out
        once per name: a file repeats its names down its rows, and comparing one with every task's takes ~1 ms
        (a million rows of unknown tasks took minutes)."""
        key = compact(name)
        if key not in self.names:
            self.names[key] = self._match_name(key)
        return self.names[key]

    def _match_name(self, key: str) -> tuple[Task | None, float]:
        mine = [t for t in self.ledger if self.unit in t.units() or self.unit in t.region_units.values()]
        for pool in (mine, list(self.ledger)):
            best, score = None, 0.0
            for task in pool:
                for candidate in {task.name, task.indicator.name if task.indicator else task.name}:
                    s = difflib.SequenceMatcher(None, key, compact(candidate)).ratio()
                    if s > score:
                        best, score = task, s
            if score >= NAME_MATCH_THRESHOLD:
                return best, score
        return None, 0.0

    def match_key(self, row: RawRow, task: Task) -> tuple[str, str] | None:
        own_region, regions = self.own_region, self.ledger.regions
        if "region" not in row.fields:  # a sheet per region (咸安区, 嘉鱼县) stands for the 地区 column
            hint = self.sheet_region(row.layout)
            if hint is not None and task.reporter(hint.code) is not None:
                return task.code, hint.code
        # 合计 / 全市 in the region column means the task as a whole, as a blank region does
        if "region" not in row.fields or is_total_label(row.fields["region"]):
            if own_region and task.reporter(own_region) is not None:
                return task.code, own_region
            if own_region:
                self.add(F.INTAKE_REGION_NOT_COVERED, f"任务“{task.code}”没有分解到本单位所在地区，本行未汇总。", row, "code")
                return None
            return task.code, self.place_of(task)
        name = cell_text(row.fields["region"])
        region = self.find_region(name)
        # A row naming another unit's region with nothing filled in is that unit's row of a shared table (often
        # hidden by a filter): it holds nothing of this unit's, so it is passed over, not refused.
        if region is None:
            if self.reported(row):
                self.add(F.INTAKE_UNKNOWN_REGION, f"地区“{name}”无法识别，本行未汇总。", row, "region")
            return None
        if own_region and region.code != own_region and not regions.is_within(region.code, own_region):
            if self.reported(row):
                self.add(F.INTAKE_REGION_NOT_COVERED, f"地区“{region.name}”不属于本单位（{self.unit}）负责的范围，"
                                                      "本行未汇总。", row, "region")
            return None
        if task.reporter(region.code) is not None:
            return task.code, region.code
        if not own_region and _covers_all(self.ledger, region.code, task):
            return task.code, TOTAL  # 湖北省, or 武汉市 for a task split among Wuhan's districts: the whole task
        if own_region and task.reporter(own_region) is not None:  # a county of a city the task stops at
            own = regions.get(own_region)
            self.add(F.INTAKE_FINER, f"任务“{task.code}”考核到{own.name if own else own_region}，“{region.name}”的分项"
                                     "不单独汇总。", row, "region")
            return None
        if self.reported(row):
            self.add(F.INTAKE_REGION_NOT_COVERED, f"任务“{task.code}”没有分解到“{region.name}”，本行未汇总。", row, "region")
        return None

    def sheet_region(self, layout):
        """The region a sheet is named for when its table has no 地区 column (a sheet per 县市区), or None."""
        hint = layout.region_hint
        if not hint:
            return None
        if hint not in self.sheet_regions:
            self.sheet_regions[hint] = self.find_region(hint)
        return self.sheet_regions[hint]

    def place_of(self, task: Task) -> str:
        """The row a unit without a region of its own gives when it names no region: the whole task if it
        leads it, else the one region it reports of the task (a 管委会 named for its 开发区's row)."""
        if task.lead == self.unit or not task.region_units:
            return TOTAL
        mine = [code for code, unit in task.region_units.items() if unit == self.unit]
        return mine[0] if len(mine) == 1 else TOTAL

    @staticmethod
    def reported(row: RawRow) -> bool:
        """Whether the unit filled anything in on the row (a value, a status, a text, a note), rather than
        only what a shared table prints on every row: the task, the region, the target, a 序号."""
        return any(key in row.fields for key in FILLED) or any(key in row.fields for key in PARTS) or any(
            compact(header) not in _PRINTED for header in row.others)

    # -- values ------------------------------------------------------------------------------------
    def fill(self, row: RawRow, task: Task, out: RoundRow) -> None:
        fields = row.fields
        out.submitter = self.unit
        out.origin = (self.file, row.sheet, row.row)
        out.columns = row.columns  # one dict shared by the rows with the same non-empty columns
        target = task.target if out.region == TOTAL else task.region_targets.get(out.region)
        self.check_locked(row, task, out, target)
        self.fill_value(row, task, out, target)
        if "status" in fields:
            out.status_raw = free_text(fields["status"])
            out.status, problems = normalize_status(fields["status"])
            for ftype, msg in problems:
                self.add(ftype, msg, row, "status")
        if "progress" in fields:
            out.progress = free_text(fields["progress"])
        if "problems" in fields:
            out.problems = free_text(fields["problems"])
        if "measures" in fields:
            out.measures = free_text(fields["measures"])
        if "finish_date" in fields:
            out.finish_date, problems = normalize_date(fields["finish_date"], self.ctx.round.year)
            for ftype, msg in problems:
                self.add(ftype, msg, row, "finish_date")
        out.notes = self.notes_of(row)
        if any(key in fields for key in PARTS):
            odd = read_parts(fields, task, out, lambda ftype, msg, key: self.add(ftype, msg, row, key))
            out.notes = "；".join(filter(None, [out.notes, *odd]))
        self.check_consistency(row, task, out, target)
        if row.layout.blind:
            self.check_blind(row)

    def check_blind(self, row: RawRow) -> None:
        """A formula without a cached value or an error value in any other cell of the row: it is read as
        blank (never as 0), and said so. (The 累计完成 cell is reported by fill_value.)"""
        cells = [(PROGRESS.field(key).header, key, cell) for key, cell in row.cells.items() if key != "value"]
        for label, key, cell in cells + [(header, None, cell) for header, cell in row.extras.items()]:
            if cell.blind:
                ftype = F.INTAKE_FORMULA if cell.blind == "formula" else F.INTAKE_ERROR_CELL
                shown = "公式没有保存计算结果" if cell.blind == "formula" else f"是错误值 {cell.blind[6:]}"
                self.add(ftype, f"“{label}”单元格{shown}，按未填处理。请在 Excel 中打开、保存后重报。", row, key, cell)

    def notes_of(self, row: RawRow) -> str:
        """'header：value' of each other column, joined; the same few texts repeat down a file, so each part
        is made once (only for text cells: 1.0 and True are equal keys but read differently)."""
        parts = []
        for header, value in row.others.items():
            part = self.note_parts.get((header, value))
            if part is None:
                part = f"{header}：{free_text(value)}"
                if isinstance(value, str):
                    self.note_parts[header, value] = part
            parts.append(part)
        notes = "；".join(parts)
        return self.notes.setdefault(notes, notes)

    def fill_value(self, row: RawRow, task: Task, out: RoundRow, target) -> None:
        if "value" not in row.fields:
            return
        blind = row.blind("value")
        if blind:
            ftype = F.INTAKE_FORMULA if blind == "formula" else F.INTAKE_ERROR_CELL
            shown = "公式没有保存计算结果" if blind == "formula" else f"是错误值 {blind[6:]}"
            self.add(ftype, f"累计完成单元格{shown}，不能当作 0，未汇总。请在 Excel 中打开、保存后重报。", row, "value")
            out.raw_value = blind
            return
        value = row.fields["value"]
        out.raw_value = cell_text(value)
        written = row.layout.units.get("value")  # a unit in the header, 累计完成（个）, if the task's compares
        factor = unit_factor(written, task.unit) if written and task.unit else None
        unit = written if factor is not None else task.unit or written
        out.value, problems = normalize_value(value, unit, qualitative=is_qualitative(target))
        if out.value is not None and factor not in (1.0, None):
            out.value = round(out.value * factor, 10)
            problems.append((F.INTAKE_SCALED, f"表头单位为“{written}”，{out.raw_value}{written} 已换算为 "
                                              f"{_num(out.value)}{task.unit}。"))
        for ftype, msg in problems:
            self.add(ftype, msg, row, "value")

    def check_locked(self, row: RawRow, task: Task, out: RoundRow, target) -> None:
        """A unit changed the task text or target: the ledger stays authoritative, the change is reported."""
        fields = row.fields
        if "previous" in fields and out.previous is None:
            written = row.layout.units.get("previous")  # 上月累计完成（人） for a task counted in 万人
            factor = unit_factor(written, task.unit) if written and task.unit else None
            out.previous = _previous_of(fields["previous"], written if factor is not None else task.unit or written)
            if out.previous is not None and factor not in (None, 1.0):
                out.previous = round(out.previous * factor, 10)
        if "name" in fields and "code" in fields:
            name = fields["name"]
            if name != task.name and compact(name) != compact(task.name):
                self.add(F.INTAKE_LOCKED, f"任务名称改为“{cell_text(name)}”，与台帐“{task.name}”不一致，以台帐为准。",
                         row, "name")
        if "target" in fields and target is not None and not same_target(fields["target"], target):
            self.add(F.INTAKE_LOCKED, f"年度目标改为“{cell_text(fields['target'])}”，与台帐“{target.raw}”不一致，以台帐为准。",
                     row, "target")

    def check_consistency(self, row: RawRow, task: Task, out: RoundRow, target) -> None:
        value = out.value
        if value is not None and out.previous is not None and value < out.previous and task.cumulative(target):
            self.add(F.INTAKE_BELOW_PREVIOUS, f"累计完成 {_num(value)} 低于上期的 {_num(out.previous)}，累计数不应下降。",
                     row, "value")
        numeric = target is not None and target.is_numeric and target.value
        lower_is_better = numeric and task.lower_is_better(target)
        if value is not None and numeric and not lower_is_better and value > FAR_ABOVE_FACTOR * target.value:
            self.add(F.INTAKE_FAR_ABOVE, f"累计完成 {_num(value)} 是年度目标 {target.raw} 的 {value / target.value:.0f} 倍，"
                                         f"请核对计量单位（{task.unit or '未注明'}）。", row, "value")
        if out.status == "已完成" and value is not None and numeric and task.meets(target, value) is False:
            self.add(F.INTAKE_DONE_BELOW, f"状态为“已完成”，但累计完成 {_num(value)} 未达到年度目标 {target.raw}。", row, "status")
        if out.status == "滞后" and not out.problems:
            self.add(F.INTAKE_LAG_NO_REASON, "状态为“滞后”，请在“存在问题”栏说明原因。", row, "status")



def _previous_of(raw: Any, unit: str | None) -> float | None:
    """上月累计完成 as written: a number as it is, a text parsed, and '1.6万' scaled by the task's unit as
    累计完成 is (16000 of a task counted in 人, 1.6 of one counted in 万人)."""
    number = parse_number(raw)
    if number is None or raw.__class__ is float or not number.scale:
        return number_value(raw)
    return normalize_value(raw, unit)[0]


def _num(value: float) -> str:
    """A number for a message as a clerk writes it: 7000000, 0.0009, 12.5 — never 7e+06."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def is_qualitative(target) -> bool:
    """A target that is not a number ('实现全覆盖'): a text in 累计完成 is an answer, not an error."""
    return target is not None and target.kind is TargetKind.QUALITATIVE


def _leading_cell(row: RawRow) -> RawCell | None:
    """The row's leftmost non-empty cell."""
    return min([*row.cells.values(), *row.extras.values()], key=attrgetter("col"), default=None)


def _leading_text(row: RawRow) -> str:
    cell = _leading_cell(row)
    return cell_text(cell.value) if cell else ""



_PRINTED = {"序号", "序", "编号", "行号", "行次", "排序"}  # columns a table numbers its rows with


def _covers_all(ledger: AnnualLedger, code: str, task: Task) -> bool:
    """The region is the top of the tree, or an ancestor of every region the task is split to."""
    if not ledger.regions.ancestors(code):
        return True
    return bool(task.region_targets) and all(
        code in {a.code for a in ledger.regions.ancestors(r)} for r in task.region_targets)


def same_target(written, target) -> bool:
    """Whether a unit's 年度目标 cell says the ledger's target: '4000', '新增就业4000人' and '0.4万人' all say 4000人."""
    if written == target.raw or compact(cell_text(written)) == compact(target.raw):
        return True
    number = parse_number(written)
    if number is not None or target.value is None:
        return number is not None and target.value is not None and abs(number.value - target.value) < 1e-9
    said = parse_target(cell_text(written), target.unit)
    return (said.base_value is not None and abs(said.base_value - target.base_value) <= 1e-9 * max(1, abs(target.base_value))
            and said.base_unit in (None, target.base_unit))

