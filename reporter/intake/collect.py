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
from contextlib import contextmanager
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import groupby, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..memory import gc_paused
from ..model import findings as F
from ..model.findings import cell_ref
from ..model.round_ledger import TOTAL, FileRecord, RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.targets import TargetKind
from ..model.tasks import AnnualLedger, Task
from ..model.text import compact
from ..model.units import UnitKind
from ..progress import Progress, Silent
from .discover import Source, discover
from .headers import is_total_label
from .identify import Identity, from_file_name, identify, identify_sheets
from .normalize import is_pct_unit, normalize_date, normalize_status, normalize_value, unit_factor
from .submission import Grid, RawCell, RawRow, Submission, parse_submission
from .submission_schema import FILLED
from .values import cell_text, free_text, number_value, parse_number

# A task name written differently is accepted only at or above this similarity (difflib ratio), and reported.
STEP = "汇总报送"  # the progress step
NAME_MATCH_THRESHOLD = 0.8
# A cumulative value above this multiple of the target is probably in the wrong unit (个 for 万个).
FAR_ABOVE_FACTOR = 5.0
# Findings that name a whole row: every cell of that row is accounted for by them.
ROW_FINDINGS = {F.INTAKE_UNKNOWN_TASK.code, F.INTAKE_TOTAL_ROW.code, F.INTAKE_UNKNOWN_REGION.code,
                F.INTAKE_REGION_NOT_COVERED.code,
                F.INTAKE_DUPLICATE.code, F.INTAKE_CONFLICT.code}
# Rows with neither a task code nor a name are each named up to this many per file, the rest in one finding:
# a 进展状态 filled down a whole column would otherwise give a hundred thousand.
NAMELESS_NAMED = 20
# Findings that name a whole file.
FILE_FINDINGS = {F.INTAKE_UNSUPPORTED.code, F.INTAKE_UNREADABLE.code, F.INTAKE_NO_TABLE.code,
                 F.INTAKE_UNKNOWN_SUBMITTER.code, F.INTAKE_SUPERSEDED.code}
_MARKERS = [(re.compile(r"最终版|终版|定稿|正式版"), 100), (re.compile(r"[vV](\d+)|第(\d+)版"), None),
            (re.compile(r"修改(?!前)|修订(?!前)|更正(?!前)|更新|补报|重报"), 1)]  # 修改前 is the version before


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
    # the merged rows, column by column (see _pack): what a worker sends, rather than a RoundRow each
    packed: list = field(default_factory=list)
    findings: list[F.Finding] = field(default_factory=list)
    row_count: int = 0
    round_written: str = ""  # the round a fill-in template was made for ('2025-04'), from its metadata
    parts: list[FileResult] = field(default_factory=list)  # per unit, for a workbook of several units' sheets
    _rows: dict[tuple[str, str], RoundRow] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def rows(self) -> dict[tuple[str, str], RoundRow]:
        """(task, region) → the RoundRow this file gives, made on first use (in the main process)."""
        if self._rows is None:
            self._rows = _unpack(self)
            self.packed = []  # now in the rows: holding both for every file would double what a round keeps
        return self._rows

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_rows": None}
        if self._rows is not None:  # already made into rows (in the main process): packed again
            state["packed"] = _pack(list(map(_packed_row, self._rows.values())))
        return state


_PACKED = ("task", "region", "owner", "value", "raw_value", "previous", "status", "status_raw", "progress", "problems",
           "measures", "finish_date", "notes", "sheet", "row", "columns")


def _packed_row(out: RoundRow) -> tuple:
    """A RoundRow's fields in _PACKED's order (its submitter is the file's unit, its file the file's name)."""
    return (out.task, out.region, out.owner, out.value, out.raw_value, out.previous, out.status, out.status_raw,
            out.progress, out.problems, out.measures, out.finish_date, out.notes, out.origin[1], out.origin[2],
            out.columns)


# The order columns travel in: those whose values rows share first, so that pickle refers back to each shared
# value with a 2-byte code rather than a 5-byte one, and the values of each row (codes, numbers) last.
_WIRE = (1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 15, 4, 0, 3, 5, 14)  # indexes into _PACKED
_NUMBERS = {3, 5}  # value, previous: 0.0 == -0.0, so never sent as one value for all rows


def _pack(rows: list[tuple]) -> list:
    """Rows (tuples in _PACKED's order) as [row count, each column in _WIRE's order]; a column with one
    value for every row (the sheet, the owner, often the notes) as a 1-tuple of it, sent once."""
    if not rows:
        return []
    n = len(rows)
    columns = list(zip(*rows))
    out: list = [n]
    for i in _WIRE:
        column = columns[i]
        if i not in _NUMBERS and column.count(column[0]) == n:
            out.append((column[0],))
        elif i == 2:  # the owners' names are equal strings but one object per ledger row: sent once each
            seen: dict[str, str] = {}
            out.append(tuple(map(seen.setdefault, column, column)))
        else:
            out.append(column)
    return out


def _unpack(res: FileResult) -> dict[tuple[str, str], RoundRow]:
    """A result's packed columns as RoundRows. Pickled as is, a RoundRow is a dict of 16 names, and loading
    them cost the main process more than a worker spends parsing; columns of plain values (strings and
    column dicts that rows share are sent once) load fast, and each row is made here by one call."""
    if not res.packed:
        return {}
    n, *wire = res.packed
    columns: list = [None] * len(_WIRE)
    for i, column in zip(_WIRE, wire):
        if len(column) == 1:  # one value for every row; the task and region columns are read twice
            column = [column[0]] * n if i < 2 else repeat(column[0], n)
        columns[i] = column
    (task, region, owner, value, raw, previous, status, status_raw, progress, problems, measures, finish, notes,
     sheet, row, cols) = columns
    origins = zip(repeat(res.name, n), sheet, row)
    rows = map(RoundRow, task, region, owner, repeat(res.identity.unit, n), value, raw, previous, status, status_raw,
               progress, problems, measures, finish, notes, origins, cols)
    return dict(zip(zip(task, region), rows))


@dataclass
class _Context:
    """What every file is checked against, made in the main process and handed to each worker; and what
    only the main process needs to know of the ledger (worked out there, while the workers read files)."""

    ledger: AnnualLedger
    round: Round
    previous: Mapping[tuple[str, str], float]

    @cached_property
    def assignments(self) -> tuple[list[tuple[str, str]], list[str]]:
        """The key of every row the round expects (those of expected_rows), in ledger order, and the unit
        reporting each: ledger.assignments() written out, as a round can have a hundred thousand rows."""
        tasks = self.ledger.tasks.values()
        if not any(map(attrgetter("region_targets"), tasks)):  # a row per task: no Python loop needed
            return list(zip(map(attrgetter("code"), tasks), repeat(TOTAL))), list(map(attrgetter("lead"), tasks))
        keys, owners = [], []
        for task in tasks:
            keys.append((task.code, TOTAL))
            owners.append(task.lead)
            for region in task.region_targets:
                keys.append((task.code, region))
                owners.append(task.reporter(region))
        return keys, owners

    @cached_property
    def owned(self) -> dict[str, list[tuple[str, str]]]:
        """Unit → the keys of the rows it reports, in ledger order."""
        keys, owners = self.assignments
        owned: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        for owner, run in groupby(zip(owners, keys), itemgetter(0)):  # a unit's tasks often come together
            owned[owner].extend(map(itemgetter(1), run))
        return dict(owned)

    def rows(self) -> dict[tuple[str, str], None]:
        """The keys of every row the round expects, in ledger order, each None."""
        return dict.fromkeys(self.assignments[0])

    def submitters(self) -> list[str]:
        """ledger.submitters(), from `owned`."""
        return self.ledger.in_unit_order(unit for unit in self.owned if unit)


_CONTEXT: _Context | None = None  # set once per worker process


def collect(ledger: AnnualLedger, rnd: Round, source: str | Path,
            previous: Mapping[tuple[str, str], float] | None = None, workers: int | None = None,
            progress: Progress | None = None) -> Collected:
    """The round ledger from the submissions in `source` (a folder or a zip). `previous`: last round's
    cumulative values by (task, region), for the 低于上期 check. `workers`: how many processes read the
    files, this one included (default: one per core, at most 4; 1 reads them all here). `progress`:
    advanced once per file read, under the step 汇总报送."""
    with gc_paused():
        return _collect(ledger, rnd, source, previous, workers, progress or Silent())


def _collect(ledger: AnnualLedger, rnd: Round, source: str | Path,
             previous: Mapping[tuple[str, str], float] | None, workers: int | None,
             progress: Progress) -> Collected:
    rnd = ledger.round(rnd)
    rl = RoundLedger(ledger, rnd)
    sources = list(discover(source))
    progress.start(STEP, total=len(sources))
    ctx = _Context(ledger, rnd, previous or {})
    groups: dict[str, list[FileResult]] = {}
    with processing(sources, ctx, workers) as results:
        # while the other processes read files: who is expected, and the round's rows in ledger order, each
        # None until a winning file gives it (a row is made only for what nobody sent, at the end)
        expecting = ctx.submitters()
        got: dict[tuple[str, str], RoundRow | None] = ctx.rows()
        # As long as every file is its unit's only one and gives rows no other file gives, which file wins
        # and what conflicts is already known: its rows are taken as it comes, not all after the last.
        early = True
        for whole in results:
            progress.advance(STEP)
            for res in whole.parts or (whole,):
                if not _accept(rl, res):
                    continue
                rows = res.rows  # made now, while the workers read the next files
                if early and (res.identity.unit in groups
                              or not all(map(operator.is_, map(got.get, rows), repeat(None)))):
                    early = False  # a resubmission, or a row two files give: decided unit by unit below
                elif early:
                    got.update(rows)
                groups.setdefault(res.identity.unit, []).append(res)
    if not early:
        got = ctx.rows()
    winners = _take_winners(rl, ctx, groups, got, early)
    rl.rows = _unsent_rows(ctx, got)
    _missing(rl, ctx, expecting, winners)
    return Collected(rl, {s.name: s for s in sources}, winners)


def _take_winners(rl: RoundLedger, ctx: _Context, groups: dict[str, list[FileResult]],
                  got: dict[tuple[str, str], RoundRow | None], taken: bool) -> dict[str, str]:
    """Each unit's latest file wins and gives its rows (unless `taken`: they are in `got` already); the
    versions it replaced are listed, with what changed. Unit → winning file."""
    rnd = rl.round
    winners: dict[str, str] = {}
    for unit in sorted(groups):
        versions = sorted(groups[unit], key=_version_key)
        winner = versions[-1]
        for old in versions[:-1]:
            rl.findings.add(F.INTAKE_SUPERSEDED, f"“{old.name}”已被同单位的“{winner.name}”（{_why_newer(old, winner)}）"
                                                 "替代，未汇总。", file=old.name)
            rl.files.append(FileRecord(old.name, unit, "被替代", old.source.mtime, how=old.identity.how,
                                       rows=old.row_count))
        record = FileRecord(winner.name, unit, "采用", winner.source.mtime, how=winner.identity.how)
        record.late = _is_late(winner.source, rnd)
        if record.late:
            rl.findings.add(F.INTAKE_LATE, f"“{winner.name}”送达于 {winner.source.mtime:%Y-%m-%d %H:%M}，"
                                           f"晚于截止日期 {rnd.deadline:%Y-%m-%d}。", file=winner.name)
        _left_out(rl, ctx.owned.get(unit, []), winner)
        if taken:  # its rows are in already, and nobody else's are among them
            rl.findings.extend(winner.findings)
            record.rows = len(winner.rows)
        else:
            record.rows = _apply(rl, winner, got)
        rl.files.append(record)
        winners[unit] = winner.name
        if len(versions) > 1:
            _list_changes(rl, versions[-2], winner, unit)
    return winners


@contextmanager
def processing(sources: list[Source], ctx: _Context, workers: int | None = None) -> Iterator[Iterator[FileResult]]:
    """process_file's results, in input order, as they come. `workers` processes do the work (by default one
    per core, at most 4), the main one included (see _Team): with enough files, the others start on
    entering, so the caller can do its own work meanwhile."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    _use(ctx)
    if workers <= 1 or len(sources) < 8:
        yield map(process_file, sources)
        return
    team = _Team(sources, ctx, workers - 1)
    try:
        yield team.results()
    finally:
        team.stop()


class _Team:
    """Worker processes and the main one taking files one at a time from a shared counter: nobody waits while
    a file is left, and nothing goes between them but the files' results. The main process makes the rows of
    what it reads at once (FileResult.rows), as the caller does with what the workers send, and hands all
    results back in input order. Each worker sends through a pipe of its own, so one that dies (a reader
    crashing on a damaged file) can hold up no other: the file it was reading becomes an unreadable file,
    what it had read but not yet sent is read again here, and the others read the rest."""

    def __init__(self, sources: list[Source], ctx: _Context, count: int):
        import multiprocessing

        mp = multiprocessing.get_context()
        self.sources = sources
        self.counter = mp.Value("q", 0)  # the next file nobody has taken
        self.taker = mp.Array("b", [_UNTAKEN] * len(sources), lock=False)  # who took each file (-1: main)
        self.doing = mp.Array("q", [-1] * count, lock=False)  # the file each worker is reading, -1 none
        self.readers: dict = {}  # pipe → worker number
        self.procs = []
        for slot in range(count):
            reader, writer = mp.Pipe(duplex=False)
            proc = mp.Process(target=_work, args=(sources, ctx, self.counter, self.taker, self.doing, slot, writer),
                              daemon=True)
            proc.start()
            writer.close()  # the worker's end: once the worker has ended, reading gives EOFError
            self.procs.append(proc)
            self.readers[reader] = slot

    def results(self) -> Iterator[FileResult]:
        done: dict[int, FileResult] = {}
        for i in range(len(self.sources)):
            while i not in done:
                self._receive(done, block=False)
                if i in done:
                    break
                k = _take(self.counter, len(self.sources))
                if k is not None:  # read one more file here rather than wait
                    self.taker[k] = _MAIN
                    done[k] = res = process_file(self.sources[k])
                    res.rows
                elif not self._receive(done, block=True) and i not in done:
                    # taken, but its worker died before it could mark the file as its own
                    done[i] = _crashed(self.sources[i])
            yield done.pop(i)

    def _receive(self, done: dict[int, FileResult], block: bool) -> bool:
        """Take in what the workers have sent, waiting for something first if `block`; False when no worker
        is left to send anything."""
        from multiprocessing.connection import wait

        while self.readers:
            ready = wait(list(self.readers), None if block else 0)
            if not ready:
                return True
            for reader in ready:
                try:
                    i, res = reader.recv()
                except (EOFError, OSError):  # the worker has ended, or died (perhaps halfway through a result)
                    self._ended(self.readers.pop(reader), done)
                    reader.close()
                    continue
                if isinstance(res, BaseException):
                    raise res
                res.rows  # made now, while the workers read the next files
                done[i] = res
                block = False
            if not block:
                return True
        return False

    def _ended(self, slot: int, done: dict[int, FileResult]) -> None:
        """A worker's pipe is closed and all it sent is in: if it died, the file it was reading is named as
        unreadable, and the files it had read but not sent are read again here."""
        crashed = self.doing[slot]
        for i, taker in enumerate(self.taker):
            if taker == slot and i not in done:
                if i == crashed:
                    done[i] = _crashed(self.sources[i])
                else:
                    done[i] = res = process_file(self.sources[i])
                    res.rows

    def stop(self) -> None:
        with self.counter.get_lock():
            self.counter.value = len(self.sources)
        for proc in self.procs:
            proc.join(1.0)
            if proc.is_alive():  # stopped early (the caller failed): a worker may wait to send a result
                proc.terminate()
                proc.join()
        for reader in self.readers:
            reader.close()


_UNTAKEN, _MAIN = -2, -1  # Team.taker: nobody has taken the file yet; the main process took it


def _take(counter, n: int) -> int | None:
    """The index of the next file to read, None when all are taken."""
    with counter.get_lock():
        i = counter.value
        if i >= n:
            return None
        counter.value = i + 1
        return i


def _work(sources: list[Source], ctx: _Context, counter, taker, doing, slot: int, writer) -> None:
    """A worker process: read files until none is left, sending each result as it is made. A thread sends
    them, so that the next file is read while the main process is too busy to take the last one. `taker`
    and `doing` say which files it took and which one it is reading, should it die."""
    import queue
    import threading

    _init_worker(ctx)
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(outbox, writer))
    sender.start()
    read = 0
    while (i := _take(counter, len(sources))) is not None:
        taker[i], doing[slot] = slot, i  # this file is ours, and being read
        read += 1
        if read % COLLECT_EVERY == 0:
            gc.collect()
        try:
            res = process_file(sources[i])
        except Exception:  # a fault of this program, not of the file: raised again in the main process
            import traceback

            res = RuntimeError(f"读取“{sources[i].name}”时出错：\n{traceback.format_exc()}")
        doing[slot] = -1
        outbox.put((i, res))
    outbox.put(None)
    sender.join()


def _send_all(outbox, writer) -> None:
    while (item := outbox.get()) is not None:
        writer.send(item)
    writer.close()


def _crashed(source: Source) -> FileResult:
    """The result of a file whose reading killed the process reading it."""
    return FileResult(source, error=f"读取文件“{source.name}”时读取程序异常退出，文件可能已损坏。请用 Excel 或 WPS 打开后"
                                    "另存为 .xlsx 再报送。")


# A worker reads files with the cyclic garbage collector paused, as the main process does: reading a file
# makes ten thousand cells, and the young collections they set off cost ~10% of the time (measured). What a
# file makes is freed by reference counting (reading the sample year's messy files leaves no cycle behind);
# a full collection now and then bounds whatever a damaged file might leave.
COLLECT_EVERY = 50  # files


def _init_worker(ctx: _Context) -> None:
    _use(ctx)
    # The ledger and context stay alive, unchanged, for the worker's whole life: freezing them keeps the
    # collector's periodic full collections from walking them.
    gc.disable()  # already, when forked from the main process (collect pauses it); not when spawned
    gc.freeze()


def _use(ctx: _Context) -> None:
    global _CONTEXT
    _CONTEXT = ctx


def process_file(source: Source) -> FileResult:
    """Parse, identify, normalise and check one file."""
    ctx = _CONTEXT
    sub = parse_submission(source, ctx.round.month)
    res = FileResult(source, sub.generated, sub.error, row_count=sub.row_count, round_written=sub.meta.get("round", ""))
    if sub.error:
        return res
    for sheet, reason in sub.skipped:
        F.Findings(res.findings).add(F.INTAKE_SHEET_SKIPPED, reason, file=source.name, sheet=sheet)
    by_sheet = identify_sheets(sub, ctx.ledger)
    if by_sheet:  # one workbook, several units' sheets: a part per unit, each merged as its own file
        for unit in dict.fromkeys(identity.unit for identity in by_sheet.values()):
            grids = [grid for grid in sub.grids if by_sheet[grid.layout.sheet].unit == unit]
            part = FileResult(source, sub.generated, row_count=sum(map(len, grids)), round_written=res.round_written,
                              identity=next(i for i in by_sheet.values() if i.unit == unit))
            _Merger(ctx, replace(sub, grids=grids, _rows=None), part).merge()
            res.parts.append(part)
        res.parts[0].findings[:0] = res.findings  # what was said of the whole file (a sheet not read)
        return res
    res.identity = identify(sub, ctx.ledger)
    if res.identity is not None:
        _name_differs(sub, ctx.ledger, res)
        _Merger(ctx, sub, res).merge()
    return res


def _name_differs(sub: Submission, ledger: AnnualLedger, res: FileResult) -> None:
    """A 填报单位 line naming one unit in a file named for another: a unit that reused another's file and
    forgot the line, or one that filled in another's. The line decides; the clerk is asked to check."""
    if res.identity.how != "填报单位栏":
        return
    named = from_file_name(sub, ledger)
    if named and named.unit != res.identity.unit:
        F.Findings(res.findings).add(F.INTAKE_NAME_DIFFERS, f"表中填报单位为“{res.identity.unit}”，文件名却是“{named.unit}”的，"
                                                            f"已按“{res.identity.unit}”汇总，请核对。", file=sub.name,
                                     field="报送单位", value=res.identity.unit)


def _apply(rl: RoundLedger, res: FileResult, got: dict[tuple[str, str], RoundRow | None]) -> int:
    """Take a winning file's rows; a row already given by another unit is a conflict."""
    rl.findings.extend(res.findings)
    if all(map(operator.is_, map(got.get, res.rows), repeat(None))):  # the usual case: nobody else sent them
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


def _left_out(rl: RoundLedger, owned: list[tuple[str, str]], res: FileResult) -> None:
    """Rows the unit owns that its winning file does not give: named after the file's own findings. (Here,
    not in the worker that read it: only the main process needs to know which rows each unit owns.)"""
    rows, findings = res.rows, F.Findings(res.findings)
    for key in owned:
        if key not in rows:
            task = rl.ledger.tasks[key[0]]
            findings.add(F.INTAKE_TASK_MISSING, f"任务“{task.code} {task.name}”{_where(rl.ledger, key)}未填报。",
                         file=res.name, field="任务编号", value=task.code)


def _unsent_rows(ctx: _Context, got: dict[tuple[str, str], RoundRow | None]) -> dict[tuple[str, str], RoundRow]:
    """The round's rows (expected_rows(ledger), in ledger order) with a row made for each that nobody sent,
    rather than one made for every row and then replaced (a round can have a hundred thousand)."""
    unsent = [key for key, row in got.items() if row is None]
    if unsent:
        tasks, previous = ctx.ledger.tasks, ctx.previous
        got.update({key: RoundRow(key[0], key[1], owner=tasks[key[0]].reporter(key[1]), previous=previous.get(key))
                    for key in unsent})
    return got


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
    if res.round_written and res.round_written != rl.round.key:
        rl.findings.add(F.INTAKE_OTHER_ROUND, f"“{res.name}”是 {res.round_written} 轮的填报模板，已按本轮（{rl.round.key}）"
                                              "汇总，请核对其中是否为本月数据。", file=res.name)
    if res.identity.how == "文件名":
        rl.findings.add(F.INTAKE_SUBMITTER_FROM_NAME,
                        f"“{res.name}”中没有填报单位信息，按文件名认定为“{res.identity.unit}”，请核对。", file=res.name)
    return True


def _version_key(res: FileResult) -> tuple:
    """Latest wins: a 最终版/v2/修改版 marker first, then the fill-in template's time (a template issued
    again), then arrival (modification) time. Markers come before the template's time, as a unit that
    corrects its filled template by hand sends a 修改版 without one."""
    return (_marker(res), res.generated or dt.datetime.min, res.source.mtime or dt.datetime.min, res.name)


def _marker(res: FileResult) -> int:
    for pattern, rank in _MARKERS:
        m = pattern.search(res.source.stem)
        if m:
            return rank if rank is not None else int(next(g for g in m.groups() if g))
    return 0


def _why_newer(old: FileResult, new: FileResult) -> str:
    if _marker(new) != _marker(old):
        return "标明为修改版或最终版"
    if (new.generated or dt.datetime.min) != (old.generated or dt.datetime.min):
        return "用的是较新的填报模板"
    return "送达较晚"


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
    """Merge one accepted submission into the round ledger.

    A table is read column by column (merge_grid): what a text means — a status, a note, a number written as
    text — is worked out once per distinct text, as a file repeats the same few down its rows, and numbers
    come from the reader as floats already. A row whose every cell is plain (a known task, nothing to
    report about it) is merged straight from those columns; every other row — a blind cell, an unknown task
    or region, a duplicate, anything a finding is about — goes through merge_row, cell by cell, which is the
    reference for what a row gives. So the fast path decides only which rows it may take, never a finding.
    """

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
        self.packed: list[tuple] = []  # a tuple of _PACKED per merged row, in row order
        self.nameless: list[RawRow] = []  # rows with neither a task code nor a name
        self.at: dict[tuple[str, str], int] = {}  # key → its row's index in packed
        self.sheet_regions: dict[str, object] = {}  # sheet name → the region it names (None: none)

    def add(self, ftype, message: str, row: RawRow, key: str | None = None, cell: RawCell | None = None):
        cell = cell or (row.cells.get(key) if key else None)
        col = cell.col if cell else min((c.col for c in row.cells.values()), default=0)
        from .submission_schema import PROGRESS

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
        self.res.packed = _pack(self.packed)  # column by column: see _unpack

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
            self.at[key] = len(self.packed)
            self.packed.append(_packed_row(out))
            return 1
        self.packed[blank] = _packed_row(out)  # the blank row gives way to this one
        sheet, r = self.packed[blank][13], earlier - 1
        self.findings.add(F.INTAKE_DUPLICATE, f"本行未填写，与第 {row.row + 1} 行是同一任务“{task.code}”{self.where(key)}，"
                                              f"采用第 {row.row + 1} 行。", file=self.file, sheet=sheet,
                          cell=cell_ref(r, row.columns.get("code", 0)), field="任务编号", value=task.code)
        return 0

    def blank_duplicate(self, key: tuple[str, str], row: RawRow) -> int | None:
        """The index in `packed` of the row already taken for `key`, when it held nothing the unit fills in
        (the template's row left blank, the unit's filled row further down) and this row holds something."""
        i = self.at.get(key)
        if i is None or not self.reported(row):
            return None
        # value, raw value, status, progress, problems, measures, finish date: all empty
        return i if not any(self.packed[i][j] for j in (3, 4, 6, 8, 9, 10, 11)) else None

    # -- the fast path -------------------------------------------------------------------------------
    def merge_grid(self, grid: Grid) -> None:
        """Merge a table's rows: plain ones from its columns, the others through merge_row, in row order."""
        values = grid.values
        n = len(values)
        if not n:
            return
        width = len(values[0])
        if len(set(map(len, values))) > 1:  # ragged rows (a CSV file): row by row
            for i in range(n):
                self.merge_row(grid.raw_row(i))
            return
        layout = grid.layout
        field_cols, other_cols = layout.plan(width)
        cols = list(zip(*values))
        slow: set[int] = set()  # rows for merge_row
        if layout.blind:
            blind_rows = {r for r, _ in layout.blind}
            slow.update(i for i, r in enumerate(grid.rows) if r in blind_rows)
        fields: dict[str, tuple[list, set]] = {}  # key → its cells (None where empty) and their distinct values
        present: list[tuple[str, int, list[bool] | None]] = []  # RoundRow.columns key, column, non-empty
        for key, col in field_cols:
            cells, mask, distinct = _non_empty(cols[col])
            if cells is not None:
                fields[key] = cells, distinct
                present.append((key, col, mask))
        parts, ragged = [], False
        for col, header, key in other_cols:
            cells, mask, distinct = _non_empty(cols[col])
            if cells is not None:
                parts.append(self.note_column(header, cells, distinct))
                present.append((key, col, mask))
                ragged = ragged or mask is not None
        if "code" not in fields:  # every row is matched by name, and reported: row by row
            for i in range(n):
                self.merge_row(grid.raw_row(i))
            return
        columns = _columns(layout, present, n)
        notes = self.notes_column(parts, n, ragged)

        ledger, ctx, own_region = self.ledger, self.ctx, self.own_region
        tasks_get = ledger.tasks.get
        # a code as written is looked up first: the ledger's codes are normalised text, so a cell equal to
        # one is already normal (and cell_text would give it back); only the others are normalised first
        codes = fields["code"][0]
        tasks = list(map(tasks_get, codes))
        for i in [i for i, task in enumerate(tasks) if task is None]:
            tasks[i] = tasks_get(cell_text(codes[i]))
        cells_of = {key: cells for key, (cells, _) in fields.items()}
        names = cells_of.get("name") or repeat(None, n)
        targets = cells_of.get("target") or repeat(None, n)
        raw_values = cells_of.get("value") or repeat(None, n)
        written_previous = repeat(None, n)
        if "previous" in fields:  # number_value: a number cell is itself; only texts need parsing
            cells, distinct = fields["previous"]
            # a text with 万/亿 scales by the task's unit: its rows go to merge_row (_SCALED)
            parsed = {v: _SCALED if (number := parse_number(v)) and number.scale else number_value(v)
                      for v in distinct if v is None or v.__class__ is str}
            written_previous = [v if v.__class__ is float else parsed[v] if v is None or v.__class__ is str
                                else number_value(v) for v in cells]
        value_texts = _mapped(*fields["value"], _value_text) if "value" in fields else repeat("", n)
        statuses = _mapped(*fields["status"], _status_of) if "status" in fields else repeat(_NO_STATUS, n)
        texts = [_mapped(*fields[k], free_text) if k in fields else repeat("", n)
                 for k in ("progress", "problems", "measures")]
        year = ctx.round.year
        finish = (_mapped(*fields["finish_date"], lambda v: normalize_date(v, year), texts_only=True)
                  if "finish_date" in fields else repeat(("", ()), n))
        if "region" in fields:
            cells, distinct = fields["region"]
            found = {v: self.region_of(v) for v in distinct if v.__class__ is str}
            regions = [found.get(v, _NO_REGION) if v is not None else None for v in cells]
        else:  # a sheet named for a region gives it to every row (merge_row drops it where the task has none)
            regions = repeat(self.sheet_region(layout), n)
        previous, seen, packed, sheet, unit = ctx.previous, self.seen, self.packed, layout.sheet, self.unit
        at = self.at
        is_within = ledger.regions.is_within
        sub_unit, prev_unit = layout.units.get("value"), layout.units.get("previous")  # this table's own
        same_targets: dict[tuple, bool] = {}  # (type, written, target) → _same_target
        for i, (task, r, region, name, written_target, prev_cell, raw, value_text, (status, status_raw, ok),
                progress, problems, measures, (finish_date, date_problems), note, cols_of_row) in enumerate(zip(
                tasks, grid.rows, regions, names, targets, written_previous, raw_values, value_texts, statuses,
                *texts, finish, notes, columns)):
            # what merge_row does, step by step, as long as there is nothing to report; at the first thing
            # to report (or anything out of the ordinary) the row goes to merge_row instead
            try:
                if (task is None or not ok or date_problems or i in slow or (name is not None and name != task.name)
                        or prev_cell is _SCALED or (prev_unit and prev_cell is not None and task.unit
                                                    and unit_factor(prev_unit, task.unit) not in (1.0, None))):
                    raise _Slow
                if region is None:
                    place = own_region or (TOTAL if task.lead == unit else self.place_of(task))
                elif region is _NO_REGION or (own_region and region.code != own_region
                                              and not is_within(region.code, own_region)):
                    raise _Slow
                else:
                    place = region.code
                if place:  # a region's row: the task must be split to it (not a whole-task row written as 湖北省)
                    if place not in task.region_targets:
                        raise _Slow
                    owner, target = task.region_units.get(place, ""), task.region_targets[place]
                else:
                    owner, target = task.lead, task.target
                key = (task.code, place)
                if key in seen:
                    raise _Slow
                if written_target is not None and target is not None and written_target != target.raw:
                    same = same_targets.get((written_target.__class__, written_target, id(target)))
                    if same is None:
                        same = same_targets[written_target.__class__, written_target, id(target)] = \
                            _same_target(written_target, target)
                    if not same:
                        raise _Slow
                if raw is None:
                    value = None
                elif sub_unit and task.unit and unit_factor(sub_unit, task.unit) not in (1.0, None):
                    raise _Slow  # 累计完成（个） for a task counted in 万个: converted, and said so, in merge_row
                elif raw.__class__ is float and raw >= 0 and (raw >= 1 or raw == 0
                                                              or not is_pct_unit(task.unit or sub_unit)):
                    value = raw  # a plain number: what normalize_value gives it
                else:
                    value, value_problems = normalize_value(raw, task.unit or sub_unit,
                                                            qualitative=_qualitative(target))
                    if value_problems:
                        raise _Slow
                prev = previous.get(key)
                if prev is None:
                    prev = prev_cell
                if value is not None:  # check_consistency
                    if prev is not None and value < prev:
                        raise _Slow
                    goal = target.value if target is not None else None
                    if goal and ((value > FAR_ABOVE_FACTOR * goal and not task.lower_is_better(target))
                                 or (status == "已完成" and task.meets(target, value) is False)):
                        raise _Slow
                if status == "滞后" and not problems:
                    raise _Slow
            except _Slow:
                self.merge_row(grid.raw_row(i))
                continue
            seen[key] = r + 1
            at[key] = len(packed)
            packed.append((task.code, place, owner, value, value_text, prev, status, status_raw, progress,
                           problems, measures, finish_date, note, sheet, r, cols_of_row))

    def region_of(self, text: str):
        """The region a cell names, as match_key finds it (_NO_REGION when it names none)."""
        return self.find_region(cell_text(text)) or _NO_REGION

    def find_region(self, name: str):
        """The region a name names: one under the unit's own first ('城关镇' style duplicates), then any."""
        own_region, regions = self.own_region, self.ledger.regions
        return (own_region and regions.match(name, within=own_region)) or regions.match(name)

    def note_column(self, header: str, cells: list, distinct: set) -> list[str | None]:
        """'header：text' for each non-empty cell of another column (None where empty), as notes_of has it."""
        known = self.note_parts

        def part(v: Any) -> str | None:
            if v is None:
                return None
            if isinstance(v, str):
                return known.setdefault((header, v), f"{header}：{free_text(v)}")
            return f"{header}：{free_text(v)}"
        return _mapped(cells, distinct, part)

    def notes_column(self, parts: list[list[str | None]], n: int, ragged: bool) -> list[str]:
        """Each row's notes, made once for each distinct combination of parts (a file repeats a few)."""
        if not parts:
            return [""] * n
        intern = self.notes.setdefault
        if all(part.count(part[0]) == n for part in parts):  # the same in every row (责任人, 联系电话)
            combo = [part[0] for part in parts]
            text = "；".join([p for p in combo if p is not None])
            return [intern(text, text)] * n
        joined = {}
        for combo in dict.fromkeys(zip(*parts)):
            text = "；".join([p for p in combo if p is not None] if ragged else combo)
            joined[combo] = intern(text, text)
        return list(map(joined.__getitem__, zip(*parts)))

    def where(self, key: tuple[str, str]) -> str:
        return _where(self.ledger, key)

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
        return any(key in row.fields for key in FILLED) or any(
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
        self.check_consistency(row, task, out, target)
        if row.layout.blind:
            self.check_blind(row)

    def check_blind(self, row: RawRow) -> None:
        """A formula without a cached value or an error value in any other cell of the row: it is read as
        blank (never as 0), and said so. (The 累计完成 cell is reported by fill_value.)"""
        from .submission_schema import PROGRESS

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
        out.value, problems = normalize_value(value, unit, qualitative=_qualitative(target))
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
        if "target" in fields and target is not None and not _same_target(fields["target"], target):
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


def _qualitative(target) -> bool:
    """A target that is not a number ('实现全覆盖'): a text in 累计完成 is an answer, not an error."""
    return target is not None and target.kind is TargetKind.QUALITATIVE


def _leading_cell(row: RawRow) -> RawCell | None:
    """The row's leftmost non-empty cell."""
    return min([*row.cells.values(), *row.extras.values()], key=attrgetter("col"), default=None)


def _leading_text(row: RawRow) -> str:
    cell = _leading_cell(row)
    return cell_text(cell.value) if cell else ""


class _Slow(Exception):
    """A row the fast path leaves to merge_row."""


_NO_STATUS = (None, "", True)
_NO_REGION = object()  # a region cell naming no known region
_PRINTED = {"序号", "序", "编号", "行号", "行次", "排序"}  # columns a table numbers its rows with
_SCALED = object()  # a 上月累计完成 text with 万/亿, scaled by the task's unit in merge_row


def _value_text(raw: Any) -> str:
    """cell_text, its usual case first: a whole number (most 累计完成 cells)."""
    return str(int(raw)) if raw.__class__ is float and raw.is_integer() else cell_text(raw)


def _status_of(raw: Any) -> tuple[str | None, str, bool]:
    """(status, as written, whether nothing is to be reported about it) of a 进展状态 cell."""
    status, problems = normalize_status(raw)
    return status, free_text(raw), not problems


def _non_empty(column: tuple) -> tuple[tuple | list | None, list[bool] | None, set | None]:
    """A column's cells with None for each empty one (blank or spaces, as _raw_row decides), which are not
    empty, and the distinct values of the cells: (the column, None, …) when none is empty, and
    (None, None, None) when all are."""
    distinct = set(column)
    empty = {v for v in distinct if v is None or (isinstance(v, str) and (not v or v.isspace()))}
    if not empty:
        return column, None, distinct
    if len(empty) == len(distinct):
        return None, None, None
    distinct -= empty
    distinct.add(None)
    cells = [None if v in empty else v for v in column]
    return cells, [v is not None for v in cells], distinct


def _columns(layout, present: list[tuple[str, int, list[bool] | None]], n: int) -> list[dict[str, int]]:
    """RoundRow.columns of each row: the layout's one shared dict for each set of non-empty columns."""
    mixed = [j for j, (_, _, mask) in enumerate(present) if mask is not None]
    if not mixed:
        return [layout.shared({key: col for key, col, _ in present})] * n
    by_pattern: dict[tuple[bool, ...], dict[str, int]] = {}
    for pattern in dict.fromkeys(zip(*(present[j][2] for j in mixed))):
        empty = {j for j, filled in zip(mixed, pattern) if not filled}
        by_pattern[pattern] = layout.shared({key: col for j, (key, col, _) in enumerate(present) if j not in empty})
    return list(map(by_pattern.__getitem__, zip(*(present[j][2] for j in mixed))))


def _mapped(cells: list, distinct: set, fn, texts_only: bool = False) -> list:
    """fn of each cell (None for an empty one), worked out once per distinct value — a file repeats the same
    texts and numbers down its rows. Equal values must give equal results: 1 and 1.0 (and 0.0 and -0.0) are
    one key, which suits cell_text and what is made from it; True == 1 does not, so a column holding a
    True or False is worked out cell by cell. With `texts_only`, only texts are looked up once."""
    if texts_only:
        table = {v: fn(v) for v in distinct if v is None or v.__class__ is str}
        return [table[v] if v is None or v.__class__ is str else fn(v) for v in cells]
    # a set keeps one of True and 1, so the cells themselves are looked at for a bool
    if (True in distinct or False in distinct) and any(v.__class__ is bool for v in cells):
        return [fn(v) for v in cells]
    table = {v: fn(v) for v in distinct}
    return list(map(table.__getitem__, cells))


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


_CHANGE_FIELDS = {"value": "累计完成", "status": "进展状态", "problems": "存在问题"}


def _list_changes(rl: RoundLedger, old: FileResult, new: FileResult, unit: str) -> None:
    """What changed between a unit's previous and latest file, for the audit trail: compared row by row as
    merged (task and region as matched, 合计 and county rows as the round reads them, values as numbers — 82.1
    and 82.1% of a % task are one value), each change named at the new file's cell."""
    before, after = old.rows, new.rows
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        for name, label in _CHANGE_FIELDS.items():
            shown_was, shown_now = _shown(was, name), _shown(now, name)
            if _compared(was, name) == _compared(now, name):
                continue
            region = _where(rl.ledger, key)
            rl.changes.append({"unit": unit, "task": key[0], "region": region.strip("（）"), "field": label,
                               "old": shown_was, "new": shown_now, "old_file": old.name, "new_file": new.name})
            where = _cell_of(now, name, new.name)
            rl.findings.add(F.INTAKE_CHANGED, f"任务“{key[0]}”{region}的{label}由“{shown_was}”改为“{shown_now}”。",
                            field=label, value=shown_now, **where)
            if name == "value" and was is not None and was.value is not None and (now is None or now.value is None):
                rl.findings.add(F.INTAKE_CLEARED, f"新版本中任务“{key[0]}”{region}的累计完成是空的（旧版本填的是"
                                                  f"“{shown_was}”），请核对是否漏填。", field=label, value="", **where)


def _compared(row: RoundRow | None, field: str):
    if row is None:
        return None
    return {"value": row.value, "status": row.status, "problems": row.problems or None}[field]


def _shown(row: RoundRow | None, field: str) -> str:
    if row is None:
        return ""
    return {"value": row.raw_value, "status": row.status_raw, "problems": row.problems}[field]


def _cell_of(row: RoundRow | None, field: str, file: str) -> dict[str, str]:
    if row is None or row.origin is None:
        return {"file": file}
    _, sheet, r = row.origin
    return {"file": file, "sheet": sheet, "cell": cell_ref(r, row.columns.get(field, row.columns.get("code", 0)))}


def iter_cells(sub: Submission) -> Iterable[tuple[str, str, Any]]:
    """(sheet, A1, value) of every non-empty cell of every recognised data row."""
    for row in sub.rows:
        for cell in [*row.cells.values(), *row.extras.values()]:
            yield row.sheet, cell_ref(row.row, cell.col), cell.value
