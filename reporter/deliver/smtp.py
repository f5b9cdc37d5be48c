"""Sending the round's drafts through the office's SMTP server (STARTTLS, SSL or plain).

What is sent is the .eml draft as written (minus X-Unsent), so the clerk's copy and the message received
are the same. The password comes from the environment variable named in [mail] password_env (or the
caller), never from a file, and is never written anywhere. One refused recipient or message does not stop
the others: each draft gets a SendResult with a Chinese message naming the recipient and the server's
answer. Only a server that cannot be reached or logged into stops the run, and then every remaining
draft carries that reason.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Callable, Iterable

from .mail import Draft, Package, SendResult, build_message
from .mail_settings import MailConfigError, MailSettings


def send(drafts: Iterable[Draft | Package | str | Path], settings: MailSettings, password: str | None = None,
         on_sent: Callable[[SendResult, str], None] | None = None) -> list[SendResult]:
    """Send each draft (a Draft or an .eml path; a Package is built afresh) over one SMTP session.
    `on_sent(result, message_id)` is called after each message, before the next is sent."""
    password = password if password is not None else os.environ.get(settings.password_env) or None
    check_smtp(settings, password)
    session = _Session(settings, password)
    results = []
    try:
        for item in drafts:
            label, path, msg = _message(item, settings)
            results.append(session.deliver(label, path, msg))
            if on_sent is not None:
                on_sent(results[-1], str(msg["Message-ID"] or ""))
        return results
    finally:
        session.close()


def check_smtp(settings: MailSettings, password: str | None) -> None:
    """Refuse before connecting when the settings cannot work; the message tells the clerk what to set."""
    if not settings.host:
        raise MailConfigError("未配置 SMTP 服务器：请在 reporter.toml 的 [mail] 中写 host（以及 port、security）。")
    if not settings.sender:
        raise MailConfigError("未配置发件地址：请在 reporter.toml 的 [mail] 中写 sender。")
    if settings.user and not password:
        raise MailConfigError(f"未提供 SMTP 密码：请先设置环境变量 {settings.password_env}（密码不写入配置文件）。")


def _message(item: Draft | Package | str | Path, settings: MailSettings) -> tuple[str, Path | None, EmailMessage]:
    if isinstance(item, Package):
        return item.label, None, build_message(item, settings, draft=False)
    path = Path(item.path if isinstance(item, Draft) else item)
    label = item.label if isinstance(item, Draft) else path.stem
    msg = BytesParser(policy=policy.SMTP).parsebytes(path.read_bytes())
    del msg["X-Unsent"]  # the draft marker is for the clerk's Outlook, not for the recipient
    return label, path, msg


def recipients(msg: EmailMessage) -> list[str]:
    """Envelope recipients: To, Cc and Bcc, each address once."""
    return list(dict.fromkeys(_addresses(msg, "To", "Cc", "Bcc")))


def _addresses(msg: EmailMessage, *headers: str) -> list[str]:
    values = [str(v) for h in headers for v in msg.get_all(h, [])]
    return [addr for _, addr in getaddresses(values) if addr]


class _Session:
    """One SMTP connection, opened on first use and reopened after the server drops it."""

    def __init__(self, settings: MailSettings, password: str | None):
        self.settings = settings
        self.password = password
        self.smtp: smtplib.SMTP | None = None
        self.broken: str | None = None  # why the server cannot be used at all

    def deliver(self, label: str, path: Path | None, msg: EmailMessage) -> SendResult:
        to = recipients(msg)
        if not _addresses(msg, "To"):  # copies alone would reach the archive but not the unit
            return SendResult(label, path, to, False, f"发送失败：“{label}”没有收件地址，未发送（请补充邮箱后重新生成）。")
        if self.broken is None:
            try:
                self._open()
            except (smtplib.SMTPException, OSError, UnicodeEncodeError) as exc:
                self.broken = self._connect_error(exc)
        if self.broken is not None:
            return SendResult(label, path, to, False, f"发送失败：“{label}”未发送，{self.broken}")
        return self._send(label, path, msg, to)

    def _send(self, label: str, path: Path | None, msg: EmailMessage, to: list[str]) -> SendResult:
        try:
            refused = self.smtp.send_message(msg, from_addr=self.settings.sender, to_addrs=to)
        except smtplib.SMTPRecipientsRefused as exc:
            answers = {addr: _answer(code, text) for addr, (code, text) in exc.recipients.items()}
            return SendResult(label, path, to, False, f"发送失败：“{label}”的收件地址全部被拒收：{_listed(answers)}", answers)
        except smtplib.SMTPResponseException as exc:
            return SendResult(label, path, to, False,
                              f"发送失败：“{label}”被 SMTP 服务器拒绝：{_answer(exc.smtp_code, exc.smtp_error)}")
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()  # the connection is gone; the next draft opens a new one
            return SendResult(label, path, to, False, f"发送失败：“{label}”发送中断：{exc}")
        answers = {addr: _answer(code, text) for addr, (code, text) in refused.items()}
        delivered = [a for a in to if a not in answers]
        refusals = f"；以下地址被拒收：{_listed(answers)}" if answers else ""
        if not any(a in delivered for a in _addresses(msg, "To")):
            return SendResult(label, path, to, False, f"发送失败：“{label}”的收件地址全部被拒收，仅送达抄送地址"
                                                      f" {'、'.join(delivered)}{refusals}", answers)
        return SendResult(label, path, to, True, f"已发送：“{label}” → {'、'.join(delivered)}{refusals}", answers)

    def _open(self) -> None:
        if self.smtp is not None:
            return
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile) if s.security != "none" else None
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.smtp_port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.smtp_port, timeout=s.timeout)
        try:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, self.password)
        except BaseException:
            smtp.close()
            raise
        self.smtp = smtp

    def _connect_error(self, exc: Exception) -> str:
        s = self.settings
        where = f"SMTP 服务器 {s.host}:{s.smtp_port}"
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return f"{where} 登录失败（用户 {s.user}）：{_answer(exc.smtp_code, exc.smtp_error)}"
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return f"{where} 不支持 STARTTLS：请核对 [mail] security 和 port。"
        if isinstance(exc, UnicodeEncodeError):  # smtplib sends user and password as ASCII only
            return f"{where} 登录失败：用户名或密码含有非 ASCII 字符，smtplib 无法发送。"
        if isinstance(exc, ssl.SSLError):
            return f"与 {where} 建立加密连接失败（{exc}）：请核对 security、port，内网证书可用 cafile 指定。"
        return f"无法连接 {where}：{exc}"

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the messages are already accepted or reported; a failed QUIT changes neither
        self._drop()


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _listed(answers: dict[str, str]) -> str:
    return "；".join(f"{addr}（{answer}）" for addr, answer in answers.items())
