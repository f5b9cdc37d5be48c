"""collect on the sample generator's messy round, checked against the truth it planted.

The accounting must close: every non-empty cell of every recognised data row is merged (with provenance)
or named in a finding, and every value the generator planted comes back as the number it meant.
"""
import json

import pytest

from reporter.intake.annual import read_ledger
from reporter.intake.collect import FILE_FINDINGS, ROW_FINDINGS, collect, iter_cells
from reporter.intake.discover import discover
from reporter.intake.submission import parse_submission
from reporter.model.round_ledger import TOTAL
from reporter.model.schedule import parse_round
from reporter.sample.submissions import make_sample

from .conftest import SAMPLE_LEDGER


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    ledger, _ = read_ledger(SAMPLE_LEDGER, year=2025)
    rnd = ledger.round(parse_round("2025-05"))
    result = make_sample(ledger, rnd, folder, seed=2025)
    truth = json.loads(result.truth.read_text(encoding="utf-8"))
    collected = collect(ledger, rnd, folder)
    return collected, truth, folder


def _row_ref(cell: str) -> int:
    return int("".join(ch for ch in cell if ch.isdigit()))


def test_every_cell_is_merged_or_named_in_a_finding(round_):
    collected, _, folder = round_
    rl = collected.round_ledger
    merged = {(p.file, p.sheet, p.cell) for row in rl if row.reported for p in row.sources.values()}
    at_cell = {(f.file, f.sheet, f.cell) for f in rl.findings}
    at_row = {(f.file, f.sheet, _row_ref(f.cell)) for f in rl.findings if f.code in ROW_FINDINGS and f.cell}
    whole_file = {f.file for f in rl.findings if f.code in FILE_FINDINGS}
    unaccounted = []
    checked = 0
    for source in discover(folder):
        sub = parse_submission(source)
        for sheet, ref, value in iter_cells(sub):
            checked += 1
            key = (source.name, sheet, ref)
            if not (key in merged or key in at_cell or (source.name, sheet, _row_ref(ref)) in at_row
                    or source.name in whole_file):
                unaccounted.append((key, value))
    assert checked > 3000
    assert unaccounted == []


def test_planted_values_come_back_as_meant(round_):
    collected, truth, _ = round_
    rl = collected.round_ledger
    # cells planted as problems are checked as findings below, not as values
    planted = {(p["file"], p["cell"]) for kind in ("formula_no_cache", "negative", "unknown_task", "duplicate_row")
               for p in truth["planted"].get(kind, [])}
    compared = 0
    for file in truth["files"]:
        if not file["winning"]:
            continue
        for row in file["rows"]:
            if row.get("unknown_task") or row.get("duplicate_of") or (file["file"], row["cell"]) in planted:
                continue
            got = rl.rows[(row["task"], row["region"] or TOTAL)]
            assert got.submitter == file["unit"], row
            assert got.status == row["status"], row
            if row["value"] is None:
                assert got.value is None, row
            elif row["cell"] and not row["cell"].startswith("="):
                assert got.value == pytest.approx(row["value"]), row
                assert got.sources["value"].cell == row["cell"], row
                compared += 1
    assert compared > 400


@pytest.mark.parametrize("kind, code", [
    ("formula_no_cache", "intake-formula-no-value"),
    ("negative", "intake-negative"),
    ("unknown_task", "intake-unknown-task"),
    ("far_above_target", "intake-far-above-target"),
    ("completed_below_target", "intake-completed-below-target"),
    ("duplicate_row", "intake-duplicate-row"),
])
def test_each_planted_problem_is_a_finding_at_its_row(round_, kind, code):
    collected, truth, _ = round_
    found = {(f.file, f.sheet, _row_ref(f.cell)) for f in collected.round_ledger.findings if f.code == code and f.cell}
    for plant in truth["planted"][kind]:
        assert (plant["file"], plant["sheet"], _row_ref(plant["cell"])) in found, plant


def test_lagging_without_problem_text(round_):
    collected, truth, _ = round_
    found = {(f.file, _row_ref(f.cell)) for f in collected.round_ledger.findings
             if f.code == "intake-lagging-without-problem"}
    for plant in truth["planted"]["lagging_without_problem"]:
        assert (plant["file"], _row_ref(plant["cell"])) in found


def test_missing_and_resubmitted_units(round_):
    collected, truth, _ = round_
    rl = collected.round_ledger
    assert rl.missing == truth["missing_units"]
    for unit, (old, new) in truth["resubmitted"].items():
        assert collected.winners[unit] == new
        states = {f.name: f.state for f in rl.files}
        assert states[old] == "被替代" and states[new] == "采用"
    plant = truth["planted"]["resubmission"][0]
    changed = {(c["task"], c["field"], c["old"], c["new"]) for c in rl.changes}
    for change in plant["changes"]:
        assert (change["task"], "累计完成", f"{change['old']:g}", f"{change['new']:g}") in changed


def test_identification_never_guesses(round_):
    collected, truth, _ = round_
    by_name = {f.name: f for f in collected.round_ledger.files}
    for file in truth["files"]:
        record = by_name[file["file"]]
        assert record.unit == file["unit"]
        if file["identified_by"] == ["filename"]:  # no metadata, no 填报单位 line: content or name decides
            assert record.how in ("表中内容", "文件名")
    warned = {f.file for f in collected.round_ledger.findings if f.code == "intake-submitter-from-filename"}
    assert warned == {f.name for f in collected.round_ledger.files if f.how == "文件名"}
