from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_LEDGER = ROOT / "ledgers" / "sample" / "2025年民生实事任务台帐.xlsx"


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
