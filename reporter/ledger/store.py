"""The round's merged values as JSON in the workspace, so the next round can compare with this one.

(The SQLite/PostgreSQL history store comes with the rollup work; this file stays as the plain record.)
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from ..files import write_text
from ..model.schedule import Round
from ..workspace import Workspace
from .round import RoundLedger

ROUND_FILE = "本轮台帐.json"


def save_round(ws: Workspace, rl: RoundLedger) -> Path:
    rows = []
    for row in rl:
        data = asdict(row)
        data["sources"] = {k: str(v) for k, v in row.sources.items()}
        rows.append(data)
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
