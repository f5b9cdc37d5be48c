"""`collect`: merge a month's submissions into the round ledger, losing nothing.

Every non-empty cell of every recognised data row ends up either merged (with its provenance) or named in
a finding; whole files that cannot be used are named in a file-level finding.

Read top to bottom: the files are found (discover) and worked on by a team of processes (parallel), each
file parsed, its unit identified and its rows merged (process_file: merge, merge_columns) into a FileResult
(results); the main process takes each accepted file as it comes, picks each unit's latest version
(versions), takes the winners' rows, names conflicts, what each unit left out and who sent nothing.
"""
from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import groupby, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import memory
from ..memory import gc_paused, round_too_large
from ..model import findings as F
from ..model.findings import cell_ref
from ..model.round_ledger import NO_TABLE, TOTAL, UNREADABLE, FileRecord, RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..progress import Progress, Silent
from .arrival import BY_MTIME, dated
from .discover import Source, discover
from .file_cache import FileCache
from .identify import BY_LEAD, from_file_name, from_sender, identify, identify_sheets, named_in_path
from .merge import Context
from .merge_columns import ColumnMerger
from .messages import MESSAGE_SUFFIXES
from .parallel import in_parallel
from .results import FileResult, where
from .submission import Submission, parse_submission
from .versions import list_changes, version_key, why_newer

STEP = "汇总报送"  # the progress step
# Findings that name a whole row: every cell of that row is accounted for by them.
ROW_FINDINGS = {F.INTAKE_UNKNOWN_TASK.code, F.INTAKE_TOTAL_ROW.code, F.INTAKE_UNKNOWN_REGION.code,
                F.INTAKE_REGION_NOT_COVERED.code,
                F.INTAKE_DUPLICATE.code, F.INTAKE_CONFLICT.code}
# A file modified this long after the deadline was copied or restored, not sent late: no 迟报 hint for it.
MTIME_HINT_SPAN = dt.timedelta(days=62)
# Findings that name a whole file.
FILE_FINDINGS = {F.INTAKE_UNSUPPORTED.code, F.INTAKE_UNREADABLE.code, F.INTAKE_NO_TABLE.code,
                 F.INTAKE_UNKNOWN_SUBMITTER.code, F.INTAKE_SUPERSEDED.code}


@dataclass
class Collected:
    """A round ledger together with the files it was made from."""

    round_ledger: RoundLedger
    sources: dict[str, Source]  # file name → the submitted file
    winners: dict[str, str]  # unit → winning file name
    reused: list[str] = field(default_factory=list)  # files unchanged since the last run: not read again


@dataclass
class _Context(Context):
    """What every file is checked against (Context), and where results kept from the last run are; and what
    only the main process needs to know of the ledger, worked out there while the workers read files."""

    cache: FileCache | None = None

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


_CONTEXT: _Context | None = None  # what process_file works in: set by _use in each process


def collect(ledger: AnnualLedger, rnd: Round, source: str | Path | list[str | Path],
            previous: Mapping[tuple[str, str], float] | None = None, workers: int | None = None,
            progress: Progress | None = None, cache: FileCache | None = None,
            received: dt.date | dt.datetime | None = None,
            uploaded: Mapping[str, dt.datetime] | None = None) -> Collected:
    """The round ledger from the submissions in `source` (a folder or a zip, or several). `previous`: last
    round's cumulative values by (task, region), for the 低于上期 check. `workers`: how many processes read
    the files, this one included (default: one per core, at most 4; 1 reads them all here). `progress`:
    advanced once per file read, under the step 汇总报送. `cache`: results kept from the last run, for the
    files that did not change (see file_cache). `received`: when the files that did not come by e-mail and
    are not in a 收件登记 arrived; `uploaded`: file → when it was uploaded on the web page (see arrival.py)."""
    with gc_paused():
        return _collect(ledger, rnd, source, previous, workers, progress or Silent(), cache, received, uploaded)


def _collect(ledger: AnnualLedger, rnd: Round, source: str | Path | list[str | Path],
             previous: Mapping[tuple[str, str], float] | None, workers: int | None,
             progress: Progress, cache: FileCache | None,
             received: dt.date | dt.datetime | None = None,
             uploaded: Mapping[str, dt.datetime] | None = None) -> Collected:
    rnd = ledger.round(rnd)
    rl = RoundLedger(ledger, rnd)
    arrivals = dated([s for one in (source if isinstance(source, list) else [source]) for s in discover(one)],
                     rnd.year, received, uploaded)
    sources, rl.arrival = arrivals.sources, arrivals.how
    for file, problem in arrivals.problems:
        rl.findings.add(F.INTAKE_ARRIVAL_REGISTER, problem, file=file)
    progress.start(STEP, total=len(sources))
    ctx = _Context(ledger, rnd, previous or {}, cache)
    groups: dict[str, list[FileResult]] = {}
    kept: dict[str, str] = {}  # file name → its cache entry
    reused: list[str] = []
    with in_parallel(sources, _read, workers, setup=_use, context=ctx, lost=_crashed,
                     arrived=attrgetter("rows")) as results:  # rows made while the workers read the next files
        # while the other processes read files: who is expected, and the round's rows in ledger order, each
        # None until a winning file gives it (a row is made only for what nobody sent, at the end)
        expecting = ctx.submitters()
        got: dict[tuple[str, str], RoundRow | None] = ctx.rows()
        # As long as every file is its unit's only one and gives rows no other file gives, which file wins
        # and what conflicts is already known: its rows are taken as it comes, not all after the last.
        early = True
        held = 0  # merged rows of the files kept so far: the round's budget (a file's read rows are gone)
        for whole in results:
            progress.advance(STEP)
            if whole.cache_key:
                kept[whole.name] = whole.cache_key
            if whole.reused:
                reused.append(whole.name)
            for res in whole.parts or (whole,):
                held += res.kept
                if held > memory.BUDGET.round_rows and not res.error:
                    res.error = round_too_large(res.name)
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
    if cache is not None:
        cache.keep_only(set(kept.values()))
    return Collected(rl, {s.name: s for s in sources}, winners, reused)


def _take_winners(rl: RoundLedger, ctx: _Context, groups: dict[str, list[FileResult]],
                  got: dict[tuple[str, str], RoundRow | None], taken: bool) -> dict[str, str]:
    """Each unit's latest file wins and gives its rows (unless `taken`: they are in `got` already); the
    versions it replaced are listed, with what changed. Unit → winning file."""
    rnd = rl.round
    winners: dict[str, str] = {}
    for unit in sorted(groups):
        versions = sorted(groups[unit], key=version_key)
        winner = versions[-1]
        for old in versions[:-1]:
            rl.findings.add(F.INTAKE_SUPERSEDED, f"“{old.name}”已被同单位的“{winner.name}”（{why_newer(old, winner)}）"
                                                 "替代，未汇总。", file=old.name)
            rl.files.append(_record(rl, old, "被替代", rows=old.row_count))
        record = _record(rl, winner, "采用")
        record.late = _is_late(winner.source, rnd)
        if record.late:
            rl.findings.add(F.INTAKE_LATE, f"“{winner.name}”{_came(winner.source)}，晚于截止日期 {rnd.deadline:%Y-%m-%d}。",
                            file=winner.name)
        elif _late_by_mtime(winner.source, rnd):
            rl.findings.add(F.INTAKE_LATE_BY_MTIME, f"“{winner.name}”的文件修改时间为 {winner.source.mtime:%Y-%m-%d %H:%M}，"
                                                    f"晚于截止日期 {rnd.deadline:%Y-%m-%d}；按文件修改时间判断，可能不准，未计为迟报。"
                                                    "如确系迟报，请在收件登记中写明收到时间，或用 --received 指定。",
                            file=winner.name)
        _left_out(rl, ctx.owned.get(unit, []), winner)
        if taken:  # its rows are in already, and nobody else's are among them
            rl.findings.extend(winner.findings)
            record.rows = len(winner.rows)
        else:
            record.rows = _apply(rl, winner, got)
        rl.files.append(record)
        winners[unit] = winner.name
        if len(versions) > 1:
            list_changes(rl, versions[-2], winner, unit)
    return winners


def _read(source: Source) -> FileResult:
    """process_file's result, or the one kept from the last run when the file has not changed since."""
    cache = _CONTEXT.cache
    if cache is None:
        return process_file(source)
    try:
        data = source.read_bytes()
    except Exception:  # not readable: process_file says why
        return process_file(source)
    key = cache.key(source, data)
    del data  # process_file reads the file again: two copies of a big one (a CSV of 1M rows: 65 MB) at once
    res = cache.get(key, source)
    if res is not None:
        res.reused = True
    else:
        res = process_file(source)
        cache.put(key, res)
    res.cache_key = key
    return res


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
            ColumnMerger(ctx, replace(sub, grids=grids, _rows=None), part).merge()
            res.parts.append(part)
        res.parts[0].findings[:0] = res.findings  # what was said of the whole file (a sheet not read)
        return res
    res.identity = identify(sub, ctx.ledger, source.letter.sender if source.letter else "")
    if res.identity is not None:
        _name_differs(sub, ctx.ledger, res)
        _sender_differs(sub, ctx.ledger, res)
        ColumnMerger(ctx, sub, res).merge()
    return res


def _use(ctx: _Context) -> None:
    """The context process_file works in, set once in each process that reads files."""
    global _CONTEXT
    _CONTEXT = ctx


def _crashed(source: Source) -> FileResult:
    """The result of a file whose reading killed the process reading it."""
    return FileResult(source, error=f"读取文件“{source.name}”时读取程序异常退出，文件可能已损坏。请用 Excel 或 WPS 打开后"
                                    "另存为 .xlsx 再报送。")


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


def _sender_differs(sub: Submission, ledger: AnnualLedger, res: FileResult) -> None:
    """A file whose content names one unit, mailed from another unit's 联系邮箱: content decides (a unit
    may send for another, or reuse another's file); the clerk is asked to check."""
    letter = res.source.letter
    by_mail = from_sender(letter.sender, ledger) if letter else None
    if by_mail and res.identity.how != "发件人" and by_mail.unit != res.identity.unit:
        F.Findings(res.findings).add(
            F.INTAKE_SENDER_DIFFERS, f"“{sub.name}”的{res.identity.how}为“{res.identity.unit}”，发件人 {letter.sender} 却是"
                                     f"“{by_mail.unit}”的联系邮箱，已按“{res.identity.unit}”汇总，请核对。",
            file=sub.name, field="报送单位", value=res.identity.unit)


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
            cell = dict(file=file, sheet=sheet, cell=cell_ref(r, row.columns.get("code", 0)), field="任务编号",
                        value=key[0])
            if current.owner != unit:
                rl.findings.add(F.INTAKE_CONFLICT, f"任务“{key[0]}”{where(rl.ledger, key)}已由{current.submitter}"
                                                   "报送，本行未汇总。", **cell)
                continue
            rl.findings.add(F.INTAKE_CONFLICT, f"任务“{key[0]}”{where(rl.ledger, key)}也由{current.submitter}"
                                               "报送，采用本单位的数值。", **cell)
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
            findings.add(F.INTAKE_TASK_MISSING, f"任务“{task.code} {task.name}”{where(rl.ledger, key)}未填报。",
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


def _accept(rl: RoundLedger, res: FileResult) -> bool:
    """File-level checks: readable, has a table, has a known submitter."""
    letter = res.source.letter
    said = f"（邮件：{letter.describe()}）" if letter and letter.describe() not in (res.error or "") else ""
    if res.error:
        no_table = "找不到进展填报表" in res.error
        ftype = (F.INTAKE_MESSAGE if res.source.suffix in MESSAGE_SUFFIXES and letter
                 else F.INTAKE_MESSAGE_OTHER if letter and not res.source.readable
                 else F.INTAKE_UNSUPPORTED if not res.source.readable
                 else F.INTAKE_NO_TABLE if no_table else F.INTAKE_UNREADABLE)
        rl.findings.add(ftype, res.error + said, file=res.name)
        # whose file it was, by its name: the unit is told why nothing of it was taken, in its own findings
        named = named_in_path(res.name, rl.ledger) if res.source.readable else None
        rl.files.append(replace(_record(rl, res, NO_TABLE if no_table else UNREADABLE),
                                unit=named.unit if named else None, how=named.how if named else ""))
        return False
    if res.identity is None:
        rl.findings.add(F.INTAKE_UNKNOWN_SUBMITTER,
                        f"无法确定“{res.name}”是哪个单位报送的：请使用下发的填报模板，或在表头上方写明“填报单位：××”。{said}",
                        file=res.name)
        rl.files.append(_record(rl, res, "未识别单位", rows=res.row_count))
        return False
    if res.round_written and res.round_written != rl.round.key:
        rl.findings.add(F.INTAKE_OTHER_ROUND, f"“{res.name}”是 {res.round_written} 轮的填报模板，已按本轮（{rl.round.key}）"
                                              "汇总，请核对其中是否为本期数据。", file=res.name)
    if res.identity.how == "发件人":
        rl.findings.add(F.INTAKE_SUBMITTER_FROM_SENDER,
                        f"“{res.name}”中没有填报单位信息，按发件人 {letter.sender} 的联系邮箱认定为“{res.identity.unit}”。",
                        file=res.name)
    if res.identity.how == BY_LEAD:
        rl.findings.add(F.INTAKE_SUBMITTER_FROM_TASKS,
                        f"“{res.name}”中没有填报单位和地区，按其中任务的牵头单位认定为“{res.identity.unit}”，请核对："
                        "如是其他单位报送的，请在表头上方写明“填报单位：××”。", file=res.name)
    if res.identity.how == "文件名":
        rl.findings.add(F.INTAKE_SUBMITTER_FROM_NAME,
                        f"“{res.name}”中没有填报单位信息，按文件名认定为“{res.identity.unit}”，请核对。", file=res.name)
    return True


def _is_late(source: Source, rnd: Round) -> bool:
    """Late by when it arrived: a message's date, a 收件登记's or --received time. Never by a file's
    modification time alone (_late_by_mtime: a hint)."""
    return bool(source.received and rnd.deadline and source.received.date() > rnd.deadline)


def _late_by_mtime(source: Source, rnd: Round) -> bool:
    """A file of unknown arrival modified after the deadline, but not so long after that the time is
    surely a copy's (a round re-run months later, files restored from a backup): then nothing is said."""
    if source.received is not None or not source.mtime or not rnd.deadline:
        return False
    return rnd.deadline < source.mtime.date() <= rnd.deadline + MTIME_HINT_SPAN


def _arrived(source: Source) -> dt.datetime | None:
    return source.received or source.mtime


def _came(source: Source) -> str:
    if source.letter is not None:
        return f"随邮件（{source.letter.describe()}）于 {source.received:%Y-%m-%d %H:%M} 送达"
    return f"送达于 {source.received:%Y-%m-%d %H:%M}"


def _messages(source: Source) -> str:
    """The message a file came in, and the others it came in again (the same file, one submission)."""
    if source.letter is None:
        return ""
    again = "、".join(dict.fromkeys(c.file for c in source.copies if c.file != source.letter.file))
    return f"{source.letter.file}（同一文件又见于：{again}）" if again else source.letter.file


def _record(rl: RoundLedger, res: FileResult, state: str, rows: int = 0) -> FileRecord:
    """The file as 报送文件 lists it: when and how it arrived, and the message it came in."""
    letter = res.source.letter
    return FileRecord(res.name, res.identity.unit if res.identity and state != UNREADABLE else None, state,
                      _arrived(res.source), how=res.identity.how if res.identity else "", rows=rows,
                      arrival=rl.arrival.get(res.name, BY_MTIME), message=_messages(res.source),
                      sender=letter.sender if letter else "", subject=letter.subject if letter else "")


def _missing(rl: RoundLedger, ctx: _Context, expecting: list[str], winners: Mapping[str, str]) -> None:
    for unit in expecting:
        if unit in winners:
            continue
        owned = len(ctx.owned.get(unit, ()))  # the round's rows this unit reports
        found = rl.ledger.units.match(unit)
        label = found.label if found else unit
        rl.missing.append(unit)
        failed = [f for f in rl.files if f.unit == unit and f.state in (UNREADABLE, NO_TABLE)]
        if failed:  # it sent something, which could not be taken: it is told why, not only that it is missing
            rl.findings.add(F.INTAKE_SENT_UNREADABLE, f"{label}报送的文件“{'”“'.join(f.name for f in failed)}”"
                                                      f"{'无法读取' if failed[0].state == UNREADABLE else '中找不到进展填报表'}，"
                                                      f"本轮按未报送处理（应报 {owned} 项），请重新报送。",
                            file=failed[0].name, field="报送单位", value=unit)
            continue
        rl.findings.add(F.INTAKE_MISSING, f"{label}本轮未报送（应报 {owned} 项）。", field="报送单位", value=unit)


def iter_cells(sub: Submission) -> Iterable[tuple[str, str, Any]]:
    """(sheet, A1, value) of every non-empty cell of every recognised data row."""
    for row in sub.rows:
        for cell in [*row.cells.values(), *row.extras.values()]:
            yield row.sheet, cell_ref(row.row, cell.col), cell.value
