"""Reruns do only what changed (reporter.reuse): an unchanged round keeps its outputs and says so; a changed
input reruns its step and the steps that read it; an output a clerk deleted or edited brings a full rerun."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reporter import api
from reporter.cli import main
from reporter.reuse import REUSED_NOTE

from .conftest import SAMPLE_LEDGER

ROUND = "2025-05"
STEPS = list(api.STEPS)
OFFICE = Path(__file__).resolve().parents[1] / "reporter" / "templates" / "office.toml"


class Notes:
    """The run's progress notes, as the command line shows them."""

    def __init__(self):
        self.notes: dict[str, str] = {}

    def start(self, step, total=None):
        pass

    def advance(self, step, done=1):
        pass

    def finish(self, step, note="", ok=True):
        self.notes[step] = note


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A workspace after one run of the sample round (Word only, to keep the tests short)."""
    root = tmp_path_factory.mktemp("first")
    ledger = shutil.copy2(SAMPLE_LEDGER, root / Path(SAMPLE_LEDGER).name)
    office = shutil.copy2(OFFICE, root / "office.toml")
    ws = root / "ws"
    folder = api.sample(ledger, ROUND, ws).folder
    result = api.run(ledger, ROUND, ws, submissions=folder, office=office, formats=("docx",))
    assert not result.failed and not result.reused
    (root / "documents.txt").write_text("\n".join(p.relative_to(ws).as_posix() for p in result.documents))
    return root


@pytest.fixture
def copy(first, tmp_path):
    """The first run's workspace, ledger and office file copied with their times (a rerun reuses it)."""
    root = tmp_path / "copy"
    shutil.copytree(first, root, copy_function=shutil.copy2)
    return root


def rerun(root: Path, **options) -> tuple[api.RunResult, Notes]:
    notes = Notes()
    ledger = root / Path(SAMPLE_LEDGER).name
    result = api.run(ledger, ROUND, root / "ws", submissions=root / "ws" / ROUND / "样例报送",
                     office=root / "office.toml", formats=("docx",), progress=notes, **options)
    assert not result.failed
    return result, notes


def outputs(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file of the round (content and modification time), not the run's summary or record."""
    folder = root / "ws" / ROUND
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and p.name not in ("本轮运行摘要.json", ".reporter-run.json")
            and "样例报送" not in p.parts}


def test_an_unchanged_round_keeps_every_output_and_says_so(copy):
    before = outputs(copy)
    result, notes = rerun(copy)
    assert result.reused == STEPS
    assert all(notes.notes[s].startswith(REUSED_NOTE) for s in STEPS)
    assert notes.notes["督办通知"] == f"{REUSED_NOTE}（48 个单位）"
    assert outputs(copy) == before  # the same files, not even rewritten
    listed = [p.relative_to(copy / "ws").as_posix() for p in result.documents]
    assert listed == (copy / "documents.txt").read_text().splitlines()  # as the first run listed them
    assert result.headline()["督办单位数"] == 48 and result.headline()["未报送单位"] == ["省残联"]


def test_the_command_line_prints_that_outputs_were_kept(copy):
    # the repository's reporter.toml with the first run's office file (the repository's own templates/ would
    # be other wording inputs, and rightly rerun the documents)
    repo_config = (Path(__file__).resolve().parents[1] / "reporter.toml").read_text(encoding="utf-8")
    config = copy / "reporter.toml"
    config.write_text(repo_config.replace('office = "templates/office.toml"', 'office = "office.toml"'),
                      encoding="utf-8")
    out = CliRunner().invoke(main, ["run", "--config", str(config),
                                    "--ledger", str(copy / Path(SAMPLE_LEDGER).name), "--round", ROUND,
                                    "--out", str(copy / "ws"), "--submissions", str(copy / "ws" / ROUND / "样例报送"),
                                    "--format", "docx"])
    assert out.exit_code == 0, out.output
    assert out.output.count(REUSED_NOTE) >= 7  # reporter.toml's [mail] differs from the defaults: drafts rerun


def test_a_changed_wording_rewrites_the_documents_only(copy):
    office = copy / "office.toml"
    text = office.read_text(encoding="utf-8")
    office.write_text(text.replace("，省纪委监委机关。", "。", 1), encoding="utf-8")  # 抄送 one fewer
    before = outputs(copy)
    result, notes = rerun(copy)
    assert result.reused == ["台帐检查", "填报模板", "汇总报送", "汇总分析"]
    assert not notes.notes["月度通报"].startswith(REUSED_NOTE)
    after = outputs(copy)
    assert after["汇总分析表.xlsx"] == before["汇总分析表.xlsx"]
    bulletin = next(k for k in after if k.startswith("通报/") and k.endswith(".docx"))
    assert after[bulletin][1] != before[bulletin][1]  # written again


def test_a_late_submission_recollects_and_the_unit_is_no_longer_missing(copy):
    ws = copy / "ws"
    template = next((ws / ROUND / "填报模板").glob("*省残联*"))
    book = load_workbook(template)
    sheet = book["进展填报"]
    header = [c.value for c in sheet[3]]
    sheet.cell(4, header.index("累计完成") + 1, 96)
    sheet.cell(4, header.index("进展状态") + 1, "正常推进")
    book.save(ws / ROUND / "样例报送" / "省残联-2025年5月民生实事进展.xlsx")
    result, notes = rerun(copy)
    assert result.reused == ["台帐检查", "填报模板"]
    assert notes.notes["汇总报送"] == "59 个文件"
    assert "省残联" not in result.headline()["未报送单位"]


def test_a_deleted_output_brings_it_back(copy):
    notice = next((copy / "ws" / ROUND / "督办通知").glob("*.docx"))
    notice.unlink()
    result, _ = rerun(copy)
    assert result.reused == [] and notice.is_file()
    assert result.summary()["全部重新运行的原因"] == "上次的输出、历史库或其他轮次的数据已有改动"


def test_a_changed_ledger_or_force_runs_every_step(copy):
    result, _ = rerun(copy, force=True)
    assert result.reused == [] and result.fresh_start == "要求全部重新运行"
    assert rerun(copy)[0].reused == STEPS
    ledger = copy / Path(SAMPLE_LEDGER).name
    os.utime(ledger, ns=(ledger.stat().st_atime_ns, ledger.stat().st_mtime_ns + 10**9))  # saved again in Excel
    assert rerun(copy)[0].reused == []


def test_a_rerun_on_another_day_keeps_every_steps_key(monkeypatch, tmp_path):
    """The documents and e-mails carry the round's deadline, not the day they were made: a rerun on 6月20日 of
    a round first run on 6月2日 reuses every step, the mail drafts too (today's date is fixed, not timed)."""
    import datetime as dt

    from reporter.reuse import StepKeys

    def keys_on(day: dt.date) -> dict[str, str]:
        class Day(dt.date):
            @classmethod
            def today(cls):
                return day

        monkeypatch.setattr(dt, "date", Day)
        return StepKeys.of(SAMPLE_LEDGER, api.parse_round(ROUND), tmp_path, None, None, None, OFFICE, None,
                           ("docx",)).keys

    first, later = keys_on(dt.date(2025, 6, 2)), keys_on(dt.date(2025, 6, 20))
    assert first == later and set(first) == set(STEPS)
