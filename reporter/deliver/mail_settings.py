"""The [mail] settings of reporter.toml (docs/mail.md) and the addresses people write in them and in the
ledger's 联系邮箱 ("张三 <zs@x.gov.cn>", bare, several separated by ；、,): read and checked once, each bad
value named in Chinese. The SMTP password is never a setting."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Mapping

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DOCUMENT_FORMATS = ("pdf", "docx")


class MailConfigError(ValueError):
    """The [mail] settings or the mail step's inputs cannot be used; the message is Chinese."""


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class MailSettings:
    """The [mail] section of reporter.toml (docs/mail.md). The SMTP password is never a setting."""

    sender: str = ""  # From address, also the SMTP envelope sender
    sender_name: str = ""  # From display name and the body's signature; defaults to the office's name
    leaders: tuple[str, ...] = ()  # addresses ("张三 <zs@x.gov.cn>" or bare) that get brief + bulletin
    cc: tuple[str, ...] = ()  # copied on every message, e.g. the office's own archive mailbox
    contact: str = ""  # one line under the body, e.g. "联系人：张三，电话：027-87654321"
    host: str = ""
    port: int | None = None  # default by security: 587 / 465 / 25
    security: str = "starttls"
    user: str = ""
    password_env: str = "REPORTER_SMTP_PASSWORD"
    cafile: str | None = None  # CA certificate of an intranet mail server with its own CA
    timeout: float = 30.0
    max_mb: float = 20.0
    formats: tuple[str, ...] = DOCUMENT_FORMATS  # document formats to attach; workbooks always

    @property
    def smtp_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None, office_name: str | None = None,
                    base: str | Path | None = None, contact: str = "") -> "MailSettings":
        """Settings from Config.section("mail"); `office_name` fills sender_name, `base` anchors cafile,
        `contact` (the office file's, the line the notices print) replaces [mail] contact: one place for it."""
        data = dict(section or {})
        if "password" in data:
            raise MailConfigError(f"reporter.toml 的 [mail] 中不能写密码：请删除 password，改为在环境变量 "
                                  f"{data.get('password_env') or cls.password_env} 中提供。")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise MailConfigError(f"[mail] 中有无法识别的设置：{'、'.join(unknown)}（可用的设置见 docs/mail.md）。")
        values: dict[str, Any] = {k: str(data[k]).strip() for k in _TEXT_KEYS if k in data}
        values["sender_name"] = values.get("sender_name") or (office_name or "").strip()
        if contact:
            values["contact"] = contact
        values["leaders"] = _text_list(data.get("leaders"), "leaders")
        values["cc"] = _text_list(data.get("cc"), "cc")
        values["security"] = _security(data.get("security", "starttls"))
        values["formats"] = _formats(data.get("formats", list(DOCUMENT_FORMATS)))
        if "port" in data:
            values["port"] = int(_number(data["port"], "port", integer=True))
        values["max_mb"] = _number(data.get("max_mb", cls.max_mb), "max_mb")
        values["timeout"] = _number(data.get("timeout", cls.timeout), "timeout")
        if data.get("cafile"):
            cafile = Path(str(data["cafile"]))
            values["cafile"] = str(Path(base) / cafile if base and not cafile.is_absolute() else cafile)
        return cls(**values)


_TEXT_KEYS = ("sender", "sender_name", "contact", "host", "user", "password_env")
_KEYS = {*_TEXT_KEYS, "leaders", "cc", "security", "formats", "port", "max_mb", "timeout", "cafile"}


def _text_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise MailConfigError(f"[mail] {key} 应为地址列表，如 [\"张三 <zhangsan@example.gov.cn>\"]。")


def _security(value: Any) -> str:
    mode = str(value).strip().lower()
    if mode not in SECURITY_MODES:
        raise MailConfigError(f"[mail] security 只能是 starttls、ssl 或 none，而不是“{value}”。")
    return mode


def _formats(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value or [])
    formats = tuple(str(v).strip().lower().lstrip(".") for v in items)
    unknown = [f for f in formats if f not in DOCUMENT_FORMATS]
    if unknown or not formats:
        raise MailConfigError(f"[mail] formats 只能包含 pdf、docx，而不是“{value}”。")
    return formats


def _number(value: Any, key: str, integer: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if number <= 0 or (integer and not number.is_integer()):
        raise MailConfigError(f"[mail] {key} 应为正{'整' if integer else ''}数，而不是“{value}”。")
    return number


# --------------------------------------------------------------------------- addresses

_SEPARATORS = re.compile(r"[;,、]+")
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                      r"[A-Za-z]{2,}$")


def parse_addresses(text: object, name: str = "") -> tuple[list[Address], list[str]]:
    """Valid and invalid addresses in a cell like 'a@x.cn；b@x.cn' or '张三 <zs@x.cn>'.

    Separators are ；;，,、 and whitespace; full-width letters and ＠ are made half-width first. Bare
    addresses get `name` as display name.
    """
    # NFKC turns ＠ and full-width letters into ASCII and ；， into ;, — clerks type both.
    text = unicodedata.normalize("NFKC", str(text or ""))
    valid: list[Address] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for piece in _SEPARATORS.split(text):
        for display, addr in _candidates(piece.strip(), name):
            addr = addr.strip().removeprefix("mailto:")
            if not _ADDRESS.match(addr):
                invalid.append(addr)
            elif addr.lower() not in seen:
                seen.add(addr.lower())
                local, _, domain = addr.partition("@")
                valid.append(Address(display, local, domain))
    return valid, invalid


_TOKEN = re.compile(r"<[^<>]*>|[^\s<>]+")


def _candidates(piece: str, name: str) -> list[tuple[str, str]]:
    """(display name, address) pairs in one separated piece: 'a@x.cn b@x.cn', '张三 <zs@x.cn>', '张三 zs@x.cn'."""
    found: list[tuple[str, str]] = []
    words: list[str] = []
    for token in _TOKEN.findall(piece):
        if token.startswith("<") or "@" in token:
            found.append((" ".join(words) or name, token.strip("<>")))
            words = []
        else:
            words.append(token)
    if words and not found:  # a name or 暂无 where an address should be
        found.append((name, " ".join(words)))
    return found
