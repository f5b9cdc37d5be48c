"""Reruns that do only what changed: which steps of `reporter run` may keep the round's last outputs.

Each step has a key, a digest of what it reads: files by path, size and modification time (the ledger, the
submissions, the templates folder, reporter's own code), settings by value, and the keys of the steps it
reads from (StepKeys). After a run the round folder's `.reporter-run.json` keeps each step's key, its
summary, its note and its files, and a listing of what the next run must find as this run left it: the round
folder (outputs; not the submissions, nor the run's summary), the history database, and the other rounds'
stored data and 督办通知 lists (collect reads the previous round's values, notices continue the year's
numbers). A step is reused when that listing is unchanged and its key is the same: it does not run; its
summary and files come from the record. A changed step reruns, and so does every step that reads it.

With a shared database (PostgreSQL) other clerks may change the history at any time: every step runs.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .files import write_text
from .model.schedule import Round
from .workspace import Workspace

RECORD_NAME = ".reporter-run.json"
SUMMARY_NAME = "本轮运行摘要.json"
REUSED_NOTE = "输入未变，沿用上次输出"
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"  # the packaged templates (公文 CSS, wording): package data
_VERSION = 1


def listing(paths: Iterable[Path | str | None], skip: Iterable[Path] = (), base: Path | None = None) -> list[list]:
    """[name, size, mtime_ns] of each file under `paths` (files or folders), sorted; a missing path is listed
    as missing. Names are relative to `base`, else to each path's folder, so a workspace or a submissions
    folder copied with its times is still the same. Files being written (.~*), Python's caches and anything
    under `skip` are left out."""
    skipped = [Path(p).resolve() for p in skip]
    rows: list[list] = []
    for root in paths:
        if root is None:
            continue
        root = Path(root)
        top = base or root.parent
        if not root.exists():
            rows.append([_name(root, top), -1, -1])
            continue
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in files:
            if path.name.startswith(".~") or "__pycache__" in path.parts or any(_under(path, s) for s in skipped):
                continue
            info = path.stat()
            rows.append([_name(path, top), info.st_size, info.st_mtime_ns])
    return sorted(rows)


def _name(path: Path, top: Path) -> str:
    try:
        return path.relative_to(top).as_posix()
    except ValueError:
        return path.as_posix()


def _under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def digest(*parts: Any) -> str:
    """A short stable digest of JSON-able parts (settings reprs, listings, other keys)."""
    text = json.dumps(parts, ensure_ascii=False, default=repr, sort_keys=True)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class StepKeys:
    """The key of each step of a run, from its inputs and the keys of the steps it reads."""

    keys: dict[str, str]

    @classmethod
    def of(cls, ledger, rnd: Round, submissions, thresholds, escalation, database, office, mail_settings,
           formats, region: str | None = None, fresh: str = "") -> "StepKeys":
        """`submissions`: a path or several; `fresh`: set when collect must run whatever its inputs (a
        mailbox to read). No key holds today's date: documents and e-mails carry the round's deadline (the
        ledger's 填报轮次, part of its files' key, else the round's usual one), so a rerun another day reuses."""
        from .deliver import MailSettings
        from .rollup.status import Thresholds
        from .rollup.summary import Escalation

        thresholds, escalation = thresholds or Thresholds(), escalation or Escalation()  # None: the defaults
        mail_settings = mail_settings or MailSettings()
        day = rnd.deadline or rnd.default_deadline()  # the 成文日期 unless the ledger's 填报轮次 says otherwise
        code = digest(listing([PACKAGE, TEMPLATES]))
        ledger_files = [listing([ledger]), region]  # the office's region picks the ledger's scope
        k: dict[str, str] = {}
        k["台帐检查"] = digest(code, ledger_files, rnd.key)
        k["填报模板"] = digest(code, ledger_files, rnd.key, database)  # prefilled from the history
        k["汇总报送"] = digest(code, ledger_files, rnd.key,
                           listing(submissions if isinstance(submissions, list) else [submissions]), database, fresh)
        k["汇总分析"] = digest(k["汇总报送"], repr(thresholds), repr(escalation))
        own = Path(office).parent if office else None  # a workspace's own templates beside its office.toml
        own = own if own and own.resolve() != TEMPLATES.resolve() and any(own.glob("*/*.j2")) else None
        documents = (listing([office, own]), list(formats), str(day))
        for name in ("月度通报", "督办通知", "领导参阅"):
            k[name] = digest(name, k["汇总分析"], documents)
        k["邮件草稿"] = digest(code, ledger_files, repr(mail_settings), str(day),
                           k["汇总报送"], k["月度通报"], k["督办通知"], k["领导参阅"])
        return cls(k)


@dataclass
class StepRecord:
    key: str
    note: str
    summary: dict[str, Any]
    files: list[str] = field(default_factory=list)  # relative to the workspace


@dataclass
class RunRecord:
    """What the round's last run did (its steps) and what it left (`left`: the listing the next run checks)."""

    path: Path
    left: list[list] = field(default_factory=list)
    steps: dict[str, StepRecord] = field(default_factory=dict)
    why_not: str = ""  # why nothing can be reused, for the run's summary ('' when steps may be)

    @classmethod
    def load(cls, ws: Workspace, rnd: Round, submissions, database: str | None) -> "RunRecord":
        """The last run's record when its outputs are as it left them; else an empty one (nothing reused)."""
        path = ws.round_dir(rnd) / RECORD_NAME
        if database:
            return cls(path, why_not="历史库为共用数据库")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != _VERSION:
                return cls(path, why_not="无上次运行记录")
            steps = {name: StepRecord(**step) for name, step in data["steps"].items()}
            left = data["left"]
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path, why_not="无上次运行记录")
        if left != left_behind(ws, rnd, submissions):
            return cls(path, why_not="上次的输出、历史库或其他轮次的数据已有改动")
        return cls(path, left, steps)

    def reusable(self, name: str, key: str) -> StepRecord | None:
        found = self.steps.get(name)
        return found if found is not None and found.key == key else None

    def keep(self, name: str, record: StepRecord | None) -> None:
        """This run's record of a step: `record`, or none (the step failed or did not run)."""
        if record is None:
            self.steps.pop(name, None)
        else:
            self.steps[name] = record

    def save(self, ws: Workspace, rnd: Round, submissions) -> Path:
        """Written after the run's summary: the listing is of everything as this run left it."""
        self.left = left_behind(ws, rnd, submissions)
        payload = {"version": _VERSION, "left": self.left,
                   "steps": {name: asdict(step) for name, step in self.steps.items()}}
        return write_text(self.path, json.dumps(payload, ensure_ascii=False, default=str))


def left_behind(ws: Workspace, rnd: Round, submissions) -> list[list]:
    """The files a run leaves that the next run must find unchanged to reuse anything."""
    round_dir = ws.round_dir(rnd)
    skip = [round_dir / RECORD_NAME, round_dir / SUMMARY_NAME, ws.uploads_log(rnd), ws.submissions_dir(rnd)]
    if submissions:
        skip.append(Path(submissions))
    others = [p for p in ws.root.glob("*/本轮台帐.json") if p.parent != round_dir]
    others += [p for p in ws.root.glob(f"*/{ws.notices_dir(rnd).name}/清单.json") if p.parent.parent != round_dir]
    rows = listing([round_dir, ws.history_db, *others], skip=skip, base=ws.root)
    return [row for row in rows if not os.path.basename(row[0]).startswith(".")]
