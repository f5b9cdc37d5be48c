"""收件回执: for each unit that submitted this round, a reply draft (.eml) to the message its file came in.

The reply says what was received (each file, when, and what became of it), what was merged, how many problems
were found, and, when the unit must mend its file, attaches its 退回修改 workbook and gives the date to send it
again by. It answers the unit's own message (In-Reply-To, References, "Re: " subject, to its sender), so it
sits in the unit's thread; a unit whose file came another way gets it at its 联系邮箱. Drafts only, in the
round's 收件回执 folder, opened in Outlook or Foxmail (X-Unsent) and sent from there; `reporter mail --send`
does not send them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from ..files import atomic_path, safe_filename
from ..model.round_ledger import RoundLedger
from ..model import findings as F
from .mail import INDENT, UNIT, Package, build_message, chinese_date
from .mail_settings import MailSettings, parse_addresses

if TYPE_CHECKING:
    from email.message import EmailMessage

FOLDER = "收件回执"
RESEND_DAYS = 3  # days after the reply to send a mended file by, unless told


@dataclass
class Acknowledgement:
    unit: str
    path: Path
    to: str  # the addresses, as written
    replying_to: str  # the Message-ID answered ('' for a file that came another way)
    returned: Path | None
    notes: list[str] = field(default_factory=list)


def write_acknowledgements(rl: RoundLedger, sources: Mapping[str, Any], returns: Mapping[str, Path],
                           folder: str | Path, settings: MailSettings | None = None,
                           issued: dt.date | None = None, resend_by: dt.date | None = None,
                           label=lambda unit: unit) -> list[Acknowledgement]:
    """One reply draft per unit with a file taken this round (rl.files in state 采用), into `folder`;
    drafts of an earlier run no longer due are removed. `sources`: file name → its Source (for its message),
    `returns`: unit → its 退回修改 workbook, `label(unit)`: the name the draft's file takes."""
    settings = settings or MailSettings()
    issued = issued or dt.date.today()
    resend_by = resend_by or issued + dt.timedelta(days=RESEND_DAYS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    done: list[Acknowledgement] = []
    for unit in dict.fromkeys(f.unit for f in rl.files if f.unit and f.state == "采用"):
        files = sorted((f for f in rl.files if f.unit == unit), key=lambda f: f.state != "采用")
        by_file = {f.name: sources[f.name].letter for f in files if f.name in sources and sources[f.name].letter}
        package, replying = _package(rl, unit, files, by_file, returns.get(unit), settings, issued, resend_by)
        letters = list(by_file.values())
        message = build_message(package, settings)
        _thread(message, letters)
        path = folder / safe_filename(f"{label(unit)}_收件回执.eml")
        with atomic_path(path) as tmp:
            tmp.write_bytes(message.as_bytes())
        done.append(Acknowledgement(unit, path, ", ".join(str(a) for a in package.to), replying,
                                    returns.get(unit), package.notes))
    for old in folder.glob("*.eml"):
        if old not in {a.path for a in done}:
            old.unlink()
    return done


def _package(rl: RoundLedger, unit: str, files: list, letters: dict, returned: Path | None,
             settings: MailSettings, issued: dt.date, resend_by: dt.date) -> tuple[Package, str]:
    found = rl.ledger.units.match(unit)
    first = next(iter(letters.values()), None)  # the taken file's message, when it came by mail
    notes: list[str] = []
    to, invalid = parse_addresses(first.sender if first else (found.email if found else ""), unit)
    if not to:
        notes.append("没有发件地址或联系邮箱，回执草稿没有收件人，请补充后发送。")
    notes += [f"地址“{a}”格式不正确，已略过。" for a in invalid]
    subject = (f"Re: {first.subject}" if first and first.subject
               else f"{rl.round.label}民生实事推进情况报送回执")
    body = [f"{unit}：", "", f"{INDENT}你单位报送的{rl.round.label}民生实事推进情况已收到，情况如下。", ""]
    body += _received(files, letters)
    body += _merged(rl, files)
    body += _problems(rl, files, returned, resend_by)
    body += ["", f"{INDENT}本邮件由台帐工具生成，如有疑问请直接回复。"]
    if returned is not None:
        body += ["", f"附件：{returned.name}"]
    if settings.contact:
        body += ["", f"{INDENT}（{settings.contact}）"]
    body += ["", *([settings.sender_name] if settings.sender_name else []), chinese_date(issued)]
    package = Package(UNIT, found.label if found else unit, subject, "\n".join(body) + "\n", to, [],
                      [returned] if returned else [], notes, unit)
    return package, first.message_id if first else ""


def _received(files: list, letters: dict) -> list[str]:
    lines = [f"{INDENT}一、收到的文件"]
    for i, record in enumerate(files, start=1):
        letter = letters.get(record.name)
        when = record.arrived or (letter.arrived if letter else None)
        came = f"{chinese_date(when)} {when:%H:%M} " if when else ""
        came += f"邮件“{letter.subject}”" if letter and letter.subject else ""
        state = {"采用": "已汇总", "被替代": "已被后来报送的版本替代，未汇总"}.get(record.state, record.state)
        late = "，晚于截止日期，计为迟报" if record.late else ""
        lines.append(f"{INDENT}{INDENT}{i}. {record.name.rsplit('/', 1)[-1]}（{came.strip() or '收到时间不详'}，"
                     f"{state}{late}）")
    return lines


def _merged(rl: RoundLedger, files: list) -> list[str]:
    taken = next(f for f in files if f.state == "采用")
    missing = sum(1 for f in rl.findings if f.file == taken.name and f.code == F.INTAKE_TASK_MISSING.code)
    line = f"{INDENT}二、汇总情况：已汇总 {taken.rows} 行数据"
    line += f"，另有 {missing} 项应报任务未填报。" if missing else "。"
    return [line]


def _problems(rl: RoundLedger, files: list, returned: Path | None, resend_by: dt.date) -> list[str]:
    names = {f.name for f in files}
    mine = [f for f in rl.findings if f.file in names and f.code != F.INTAKE_CHANGED.code]
    counts = {s: sum(1 for f in mine if f.severity.value == s) for s in ("错误", "警告", "提示")}
    if not any(counts.values()):
        return [f"{INDENT}三、检查情况：未发现问题，无需修改。"]
    said = "、".join(f"{s} {n} 项" for s, n in counts.items() if n)
    lines = [f"{INDENT}三、检查情况：发现问题 {len(mine)} 项（{said}）。"]
    if returned is not None:
        lines.append(f"{INDENT}需要修改的问题已在附件《{returned.name}》中逐项列出并标注了单元格，请于"
                     f"{chinese_date(resend_by)}前修改后将整个文件重新报送（回复本邮件即可）。")
    else:
        lines.append(f"{INDENT}以上问题不影响汇总，无需重新报送；如有误请于{chinese_date(resend_by)}前回复说明。")
    return lines


def _thread(message: "EmailMessage", letters: list) -> None:
    """In-Reply-To the unit's message; References every message of its this round, oldest first."""
    ids = [l.message_id for l in letters if l.message_id]
    if ids:
        message["In-Reply-To"] = ids[0]
        message["References"] = " ".join(dict.fromkeys(reversed(ids)))
