"""E-mail drafts and sending, checked the way a clerk would: open the .eml, read the report, receive the mail.

The SMTP tests run a real server (aiosmtpd) on 127.0.0.1 and parse what arrives.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest

from reporter.deliver import (MailConfigError, MailSettings, build_message, mail_round, parse_addresses,
                              plan_packages, send, write_drafts)
from reporter.intake.annual import read_ledger
from reporter.model.schedule import parse_round
from reporter.workspace import Workspace

from .conftest import write_book

ROUND = parse_round("2025-05")
ISSUED = dt.date(2025, 6, 5)
OFFICE = "湖北省民生工作领导小组办公室"
NOTICE_TITLE = "关于2025年5月民生实事推进情况的督办通知"
PASSWORD = "s3cret-Pa55-word"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_rows() -> dict[str, list[list]]:
    return {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["MS-01", "新增公办幼儿园学位", "教育", "万个", "7万个", "省教育厅", "2025年12月底"],
            ["MS-02", "城镇老旧小区改造", "住房", "个", "1200个", "省住建厅", "11月底前"],
            ["MS-03", "养老服务床位", "养老", "张", "5000张", "省民政厅", "年底前"],
        ],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系邮箱"],
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org；JYT2@example.org"],
            ["湖北省住房和城乡建设厅", "省住建厅", "部门", "zjt@example.org"],
            ["湖北省民政厅", "省民政厅", "部门", "mzt@example.org"],
            ["武汉市人民政府", "武汉市政府", "地区", "wh@example.org"],
            ["咸宁市人民政府", "咸宁市政府", "地区", "暂无"],
        ],
    }


def put(path: Path, data: bytes | None = None) -> bytes:
    """A small file with distinct content, so a mixed-up attachment cannot pass."""
    data = data if data is not None else path.name.encode("utf-8") * 3 + os.urandom(64)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def notice_files(folder: Path, label: str) -> list[str]:
    names = [f"{label}_督办通知.docx", f"{label}_督办通知.pdf", f"{label}_回执.xlsx"]
    for name in names:
        put(folder / name)
    return names


@pytest.fixture
def ledger(tmp_path):
    annual, _ = read_ledger(write_book(tmp_path / "2025年民生实事任务台帐.xlsx", ledger_rows()))
    return annual


@pytest.fixture
def ws(tmp_path) -> Workspace:
    """A round as the earlier steps leave it: notices with their list, return workbooks, bulletin, brief."""
    ws = Workspace(tmp_path / "output")
    notices = ws.notices_dir(ROUND)
    entries = [
        {"unit": "湖北省教育厅", "label": "省教育厅", "number": "民生督〔2025〕12号", "level": "督办",
         "files": notice_files(notices, "省教育厅")},
        {"unit": "武汉市人民政府", "label": "武汉市政府", "number": "民生督〔2025〕13号", "level": "提醒",
         "files": notice_files(notices, "武汉市政府")},
        {"unit": "咸宁市人民政府", "label": "咸宁市政府", "number": "民生督〔2025〕14号", "level": "通报约谈",
         "files": notice_files(notices, "咸宁市政府")},
    ]
    (notices / "清单.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    put(notices / "督办通知汇总.zip")  # the zip of all notices is not any unit's attachment
    ws.returns_dir(ROUND).mkdir(parents=True)
    for label in ("省教育厅", "省住建厅"):
        write_book(ws.return_workbook(ROUND, label), {"修改说明": [["严重程度", "问题说明"], ["错误", "不是数值"]]})
    for stem in ("2025年5月民生实事推进情况通报",):
        put(ws.bulletin_dir(ROUND) / f"{stem}.docx")
        put(ws.bulletin_dir(ROUND) / f"{stem}.pdf")
    put(ws.brief_dir(ROUND) / "2025年5月民生实事推进情况（领导参阅）.pdf")
    put(ws.brief_dir(ROUND) / "2025年5月民生实事推进情况（领导参阅）.docx")
    put(ws.brief_dir(ROUND) / "~$25年5月民生实事推进情况（领导参阅）.docx")  # Word's lock file
    return ws


def settings(**overrides) -> MailSettings:
    section = {"sender": "msb@hubei.example.gov.cn", "leaders": ["王主任 <wang@example.org>", "li@example.org"],
               "cc": ["archive@hubei.example.gov.cn"], "contact": "联系人：张三，电话：027-87654321",
               "host": "127.0.0.1", "security": "none", **overrides}
    return MailSettings.from_config(section, office_name=OFFICE)


def parse(path_or_bytes) -> EmailMessage:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return BytesParser(policy=policy.default).parsebytes(data)


def attachments(msg) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in msg.iter_attachments()}


def on_disk(paths) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


def drafts_by_label(result):
    return {d.label: d for d in result.drafts}


# --------------------------------------------------------------------------- who gets what


def test_leaders_and_each_unit_with_something_to_send_get_one_message(ledger, ws):
    plan = plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)
    got = {p.label: p for p in plan}
    assert list(got) == ["领导", "省教育厅", "省住建厅", "武汉市政府", "咸宁市政府"]  # 省民政厅: nothing to send
    leaders = got["领导"]
    assert [a.addr_spec for a in leaders.to] == ["wang@example.org", "li@example.org"]
    assert [p.name for p in leaders.attachments] == [
        "2025年5月民生实事推进情况（领导参阅）.docx", "2025年5月民生实事推进情况（领导参阅）.pdf",
        "2025年5月民生实事推进情况通报.docx", "2025年5月民生实事推进情况通报.pdf"]
    edu = got["省教育厅"]
    assert [a.addr_spec for a in edu.to] == ["jyt@example.org", "JYT2@example.org"]
    assert [a.addr_spec for a in edu.cc] == ["archive@hubei.example.gov.cn"]
    assert [p.name for p in edu.attachments] == ["省教育厅_督办通知.docx", "省教育厅_督办通知.pdf",
                                                  "省教育厅_回执.xlsx", "省教育厅_退回修改.xlsx"]
    assert edu.subject == f"{NOTICE_TITLE}（民生督〔2025〕12号）及退回修改的报送材料"
    assert got["武汉市政府"].subject == f"{NOTICE_TITLE}（民生督〔2025〕13号）"
    assert got["省住建厅"].subject == "2025年5月民生实事推进情况报送材料退回修改"
    assert [p.name for p in got["省住建厅"].attachments] == ["省住建厅_退回修改.xlsx"]


def test_bodies_are_formal_chinese_with_office_and_gbt9704_date(ledger, ws):
    got = {p.label: p for p in plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)}
    edu = got["省教育厅"].body
    assert edu.startswith("湖北省教育厅：\n")
    assert f"《{NOTICE_TITLE}》（民生督〔2025〕12号）" in edu and "督办级别：督办" in edu
    assert "“修改说明”工作表" in edu and "重新报送" in edu
    assert "附件：1. 省教育厅_督办通知.docx" in edu and "4. 省教育厅_退回修改.xlsx" in edu
    assert edu.rstrip().endswith(f"{OFFICE}\n2025年6月5日")
    assert "联系人：张三，电话：027-87654321" in edu
    assert got["领导"].body.startswith("各位领导：\n")
    assert "领导参阅和月度通报呈上" in got["领导"].body


def test_without_notice_list_units_get_only_their_return_workbooks(ledger, ws):
    (ws.notices_dir(ROUND) / "清单.json").unlink()
    plan = plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)
    got = {p.label: p for p in plan}
    assert list(got) == ["领导", "省教育厅", "省住建厅"]
    assert [p.name for p in got["省教育厅"].attachments] == ["省教育厅_退回修改.xlsx"]


def test_pdf_only_keeps_workbooks_and_a_document_that_has_no_pdf(ledger, ws):
    (ws.brief_dir(ROUND) / "2025年5月民生实事推进情况（领导参阅）.pdf").unlink()
    got = {p.label: p for p in plan_packages(ledger, ROUND, ws, settings(formats=["pdf"]), issued=ISSUED)}
    assert [p.name for p in got["省教育厅"].attachments] == ["省教育厅_督办通知.pdf", "省教育厅_回执.xlsx",
                                                             "省教育厅_退回修改.xlsx"]
    leaders = got["领导"]
    assert [p.name for p in leaders.attachments] == ["2025年5月民生实事推进情况（领导参阅）.docx",
                                                     "2025年5月民生实事推进情况通报.pdf"]
    assert any("没有PDF版" in n and "DOCX" in n for n in leaders.notes)


def test_problems_in_inputs_are_listed_not_raised(ledger, ws):
    listing = ws.notices_dir(ROUND) / "清单.json"
    entries = json.loads(listing.read_text(encoding="utf-8"))
    entries[0]["files"].append("省教育厅_不存在.pdf")
    entries.append({"unit": "某某不存在局", "label": "某某局", "number": "民生督〔2025〕15号", "level": "督办",
                    "files": []})
    listing.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    write_book(ws.return_workbook(ROUND, "神秘单位"), {"修改说明": [["问题说明"], ["不是数值"]]})
    plan = plan_packages(ledger, ROUND, ws, settings(leaders=[]), issued=ISSUED)
    got = {p.label: p for p in plan}
    assert any("省教育厅_不存在.pdf" in n for n in got["省教育厅"].notes)
    assert got["某某局"].to == [] and any("不在台帐责任单位表" in n for n in got["某某局"].notes)
    assert got["领导"].to == [] and any("leaders" in n for n in got["领导"].notes)
    assert any(n.who == "神秘单位" and "另行发送" in n.message for n in plan.notes)


def test_a_broken_notice_list_stops_the_step_with_a_chinese_message(ledger, ws):
    (ws.notices_dir(ROUND) / "清单.json").write_text("[{\"label\": 1", encoding="utf-8")
    with pytest.raises(MailConfigError, match="督办通知清单"):
        plan_packages(ledger, ROUND, ws, settings())


# --------------------------------------------------------------------------- drafts


def test_drafts_parse_back_to_the_same_attachments_names_and_bytes(ledger, ws, tmp_path):
    result = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    assert result.folder == ws.mail_dir(ROUND)
    assert len(result.drafts) == 5
    for draft in result.drafts:
        msg = parse(draft.path)
        assert attachments(msg) == on_disk(draft.package.attachments), draft.label
        assert str(msg["subject"]) == draft.package.subject
        assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == draft.package.body
        assert draft.size == draft.path.stat().st_size
    edu = parse(drafts_by_label(result)["省教育厅"].path)
    types = {p.get_filename(): p.get_content_type() for p in edu.iter_attachments()}
    assert types == {"省教育厅_督办通知.docx": DOCX, "省教育厅_督办通知.pdf": "application/pdf",
                     "省教育厅_回执.xlsx": XLSX, "省教育厅_退回修改.xlsx": XLSX}
    assert [a.addr_spec for a in edu["to"].addresses] == ["jyt@example.org", "JYT2@example.org"]
    assert edu["to"].addresses[0].display_name == "省教育厅"
    assert edu["from"].addresses[0].display_name == OFFICE
    assert edu["from"].addresses[0].addr_spec == "msb@hubei.example.gov.cn"
    assert edu["message-id"].endswith("@hubei.example.gov.cn>")
    assert edu["date"].datetime is not None and edu["x-unsent"] == "1"
    assert sorted(p.name for p in ws.mail_dir(ROUND).iterdir()) == sorted(
        ["领导.eml", "省教育厅.eml", "省住建厅.eml", "武汉市政府.eml", "咸宁市政府.eml", "邮件清单.xlsx"])


def test_raw_drafts_are_crlf_ascii_with_rfc2231_and_rfc2047_names(ledger, ws):
    result = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    raw = drafts_by_label(result)["省教育厅"].path.read_bytes()
    assert raw.isascii(), "headers and bodies are encoded, so any mail server can carry the file"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert re.search(rb"^Subject: =\?utf-8\?b\?", raw, re.M | re.I)
    text = raw.decode("ascii")
    assert "filename*=utf-8''" in text or "filename*0*=utf-8''" in text  # RFC 2231, for standard clients
    # RFC 2047 name= on Content-Type, which Outlook and Foxmail read: decode it without the email package
    names = re.findall(r'Content-Type:(?:\r\n)? [^;\r\n]+;\r\n name="((?:[^"]|\r\n )*)"', text)
    decoded = sorted(str(make_header(decode_header(n.replace("\r\n ", " ")))) for n in names)
    assert decoded == sorted(["省教育厅_督办通知.docx", "省教育厅_督办通知.pdf", "省教育厅_回执.xlsx",
                              "省教育厅_退回修改.xlsx"])
    assert all(n.startswith("=?UTF-8?B?") for n in names)
    msg = parse(raw)
    assert sorted(p["content-type"].params["name"] for p in msg.iter_attachments()) == decoded


def test_drafts_are_the_bytes_the_email_package_writes(ledger, ws):
    """message_bytes writes long bodies in one piece: the same bytes as EmailMessage.as_bytes()."""
    from reporter.deliver.mail import message_bytes

    plan = plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)
    now = dt.datetime(2025, 6, 5, 9, 30)
    for package in plan.packages:
        msg = build_message(package, settings(), now)
        assert message_bytes(msg) == msg.as_bytes()
    assert any(package.attachments for package in plan.packages)


def test_a_long_chinese_name_splits_into_whole_characters(ledger, ws, tmp_path):
    long_name = "关于2025年5月民生实事推进情况的督办通知（民生督〔2025〕12号）——省教育厅（含回执及附表）𠮷.pdf"
    data = put(tmp_path / long_name)
    plan = plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)
    package = plan.packages[1]
    package.attachments = [tmp_path / long_name]
    raw = build_message(package, settings()).as_bytes()
    words = re.findall(rb"=\?UTF-8\?B\?([^?]+)\?=", raw)
    assert len(words) > 2
    for word in words:  # each encoded word holds whole UTF-8 characters (RFC 2047 section 5)
        __import__("base64").b64decode(word).decode("utf-8")
    assert attachments(parse(raw)) == {long_name: data}


def test_unit_without_address_is_written_and_named_in_the_report(ledger, ws):
    result = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    assert result.unreachable() == ["咸宁市政府"]
    draft = drafts_by_label(result)["咸宁市政府"]
    msg = parse(draft.path)
    assert msg["to"] is None and attachments(msg)  # the draft exists, with its notice, for the clerk to forward
    book = openpyxl.load_workbook(result.report)
    rows = list(book["邮件清单"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:11] == ("序号", "类别", "收件单位", "地址", "抄送", "主题", "附件数", "附件", "大小(MB)",
                           "草稿文件", "提示")
    row = next(dict(zip(header, r)) for r in rows[1:] if r[2] == "咸宁市政府")
    assert not row["地址"] and "邮箱" in row["提示"] and "暂无" in row["提示"]
    assert row["附件数"] == 3 and row["草稿文件"] == "咸宁市政府.eml"
    edu = next(dict(zip(header, r)) for r in rows[1:] if r[2] == "省教育厅")
    assert edu["地址"] == "jyt@example.org；JYT2@example.org" and not edu["提示"]
    assert edu["大小(MB)"] == round(drafts_by_label(result)["省教育厅"].size / 1024 / 1024, 2)
    notes = list(book["提示"].iter_rows(values_only=True))
    assert any(r[0] == "咸宁市政府" and "邮箱" in r[1] for r in notes[1:])
    assert "咸宁市政府" in result.summary()["无收件地址"]


def test_unit_without_address_is_written_to_the_address_it_submitted_from(ledger, ws):
    """咸宁市政府 has no 联系邮箱 in the ledger but e-mailed its file this round: its notice goes back there, and
    the report says where the address came from; a unit whose file came otherwise gains nothing."""
    from reporter.ledger.store import save_round
    from reporter.model.round_ledger import FileRecord, RoundLedger

    files = [FileRecord("咸宁市5月进展.xlsx", "咸宁市人民政府", "采用", sender="咸宁市民生办 <xnmsb@163.com>"),
             FileRecord("武汉旧版.xlsx", "武汉市人民政府", "被替代", sender="old@wh.example.org")]
    save_round(ws, RoundLedger(ledger, ledger.round(ROUND), files=files))
    result = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    assert result.unreachable() == []
    msg = parse(drafts_by_label(result)["咸宁市政府"].path)
    assert "xnmsb@163.com" in str(msg["to"])
    assert "wh@example.org" in str(parse(drafts_by_label(result)["武汉市政府"].path)["to"])
    rows = list(openpyxl.load_workbook(result.report)["邮件清单"].iter_rows(values_only=True))
    row = next(dict(zip(rows[0], r)) for r in rows[1:] if r[2] == "咸宁市政府")
    assert "xnmsb@163.com" in row["地址"] and "发件地址" in row["提示"]


def test_size_warning_over_the_configured_limit(ledger, ws):
    small = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    assert small.oversized() == []
    result = mail_round(ledger, ROUND, ws, settings(max_mb=0.001), issued=ISSUED)
    assert sorted(result.oversized()) == sorted(d.label for d in result.drafts)
    rows = list(openpyxl.load_workbook(result.report)["邮件清单"].iter_rows(values_only=True))
    for row in rows[1:]:
        assert "超过上限 0.001 MB" in row[10], row
    assert len(result.summary()["超过大小上限"]) == 5


def test_rerun_replaces_drafts_and_drops_those_no_longer_due(ledger, ws):
    mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    ws.return_workbook(ROUND, "省住建厅").unlink()
    result = mail_round(ledger, ROUND, ws, settings(), issued=ISSUED)
    names = sorted(p.name for p in ws.mail_dir(ROUND).glob("*.eml"))
    assert "省住建厅.eml" not in names and len(names) == len(result.drafts) == 4
    assert not list(ws.mail_dir(ROUND).glob(".~*"))


# --------------------------------------------------------------------------- settings and addresses


def test_settings_from_config_and_refusals(tmp_path):
    s = MailSettings.from_config({"sender": "a@x.cn", "security": "SSL", "leaders": "w@x.cn；l@x.cn",
                                  "cafile": "certs/ca.pem", "max_mb": 10}, office_name=OFFICE, base=tmp_path)
    assert s.sender_name == OFFICE and s.smtp_port == 465 and s.max_mb == 10
    assert s.cafile == str(tmp_path / "certs" / "ca.pem") and s.formats == ("pdf", "docx")
    assert MailSettings.from_config({}).smtp_port == 587 and MailSettings().password_env == "REPORTER_SMTP_PASSWORD"
    for bad, words in [({"password": "x"}, "不能写密码"), ({"leader": ["a@x.cn"]}, "leader"),
                       ({"security": "tls"}, "security"), ({"max_mb": 0}, "max_mb"), ({"port": "abc"}, "port"),
                       ({"formats": ["doc"]}, "formats")]:
        with pytest.raises(MailConfigError, match=words):
            MailSettings.from_config(bad)


@pytest.mark.parametrize("text, valid, invalid", [
    ("a@x.cn；b@x.cn，c@x.cn、d@x.cn e@x.cn", ["a@x.cn", "b@x.cn", "c@x.cn", "d@x.cn", "e@x.cn"], []),
    ("ａｂ＠ｘ．ｃｎ", ["ab@x.cn"], []),
    ("张三 <zs@x.cn>; mailto:m@x.cn", ["zs@x.cn", "m@x.cn"], []),
    ("a@x.cn A@X.CN", ["a@x.cn"], []),
    ("暂无", [], ["暂无"]),
    ("a@x.cn；bad@", ["a@x.cn"], ["bad@"]),
    (None, [], []),
])
def test_parse_addresses(text, valid, invalid):
    good, bad = parse_addresses(text, "单位")
    assert [a.addr_spec for a in good] == valid and bad == invalid


# --------------------------------------------------------------------------- SMTP on loopback


class Inbox:
    """An aiosmtpd handler that keeps what arrives and refuses the addresses it is told to."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login, auth_data.password))
        ok = auth_data.login == b"msb" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    def received(self) -> dict[str, tuple[list[str], EmailMessage]]:
        out = {}
        for _, rcpts, data in self.messages:
            msg = parse(data)
            out[str(msg["subject"])] = (rcpts, msg)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    from aiosmtpd.controller import Controller

    started = []

    def start(inbox: Inbox, **kwargs) -> int:
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def cert(tmp_path):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if not shutil.which("openssl"):
        pytest.skip("openssl 命令不可用，无法生成测试证书")
    key, crt = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(crt), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(crt, key)
    return crt, context


def assert_arrived_intact(result, inbox: Inbox, expected: set[str]) -> None:
    received = inbox.received()
    by_subject = {d.package.subject: d for d in result.drafts if d.label in expected}
    assert set(received) == set(by_subject)
    for subject, (rcpts, msg) in received.items():
        draft = by_subject[subject]
        assert rcpts == [a.addr_spec for a in draft.package.to + draft.package.cc]
        assert attachments(msg) == on_disk(draft.package.attachments)
        assert msg["x-unsent"] is None and msg["message-id"] == parse(draft.path)["message-id"]


def test_send_with_auth_from_the_environment(ledger, ws, server, monkeypatch, tmp_path):
    inbox = Inbox()
    port = server(inbox, authenticator=inbox.authenticate, auth_require_tls=False)
    monkeypatch.setenv("REPORTER_SMTP_PASSWORD", PASSWORD)
    result = mail_round(ledger, ROUND, ws, settings(port=port, user="msb"), send=True, issued=ISSUED)
    assert inbox.logins == [(b"msb", PASSWORD.encode())]  # one session for the whole round
    assert_arrived_intact(result, inbox, {"领导", "省教育厅", "省住建厅", "武汉市政府"})
    assert all(m[0] == "msb@hubei.example.gov.cn" for m in inbox.messages)
    outcome = {s.label: s for s in result.sent}
    assert not outcome["咸宁市政府"].ok and "没有收件地址" in outcome["咸宁市政府"].message
    assert outcome["省教育厅"].ok and "jyt@example.org" in str(outcome["省教育厅"])
    assert result.problem and "咸宁市政府" in result.problem[0]
    rows = list(openpyxl.load_workbook(result.report)["邮件清单"].iter_rows(values_only=True))
    assert rows[0][-1] == "发送结果"
    assert {r[2]: r[-1].startswith("已发送") for r in rows[1:]} == {
        "领导": True, "省教育厅": True, "省住建厅": True, "武汉市政府": True, "咸宁市政府": False}
    for path in tmp_path.rglob("*"):  # the password is in no file the round wrote
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_refused_recipient_is_reported_and_the_others_still_arrive(ledger, ws, server):
    inbox = Inbox(refuse={"zjt@example.org", "JYT2@example.org"})
    port = server(inbox)
    s = settings(port=port)
    result = write_drafts(plan_packages(ledger, ROUND, ws, s, issued=ISSUED), ws.mail_dir(ROUND), s)
    sent = {r.label: r for r in send(result.drafts, s)}
    housing = sent["省住建厅"]  # its only address refused: not sent, though the archive copy went through
    assert not housing.ok and "省住建厅" in housing.message and "550" in housing.message
    assert "zjt@example.org" in housing.refused
    edu = sent["省教育厅"]  # one of two addresses refused: sent, and the refusal named
    assert edu.ok and "JYT2@example.org" in edu.message and list(edu.refused) == ["JYT2@example.org"]
    received = inbox.received()
    assert set(received) == {d.package.subject for d in result.drafts if d.label != "咸宁市政府"}
    assert received[drafts_by_label(result)["省住建厅"].package.subject][0] == ["archive@hubei.example.gov.cn"]
    edu_rcpts, edu_msg = received[drafts_by_label(result)["省教育厅"].package.subject]
    assert edu_rcpts == ["jyt@example.org", "archive@hubei.example.gov.cn"]
    assert attachments(edu_msg) == on_disk(drafts_by_label(result)["省教育厅"].package.attachments)


def test_wrong_password_fails_every_message_without_raising(ledger, ws, server):
    inbox = Inbox()
    port = server(inbox, authenticator=inbox.authenticate, auth_require_tls=False)
    s = settings(port=port, user="msb")
    result = write_drafts(plan_packages(ledger, ROUND, ws, s, issued=ISSUED), ws.mail_dir(ROUND), s)
    sent = send(result.drafts, s, password="wrong")
    assert len(sent) == 5 and not any(r.ok for r in sent) and inbox.messages == []
    assert "登录失败" in sent[0].message and "535" in sent[0].message and "wrong" not in sent[0].message
    assert len(inbox.logins) <= 2, "one session (smtplib tries PLAIN, then LOGIN), not one per draft"


def test_unreachable_server_and_missing_settings(ledger, ws, monkeypatch):
    s = settings(port=free_port())
    result = write_drafts(plan_packages(ledger, ROUND, ws, s, issued=ISSUED), ws.mail_dir(ROUND), s)
    sent = send(result.drafts, s)
    assert [r.ok for r in sent] == [False] * 5
    assert "无法连接 SMTP 服务器 127.0.0.1" in sent[0].message and "领导" in sent[0].message
    monkeypatch.delenv("REPORTER_SMTP_PASSWORD", raising=False)
    with pytest.raises(MailConfigError, match="REPORTER_SMTP_PASSWORD"):
        send(result.drafts, settings(user="msb"))
    with pytest.raises(MailConfigError, match="host"):
        send(result.drafts, settings(host=""))


def test_starttls_with_the_office_ca_file(ledger, ws, server, cert, monkeypatch):
    crt, context = cert
    inbox = Inbox()
    port = server(inbox, tls_context=context, require_starttls=True, authenticator=inbox.authenticate)
    monkeypatch.setenv("REPORTER_SMTP_PASSWORD", PASSWORD)
    s = settings(port=port, security="starttls", user="msb", cafile=str(crt))
    result = mail_round(ledger, ROUND, ws, s, send=True, issued=ISSUED)
    assert inbox.logins == [(b"msb", PASSWORD.encode())]  # AUTH only offered after STARTTLS
    assert_arrived_intact(result, inbox, {"领导", "省教育厅", "省住建厅", "武汉市政府"})
    untrusted = send(result.drafts[:1], settings(port=port, security="starttls", user="msb"))
    assert not untrusted[0].ok and "cafile" in untrusted[0].message


def test_implicit_ssl(ledger, ws, server, cert):
    crt, context = cert
    inbox = Inbox()
    port = server(inbox, ssl_context=context)
    s = settings(port=port, security="ssl", cafile=str(crt))
    result = mail_round(ledger, ROUND, ws, s, send=True, issued=ISSUED)
    assert_arrived_intact(result, inbox, {"领导", "省教育厅", "省住建厅", "武汉市政府"})


def test_a_notice_is_named_by_its_own_title(ledger, ws):
    """The subject and body cite the title printed on the notice (clerks may reword it), not a made-up one."""
    listing = ws.notices_dir(ROUND) / "清单.json"
    entries = json.loads(listing.read_text(encoding="utf-8"))
    for entry in entries:
        entry["title"] = "关于加快推进民生实事滞后任务的督办通知"
    listing.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    got = {p.label: p for p in plan_packages(ledger, ROUND, ws, settings(), issued=ISSUED)}
    assert got["武汉市政府"].subject == "关于加快推进民生实事滞后任务的督办通知（民生督〔2025〕13号）"
    assert "《关于加快推进民生实事滞后任务的督办通知》（民生督〔2025〕12号）" in got["省教育厅"].body


# --------------------------------------------------------------------------- each message once


class DroppingInbox(Inbox):
    """A server that accepts `accept` messages, then drops the connection in the middle of each next one."""

    def __init__(self, accept: int):
        super().__init__()
        self.accept = accept

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) >= self.accept:
            server.transport.close()
            return "421 4.3.0 closing"
        return await super().handle_DATA(server, session, envelope)


def test_send_twice_or_after_a_dropped_connection_sends_each_message_once(ledger, ws, server):
    from reporter.ledger.history import History

    dropping = DroppingInbox(accept=2)
    first = mail_round(ledger, ROUND, ws, settings(port=server(dropping)), send=True, issued=ISSUED)
    due = {d.package.subject for d in first.drafts if d.package.to}
    assert len(due) == 4 and len(dropping.messages) == 2
    assert len(first.failed()) == len(first.drafts) - 2  # 咸宁市政府 has no address, the rest were cut off
    went = set(dropping.received())
    with History(ws.history_db) as history:  # each delivery was recorded as it happened
        assert len(history.deliveries(ROUND.key)) == 2

    inbox = Inbox()  # the server is back: only what did not go is sent
    port = server(inbox)
    second = mail_round(ledger, ROUND, ws, settings(port=port), send=True, issued=ISSUED)
    assert set(inbox.received()) == due - went and len(inbox.messages) == 2
    skipped = second.summary()["未重发（此前已发送）"]
    assert len(skipped) == 2 and all("已于" in s.message and "--resend" in s.message
                                     for s in second.sent if s.skipped)
    report = openpyxl.load_workbook(second.report).active
    assert sum("未重发" in str(r[-1]) for r in report.iter_rows(values_only=True)) == 2

    third = mail_round(ledger, ROUND, ws, settings(port=port), send=True, issued=ISSUED)
    assert len(inbox.messages) == 2 and third.summary()["发送成功"] == 0  # nothing went twice
    assert third.problem is not None and "咸宁市政府" in third.problem[0]  # the unit without an address

    mail_round(ledger, ROUND, ws, settings(port=port), send=False, resend=True, issued=ISSUED)
    assert len(inbox.messages) == 2 + 4  # a deliberate re-send sends them all again
