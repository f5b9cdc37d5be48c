"""Saved e-mails (.eml, Outlook .msg) in a submissions source: who sent each, when, about what, and the
files attached to it (also those of a forwarded message inside it).

A message is parsed when listed and again when one of its attachments is read (in the worker reading it):
nothing is extracted to disk, and a listing keeps only names, sizes and content digests, not the bytes.
Attachment names come as RFC 2231 (filename*=UTF-8''…), RFC 2047 (=?GB2312?B?…?=) or raw GBK bytes: the
email package decodes the first two, the third is read from the header's bytes.
"""
from __future__ import annotations

import datetime as dt
import email
import hashlib
import io
import re
from dataclasses import dataclass, field, replace
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from charset_normalizer import from_bytes

MESSAGE_SUFFIXES = {".eml", ".msg"}
# A message is parsed whole in memory, so a bigger one is not parsed (its headers still name it); an
# attachment bigger than a monthly workbook could be is not read.
MAX_MESSAGE_BYTES = 64 << 20
MAX_ATTACHMENT_BYTES = 32 << 20
CHINA = dt.timezone(dt.timedelta(hours=8))  # the offices' clock: every time is shown and compared in it


@dataclass(frozen=True)
class Letter:
    """The e-mail a submission came in."""

    file: str  # the saved message's name as shown (relative to the submissions folder)
    sender: str  # the From address, lower case ('' when there is none)
    sender_name: str
    subject: str
    date: dt.datetime | None  # the Date header (when the sender's client sent it), China time
    received: dt.datetime | None  # the first Received header's time (when the server got it), China time
    message_id: str = ""
    forwarded_by: str = ""  # for a forwarded message's file: who forwarded it (sender is the one who wrote it)

    @property
    def arrived(self) -> dt.datetime | None:
        return self.date or self.received

    def describe(self) -> str:
        """The message as a clerk finds it in the mail client: sender, subject, date."""
        who = f"{self.sender_name} <{self.sender}>" if self.sender_name and self.sender else self.sender or "（无发件人）"
        when = f"{self.arrived:%Y-%m-%d %H:%M}" if self.arrived else "（无日期）"
        via = f"（由 {self.forwarded_by} 转发）" if self.forwarded_by else ""
        return f"发件人 {who}{via}，主题“{self.subject or '（无主题）'}”，日期 {when}"


@dataclass(frozen=True)
class Attachment:
    name: str  # the file name, decoded
    address: str  # where it is in the message: see attachment_bytes
    size: int
    digest: str  # sha256 of the content: the same file attached to two messages is one submission
    problem: str | None = None  # why it cannot be read (too large, a damaged part)
    letter: Letter | None = None  # a forwarded message's file: its own message's sender (see _forwarded)


@dataclass
class Opened:
    """A message as listed: its letter, its attachments, and what is wrong with it as a whole."""

    letter: Letter
    attachments: list[Attachment] = field(default_factory=list)
    problem: str | None = None


class MessageError(Exception):
    """An attachment cannot be taken out of its message again (the message changed or is damaged)."""


def open_message(path: Path, shown: str, data: bytes | None = None) -> Opened:
    """The message saved at `path` (or `data`, a message inside a zip, named `path`), shown as `shown`;
    never raises for what is in it."""
    if path.suffix.lower() == ".msg":
        return _open_msg(path, shown, data)
    try:
        return _open_eml(path, shown, data)
    except OSError:
        raise  # the folder cannot be read: not the unit's fault
    except Exception:  # noqa: BLE001 - the email package is lenient, but a message may still defeat it
        return Opened(Letter(shown, "", "", "", None, None),
                      problem=f"“{shown}”不是可以读取的邮件（.eml），可能已损坏。请让报送单位重新发送。")


def _open_eml(path: Path, shown: str, data: bytes | None) -> Opened:
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_MESSAGE_BYTES:
        with (io.BytesIO(data) if data is not None else path.open("rb")) as f:
            letter = _letter(BytesHeaderParser(policy=policy.default).parse(f), shown)
        return Opened(letter, problem=f"邮件（{letter.describe()}）大小 {size / (1 << 20):.0f} MB，超过上限 "
                                      f"{MAX_MESSAGE_BYTES >> 20} MB，未读取其中的附件。请让报送单位只发送填报表格。")
    message = email.message_from_bytes(data if data is not None else path.read_bytes(), policy=policy.default)
    letter = _letter(message, shown)
    opened = Opened(letter)
    for address, part, holder in _parts(message):
        opened.attachments.append(_attachment(part, address, _forwarded(letter, holder, message)))
    if not opened.attachments:
        opened.problem = _nothing_attached(message, letter)
    return opened


def attachment_bytes(path: Path, address: str, data: bytes | None = None) -> bytes:
    """The content of the attachment at `address` (as open_message listed it) of the message at `path` (or
    `data`, as for open_message)."""
    if path.suffix.lower() == ".msg":
        return _msg_bytes(path, address, data)
    message = email.message_from_bytes(data if data is not None else path.read_bytes(), policy=policy.default)
    for at, part, _ in _parts(message):
        if at == address:
            data = part.get_payload(decode=True)
            if data is None:
                break
            return data
    raise MessageError(f"邮件“{path.name}”中找不到附件（{address}），邮件可能已被改动或损坏。")


def _parts(message: Message):
    """(address, part, the message holding it) of every attached file, a forwarded message's own attachments
    included; the address is the part's index in message.walk()'s order (depth first)."""
    for index, (part, holder) in enumerate(_walk(message, message)):
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        disposition = part.get_content_disposition()
        name = _raw_filename(part)
        if disposition == "attachment" or (name and not (disposition == "inline"
                                                       and part.get_content_maintype() in ("image", "text"))):
            yield str(index), part, holder


def _walk(part: Message, holder: Message):
    """message.walk(), each part with the (forwarded) message it belongs to."""
    yield part, holder
    if part.is_multipart():
        inner = part.get_payload()
        for sub in inner:
            yield from _walk(sub, sub if part.get_content_type() == "message/rfc822" else holder)


def _forwarded(letter: Letter, holder: Message, top: Message) -> Letter:
    """A forwarded message's file came from whoever wrote that message (a 县 whose mail the 市 forwards), at
    the time the forward arrived."""
    if holder is top:
        return letter
    own = _letter(holder, letter.file)
    if not own.sender or own.sender == letter.sender:
        return letter
    return replace(letter, sender=own.sender, sender_name=own.sender_name, forwarded_by=letter.sender)


def _attachment(part: Message, address: str, letter: Letter) -> Attachment:
    name = _raw_filename(part) or f"附件{address}"
    problem = None
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001 - the email package may raise on a part it cannot decode
        data = b""
    damaged = [d for d in part.defects if "Base64" in type(d).__name__ or "Padding" in type(d).__name__]
    if len(data) > MAX_ATTACHMENT_BYTES:
        problem = (f"邮件（{letter.describe()}）的附件“{name}”大小 {len(data) / (1 << 20):.0f} MB，超过上限 "
                   f"{MAX_ATTACHMENT_BYTES >> 20} MB，未读取。请核对是否误发了其他文件。")
    elif damaged or not data:
        problem = (f"邮件（{letter.describe()}）的附件“{name}”编码有误或内容为空（邮件可能不完整），无法读取。"
                   "请让报送单位重新发送。")
    return Attachment(name, address, len(data), hashlib.sha256(data).hexdigest(), problem, letter)


def _nothing_attached(message: Message, letter: Letter) -> str:
    defects = [d for part in message.walk() for d in part.defects]
    if defects:
        return (f"邮件（{letter.describe()}）格式有误（{type(defects[0]).__name__}），找不到附件，"
                "未能汇总。请让报送单位重新发送。")
    return f"邮件（{letter.describe()}）没有附件，其中没有可汇总的报送文件。请核对报送单位是否漏发了附件。"


# filename="…" or name="…" as written in the header's raw bytes (GBK written without any encoding)
_RAW_NAME = re.compile(r'(?:file)?name\s*=\s*"([^"]*)"|(?:file)?name\s*=\s*([^;\s]+)', re.I)


def _raw_filename(part: Message) -> str | None:
    """The part's file name: RFC 2231 and 2047 as the email package decodes them; raw 8-bit bytes (GBK from
    a Chinese client, or UTF-8) decoded here, which the email package would turn into U+FFFD."""
    name = part.get_filename()
    if name and "\ufffd" not in name:
        return _clean(name)
    for key, value in part.raw_items():
        if key.lower() not in ("content-disposition", "content-type"):
            continue
        m = _RAW_NAME.search(str(value))
        if m:
            raw = (m.group(1) or m.group(2)).encode("ascii", "surrogateescape")
            return _clean(_decoded(raw))
    return _clean(name) if name else None


def _decoded(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    best = from_bytes(raw).best()
    return str(best) if best else raw.decode("gb18030", "replace")


def _clean(name: str) -> str:
    """A path-free name: some clients send 'C:\\Users\\…\\表.xlsx'."""
    return re.split(r"[/\\]", name.strip())[-1] or name


def _letter(message: Message, shown: str) -> Letter:
    sender, sender_name = "", ""
    try:
        found = getaddresses([_header(message, "From")])
        if found and found[0][1]:
            sender_name, sender = found[0][0], found[0][1].lower()
    except Exception:  # noqa: BLE001 - a From header the parser cannot read
        pass
    return Letter(shown, sender, sender_name, _header(message, "Subject"), header_date(message.get("Date")),
                  _received(message.get_all("Received") or []), _header(message, "Message-ID"))


def _header(message: Message, name: str) -> str:
    """A header as text; one written in raw 8-bit bytes (GBK from a Chinese client) decoded from them."""
    try:
        text = str(message.get(name, "") or "")
    except Exception:  # noqa: BLE001 - an undecodable header
        text = ""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    if any("\udc80" <= c <= "\udcff" for c in raw):  # bytes no charset was given for
        text = _decoded(raw.encode("ascii", "surrogateescape"))
    return " ".join(text.split())


def header_date(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when.astimezone(CHINA).replace(tzinfo=None) if when.tzinfo else when


def _received(values: list) -> dt.datetime | None:
    """The time of the first (top) Received header: when the receiving server took the message."""
    for value in values[:1]:
        return header_date(str(value).rsplit(";", 1)[-1].strip())
    return None


# Outlook .msg, through extract-msg ----------------------------------------------------------------------

def _open_msg(path: Path, shown: str, data: bytes | None = None) -> Opened:
    import extract_msg

    try:
        msg = extract_msg.openMsg(data if data is not None else str(path), delayAttachments=False)
    except Exception:  # noqa: BLE001 - not an Outlook message, or a damaged one
        letter = Letter(shown, "", "", "", None, None)
        return Opened(letter, problem=f"“{shown}”不是可以读取的 Outlook 邮件（.msg），可能已损坏。请让报送单位重新发送，"
                                      "或另存为 .eml。")
    try:
        letter = _msg_letter(msg, shown)
        opened = Opened(letter)
        for address, att in _msg_parts(msg):
            data = att.data if isinstance(att.data, bytes) else b""
            name = _clean(att.longFilename or att.shortFilename or f"附件{address}")
            problem = None
            if len(data) > MAX_ATTACHMENT_BYTES:
                problem = (f"邮件（{letter.describe()}）的附件“{name}”大小 {len(data) / (1 << 20):.0f} MB，超过上限 "
                           f"{MAX_ATTACHMENT_BYTES >> 20} MB，未读取。")
            elif not data:
                problem = f"邮件（{letter.describe()}）的附件“{name}”内容为空，无法读取。"
            opened.attachments.append(Attachment(name, address, len(data), hashlib.sha256(data).hexdigest(), problem))
        if not opened.attachments:
            opened.problem = f"邮件（{letter.describe()}）没有附件，其中没有可汇总的报送文件。请核对报送单位是否漏发了附件。"
        return opened
    finally:
        msg.close()


def _msg_letter(msg, shown: str) -> Letter:
    header = msg.header
    received = _received(header.get_all("Received") or []) if header is not None else None
    date = msg.date
    if isinstance(date, dt.datetime):
        date = date.astimezone(CHINA).replace(tzinfo=None) if date.tzinfo else date
    else:
        date = header_date(header.get("Date")) if header is not None else None
    sender, sender_name = "", ""
    found = getaddresses([msg.sender or ""])
    if found and found[0][1]:
        sender_name, sender = found[0][0], found[0][1].lower()
    if "@" not in sender:  # no Internet headers (a message saved from Sent Items): the MAPI properties
        sender_name = sender_name or sender
        sender = next((a.lower() for a in map(msg.getStringStream, _MSG_SENDER) if a and "@" in a), "")
    return Letter(shown, sender, sender_name, " ".join((msg.subject or "").split()), date, received,
                  msg.messageId or "")


# PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_SMTP_ADDRESS, ..._EMAIL_ADDRESS
_MSG_SENDER = ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_5D02", "__substg1.0_0065")


def _msg_parts(msg, prefix: str = ""):
    """(address, attachment) of the message's files, those of an attached (forwarded) message included as
    'i/j'."""
    for i, att in enumerate(msg.attachments):
        data = getattr(att, "data", None)
        if data is not None and not isinstance(data, (bytes, bytearray)) and hasattr(data, "attachments"):
            yield from _msg_parts(data, f"{prefix}{i}/")
        elif not getattr(att, "hidden", False):
            yield f"{prefix}{i}", att


def _msg_bytes(path: Path, address: str, data: bytes | None = None) -> bytes:
    import extract_msg

    msg = extract_msg.openMsg(data if data is not None else str(path), delayAttachments=False)
    try:
        for at, att in _msg_parts(msg):
            if at == address and isinstance(att.data, bytes):
                return att.data
    finally:
        msg.close()
    raise MessageError(f"邮件“{path.name}”中找不到附件（{address}），邮件可能已被改动或损坏。")
