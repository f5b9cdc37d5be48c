"""`collect`: merge a month's submissions into the round ledger, losing nothing.

Every non-empty cell of every recognised data row ends up either merged (with its provenance) or named in
a finding; whole files that cannot be used are named in a file-level finding.
"""
from __future__ import annotations

import datetime as dt
import difflib
import gc
import operator
import os
import re
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..ledger.round import TOTAL, FileRecord, RoundLedger, RoundRow
from ..memory import gc_paused
from ..model import findings as F
from ..model.findings import cell_ref
from ..model.schedule import Round
from ..model.tasks import AnnualLedger, Task
from ..model.text import compact
from ..model.units import UnitKind
from .discover import Source, discover
from .identify import Identity, identify
from .normalize import normalize_date, normalize_status, normalize_value
from .submission import RawCell, RawRow, Submission, parse_submission
from .values import cell_text, number_value, parse_number

# A task name written differently is accepted only at or above this similarity (difflib ratio), and reported.
NAME_MATCH_THRESHOLD = 0.8
# A cumulative value above this multiple of the target is probably in the wrong unit (个 for 万个).
FAR_ABOVE_FACTOR = 5.0
# Findings that name a whole row: every cell of that row is accounted for by them.
ROW_FINDINGS = {F.INTAKE_UNKNOWN_TASK.code, F.INTAKE_UNKNOWN_REGION.code, F.INTAKE_REGION_NOT_COVERED.code,
                F.INTAKE_DUPLICATE.code, F.INTAKE_CONFLICT.code}
# Findings that name a whole file.
FILE_FINDINGS = {F.INTAKE_UNSUPPORTED.code, F.INTAKE_UNREADABLE.code, F.INTAKE_NO_TABLE.code,
                 F.INTAKE_UNKNOWN_SUBMITTER.code, F.INTAKE_SUPERSEDED.code}
_MARKERS = [(re.compile(r"最终版|终版|定稿|正式版"), 100), (re.compile(r"[vV](\d+)|第(\d+)版"), None),
            (re.compile(r"修改|修订|更正|更新|补报|重报"), 1)]


@dataclass
class Collected:
    """A round ledger together with the files it was made from."""

    round_ledger: RoundLedger
    sources: dict[str, Source]  # file name → the submitted file
    winners: dict[str, str]  # unit → winning file name


@dataclass
class FileResult:
    """Everything one file contributes, worked out without looking at any other file (so in a worker)."""

    source: Source
    generated: dt.datetime | None = None
    error: str | None = None
    identity: Identity | None = None
    rows: dict[tuple[str, str], RoundRow] = field(default_factory=dict)
    findings: list[F.Finding] = field(default_factory=list)
    row_count: int = 0

    @property
    def name(self) -> str:
        return self.source.name

    # A result crosses from a worker to the main process. Pickled as is, every RoundRow is a dict of 16 names,
    # and loading them cost the main process more than a worker spends parsing; so rows travel as plain
    # tuples of their fields (pickle sends each columns dict, which rows share, only once).
    def __getstate__(self) -> dict:
        return {**self.__dict__, "rows": [_row_fields(row) for row in self.rows.values()]}

    def __setstate__(self, state: dict) -> None:
        rows = (RoundRow(*values) for values in state["rows"])
        self.__dict__.update(state, rows={(row.task, row.region): row for row in rows})


_row_fields = operator.attrgetter(*(f.name for f in dataclass_fields(RoundRow)))  # in RoundRow(...)'s order


@dataclass
class _Context:
    """What every file is checked against; made once in the main process and handed to each worker."""

    ledger: AnnualLedger
    round: Round
    owners: dict[tuple[str, str], str]  # every row the round expects (the keys of expected_rows) → its unit
    owned: dict[str, list[tuple[str, str]]]  # unit → the rows it reports
    previous: Mapping[tuple[str, str], float]

    @classmethod
    def of(cls, ledger: AnnualLedger, rnd: Round, previous: Mapping[tuple[str, str], float]) -> _Context:
        # the keys and owners of expected_rows(ledger), without building a RoundRow for each
        owners = {(task.code, region): owner for task, region, owner in ledger.assignments()}
        owned: dict[str, list[tuple[str, str]]] = {}
        for key, owner in owners.items():
            owned.setdefault(owner, []).append(key)
        return cls(ledger, rnd, owners, owned, previous)


_CONTEXT: _Context | None = None  # set once per worker process


def collect(ledger: AnnualLedger, rnd: Round, source: str | Path,
            previous: Mapping[tuple[str, str], float] | None = None, workers: int | None = None) -> Collected:
    with gc_paused():
        return _collect(ledger, rnd, source, previous, workers)


def _collect(ledger: AnnualLedger, rnd: Round, source: str | Path,
             previous: Mapping[tuple[str, str], float] | None, workers: int | None) -> Collected:
    rnd = ledger.round(rnd)
    rl = RoundLedger(ledger, rnd)
    got: dict[tuple[str, str], RoundRow] = {}  # the rows winning files gave
    sources = list(discover(source))
    ctx = _Context.of(ledger, rnd, previous or {})
    groups: dict[str, list[FileResult]] = {}
    with processing(sources, ctx, workers) as results:
        expecting = ledger.submitters()  # while the workers read the files
        for res in results:
            if _accept(rl, res):
                groups.setdefault(res.identity.unit, []).append(res)
    winners: dict[str, str] = {}
    for unit in sorted(groups):
        versions = sorted(groups[unit], key=_version_key)
        winner = versions[-1]
        for old in versions[:-1]:
            rl.findings.add(F.INTAKE_SUPERSEDED, f"“{old.name}”已被同单位较新的“{winner.name}”替代，未汇总。",
                            file=old.name)
            rl.files.append(FileRecord(old.name, unit, "被替代", old.source.mtime, how=old.identity.how,
                                       rows=old.row_count))
        record = FileRecord(winner.name, unit, "采用", winner.source.mtime, how=winner.identity.how)
        record.late = _is_late(winner.source, rnd)
        if record.late:
            rl.findings.add(F.INTAKE_LATE, f"“{winner.name}”送达于 {winner.source.mtime:%Y-%m-%d %H:%M}，"
                                           f"晚于截止日期 {rnd.deadline:%Y-%m-%d}。", file=winner.name)
        record.rows = _apply(rl, winner, got)
        rl.files.append(record)
        winners[unit] = winner.name
        if len(versions) > 1:
            _list_changes(rl, versions[-2], winner, unit)
    rl.rows = _round_rows(ctx, got)
    _missing(rl, ctx, expecting, winners)
    return Collected(rl, {s.name: s for s in sources}, winners)


def process_all(sources: list[Source], ctx: _Context, workers: int | None = None) -> list[FileResult]:
    """Process files in worker processes when there are enough to pay for them; results in input order."""
    with processing(sources, ctx, workers) as results:
        return list(results)


@contextmanager
def processing(sources: list[Source], ctx: _Context, workers: int | None = None) -> Iterator[Iterator[FileResult]]:
    """process_file's results, in input order, as they come. With enough files they are handed to worker
    processes on entering, so the caller can do its own work meanwhile."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(sources) < 8:
        _use(ctx)
        yield map(process_file, sources)
        return
    # Small batches keep both workers busy to the end (also when another program takes a core for a while)
    # and the last batch quick to hand back; a batch costs a fraction of a millisecond of overhead.
    chunksize = max(1, min(2, len(sources) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(ctx,)) as pool:
        yield pool.map(process_file, sources, chunksize=chunksize)


def _init_worker(ctx: _Context) -> None:
    _use(ctx)
    # The ledger and context stay alive, unchanged, for the worker's whole life: freezing them keeps the
    # garbage collector from walking them again and again as each file's objects come and go.
    gc.freeze()
    gc.enable()  # paused in the main process while it forked this one


def _use(ctx: _Context) -> None:
    global _CONTEXT
    _CONTEXT = ctx


def process_file(source: Source) -> FileResult:
    """Parse, identify, normalise and check one file."""
    ctx = _CONTEXT
    sub = parse_submission(source)
    res = FileResult(source, sub.generated, sub.error, row_count=len(sub.rows))
    if sub.error:
        return res
    res.identity = identify(sub, ctx.ledger)
    if res.identity is not None:
        _Merger(ctx, sub, res).merge()
    return res


def _apply(rl: RoundLedger, res: FileResult, got: dict[tuple[str, str], RoundRow]) -> int:
    """Take a winning file's rows; a row already given by another unit is a conflict."""
    rl.findings.extend(res.findings)
    if got.keys().isdisjoint(res.rows):  # the usual case: nobody else sent these rows
        got.update(res.rows)
        return len(res.rows)
    unit = res.identity.unit
    merged = 0
    for key, row in res.rows.items():
        current = got.get(key)
        if current is not None and current.submitter and current.submitter != unit:
            file, sheet, r = row.origin
            where = dict(file=file, sheet=sheet, cell=cell_ref(r, row.columns.get("code", 0)), field="任务编号",
                         value=key[0])
            if current.owner != unit:
                rl.findings.add(F.INTAKE_CONFLICT, f"任务“{key[0]}”{_where(rl.ledger, key)}已由{current.submitter}"
                                                   "报送，本行未汇总。", **where)
                continue
            rl.findings.add(F.INTAKE_CONFLICT, f"任务“{key[0]}”{_where(rl.ledger, key)}也由{current.submitter}"
                                               "报送，采用本单位的数值。", **where)
        got[key] = row
        merged += 1
    return merged


def _round_rows(ctx: _Context, got: Mapping[tuple[str, str], RoundRow]) -> dict[tuple[str, str], RoundRow]:
    """expected_rows(ledger) with the rows files gave in place, in ledger order; a row is made here only for
    what nobody sent, rather than for every row and then replaced (a round can have a hundred thousand)."""
    rows: dict[tuple[str, str], RoundRow | None] = dict.fromkeys(ctx.owners)  # the order of the ledger
    rows.update(got)
    if len(got) < len(rows):  # `got` only holds keys of the round
        previous = ctx.previous
        rows.update({key: RoundRow(key[0], key[1], owner=owner, previous=previous.get(key))
                     for key, owner in ctx.owners.items() if key not in got})
    return rows


def _where(ledger: AnnualLedger, key: tuple[str, str]) -> str:
    if key[1] == TOTAL:
        return ""
    region = ledger.regions.get(key[1])
    return f"（{region.name if region else key[1]}）"


def _accept(rl: RoundLedger, res: FileResult) -> bool:
    """File-level checks: readable, has a table, has a known submitter."""
    if res.error:
        ftype = (F.INTAKE_UNSUPPORTED if not res.source.readable
                 else F.INTAKE_NO_TABLE if "找不到进展填报表" in res.error else F.INTAKE_UNREADABLE)
        rl.findings.add(ftype, res.error, file=res.name)
        rl.files.append(FileRecord(res.name, None, "无法读取", res.source.mtime))
        return False
    if res.identity is None:
        rl.findings.add(F.INTAKE_UNKNOWN_SUBMITTER,
                        f"无法确定“{res.name}”是哪个单位报送的：请使用下发的填报模板，或在表头上方写明“填报单位：××”。",
                        file=res.name)
        rl.files.append(FileRecord(res.name, None, "未识别单位", res.source.mtime, rows=res.row_count))
        return False
    if res.identity.how == "文件名":
        rl.findings.add(F.INTAKE_SUBMITTER_FROM_NAME,
                        f"“{res.name}”中没有填报单位信息，按文件名认定为“{res.identity.unit}”，请核对。", file=res.name)
    return True


def _version_key(res: FileResult) -> tuple:
    """Latest wins: template timestamp, then 修改版/v2/最终版 markers, then modification time."""
    marker = 0
    for pattern, rank in _MARKERS:
        m = pattern.search(res.source.stem)
        if m:
            marker = rank if rank is not None else int(next(g for g in m.groups() if g))
            break
    return (res.generated or dt.datetime.min, marker, res.source.mtime or dt.datetime.min, res.name)


def _is_late(source: Source, rnd: Round) -> bool:
    return bool(source.mtime and rnd.deadline and source.mtime.date() > rnd.deadline)


def _missing(rl: RoundLedger, ctx: _Context, expecting: list[str], winners: Mapping[str, str]) -> None:
    for unit in expecting:
        if unit in winners:
            continue
        owned = len(ctx.owned.get(unit, ()))  # the round's rows this unit reports
        found = rl.ledger.units.match(unit)
        rl.missing.append(unit)
        rl.findings.add(F.INTAKE_MISSING, f"{found.label if found else unit}本轮未报送（应报 {owned} 项）。",
                        field="报送单位", value=unit)


class _Merger:
    """Merge one accepted submission into the round ledger, row by row."""

    def __init__(self, ctx: _Context, sub: Submission, res: FileResult):
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

    def add(self, ftype, message: str, row: RawRow, key: str | None = None, cell: RawCell | None = None):
        cell = cell or (row.cells.get(key) if key else None)
        col = cell.col if cell else min((c.col for c in row.cells.values()), default=0)
        from .submission_schema import PROGRESS

        field = PROGRESS.field(key).header if key and key in {f.key for f in PROGRESS.fields} else ""
        self.findings.add(ftype, message, file=self.sub.name, sheet=row.sheet, cell=cell_ref(row.row, col),
                          field=field, value=cell_text(cell.value) if cell else "")

    def merge(self) -> None:
        for row in self.sub.rows:
            self.merge_row(row)
        self.check_left_out(self.ctx.owned.get(self.unit, []))

    def merge_row(self, row: RawRow) -> int:
        task = self.match_task(row)
        if task is None:
            return 0
        key = self.match_key(row, task)
        if key is None:
            return 0
        if key in self.seen:
            self.add(F.INTAKE_DUPLICATE, f"任务“{task.code}”{self.where(key)}在第 {self.seen[key]} 行已填报，"
                                         "本行重复，未汇总。", row, "code")
            return 0
        self.seen[key] = row.row + 1
        out = RoundRow(task.code, key[1], owner=self.ctx.owners[key], previous=self.ctx.previous.get(key))
        self.fill(row, task, out)
        self.res.rows[key] = out
        return 1

    def where(self, key: tuple[str, str]) -> str:
        return _where(self.ledger, key)

    # -- matching ---------------------------------------------------------------------------------
    def match_task(self, row: RawRow) -> Task | None:
        fields = row.fields
        code = cell_text(fields["code"]) if "code" in fields else ""
        task = self.ledger.tasks.get(code) or self.ledger.tasks.get(compact(code).upper())
        if task:
            return task
        name = cell_text(fields["name"] if "name" in fields else fields.get("indicator"))
        if name:
            task, score = self.match_name(name)
            if task:
                self.add(F.INTAKE_FUZZY, f"任务编号“{code}”无法对应，按名称“{name}”匹配到任务“{task.code} {task.name}”"
                                         f"（相似度 {score:.0%}），请核对。", row, "name")
                return task
        what = f"任务编号“{code}”" if code else f"任务“{name}”" if name else "本行没有任务编号和任务名称，"
        self.add(F.INTAKE_UNKNOWN_TASK, f"{what}不在台帐中，本行未汇总。" if (code or name) else f"{what}未汇总。",
                 row, "code" if code else "name")
        return None

    def match_name(self, name: str) -> tuple[Task | None, float]:
        """The ledger task most like `name` (task name or indicator), the unit's own tasks first."""
        key = compact(name)
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
        own_region = self.own_region
        if "region" not in row.fields:
            if own_region and (task.code, own_region) in self.ctx.owners:
                return task.code, own_region
            if own_region:
                self.add(F.INTAKE_REGION_NOT_COVERED, f"任务“{task.code}”没有分解到本单位所在地区，本行未汇总。", row, "code")
                return None
            return task.code, TOTAL
        name = cell_text(row.fields["region"])
        # prefer a region under the unit's own ('城关镇' style duplicates), then anywhere, to say why it's refused
        region = (own_region and self.ledger.regions.match(name, within=own_region)) or self.ledger.regions.match(name)
        if region is None:
            self.add(F.INTAKE_UNKNOWN_REGION, f"地区“{name}”无法识别，本行未汇总。", row, "region")
            return None
        if own_region and region.code != own_region and not self.ledger.regions.is_within(region.code, own_region):
            self.add(F.INTAKE_REGION_NOT_COVERED, f"地区“{region.name}”不属于本单位（{self.unit}）负责的范围，本行未汇总。",
                     row, "region")
            return None
        if (task.code, region.code) in self.ctx.owners:
            return task.code, region.code
        if not own_region and _covers_all(self.ledger, region.code, task):
            return task.code, TOTAL  # 湖北省, or 武汉市 for a task split among Wuhan's districts: the whole task
        self.add(F.INTAKE_REGION_NOT_COVERED, f"任务“{task.code}”没有分解到“{region.name}”，本行未汇总。", row, "region")
        return None

    # -- values ------------------------------------------------------------------------------------
    def fill(self, row: RawRow, task: Task, out: RoundRow) -> None:
        fields = row.fields
        out.submitter = self.unit
        out.origin = (self.file, row.sheet, row.row)
        out.columns = row.columns  # one dict shared by the rows with the same non-empty columns
        target = task.target if out.region == TOTAL else task.region_targets.get(out.region)
        self.check_locked(row, task, out, target)
        self.fill_value(row, task, out)
        if "status" in fields:
            out.status_raw = cell_text(fields["status"])
            out.status, problems = normalize_status(fields["status"])
            for ftype, msg in problems:
                self.add(ftype, msg, row, "status")
        if "progress" in fields:
            out.progress = cell_text(fields["progress"])
        if "problems" in fields:
            out.problems = cell_text(fields["problems"])
        if "measures" in fields:
            out.measures = cell_text(fields["measures"])
        if "finish_date" in fields:
            out.finish_date, problems = normalize_date(fields["finish_date"], self.ctx.round.year)
            for ftype, msg in problems:
                self.add(ftype, msg, row, "finish_date")
        out.notes = self.notes_of(row)
        self.check_consistency(row, task, out, target)

    def notes_of(self, row: RawRow) -> str:
        """'header：value' of each other column, joined; the same few texts repeat down a file, so each part
        is made once (only for text cells: 1.0 and True are equal keys but read differently)."""
        parts = []
        for header, value in row.others.items():
            part = self.note_parts.get((header, value))
            if part is None:
                part = f"{header}：{cell_text(value)}"
                if isinstance(value, str):
                    self.note_parts[header, value] = part
            parts.append(part)
        notes = "；".join(parts)
        return self.notes.setdefault(notes, notes)

    def fill_value(self, row: RawRow, task: Task, out: RoundRow) -> None:
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
        unit = task.unit or self.sub.units.get("value")
        out.value, problems = normalize_value(value, unit)
        for ftype, msg in problems:
            self.add(ftype, msg, row, "value")

    def check_locked(self, row: RawRow, task: Task, out: RoundRow, target) -> None:
        """A unit changed the task text or target: the ledger stays authoritative, the change is reported."""
        fields = row.fields
        if "previous" in fields and out.previous is None:
            out.previous = number_value(fields["previous"])
        if "name" in fields and "code" in fields:
            name = fields["name"]
            if name != task.name and compact(name) != compact(task.name):
                self.add(F.INTAKE_LOCKED, f"任务名称改为“{cell_text(name)}”，与台帐“{task.name}”不一致，以台帐为准。",
                         row, "name")
        if "target" in fields and target is not None and not _same_target(fields["target"], target):
            self.add(F.INTAKE_LOCKED, f"年度目标改为“{cell_text(fields['target'])}”，与台帐“{target.raw}”不一致，以台帐为准。",
                     row, "target")

    def check_consistency(self, row: RawRow, task: Task, out: RoundRow, target) -> None:
        value = out.value
        if value is not None and out.previous is not None and value < out.previous:
            self.add(F.INTAKE_BELOW_PREVIOUS, f"累计完成 {value:g} 低于上期的 {out.previous:g}，累计数不应下降。", row, "value")
        numeric = target is not None and target.is_numeric and target.value
        lower_is_better = numeric and task.lower_is_better(target)
        if value is not None and numeric and not lower_is_better and value > FAR_ABOVE_FACTOR * target.value:
            self.add(F.INTAKE_FAR_ABOVE, f"累计完成 {value:g} 是年度目标 {target.raw} 的 {value / target.value:.0f} 倍，"
                                         f"请核对计量单位（{task.unit or '未注明'}）。", row, "value")
        if out.status == "已完成" and value is not None and numeric and task.meets(target, value) is False:
            self.add(F.INTAKE_DONE_BELOW, f"状态为“已完成”，但累计完成 {value:g} 未达到年度目标 {target.raw}。", row, "status")
        if out.status == "滞后" and not out.problems:
            self.add(F.INTAKE_LAG_NO_REASON, "状态为“滞后”，请在“存在问题”栏说明原因。", row, "status")

    def check_left_out(self, owned: list[tuple[str, str]]) -> None:
        """Rows this unit owns that its file does not mention."""
        for key in owned:
            if key not in self.seen:
                task = self.ledger.tasks[key[0]]
                self.findings.add(F.INTAKE_TASK_MISSING, f"任务“{task.code} {task.name}”{self.where(key)}未填报。",
                                  file=self.sub.name, field="任务编号", value=task.code)


def _covers_all(ledger: AnnualLedger, code: str, task: Task) -> bool:
    """The region is the top of the tree, or an ancestor of every region the task is split to."""
    if not ledger.regions.ancestors(code):
        return True
    return bool(task.region_targets) and all(
        code in {a.code for a in ledger.regions.ancestors(r)} for r in task.region_targets)


def _same_target(written, target) -> bool:
    if written == target.raw or compact(cell_text(written)) == compact(target.raw):
        return True
    number = parse_number(written)
    return number is not None and target.value is not None and abs(number.value - target.value) < 1e-9


def _values(sub: Submission, ledger: AnnualLedger) -> dict[tuple[str, str, str], str]:
    """(task code, region name, field) → value as written, to list what a resubmission changed."""
    out = {}
    for row in sub.rows:
        fields = row.fields
        code = cell_text(fields["code"]) if "code" in fields else ""
        region = ""
        if "region" in fields:
            found = ledger.regions.match(cell_text(fields["region"]))
            region = found.name if found else cell_text(fields["region"])
        for key in _CHANGE_FIELDS:
            if key in fields:
                out[(code, region, key)] = cell_text(fields[key])
    return out


_CHANGE_FIELDS = {"value": "累计完成", "status": "进展状态", "problems": "存在问题"}


def _list_changes(rl: RoundLedger, old: FileResult, new: FileResult, unit: str) -> None:
    """Values that changed between a unit's previous and latest file, for the audit trail."""
    before = _values(parse_submission(old.source), rl.ledger)  # re-read: only resubmitted files need this
    after = _values(parse_submission(new.source), rl.ledger)
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            label = _CHANGE_FIELDS[key[2]]
            rl.changes.append({"unit": unit, "task": key[0], "region": key[1], "field": label,
                               "old": before.get(key, ""), "new": after.get(key, ""),
                               "old_file": old.name, "new_file": new.name})
            rl.findings.add(F.INTAKE_CHANGED, f"任务“{key[0]}”{key[1]}的{label}由“{before.get(key, '')}”"
                                              f"改为“{after.get(key, '')}”。", file=new.name,
                            field=label, value=after.get(key, ""))


def iter_cells(sub: Submission) -> Iterable[tuple[str, str, Any]]:
    """(sheet, A1, value) of every non-empty cell of every recognised data row."""
    for row in sub.rows:
        for cell in [*row.cells.values(), *row.extras.values()]:
            yield row.sheet, cell_ref(row.row, cell.col), cell.value
