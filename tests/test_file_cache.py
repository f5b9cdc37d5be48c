"""Collecting a round again reads only the files that changed: the others come back as read last time, and
the round is exactly what a first collect of the same files gives."""
import datetime as dt
import os
import shutil
from dataclasses import asdict

import pytest

from reporter import api
from reporter.intake import collect as collect_module
from reporter.model.schedule import parse_round
from reporter.workspace import Workspace

from .conftest import write_book

ROUND = "2025-05"
ON_TIME, LATE = 1_748_833_200, 1_750_000_000  # 2025-06-02 and 2025-06-15: before and after the deadline
UNITS = [["单位名称", "简称", "单位类型"], ["湖北省教育厅", "省教育厅", "部门"],
         ["湖北省人力资源和社会保障厅", "省人社厅", "部门"], ["咸安区人民政府", "咸安区政府", "地区"],
         ["嘉鱼县人民政府", "嘉鱼县政府", "地区"]]
TASKS = [["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
         ["T1", "新增公办学前教育学位", "教育", "个", "70000", "省教育厅", "年底前"],
         ["T2", "城镇新增就业", "就业", "万人", "70", "省人社厅", "年底前"],
         ["T4", "建设急救站点", "医疗卫生", "个", "140", "省教育厅", "6月底前"]]
SPLIT = [["任务编号", "地区", "年度目标", "责任单位"], ["T4", "咸安区", 80, "咸安区政府"], ["T4", "嘉鱼县", 60, "嘉鱼县政府"]]


def write_ledger(path, t2_target="70"):
    tasks = [row[:4] + [t2_target] + row[5:] if row[0] == "T2" else row for row in TASKS]
    return write_book(path, {"任务": tasks, "分地区目标": SPLIT, "责任单位": UNITS})


def submission(path, unit, rows, title="2025年5月民生实事进展填报表"):
    """A unit's file as offices fill it in: a title, 填报单位, the header, its rows, a 填表人 line."""
    return write_book(path, {"进展填报": [[title], [f"填报单位：{unit}"],
                                      ["任务编号", "任务名称", "地区", "累计完成", "进展状态", "存在问题"], *rows,
                                      ["填表人：张三", None, "联系电话：027-87654321"]]})


@pytest.fixture
def round_files(tmp_path):
    """The ledger and a round's submissions: two departments and two counties, one with a problem row."""
    ledger = write_ledger(tmp_path / "台帐.xlsx")
    folder = tmp_path / "报送"
    folder.mkdir()
    submission(folder / "省教育厅5月进展.xlsx", "湖北省教育厅",
               [["T1", "新增公办学前教育学位", None, 41000, "正常推进", None],
                ["T4", "建设急救站点", None, 90, "正常推进", None]])
    submission(folder / "省人社厅5月进展.xlsx", "省人社厅",
               [["T2", "城镇新增就业", None, "28.5", "滞后", None]])  # 滞后 without a reason: a finding
    submission(folder / "咸安区5月进展.xlsx", "咸安区人民政府", [["T4", "建设急救站点", "咸安区", 50, "正常推进", None]])
    submission(folder / "嘉鱼县5月进展.xlsx", "嘉鱼县人民政府", [["T4", "建设急救站点", "嘉鱼县", 31, "正常推进", None]])
    for path in folder.iterdir():
        os.utime(path, (ON_TIME, ON_TIME))
    return ledger, folder


@pytest.fixture
def reads(monkeypatch):
    """The names of the files actually read (parsed), in this process (collect with workers=1)."""
    names: list[str] = []
    real = collect_module.process_file

    def spy(source):
        names.append(source.name)
        return real(source)

    monkeypatch.setattr(collect_module, "process_file", spy)
    return names


def snapshot(result):
    rl = result.round_ledger
    return ({k: asdict(row) for k, row in rl.rows.items()}, [vars(f) for f in rl.findings],
            [vars(f) for f in rl.files], rl.changes, rl.missing)


def fresh(folder, ledger, tmp_path):
    """The same files collected into a new workspace, with nothing kept from an earlier run."""
    out = tmp_path / f"fresh{len(list(tmp_path.glob('fresh*')))}"
    return api.collect(folder, ledger, ROUND, out, workers=1)


def test_a_rerun_reads_again_only_the_new_version(round_files, tmp_path, reads):
    ledger, folder = round_files
    out = tmp_path / "工作区"
    first = api.collect(folder, ledger, ROUND, out, workers=1)
    assert sorted(reads) == sorted(p.name for p in folder.iterdir()) and first.summary()["沿用上次读取结果的文件数"] == 0
    reads.clear()
    # 省人社厅 sends a corrected version, with the reason for 滞后
    corrected = submission(folder / "省人社厅5月进展（修改版）.xlsx", "省人社厅",
                           [["T2", "城镇新增就业", None, "29.1", "滞后", "招聘会延期"]])
    os.utime(corrected, (ON_TIME + 3600, ON_TIME + 3600))
    again = api.collect(folder, ledger, ROUND, out, workers=1)
    assert reads == ["省人社厅5月进展（修改版）.xlsx"]
    assert again.summary()["沿用上次读取结果的文件数"] == 4
    rl = again.round_ledger
    assert rl.rows[("T2", "")].value == 29.1 and rl.rows[("T2", "")].origin[0] == "省人社厅5月进展（修改版）.xlsx"
    # the counties' rows, from files not read again
    assert sorted(row.value for (task, region), row in rl.rows.items() if task == "T4" and region) == [31, 50]
    assert [c["old"] for c in rl.changes if c["field"] == "累计完成"] == ["28.5"]  # the old file's rows, kept
    assert snapshot(again) == snapshot(fresh(folder, ledger, tmp_path))


def test_a_file_touched_later_is_late_though_not_read_again(round_files, tmp_path, reads):
    """A file's bytes decide whether it is read again; when it arrived is always its own now (a modification
    time only hints at 迟报; --received states it)."""
    ledger, folder = round_files
    out = tmp_path / "工作区"
    api.collect(folder, ledger, ROUND, out, workers=1)
    reads.clear()
    late = folder / "嘉鱼县5月进展.xlsx"
    os.utime(late, (LATE, LATE))
    again = api.collect(folder, ledger, ROUND, out, workers=1)
    assert reads == []  # nothing read: the same bytes
    assert [f.file for f in again.round_ledger.findings if f.code == "intake-late-by-mtime"] == [late.name]
    assert snapshot(again) == snapshot(fresh(folder, ledger, tmp_path))
    reads.clear()
    stated = api.collect(folder, ledger, ROUND, out, workers=1, received=dt.date(2025, 6, 9))
    assert reads == [] and all(f.late for f in stated.round_ledger.files if f.state == "采用")


def test_a_changed_ledger_reads_every_file_again(round_files, tmp_path, reads):
    ledger, folder = round_files
    out = tmp_path / "工作区"
    api.collect(folder, ledger, ROUND, out, workers=1)
    reads.clear()
    write_ledger(ledger, t2_target="80")  # the office corrects a target
    again = api.collect(folder, ledger, ROUND, out, workers=1)
    assert sorted(reads) == sorted(p.name for p in folder.iterdir())
    assert again.summary()["沿用上次读取结果的文件数"] == 0
    assert snapshot(again) == snapshot(fresh(folder, ledger, tmp_path))


def test_a_renamed_file_is_read_again_under_its_new_name(round_files, tmp_path, reads):
    """The name is part of what a file gives (findings name it, a unit may be told from it)."""
    ledger, folder = round_files
    out = tmp_path / "工作区"
    api.collect(folder, ledger, ROUND, out, workers=1)
    reads.clear()
    (folder / "省人社厅5月进展.xlsx").rename(folder / "人社厅-5月.xlsx")
    again = api.collect(folder, ledger, ROUND, out, workers=1)
    assert reads == ["人社厅-5月.xlsx"]
    assert any(f.file == "人社厅-5月.xlsx" and "滞后" in f.message for f in again.round_ledger.findings)
    assert snapshot(again) == snapshot(fresh(folder, ledger, tmp_path))


def test_kept_results_follow_the_round_and_a_damaged_one_is_read_again(round_files, tmp_path, reads):
    """Only the files of the last run are kept (a file taken away leaves nothing behind); a kept result
    that cannot be loaded costs only the time to read its file again."""
    ledger, folder = round_files
    out = tmp_path / "工作区"
    api.collect(folder, ledger, ROUND, out, workers=1)
    kept = Workspace(out).cache_dir(parse_round(ROUND)) / "collect"
    assert len(list(kept.iterdir())) == 4
    shutil.move(folder / "嘉鱼县5月进展.xlsx", tmp_path / "嘉鱼县5月进展.xlsx")
    api.collect(folder, ledger, ROUND, out, workers=1)
    entries = sorted(kept.iterdir())
    assert len(entries) == 3
    entries[0].write_bytes(b"not a result")
    reads.clear()
    again = api.collect(folder, ledger, ROUND, out, workers=1)
    assert len(reads) == 1 and again.summary()["沿用上次读取结果的文件数"] == 2
    assert snapshot(again) == snapshot(fresh(folder, ledger, tmp_path))


def test_worker_processes_keep_and_reuse_results_too(round_files, tmp_path):
    """With enough files for worker processes, each keeps what it reads; a rerun reads nothing again."""
    ledger, folder = round_files
    for i in range(8):  # earlier versions of 省教育厅's file, each replaced by the next
        path = submission(folder / f"省教育厅5月进展_v{i + 1}.xlsx", "湖北省教育厅",
                          [["T1", "新增公办学前教育学位", None, 40000 + i, "正常推进", None]])
        os.utime(path, (ON_TIME - 3600, ON_TIME - 3600))
    out = tmp_path / "工作区"
    first = api.collect(folder, ledger, ROUND, out, workers=2)
    again = api.collect(folder, ledger, ROUND, out, workers=2)
    assert first.summary()["沿用上次读取结果的文件数"] == 0 and again.summary()["沿用上次读取结果的文件数"] == 12
    assert snapshot(again) == snapshot(first) == snapshot(fresh(folder, ledger, tmp_path))


def test_an_attachment_sent_by_someone_else_is_another_entry(tmp_path):
    """The same attachment from another sender (or in another message) may belong to another unit."""
    import datetime as dt

    from reporter.intake.discover import Source
    from reporter.intake.file_cache import FileCache, context_digest
    from reporter.intake.messages import Letter

    cache = FileCache(tmp_path, context_digest(b"ledger", ROUND))
    sent = dt.datetime(2025, 6, 2, 9, 30)
    letter = Letter("5月进展.eml", "jyt@example.org", "省教育厅", "5月进展", sent, sent)
    other = Letter("5月进展.eml", "rst@example.org", "省人社厅", "5月进展", sent, sent)

    def attachment(by):
        return Source("5月进展.eml/进展.xlsx", ".xlsx", None, tmp_path / "5月进展.eml", part="2", letter=by)
    assert cache.key(attachment(letter), b"xlsx") == cache.key(attachment(letter), b"xlsx")
    assert cache.key(attachment(letter), b"xlsx") != cache.key(attachment(other), b"xlsx")
    assert cache.key(attachment(letter), b"xlsx") != cache.key(attachment(letter), b"xlsx, edited")
