"""The round's board (本轮报送情况): each reporting unit's state, how its file came, the 催报 list and, once the
round is rolled up, the headline figures. The web page's home shows it; api.board builds it.

Read from what collect and rollup left in the workspace (本轮台帐.json, 本轮问题.json, the 退回修改 folder) and
the upload record: building it reads no submission.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .intake.discover import discover
from .intake.inbox import read_record
from .model.round_ledger import FileRecord, RoundLedger
from .ledger.store import ROUND_FILE, UnitFinding
from .model.findings import Severity
from .model.schedule import Round
from .model.tasks import AnnualLedger
from .workspace import Workspace

SUBMITTED, LATE, MISSING = "已报送", "迟报", "未报送"
VIA_UPLOAD, VIA_MAIL, VIA_FOLDER = "网页上传", "电子邮件", "文件夹"
ROLLUP_BOOK = "汇总分析表.xlsx"


@dataclass
class FileSeen:
    """A file of the round as the board shows it."""
    name: str  # relative to the submissions folder ('a.zip/b.xlsx' inside a zip)
    state: str  # collect's: 采用 / 被替代 / 未识别单位 / 无法读取
    arrived: dt.datetime | None
    late: bool
    via: str  # VIA_*
    uploaded: dt.datetime | None = None  # when it came through the web page
    how: str = ""  # how the sender was identified
    arrival: str = ""  # how `arrived` is known (邮件日期, 收件登记, 网页上传时间; 文件修改时间 only a hint)
    sender: str = ""  # the e-mail's sender, for a file that came in one
    subject: str = ""


@dataclass
class UnitStatus:
    unit: str  # the unit's full name
    label: str  # its short name, as documents write it
    state: str  # SUBMITTED / LATE / MISSING
    findings: int = 0  # errors and warnings in its files (有问题)
    errors: int = 0  # of which errors (the file goes back to the unit)
    hints: int = 0  # 提示: worth a look, not a problem (a name matched loosely, the sender read from the file name)
    returned: str = ""  # its 退回修改 workbook, relative to the workspace, when one was written
    sent: dt.datetime | None = None  # when its mail (with that workbook) was delivered, after the workbook
    contact: str = ""
    files: list[FileSeen] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        """The state and what else the clerk must know: 有问题; 待退回 (a 退回修改 workbook is ready), 已退回
        (mailed to the unit by `reporter mail --send`)."""
        back = ["已退回"] if self.sent else ["待退回"] if self.returned else []
        return [self.state] + (["有问题"] if self.findings else []) + back

    @property
    def rank(self) -> int:
        """What needs the clerk first: 未报送, then 迟报, then files with problems, then the rest."""
        return (0 if self.state == MISSING else 1 if self.state == LATE else 2 if self.errors else
                3 if self.findings else 4)

    @property
    def latest(self) -> FileSeen | None:
        adopted = [f for f in self.files if f.state == "采用"] or self.files
        return adopted[-1] if adopted else None


@dataclass
class Board:
    round: Round
    ledger: str
    submissions: Path
    collected: dt.datetime | None  # when collect last wrote the round, None before
    units: list[UnitStatus] = field(default_factory=list)
    unidentified: list[FileSeen] = field(default_factory=list)  # files whose sender is not known, or unreadable
    pending: list[str] = field(default_factory=list)  # files in the folder that the last collect did not read
    headline: dict[str, Any] | None = None  # the rollup's 总体情况, once rolled up since the last collect
    lagging: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        states = Counter(u.state for u in self.units)
        return {SUBMITTED: states[SUBMITTED], LATE: states[LATE], MISSING: states[MISSING],
                "有问题": sum(1 for u in self.units if u.findings),
                "待退回": sum(1 for u in self.units if u.returned and not u.sent),
                "已退回": sum(1 for u in self.units if u.sent)}

    def chase_text(self) -> str:
        """The 催报 list, ready to paste into a chat group or a phone note."""
        missing = [u for u in self.units if u.state == MISSING]
        if not missing:
            return ""
        deadline = self.round.deadline
        when = f"{deadline.year}年{deadline.month}月{deadline.day}日" if deadline else "报送截止日"
        lines = [f"以下单位尚未报送{self.round.label}民生实事任务进展（截止日期：{when}），请尽快报送："]
        lines += [f"{n}. {u.label}" + (f"（{u.contact}）" if u.contact else "") for n, u in enumerate(missing, 1)]
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        return {"轮次": self.round.key, "已汇总": bool(self.collected), **self.counts(),
                "未汇总文件": self.pending, "总体情况": self.headline}


def build_board(annual: AnnualLedger, rnd: Round, ws: Workspace, submissions: Path,
                rl: RoundLedger | None, findings: list[UnitFinding], rolled: Any = None,
                sent: dict[str, dt.datetime] | None = None) -> Board:
    """The board from the stored round (`rl`, None before the first collect) and its findings; `rolled`, a
    Rollup, when the round was rolled up after it was last collected; `sent`, unit label → when the round's
    mail last went to it."""
    store = ws.round_dir(rnd) / ROUND_FILE
    collected = dt.datetime.fromtimestamp(store.stat().st_mtime) if rl is not None and store.is_file() else None
    board = Board(rnd, str(annual.path), submissions, collected)
    uploads = {u.stored_as: u.uploaded for u in read_record(ws.uploads_log(rnd))}
    seen = [_seen(f, uploads) for f in (rl.files if rl else [])]
    by_unit: dict[str, list[FileSeen]] = {}
    for record, shown in zip(rl.files if rl else [], seen):
        if record.unit and record.state in ("采用", "被替代"):
            by_unit.setdefault(record.unit, []).append(shown)
        else:
            board.unidentified.append(shown)
    severities = Counter((f.unit, f.finding.severity) for f in findings)
    errors = Counter({unit: n for (unit, sev), n in severities.items() if sev is Severity.ERROR})
    warnings = Counter({unit: n for (unit, sev), n in severities.items() if sev is Severity.WARNING})
    hints = Counter({unit: n for (unit, sev), n in severities.items() if sev is Severity.INFO})
    names = annual.submitters() + sorted(set(by_unit) - set(annual.submitters()))
    for name in names:
        unit = annual.units.match(name)
        label = unit.label if unit else name
        files = sorted(by_unit.get(name, []), key=lambda f: f.arrived or dt.datetime.min)
        returned = ws.return_workbook(rnd, label)
        # the history keeps whole seconds: a mail sent within the second the workbook was written came after it
        written = (dt.datetime.fromtimestamp(returned.stat().st_mtime).replace(microsecond=0)
                   if returned.is_file() else None)
        mailed = (sent or {}).get(label)
        board.units.append(UnitStatus(
            name, label, _state(files), errors[label] + warnings[label], errors[label], hints[label],
            str(returned.relative_to(ws.root)) if written else "",
            mailed if written and mailed and mailed >= written else None,
            contact=(unit.contact or "") if unit else "", files=files))
    board.pending = _pending(submissions, {f.name for f in seen})
    if rolled is not None:
        board.headline = rolled.overview()
        board.lagging = rolled.lagging()
    return board


def _seen(record: FileRecord, uploads: dict[str, dt.datetime]) -> FileSeen:
    top = record.name.split("/", 1)[0]  # a member of an uploaded zip or e-mail came with it
    via = VIA_MAIL if record.message else VIA_UPLOAD if top in uploads else VIA_FOLDER
    return FileSeen(record.name, record.state, record.arrived, record.late, via, uploads.get(top), record.how,
                    record.arrival, record.sender, record.subject)


def _state(files: list[FileSeen]) -> str:
    adopted = [f for f in files if f.state == "采用"]
    if not adopted:
        return MISSING
    return LATE if any(f.late for f in adopted) else SUBMITTED


def _pending(submissions: Path, read: set[str]) -> list[str]:
    """Files waiting in the submissions folder that the last collect did not read (uploaded since)."""
    if not submissions.is_dir():
        return []
    on_disk = {str(s.path.relative_to(submissions)) for s in discover(submissions) if s.readable}
    done = set()
    for name in read:  # 'a.zip/b.xlsx' was read from the file 'a.zip'
        parts = name.split("/")
        done.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return sorted(on_disk - done)
