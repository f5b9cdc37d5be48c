"""The round's merged values as JSON in the workspace, so the next round can compare with this one.

The history database (ledger/history.py) keeps every round for comparison and audit; this file is the round's
plain record, which the commands after collect (rollup, report) read back.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..files import write_text
from ..model.findings import CATALOGUE, Finding
from ..model.round_ledger import FileRecord, RoundLedger, RoundRow
from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..workspace import Workspace

ROUND_FILE = "本轮台帐.json"


def save_round(ws: Workspace, rl: RoundLedger) -> Path:
    rows = [asdict(row) for row in rl]
    payload = {"round": rl.round.key, "ledger": rl.ledger.path, "rows": rows,
               "files": [{**asdict(f), "arrived": f.arrived.isoformat() if f.arrived else None} for f in rl.files],
               "missing": rl.missing, "changes": rl.changes}
    return write_text(ws.round_dir(rl.round) / ROUND_FILE, json.dumps(payload, ensure_ascii=False, indent=1))


def load_previous(ws: Workspace, rnd: Round) -> dict[tuple[str, str], float]:
    """Last round's cumulative values by (task, region), when that round was collected in this workspace."""
    path = ws.round_dir(rnd.previous()) / ROUND_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {(r["task"], r["region"]): r["value"] for r in data["rows"] if r.get("value") is not None}


class RoundNotCollected(Exception):
    """The round has not been collected in this workspace yet; the message says what to run."""


def load_round(ws: Workspace, ledger: AnnualLedger, rnd: Round) -> RoundLedger:
    """The round as `collect` stored it, for the commands that come after it."""
    path = ws.round_dir(rnd) / ROUND_FILE
    if not path.is_file():
        raise RoundNotCollected(f"{rnd.label}尚未汇总：请先运行 reporter collect --round {rnd.key}（找不到 {path}）。")
    data = json.loads(path.read_text(encoding="utf-8"))
    rl = RoundLedger(ledger, ledger.round(rnd), missing=data.get("missing", []), changes=data.get("changes", []))
    for raw in data["rows"]:
        if raw["task"] not in ledger.tasks:
            continue  # a task removed from the ledger since the round was collected
        raw["origin"] = tuple(raw["origin"]) if raw.get("origin") else None
        row = RoundRow(**raw)
        rl.rows[(row.task, row.region)] = row
    for raw in data.get("files", []):
        arrived = dt.datetime.fromisoformat(raw["arrived"]) if raw.get("arrived") else None
        rl.files.append(FileRecord(**{**raw, "arrived": arrived}))
    return rl


FINDINGS_FILE = "本轮问题.json"


@dataclass(frozen=True)
class UnitFinding:
    """A finding of the round's collect with the unit whose file it is in ('' when the sender is unknown)."""
    finding: Finding
    unit: str


def save_findings(ws: Workspace, rnd: Round, findings: list[UnitFinding]) -> Path:
    """The round's findings beside its values, so the web page lists them without collecting again."""
    payload = [{**asdict(f.finding), "unit": f.unit} for f in findings]
    return write_text(ws.round_dir(rnd) / FINDINGS_FILE, json.dumps(payload, ensure_ascii=False, indent=1))


def load_findings(ws: Workspace, rnd: Round) -> list[UnitFinding]:
    """What save_findings wrote; [] before the round is collected (or by a version that did not write it)."""
    path = ws.round_dir(rnd) / FINDINGS_FILE
    if not path.is_file():
        return []
    out = []
    for raw in json.loads(path.read_text(encoding="utf-8")):
        unit = raw.pop("unit", "")
        if raw.get("code") in CATALOGUE:  # a finding type since removed is not shown half-known
            out.append(UnitFinding(Finding(**{k: raw.get(k, "") for k in _FINDING_FIELDS}), unit))
    return out


_FINDING_FIELDS = ("code", "message", "file", "sheet", "cell", "field", "value")
