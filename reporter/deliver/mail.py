"""E-mail packages for a round: .eml drafts for leaders and units, and a size report (邮件清单).

Leaders get the 领导参阅 brief and the 月度通报; each unit gets its 督办通知 (with its 回执) and its 退回修改
workbook, addressed from the ledger's units sheet. Inputs are read from the workspace, so `reporter mail`
works on its own after the other steps ran:

- 督办通知/清单.json, written by the notices step: [{"unit", "label", "number", "level", "title", "files": [...]}]
  with file names relative to that folder; absent when no unit has a notice this round;
- 退回修改/<label>_退回修改.xlsx (Workspace.return_workbook), written by collect;
- *.docx / *.pdf in 通报/ and 领导参阅/.

Drafts are RFC 5322 messages with CRLF line ends, UTF-8 subjects and bodies, and each Chinese attachment
name written twice: RFC 2231 `filename*` in Content-Disposition (the standard) and an RFC 2047 encoded
`name=` in Content-Type, which Outlook and Foxmail read. Each draft carries `X-Unsent: 1` so Outlook opens
it as a message ready to send; the header is dropped when reporter sends it itself.

Problems (a unit without an address, a message over the size limit, a listed file that is missing) are
listed in the report and in MailResult.notes, never raised; a draft without an address is still written
so a clerk sees whom the round cannot reach. Exceptions are for configuration and unreadable inputs.
The [mail] settings and address parsing are in mail_settings.py.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import xlsxwriter

from ..files import atomic_path, unique_filename
from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..model.units import Unit
from ..render.document import issue_day
from ..render.excel import safe_value, write_table
from ..render.returns import GUIDE_SHEET
from ..workspace import Workspace
from .mail_settings import DOCUMENT_FORMATS, MailConfigError, MailSettings, parse_addresses


LEADERS = "领导"
UNIT = "单位"
NOTICE_LIST = "清单.json"
REPORT_NAME = "邮件清单.xlsx"
RETURN_SUFFIX = "_退回修改.xlsx"
MIME_TYPES = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": ("application", "msword"),
    ".xls": ("application", "vnd.ms-excel"),
    ".zip": ("application", "zip"),
}
MB = 1024 * 1024
INDENT = "\u3000\u3000"  # two ideographic spaces: the first-line indent of Chinese paragraphs


# --------------------------------------------------------------------------- packages


@dataclass(frozen=True)
class Note:
    """One line of the report's 提示 sheet: whom it concerns and what a clerk should do."""

    who: str
    message: str

    def __str__(self) -> str:
        return f"{self.who}：{self.message}" if self.who else self.message


@dataclass
class Package:
    """One message to send: its recipients, text and attachments."""

    kind: str  # LEADERS or UNIT
    label: str  # 收件单位 as the report and the draft's file name show it
    subject: str
    body: str
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    attachments: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit: str | None = None  # the unit's full name in the ledger, when known


@dataclass
class MailPlan:
    """The round's packages, plus notes that concern no single package."""

    packages: list[Package] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def __iter__(self) -> Iterator[Package]:
        return iter(self.packages)

    def __len__(self) -> int:
        return len(self.packages)


@dataclass(frozen=True)
class NoticeEntry:
    unit: str
    label: str
    number: str
    level: str
    files: tuple[Path, ...]
    title: str = ""  # the notice's own title (clerks edit it in templates/notices/title.j2)


def plan_packages(ledger: AnnualLedger, rnd: Round, ws: Workspace, settings: MailSettings,
                  issued: dt.date | None = None, senders: Mapping[str, str] | None = None) -> MailPlan:
    """Every message of the round: one to the leaders, one per unit with a notice or a 退回修改 workbook.
    `senders`: unit name → the address its submission came from this round, used (and said) for a unit the
    ledger gives no valid 联系邮箱."""
    senders = senders or {}
    issued = issue_day(ledger.round(rnd), issued)  # the documents' 成文日期, not the day the drafts were made
    plan = MailPlan()
    _plan_leaders(plan, rnd, ws, settings, issued)
    pending = _notices_by_unit(ledger, read_notice_list(ws.notices_dir(rnd)))
    claimed: set[Path] = set()
    for unit in ledger.units:
        workbook = ws.return_workbook(rnd, unit.label)
        entries = pending.pop(unit.name, [])
        if entries or workbook.is_file():
            returned = workbook if workbook.is_file() else None
            claimed.add(workbook)
            plan.packages.append(_unit_package(unit.label, unit, entries, returned, rnd, settings, issued,
                                               senders.get(unit.name, "")))
    for label, entries in pending.items():  # named in 清单.json but not in the ledger's units sheet
        package = _unit_package(label, None, entries, None, rnd, settings, issued)
        package.notes.insert(0, "督办通知清单中的这个单位不在台帐责任单位表中，无法取得邮箱。")
        plan.packages.append(package)
    for path in sorted(ws.returns_dir(rnd).glob(f"*{RETURN_SUFFIX}")):
        if path not in claimed and not _temporary(path):
            plan.notes.append(Note(path.name.removesuffix(RETURN_SUFFIX),
                                   f"退回修改工作簿“{path.name}”对应的单位不在台帐责任单位表中，未生成邮件，请另行发送。"))
    return plan


def read_notice_list(folder: Path) -> list[NoticeEntry]:
    """The notices step's 清单.json; [] when it is absent (no notices this round)."""
    path = folder / NOTICE_LIST
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [NoticeEntry(str(item["unit"]), str(item.get("label") or item["unit"]),
                            str(item.get("number") or ""), str(item.get("level") or ""),
                            tuple(folder / str(name) for name in item.get("files", [])),
                            str(item.get("title") or ""))
                for item in raw]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MailConfigError(f"督办通知清单“{path}”无法读取（{exc}），请重新生成督办通知。") from exc


def _notices_by_unit(ledger: AnnualLedger, entries: list[NoticeEntry]) -> dict[str, list[NoticeEntry]]:
    """Entries keyed by the ledger unit's name, or by the entry's own label when the ledger lacks the unit."""
    grouped: dict[str, list[NoticeEntry]] = {}
    for entry in entries:
        unit = ledger.units.match(entry.unit) or ledger.units.match(entry.label)
        grouped.setdefault(unit.name if unit else entry.label, []).append(entry)
    return grouped


def _plan_leaders(plan: MailPlan, rnd: Round, ws: Workspace, settings: MailSettings, issued: dt.date) -> None:
    notes: list[str] = []
    brief = _documents(_folder_documents(ws.brief_dir(rnd)), settings.formats, notes)
    bulletin = _documents(_folder_documents(ws.bulletin_dir(rnd)), settings.formats, notes)
    if not brief and not bulletin:
        if settings.leaders:
            plan.notes.append(Note(LEADERS, "本轮没有领导参阅和月度通报，未生成领导邮件。"))
        return
    to, invalid = _addresses(settings.leaders)
    notes += [f"领导邮箱“{a}”格式不正确，已略过。" for a in invalid]
    if not to:
        notes.append("没有可用的领导邮箱（reporter.toml 的 [mail] leaders），草稿没有收件人。")
    parts = [name for name, files in (("领导参阅", brief), ("月度通报", bulletin)) if files]
    attachments = brief + bulletin
    lines = [f"{INDENT}现将{rnd.label}民生实事推进情况{'和'.join(parts)}呈上，请审阅。"]
    plan.packages.append(Package(
        LEADERS, LEADERS, f"{rnd.label}民生实事推进情况（{'、'.join(parts)}）",
        _body("各位领导：", lines, attachments, settings, issued), to, _cc(settings, notes),
        attachments, notes))


def _unit_package(label: str, unit: Unit | None, entries: list[NoticeEntry], returned: Path | None,
                  rnd: Round, settings: MailSettings, issued: dt.date, sender: str = "") -> Package:
    notes: list[str] = []
    to, invalid = parse_addresses(unit.email if unit else "", label)
    notes += [f"联系邮箱“{a}”格式不正确，已略过。" for a in invalid]
    if unit is not None and not to and sender:
        to, _ = parse_addresses(sender, label)
        if to:  # the address the unit itself wrote from this round: the clerk checks it before sending
            notes.append(f"台帐责任单位表中没有该单位的有效联系邮箱，收件人取自其本轮报送邮件的发件地址"
                         f"“{sender}”，请核对；可在责任单位表的联系邮箱中补充。")
    if unit is not None and not to:
        notes.append("台帐责任单位表中没有该单位的有效联系邮箱，草稿没有收件人，请补充邮箱或另行送达。")
    attachments = _notice_files(entries, settings.formats, notes)
    lines = []
    if entries:
        lines.append(_notice_line(rnd, entries))
    if returned is not None:
        attachments.append(returned)
        lines.append(f"{INDENT}你单位报送的{rnd.label}推进情况材料中存在需要修改的问题，已在附件《{returned.name}》的"
                     f"“{GUIDE_SHEET}”工作表中逐项列出，并在原表中标注了相应单元格，请修改后将整个文件重新报送。")
    addressee = unit.name if unit else label
    return Package(UNIT, label, _unit_subject(rnd, entries, returned is not None),
                   _body(f"{addressee}：", lines, attachments, settings, issued), to, _cc(settings, notes),
                   attachments, notes, unit.name if unit else None)


def _unit_subject(rnd: Round, entries: list[NoticeEntry], returned: bool) -> str:
    if not entries:
        return f"{rnd.label}民生实事推进情况报送材料退回修改"
    numbers = "、".join(e.number for e in entries if e.number)
    subject = _notice_title(rnd, entries) + (f"（{numbers}）" if numbers else "")
    return subject + ("及退回修改的报送材料" if returned else "")


def _notice_line(rnd: Round, entries: list[NoticeEntry]) -> str:
    numbers = "、".join(e.number for e in entries if e.number)
    levels = "、".join(dict.fromkeys(e.level for e in entries if e.level))
    title = f"《{_notice_title(rnd, entries)}》" + (f"（{numbers}）" if numbers else "")
    level = f"（督办级别：{levels}）" if levels else ""
    return (f"{INDENT}现将{title}发给你单位{level}。请对照通知所列任务逐项分析滞后原因、制定整改措施，"
            f"并按通知要求的时限填写回执反馈。")


def _notice_title(rnd: Round, entries: list[NoticeEntry]) -> str:
    """The notices' own title when they share one (it is what the unit sees on the document), else a generic one."""
    titles = {e.title for e in entries}
    return titles.pop() if len(titles) == 1 and "" not in titles else f"关于{rnd.label}民生实事推进情况的督办通知"


def _notice_files(entries: list[NoticeEntry], formats: tuple[str, ...], notes: list[str]) -> list[Path]:
    present = []
    for entry in entries:
        for path in entry.files:
            if path.is_file():
                present.append(path)
            else:
                notes.append(f"督办通知清单中的文件“{path.name}”不存在，未能附上。")
    return _documents(present, formats, notes)


def _folder_documents(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".docx", ".pdf") and not _temporary(p))


def _temporary(path: Path) -> bool:
    """Our atomic writes' temporary files (.~) and Word's lock files (~$) are never attachments."""
    return path.name.startswith((".~", "~$"))


def _documents(paths: list[Path], formats: tuple[str, ...], notes: list[str]) -> list[Path]:
    """Documents in the chosen formats; a document that exists only in another format is attached anyway."""
    kept = []
    stems = {p.with_suffix("") for p in paths if p.suffix.lower().lstrip(".") in formats}
    for path in paths:
        kind = path.suffix.lower().lstrip(".")
        if kind not in DOCUMENT_FORMATS or kind in formats:
            kept.append(path)
        elif path.with_suffix("") not in stems:
            kept.append(path)
            notes.append(f"“{path.stem}”没有{'、'.join(f.upper() for f in formats)}版，已附上 {kind.upper()} 版。")
    return kept


def _addresses(entries: Iterable[str]) -> tuple[list[Address], list[str]]:
    valid: list[Address] = []
    invalid: list[str] = []
    for entry in entries:
        good, bad = parse_addresses(entry)
        valid += [a for a in good if a.addr_spec.lower() not in {v.addr_spec.lower() for v in valid}]
        invalid += bad
    return valid, invalid


def _cc(settings: MailSettings, notes: list[str]) -> list[Address]:
    cc, invalid = _addresses(settings.cc)
    notes += [f"抄送地址“{a}”格式不正确，已略过。" for a in invalid]
    return cc


def _body(salutation: str, lines: list[str], attachments: list[Path], settings: MailSettings,
          issued: dt.date) -> str:
    text = [salutation, "", *lines, ""]
    for i, path in enumerate(attachments, start=1):
        text.append(f"{'附件：' if i == 1 else INDENT + chr(0x3000)}{i}. {path.name}")
    if settings.contact:
        text += ["", f"{INDENT}（{settings.contact}）"]
    text += ["", settings.sender_name, chinese_date(issued)] if settings.sender_name else ["", chinese_date(issued)]
    return "\n".join(text) + "\n"


def chinese_date(day: dt.date) -> str:
    """GB/T 9704 成文日期: Arabic numerals, no leading zeros — 2025年6月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- messages


def build_message(package: Package, settings: MailSettings, now: dt.datetime | None = None,
                  draft: bool = True) -> EmailMessage:
    """The package as an RFC 5322 message; `draft` adds X-Unsent so Outlook opens it ready to send."""
    msg = EmailMessage(policy=policy.SMTP)
    if settings.sender:
        local, _, domain = settings.sender.partition("@")
        msg["From"] = Address(settings.sender_name, local, domain)
    if package.to:
        msg["To"] = package.to
    if package.cc:
        msg["Cc"] = package.cc
    msg["Subject"] = package.subject
    msg["Date"] = format_datetime((now or dt.datetime.now()).astimezone())
    msg["Message-ID"] = make_msgid(domain=settings.sender.partition("@")[2] or "reporter.invalid")
    if draft:
        msg["X-Unsent"] = "1"
    # base64, not 8bit: a server without 8BITMIME would otherwise have to refuse or mangle the Chinese
    msg.set_content(package.body, cte="base64")
    for path in package.attachments:
        attach(msg, path)
    return msg


def attach(msg: EmailMessage, path: Path) -> None:
    """Attach a file with its MIME type; a Chinese name goes in filename* (RFC 2231) and name= (RFC 2047)."""
    maintype, subtype = MIME_TYPES.get(path.suffix.lower(), ("application", "octet-stream"))
    msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    part = msg.get_payload()[-1]
    if path.name.isascii():
        part.set_param("name", path.name)
    else:
        part.replace_header("Content-Type", _EncodedNameType(f"{maintype}/{subtype}", path.name))


class _EncodedNameType(str):
    """A Content-Type value whose name= is RFC 2047 encoded words, folded between words.

    The email package would rewrite any name= it parses into RFC 2231 form, which Outlook ignores, so
    this header is stored as an object the policy folds by calling its own fold().
    """

    name = "Content-Type"
    _CHUNK = 42  # UTF-8 bytes per encoded word: 56 base64 characters, each line under 78 characters

    def __new__(cls, ctype: str, filename: str) -> "_EncodedNameType":
        words = [f"=?UTF-8?B?{base64.b64encode(c.encode()).decode('ascii')}?=" for c in cls._chunks(filename)]
        value = super().__new__(cls, f'{ctype}; name="{" ".join(words)}"')
        value.ctype, value.filename, value.words = ctype, filename, words
        return value

    def __reduce__(self):
        return type(self), (self.ctype, self.filename)

    @classmethod
    def _chunks(cls, text: str) -> list[str]:
        """Split on character boundaries: an encoded word must hold whole characters (RFC 2047 §5)."""
        chunks, current = [], ""
        for ch in text:
            if len((current + ch).encode()) > cls._CHUNK:
                chunks.append(current)
                current = ""
            current += ch
        return [*chunks, current] if current else chunks

    def fold(self, *, policy) -> str:
        sep = policy.linesep
        head = f"{self.name}: {self.ctype};"
        if len(head) > 78:  # the Office types are long: start them on a folded line of their own
            head = f"{self.name}:{sep} {self.ctype};"
        lines = f"{sep} ".join(self.words)
        return f'{head}{sep} name="{lines}"{sep}'


# --------------------------------------------------------------------------- drafts and report


@dataclass
class Draft:
    package: Package
    path: Path
    size: int  # bytes of the .eml, i.e. what the mail server receives
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.package.label

    @property
    def megabytes(self) -> float:
        return self.size / MB


@dataclass
class SendResult:
    label: str  # 收件单位
    path: Path | None  # the draft sent, None when a Package was sent from memory
    recipients: list[str]
    ok: bool
    message: str
    refused: dict[str, str] = field(default_factory=dict)  # address → server's answer, when some were refused
    skipped: bool = False  # delivered by an earlier run, not sent again (deliver/sent.py)

    def __str__(self) -> str:
        return self.message


@dataclass
class MailResult:
    folder: Path
    drafts: list[Draft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # notes that concern no single draft
    max_mb: float = 20.0
    report: Path | None = None
    sent: list[SendResult] | None = None

    @property
    def files(self) -> list[Path]:
        return [d.path for d in self.drafts] + ([self.report] if self.report else [])

    def all_notes(self) -> list[Note]:
        return [*self.notes, *(Note(d.label, n) for d in self.drafts for n in d.notes)]

    def unreachable(self) -> list[str]:
        return [d.label for d in self.drafts if not d.package.to]

    def oversized(self) -> list[str]:
        return [d.label for d in self.drafts if d.megabytes > self.max_mb]

    def failed(self) -> list[SendResult]:
        return [s for s in self.sent or [] if not s.ok]

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "草稿数": len(self.drafts), "文件夹": str(self.folder),
            "邮件清单": str(self.report) if self.report else None,
            "无收件地址": self.unreachable(), "超过大小上限": self.oversized(),
            "提示": [str(n) for n in self.all_notes()],
        }
        if self.sent is not None:
            out["发送成功"] = sum(1 for s in self.sent if s.ok and not s.skipped)
            out["未重发（此前已发送）"] = [s.label for s in self.sent if s.skipped]
            out["发送失败"] = [str(s) for s in self.failed()]
        return out

    @property
    def problem(self) -> tuple[str, int] | None:
        """Why `reporter mail --send` should exit non-zero: some message was not sent."""
        failed = self.failed()
        if not failed:
            return None
        return f"{len(failed)} 封邮件未能发送：{'、'.join(s.label for s in failed)}（详见 {REPORT_NAME}）。", 2


class _Generator(BytesGenerator):
    """BytesGenerator writing a text without carriage returns in one piece: the stock one writes a base64
    attachment line by line (400,000 writes for a round's drafts, half the mail step's time)."""

    def _write_lines(self, lines: str) -> None:
        if "\r" in lines:
            super()._write_lines(lines)
        else:  # split on \n, each line then the line end, as the stock one does
            self.write(lines.replace("\n", self._NL))


def message_bytes(msg: EmailMessage) -> bytes:
    """msg.as_bytes(), the same bytes, faster."""
    out = io.BytesIO()
    _Generator(out, mangle_from_=False, policy=msg.policy).flatten(msg)
    return out.getvalue()


def write_drafts(plan: MailPlan | Iterable[Package], folder: str | Path, settings: MailSettings,
                 now: dt.datetime | None = None) -> MailResult:
    """One .eml per package in `folder`, drafts of an earlier run that are no longer due removed, and
    the report 邮件清单.xlsx. Nothing is raised for a package's problems: they are in the notes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    packages = list(plan)
    result = MailResult(folder, notes=list(getattr(plan, "notes", [])), max_mb=settings.max_mb)
    taken: set[str] = set()
    for package in packages:
        data = message_bytes(build_message(package, settings, now))
        path = folder / _unique_name(package.label, taken)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        result.drafts.append(Draft(package, path, len(data), [*package.notes, *_size_notes(len(data), settings)]))
    if settings.sender == "":
        result.notes.append(Note("", "未配置发件地址（[mail] sender），草稿没有发件人；用 Outlook 打开时会填入当前账户。"))
    _remove_stale(folder, {d.path for d in result.drafts})
    result.report = write_report(result, folder / REPORT_NAME)
    return result


def _unique_name(label: str, taken: set[str]) -> str:
    return unique_filename(label, taken, suffix=".eml", mark="（{}）")


def _size_notes(size: int, settings: MailSettings) -> list[str]:
    if size / MB <= settings.max_mb:
        return []
    return [f"邮件大小 {size / MB:.2f} MB，超过上限 {settings.max_mb:g} MB，对方邮箱可能拒收，请拆分附件或改用其他方式传送。"]


def _remove_stale(folder: Path, keep: set[Path]) -> None:
    """A unit with nothing to send this time must not find last run's draft in the folder."""
    for path in folder.glob("*.eml"):
        if path not in keep:
            path.unlink()


REPORT_HEADERS = ["序号", "类别", "收件单位", "地址", "抄送", "主题", "附件数", "附件", "大小(MB)", "草稿文件", "提示"]
NOTE_HEADERS = ["收件单位", "说明"]


def write_report(result: MailResult, path: str | Path) -> Path:
    """邮件清单: one row per draft (a row with 提示 is highlighted), then the sheet 提示 with every note."""
    headers = REPORT_HEADERS + (["发送结果"] if result.sent is not None else [])
    outcome = {s.path: str(s) for s in result.sent or []}
    rows = [_report_row(i, d, outcome) for i, d in enumerate(result.drafts, start=1)]
    if result.sent is None:
        rows = [r[:-1] for r in rows]
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_urls": False, "strings_to_formulas": False,
                                              "in_memory": True})  # a small book: no temporary files
        sheet = write_table(book, "邮件清单", headers, rows, text_wrap_cols=(7, 10))
        warn = book.add_format({"bg_color": "#FFEB9C", "text_wrap": True, "valign": "top"})
        for r, (row, draft) in enumerate(zip(rows, result.drafts), start=1):
            if draft.notes or outcome.get(draft.path, "").startswith("发送失败"):
                sheet.write_row(r, 0, [safe_value(v) for v in row], warn)  # as write_table: never a formula
        write_table(book, "提示", NOTE_HEADERS, [[n.who, n.message] for n in result.all_notes()], text_wrap_cols=(1,))
        book.close()
    return Path(path)


def _report_row(i: int, draft: Draft, outcome: dict[Path, str]) -> list[Any]:
    pkg = draft.package
    return [i, pkg.kind, pkg.label, "；".join(a.addr_spec for a in pkg.to), "；".join(a.addr_spec for a in pkg.cc),
            pkg.subject, len(pkg.attachments), "\n".join(p.name for p in pkg.attachments),
            round(draft.megabytes, 2), draft.path.name, "\n".join(draft.notes), outcome.get(draft.path, "")]


def record_sent(result: MailResult, sent: list[SendResult]) -> MailResult:
    """Keep the send results on the result and rewrite 邮件清单 with a 发送结果 column."""
    result.sent = list(sent)
    result.report = write_report(result, result.report or result.folder / REPORT_NAME)
    return result
