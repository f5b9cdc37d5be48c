"""督办通知 (supervision notices): one 公文 per responsible unit with lagging rows or no submission, each with a
整改情况回执 workbook; an index sheet, a zip of everything and a manifest the mail step reads.

Who gets a notice — the rollup's own notion; nothing is judged again here:
- every unit owning a row whose class is in rollup.status.LAGGING: 滞后, 严重滞后, 逾期未完成, 未启动 and 未报送
  (a row nobody reported). A row's owner is RoundRow.owner: the lead department for a task's whole-task row,
  the region government (Task.region_units) for a region row of a decomposed task;
- every unit in RoundLedger.missing (sent nothing); the rows it owes are its 未报送 rows.
Units with nothing lagging get nothing. Lagging rows nobody owns cannot be addressed: NoticeSet.unaddressed.

Numbering: 督办编号 from the [notices] pattern, sequential in AnnualLedger.submitters() order (the units
sheet's), from `first`. Written into a workspace, a round continues after the highest number the year's earlier
rounds issued (their 清单.json), so numbers stay unique over the year; re-running a round keeps the numbers its
earlier run gave (its own 清单.json), and a unit newly to be urged gets the next one, so a notice already sent
never changes its number.
Level: the highest Escalation.level over the unit's rows (提醒 < 督办 < 通报约谈).
整改期限 (also the 回执's): the issue date plus [notices] days, in calendar days. The issue date defaults to the
round's 报送 deadline, as the bulletin's does.
Wording is in templates/notices/*.j2; Python holds only labels (table headers, file names). The [notices]
settings (numbering, 整改期限, contact) are read by render/notice_settings.py.
Speed: the docx and PDFs are written by worker processes when there are enough to pay for starting them (in
a batch a notice's PDF takes about 80 ms of CPU, its Word file 25 ms), while this process writes the 回执; what
every worker would load first (jieba, WeasyPrint, the fonts) is loaded here once before they are forked
(formats.preload). Workers are forked when this process runs no other thread, else spawned (the CLI's progress thread might hold a lock a forked child would wait on forever;
spawned workers need the usual `if __name__ == "__main__":` guard in a script). bench/bench_notices.py.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import xlsxwriter
from jinja2 import Environment, TemplateError

from ..files import atomic_path, safe_filename, unique_filename, write_text
from ..model.round_ledger import TOTAL, RoundRow
from ..model.schedule import Round, parse_round
from ..progress import Silent
from ..rollup.status import LAGGING, Judgement, Status
from ..rollup.summary import Rollup, figure, shown_status
from ..workers import forks, start_method
from .bulletin import SEVERITY, TABLE_WAN_PLACES, _target_text, paragraphs
from .document import (FORMATS, Attachment, Block, Document, Heading, Table, check_formats, gongwen_date,
                       issue_day)
from .excel import write_table
from .formats import preload, write_documents
from .notice_settings import NoticeSettings, load_notice_settings  # noqa: F401 — load_notice_settings for callers
from .reply_form import SHEET as REPLY_SHEET, STATES, ReplyForm, ReplyRow, fill_columns, write_reply_form
from .wording import MISSING, WordingError, cn_numeral, environment, fmt_number, fmt_percent, render

if TYPE_CHECKING:
    from ..progress import Progress

LEVELS = ("", "提醒", "督办", "通报约谈")  # what Escalation.level returns, lowest first
STEP = "督办通知"  # the progress step
INDEX_NAME = "督办通知清单.xlsx"
MANIFEST_NAME = "清单.json"
PACKED_SUFFIXES = (".pdf", ".docx", ".xlsx")  # compressed formats: stored as they are in the zip
PDF_SECONDS, DOCX_SECONDS, PARALLEL_SECONDS = 0.1, 0.03, 2.0  # see _workers
BATCH_MAX = 40  # notices laid out in one PDF pass (see _slices)

INTRO, TITLE, ANNEX_TITLE, GUIDE = ("notices/intro.j2", "notices/title.j2", "notices/annex_title.j2",
                                    "notices/reply_guide.j2")
SECTIONS = ("notices/problems.j2", "notices/requirements.j2", "notices/reply.j2")
DETAIL_HEADERS = ["任务编号", "任务名称", "地区", "年度目标", "累计完成", "完成率", "序时进度", "差距（百分点）", "状态",
                  "连续滞后期数", "督办级别"]
# In characters of 4号 on the landscape page (about 45 a line, cell padding included): codes and numbers cannot
# wrap, names can. No 序号 column: the 任务编号 names each row, and a twelfth column would squeeze the codes.
PLACE = DETAIL_HEADERS.index("地区")
INDEX_HEADERS = ["督办编号", "单位", "类型", "滞后任务数", "未报送", "最高督办级别", "整改期限", "文件"]
ROWS_HEADERS = ["督办编号", "单位", "任务编号", "任务名称", "地区", "状态", "完成率", "序时进度", "差距（百分点）",
                "连续滞后期数", "督办级别"]


# --------------------------------------------------------------------------- rows and notices


@dataclass(frozen=True)
class NoticeRow:
    """One lagging task × region row as a notice lists it."""

    code: str
    region: str  # region code, '' for the whole task
    name: str
    place: str  # 地区 as written: the region, or the office's scope (全省, 全市) for a whole-task row
    status: Status
    target: str  # 年度目标, formatted
    value: str  # 累计完成, formatted; without a number: 未报送, a qualitative target's 进展状态, else —
    completion: float | None
    time_progress: float
    gap: float | None
    runs: int  # consecutive lagging rounds
    level: str  # Escalation.level(runs)

    def context(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "place": self.place, "status": self.status.value,
                "gap": self.gap, "completion": self.completion, "time_progress": self.time_progress,
                "runs": self.runs, "level": self.level, "target": self.target, "value": self.value}

    def cells(self) -> list[Any]:
        return [self.code, self.name, self.place, self.target, self.value, fmt_percent(self.completion),
                fmt_percent(self.time_progress), signed_points(self.gap), self.status.value, self.runs,
                self.level or MISSING]

    def situation(self) -> str:
        """本期情况 in the 回执: the class and the figures behind it."""
        if self.status is Status.NOT_REPORTED:
            return self.status.value
        done = f"，完成率{fmt_percent(self.completion)}" if self.completion is not None else ""
        return f"{self.status.value}{done}，序时进度{fmt_percent(self.time_progress)}"


def signed_points(gap: float | None) -> str:
    """A gap in percentage points with its sign, one decimal, half up: -41.37 → '-41.4'."""
    if gap is None:
        return MISSING
    return ("-" if gap < 0 else "+") + fmt_percent(abs(gap)).rstrip("%")


@dataclass
class Notice:
    unit: str  # canonical unit name (the units sheet's)
    label: str  # short name used in documents
    seq: int
    number: str  # 督办编号
    rows: list[NoticeRow]
    level: str  # highest over the rows
    missing: bool  # the unit sent nothing this round
    issue_date: dt.date
    deadline: dt.date  # 整改期限
    base: str  # file name base, unique in the round
    document: Document | None = None
    reply: ReplyForm | None = None

    @property
    def kind(self) -> str:
        """类型 in the index: 未报送 (sent nothing), 进度滞后, 漏报 (sent a file without some rows), joined."""
        reported = [r for r in self.rows if r.status is not Status.NOT_REPORTED]
        parts = ["未报送"] if self.missing else []
        if reported:
            parts.append("进度滞后")
        if not self.missing and len(reported) < len(self.rows):
            parts.append("漏报")
        return "、".join(parts)

    @property
    def stem(self) -> str:
        return safe_filename(f"{self.base}_督办通知")

    @property
    def docx_name(self) -> str:
        return f"{self.stem}.docx"

    @property
    def pdf_name(self) -> str:
        return f"{self.stem}.pdf"

    @property
    def reply_name(self) -> str:
        return safe_filename(f"{self.base}_整改情况回执.xlsx")

    def file_names(self, formats: Iterable[str] = FORMATS) -> list[str]:
        """The notice's files in the order the manifest lists them: docx, pdf, 回执."""
        names = {"docx": self.docx_name, "pdf": self.pdf_name}
        return [names[f] for f in FORMATS if f in formats] + [self.reply_name]


def lagging_by_unit(ro: Rollup) -> dict[str, list[NoticeRow]]:
    """The rollup's lagging rows (class in LAGGING) by owning unit, in ledger order; '' holds unowned rows."""
    out: dict[str, list[NoticeRow]] = defaultdict(list)
    for key, row in ro.round_ledger.rows.items():
        judgement = ro.judgements.get(key)
        if judgement is not None and judgement.status in LAGGING:
            out[row.owner].append(_notice_row(ro, row, judgement))
    return dict(out)


def _notice_row(ro: Rollup, row: RoundRow, j: Judgement) -> NoticeRow:
    task = ro.ledger.tasks[row.task]
    whole = row.region == TOTAL
    target = task.target if whole else task.region_targets.get(row.region)
    unit = (target.unit if target else None) or task.unit
    if figure(target, row.value) is not None:  # a qualitative target shows its status, never a 0
        value = fmt_number(row.value, unit, TABLE_WAN_PLACES)
    else:
        value = Status.NOT_REPORTED.value if j.status is Status.NOT_REPORTED else (shown_status(target, row.status)
                                                                                      or MISSING)
    runs = ro.consecutive.get((row.task, row.region), 1)
    place = ro.whole_name(task) if whole else ro.region_name(row.region)
    return NoticeRow(row.task, row.region, task.name, place, j.status, _target_text(target), value, j.completion,
                     j.time_progress, j.gap, runs, ro.escalation.level(runs))


def build_notices(ro: Rollup, settings: NoticeSettings, issue_date: dt.date | None = None, *,
                  first: int | None = None, templates_dir: str | Path | None = None,
                  groups: Mapping[str, list[NoticeRow]] | None = None,
                  kept: Mapping[str, int] | None = None) -> list[Notice]:
    """One Notice (with its Document and 回执 content) per unit owning lagging rows or missing, in units-sheet
    order, numbered from `first` (default settings.first). `groups`: lagging_by_unit(ro), when the caller has it.
    `kept`: unit → the sequence number an earlier run of this round gave it; those units keep it, and the
    others are numbered after the highest kept, so a notice already sent never changes its number."""
    rnd = ro.round_ledger.round
    day = issue_day(rnd, issue_date)
    deadline = day + dt.timedelta(days=settings.days)
    groups = lagging_by_unit(ro) if groups is None else groups
    missing = set(ro.round_ledger.missing)
    env = _Templates(environment(templates_dir))
    kept = kept or {}
    following = max([settings.first if first is None else first, *(n + 1 for n in kept.values())])
    notices, used = [], set()
    held = {h.submitter for h in ro.held}  # a figure to confirm or correct is worth a notice of its own
    for unit in _addressees(ro, set(groups) | missing | held):
        if unit in kept:
            seq = kept[unit]
        else:
            seq, following = following, following + 1
        rows = groups.get(unit, [])
        label = ro.label(unit)
        notice = Notice(unit, label, seq, settings.number_for(rnd.year, seq, rnd.month), rows,
                        _highest(ro, rows), unit in missing, day, deadline, _unique_base(label, unit, used))
        context = notice_context(ro, settings, notice)
        notice.document = _document(env, settings, notice, context)
        notice.reply = _reply(env, ro, notice, context)
        notices.append(notice)
    return notices


def _addressees(ro: Rollup, units: set[str]) -> list[str]:
    """Named units in the units sheet's order (submitters first), others by name; never the '' of unowned rows."""
    order = {name: i for i, name in enumerate(ro.ledger.submitters())}
    return sorted((u for u in units if u), key=lambda u: (u not in order, order.get(u, 0), u))


def _highest(ro: Rollup, rows: list[NoticeRow]) -> str:
    if not rows:  # a unit that sent nothing but whose rows others reported: first-round level
        return ro.escalation.level(1)
    return max((r.level for r in rows), key=lambda level: LEVELS.index(level) if level in LEVELS else 0)


BASE_BYTES = 150  # of a unit's part of its notice's file names, leaving room for _督办通知.docx and the like


def _unique_base(label: str, unit: str, used: set[str]) -> str:
    """Two units never share a file (Windows compares names without case): the label, else the full name."""
    for base in (label, unit):
        base = safe_filename(base, limit=BASE_BYTES)
        if base.casefold() not in used:
            used.add(base.casefold())
            return base
    return unique_filename(label, used, limit=BASE_BYTES)


# --------------------------------------------------------------------------- content


class _Templates:
    """The notice templates, checked once per build — every notice has the same variables, and checking
    parses the template, which would be most of the build — then rendered directly."""

    def __init__(self, env: Environment):
        self.env = env
        self.checked: dict[str, Any] = {}  # name → compiled template

    def module(self, name: str, context: Mapping[str, Any]):
        if name in self.checked:
            try:
                return self.checked[name].make_module(dict(context))
            except TemplateError:
                pass  # rendered again below, to raise the clerk-readable WordingError
        module = render(self.env, name, context)
        self.checked[name] = self.env.get_template(name)
        return module

    def text(self, name: str, context: Mapping[str, Any]) -> str:
        """A one-line template, as wording.render_text."""
        return "".join(line.strip() for line in str(self.module(name, context)).splitlines())


def notice_context(ro: Rollup, settings: NoticeSettings, notice: Notice) -> dict[str, Any]:
    """Every variable the notice templates may use (templates/notices/intro.j2 lists them)."""
    rnd, office, rows = ro.round_ledger.round, settings.office.fitted(ro.ledger), notice.rows
    counts = Counter(r.status for r in rows)
    repeated = sorted((r.context() for r in rows if r.runs > 1), key=lambda r: -r["runs"])
    unreported = counts.get(Status.NOT_REPORTED, 0)
    return {
        "office": office, "scope": office.scope, "unit": notice.unit, "label": notice.label,
        "number": notice.number, "level": notice.level, "missing": notice.missing,
        "rows": [r.context() for r in rows], "lagging_count": len(rows) - unreported, "not_reported_count": unreported,
        "classes": [{"status": s.value, "count": counts[s]} for s in sorted(counts, key=lambda s: SEVERITY.get(s, 9))],
        "repeated": repeated, "max_runs": max((r.runs for r in rows), default=0),
        "round_label": rnd.label, "round_end": rnd.end, "issue_date": notice.issue_date,
        "deadline": notice.deadline, "days": settings.days, "reply_file": notice.reply_name,
        "reply_to": settings.reply_to, **settings.contact_fields(),
        "held": [{"task": h.task_name, "region": h.region, "value": fmt_number(h.value, h.measure, TABLE_WAN_PLACES),
                  "target": h.target, "place": h.place, "cell": _cell_words(h.sheet, h.cell)}
                 for h in ro.held if h.submitter == notice.unit],
    }


def _document(env: _Templates, settings: NoticeSettings, notice: Notice, context: dict[str, Any]) -> Document:
    office, day = settings.office, notice.issue_date
    body = [*paragraphs(str(env.module(INTRO, context))), *_sections(env, context)]
    attachments = ([Attachment(1, env.text(ANNEX_TITLE, context), [detail_table(notice.rows)])]
                   if notice.rows else [])
    # Every notice has a 版记 (印发机关, 印发日期; 抄送 when the office has one): it joins the last page when
    # that page is even and has room, else it takes the next even page, as GB/T 9704 asks.
    return Document(issuer=office.issuer, title=env.text(TITLE, context), body=body,
                    doc_number=notice.number, addressee=f"{notice.unit}：", attachments=attachments,
                    signature=office.signature, date=day, cc=settings.cc,
                    printed_by=office.printed_by, print_date=day)


def _sections(env: _Templates, context: dict[str, Any]) -> list[Block]:
    """一、二、… in order, skipping a section whose template renders nothing."""
    blocks: list[Block] = []
    for name in SECTIONS:
        module = env.module(name, context)
        body = paragraphs(str(module))
        if body:
            number = sum(isinstance(b, Heading) for b in blocks) + 1
            heading = getattr(module, "heading", "") or Path(name).stem
            blocks += [Heading(1, f"{cn_numeral(number)}、{heading}"), *body]
    return blocks


def detail_table(rows: list[NoticeRow]) -> Table:
    """附件: the unit's rows with their figures, the 状态 cell in its class colour. 地区 only when the rows
    differ in it: a region government's rows are all its own region, a department's all whole-task rows."""
    keep = [c for c in range(len(DETAIL_HEADERS)) if c != PLACE or len({r.place for r in rows}) > 1]
    status = keep.index(DETAIL_HEADERS.index("状态"))
    return Table([DETAIL_HEADERS[c] for c in keep], [[r.cells()[c] for c in keep] for r in rows],
                 colours={(i, status): r.status.hex for i, r in enumerate(rows)})


def _reply(env: _Templates, ro: Rollup, notice: Notice, context: dict[str, Any]) -> ReplyForm:
    guide_context = {**context, "title": notice.document.title, "sheet": REPLY_SHEET, "fill_columns": fill_columns(),
                     "states": "、".join(STATES), "example_date": notice.deadline.isoformat()}
    guide = tuple(p.lead + p.text for p in paragraphs(str(env.module(GUIDE, guide_context))))
    rows = tuple(ReplyRow(r.code, r.name, r.place, r.situation(), r.runs, r.level or MISSING) for r in notice.rows)
    ledger = Path(ro.ledger.path).name if ro.ledger.path else ""
    return ReplyForm(notice.unit, notice.label, notice.number, ro.round_ledger.round.key, notice.issue_date,
                     notice.deadline, rows, guide, ledger)


# --------------------------------------------------------------------------- files


@dataclass
class NoticeSet:
    """What write_notices wrote."""

    round: Round
    folder: Path
    notices: list[Notice]
    by_unit: dict[str, list[Path]]  # unit → its docx, pdf and 回执
    index: Path  # 督办通知清单.xlsx
    zip: Path
    manifest: Path  # 清单.json
    unaddressed: list[NoticeRow] = field(default_factory=list)  # lagging rows without an owner
    seconds: dict[str, float] = field(default_factory=dict)  # 文档, 回执, 合计

    @property
    def files(self) -> list[Path]:
        """Every notice's files in notice order (docx, pdf, 回执); the index, zip and manifest are apart."""
        return _flat(self.by_unit)

    def summary(self) -> dict[str, Any]:
        numbers = [n.number for n in self.notices]
        return {"轮次": self.round.key, "通知数": len(self.notices), "单位": [n.label for n in self.notices],
                "督办编号": f"{numbers[0]}—{numbers[-1]}" if len(numbers) > 1 else "".join(numbers),
                "督办级别": dict(Counter(n.level for n in self.notices)),
                "整改期限": gongwen_date(self.notices[0].deadline) if self.notices else "",
                "无责任单位的滞后行": len(self.unaddressed), "文件夹": str(self.folder), "清单": str(self.index),
                "压缩包": str(self.zip), "清单文件": str(self.manifest)}


def write_notices(ro: Rollup, folder: str | Path, office_path: str | Path | None = None,
                  issue_date: dt.date | None = None, formats: tuple[str, ...] = FORMATS, *,
                  first: int | None = None, templates_dir: str | Path | None = None, workers: int | None = None,
                  progress: "Progress | None" = None) -> NoticeSet:
    """Write every notice (docx and/or PDF), its 回执, the index, the zip and 清单.json into `folder`.

    `first`: the first 督办编号 sequence number; default settings.first, or in a workspace one past the year's
    earlier rounds. `workers`: processes for the Word and PDF files (default up to 2; none when there are too
    few documents to pay for them). `progress`: advanced once per notice under the step 督办通知.
    Files the folder's earlier 清单.json listed and this run does not write (units no longer lagging, a format
    not asked for) are removed, so the folder always matches its manifest."""
    check_formats(formats)
    folder, rnd = Path(folder), ro.round_ledger.round
    settings = load_notice_settings(office_path, ro.ledger)
    kept = _numbered(folder / MANIFEST_NAME, settings) if first is None else {}
    first = next_sequence(folder, rnd, settings) if first is None else first
    groups = lagging_by_unit(ro)  # a walk over every judgement: done once, for the notices and the unowned rows
    notices = build_notices(ro, settings, issue_date, first=first, templates_dir=templates_dir, groups=groups,
                            kept=kept)
    folder.mkdir(parents=True, exist_ok=True)
    earlier = _listed_files(folder / MANIFEST_NAME)
    seconds = _render(notices, folder, formats, workers, progress)
    files = {n.unit: [folder / name for name in n.file_names(formats)] for n in notices}
    index = write_index(notices, files, folder / INDEX_NAME)
    manifest = write_manifest(notices, files, folder / MANIFEST_NAME)
    archive = write_archive(folder / safe_filename(f"{rnd.label}督办通知.zip"), [index, *_flat(files)])
    _remove_stale(folder, earlier - {p.name for p in _flat(files)})
    return NoticeSet(rnd, folder, notices, files, index, archive, manifest, groups.get("", []), seconds)


def _flat(files: Mapping[str, list[Path]]) -> list[Path]:
    return [p for paths in files.values() for p in paths]


def _render(notices: list[Notice], folder: Path, formats: tuple[str, ...], workers: int | None,
            progress: "Progress | None") -> dict[str, float]:
    """Each notice's docx and PDF — in worker processes when that pays — while this process writes the 回执.
    The PDFs are laid out a batch of notices at a time (render/pdf_batch.py), one batch per worker or more.
    Returns seconds: 文档 (until the last document is written), 回执, 合计."""
    report = progress or Silent()
    report.start(STEP, total=len(notices))
    start = time.perf_counter()
    laid_out = bool({"pdf", "docx"} & set(formats))  # a Word notice's 版记 is placed from the PDF's layout
    count = _workers(len(notices), laid_out, workers)
    if count > 1 and forks():
        preload(formats)  # once here rather than in every worker
    with _pool(len(notices), laid_out, workers) as pool:
        slices = _slices(len(notices), laid_out, count)
        jobs = [([notices[i].document for i in part], [folder / notices[i].stem for i in part], formats)
                for part in slices]
        pending = {pool.submit(write_documents, *job): len(job[0]) for job in jobs} if pool else {}
        for job in () if pool else jobs:
            write_documents(*job)
            report.advance(STEP, len(job[0]))
        here = time.perf_counter() - start
        for n in notices:
            write_reply_form(n.reply, folder / n.reply_name)
        forms = time.perf_counter() - start - here
        for done in as_completed(pending):
            done.result()  # a document that failed raises here, with its own message
            report.advance(STEP, pending[done])
    documents = time.perf_counter() - start if pool else here  # with workers: wall time, beside the 回执
    return {"文档": documents, "回执": forms, "合计": time.perf_counter() - start}


def _slices(count: int, pdf: bool, workers: int) -> list[range]:
    """Notices per job: laid out (PDFs, or Word files whose 版记 is placed from a layout) in as few batches as
    keep every worker busy, none over BATCH_MAX notices (a batch's pages stay in memory until it is split);
    anything else in smaller jobs. Word files alone in PDF-sized batches: 100 took 6.2 → 5.6 s, CPU 11.2 →
    10.2 s (bench_notices, load 1.1), against eight smaller jobs each paying a batch's start."""
    parts = max(workers, 1) * (1 if pdf else 4)
    if pdf:
        parts = math.ceil(max(parts, math.ceil(count / BATCH_MAX)) / max(workers, 1)) * max(workers, 1)
    size = max(1, math.ceil(count / parts))
    return [range(i, min(i + size, count)) for i in range(0, count, size)]


def _workers(jobs: int, pdf: bool, workers: int | None) -> int:
    """How many worker processes: default up to 2 (the machine is shared); none (1: this process) when the
    documents would take less than starting them: a PDF in a batch takes about 0.1 s, a docx 30 ms, a worker
    about 1 s to start and load WeasyPrint and the fonts; and this process writes the 回执 meanwhile."""
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or jobs * (PDF_SECONDS if pdf else DOCX_SECONDS) < PARALLEL_SECONDS:
        return 1
    return min(workers, jobs)


def _pool(jobs: int, pdf: bool, workers: int | None):
    """A process pool of _workers(...) processes, or a null context (None) for this process alone."""
    count = _workers(jobs, pdf, workers)
    return ProcessPoolExecutor(max_workers=count, mp_context=start_method()) if count > 1 else nullcontext(None)


def write_index(notices: list[Notice], files: Mapping[str, list[Path]], path: Path) -> Path:
    """督办通知清单.xlsx: one row per notice (what was issued to whom), then every row each notice lists."""
    issued = [[n.number, n.unit, n.kind, len(n.rows), "是" if n.missing else "否", n.level or MISSING,
               gongwen_date(n.deadline), "、".join(p.name for p in files[n.unit])] for n in notices]
    rows = [[n.number, n.unit, r.code, r.name, r.place, r.status.value, _rounded(r.completion),
             _rounded(r.time_progress), _rounded(r.gap), r.runs, r.level or MISSING] for n in notices for r in n.rows]
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False, "in_memory": True})  # a small book
        write_table(book, "督办通知清单", INDEX_HEADERS, issued, text_wrap_cols=(7,))
        write_table(book, "督办任务明细", ROWS_HEADERS, rows)
        book.close()
    return path


def _rounded(value: float | None) -> float | None:
    return None if value is None else float(fmt_number(value, "%").rstrip("%"))


def write_manifest(notices: list[Notice], files: Mapping[str, list[Path]], path: Path) -> Path:
    """清单.json, read by the mail step: [{"unit", "label", "number", "level", "title", "files": [names in the
    folder]}]."""
    items = [{"unit": n.unit, "label": n.label, "number": n.number, "level": n.level,
              "title": n.document.title if n.document else "", "files": [p.name for p in files[n.unit]]}
             for n in notices]
    return write_text(path, json.dumps(items, ensure_ascii=False, indent=2) + "\n")


def write_archive(path: Path, members: list[Path]) -> Path:
    """A zip of the files under their own names; zipfile marks non-ASCII names UTF-8 (flag 0x800). PDF, Word
    and Excel files are compressed already: stored as they are (deflating 48 notices' files took 0.6 s to
    save 9%); anything else is deflated."""
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for member in members:
                packed = member.suffix.lower() in PACKED_SUFFIXES
                zf.write(member, arcname=member.name, compress_type=zipfile.ZIP_STORED if packed else None)
    return path


def _cell_words(sheet: str, cell: str) -> str:
    """Where in its own workbook a unit finds a figure: '“进展填报”H4单元格' (its file's name is not the notice's
    business)."""
    return f"“{sheet}”{cell}单元格" if sheet and cell else f"{cell}单元格" if cell else f"“{sheet}”" if sheet else ""


def _numbered(manifest: Path, settings: NoticeSettings) -> dict[str, int]:
    """Unit → the sequence number an earlier run of this round's notices gave it (its 清单.json)."""
    try:
        items = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pattern, out = settings.number_pattern(), {}
    for item in items if isinstance(items, list) else []:
        found = pattern.fullmatch(str(item.get("number", ""))) if isinstance(item, dict) else None
        if found and isinstance(item.get("unit"), str):
            out[item["unit"]] = int(found["seq"])
    return out


def _listed_files(manifest: Path) -> set[str]:
    """File names an earlier 清单.json in this folder listed (nothing when there is none or it is unreadable)."""
    try:
        items = json.loads(manifest.read_text(encoding="utf-8"))
        return {name for item in items for name in item.get("files", []) if isinstance(name, str)}
    except (OSError, ValueError, TypeError, AttributeError):
        return set()


def _remove_stale(folder: Path, names: set[str]) -> None:
    for name in names:
        path = folder / name
        if path.parent == folder and path.is_file():  # only plain names this module wrote
            path.unlink()


def next_sequence(folder: Path, rnd: Round, settings: NoticeSettings) -> int:
    """settings.first, or one past the highest 督办编号 the year's earlier rounds issued when `folder` is a
    workspace's notices folder (their 清单.json sit in the sibling round folders)."""
    from ..workspace import Workspace

    root = folder.parent.parent
    if Workspace(root).notices_dir(rnd).resolve() != folder.resolve():
        return settings.first
    pattern, highest = settings.number_pattern(), settings.first - 1
    for manifest in root.glob(f"{rnd.year}*/{folder.name}/{MANIFEST_NAME}"):
        try:
            other = parse_round(manifest.parent.parent.name)
            items = json.loads(manifest.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        if other.year != rnd.year or other.end >= rnd.end:
            continue
        for item in items if isinstance(items, list) else []:
            found = pattern.fullmatch(str(item.get("number", ""))) if isinstance(item, dict) else None
            highest = max(highest, int(found["seq"])) if found else highest
    return highest + 1
