"""The 督办通知's settings: the [notices] table of the office file (templates/office.toml or reporter.toml),
with its [office] — the numbering, the 整改期限, the one contact line notices and e-mails print — and the
sample values (王××, example.gov.cn) `reporter check` names until the office replaces them."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from .bulletin import OFFICE_TOML, Office, load_office, office_table
from .wording import WordingError


@dataclass(frozen=True)
class NoticeSettings:
    """The [notices] table of an office file (templates/office.toml or reporter.toml), with its [office]."""

    office: Office
    number: str = "民生督〔{year}〕{seq}号"  # 督办编号 pattern: {year} {seq} {month}
    first: int = 1  # sequence number of the year's first notice
    days: int = 10  # 整改期限: calendar days after the issue date
    reply_to: str = ""  # how the 回执 goes back, after '经单位负责同志审核后'
    contact: str = ""
    phone: str = ""
    email: str = ""
    cc: str = ""  # 抄送; none → no 版记

    @classmethod
    def from_mapping(cls, office: Office, data: Mapping[str, Any], source: str = "") -> "NoticeSettings":
        where = f"“{source}”" if source else ""
        known = {f.name for f in fields(cls)} - {"office"}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for key in ("first", "days"):
            if key in values:
                values[key] = _whole_number(values[key], key, where, minimum=1 if key == "first" else 0)
        for key in known - {"first", "days"}:
            if key in values:
                values[key] = str(values[key]).strip()
        settings = cls(office, **values)
        settings.number_for(2025, 1, 1)  # a broken pattern fails now, naming the file, not mid-way
        if "seq" not in {name for _, name, _, _ in string.Formatter().parse(settings.number)}:
            raise WordingError(f"督办编号格式“{settings.number}”{where}缺少 {{seq}}：各单位的督办编号会重复。")
        return settings

    def contact_fields(self) -> dict[str, str]:
        """contact, phone and email as printed: a sample value (王××, example.gov.cn) is left out."""
        return {key: "" if is_placeholder(value) else value
                for key, value in (("contact", self.contact), ("phone", self.phone), ("email", self.email))}

    def contact_line(self) -> str:
        """The one contact line the notices and the e-mails print: 联系人：…，联系电话：…，电子邮箱：…"""
        c = self.contact_fields()
        if not c["contact"]:
            return ""
        return "，".join([f"联系人：{c['contact']}"] + [f"{label}：{c[key]}" for key, label in
                                                        (("phone", "联系电话"), ("email", "电子邮箱")) if c[key]])

    def number_for(self, year: int, seq: int, month: int) -> str:
        try:
            return self.number.format(year=year, seq=seq, month=month)
        except (KeyError, IndexError, ValueError) as exc:
            raise WordingError(f"督办编号格式“{self.number}”有误（{exc}）：只能使用 {{year}}、{{seq}}、{{month}}。") from None

    def number_pattern(self) -> re.Pattern:
        """A regex matching the numbers this pattern makes, the sequence number in group 'seq'."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.number):
            parts.append(re.escape(literal))
            if name:
                parts.append({"seq": r"(?P<seq>\d+)", "year": r"\d{4}"}.get(name, r"\d{1,2}"))
        return re.compile("".join(parts))


def _whole_number(value: Any, key: str, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise WordingError(f"督办通知配置{where}中 {key} 应为不小于 {minimum} 的整数，现为“{value}”。")
    return value


PLACEHOLDER = re.compile(r"[×Xx]{2}|某某|\bexample\.(?:gov\.cn|com|org|net|cn)\b|待填|请填写")


def is_placeholder(text: object) -> bool:
    """A sample value left in the office file: 王××, 某某, an address at example.gov.cn."""
    return isinstance(text, str) and bool(PLACEHOLDER.search(text))


def office_placeholders(path: str | Path | None = None, ledger=None) -> list[tuple[str, str]]:
    """(“[section] key”, value) of every sample value in the office file's [office] and [notices] tables."""
    table = office_table(path, ledger)
    found = []
    for section in ("office", "notices"):
        for key, value in (table.get(section) or {}).items():
            for text in value if isinstance(value, list) else [value]:
                if is_placeholder(text):
                    found.append((f"[{section}] {key}", str(text)))
    return found


def load_notice_settings(path: str | Path | None = None, ledger=None) -> NoticeSettings:
    """The office (see bulletin.load_office) and its [notices] table; keys not written take their defaults.

    Keys: number, first, days, reply_to, contact, phone, email, cc (documented in templates/office.toml)."""
    office = load_office(path, ledger)  # also reports a missing or malformed file
    section = office_table(path, ledger).get("notices", {})
    path = Path(path) if path else OFFICE_TOML
    if not isinstance(section, dict):
        raise WordingError(f"发文机关配置文件“{path}”中的 notices 应为 [notices] 表。")
    return NoticeSettings.from_mapping(office, section, str(path))
