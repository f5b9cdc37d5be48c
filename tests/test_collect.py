"""collect on small hand-made submissions: each behaviour a clerk relies on, checked by what they'd see."""
import datetime as dt
import os
import zipfile

import pytest
from openpyxl import Workbook

from reporter.intake.annual import read_ledger
from reporter.intake.collect import collect
from reporter.model.schedule import parse_round

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
    assert [f.name for f in rl.late] == ["省教育厅.xlsx"]
    assert "intake-late" in rl.findings.codes()


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
