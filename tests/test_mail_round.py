"""A round that arrives by e-mail, end to end as a clerk runs it: `reporter collect --imap` against a real
Dovecot, the messages cached in the round's folder, reply drafts (收件回执) threaded to each unit's message,
and a re-run with the server gone that gives the same round."""
import datetime as dt
import json
from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from reporter.cli import main

from .conftest import write_book
from .imap_server import start_dovecot
from .mails import foxmail, thunderbird
from .test_messages import JYT, book


@pytest.fixture
def dovecot():
    server = start_dovecot()
    yield server
    server.remove()


@pytest.fixture
def ledger(tmp_path):
    return write_book(tmp_path / "台帐.xlsx", {
        "任务": [
            ["任务编号", "任务名称", "领域", "计量单位", "年度目标", "牵头单位", "完成时限"],
            ["T1", "新增公办学前教育学位", "教育", "个", "70000", "省教育厅", "年底前"],
            ["T2", "城镇新增就业", "就业", "万人", "70", "省人社厅", "年底前"],
            ["T4", "建设急救站点", "医疗卫生", "个", "140", "省卫健委", "6月底前"],
        ],
        "责任单位": [
            ["单位名称", "简称", "单位类型", "联系邮箱"],
            ["湖北省教育厅", "省教育厅", "部门", "jyt@example.org"],
            ["湖北省人力资源和社会保障厅", "省人社厅", "部门", "rst@example.org"],
            ["湖北省卫生健康委员会", "省卫健委", "部门", "wjw@example.org"],
        ],
    })


def collect(ledger, out, *extra, env=None):
    args = ["collect", "--ledger", str(ledger), "--round", "2025-05", "--out", str(out), "--json", *extra]
    return CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)


def test_a_round_by_mail_from_the_mailbox_and_offline_again(dovecot, ledger, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no reporter.toml of the repository
    dovecot.deliver(thunderbird("省教育厅 <jyt@example.org>", "教育厅5月进展", dt.datetime(2025, 6, 3, 9),
                                {"省教育厅5月.xlsx": JYT}))
    # 人社厅: late, and a value that is not a number (an error, so a 退回修改 workbook)
    dovecot.deliver(foxmail("rst@example.org", "人社厅5月报送", dt.datetime(2025, 6, 6, 10),
                            {"省人社厅5月.xlsx": book([["T2", "城镇新增就业", "约三十万", "正常推进"]], "省人社厅")}))
    dovecot.deliver(thunderbird("wjw@example.org", "卫健委5月", dt.datetime(2025, 6, 4, 9), {}, body="附件稍后发送"))
    out = tmp_path / "ws"
    env = {"REPORTER_IMAP_PASSWORD": dovecot.password}
    first = collect(ledger, out, "--imap", dovecot.url(), env=env)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert summary["迟报单位"] == ["省人社厅"] and summary["未报送单位"] == ["省卫健委"]
    assert summary["输出"]["收件邮箱"]["本次取得"] == 3
    inbox = out / "2025-05" / "收件邮箱"
    assert len(list(inbox.glob("*.eml"))) == 3

    drafts = {p.name: message_from_bytes(p.read_bytes(), policy=policy.default)
              for p in (out / "2025-05" / "收件回执").glob("*.eml")}
    assert sorted(drafts) == ["省人社厅_收件回执.eml", "省教育厅_收件回执.eml"]
    originals = {m["From"].addresses[0].addr_spec: m for m in
                 (message_from_bytes(p.read_bytes(), policy=policy.default) for p in inbox.glob("*.eml"))}
    rst = drafts["省人社厅_收件回执.eml"]
    assert rst["In-Reply-To"] == originals["rst@example.org"]["Message-ID"]
    assert rst["To"].addresses[0].addr_spec == "rst@example.org" and rst["Subject"] == "Re: 人社厅5月报送"
    body = rst.get_body(("plain",)).get_content()
    assert "省人社厅5月.xlsx" in body and "计为迟报" in body and "错误 1 项" in body
    assert [a.get_filename() for a in rst.iter_attachments()] == ["省人社厅_退回修改.xlsx"]
    jyt = drafts["省教育厅_收件回执.eml"]
    assert "已汇总 1 行数据" in jyt.get_body(("plain",)).get_content() and not list(jyt.iter_attachments())

    # the server is gone: the round is read again from the cached messages, the same
    dovecot.stop()
    again = collect(ledger, out, "--imap", dovecot.url(), env=env)
    assert again.exit_code == 0, again.output
    second = json.loads(again.output)
    assert second["迟报单位"] == summary["迟报单位"] and second["未报送单位"] == summary["未报送单位"]
    assert second["汇总行数"] == summary["汇总行数"] and "无法连接邮件服务器" in second["输出"]["收件邮箱"]["问题"]
    # and without --imap at all
    offline = json.loads(collect(ledger, out).output)
    assert offline["迟报单位"] == ["省人社厅"] and offline["汇总行数"] == summary["汇总行数"]
    assert len(list(inbox.glob("*.eml"))) == 3
