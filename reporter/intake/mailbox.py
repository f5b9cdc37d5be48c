"""A round's submissions straight from a mailbox (IMAP), read-only, cached as .eml files in the round's folder.

The folder is opened with EXAMINE and messages fetched with BODY.PEEK[] (imap-tools, mark_seen=False): nothing
is deleted, moved or flagged, and unread mail stays unread for the clerk. Each message is saved under its
date and content digest, so a second fetch of the same message writes the same file, and a round re-run
later reads the same files offline. Whatever goes wrong with the server is one Chinese sentence; the
messages saved before it are kept and used.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import json
import os
import socket
import ssl
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..files import atomic_path, write_text
from .messages import CHINA, header_date

PASSWORD_ENV = "REPORTER_IMAP_PASSWORD"  # the default; [mailbox] password_env names another
INDEX = ".已取邮件.json"  # uid → file, per UIDVALIDITY: messages already saved are not fetched again
TIMEOUT = 30  # seconds for connecting and for each reply


class MailboxError(ValueError):
    """A mailbox address that cannot be used (said in Chinese before anything is fetched)."""


@dataclass(frozen=True)
class MailboxAddress:
    """imaps://user@host[:port]/文件夹 (imap:// without TLS, for a server on this machine)."""

    secure: bool
    user: str
    host: str
    port: int
    folder: str

    @classmethod
    def parse(cls, url: str) -> "MailboxAddress":
        parts = urlsplit(url.strip())
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise MailboxError(f"邮箱地址“{url}”格式不正确，应为 imaps://用户名@服务器/文件夹，例如 "
                               "imaps://msb@mail.example.gov.cn/INBOX。")
        if parts.password:
            raise MailboxError("邮箱地址中不能写密码：请把密码放在环境变量中（默认 REPORTER_IMAP_PASSWORD）。")
        secure = parts.scheme == "imaps"
        try:
            port = parts.port or (993 if secure else 143)
        except ValueError as exc:
            raise MailboxError(f"邮箱地址“{url}”中的端口号不正确。") from exc
        return cls(secure, unquote(parts.username or ""), parts.hostname, port,
                   unquote(parts.path.strip("/")) or "INBOX")

    def shown(self) -> str:
        return f"{'imaps' if self.secure else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class Fetched:
    folder: Path  # where the messages are saved
    saved: list[str] = field(default_factory=list)  # files saved by this fetch
    known: int = 0  # messages saved by an earlier fetch, not fetched again
    problem: str | None = None  # what went wrong with the server, in Chinese


def fetch_mailbox(address: MailboxAddress, folder: Path, since: dt.date | None, password: str | None) -> Fetched:
    """Save the messages of `address`'s folder sent on or after `since` into `folder` as .eml files."""
    from imap_tools import AND, MailBox, MailBoxUnencrypted
    from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

    done = Fetched(folder)
    if not password:
        done.problem = (f"没有邮箱密码：请在环境变量 {PASSWORD_ENV}（或 reporter.toml [mailbox] password_env 指定的变量）"
                        f"中设置 {address.user} 的密码。本轮按已保存的邮件汇总。")
        return done
    index_path = folder / INDEX
    index = _load_index(index_path)
    box = None
    try:
        box = (MailBox(address.host, address.port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
               if address.secure else MailBoxUnencrypted(address.host, address.port, timeout=TIMEOUT))
        box.email_message_class = _message_class()
        box.login(address.user, password, initial_folder=None)
        try:
            box.folder.set(address.folder, readonly=True)  # EXAMINE: the server refuses any change
        except MailboxFolderSelectError:
            done.problem = f"邮箱 {address.user}@{address.host} 中没有文件夹“{address.folder}”，未取到邮件。"
            return done
        validity = _uidvalidity(box, address.folder)
        seen = index.setdefault(validity, {})
        criteria = AND(sent_date_gte=since) if since else AND(all=True)
        for uid in box.uids(criteria):
            if uid in seen and (folder / seen[uid]).is_file():
                done.known += 1
                continue
            for message in box.fetch(uid_list=[uid], mark_seen=False):
                name = _save(folder, message.raw)
                seen[uid] = name
                done.saved.append(name)
                write_text(index_path, json.dumps(index, ensure_ascii=False, indent=1))
    except MailboxLoginError:
        done.problem = (f"邮件服务器 {address.host} 拒绝登录（用户 {address.user}）：请核对用户名和环境变量中的密码。"
                        "本轮按已保存的邮件汇总。")
    except (imaplib.IMAP4.abort, EOFError, ConnectionError, socket.timeout, ssl.SSLError, OSError) as exc:
        done.problem = (f"{_unreachable(address, exc, bool(done.saved or done.known))}"
                        f"已保存的 {_cached(folder)} 封邮件保留，本轮按已保存的邮件汇总。")
    except imaplib.IMAP4.error as exc:
        done.problem = f"邮件服务器 {address.host} 返回错误（{exc}），已保存的邮件保留，本轮按已保存的邮件汇总。"
    finally:
        _close(box)
    return done


def _unreachable(address: MailboxAddress, exc: BaseException, started: bool) -> str:
    if isinstance(exc, ssl.SSLError):
        return f"与邮件服务器 {address.host}:{address.port} 的加密连接失败（{exc.reason or exc}）。"
    if started or isinstance(exc, (imaplib.IMAP4.abort, EOFError)):
        return f"与邮件服务器 {address.host}:{address.port} 的连接中断。"
    return f"无法连接邮件服务器 {address.host}:{address.port}（服务器未开启或网络不通）。"


def _cached(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*.eml")) if folder.is_dir() else 0


def _close(box) -> None:
    client = getattr(box, "client", None) if box is not None else None
    if client is None:
        return
    try:
        if client.state == "SELECTED":
            client.close()  # CLOSE after EXAMINE expunges nothing
        client.logout()
    except Exception:  # noqa: BLE001 - the connection is gone already
        pass


def _uidvalidity(box, folder: str) -> str:
    status = box.folder.status(folder, ["UIDVALIDITY"])
    return str(status.get("UIDVALIDITY", ""))


def _load_index(path: Path) -> dict[str, dict[str, str]]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save(folder: Path, raw: bytes) -> str:
    """Save a message as '<date>_<digest>.eml' (the same message, the same file); its name returned."""
    head = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    when = header_date(head.get("Date")) or dt.datetime.now(CHINA).replace(tzinfo=None)
    name = f"{when:%Y%m%d-%H%M%S}_{hashlib.sha256(raw).hexdigest()[:12]}.eml"
    target = folder / name
    if not target.is_file():
        with atomic_path(target) as tmp:
            tmp.write_bytes(raw)
    return name


def _message_class():
    from imap_tools import MailMessage

    class RawMessage(MailMessage):
        """imap-tools' message, keeping the bytes as the server sent them (saved as they are)."""

        def __init__(self, fetch_data: list) -> None:
            self.raw = self._get_message_data_parts(fetch_data)[0]
            super().__init__(fetch_data)

    return RawMessage


def password_from_env(name: str | None = None) -> str | None:
    return os.environ.get(name or PASSWORD_ENV)
