"""E-mails written the way units' mail clients write them, for the intake and mailbox tests.

- thunderbird(): multipart/mixed, attachment names in RFC 2231 (filename*=UTF-8''%E7%9C%81…), as the email
  package, Thunderbird and most webmail write them;
- foxmail(): names in RFC 2047 GB2312 encoded words inside quotes (filename="=?GB2312?B?…?="), as Foxmail and
  older Outlook do;
- raw_gbk(): names as raw GBK bytes in the header, as some Chinese webmail exports;
- forwarded(): a message/rfc822 part holding the unit's own message, as a 市 forwards a 县's mail;
- gbk_zip(): a zip made on Chinese Windows: GBK member names, no UTF-8 flag.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CN = dt.timezone(dt.timedelta(hours=8))


def _head(sender: str, subject: str, date: dt.datetime, to: str = "msb@example.gov.cn") -> EmailMessage:
    msg = EmailMessage(policy=policy.default)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date if date.tzinfo else date.replace(tzinfo=CN))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
    return msg


def thunderbird(sender: str, subject: str, date: dt.datetime, files: dict[str, bytes], body: str = "请查收。") -> bytes:
    msg = _head(sender, subject, date)
    msg.set_content(body)
    for name, data in files.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def _mixed(head: bytes, parts: list[bytes]) -> bytes:
    boundary = b"----=_NextPart_000_0001_01DB0000.12345678"
    out = head + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"" + boundary + b"\"\r\n\r\n"
    out += b"This is a multi-part message in MIME format.\r\n\r\n"
    for part in parts:
        out += b"--" + boundary + b"\r\n" + part + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def _plain_head(sender: str, subject_header: bytes, date: dt.datetime) -> bytes:
    date = date if date.tzinfo else date.replace(tzinfo=CN)
    return (f"From: {sender}\r\nTo: msb@example.gov.cn\r\n".encode() + b"Subject: " + subject_header + b"\r\n"
            + f"Date: {format_datetime(date)}\r\nMessage-ID: {make_msgid(domain='foxmail.test')}\r\n".encode())


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def foxmail(sender: str, subject: str, date: dt.datetime, files: dict[str, bytes]) -> bytes:
    subject_header = b"=?GB2312?B?" + base64.b64encode(subject.encode("gb2312")) + b"?="
    body = (b"Content-Type: text/plain;\r\n\tcharset=\"GB2312\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + _b64("请查收附件。".encode("gb2312")))
    parts = [body]
    for name, data in files.items():
        word = b"=?GB2312?B?" + base64.b64encode(name.encode("gb2312")) + b"?="
        parts.append(b"Content-Type: application/octet-stream;\r\n\tname=\"" + word + b"\"\r\n"
                     b"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n\tfilename=\""
                     + word + b"\"\r\n\r\n" + _b64(data))
    return _mixed(_plain_head(sender, subject_header, date), parts)


def raw_gbk(sender: str, subject: str, date: dt.datetime, files: dict[str, bytes]) -> bytes:
    subject_header = b"=?GBK?B?" + base64.b64encode(subject.encode("gbk")) + b"?="
    parts = [b"Content-Type: text/plain; charset=GBK\r\n\r\n" + "见附件".encode("gbk")]
    for name, data in files.items():
        raw = name.encode("gbk")
        parts.append(b"Content-Type: application/vnd.ms-excel; name=\"" + raw + b"\"\r\n"
                     b"Content-Disposition: attachment; filename=\"" + raw + b"\"\r\n"
                     b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(data))
    return _mixed(_plain_head(sender, subject_header, date), parts)


def forwarded(sender: str, subject: str, date: dt.datetime, inner: bytes) -> bytes:
    msg = _head(sender, subject, date)
    msg.set_content("转发下属单位的报送邮件，请查收。")
    msg.add_attachment(message_from_bytes(inner, policy=policy.default))
    return msg.as_bytes()


class _GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # as Windows' built-in zip writes it: GBK bytes, bit 11 unset
        return self.filename.encode("gbk"), self.flag_bits


def gbk_zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = _GbkInfo(name, date_time=(2025, 6, 2, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def outlook_msg(sender: str, subject: str, date: dt.datetime, files: dict[str, bytes],
                received: dt.datetime | None = None) -> bytes:
    """An Outlook .msg as Outlook saves a received message: MAPI properties and the attachments, with the
    message's Internet headers kept in PR_TRANSPORT_MESSAGE_HEADERS (written with aspose-email-foss)."""
    import tempfile
    from pathlib import Path

    from aspose.email_foss import msg

    raw = thunderbird(sender, subject, date, files)
    if received:
        stamp = format_datetime(received if received.tzinfo else received.replace(tzinfo=CN))
        raw = f"Received: from mx.example.org by mail.example.gov.cn; {stamp}\r\n".encode() + raw
    message = msg.MapiMessage.from_email_message(message_from_bytes(raw, policy=policy.default))
    message.set_property(msg.PropertyId.TRANSPORT_MESSAGE_HEADERS, raw.split(b"\n\n", 1)[0].decode())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.msg"
        message.save(str(path))
        return path.read_bytes()
