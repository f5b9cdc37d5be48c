"""Saved e-mails in a submissions folder: each message's attachments are submissions, whatever client wrote
them, and a message that gives nothing is a finding naming it (sender, subject, date)."""
import datetime as dt
import io
import os

import pytest
from openpyxl import Workbook

from reporter.intake.collect import collect
from reporter.intake.discover import discover
from reporter.model.schedule import parse_round

from .mails import foxmail, forwarded, gbk_zip, outlook_msg, raw_gbk, thunderbird
from .test_collect import ledger  # noqa: F401 - the fixture

ROUND = parse_round("2025-05")
FAR = dt.datetime(2026, 1, 20, 8).timestamp()  # files copied out of the mail client months later


def book(rows, unit=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "进展"
    if unit:
        ws.append([f"填报单位：{unit}"])
    ws.append(["任务编号", "任务名称", "累计完成", "进展状态"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save(folder, name, raw: bytes):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(raw)
    os.utime(path, (FAR, FAR))
    return path


JYT = book([["T1", "新增公办学前教育学位", 30000, "正常推进"]], "省教育厅")
RST = book([["T2", "城镇新增就业", 31.5, "正常推进"], ["T3", "基本养老保险参保率", 95, "已完成"]], "省人社厅")
XA = book([["T4", "建设急救站点", 50, "正常推进"]], "咸安区政府")
WJW_CSV = "填报单位：省卫健委\n任务编号,累计完成\nT4,70\n".encode("gb18030")


def test_attachments_of_every_kind_of_client_are_merged(ledger, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    save(folder, "教育厅.eml", thunderbird("省教育厅 <jyt@example.org>", "5月进展", dt.datetime(2025, 6, 3, 9),
                                           {"省教育厅2025年5月民生实事进展.xlsx": JYT}))
    save(folder, "人社厅.eml", foxmail("rst@example.org", "人社厅5月报送", dt.datetime(2025, 6, 4, 17),
                                       {"省人社厅5月.xlsx": RST}))
    save(folder, "卫健委.eml", raw_gbk("wjw@example.org", "卫健委", dt.datetime(2025, 6, 5, 11),
                                       {"省卫健委5月进展.csv": WJW_CSV}))
    inner = thunderbird("xa@example.org", "咸安区5月", dt.datetime(2025, 6, 2, 10),
                        {"咸安区报送.zip": gbk_zip({"咸安区政府/咸安区5月进展.xlsx": XA})})
    save(folder, "转发.eml", forwarded("xianning@example.org", "转发：咸安区5月", dt.datetime(2025, 6, 2, 11), inner))
    names = [s.name for s in discover(folder)]
    assert names == ["人社厅.eml/省人社厅5月.xlsx", "卫健委.eml/省卫健委5月进展.csv",
                     "教育厅.eml/省教育厅2025年5月民生实事进展.xlsx",
                     "转发.eml/咸安区报送.zip/咸安区政府/咸安区5月进展.xlsx"]
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 30000 and rl.rows[("T2", "")].value == 31.5
    assert rl.rows[("T4", "")].value == 70
    assert str(rl.rows[("T4", "")].sources["value"]) == "卫健委.eml/省卫健委5月进展.csv › 省卫健委5月进展 › B3"
    assert sorted(f.unit for f in rl.files if f.state == "采用") == [
        "咸安区人民政府", "湖北省人力资源和社会保障厅", "湖北省卫生健康委员会", "湖北省教育厅"]


def test_a_message_is_known_with_each_of_its_submissions(tmp_path):
    folder = tmp_path / "in"
    save(folder, "a.eml", thunderbird("省教育厅 <JYT@example.org>", "5月进展", dt.datetime(2025, 6, 3, 9, 30),
                                      {"省教育厅.xlsx": JYT}))
    [source] = discover(folder)
    letter = source.letter
    assert (letter.sender, letter.sender_name, letter.subject) == ("jyt@example.org", "省教育厅", "5月进展")
    assert letter.date == dt.datetime(2025, 6, 3, 9, 30) and source.received == letter.date
    assert source.mtime == letter.date  # not the file's, set months later
    assert letter.describe() == "发件人 省教育厅 <jyt@example.org>，主题“5月进展”，日期 2025-06-03 09:30"


def test_a_date_in_another_zone_is_taken_in_china_time(tmp_path):
    folder = tmp_path / "in"
    sent = dt.datetime(2025, 6, 5, 18, 0, tzinfo=dt.timezone.utc)  # 6月6日 02:00 in Beijing
    save(folder, "a.eml", thunderbird("jyt@example.org", "5月", sent, {"省教育厅.xlsx": JYT}))
    [source] = discover(folder)
    assert source.received == dt.datetime(2025, 6, 6, 2, 0)


def test_received_header_when_there_is_no_date(tmp_path):
    raw = thunderbird("jyt@example.org", "5月", dt.datetime(2025, 6, 3, 9), {"省教育厅.xlsx": JYT})
    raw = raw.replace(b"Date: ", b"X-Old-Date: ", 1)
    raw = (b"Received: from mx.example.org by mail.example.gov.cn; Wed, 4 Jun 2025 08:15:00 +0800\r\n"
           b"Received: from pc by mx.example.org; Wed, 4 Jun 2025 08:14:00 +0800\r\n" + raw)
    save(tmp_path / "in", "a.eml", raw)
    [source] = discover(tmp_path / "in")
    assert source.letter.date is None and source.received == dt.datetime(2025, 6, 4, 8, 15)


def test_the_same_attachment_twice_is_one_submission(ledger, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    save(folder, "1.eml", thunderbird("jyt@example.org", "5月进展", dt.datetime(2025, 6, 3, 9), {"教育厅.xlsx": JYT}))
    save(folder, "2.eml", thunderbird("jyt@example.org", "Re: 5月进展（再发一次）", dt.datetime(2025, 6, 7, 9),
                                      {"教育厅.xlsx": JYT}))
    [source] = discover(folder)
    assert source.name == "1.eml/教育厅.xlsx"
    assert [c.subject for c in source.copies] == ["Re: 5月进展（再发一次）"]
    rl = collect(ledger, ROUND, folder).round_ledger
    assert [f.state for f in rl.files] == ["采用"]
    assert rl.files[0].message == "1.eml（同一文件又见于：2.eml）" and not rl.files[0].late
    assert "intake-superseded" not in rl.findings.codes()


def test_a_message_that_gives_nothing_is_named(ledger, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    save(folder, "无附件.eml", thunderbird("jy@example.org", "嘉鱼县5月进展", dt.datetime(2025, 6, 3, 9), {},
                                          body="附件太大，另行报送。"))
    save(folder, "文档.eml", thunderbird("jyt@example.org", "教育厅5月", dt.datetime(2025, 6, 3, 10),
                                        {"省教育厅.xlsx": JYT, "盖章件.pdf": b"%PDF-1.4 ..."}))
    broken = thunderbird("rst@example.org", "人社厅", dt.datetime(2025, 6, 3, 11), {"省人社厅.xlsx": RST})
    broken = broken.replace(b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: base64", 1)
    head, _, rest = broken.partition(b"filename")
    save(folder, "坏的.eml", head + b"filename" + rest[:len(rest) // 2].rstrip(b"=") + b"%%%")
    rl = collect(ledger, ROUND, folder).round_ledger
    messages = [f.message for f in rl.findings if f.file and f.file.startswith(("无附件", "文档", "坏的"))]
    assert any("发件人 jy@example.org" in m and "嘉鱼县5月进展" in m and "2025-06-03 09:00" in m and "没有附件" in m
               for m in messages)
    [pdf] = [f for f in rl.findings if f.file == "文档.eml/盖章件.pdf"]
    assert pdf.code == "intake-message-other-attachment" and "发件人 jyt@example.org" in pdf.message
    assert any("坏的.eml" in (f.file or "") and "人社厅" in f.message for f in rl.findings)
    assert rl.rows[("T1", "")].value == 30000  # the round goes on


def test_a_huge_attachment_is_not_read(ledger, tmp_path, monkeypatch):  # noqa: F811
    from reporter.intake import messages

    monkeypatch.setattr(messages, "MAX_ATTACHMENT_BYTES", 2000)
    folder = tmp_path / "in"
    save(folder, "大.eml", thunderbird("jyt@example.org", "教育厅5月", dt.datetime(2025, 6, 3, 10),
                                      {"省教育厅.xlsx": JYT}))
    rl = collect(ledger, ROUND, folder).round_ledger
    [finding] = [f for f in rl.findings if f.file == "大.eml/省教育厅.xlsx" and f.code == "intake-unreadable"]
    assert "超过上限" in finding.message and "发件人 jyt@example.org" in finding.message
    assert "湖北省教育厅" in rl.missing
    [told] = [f for f in rl.findings if f.code == "intake-submission-unreadable"]  # the unit is told why
    assert told.value == "湖北省教育厅" and "无法读取" in told.message


def test_an_outlook_msg_gives_its_attachments_and_its_sender(ledger, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    save(folder, "人社厅5月进展.msg", outlook_msg("省人社厅 <rst@example.org>", "人社厅5月进展报送",
                                                 dt.datetime(2025, 6, 4, 9, 30), {"省人社厅5月进展.xlsx": RST},
                                                 received=dt.datetime(2025, 6, 4, 9, 31)))
    [source] = discover(folder)
    assert source.name == "人社厅5月进展.msg/省人社厅5月进展.xlsx"
    letter = source.letter
    assert (letter.sender, letter.subject, letter.date, letter.received) == (
        "rst@example.org", "人社厅5月进展报送", dt.datetime(2025, 6, 4, 9, 30), dt.datetime(2025, 6, 4, 9, 31))
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T2", "")].value == 31.5
    assert str(rl.rows[("T2", "")].sources["value"]).startswith("人社厅5月进展.msg/省人社厅5月进展.xlsx › 进展 › ")


def test_a_damaged_msg_is_named(ledger, tmp_path):  # noqa: F811
    folder = tmp_path / "in"
    save(folder, "坏.msg", b"\xd0\xcf\x11\xe0 not really an outlook message")
    rl = collect(ledger, ROUND, folder).round_ledger
    [finding] = [f for f in rl.findings if f.file == "坏.msg"]
    assert "Outlook 邮件" in finding.message


def test_a_huge_message_is_named_from_its_headers_alone(ledger, tmp_path, monkeypatch):  # noqa: F811
    from reporter.intake import messages

    monkeypatch.setattr(messages, "MAX_MESSAGE_BYTES", 30_000)
    folder = tmp_path / "in"
    save(folder, "大邮件.eml", thunderbird("rst@example.org", "人社厅5月（含照片）", dt.datetime(2025, 6, 3, 10),
                                         {"省人社厅.xlsx": RST, "现场照片.jpg": b"\xff\xd8" * 40_000}))
    save(folder, "教育厅.eml", thunderbird("jyt@example.org", "教育厅5月", dt.datetime(2025, 6, 3, 9), {"a.xlsx": JYT}))
    rl = collect(ledger, ROUND, folder).round_ledger
    [finding] = [f for f in rl.findings if f.file == "大邮件.eml"]
    assert finding.code == "intake-message" and "超过上限" in finding.message
    assert "rst@example.org" in finding.message and "人社厅5月（含照片）" in finding.message
    assert rl.rows[("T1", "")].value == 30000


def test_a_zip_of_saved_messages_gives_their_attachments(ledger, tmp_path):  # noqa: F811
    import zipfile

    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "5月报送邮件.zip", "w") as zf:
        zf.writestr("教育厅.eml", thunderbird("jyt@example.org", "教育厅5月", dt.datetime(2025, 6, 3, 9),
                                             {"省教育厅.xlsx": JYT}))
        zf.writestr("人社厅.msg", outlook_msg("rst@example.org", "人社厅5月", dt.datetime(2025, 6, 6, 9),
                                             {"省人社厅.zip": gbk_zip({"人社厅/省人社厅5月.xlsx": RST})}))
    assert [s.name for s in discover(folder)] == ["5月报送邮件.zip/人社厅.msg/省人社厅.zip/人社厅/省人社厅5月.xlsx",
                                                  "5月报送邮件.zip/教育厅.eml/省教育厅.xlsx"]
    rl = collect(ledger, ROUND, folder).round_ledger
    assert rl.rows[("T1", "")].value == 30000 and rl.rows[("T2", "")].value == 31.5
    assert [f.unit for f in rl.late] == ["湖北省人力资源和社会保障厅"]  # by the message's date


def test_a_subject_in_raw_gbk_is_read(tmp_path):
    raw = thunderbird("jyt@example.org", "x", dt.datetime(2025, 6, 3, 9), {"省教育厅.xlsx": JYT})
    raw = raw.replace(b"Subject: x", b"Subject: " + "省教育厅5月进展报送".encode("gbk"), 1)
    save(tmp_path / "in", "a.eml", raw)
    [source] = discover(tmp_path / "in")
    assert source.letter.subject == "省教育厅5月进展报送"
