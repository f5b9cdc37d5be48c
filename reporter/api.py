"""The library API: one function per command, same names and arguments as the CLI.

A script can do what a clerk does:  ``from reporter import api; api.run(ledger=..., round="2025-05")``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import datetime as dt
from typing import TYPE_CHECKING, Any

from .files import safe_filename, write_text
from .intake.annual import read_ledger
from .model.findings import Findings
from .model.schedule import Round, parse_round
from .model.tasks import AnnualLedger
from .render.findings_book import write_findings
from .workspace import Workspace

if TYPE_CHECKING:
    from .intake.collect import Collected
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation, Rollup


@dataclass
class LedgerCheck:
    ledger: AnnualLedger
    findings: Findings
    findings_path: Path | None = None

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
            "问题": self.findings.by_severity(),
            "问题清单": str(self.findings_path) if self.findings_path else None,
        }


def check(ledger: str | Path, round: str | Round | None = None, out: str | Path | None = None) -> LedgerCheck:
    """Read the annual ledger and list every problem in it (台帐检查)."""
    rnd = _round(round) if round else None
    annual, findings = read_ledger(ledger, year=rnd.year if rnd else None)
    result = LedgerCheck(annual, findings)
    if out is not None and rnd is not None:
        path = Workspace(Path(out)).checks_dir(rnd) / "台帐问题清单.xlsx"
        result.findings_path = write_findings(path, findings)
    return result


@dataclass
class TemplateResult:
    round: Round
    files: list[Path] = field(default_factory=list)
    folder: Path | None = None

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "模板数": len(self.files), "文件夹": str(self.folder),
                "文件": [str(p) for p in self.files]}


def template(ledger: str | Path, round: str | Round, out: str | Path,
             units: list[str] | None = None) -> TemplateResult:
    """Write one fill-in workbook per submitting unit for a round (填报模板)."""
    from .render.fillin import write_templates

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year)
    folder = Workspace(Path(out)).templates_dir(rnd)
    files = write_templates(annual, annual.round(rnd), folder, units=units)
    return TemplateResult(rnd, files, folder)


@dataclass
class SampleRun:
    round: Round
    folder: Path
    files: list[Path]
    truth: Path

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "文件夹": str(self.folder), "文件数": len(self.files),
                "真值文件": str(self.truth)}


def sample(ledger: str | Path, round: str | Round, out: str | Path, seed: int = 2025) -> SampleRun:
    """Write one month of realistic, messy sample submissions for the ledger, plus the truth planted."""
    from .sample.submissions import make_sample

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year)
    folder = Workspace(Path(out)).sample_dir(rnd)
    result = make_sample(annual, annual.round(rnd), folder, seed=seed)
    return SampleRun(rnd, folder, list(result.files), Path(result.truth))


@dataclass
class RunResult:
    round: Round
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocked: bool = False
    summary_path: Path | None = None

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "步骤": self.steps, "是否受阻": self.blocked,
                "汇总": str(self.summary_path) if self.summary_path else None}


def run(ledger: str | Path, round: str | Round, out: str | Path, submissions: str | Path | None = None,
        thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
        database: str | None = None, office: str | Path | None = None) -> RunResult:
    """The monthly job, as far as it is built: check the ledger, write the round's fill-in templates and,
    when the round's submissions are there, collect them, roll the round up and write the 月度通报."""
    import json

    rnd = _round(round)
    result = RunResult(rnd)
    checked = check(ledger, rnd, out)
    result.steps["台帐检查"] = checked.summary()
    result.blocked = bool(checked.findings.errors) and len(checked.ledger) == 0
    result.steps["填报模板"] = template(ledger, rnd, out).summary()
    if submissions is not None and Path(submissions).exists():
        result.steps["汇总报送"] = collect(submissions, ledger, rnd, out, database=database).summary()
        result.steps["汇总分析"] = rollup(ledger, rnd, out, thresholds, escalation, database).summary()
        result.steps["月度通报"] = bulletin(ledger, rnd, out, office=office, thresholds=thresholds,
                                        escalation=escalation, database=database).summary()
    else:
        result.steps["汇总报送"] = {"说明": f"未找到本轮报送文件（{submissions or '未配置 submissions'}），跳过汇总。"}
    result.summary_path = write_text(Workspace(Path(out)).round_dir(rnd) / "本轮运行摘要.json",
                                     json.dumps(result.summary(), ensure_ascii=False, indent=2, default=str))
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
            "问题": rl.findings.by_severity(),
            "未报送单位": [_label(rl.ledger, u) for u in rl.missing],
            "迟报单位": [_label(rl.ledger, f.unit) for f in rl.late],
            "输出": self.outputs,
        }


def collect(submissions: str | Path, ledger: str | Path, round: str | Round, out: str | Path,
            workers: int | None = None, database: str | None = None) -> CollectResult:
    """Merge a round's submissions (folder or zip) into the round ledger and write what clerks need."""
    from .intake.collect import collect as merge
    from .ledger.store import load_previous, save_round
    from .render.findings_book import write_findings_by_unit
    from .render.returns import write_missing_list, write_return_workbook
    from .render.round_book import write_round_ledger

    rnd = _round(round)
    annual, _ = read_ledger(ledger, year=rnd.year)
    ws = Workspace(Path(out))
    previous = load_previous(ws, rnd)
    collected = merge(annual, rnd, Path(submissions), previous=previous, workers=workers)
    rl = collected.round_ledger
    folder = ws.round_dir(rnd)
    unit_of_file = {f.name: f.unit for f in rl.files if f.unit}
    outputs: dict[str, Any] = {
        "本轮台帐": str(write_round_ledger(rl, folder / "本轮台帐.xlsx")),
        "问题清单": str(write_findings_by_unit(folder / "问题清单.xlsx", rl.findings, unit_of_file,
                                               lambda u: _label(annual, u))),
        "未报送迟报名单": str(write_missing_list(rl, folder / "未报送迟报名单.xlsx")),
        "数据": str(save_round(ws, rl)),
        "历史库": _shown(ws, database),
    }
    _history(ws, database).save_round(rl)
    returns = []
    for unit, name in sorted(collected.winners.items()):
        mine = [f for f in rl.findings if f.file == name]
        if any(f.severity.value == "错误" for f in mine):
            target = ws.return_workbook(rnd, _label(annual, unit))
            returns.append(str(write_return_workbook(collected.sources[name], mine, target)))
    outputs["退回修改"] = returns
    return CollectResult(collected, outputs)


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


def rollup(ledger: str | Path, round: str | Round, out: str | Path, thresholds: "Thresholds | None" = None,
           escalation: "Escalation | None" = None, database: str | None = None) -> RollupResult:
    """Judge every task against 序时进度, roll up by region, unit and domain, rank, and compare with history."""
    from .render.rollup_book import write_rollup_book

    rnd = _round(round)
    ws = Workspace(Path(out))
    ro, history = _summarise(ledger, rnd, ws, thresholds, escalation, database)
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


def _summarise(ledger, rnd: Round, ws: Workspace, thresholds, escalation, database):
    """The round as collect stored it, judged and rolled up; consecutive lagging counts from history."""
    from .ledger.store import load_round
    from .rollup.status import Thresholds
    from .rollup.summary import Escalation, summarise

    annual, _ = read_ledger(ledger, year=rnd.year)
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


FORMATS = ("docx", "pdf")


def bulletin(ledger: str | Path, round: str | Round, out: str | Path, formats: tuple[str, ...] = FORMATS,
             office: str | Path | None = None, issue_date: "dt.date | None" = None,
             thresholds: "Thresholds | None" = None, escalation: "Escalation | None" = None,
             database: str | None = None) -> ReportResult:
    """The 月度通报 in Word and PDF (GB/T 9704-2012), written from the round's rollup."""
    from .render.bulletin import build_bulletin, load_office

    rnd = _round(round)
    ws = Workspace(Path(out))
    ro, _ = _summarise(ledger, rnd, ws, thresholds, escalation, database)
    doc = build_bulletin(ro, load_office(office), issue_date)
    stem = safe_filename(f"{rnd.label}民生实事推进情况通报")
    files = _write_document(doc, ws.bulletin_dir(rnd) / stem, formats)
    return ReportResult("月度通报", rnd, files, {"标题": doc.title, "发文字号": doc.doc_number,
                                              "滞后任务数": ro.overview()["滞后任务数"]})


def _write_document(doc, stem: Path, formats: tuple[str, ...]) -> list[Path]:
    """Write a 公文 in each asked format; unknown formats are refused before anything is written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"不支持的格式：{'、'.join(unknown)}（可选 docx、pdf）")
    files = []
    if "docx" in formats:
        from .render.docx_gongwen import write_docx

        files.append(write_docx(doc, stem.with_suffix(".docx")))
    if "pdf" in formats:
        from .render.pdf_gongwen import write_pdf

        files.append(write_pdf(doc, stem.with_suffix(".pdf")))
    return files


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
