"""Faults around a run: another run on the same workspace, a program holding the history store, a full
disk, a crash's leftovers. Each ends in one Chinese message naming what to do, with the workspace's files
consistent (the store and the round's workbooks never disagree) and nothing half-written left behind."""
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reporter import api
from reporter.ledger import history as history_module
from reporter.workspace import WorkspaceBusy

from .conftest import ROOT, write_book
from .test_mail import ledger_rows

ROUND = "2025-05"


@pytest.fixture
def office(tmp_path):
    """A ledger, one unit's submission, and a workspace where the round was collected once."""
    ledger = write_book(tmp_path / "2025年民生实事任务台帐.xlsx", ledger_rows())
    folder = tmp_path / "报送"
    folder.mkdir()
    write_book(folder / "省教育厅5月进展.xlsx", {"进展填报": [
        ["填报单位：省教育厅"], ["任务编号", "任务名称", "累计完成", "进展状态"], ["MS-01", "新增公办幼儿园学位", 3.5, "正常推进"]]})
    out = tmp_path / "工作区"
    api.collect(folder, ledger, ROUND, out)
    return ledger, folder, out


def holding(script: str) -> subprocess.Popen:
    """Another program, started and holding what `script` takes until it is killed; it prints 'ready'."""
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_run_on_the_same_workspace_waits_then_stops_in_chinese(office, monkeypatch):
    ledger, folder, out = office
    monkeypatch.setattr("reporter.workspace.LOCK_WAIT", 0.5)
    other = holding(f"""
        from filelock import FileLock
        lock = FileLock({str(out / '.reporter.lock')!r}); lock.acquire()
        print('ready', flush=True)
        import time; time.sleep(60)
    """)
    try:
        with pytest.raises(WorkspaceBusy, match="另一个运行正在使用工作区"):
            api.collect(folder, ledger, ROUND, out)
    finally:
        other.kill()
        other.wait()
    api.collect(folder, ledger, ROUND, out)  # once the other run is over, the workspace is free


def test_a_program_holding_the_store_leaves_the_workbooks_as_they_were(office, monkeypatch):
    ledger, folder, out = office
    book = out / ROUND / "本轮台帐.xlsx"
    before = book.read_bytes()
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT", 1)
    write_book(folder / "省住建厅5月进展.xlsx", {"进展填报": [
        ["填报单位：省住建厅"], ["任务编号", "任务名称", "累计完成"], ["MS-02", "城镇老旧小区改造", 300]]})
    reader = holding(f"""
        import sqlite3
        db = sqlite3.connect({str(out / 'history.sqlite')!r}, isolation_level=None)
        db.execute('BEGIN EXCLUSIVE')
        print('ready', flush=True)
        import time; time.sleep(60)
    """)
    try:
        with pytest.raises(history_module.StoreBusy, match="历史库被占用") as caught:
            api.collect(folder, ledger, ROUND, out)
    finally:
        reader.kill()
        reader.wait()
    assert "history.sqlite" in str(caught.value) and "locked" not in str(caught.value)
    assert book.read_bytes() == before  # the workbook still says what the store says


@pytest.mark.parametrize("command", ["collect", "template"])  # the store fails first; workbooks alone
def test_a_full_disk_is_one_chinese_line_and_leaves_no_partial_files(office, tmp_path, command):
    ledger, folder, out = office
    fresh = tmp_path / "新工作区"
    def limited():  # the disk fills up after 6 KB written by any one file
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (6_000, 6_000))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    source = [str(folder)] if command == "collect" else []
    done = subprocess.run([sys.executable, "-m", "reporter.cli", command, *source, "--ledger", str(ledger),
                           "--round", ROUND, "--out", str(fresh)], capture_output=True, text=True, env=env,
                          preexec_fn=limited, cwd=tmp_path)
    assert done.returncode != 0
    assert done.stderr.startswith("错误：") and "磁盘" in done.stderr, done.stderr
    for noise in ("Errno", "Traceback", "Exception ignored", "File too large"):
        assert noise not in done.stderr, done.stderr
    assert not [p for p in fresh.rglob(".~*")]  # no temporary file left
    assert all(p.stat().st_size > 0 for p in fresh.rglob("*.xlsx"))


def test_temporary_files_a_crash_left_are_cleared_at_the_start_of_a_run(office):
    ledger, folder, out = office
    left = out / ROUND / ".~k3j_x9q2.xlsx"
    left.write_bytes(b"")
    word_lock = out / ROUND / "~$5年5月通报.docx"  # Word's own lock file is not ours to remove
    word_lock.write_bytes(b"x")
    api.collect(folder, ledger, ROUND, out)
    assert not left.exists() and word_lock.exists()
