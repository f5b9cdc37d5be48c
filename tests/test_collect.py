"""collect on small hand-made submissions: each behaviour a clerk relies on, checked by what they'd see."""
import datetime as dt
import os
import time
import zipfile
from dataclasses import asdict

import pytest
from openpyxl import Workbook

from reporter.intake.annual import read_ledger
from reporter.intake.collect import collect
from reporter.model.schedule import parse_round

from .conftest import write_book

ROUND = parse_round("2025-05")


@pytest.fixture
def ledger(book):
    path = book("台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["T1", "新增公办学前教育学位", "教育", "个", "70000", "省教育厅", "年底前"],
            ["T2", "城镇新增就业", "就业", "万人", "70", "省人社厅", "年底前"],
            ["T3", "基本养老保险参保率", "社会保障", "%", "≥95", "省人社厅", "年底前"],
            ["T4", "建设急救站点", "医疗卫生", "个", "140", "省卫健委", "6月底前"],
        ],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["T4", "咸安区", 80], ["T4", "嘉鱼县", 60]],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系邮箱"],
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"],
            ["湖北省人力资源和社会保障厅", "省人社厅", "部门", "rst@example.org"],
            ["湖北省卫生健康委员会", "省卫健委", "部门", "wjw@example.org"],
            ["咸安区人民政府", "咸安区政府", "地区", "xa@example.org"],
            ["嘉鱼县人民政府", "嘉鱼县政府", "地区", "jy@example.org"],
        ],
    })
    return read_ledger(path, year=2025)[0]


def xlsx(path, rows, merges=(), sheet="Sheet1", formula_cells=()):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def test_messy_department_file_is_merged_with_provenance(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省人社厅5月进展（修改版）.xlsx", [
        ["2025年5月民生实事进展表"],
        ["填报单位：省人社厅", None, "填报日期：2025年6月3日"],
        ["任務編號", "任务名称", "完成情况", None, "存在問題", "责任人"],
        [None, None, "累计完成", "进展状态", None, None],
        ["T2", "城镇新增就业", "２８.5", "正常推進", "", "李四"],
        ["T3", "基本养老保险参保率", "0.93", "滞后", "", ""],
        ["填表人：王五", None, "联系电话：027-1234"],
    ], merges=["A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4"])
    rl = collect(ledger, ROUND, folder).round_ledger
    t2 = rl.rows[("T2", "")]
    assert t2.value == 28.5 and t2.status == "正常推进" and t2.submitter == "湖北省人力资源和社会保障厅"
    assert str(t2.sources["value"]) == "省人社厅5月进展（修改版）.xlsx › Sheet1 › C5"
    assert t2.notes == "责任人：李四"
    t3 = rl.rows[("T3", "")]
    assert t3.value == 93.0  # a fraction for a % indicator, read as percent and reported
    codes = {(f.code, f.cell) for f in rl.findings}
    assert ("intake-percent-fraction", "C6") in codes
    assert ("intake-lagging-without-problem", "D6") in codes
    assert rl.files[0].how == "填报单位栏"


def test_no_value_is_silently_dropped_or_zeroed(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "教育厅.xlsx", [
        ["填报单位：湖北省教育厅"],
        ["任务编号", "任务名称", "累计完成", "进展状态"],
        ["T1", "新增公办学前教育学位", "=1+1", "正常推进"],
        ["T9", "不存在的任务", "100", "正常推进"],
    ])
    rl = collect(ledger, ROUND, folder).round_ledger
    row = rl.rows[("T1", "")]
    assert row.value is None and row.raw_value == "formula"
    got = {(f.code, f.cell) for f in rl.findings}
    assert ("intake-formula-no-value", "C3") in got
    assert ("intake-unknown-task", "A4") in got


def test_text_numbers_and_scaling(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "a.xlsx", [
        ["填报单位：省教育厅"],
        ["任务编号", "累计完成", "进展状态"],
        ["T1", "2.5万", "正常推进"],
    ])
    xlsx(folder / "b.xlsx", [
        ["填报单位：省人社厅"],
        ["任务编号", "累计完成", "进展状态"],
        ["T2", "约30", "正常推进"],
        ["T3", "abc", "正常推进"],
    ])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 25000
    assert rl.rows[("T2", "")].value == 30
    assert rl.rows[("T3", "")].value is None and rl.rows[("T3", "")].raw_value == "abc"
    assert {"intake-scaled", "intake-approximate", "intake-not-a-number"} <= set(rl.findings.codes())


def test_region_rows_missing_units_and_latest_version_wins(ledger, tmp_path):
    folder = tmp_path / "in"
    (folder / "邮件").mkdir(parents=True)
    old = xlsx(folder / "咸安区5月台账.xlsx", [["任务编号", "地区", "累计完成"], ["T4", "咸安", 30]])
    new = xlsx(folder / "邮件" / "咸安区5月台账(修改版).xlsx", [["任务编号", "地区", "累计完成"], ["T4", "咸安区", 35]])
    os.utime(old, (1_748_000_000, 1_748_000_000))
    os.utime(new, (1_748_100_000, 1_748_100_000))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T4", "421202")].value == 35
    assert [f.state for f in rl.files if f.unit == "咸安区人民政府"].count("被替代") == 1
    assert rl.changes and rl.changes[0]["old"] == "30" and rl.changes[0]["new"] == "35"
    assert set(rl.missing) == {"湖北省教育厅", "湖北省人力资源和社会保障厅", "湖北省卫生健康委员会", "嘉鱼县人民政府"}


def test_region_a_unit_does_not_cover_is_refused(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "x.xlsx", [["填报单位：咸安区人民政府"], ["任务编号", "地区", "累计完成"], ["T4", "嘉鱼县", 10]])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T4", "421221")].value is None
    assert "intake-region-not-covered" in rl.findings.codes()


def test_unsupported_and_unknown_files_are_findings_and_the_run_goes_on(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "进度.et").write_bytes(b"\x00WPS")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    xlsx(folder / "无名.xlsx", [["任务编号", "地区", "累计完成"], ["T9", "", 1]])
    with zipfile.ZipFile(folder / "打包.zip", "w") as zf:
        zf.writestr("卫健委/省卫健委.csv", "任务编号,累计完成\nT4,70\n".encode("gb18030"))
    rl = collect(ledger, ROUND, folder).round_ledger
    codes = rl.findings.codes()
    assert codes.count("intake-unsupported-file") == 2
    assert "intake-unknown-submitter" in codes
    assert rl.rows[("T4", "")].value == 70
    assert rl.rows[("T4", "")].sources["value"].file == "打包.zip/卫健委/省卫健委.csv"


def test_late_file_is_listed(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = xlsx(folder / "省教育厅.xlsx", [["任务编号", "累计完成"], ["T1", 100]])
    late = dt.datetime(2025, 6, 9, 10).timestamp()
    os.utime(path, (late, late))
    rl = collect(ledger, ROUND, folder).round_ledger
    # a modification time is not an arrival: a hint only, never 迟报 by itself
    assert rl.late == [] and "intake-late" not in rl.findings.codes()
    [hint] = [f for f in rl.findings if f.code == "intake-late-by-mtime"]
    assert "按文件修改时间判断，可能不准" in hint.message and hint.severity.value == "提示"
    assert rl.files[0].arrival == "文件修改时间"
    # told when it came, it is late
    rl = collect(ledger, ROUND, folder, received=dt.date(2025, 6, 9)).round_ledger
    assert [f.name for f in rl.late] == ["省教育厅.xlsx"] and "intake-late" in rl.findings.codes()
    assert rl.files[0].arrival == "指定收到日期"


def test_inputs_are_not_modified(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = xlsx(folder / "省教育厅.xlsx", [["任务编号", "累计完成"], ["T1", "-5"]])
    before = (path.read_bytes(), path.stat().st_mtime)
    collect(ledger, ROUND, folder)
    assert (path.read_bytes(), path.stat().st_mtime) == before


def test_lower_than_last_round_and_changed_locked_columns(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省教育厅.xlsx", [
        ["填报单位：省教育厅"],
        ["任务编号", "任务名称", "年度目标", "累计完成"],
        ["T1", "新增公办学前教育学位（调整）", "60000", 20000],
    ])
    rl = collect(ledger, ROUND, folder, previous={("T1", ""): 25000}).round_ledger
    row = rl.rows[("T1", "")]
    assert row.value == 20000 and row.previous == 25000  # kept, and flagged
    got = {(f.code, f.cell) for f in rl.findings}
    assert ("intake-below-previous", "D3") in got
    assert ("intake-locked-changed", "B3") in got and ("intake-locked-changed", "C3") in got
    assert rl.ledger.tasks["T1"].target.raw == "70000"  # the ledger stays authoritative


def test_a_target_restated_in_words_is_no_change(ledger, tmp_path):
    """A unit's own table restates the target as a sentence: the same number in the same unit is not a change
    (a different number still is: test_lower_than_last_round_and_changed_locked_columns)."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省教育厅.xlsx", [
        ["填报单位：省教育厅"],
        ["任务编号", "年度目标", "累计完成"],
        ["T1", "新增学位7万个", 20000],
    ])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 20000
    assert [f for f in rl.findings if f.code == "intake-locked-changed"] == []


def test_unknown_status_is_kept_verbatim(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省教育厅.xlsx", [["填报单位：省教育厅"], ["任务编号", "累计完成", "进展状态"], ["T1", 100, "还行吧"]])
    rl = collect(ledger, ROUND, folder).round_ledger
    row = rl.rows[("T1", "")]
    assert row.status is None and row.status_raw == "还行吧"
    assert "intake-status-unknown" in rl.findings.codes()


def test_a_city_may_report_for_its_counties(book, tmp_path):
    path = book("台帐2.xlsx", {
        "任务": [["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位"], ["T4", "建设急救站点", "个", "140", "省卫健委"]],
        "分地区目标": [["任务编号", "地区", "年度目标"], ["T4", "咸安区", 80], ["T4", "嘉鱼县", 60]],
        "责任单位": [["单位名称", "单位类型"], ["湖北省卫生健康委员会", "部门"], ["咸宁市人民政府", "地区"]],
    })
    ledger = read_ledger(path, year=2025)[0]
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "咸宁.xlsx", [["填报单位：咸宁市人民政府"], ["任务编号", "地区", "累计完成"],
                                ["T4", "咸安区", 30], ["T4", "黄石市", 5]])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T4", "421202")].value == 30 and rl.rows[("T4", "421202")].submitter == "咸宁市人民政府"
    assert [f.cell for f in rl.findings if f.code == "intake-region-not-covered"] == ["B4"]


def test_the_ledger_pickles_for_spawned_workers(ledger):
    """Windows and macOS start worker processes with spawn: the ledger must survive pickling."""
    import pickle

    copy = pickle.loads(pickle.dumps(ledger))
    assert copy.regions.match("咸安").code == "421202" and copy.units.match("省教育厅").name == "湖北省教育厅"


@pytest.fixture
def big_ledger(book):
    """40 tasks of every kind of target: counts, 万, %, ceilings (≤), text; 12 of them split to two counties."""
    targets = [("个", "70000"), ("万人", "70"), ("%", "≥95"), ("%", "≤5"), ("个", "140"), ("户", "2.5万"), ("个", "以内")]
    tasks = [["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"]]
    split = [["任务编号", "地区", "年度目标"]]
    for i in range(40):
        unit, target = targets[i % len(targets)]
        lead = ("省人社厅", "省卫健委")[i % 2]
        tasks.append([f"T{i + 1}", f"第{i + 1}项民生任务", "测试", unit, target, lead, "年底前"])
        if i % 10 < 3 and unit == "个" and target.isdigit():
            split += [[f"T{i + 1}", "咸安区", int(target) // 2], [f"T{i + 1}", "嘉鱼县", int(target) // 2]]
    path = book("台帐3.xlsx", {"任务": tasks, "分地区目标": split, "责任单位": [
        ["单位名称", "简称", "单位类型"], ["湖北省人力资源和社会保障厅", "省人社厅", "部门"],
        ["湖北省卫生健康委员会", "省卫健委", "部门"], ["咸安区人民政府", "咸安区政府", "地区"],
        ["嘉鱼县人民政府", "嘉鱼县政府", "地区"]]})
    return read_ledger(path, year=2025)[0]


def test_context_has_every_row_of_the_round_and_its_owner(big_ledger):
    """_Context writes ledger.assignments() out: the same rows, in ledger order, each unit's in ledger order —
    also for a ledger with no task split among regions, which it reads without a loop."""
    from dataclasses import replace

    from reporter.intake.collect import _Context
    from reporter.model.schedule import Round
    from reporter.model.tasks import AnnualLedger

    plain = AnnualLedger(2025, {code: replace(task, region_targets={}, region_units={})
                                for code, task in big_ledger.tasks.items()}, big_ledger.units, big_ledger.regions)
    for ledger in (big_ledger, plain):
        ctx = _Context(ledger, ledger.round(Round(2025, 5)), {})
        expected = {(task.code, region): owner for task, region, owner in ledger.assignments()}
        assert list(ctx.rows()) == list(expected)
        assert all(task.reporter(region) == owner for task, region, owner in ledger.assignments())
        owned = {}
        for key, owner in expected.items():
            owned.setdefault(owner, []).append(key)
        assert ctx.owned == owned and any(len(keys) > 1 for keys in owned.values())
    assert any(region for _, region in _Context(big_ledger, Round(2025, 5), {}).rows())  # split tasks' region rows
    assert not any(region for _, region in ctx.rows())


def _messy_rows(rng, ledger, keys):
    """Rows a clerk might send, one per (task, region name) key: mostly plain, now and then every kind of
    value, status, date and blank, unknown tasks and regions; and a few duplicated rows."""
    def pick(plain, *messy):
        return plain if rng.random() < 0.93 else rng.choice(messy)

    rows = []
    for code, region in keys:
        task = ledger.tasks[code]
        target = task.target if not region else task.region_targets[ledger.regions.match(region).code]
        goal = target.value or 10.0
        rows.append([
            pick(code, code.lower(), " " + code, "T99", ""),
            pick(task.name, "改过的名称", "", None),
            pick(region, "", "黄石市", "火星", "湖北省", "咸宁市", "咸安"),
            pick(target.raw, "60000", target.value, "", None),
            pick(rng.choice([None, round(goal * 0.2, 1)]), "1,200", "—", goal * 0.9),
            pick(rng.choice([round(goal * 0.4, 2), float(int(goal * 0.3)), 0.0, None]), 0.5, 1.0, goal * 6, "95%",
                 "0.93", "2.5万", "约30", "-5", "abc", "", "  ", "—", "１２", True, goal * 2),
            pick(rng.choice(["正常推进", "序时推进", "未启动", "", None]), "已完成", "滞后", "滯後", "还行吧", 1.0),
            pick(rng.choice(["按计划推进", "", None]), "  ", 12.0),
            pick(rng.choice(["", "资金到位偏慢", None]), "  "),
            pick(rng.choice(["2025.5.31", dt.datetime(2025, 5, 20), 45800.0, "", None]), "下月", True),
            pick("张三", "", None, 27123.0, True),
            pick(None, "x", 1.0),
        ])
    rng.shuffle(rows)
    for _ in range(4):
        rows.insert(rng.randrange(len(rows)), list(rng.choice(rows)))
    return rows


def _messy_round(ledger, folder, seed):
    """Two files from each unit (a resubmission), their rows _messy_rows; the number of rows sent."""
    import random

    rng = random.Random(seed)
    header = ["任务编号", "任务名称", "地区", "年度目标", "上月累计完成", "累计完成", "进展状态", "工作进展", "存在问题",
              "完成日期", "责任人", None]
    folder.mkdir()
    by_lead = {}
    for task in ledger:
        by_lead.setdefault(task.lead, []).append((task.code, ""))
        for code in task.region_targets:
            name = ledger.regions.get(code).name
            by_lead.setdefault(task.region_units[code], []).append((task.code, name))
            by_lead[task.lead].append((task.code, name))  # a department may send its counties' rows too
    files = {f"{ledger.units.match(unit).label}{n}.xlsx": keys for unit, keys in by_lead.items() for n in ("", "（二）")}
    for name, keys in files.items():
        unit = ledger.units.match(name.split(".")[0].replace("（二）", ""))
        xlsx(folder / name, [[f"填报单位：{unit.name}"], header, *_messy_rows(rng, ledger, keys)])
    return sum(len(keys) + 4 for keys in files.values())


def test_column_fast_path_gives_what_row_by_row_gives(big_ledger, tmp_path, monkeypatch):
    """collect reads plain rows column by column; every row must come out exactly as the cell-by-cell path
    (merge_row) makes it: same values, provenance and findings, in the same order."""
    from reporter.intake.merge_columns import ColumnMerger

    ledger = big_ledger
    folder = tmp_path / "in"
    rows_sent = _messy_round(ledger, folder, 7)
    previous = {("T1", ""): 99999.0, ("T2", ""): 1.0}

    def snapshot():
        rl = collect(ledger, ROUND, folder, previous=previous, workers=1).round_ledger
        return ([(k, asdict(row)) for k, row in rl.rows.items()], [vars(f) for f in rl.findings])

    calls = []
    merge_row = ColumnMerger.merge_row
    monkeypatch.setattr(ColumnMerger, "merge_row", lambda self, row: calls.append(1) or merge_row(self, row))
    fast = snapshot()
    monkeypatch.setattr(ColumnMerger, "merge_row", merge_row)
    assert 30 < len(calls) < rows_sent - 30  # both paths were taken, each for many rows

    def row_by_row(self, grid):
        for i in range(len(grid)):
            self.merge_row(grid.raw_row(i))

    monkeypatch.setattr(ColumnMerger, "merge_grid", row_by_row)
    slow = snapshot()
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert len(fast[1]) > 50 and sum(row["submitter"] is not None for _, row in fast[0]) > 40


def test_parallel_reading_gives_what_one_process_gives(big_ledger, tmp_path):
    """With worker processes (the main one reading files too, from the other end) the round is the same as
    read in one process: rows, provenance, findings and files, in the same order."""
    folder = tmp_path / "in"
    _messy_round(big_ledger, folder, 11)

    def snapshot(workers):
        rl = collect(big_ledger, ROUND, folder, workers=workers).round_ledger
        return ([(k, asdict(row)) for k, row in rl.rows.items()], [vars(f) for f in rl.findings],
                [vars(f) for f in rl.files], rl.changes, rl.missing)

    alone = snapshot(1)
    assert len(alone[2]) >= 8  # enough files for worker processes
    assert snapshot(2) == alone
    assert snapshot(3) == alone


def test_a_worker_that_dies_costs_its_file_not_the_run(big_ledger, tmp_path, monkeypatch):
    """A reader crashing on a damaged file kills the process reading it: that file becomes an unreadable
    file, named, and every other file is still read (by the main process and the other workers)."""
    import shutil
    import time

    from reporter.intake import collect as collect_module
    from reporter.model import findings as F

    folder = tmp_path / "in"
    _messy_round(big_ledger, folder, 11)
    main, real = os.getpid(), collect_module.process_file
    started: list = []

    def process_file(source):
        if os.getpid() != main:
            os._exit(70)  # every worker dies on the first file it takes
        if not started:  # let the workers take their files first
            started.append(time.sleep(1.0))
        return real(source)

    monkeypatch.setattr(collect_module, "process_file", process_file)
    rl = collect(big_ledger, ROUND, folder, workers=3).round_ledger
    monkeypatch.undo()
    crashed = [f for f in rl.findings if f.code == F.INTAKE_UNREADABLE.code and "异常退出" in f.message]
    assert 1 <= len(crashed) <= 2 and all(f.file and f.file in f.message for f in crashed)
    lost = {f.file for f in crashed}
    without = tmp_path / "without"  # the same round, the crashed files never sent
    without.mkdir()
    for path in folder.iterdir():
        if path.name not in lost:
            shutil.copy2(path, without / path.name)  # with its time: the latest version wins
    alone = collect(big_ledger, ROUND, without, workers=1).round_ledger
    assert {k: asdict(row) for k, row in rl.rows.items()} == {k: asdict(row) for k, row in alone.rows.items()}
    assert {r.name for r in rl.files} == {r.name for r in alone.files} | lost
    assert [vars(f) for f in rl.findings if f not in crashed] == [vars(f) for f in alone.findings]


def test_a_dying_worker_loses_only_the_file_it_was_reading(ledger, tmp_path, monkeypatch):
    """The main process is busy for a moment, so a worker's results wait unsent behind a full pipe; then the
    worker dies on its last file. Only that file is unreadable: the results it had not sent are read again."""
    import time

    from reporter.intake import collect as collect_module
    from reporter.progress import Silent

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        rows = [["填报单位：省教育厅"], ["任务编号", "累计完成", "工作进展"]]
        xlsx(folder / f"省教育厅_{i:02d}.xlsx", rows + [["T1", 100 + i, "进展说明，内容较长" * 40]] * 60)
    main, real = os.getpid(), collect_module.process_file

    def process_file(source):
        if os.getpid() != main and source.name == "省教育厅_11.xlsx":
            time.sleep(0.3)
            os._exit(1)
        return real(source)

    class Busy(Silent):
        first = True

        def advance(self, *args, **kwargs):
            if self.first:
                self.first = False
                time.sleep(1.5)

    monkeypatch.setattr(collect_module, "process_file", process_file)
    rl = collect(ledger, ROUND, folder, workers=3, progress=Busy()).round_ledger
    crashed = {f.file for f in rl.findings if "异常退出" in f.message}
    assert crashed <= {"省教育厅_11.xlsx"}  # (empty when the main process happened to read that file itself)
    assert sum(r.state in ("被替代", "采用") for r in rl.files) == 12 - len(crashed)  # every other file was read


def test_review_cases_units_headers_statuses(ledger, tmp_path):
    """Units in one table's header do not convert another table's values; plans are never the value; two
    备注 columns both kept; TRUE reads 是; a status stated first wins over what the text adds."""
    from reporter.intake.normalize import normalize_status

    folder = tmp_path / "in"
    folder.mkdir()
    write_book(folder / "省人社厅.xlsx", {
        "就业": [["填报单位：省人社厅"], ["任务编号", "累计完成（人）", "备注", "备注"], ["T2", 285000, "甲", "乙"]],
        "参保": [["任务编号", "计划累计完成", "实际累计完成", "纳入考核"], ["T3", 95, 96, True]]})
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T2", "")].value == 28.5 and rl.rows[("T3", "")].value == 96
    assert "甲" in rl.rows[("T2", "")].notes and "乙" in rl.rows[("T2", "")].notes
    assert "纳入考核：是" in rl.rows[("T3", "")].notes
    assert [normalize_status(s)[0] for s in ("正常推进，部分项目未开工", "已完成，资金未到位", "已完成90%")] == \
        ["正常推进", "已完成", "正常推进"]


def test_a_fault_in_a_worker_is_raised_naming_the_file(big_ledger, tmp_path, monkeypatch):
    """A bug is not a damaged file: an exception in a worker stops collect, as it would in one process."""
    from reporter.intake import collect as collect_module

    folder = tmp_path / "in"
    _messy_round(big_ledger, folder, 11)
    main, real = os.getpid(), collect_module.process_file

    def process_file(source):
        if os.getpid() != main:
            raise ValueError("程序缺陷")
        time.sleep(0.5)  # the main process reads slowly, so the workers surely take files (on a busy machine too)
        return real(source)

    monkeypatch.setattr(collect_module, "process_file", process_file)
    with pytest.raises(RuntimeError, match=r"读取“.+”时出错(.|\n)*程序缺陷"):
        collect(big_ledger, ROUND, folder, workers=2)


def test_a_panic_in_the_reader_is_an_unreadable_file(tmp_path, monkeypatch):
    """The Rust reader's panics arrive as pyo3's PanicException, a BaseException: still just a bad file."""
    import python_calamine

    from reporter.intake.workbook import UnreadableFile, read_workbook

    class PanicException(BaseException):
        pass

    def panic(*args):
        raise PanicException("index out of bounds")

    path = tmp_path / "坏文件.xlsx"
    xlsx(path, [["任务编号", "累计完成"], ["T1", 1]])
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_object", panic)
    with pytest.raises(UnreadableFile, match="坏文件.xlsx"):
        read_workbook(path)


def test_a_formula_without_value_outside_the_read_grid_is_still_named(ledger, tmp_path):
    """The reader's grid ends at the last cell with a value: a formula with no cached value below it or to
    its right would otherwise not be seen at all — it must be named, never dropped or read as 0."""
    from openpyxl import Workbook as Book

    folder = tmp_path / "in"
    folder.mkdir()
    wb = Book()
    ws = wb.active
    ws.append(["填报单位：省教育厅"])
    ws.append(["任务编号", "累计完成", "备注"])
    ws.append(["T1", 100])
    ws.append(["T2", 10, "=1/0", "#REF!"])  # inside the grid: a formula in a note column, an error value
    ws["D3"] = "=B3*2"  # right of the last column with a value
    ws["B5"] = "=B3+1"  # a row of its own below the last row with a value
    wb.save(folder / "省教育厅.xlsx")
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 100
    cells = {f.cell for f in rl.findings if f.file == "省教育厅.xlsx"}
    assert "B5" in cells  # the lone formula row is a data row, refused and named
    found = {(f.code, f.cell) for f in rl.findings}
    assert ("intake-formula-no-value", "D3") in found and ("intake-formula-no-value", "C4") in found
    assert ("intake-error-cell", "D4") in found


def test_a_task_merged_down_over_its_regions_rows_gives_each_row(ledger, tmp_path):
    """任务编号 and 任务名称 written once, merged down over the rows of the task's regions (the usual Chinese
    table): every region row belongs to that task. A number merged over rows is one number: it stays in
    its first row, never counted twice."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省卫健委.xlsx", [
        ["填报单位：省卫健委"],
        ["任务编号", "任务名称", "地区", "累计完成", "进展状态", "上月累计完成", "责任人"],
        ["T4", "建设急救站点", None, 100, "正常推进", 90, "赵六"],
        [None, None, "咸安区", 60, None, 50, "赵六"],
        [None, None, "嘉鱼县", 40, None, None, "钱七"],
        ["填表人：赵六"],
    ], merges=["A3:A5", "B3:B5", "E3:E5", "F4:F5"])
    rl = collect(ledger, ROUND, folder).round_ledger
    regions = {ledger.regions.match(name).code: name for name in ("咸安区", "嘉鱼县")}
    got = {key: rl.rows[key] for key in [("T4", "")] + [("T4", code) for code in regions]}
    assert [row.value for row in got.values()] == [100, 60, 40]
    assert all(row.submitter == "湖北省卫生健康委员会" and row.status == "正常推进" for row in got.values())
    assert [row.previous for row in got.values()] == [90, 50, None]  # F4:F5 is one number, in row 4
    assert [row.sources["code"].cell for row in got.values()] == ["A3", "A4", "A5"]
    assert not [f for f in rl.findings if f.file == "省卫健委.xlsx" and f.severity.name == "ERROR"]


def test_section_headings_and_total_rows_are_not_tasks(ledger, tmp_path):
    """一、… headings between the rows are labels, not data; a 合计 row sums the others and is not summed
    again (a 提示 says so); 合计 in the 地区 column is the task as a whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省卫健委.xlsx", [
        ["填报单位：省卫健委"],
        ["序号", "任务编号", "任务名称", "地区", "累计完成"],
        ["一、医疗卫生"],
        [1, "T4", "建设急救站点", "咸安区", 60],
        [2, "T4", "建设急救站点", "嘉鱼县", 40],
        [None, "T4", "建设急救站点", "合  计", 100],
        ["（二）其他", None, None, None, None],
        [None, "合計", None, None, 100],
    ], merges=["A3:E3"])
    rl = collect(ledger, ROUND, folder).round_ledger
    mine = [f for f in rl.findings if f.file == "省卫健委.xlsx" and f.code != "intake-late"]
    assert [(f.code, f.cell) for f in mine] == [("intake-total-row", "B8")]
    assert rl.rows[("T4", "")].value == 100 and rl.rows[("T4", "")].sources["value"].cell == "E6"
    assert sorted(row.value for key, row in rl.rows.items() if key[0] == "T4") == [40, 60, 100]


@pytest.fixture
def city_ledger(book):
    """T9 is split to cities only (咸宁市, 黄石市); T10's 东湖高新区 row is reported by a 管委会, a unit the
    units sheet gives no region."""
    path = book("台帐4.xlsx", {
        "任务": [["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位", "完成时限"],
                 ["T9", "新建公办养老床位", "张", "1000", "省民政厅", "年底前"],
                 ["T10", "新增停车泊位", "个", "500", "省住建厅", "年底前"],
                 ["T11", "城镇调查失业率", "%", "≤5.5", "省人社厅", "年底前"],
                 ["T12", "新增就业岗位", "个", "800", "省人社厅", "年底前"]],
        "分地区目标": [["任务编号", "地区", "年度目标", "责任单位"], ["T9", "咸宁市", 600, ""], ["T9", "黄石市", 400, ""],
                   ["T10", "武汉市", 300, ""], ["T10", "东湖新技术开发区", 200, "东湖高新区管委会"]],
        "责任单位": [["单位名称", "简称", "单位类型"], ["湖北省民政厅", "省民政厅", "部门"],
                 ["湖北省住房和城乡建设厅", "省住建厅", "部门"], ["湖北省人力资源和社会保障厅", "省人社厅", "部门"],
                 ["咸宁市人民政府", "咸宁市政府", "地区"], ["黄石市人民政府", "黄石市政府", "地区"],
                 ["东湖高新区管委会", "东湖管委会", "部门"]],
    })
    return read_ledger(path, year=2025)[0]


def test_a_citys_county_rows_and_the_other_cities_empty_rows_are_no_errors(city_ledger, tmp_path):
    """A city sends its task row and its counties' breakdown, in the province-wide table with the other
    cities' rows left empty: the city's figure is merged, the counties' are a 提示 (the ledger stops at
    cities), the empty rows of other cities are passed over; a filled row of another city is refused."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "咸宁市.xlsx", [
        ["填报单位：咸宁市人民政府"],
        ["任务编号", "任务名称", "地区", "累计完成", "序号"],
        ["T9", "新建公办养老床位", "咸宁市", 320, 1],
        ["T9", "新建公办养老床位", "咸安区", 200, 2],
        ["T9", "新建公办养老床位", "赤壁市", 120, 3],
        ["T9", "新建公办养老床位", "黄石市", None, 4],  # another city's row, empty but for its 序号
        ["T9", "新建公办养老床位", "武汉市", 5, 5],  # filled in: refused, said so
    ])
    rl = collect(city_ledger, ROUND, folder).round_ledger
    xianning = city_ledger.regions.match("咸宁市").code
    assert rl.rows[("T9", xianning)].value == 320
    mine = {(f.code, f.cell) for f in rl.findings if f.file == "咸宁市.xlsx" and f.code != "intake-late"}
    assert mine == {("intake-finer-breakdown", "C4"), ("intake-finer-breakdown", "C5"),
                    ("intake-region-not-covered", "C7")}


def test_a_unit_named_for_one_region_of_a_task_gives_that_regions_row(city_ledger, tmp_path):
    """东湖高新区管委会 has no region in the units sheet, but the ledger names it for 东湖新技术开发区's row of
    T10: its file, with no 地区 column, gives that row, not the whole task's."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "东湖.xlsx", [["填报单位：东湖高新区管委会"], ["任务编号", "累计完成"], ["T10", 150]])
    rl = collect(city_ledger, ROUND, folder).round_ledger
    donghu = city_ledger.regions.match("东湖新技术开发区").code
    assert rl.rows[("T10", donghu)].value == 150 and rl.rows[("T10", "")].value is None


def test_a_rate_may_fall_a_count_may_not(city_ledger, tmp_path):
    """累计值低于上期 is for running totals: a 失业率 that falls from 4.3 to 4.1 is news, not an error."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省人社厅.xlsx", [["填报单位：省人社厅"], ["任务编号", "上月累计完成", "累计完成"],
                                  ["T11", 4.3, 4.1], ["T12", 500, 450]])
    rl = collect(city_ledger, ROUND, folder).round_ledger
    below = [(f.cell, f.code) for f in rl.findings if f.code == "intake-below-previous"]
    assert below == [("C4", "intake-below-previous")]
    assert rl.rows[("T11", "")].value == 4.1


def test_last_months_figure_in_wan_is_scaled_like_the_value(city_ledger, tmp_path):
    """上月累计完成 '1.6万' of a task counted in 个 is 16000: a 累计完成 of 15000 fell, and is said to."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省人社厅.xlsx", [["填报单位：省人社厅"], ["任务编号", "上月累计完成", "累计完成"], ["T12", "1.6万", 15000]])
    rl = collect(city_ledger, ROUND, folder).round_ledger
    assert rl.rows[("T12", "")].previous == 16000
    assert [f.cell for f in rl.findings if f.code == "intake-below-previous"] == ["C3"]


def test_units_in_headers_and_cells_texts_and_qualitative_answers(book, tmp_path):
    """累计完成（个） for a task counted in 万个 is converted (提示); '9个' is 9 of a task in 个; a 全覆盖 task's
    '已实现全覆盖' is an answer, not an error; progress text keeps its full-width punctuation and lines."""
    path = book("台帐5.xlsx", {
        "任务": [["任务编号", "任务名称", "计量单位", "年度目标", "牵头单位", "完成时限"],
                 ["W1", "新增城镇就业岗位", "万个", "2", "省人社厅", "年底前"],
                 ["W2", "新建社区食堂", "个", "20", "省人社厅", "年底前"],
                 ["W3", "养老保险城乡全覆盖", "", "实现全覆盖", "省人社厅", "年底前"]],
        "责任单位": [["单位名称", "简称", "单位类型"], ["湖北省人力资源和社会保障厅", "省人社厅", "部门"]]})
    ledger = read_ledger(path, year=2025)[0]
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省人社厅.xlsx", [["填报单位：省人社厅"], ["任务编号", "累计完成（个）", "工作进展"],
                                  ["W1", 15000, "已完成招聘会3场，\n新增岗位1.5万个；"], ["W2", "9个", "推进中"],
                                  ["W3", "已实现全覆盖", "已覆盖全部县市区"]])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("W1", "")].value == 1.5 and rl.rows[("W1", "")].progress == "已完成招聘会3场，\n新增岗位1.5万个；"
    assert rl.rows[("W2", "")].value == 9
    assert rl.rows[("W3", "")].value is None and rl.rows[("W3", "")].raw_value == "已实现全覆盖"
    mine = [(f.code, f.cell) for f in rl.findings if f.file == "省人社厅.xlsx" and f.code != "intake-late"]
    assert mine == [("intake-scaled", "B3")]


def test_a_file_whose_name_and_rows_name_different_units_is_not_guessed(ledger, tmp_path):
    """A file named for 咸安区政府 holding only 省教育厅's task rows, with no 填报单位 line: either guess would
    put the figures in the wrong rows, so the submitter is unknown (a finding), not guessed."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "咸安区政府5月进展（教育类）.xlsx", [["任务编号", "累计完成"], ["T1", 650]])
    xlsx(folder / "省人社厅5月进展.xlsx", [["任务编号", "累计完成"], ["T2", 40]])  # name and rows agree
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value is None and rl.rows[("T2", "")].value == 40
    assert [f.file for f in rl.findings if f.code == "intake-unknown-submitter"] == ["咸安区政府5月进展（教育类）.xlsx"]
    county = tmp_path / "county"  # the name's unit reports a row of every task in it: no conflict, its rows
    county.mkdir()
    xlsx(county / "咸安区政府5月进展.xlsx", [["任务编号", "累计完成"], ["T4", 50]])
    rl = collect(ledger, ROUND, county).round_ledger
    assert rl.rows[("T4", ledger.regions.match("咸安区").code)].value == 50


def test_a_workbook_of_several_units_sheets_gives_each_unit_its_rows(ledger, tmp_path):
    """A 专班 forwards one workbook with a sheet per member unit, each saying 填报单位：×× on it: each
    sheet's rows are its unit's, and neither unit is 未报送."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_book(folder / "民生专班5月进展.xlsx", {
        "省教育厅": [["填报单位：省教育厅"], ["任务编号", "累计完成"], ["T1", 30000]],
        "省人社厅": [["填报单位：省人社厅"], ["任务编号", "累计完成"], ["T2", 40], ["T3", 96]]})
    rl = collect(ledger, ROUND, folder, workers=1).round_ledger
    assert rl.rows[("T1", "")].submitter == "湖北省教育厅" and rl.rows[("T1", "")].value == 30000
    assert rl.rows[("T2", "")].submitter == "湖北省人力资源和社会保障厅" and rl.rows[("T3", "")].value == 96
    assert {"湖北省教育厅", "湖北省人力资源和社会保障厅"}.isdisjoint(rl.missing)
    assert sorted((r.unit, r.rows) for r in rl.files) == [("湖北省人力资源和社会保障厅", 2), ("湖北省教育厅", 1)]
    import pickle  # a worker sends the parts with the file's result

    from reporter.intake import collect as collect_module
    from reporter.intake.discover import discover

    collect_module._use(collect_module._Context(ledger, ledger.round(ROUND), {}))
    res = collect_module.process_file(next(discover(folder)))
    trip = pickle.loads(pickle.dumps(res))
    assert [(p.identity.unit, {k: asdict(r) for k, r in p.rows.items()}) for p in trip.parts] == \
        [(p.identity.unit, {k: asdict(r) for k, r in p.rows.items()}) for p in res.parts]


def test_a_blank_template_row_gives_way_to_the_units_filled_row(ledger, tmp_path):
    """The template's row for T1 left blank and the unit's own filled row for T1 further down: the filled
    row is taken, and the blank one is named as the duplicate — the 41 is never lost."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省教育厅.xlsx", [["填报单位：省教育厅"], ["任务编号", "任务名称", "累计完成", "进展状态"],
                                  ["T1", "新增公办学前教育学位", None, None], ["T1", "新增公办学前教育学位", 41, "正常推进"]])
    rl = collect(ledger, ROUND, folder).round_ledger
    row = rl.rows[("T1", "")]
    assert row.value == 41 and row.status == "正常推进" and row.origin[2] == 3
    dup = [(f.code, f.cell) for f in rl.findings if f.file == "省教育厅.xlsx" and f.code == "intake-duplicate-row"]
    assert dup == [("intake-duplicate-row", "A3")]


def test_a_file_filled_in_for_another_unit_and_a_cleared_value_are_warned(ledger, tmp_path):
    """咸安区 reuses 嘉鱼县's file and forgets the 填报单位 line: the line decides, with a warning that the
    file name says otherwise. A resubmission that leaves a filled value blank is a warning, not a 提示."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "咸安区政府5月进展.xlsx", [["填报单位：嘉鱼县人民政府"], ["任务编号", "累计完成"], ["T4", 12]])
    xlsx(folder / "省人社厅5月进展.xlsx", [["填报单位：省人社厅"], ["任务编号", "累计完成"], ["T2", 41], ["T3", 96]])
    xlsx(folder / "省人社厅5月进展（修改版）.xlsx", [["填报单位：省人社厅"], ["任务编号", "累计完成"], ["T2", None], ["T3", 96]])
    xlsx(folder / "省人社厅5月进展（修改前）.xlsx", [["填报单位：省人社厅"], ["任务编号", "累计完成"], ["T2", 1], ["T3", 1]])
    for name, when in (("省人社厅5月进展（修改前）.xlsx", 1), ("省人社厅5月进展.xlsx", 2)):
        os.utime(folder / name, (when, when))  # 修改前 is no correction: the plain file is the one it replaced
    rl = collect(ledger, ROUND, folder).round_ledger
    jiayu = ledger.regions.match("嘉鱼县").code
    assert rl.rows[("T4", jiayu)].value == 12
    codes = {(f.code, f.file) for f in rl.findings}
    assert ("intake-submitter-name-differs", "咸安区政府5月进展.xlsx") in codes
    assert ("intake-cleared-in-resubmission", "省人社厅5月进展（修改版）.xlsx") in codes
    gone = {f.file for f in rl.findings if f.code == "intake-superseded"}
    assert gone == {"省人社厅5月进展.xlsx", "省人社厅5月进展（修改前）.xlsx"} and rl.rows[("T2", "")].value is None


def test_a_column_filled_down_below_the_table_is_said_once(ledger, tmp_path):
    """进展状态 dragged down 500 rows past the table: 20 rows are named one by one, the rest in one finding."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows = [["填报单位：省教育厅"], ["任务编号", "累计完成", "进展状态"], ["T1", 100, "正常推进"]]
    xlsx(folder / "省教育厅.xlsx", rows + [[None, None, "正常推进"]] * 500)
    rl = collect(ledger, ROUND, folder).round_ledger
    nameless = [f for f in rl.findings if f.code == "intake-unknown-task"]
    assert len(nameless) == 21 and "另有 480 行（第 24–503 行" in nameless[-1].message
    assert rl.rows[("T1", "")].value == 100


def test_a_sheet_per_county_gives_each_county_its_row(ledger, tmp_path):
    """省卫健委 sends a sheet per county (咸安区, 嘉鱼县) with no 地区 column: each sheet's T4 row is that
    county's, not the whole task's twice; a task not split to counties stays whole."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_book(folder / "省卫健委.xlsx", {"咸安区": [["填报单位：省卫健委"], ["任务编号", "累计完成"], ["T4", 50]],
                                       "嘉鱼县": [["任务编号", "累计完成"], ["T4", 30], ["T1", 7]]})
    rl = collect(ledger, ROUND, folder).round_ledger
    xianan, jiayu = (ledger.regions.match(name).code for name in ("咸安区", "嘉鱼县"))
    assert rl.rows[("T4", xianan)].value == 50 and rl.rows[("T4", jiayu)].value == 30
    assert rl.rows[("T4", "")].value is None and rl.rows[("T1", "")].value == 7
    assert not [f for f in rl.findings if f.code == "intake-duplicate-row"]


def test_a_seal_line_under_the_table_is_a_footer(ledger, tmp_path):
    """填报单位（盖章）：… written under the table, where the seal goes, is a footer, not a row of data."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省教育厅.xlsx", [["填报单位：省教育厅"], ["任务编号", "累计完成"], ["T1", 100],
                                  ["填报单位（盖章）：湖北省教育厅", None, "填报日期：2025年6月3日"]])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 100
    assert not [f for f in rl.findings if f.file == "省教育厅.xlsx" and f.code != "intake-late"]


def test_a_template_of_another_round_is_merged_with_a_warning(ledger, tmp_path):
    """A unit that reuses April's template for May: its values are merged (they are May's, usually), and a
    warning asks the clerk to check."""
    folder = tmp_path / "in"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.title = "进展填报"
    for row in (["任务编号", "累计完成"], ["T1", 30000]):
        ws.append(row)
    meta = wb.create_sheet("_reporter")
    for row in (["模板", "reporter-fillin"], ["填报单位", "湖北省教育厅"], ["填报轮次", "2025-04"],
                ["生成时间", "2025-04-25T09:00:00"]):
        meta.append(row)
    wb.save(folder / "2025-04_省教育厅_进展填报.xlsx")
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 30000
    warned = [f for f in rl.findings if f.code == "intake-other-round"]
    assert len(warned) == 1 and "2025-04" in warned[0].message and warned[0].severity.name == "WARNING"


def test_a_hand_made_revision_beats_the_filled_template(ledger, tmp_path):
    """A unit fills the template, then corrects it by hand and sends '…（修改版）' without the template's
    metadata: the 修改版 wins, and the superseded file's finding says why."""
    folder = tmp_path / "in"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    for row in (["任务编号", "累计完成"], ["T1", 30000]):
        ws.append(row)
    meta = wb.create_sheet("_reporter")
    for row in (["模板", "reporter-fillin"], ["填报单位", "湖北省教育厅"], ["填报轮次", "2025-05"],
                ["生成时间", "2025-05-25T09:00:00"]):
        meta.append(row)
    wb.save(folder / "2025-05_省教育厅_进展填报.xlsx")
    xlsx(folder / "省教育厅5月进展（修改版）.xlsx", [["填报单位：省教育厅"], ["任务编号", "累计完成"], ["T1", 31000]])
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 31000
    gone = [f for f in rl.findings if f.code == "intake-superseded"]
    assert [f.file for f in gone] == ["2025-05_省教育厅_进展填报.xlsx"] and "修改版" in gone[0].message


def test_a_total_row_labelled_in_a_serial_number_column(ledger, tmp_path):
    """合计 written in the 序号 column, merged across the task columns: a total row, not an unknown task."""
    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省人社厅.xlsx", [["填报单位：省人社厅"], ["序号", "任务编号", "任务名称", "累计完成"],
                                  [1, "T2", "城镇新增就业", 40], [2, "T3", "基本养老保险参保率", 96],
                                  ["合计", None, None, 136]], merges=["A5:C5"])
    rl = collect(ledger, ROUND, folder).round_ledger
    mine = [(f.code, f.cell) for f in rl.findings if f.file == "省人社厅.xlsx" and f.code != "intake-late"]
    assert mine == [("intake-total-row", "A5")]


def test_numbers_formatted_as_percentages_are_read_as_shown(ledger, tmp_path):
    """A 参保率 typed as 96% is the number 0.96 in a percent-formatted cell: it is 96 (%), as the clerk sees
    it, with no 小数形式 warning; a percent-formatted 年度目标 of 95% agrees with the ledger's ≥95."""
    folder = tmp_path / "in"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    for row in (["填报单位：省人社厅"], ["任务编号", "年度目标", "累计完成"], ["T3", 0.95, 0.96], ["T2", None, 40]):
        ws.append(row)
    ws["B3"].number_format = "0%"
    ws["C3"].number_format = "0.0%"
    wb.save(folder / "省人社厅.xlsx")
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T3", "")].value == 96 and rl.rows[("T3", "")].raw_value == "96%"
    assert rl.rows[("T2", "")].value == 40
    assert not [f for f in rl.findings if f.file == "省人社厅.xlsx" and f.code != "intake-late"]


def test_a_row_whose_task_is_a_formula_without_value_says_so(ledger, tmp_path):
    """A row whose only content — or whose 任务编号 — is a formula with no saved result cannot be matched
    to a task: the finding says that, names the cells, and asks for the file to be saved in Excel; it does
    not claim that some made-up code is not in the ledger."""
    folder = tmp_path / "in"
    folder.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：省教育厅"])
    ws.append(["任务编号", "任务名称", "累计完成", "备注"])
    ws.append(["T1", None, 100])
    ws["C5"] = "=C3+1"  # nothing else on the row
    ws["A6"], ws["C6"] = '="T"&1', "=C3*2"  # the code itself is a formula
    ws.append([None, "修缮农村危桥", 5])  # no code, a name no task is like: 任务“…”, not 任务编号
    ws.append([None, "城镇新增就业", 7])  # no code, a name: matched by name, said so
    wb.save(folder / "省教育厅.xlsx")
    rl = collect(ledger, ROUND, folder).round_ledger
    found = {f.cell: f for f in rl.findings if f.file == "省教育厅.xlsx" and f.code != "intake-late"}
    assert found["C5"].code == "intake-unknown-task" and "（C5）" in found["C5"].message
    assert found["A6"].code == "intake-unknown-task" and "（A6、C6）" in found["A6"].message
    assert all("保存后重报" in found[c].message and "第" not in found[c].message for c in ("C5", "A6"))
    assert found["B7"].message.startswith("任务“修缮农村危桥”不在台帐中")
    assert found["B8"].code == "intake-fuzzy-match" and found["B8"].message.startswith("没有任务编号，按名称")


def test_formulas_are_found_in_sheets_written_with_a_namespace_prefix(ledger, tmp_path):
    """Some .NET tools write <x:c><x:f>…</x:f></x:c>: a formula without a cached value there is still
    named, never read as 0 or dropped."""
    import io
    import re

    wb = Workbook()
    ws = wb.active
    ws.append(["填报单位：省教育厅"])
    ws.append(["任务编号", "累计完成", "备注"])
    ws.append(["T1", "=1+1", "x"])
    plain = io.BytesIO()
    wb.save(plain)
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(folder / "省教育厅.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if main in data:  # the workbook and the sheet: every element of that namespace as x:…
                data = re.sub(rb"<(/?)(?![?!])([A-Za-z]+)", rb"<\1x:\2", data.replace(main, main.replace(b"xmlns", b"xmlns:x")))
            zout.writestr(info, data)
    assert b"<x:f>" in zipfile.ZipFile(folder / "省教育厅.xlsx").read("xl/worksheets/sheet1.xml")
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value is None and rl.rows[("T1", "")].submitter
    assert ("intake-formula-no-value", "B3") in {(f.code, f.cell) for f in rl.findings}


def test_blind_cells_are_found_whatever_the_sheet_writes():
    """The quick test for formulas and error cells never hides one."""
    from reporter.intake.workbook import _may_be_blind

    row = b'<row r="1"><c r="A1" t="s"><v>0</v></c>%s</row>'
    sheet = b'<worksheet><sheetFormatPr defaultRowHeight="15"/><sheetData>%s</sheetData>' \
            b'<pageMargins footer="0.3"/></worksheet>'
    assert not _may_be_blind(sheet % (row % b""))
    assert _may_be_blind(sheet % (row % b'<c r="B1"><f>A1+1</f></c>'))
    assert _may_be_blind(sheet % (row % b'<c r="B1"><f t="shared" si="0"/><v></v></c>'))
    assert _may_be_blind(sheet % (row % b'<c r="B1" t="e"><v>#REF!</v></c>'))
    # an 'f' or an 'e' in text or attributes only means the full search is done
    assert not _may_be_blind(sheet % (row % b'<c r="B1" t="inlineStr"><is><t>feel</t></is></c>'))
    assert _may_be_blind(b'<worksheet><c r="A1"><f>1</f></c></worksheet>')  # no sheetData: search it all


def test_worker_results_survive_pickling(ledger, tmp_path):
    """What a worker sends back (rows packed column by column) is the same after the trip, also when it
    is pickled again once its rows are made."""
    import pickle

    from reporter.intake import collect as collect_module
    from reporter.intake.discover import discover

    folder = tmp_path / "in"
    folder.mkdir()
    xlsx(folder / "省卫健委.xlsx", [["填报单位：省卫健委"], ["任务编号", "地区", "累计完成", "进展状态", "备注"],
                                  ["T4", "", 100, "正常推进", "x"], ["T4", "咸安区", "约30", "滞后", None]])
    ctx = collect_module._Context(ledger, ledger.round(ROUND), {})
    collect_module._use(ctx)
    res = collect_module.process_file(next(discover(folder)))
    trip = pickle.loads(pickle.dumps(res))
    expected = {k: asdict(row) for k, row in res.rows.items()}
    assert {k: asdict(row) for k, row in trip.rows.items()} == expected and len(expected) == 2
    again = pickle.loads(pickle.dumps(res))  # res holds rows now, not packed columns
    assert {k: asdict(row) for k, row in again.rows.items()} == expected
    assert [vars(f) for f in trip.findings] == [vars(f) for f in res.findings]


def test_gc_paused_leaves_objects_frozen_by_others_alone():
    import gc

    from reporter.memory import gc_paused

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and gc.isenabled() and len(made) == 1000
    finally:
        gc.unfreeze()
    with gc_paused():
        made = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_changes_between_versions_of_rows_matched_by_name_are_each_listed(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    head = ["填报单位：省人社厅"], ["任务名称", "累计完成", "进展状态"]
    old = xlsx(folder / "人社厅5月.xlsx", [*head, ["城镇新增就业", 30, "正常推进"], ["基本养老保险参保率", 90, "正常推进"]])
    new = xlsx(folder / "人社厅5月(修改版).xlsx", [*head, ["城镇新增就业", 35, "正常推进"], ["基本养老保险参保率", 92, "正常推进"]])
    os.utime(old, (1_748_000_000, 1_748_000_000))
    os.utime(new, (1_748_100_000, 1_748_100_000))
    rl = collect(ledger, ROUND, folder).round_ledger
    changed = {(c["task"], c["old"], c["new"]) for c in rl.changes}
    assert changed == {("T2", "30", "35"), ("T3", "90", "92")}  # the tasks the names matched


def test_changes_are_compared_as_merged_values_at_their_cells(ledger, tmp_path):
    """96 and '96%' of a % task are one value: no change listed; a status changed is, at its cell; the
    status as written keeps its full-width comma."""
    folder = tmp_path / "in"
    folder.mkdir()
    head = ["填报单位：省人社厅"], ["任务编号", "累计完成", "进展状态"]
    old = xlsx(folder / "人社厅5月.xlsx", [*head, ["T3", 96, "正常推进"]])
    new = xlsx(folder / "人社厅5月(修改版).xlsx", [*head, ["T3", "96%", "滞后，资金未到位"]])
    os.utime(old, (1_748_000_000, 1_748_000_000))
    os.utime(new, (1_748_100_000, 1_748_100_000))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert [(c["field"], c["old"], c["new"]) for c in rl.changes] == [("进展状态", "正常推进", "滞后，资金未到位")]
    assert [f.cell for f in rl.findings if f.code == "intake-changed-in-resubmission"] == ["C3"]
    assert rl.rows[("T3", "")].status_raw == "滞后，资金未到位"
