"""The library API: one function per command, same names and arguments as the CLI.

A script can do what a clerk does:  ``from reporter import api; api.run(ledger=..., round="2025-05")``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import write_text
from .intake.annual import read_ledger
from .model.findings import Findings
from .model.schedule import Round, parse_round
from .model.tasks import AnnualLedger
from .render.findings_book import write_findings
from .workspace import Workspace


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


def run(ledger: str | Path, round: str | Round, out: str | Path) -> RunResult:
    """The monthly job, as far as it is built: check the ledger, then write the round's fill-in templates."""
    import json

    rnd = _round(round)
    result = RunResult(rnd)
    checked = check(ledger, rnd, out)
    result.steps["台帐检查"] = checked.summary()
    result.blocked = bool(checked.findings.errors) and len(checked.ledger) == 0
    result.steps["填报模板"] = template(ledger, rnd, out).summary()
    result.summary_path = write_text(Workspace(Path(out)).round_dir(rnd) / "本轮运行摘要.json",
                                     json.dumps(result.summary(), ensure_ascii=False, indent=2, default=str))
    return result


def _round(value: str | Round) -> Round:
    return value if isinstance(value, Round) else parse_round(value)
