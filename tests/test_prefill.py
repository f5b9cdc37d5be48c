"""June's fill-in templates carry May's merged 累计完成 (locked, grey) and each unit's 工作进展 (to edit)."""
from __future__ import annotations

import shutil

import openpyxl
import pytest

from reporter import api
from reporter.intake.submission_schema import PROGRESS
from reporter.ledger.history import History
from reporter.model import findings as F

from .conftest import SAMPLE_LEDGER

COL = {f.key: i + 1 for i, f in enumerate(PROGRESS.fields)}
FIRST = 4  # title, info line, header


@pytest.fixture(scope="module")
def june(sample_round, tmp_path_factory):
    """A copy of the sample workspace (May collected) with June's templates written."""
    out = tmp_path_factory.mktemp("june")
    shutil.copytree(sample_round, out, dirs_exist_ok=True)
    result = api.template(SAMPLE_LEDGER, "2025-06", out)
    with History(out / "history.sqlite") as history:
        may = history.values("2025-05")
    return out, result.files, may


def rows_of(path):
    ws = openpyxl.load_workbook(path)["进展填报"]
    for r in range(FIRST, ws.max_row + 1):
        code = ws.cell(r, COL["code"]).value
        if code and str(code).startswith("MS"):  # not the 填表人 footer
            yield ws, r, code, ws.cell(r, COL["region"]).value


def test_june_templates_carry_mays_merged_figures_locked_and_grey(june):
    out, files, may = june
    edu = next(p for p in files if "省教育厅" in p.name)
    checked = 0
    for ws, r, code, region in rows_of(edu):
        cell = ws.cell(r, COL["previous"])
        stored = may.get((code, ""))  # a department reports its tasks as a whole
        if stored and stored["value"] is not None and cell.value is not None:
            assert cell.value == pytest.approx(stored["value"])
            checked += 1
        assert cell.protection.locked is not False and cell.fill.fgColor.rgb.endswith("F2F2F2")
    assert checked >= 3
    carried = sum(ws.cell(r, COL["previous"]).value is not None for p in files for ws, r, _, _ in rows_of(p))
    assert carried > 100


def test_the_units_last_progress_text_is_written_in_for_editing(june):
    out, files, may = june
    texts = {k: v["progress"] for k, v in may.items() if v.get("progress")}
    assert texts, "May's rows keep their 工作进展 in the history store"
    found = 0
    for path in files:
        for ws, r, code, region in rows_of(path):
            cell = ws.cell(r, COL["progress"])
            if cell.value:
                assert cell.value in texts.values()
                assert cell.protection.locked is False  # the unit edits it
                found += 1
    assert found >= len(texts) // 2


def test_a_figure_held_out_is_never_carried_as_last_months_total(june):
    out, files, may = june
    suspect = [(k, v) for k, v in may.items() if v["value"] == 4100.0]
    assert suspect, "the sample's 宜昌市 wrote 4100 (万个) against a target of 1"
    (code, region), _ = suspect[0]
    for path in files:
        for ws, r, c, name in rows_of(path):
            if c == code:
                assert ws.cell(r, COL["previous"]).value != 4100.0


def test_an_old_history_store_gains_the_progress_column(tmp_path):
    import sqlalchemy as sa

    db = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE round_values (round_key TEXT, task TEXT, region TEXT, owner TEXT NOT NULL,"
                             " submitter TEXT, value FLOAT, raw_value TEXT NOT NULL, status TEXT, status_class TEXT,"
                             " time_progress FLOAT, completion FLOAT, problems TEXT NOT NULL, file TEXT, sheet TEXT,"
                             " cell TEXT, PRIMARY KEY (round_key, task, region))"))
        conn.execute(sa.text("INSERT INTO round_values VALUES ('2025-05','T1','','厅','厅',5,'5',NULL,NULL,NULL,NULL,"
                             "'',NULL,NULL,NULL)"))
    engine.dispose()
    with History(db).create() as history:
        row = history.last_reported("2025-06")[("T1", "")]
    assert row["value"] == 5 and row["progress"] is None


def test_a_total_below_last_months_is_a_finding_for_running_totals(june, tmp_path):
    """省教育厅 fills June's template with a 累计完成 below the 上月累计完成 it carries."""
    out, files, may = june
    edu = next(p for p in files if "省教育厅" in p.name)
    wb = openpyxl.load_workbook(edu)
    ws = wb["进展填报"]
    lowered = None
    for r in range(FIRST, ws.max_row + 1):
        before = ws.cell(r, COL["previous"]).value
        code = ws.cell(r, COL["code"]).value
        if before and lowered is None and api_cumulative(code):
            ws.cell(r, COL["value"]).value = before - 1
            lowered = (code, before)
    assert lowered
    folder = tmp_path / "六月报送"
    folder.mkdir()
    wb.save(folder / edu.name)
    result = api.collect(folder, SAMPLE_LEDGER, "2025-06", out)
    below = [f for f in result.round_ledger.findings if f.type is F.INTAKE_BELOW_PREVIOUS]
    assert any(f"低于上期的 {lowered[1]:g}" in f.message for f in below), [f.message for f in below]


def api_cumulative(code) -> bool:
    """Whether a task's 累计完成 is a running total (a quantity, not a rate or a level)."""
    from reporter.intake.annual import read_ledger

    ledger = _LEDGER.setdefault("ledger", read_ledger(SAMPLE_LEDGER, year=2025)[0])
    task = ledger.tasks.get(code)
    return bool(task and task.cumulative(task.target))


_LEDGER: dict = {}
