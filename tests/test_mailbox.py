"""Reading a round's submissions from a real IMAP server (Dovecot, see imap_server.py): read-only, cached as
.eml files, re-runs offline, and each server failure one Chinese sentence with what was fetched kept."""
import datetime as dt

import pytest

from reporter.intake import mailbox
from reporter.intake.mailbox import MailboxAddress, MailboxError, fetch_mailbox

from .imap_server import start_dovecot
from .mails import foxmail, thunderbird

SINCE = dt.date(2025, 5, 6)


@pytest.fixture
def dovecot():
    server = start_dovecot()
    yield server
    server.remove()


def _fill(server, folder="INBOX"):
    server.maildir(folder)
    server.deliver(thunderbird("省教育厅 <jyt@example.org>", "5月民生实事进展", dt.datetime(2025, 6, 3, 9),
                               {"省教育厅5月进展.xlsx": b"PK-jyt"}), folder)
    server.deliver(foxmail("rst@example.org", "人社厅5月报送", dt.datetime(2025, 6, 6, 16, 30),
                           {"省人社厅.xlsx": b"PK-rst"}), folder, seen=True)
    # last round's submission, still in the folder: not this round's
    server.deliver(thunderbird("jyt@example.org", "4月进展", dt.datetime(2025, 5, 4, 9), {"4月.xlsx": b"PK-4"}), folder)


def test_a_folder_is_read_without_changing_anything_on_the_server(dovecot, tmp_path):
    _fill(dovecot, "报送")
    before = dovecot.files("报送")
    cache = tmp_path / "2025-05" / "收件邮箱"
    got = fetch_mailbox(MailboxAddress.parse(dovecot.url("报送")), cache, SINCE, dovecot.password)
    assert got.problem is None and len(got.saved) == 2
    # the server holds the same files under the same names: nothing deleted, moved, or flagged as read
    assert dovecot.files("报送") == before
    saved = sorted(p.name for p in cache.glob("*.eml"))
    assert [name[:15] for name in saved] == ["20250603-090000", "20250606-163000"]
    assert any(b"PK-jyt" in p.read_bytes() or b"UEstanl0" in p.read_bytes() for p in cache.glob("*.eml"))
    # a second fetch takes nothing again and leaves the same files
    again = fetch_mailbox(MailboxAddress.parse(dovecot.url("报送")), cache, SINCE, dovecot.password)
    assert again.saved == [] and again.known == 2
    assert sorted(p.name for p in cache.glob("*.eml")) == saved


def test_refused_login_missing_folder_and_server_down_are_said_in_chinese(dovecot, tmp_path):
    _fill(dovecot)
    cache = tmp_path / "cache"
    address = MailboxAddress.parse(dovecot.url())
    assert "拒绝登录" in fetch_mailbox(address, cache, SINCE, "wrong").problem
    assert "没有文件夹“汇总”" in fetch_mailbox(MailboxAddress.parse(dovecot.url("汇总")), cache, SINCE,
                                             dovecot.password).problem
    assert "没有邮箱密码" in fetch_mailbox(address, cache, SINCE, None).problem
    assert fetch_mailbox(address, cache, SINCE, dovecot.password).problem is None
    dovecot.stop()
    down = fetch_mailbox(address, cache, SINCE, dovecot.password)
    assert "无法连接邮件服务器" in down.problem and "已保存的 2 封邮件保留" in down.problem
    assert len(list(cache.glob("*.eml"))) == 2  # what was fetched before is kept


def test_a_dropped_connection_keeps_what_was_fetched(dovecot, tmp_path, monkeypatch):
    _fill(dovecot)
    saved = mailbox._save

    def save_then_drop(folder, raw):
        name = saved(folder, raw)
        dovecot.drop_connections()  # the connection drops after the first message
        return name

    monkeypatch.setattr(mailbox, "_save", save_then_drop)
    cache = tmp_path / "cache"
    got = fetch_mailbox(MailboxAddress.parse(dovecot.url()), cache, SINCE, dovecot.password)
    assert "连接中断" in got.problem and "已保存的 1 封邮件保留" in got.problem
    assert len(list(cache.glob("*.eml"))) == 1


@pytest.mark.parametrize("url, said", [
    ("https://mail.example.gov.cn/INBOX", "格式不正确"),
    ("imaps://msb:secret@mail.example.gov.cn/INBOX", "不能写密码"),
])
def test_bad_mailbox_addresses(url, said):
    with pytest.raises(MailboxError, match=said):
        MailboxAddress.parse(url)


def test_mailbox_address_defaults():
    address = MailboxAddress.parse("imaps://msb%40gov.cn@mail.example.gov.cn/%E6%8A%A5%E9%80%81")
    assert (address.secure, address.user, address.port, address.folder) == (True, "msb@gov.cn", 993, "报送")
    assert MailboxAddress.parse("imap://u@127.0.0.1:1143").folder == "INBOX"
