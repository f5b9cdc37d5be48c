"""The library API: one function per command, same names and arguments as the CLI.

A script can do what a clerk does:  ``from reporter import api; api.run(ledger=..., round="2025-05")``.
"""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from pathlib import Path
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from .files import os_error_in, os_error_message, safe_filename, write_text
from .intake.annual import read_ledger
from .model import findings as F
from .model.findings import Findings
from .model.schedule import Round, parse_round
from .model.tasks import AnnualLedger
from .render.document import FORMATS, check_formats
from .render.findings_book import write_findings
from .render.formats import write_document
from .workspace import Workspace

if TYPE_CHECKING:
    from .config import Config
    from .board import Board
    from .intake.inbox import Received
    from .ledger.store import UnitFinding
    from .outputs import OutputGroup
    from .deliver import MailResult, MailSettings
    from .progress import Progress
    from .intake.collect import Collected
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation, Rollup


@dataclass
class LedgerCheck:
    ledger: AnnualLedger
    findings: Findings
    findings_path: Path | None = None

    def reading(self):
        """识读结果: what was understood of the ledger (render/reading.py), line by line."""
        from .render.reading import reading

        return reading(self.ledger, self.findings)

    def summary(self) -> dict[str, Any]:
        lg = self.ledger
        return {
            "台帐": lg.path,
            "年度": lg.year,
            "任务数": len(lg),
            "领域数": len({t.domain for t in lg if t.domain}),
            "分解到地区的任务数": sum(1 for t in lg if t.region_targets),
            "有计划进度的任务数": sum(1 for t in lg if t.plan),
            "责任单位数": len(lg.units),
            "报送单位数": len(lg.submitters()),
            "所属地区": lg.office.name if lg.office else None,
            "问题": self.findings.by_severity(),
            "问题清单": str(self.findings_path) if self.findings_path else None,
        }


def in_workspace(fn):
    """Run `fn` holding its workspace (the `out` argument) for itself: another run on the same workspace
    waits, then stops with a Chinese message (workspace.Workspace.locked)."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def locked(*args, **kwargs):
        out = signature.bind(*args, **kwargs).arguments.get("out")
        if out is None:
            return fn(*args, **kwargs)
        with Workspace(Path(out)).locked():
            return fn(*args, **kwargs)
    return locked


def error_message(exc: BaseException) -> str:
    """An exception as the clerk reads it: an OS error in Chinese with its path; otherwise its own message."""
    found = os_error_in(exc)
    if found is not None and not str(found).startswith(("无法写入", "无法读取")):
        return os_error_message(found)
    return str(exc)


def check(ledger: str | Path, round: str | Round | None = None, out: str | Path | None = None,
          region: str | None = None, office: str | Path | None = None) -> LedgerCheck:
    """Read the annual ledger and list every problem in it (台帐检查). `region` (every command takes it): the
    office's region as reporter.toml sets it; without it the ledger's own title, 地区 sheet or decomposition
    says (see intake/office_root.py). `office`: the office file, whose sample values left in are listed too,
    with a 提示 when documents would carry texts guessed from the ledger."""
    from .render.notice_settings import office_placeholders

    rnd = _round(round) if round else None
    annual, findings = read_ledger(ledger, year=rnd.year if rnd else None, office=region)
    if office is not None:
        for key, value in office_placeholders(office, annual):
            findings.add(F.OFFICE_PLACEHOLDER, f"{key} 仍是示例“{value}”，请改为本单位的实际信息。",
                         file=Path(office).name, field=key, value=value)
    _office_note(annual, office, findings)
    result = LedgerCheck(annual, findings)
    if out is not None and rnd is not None:
        from .render.reading import HEADERS, SHEET

        path = Workspace(Path(out)).checks_dir(rnd) / "台帐问题清单.xlsx"
        rows = [line.row() for line in result.reading()]
        result.findings_path = write_findings(path, findings, extra={SHEET: (HEADERS, rows)})
    return result


def _office_note(annual: AnnualLedger, office: str | Path | None, findings: Findings) -> None:
    """A 提示 when the documents would carry 发文机关 texts guessed from the ledger, not the office's own."""
    from .render.bulletin import office_table
    from .render.office_texts import guessed_note

    try:
        table = office_table(office)["office"] if office else None
        sample = office_table(None)["office"].get("region")  # the packaged office: the sample year's own
    except Exception:  # noqa: BLE001 — a broken office file is the document steps' error to report
        return
    if annual.office is not None and annual.office.name == (table.get("region") if table else sample):
        return  # an office file naming its region (the packaged sample office does) is that office's own
    note = guessed_note(annual.office, table)
    if note:
        findings.add(F.OFFICE_TEXTS_GUESSED, note, file=Path(office).name if office else "", field="发文机关")


def init(folder: str | Path, ledger: str | Path, office: str | None = None, region: str | None = None):
    """A workspace of the office's own: DIR/reporter.toml pointing at the ledger, DIR/templates/ with editable
    copies of the wording templates and an office.toml derived from the ledger (init_workspace.py)."""
    from .init_workspace import init_workspace

    return init_workspace(folder, ledger, office=office, region=region)


@dataclass
class TemplateResult:
    round: Round
    files: list[Path] = field(default_factory=list)
    folder: Path | None = None

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "模板数": len(self.files), "文件夹": str(self.folder),
                "文件": [str(p) for p in self.files]}


@in_workspace
def template(ledger: str | Path, round: str | Round, out: str | Path,
             units: list[str] | None = None, database: str | None = None,
             region: str | None = None) -> TemplateResult:
    """Write one fill-in workbook per submitting unit for a round (填报模板), carrying the previous round's
    merged 累计完成 as 上月累计完成 and each unit's last 工作进展, from the history store."""
    from .render.fillin import write_templates

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year, office=region)
    ws = Workspace(Path(out))
    previous, progress = _prefill(annual, rnd, ws, database)
    files = write_templates(annual, annual.round(rnd), ws.templates_dir(rnd), previous, units=units,
                            progress=progress)
    return TemplateResult(rnd, files, ws.templates_dir(rnd))


def _prefill(annual, rnd: Round, ws: Workspace, database: str | None):
    """Last round's merged 累计完成 by (task, region) — a figure held out as a likely unit error is left out,
    so it never becomes 上月累计完成 — and the 工作进展 each unit wrote then."""
    from .rollup.suspect import CONFIRMED, suspect_reason

    if not database and not ws.history_db.is_file():
        return {}, {}  # no round collected in this workspace yet: nothing to carry, no store to create
    with _history(ws, database) as history:
        rows = history.last_reported(rnd)
    previous, progress = {}, {}
    for (code, region), row in rows.items():
        task = annual.tasks.get(code)
        if task is None:
            continue
        target = task.target if not region else task.region_targets.get(region)
        value, said = row["value"], f"{row.get('problems') or ''}{row.get('progress') or ''}"
        if value is not None and (not suspect_reason(task, target, value) or CONFIRMED.search(said)):
            previous[(code, region)] = value
        if row.get("progress"):
            progress[(code, region)] = row["progress"]
    return previous, progress


@dataclass
class SampleRun:
    round: Round
    folder: Path
    files: list[Path]
    truth: Path
    config: Path | None = None  # reporter.toml written for the bundled sample year (sample without a ledger)

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "文件夹": str(self.folder), "文件数": len(self.files),
                "真值文件": str(self.truth), **({"配置文件": str(self.config)} if self.config else {})}


SAMPLE_ROUND = "2025-05"


@in_workspace
def sample(ledger: str | Path | None, round: str | Round | None = None, out: str | Path | None = None,
           seed: int = 2025, region: str | None = None, folder: str | Path = ".") -> SampleRun:
    """Write one month of realistic, messy sample submissions for the ledger, plus the truth planted. Without a
    ledger: the bundled sample year in `folder` — its ledger (ledgers/…xlsx), a reporter.toml naming it, the
    round and the submissions, unless already there — so `reporter run` works next in that folder."""
    from .sample.submissions import make_sample

    config = None
    if ledger is None:
        ledger, config = _sample_year(Path(folder))
        round, out = round or SAMPLE_ROUND, out or Path(folder) / "output"
    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year, office=region)
    where = Workspace(Path(out)).sample_dir(rnd)
    result = make_sample(annual, annual.round(rnd), where, seed=seed)
    return SampleRun(rnd, where, list(result.files), Path(result.truth), config)


def _sample_year(folder: Path) -> tuple[Path, Path]:
    """The sample ledger built from the packaged sample data and a reporter.toml for it, kept if there."""
    from .config import CONFIG_NAME
    from .sample import ledger_data
    from .sample.build_ledger import build_sample_ledger

    ledger = folder / "ledgers" / ledger_data.FILE_NAME
    if not ledger.is_file():
        ledger.parent.mkdir(parents=True, exist_ok=True)
        build_sample_ledger(ledger)
    config = folder / CONFIG_NAME
    if not config.exists():
        write_text(config, "\n".join([
            "# reporter 样例年度的工作区配置（由 reporter sample 生成，说明见 docs/config.md）。",
            "[workspace]", f'ledger = "ledgers/{ledger_data.FILE_NAME}"', 'out = "output"',
            f'round = "{SAMPLE_ROUND}"', f'submissions = "output/{SAMPLE_ROUND}/样例报送"', ""]))
    return ledger, config


def _problems(collected: dict, rolled: dict) -> dict[str, int] | None:
    """问题清单's counts and the 汇总分析表's 汇总问题 (a lead's total that its regions do not add up to) together."""
    counts = [c for c in (collected.get("问题"), rolled.get("问题")) if c]
    return {k: sum(c.get(k, 0) for c in counts) for k in counts[0]} if counts else None


STEPS = ("台帐检查", "填报模板", "汇总报送", "汇总分析", "月度通报", "督办通知", "领导参阅", "邮件草稿")


@dataclass
class RunResult:
    round: Round
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # steps that raised: their outputs are missing
    blocked: bool = False  # nothing usable in the ledger: the round cannot go on
    documents: list[Path] = field(default_factory=list)
    summary_path: Path | None = None
    reused: list[str] = field(default_factory=list)  # steps not run: inputs unchanged, last outputs kept
    fresh_start: str = ""  # why no step could keep its last outputs, when that is so ('' otherwise)

    def headline(self) -> dict[str, Any]:
        """The few figures a clerk reads at the end of the run."""
        collected = self.steps.get("汇总报送", {})
        rolled = self.steps.get("汇总分析", {})
        notices = self.steps.get("督办通知", {})
        return {"读取文件数": collected.get("读取文件数"), "问题": _problems(collected, rolled),
                "未报送单位": collected.get("未报送单位"), "滞后任务数": (rolled.get("总体情况") or {}).get("滞后任务数"),
                "督办单位数": notices.get("通知数"), "生成文档数": len(self.documents),
                "输出位置": str(self.summary_path.parent) if self.summary_path else None}

    @property
    def problem(self) -> tuple[str, int] | None:
        """Why the run should exit non-zero, for the command line."""
        if self.blocked:
            return "台帐中没有可用的任务，本轮无法继续。", 1
        if self.failed:
            return f"以下步骤出错，其输出不完整：{'、'.join(self.failed)}（详见上表和 本轮运行摘要.json）。", 2
        return None

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "概要": self.headline(), "步骤": self.steps, "失败步骤": self.failed,
                "沿用上次输出的步骤": self.reused, **({"全部重新运行的原因": self.fresh_start} if self.fresh_start else {}),
                "是否受阻": self.blocked,
                "汇总": str(self.summary_path) if self.summary_path else None}


@in_workspace
def run(ledger: str | Path, round: str | Round, out: str | Path, submissions: str | Path | None = None,
        thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
        database: str | None = None, office: str | Path | None = None, mail_settings: Any = None,
        progress: "Progress | None" = None, formats: tuple[str, ...] = FORMATS, force: bool = False,
        region: str | None = None, imap: str | None = None, imap_password_env: str | None = None) -> RunResult:
    """The monthly job: check the ledger, write the round's fill-in templates and, when the round's
    submissions are there, collect them, roll the round up, and write the 月度通报, the 督办通知, the
    领导参阅 brief and the e-mail drafts. Re-running replaces the round's outputs (idempotent).

    A step whose inputs did not change since the round's last run, and whose outputs are as that run left
    them, is not run again: its outputs are kept and its note says so (reuse.py); `force` runs every step.
    A step that fails is recorded with its error and the steps that do not need it still run."""
    from .progress import Silent
    from .reuse import REUSED_NOTE, RunRecord, StepKeys, StepRecord

    rnd, steps = _round(round), progress or Silent()
    check_formats(formats)
    result, ws = RunResult(rnd), Workspace(Path(out))
    found = Path(submissions) if submissions is not None and Path(submissions).exists() else None
    record = RunRecord.load(ws, rnd, found, database)
    if force:
        record.steps.clear()
        record.why_not = "要求全部重新运行"
    result.fresh_start = record.why_not
    # the round's messages from the mailbox (cached by an earlier --imap) are submissions too; with a mailbox
    # to read, new mail may have come: collect (and what follows it) runs again
    inbox = ws.inbox_dir(rnd)
    mailed = bool(imap) or any(inbox.glob("*.eml"))
    keys = StepKeys.of(ledger, rnd, [found, inbox] if mailed else found, thresholds, escalation, database, office,
                       mail_settings, formats, region=region, fresh=dt.datetime.now().isoformat() if imap else "").keys

    def step(name: str, work, note=lambda r: ""):
        """The step's value; REUSED when its last outputs stand; None when it failed."""
        kept = record.reusable(name, keys[name])
        if kept is not None:
            steps.start(name)
            result.steps[name] = kept.summary
            result.documents.extend(ws.root / f for f in kept.files)
            result.reused.append(name)
            steps.finish(name, f"{REUSED_NOTE}（{kept.note}）" if kept.note else REUSED_NOTE)
            return REUSED
        record.keep(name, None)
        steps.start(name)
        try:
            value = work()
        except Exception as exc:  # noqa: BLE001 — one broken step must not hide the others' outputs
            result.failed.append(name)
            result.steps[name] = {"错误": error_message(exc)}
            steps.finish(name, error_message(exc), ok=False)
            return None
        result.steps[name] = value.summary()
        files = list(getattr(value, "files", None) or [])
        result.documents.extend(files)
        text = note(value)
        steps.finish(name, text)
        record.keep(name, StepRecord(keys[name], text, json.loads(json.dumps(result.steps[name], default=str)),
                                     [_in_workspace(ws, f) for f in files]))
        return value

    checked = step("台帐检查", lambda: check(ledger, rnd, out, region, office), lambda r: f"{len(r.ledger)} 项任务")
    tasks = result.steps["台帐检查"].get("任务数", 0) if checked is REUSED else len(checked.ledger) if checked else 0
    if not tasks:
        result.blocked = True
        return _finish_run(result, out, record, found)
    step("填报模板", lambda: template(ledger, rnd, out, database=database, region=region),
         lambda r: f"{len(r.files)} 个模板")
    if found is not None or mailed:
        step("汇总报送", lambda: collect(found, ledger, rnd, out, database=database, progress=steps, region=region,
                                     imap=imap, imap_password_env=imap_password_env, mail_settings=mail_settings),
             lambda r: f"{len(r.round_ledger.files)} 个文件")
    else:
        note = f"未找到本轮报送文件（{submissions or '未配置 submissions'}），跳过汇总。"
        result.steps["汇总报送"] = {"说明": note}
        record.keep("汇总报送", None)
        steps.finish("汇总报送", note, ok=None)
    if (ws.round_dir(rnd) / "本轮台帐.json").is_file():
        _documents(result, step, ledger, rnd, out, thresholds, escalation, database, office, mail_settings, steps,
                   formats, lambda name: record.reusable(name, keys[name]) is None, region)
    return _finish_run(result, out, record, found)


REUSED = object()  # what run's step returns for a step whose last outputs were kept


def _in_workspace(ws: Workspace, path) -> str:
    """A file's name relative to the workspace (absolute if outside it): a moved workspace stays reusable."""
    try:
        return Path(path).resolve().relative_to(ws.root.resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def _documents(result: RunResult, step, ledger, rnd, out, thresholds, escalation, database, office, mail_settings,
               progress, formats, will_run, region=None):
    """The steps after collect, on one rollup computed once (from the stored round when 汇总分析 was reused
    and a document must be written again)."""
    rolled = step("汇总分析", lambda: rollup(ledger, rnd, out, thresholds, escalation, database, region=region),
                  lambda r: f"滞后任务 {r.rollup.overview()['滞后任务数']} 项（任务×地区 {len(r.rollup.lagging())} 行）")
    if rolled is None:
        return
    kept: list = []

    def ro():
        if not kept:
            kept.append(rolled.rollup if rolled is not REUSED else
                        _summarise(ledger, rnd, Workspace(Path(out)), thresholds, escalation, database, region)[0])
        return kept[0]

    # With PDFs the 通报 and the 参阅件 take seconds each: two worker processes write them while this one
    # waits for the 通报 and then writes the notices (bench/bench_run.py). Their steps still report in order.
    from .render.formats import preload
    from .workers import Background, forks

    aside = {name: work for name, work in (("月度通报", bulletin), ("领导参阅", brief))
             if "pdf" in formats and will_run(name)}
    if aside and forks():  # loaded once here, not again in each of the four processes forked from here
        preload(formats)
    started = {name: Background(work, ledger, rnd, out, formats, office=office, database=database, rolled=ro())
               for name, work in aside.items()}

    def document(name, work):
        return started[name].result() if name in started else work(ledger, rnd, out, formats, office=office,
                                                                    database=database, rolled=ro())

    step("月度通报", lambda: document("月度通报", bulletin), lambda r: f"{len(r.files)} 个文件")
    step("督办通知", lambda: notices(ledger, rnd, out, formats, office=office, database=database, rolled=ro(),
                                   progress=progress),
         lambda r: f"{r.extra.get('通知数', 0)} 个单位")
    step("领导参阅", lambda: document("领导参阅", brief), lambda r: f"{len(r.files)} 个文件")
    step("邮件草稿", lambda: mail(ledger, rnd, out, settings=mail_settings, region=region),
         lambda r: f"{r.summary().get('草稿数', 0)} 封草稿")


def _finish_run(result: RunResult, out, record=None, submissions=None) -> RunResult:
    """Write 本轮运行摘要.json beside the round's outputs, then the record the next run compares with."""
    ws = Workspace(Path(out))
    result.summary_path = write_text(ws.round_dir(result.round) / "本轮运行摘要.json",
                                     json.dumps(result.summary(), ensure_ascii=False, indent=2, default=str))
    if record is not None:
        record.save(ws, result.round, submissions)
    return result


@dataclass
class CollectResult:
    collected: "Collected"
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def round_ledger(self):
        return self.collected.round_ledger

    def summary(self) -> dict[str, Any]:
        rl = self.round_ledger
        states: dict[str, int] = {}
        for f in rl.files:
            states[f.state] = states.get(f.state, 0) + 1
        return {
            "轮次": rl.round.key,
            "读取文件数": len(rl.files),
            "文件状态": states,
            "汇总行数": sum(1 for r in rl if r.reported),
            "应报行数": len(rl.rows),
            "沿用上次读取结果的文件数": len(self.collected.reused),  # unchanged since the last collect
            "问题": rl.findings.by_severity(),
            "未报送单位": [_label(rl.ledger, u) for u in rl.missing],
            "迟报单位": [_label(rl.ledger, f.unit) for f in rl.late],
            "输出": self.outputs,
        }


@in_workspace
def collect(submissions: str | Path | None, ledger: str | Path, round: str | Round, out: str | Path,
            workers: int | None = None, database: str | None = None,
            progress: "Progress | None" = None, region: str | None = None, received: "dt.date | None" = None,
            imap: str | None = None, imap_password_env: str | None = None,
            mail_settings: "MailSettings | None" = None) -> CollectResult:
    """Merge a round's submissions (folder or zip, saved e-mails among them) into the round ledger and write
    what clerks need, with a reply draft (收件回执) per submitting unit. `imap`: a mailbox folder
    (imaps://user@host/文件夹) whose messages of the round are fetched read-only into the round's 收件邮箱
    folder first (password from the environment variable `imap_password_env`, default
    REPORTER_IMAP_PASSWORD); messages fetched by an earlier run are read again without it. `received`: when
    files that came neither by e-mail nor in a 收件登记 arrived."""
    from .deliver.acknowledgements import write_acknowledgements
    from .intake.collect import collect as merge
    from .intake.file_cache import FileCache, context_digest
    from .ledger.store import UnitFinding, load_previous, save_findings, save_round
    from .render.findings_book import write_findings_by_unit
    from .render.returns import write_missing_list, write_return_workbook
    from .render.round_book import write_round_ledger

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year, office=region)
    ws = Workspace(Path(out))
    previous = load_previous(ws, rnd)
    # a file unchanged since the last collect of the round, against the same ledger, is not read again
    cache = FileCache(ws.cache_dir(rnd) / "collect", context_digest(
        Path(ledger).read_bytes(), rnd.key, repr(sorted(previous.items()))))
    fetched = _fetch_mailbox(imap, imap_password_env, annual, rnd, ws) if imap else None
    sources = [Path(submissions)] if submissions else []
    if any(ws.inbox_dir(rnd).glob("*.eml")):
        sources.append(ws.inbox_dir(rnd))
    if not sources:
        raise ValueError("未指定报送文件所在位置：请给出文件夹或 .zip，或在 reporter.toml 中写 submissions"
                         "（或用 --imap 读取收件邮箱）。")
    collected = merge(annual, rnd, sources, previous=previous, workers=workers, progress=progress,
                      cache=cache, received=received, uploaded=_uploaded(ws, rnd, submissions))
    rl = collected.round_ledger
    if fetched is not None and fetched.problem:
        rl.findings.add(F.INTAKE_MAILBOX, fetched.problem, file=imap)
    folder = ws.round_dir(rnd)
    unit_of_file = {f.name: f.unit for f in rl.files if f.unit}
    # the store first: when it cannot be written (held by another program), the round's workbooks are left
    # as they were, so the two never disagree
    _history(ws, database).save_round(rl)
    outputs: dict[str, Any] = {
        "本轮台帐": str(write_round_ledger(rl, folder / "本轮台帐.xlsx")),
        "问题清单": str(write_findings_by_unit(folder / "问题清单.xlsx", rl.findings, unit_of_file,
                                               lambda u: _label(annual, u))),
        "未报送迟报名单": str(write_missing_list(rl, folder / "未报送迟报名单.xlsx")),
        "数据": str(save_round(ws, rl)),
        "问题数据": str(save_findings(ws, rnd, [UnitFinding(f, _label(annual, unit_of_file.get(f.file)))
                                               for f in rl.findings])),
        "历史库": _shown(ws, database),
    }
    returned: dict[str, Path] = {}
    for unit, name in sorted(collected.winners.items()):
        # what the unit is asked to mend; the audit trail of its resubmission stays with the clerk
        mine = [f for f in rl.findings if f.file == name and f.code != F.INTAKE_CHANGED.code]
        if any(f.severity.value == "错误" for f in mine):
            target = ws.return_workbook(rnd, _label(annual, unit))
            returned[unit] = write_return_workbook(collected.sources[name], mine, target)
    returns = [str(path) for path in returned.values()]
    _drop_stale(ws.returns_dir(rnd), "*_退回修改.xlsx", keep=returns)
    outputs["退回修改"] = returns
    acks = write_acknowledgements(rl, collected.sources, returned, folder / "收件回执", mail_settings,
                                  label=lambda u: _label(annual, u))
    outputs["收件回执"] = [str(a.path) for a in acks]
    if fetched is not None:
        outputs["收件邮箱"] = {"文件夹": str(fetched.folder), "本次取得": len(fetched.saved), "已有": fetched.known,
                           "问题": fetched.problem}
    return CollectResult(collected, outputs)


def _uploaded(ws: Workspace, rnd: Round, submissions: str | Path | None) -> dict[str, dt.datetime]:
    """Files of `submissions` uploaded on the web page with no time of their own (the file's time is the
    upload's): they arrived then. A file whose time the browser gave (the clerk's copy) keeps that only as a
    hint: it may have arrived any time before its upload."""
    from .intake.inbox import read_record

    found = {}
    for upload in read_record(ws.uploads_log(rnd)) if submissions else ():
        path = Path(submissions) / upload.stored_as
        try:
            mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue
        if path.stat().st_size == upload.size and abs((mtime - upload.uploaded).total_seconds()) <= 120:
            found[upload.stored_as] = upload.uploaded
    return found


def _fetch_mailbox(imap: str, password_env: str | None, annual: AnnualLedger, rnd: Round, ws: Workspace):
    """The round's messages from the mailbox into the round's 收件邮箱 folder: those sent since the day
    after the previous round's deadline (its late ones are its own)."""
    from .intake.mailbox import MailboxAddress, fetch_mailbox, password_from_env

    address = MailboxAddress.parse(imap)
    previous = annual.round(rnd.previous()).deadline
    since = previous + dt.timedelta(days=1) if previous else dt.date(rnd.year, rnd.month, 1)
    return fetch_mailbox(address, ws.inbox_dir(rnd), since, password_from_env(password_env))


@dataclass
class RollupResult:
    rollup: "Rollup"
    outputs: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        ro = self.rollup
        regions, units = ro.region_ranking(1), ro.unit_ranking()
        (top_r, bottom_r), (top_u, bottom_u) = ro.top_bottom(regions), ro.top_bottom(units)
        return {
            "轮次": ro.round_ledger.round.key,
            "总体情况": ro.overview(),
            "地区前三": [r.name for r in top_r], "地区后三": [r.name for r in bottom_r],
            "单位前三": [r.name for r in top_u], "单位后三": [r.name for r in bottom_u],
            "滞后行数": len(ro.lagging()),
            "问题": ro.findings.by_severity(),
            "输出": self.outputs,
        }


@in_workspace
def rollup(ledger: str | Path, round: str | Round, out: str | Path, thresholds: "Thresholds | None" = None,
           escalation: "Escalation | None" = None, database: str | None = None,
           region: str | None = None) -> RollupResult:
    """Judge every task against 序时进度, roll up by region, unit and domain, rank, and compare with history."""
    from .render.rollup_book import write_rollup_book

    rnd = _round(round)
    ws = Workspace(Path(out))
    ro, history = _summarise(ledger, rnd, ws, thresholds, escalation, database, region)
    rl = ro.round_ledger
    classes = {key: {"status_class": j.status.value, "time_progress": j.time_progress, "completion": j.completion}
               for key, j in ro.judgements.items()}
    if rnd.key in history.rounds():
        history.save_classes(rnd.key, classes)
    else:  # collected before the history store existed, or the database was replaced
        history.save_round(rl, classes=classes)
    ro.consecutive.update({key: n for key, n in history.consecutive_lagging(rnd.key).items() if n})
    folder = ws.round_dir(rnd)
    outputs = {"汇总分析表": str(write_rollup_book(ro, folder / "汇总分析表.xlsx", history=_month_on_month(history, rl))),
               "历史库": _shown(ws, database)}
    return RollupResult(ro, outputs)


def _summarise(ledger, rnd: Round, ws: Workspace, thresholds, escalation, database, region=None):
    """The round as collect stored it, judged and rolled up; consecutive lagging counts from history."""
    from .ledger.store import load_round
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation, summarise

    annual, _ = read_ledger(ledger, year=rnd.year, office=region)
    rl = load_round(ws, annual, rnd)
    ro = summarise(rl, thresholds or Thresholds(), escalation=escalation or Escalation())
    history = _history(ws, database)
    ro.consecutive.update({key: n for key, n in history.consecutive_lagging(rnd.key).items() if n})
    return ro, history


@dataclass
class ReportResult:
    kind: str
    round: Round
    files: list[Path] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"文档": self.kind, "轮次": self.round.key, **self.extra, "文件": [str(p) for p in self.files]}


@in_workspace
def bulletin(ledger: str | Path, round: str | Round, out: str | Path, formats: tuple[str, ...] = FORMATS,
             office: str | Path | None = None, issue_date: "dt.date | None" = None,
             thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
             database: str | None = None, rolled: "Rollup | None" = None, region: str | None = None) -> ReportResult:
    """The 月度通报 in Word and PDF (GB/T 9704-2012), written from the round's rollup (`rolled`, when the
    caller has it already)."""
    from .render.bulletin import build_bulletin, load_office

    rnd = _round(round)
    ws = Workspace(Path(out))
    ro = rolled or _summarise(ledger, rnd, ws, thresholds, escalation, database, region)[0]
    doc = build_bulletin(ro, load_office(office, ro.ledger), issue_date, templates_dir=_templates(office))
    stem = safe_filename(f"{rnd.label}民生实事推进情况通报")
    files = write_document(doc, ws.bulletin_dir(rnd) / stem, formats)
    return ReportResult("月度通报", rnd, files, {"标题": doc.title, "发文字号": doc.doc_number,
                                              "滞后任务数": ro.overview()["滞后任务数"]})


@in_workspace
def notices(ledger: str | Path, round: str | Round, out: str | Path, formats: tuple[str, ...] = FORMATS,
            office: str | Path | None = None, issue_date: "dt.date | None" = None,
            thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
            database: str | None = None, rolled: "Rollup | None" = None,
            progress: "Progress | None" = None, region: str | None = None) -> ReportResult:
    """One 督办通知 (Word and PDF) and one 回执 workbook per unit with lagging or overdue tasks or no
    submission; an index workbook, a manifest for the mail step and a zip of all notices."""
    from .render.notices import write_notices

    rnd = _round(round)
    check_formats(formats)
    ws = Workspace(Path(out))
    ro = rolled or _summarise(ledger, rnd, ws, thresholds, escalation, database, region)[0]
    issued = write_notices(ro, ws.notices_dir(rnd), office_path=office, issue_date=issue_date, formats=formats,
                           progress=progress, templates_dir=_templates(office))
    summary = issued.summary()
    keys = ("通知数", "督办编号", "督办级别", "整改期限", "无责任单位的滞后行", "清单", "压缩包")
    return ReportResult("督办通知", rnd, list(issued.files), {k: summary[k] for k in keys})


@in_workspace
def brief(ledger: str | Path, round: str | Round, out: str | Path, formats: tuple[str, ...] = FORMATS,
          office: str | Path | None = None, issue_date: "dt.date | None" = None,
          thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
          database: str | None = None, rolled: "Rollup | None" = None, region: str | None = None) -> ReportResult:
    """The 领导参阅 brief: two A4 pages of headline figures, charts and the five biggest risks."""
    from .render.brief import risks, write_brief

    rnd = _round(round)
    check_formats(formats)
    ws = Workspace(Path(out))
    ro = rolled or _summarise(ledger, rnd, ws, thresholds, escalation, database, region)[0]
    trend = _history(ws, database).on_schedule_trend(rnd.key)
    files = write_brief(ro, ws.brief_dir(rnd), office_path=office, trend=trend, issue_date=issue_date,
                        formats=formats, templates_dir=_templates(office))
    return ReportResult("领导参阅", rnd, list(files), {"趋势轮次数": len(trend),
                                                      "主要风险": [r["name"] for r in risks(ro)]})


@in_workspace
def mail(ledger: str | Path, round: str | Round, out: str | Path, settings: "MailSettings | None" = None,
         send: bool = False, password: str | None = None, issue_date: "dt.date | None" = None,
         resend: bool = False, database: str | None = None, region: str | None = None) -> "MailResult":
    """E-mail drafts (.eml) for leaders (brief and bulletin) and for each unit (its notice and 回执, its 退回修改
    workbook), with a size report; with `send`, also sends them through the SMTP server in `settings`
    (password from the argument or the environment variable the settings name, never from a file), each
    message once: those the history store records as delivered are skipped, unless `resend`."""
    from .deliver import MailSettings, mail_round

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year, office=region)
    ws = Workspace(Path(out))
    return mail_round(annual, rnd, ws, settings or MailSettings(), send=send, password=password, issued=issue_date,
                      history=_history(ws, database) if send or resend else None, resend=resend)


def board(ledger: str | Path, round: str | Round, out: str | Path, submissions: str | Path | None = None,
          thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
          database: str | None = None) -> "Board":
    """The round at a glance (the web page's home): each unit's state, how its file came, the 催报 list and,
    once the round is rolled up, the headline figures. `submissions` defaults to the workspace's 报送文件."""
    from .board import ROLLUP_BOOK, build_board
    from .ledger.store import ROUND_FILE, RoundNotCollected, load_findings, load_round
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation, summarise

    rnd = _round(round)
    annual = _ledger_to_show(ledger, rnd.year)
    rnd = annual.round(rnd)
    ws = Workspace(Path(out))
    try:
        rl = load_round(ws, annual, rnd)
    except RoundNotCollected:
        rl = None
    rolled = None
    book, store = ws.round_dir(rnd) / ROLLUP_BOOK, ws.round_dir(rnd) / ROUND_FILE
    if rl is not None and book.is_file() and book.stat().st_mtime >= store.stat().st_mtime:
        rolled = summarise(rl, thresholds or Thresholds(), escalation=escalation or Escalation())
    folder = Path(submissions) if submissions else ws.submissions_dir(rnd)
    sent = _history(ws, database).delivered_to(rnd.key) if rl else {}
    return build_board(annual, rnd, ws, folder, rl, load_findings(ws, rnd) if rl else [], rolled, sent)


def receive(files: "list[Incoming]", round: str | Round, out: str | Path, submissions: str | Path | None = None,
            max_bytes: int = 30_000_000) -> "list[Received]":
    """Store submitted files (uploaded on the web page) in the round's submissions folder under their own
    names, never over another file, the same content once; and note them in the round's upload record.
    Nothing is opened: `collect` reads them next."""
    from .intake.inbox import receive as store, record

    rnd = _round(round)
    ws = Workspace(Path(out))
    folder = Path(submissions) if submissions else ws.submissions_dir(rnd)
    received = [store(folder, f.name, f.stream, f.size, max_bytes, f.modified) for f in files]
    record(ws.uploads_log(rnd), received, dt.datetime.now().replace(microsecond=0))
    return received


@dataclass
class Incoming:
    """A file handed to `receive`: its name on the sender's computer, its bytes, and its time there."""
    name: str
    stream: Any  # a binary file object
    size: int
    modified: dt.datetime | None = None


def outputs(ledger: str | Path, round: str | Round, out: str | Path) -> "list[OutputGroup]":
    """Every output file of the round by kind, each unit's documents marked with the unit."""
    from .outputs import list_outputs, unit_matcher

    rnd = _round(round)
    annual = _ledger_to_show(ledger, rnd.year)
    labels = [_label(annual, u) for u in annual.submitters()] + [u.label for u in annual.units]
    return list_outputs(Workspace(Path(out)), rnd, unit_matcher(labels))


def findings(round: str | Round, out: str | Path, unit: str = "") -> "list[UnitFinding]":
    """The round's submission findings as collect left them, those of one unit (its short name) if given."""
    from .ledger.store import load_findings

    rows = load_findings(Workspace(Path(out)), _round(round))
    return [r for r in rows if unit in r.unit]


_SHOWN: dict[tuple, AnnualLedger] = {}


def _ledger_to_show(ledger: str | Path, year: int) -> AnnualLedger:
    """The annual ledger for a view that only reads it (board, outputs), kept while its file is unchanged: the
    web page shows the board on every visit, and reading the ledger is most of that time."""
    path = Path(ledger).resolve()
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size, year)
    annual = _SHOWN.get(key)
    if annual is None:
        annual = read_ledger(path, year=year)[0]
        _SHOWN.clear()
        _SHOWN[key] = annual
    return annual


def mail_settings(cfg: "Config") -> "MailSettings":
    """[mail] from reporter.toml; the sender's name defaults to the office's."""
    from .deliver import MailSettings
    from .render.bulletin import load_office

    from .render.notice_settings import load_notice_settings

    return MailSettings.from_config(cfg.section("mail"), office_name=load_office(cfg.office).name,
                                    base=cfg.path.parent if cfg.path else None,
                                    contact=load_notice_settings(cfg.office).contact_line())


def rollup_settings(cfg: "Config") -> dict[str, Any]:
    """Thresholds, escalation counts, the history database and the office's region from reporter.toml, as
    run/rollup/document arguments."""
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation

    return {"thresholds": Thresholds.from_config(cfg.section("status")),
            "escalation": Escalation.from_config(cfg.section("escalation")),
            "database": cfg.database, "region": cfg.region}


def _templates(office: str | Path | None) -> Path | None:
    """A workspace's own wording templates: the folder its office file sits in, when it holds any (reporter init
    puts office.toml in DIR/templates/ beside copies of the templates); None → the packaged ones."""
    folder = Path(office).parent if office else None
    return folder if folder and any(folder.glob("*/*.j2")) else None


def _drop_stale(folder: Path, pattern: str, keep: list[str]) -> None:
    """Remove outputs an earlier run of this round wrote and this run did not (a unit that resubmitted
    without errors must not be mailed last run's 退回修改 workbook)."""
    kept = {Path(p).resolve() for p in keep}
    for old in folder.glob(pattern) if folder.is_dir() else ():
        if old.resolve() not in kept:
            old.unlink()


def _history(ws: Workspace, database: str | None):
    """The history store: the workspace's SQLite file, or the office's shared PostgreSQL server."""
    from .ledger.history import History

    return History(database or ws.history_db).create()


def _shown(ws: Workspace, database: str | None) -> str:
    """Where the history is, fit to print: a database URL without its password."""
    if not database:
        return str(ws.history_db)
    from sqlalchemy.engine import make_url

    return make_url(database).render_as_string(hide_password=True)


def _month_on_month(history, rl) -> list[dict[str, Any]]:
    """环比 rows: previous and current cumulative values, 本月新增, class changes."""
    key = rl.round.key
    previous = history.previous_values(rl.round)
    if not previous:
        return []
    changes = {(c["task"], c["region"]): c for c in history.class_changes(key)}
    now = history.values(key)
    before = history.values(rl.round.previous().key)
    rows = []
    for (task, region), current in now.items():
        old = before.get((task, region), {})
        change = changes.get((task, region), {})
        region_name = rl.ledger.regions.get(region).name if region and rl.ledger.regions.get(region) else ""
        value, prev = current.get("value"), previous.get((task, region))
        rows.append({"任务编号": task, "地区": region_name, "上期累计": prev, "本期累计": value,
                     "本月新增": None if value is None or prev is None else value - prev,
                     "上期状态": old.get("status_class") or "", "本期状态": current.get("status_class") or "",
                     "变化": change.get("kind", "")})
    return rows


def _label(ledger: AnnualLedger, unit: str | None) -> str:
    found = ledger.units.match(unit) if unit else None
    return found.label if found else (unit or "")


def _round(value: str | Round) -> Round:
    return value if isinstance(value, Round) else parse_round(value)
