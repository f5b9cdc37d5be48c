"""Who sent a mailed file (the sender's 联系邮箱) and when each file arrived (the message's date, a 收件登记,
--received), as a clerk checks them in 报送文件 and the findings."""
import datetime as dt
import os

import pytest

from reporter.intake.annual import read_ledger
from reporter.intake.collect import collect
from reporter.model.schedule import parse_round

from .conftest import write_book
from .mails import forwarded, thunderbird
from .test_messages import JYT, RST, book, save

ROUND = parse_round("2025-05")  # deadline: 2025-06-05 (the day after which a file is 迟报)


@pytest.fixture
def ledger(tmp_path):
    path = write_book(tmp_path / "台帐.xlsx", {
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
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org；教育厅办公室 <jyt_bgs@163.com>"],
            ["湖北省人力资源和社会保障厅", "省人社厅", "部门", "rst@example.org"],
            ["湖北省卫生健康委员会", "省卫健委", "部门", "wjw@example.org"],
            ["咸安区人民政府", "咸安区政府", "地区", "xa@example.org, xazfb@126.com"],
            ["嘉鱼县人民政府", "嘉鱼县政府", "地区", "jy@example.org"],
        ],
    })
    return read_ledger(path, year=2025)[0]




def names_only(rows) -> bytes:
    """A table with task names but no 任务编号 and no 填报单位: nothing in it says whose it is."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["任务名称", "累计完成", "进展状态"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_file_with_no_other_clue_is_the_senders(ledger, tmp_path):
    folder = tmp_path / "in"
    save(folder, "a.eml", thunderbird("办公室 <JYT_BGS@163.com>", "进展", dt.datetime(2025, 6, 3, 9),
                                      {"附件1.xlsx": names_only([["新增公办学前教育学位", 31000, "正常推进"]])}))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 31000
    [record] = rl.files
    assert (record.unit, record.how, record.sender) == ("湖北省教育厅", "发件人", "jyt_bgs@163.com")
    [note] = [f for f in rl.findings if f.code == "intake-submitter-from-sender"]
    assert "jyt_bgs@163.com" in note.message and note.file == "a.eml/附件1.xlsx"


def test_content_wins_over_the_sender_with_a_warning_naming_both(ledger, tmp_path):
    folder = tmp_path / "in"
    save(folder, "a.eml", thunderbird("jyt@example.org", "人社厅的表（代发）", dt.datetime(2025, 6, 3, 9),
                                      {"进展.xlsx": RST}))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T2", "")].submitter == "湖北省人力资源和社会保障厅"
    [warning] = [f for f in rl.findings if f.code == "intake-sender-differs"]
    assert "湖北省人力资源和社会保障厅" in warning.message and "湖北省教育厅" in warning.message
    assert "jyt@example.org" in warning.message and warning.severity.value == "警告"


def test_a_forwarded_files_sender_is_who_wrote_it(ledger, tmp_path):
    folder = tmp_path / "in"
    inner = thunderbird("xazfb@126.com", "咸安区5月", dt.datetime(2025, 6, 2, 10),
                        {"5月进展.xlsx": names_only([["建设急救站点", 50, "正常推进"]])})
    save(folder, "fw.eml", forwarded("xianning@example.org", "转发：咸安区5月", dt.datetime(2025, 6, 6, 9), inner))
    rl = collect(ledger, ROUND, folder).round_ledger
    [record] = rl.files
    assert (record.unit, record.how) == ("咸安区人民政府", "发件人")
    # it reached the office with the forward, after the deadline
    assert record.late and record.arrived == dt.datetime(2025, 6, 6, 9)
    [late] = [f for f in rl.findings if f.code == "intake-late"]
    assert "由 xianning@example.org 转发" in late.message


def test_late_by_the_messages_date_never_by_the_files_time(ledger, tmp_path):
    folder = tmp_path / "in"
    # saved out of the mail client long after: file times say nothing
    save(folder, "教育厅.eml", thunderbird("jyt@example.org", "5月", dt.datetime(2025, 6, 5, 23, 50), {"a.xlsx": JYT}))
    save(folder, "人社厅.eml", thunderbird("rst@example.org", "5月", dt.datetime(2025, 6, 6, 0, 10), {"b.xlsx": RST}))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert [f.unit for f in rl.late] == ["湖北省人力资源和社会保障厅"]
    assert {f.name: (f.arrived, f.arrival) for f in rl.files} == {
        "教育厅.eml/a.xlsx": (dt.datetime(2025, 6, 5, 23, 50), "邮件日期"),
        "人社厅.eml/b.xlsx": (dt.datetime(2025, 6, 6, 0, 10), "邮件日期")}
    assert "intake-late-by-mtime" not in rl.findings.codes()


def test_the_later_message_wins_and_the_change_is_listed(ledger, tmp_path):
    folder = tmp_path / "in"
    first = save(folder, "1.eml", thunderbird("jyt@example.org", "5月进展", dt.datetime(2025, 6, 3, 9),
                                              {"省教育厅.xlsx": JYT}))
    corrected = book([["T1", "新增公办学前教育学位", 32000, "正常推进"]], "省教育厅")
    second = save(folder, "2.eml", thunderbird("jyt@example.org", "更正：5月进展", dt.datetime(2025, 6, 4, 9),
                                               {"省教育厅.xlsx": corrected}))
    os.utime(first, (dt.datetime(2026, 2, 1).timestamp(),) * 2)  # the earlier message saved last
    os.utime(second, (dt.datetime(2026, 1, 1).timestamp(),) * 2)
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 32000
    assert {f.name: f.state for f in rl.files} == {"1.eml/省教育厅.xlsx": "被替代", "2.eml/省教育厅.xlsx": "采用"}
    assert [(c["old"], c["new"]) for c in rl.changes] == [("30000", "32000")]


def test_a_register_and_received_date_state_when_other_files_came(ledger, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in (("省教育厅5月.xlsx", JYT), ("省人社厅5月.xlsx", RST)):
        (folder / name).write_bytes(data)
    write_book(folder / "收件登记.xlsx", {"登记": [
        ["2025年5月报送收件登记"],
        ["序号", "文件", "收到时间", "经办人"],
        [1, "省教育厅5月.xlsx", "2025-06-04 16:30", "张三"],
        [2, "省人社厅5月", "6月7日 上午9:15", "张三"],
        [3, "省卫健委5月.xlsx", "不详", "张三"],
    ]})
    rl = collect(ledger, ROUND, folder).round_ledger
    assert "收件登记.xlsx" not in {f.name for f in rl.files}  # not a submission
    arrived = {f.name: (f.arrived, f.arrival, f.late) for f in rl.files}
    assert arrived == {"省教育厅5月.xlsx": (dt.datetime(2025, 6, 4, 16, 30), "收件登记", False),
                       "省人社厅5月.xlsx": (dt.datetime(2025, 6, 7, 9, 15), "收件登记", True)}
    [bad] = [f for f in rl.findings if f.code == "intake-arrival-register"]
    assert "第 5 行" in bad.message and "不详" in bad.message
    # --received covers the files the register does not list
    (folder / "收件登记.xlsx").unlink()
    rl = collect(ledger, ROUND, folder, received=dt.date(2025, 6, 4)).round_ledger
    assert {f.arrival for f in rl.files} == {"指定收到日期"} and rl.late == []
