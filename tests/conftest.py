from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LEDGER = ROOT / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"


@pytest.fixture(scope="session")
def sample_round(tmp_path_factory) -> Path:
    """A workspace holding the sample ledger's 2025-05 round, generated, collected and rolled up once per
    session. Tests read it; a test that changes a workspace makes its own."""
    from reporter import api

    out = tmp_path_factory.mktemp("sample-round")
    api.sample(SAMPLE_LEDGER, "2025-05", out)
    api.collect(out / "2025-05" / "样例报送", SAMPLE_LEDGER, "2025-05", out)
    return out


@pytest.fixture(scope="session")
def sample_rollup(sample_round):
    """The sample round's Rollup (judgements, rollups, rankings) as `reporter rollup` computes it."""
    from reporter import api

    return api.rollup(SAMPLE_LEDGER, "2025-05", sample_round).rollup


def on_schedule(ro, lagging=None):
    """The round `ro` with every task and row exactly on schedule, every unit reporting and no figure held, except the tasks
    in `lagging` (task code → Judgement)."""
    from dataclasses import replace

    from reporter.rollup.status import Judgement, Status

    def on(j):
        return Judgement(Status.ON_SCHEDULE, j.time_progress, j.time_progress, 0.0)
    tasks = {c: (lagging or {}).get(c, on(j)) for c, j in ro.tasks.items()}
    return replace(ro, tasks=tasks, judgements={k: on(j) for k, j in ro.judgements.items()},
                   round_ledger=replace(ro.round_ledger, missing=[]), consecutive={}, held=[])


def write_book(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A small workbook written the way a clerk's Excel would hold it."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    def make(name: str, sheets: dict[str, list[list]], merges=None) -> Path:
        return write_book(tmp_path / name, sheets, merges)
    return make
