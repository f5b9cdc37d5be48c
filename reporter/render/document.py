"""A 公文 (official document) as data: what the Word and PDF renderers both lay out per GB/T 9704-2012.

Content builders (the bulletin, the supervision notices, the leadership brief) produce a `Document`;
`docx_gongwen` and `pdf_gongwen` turn it into files. Neither renderer decides wording; neither builder decides
layout. A `Document` with a `periodical` masthead (领导参阅, 工作简报) is laid out as an internal periodical
instead of a red-header 文件; one without is unchanged.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Union


class RenderError(RuntimeError):
    """A document cannot be made legibly on this machine (e.g. no Chinese font); the message, in Chinese,
    says what to install or run."""


@dataclass(frozen=True)
class Heading:
    """一、 (level 1, 黑体), （一） (level 2, 楷体), 1. (level 3, 仿宋), （1） (level 4, 仿宋). Text includes its number."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text, 3号仿宋, first line indented two characters. `lead` is an optional run-in heading
    (e.g. '（一）总体情况。' in 楷体) printed before the text in the same paragraph."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]
    colours: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → fill hex, e.g. status cells
    number_formats: list[str | None] | None = None  # per column: None, or a Python format like '{:.1f}'


@dataclass(frozen=True)
class Figure:
    """A chart, centred, with its caption centred below. The PDF inlines `svg` (text kept as text, so it stays
    crisp and searchable); Word embeds `png`. Both are drawn `width` × `height` mm (at most the 版心's 156 mm)."""

    svg: str
    png: bytes
    width: float
    height: float
    caption: str = ""

    @property
    def text(self) -> str:
        """What a reader reads of it, for text dumps that take every block's `text`."""
        return self.caption


Block = Union[Heading, Paragraph, Table, Figure]


@dataclass(frozen=True)
class Periodical:
    """版头 of an internal periodical such as 领导参阅: its name large, red and centred; the issue (第5期) centred
    below; the editing office flush left and the date flush right on one line; a red rule under them.
    It replaces the 发文机关标志 and 发文字号 of a 文件."""

    name: str  # 领导参阅
    issue: str = ""  # as printed, e.g. 第5期
    editor: str = ""  # 编发单位
    date: dt.date | None = None


@dataclass(frozen=True)
class Attachment:
    """附件N: on a new page, '附件N' top-left in 黑体, its title centred; wide tables in landscape."""

    number: int
    title: str
    blocks: list[Block]
    landscape: bool = True


@dataclass
class Document:
    issuer: str  # 发文机关标志, e.g. '武汉市民生工作领导小组办公室'
    title: str  # 标题, 2号小标宋
    body: list[Block]
    doc_number: str = ""  # 发文字号, e.g. '武民生办〔2025〕5号'
    addressee: str = ""  # 主送机关, ends with '：'
    attachments: list[Attachment] = field(default_factory=list)
    signature: str = ""  # 落款 (发文机关署名)
    date: dt.date | None = None  # 成文日期
    cc: str = ""  # 抄送
    printed_by: str = ""  # 印发机关
    print_date: dt.date | None = None  # 印发日期
    note: str = ""  # 附注, e.g. '（此件公开发布）'
    periodical: Periodical | None = None  # set: a periodical's 版头 instead of the 文件 one (issuer stays metadata)

    @property
    def has_banji(self) -> bool:
        """A 版记 closes the document: it has a 抄送 or an 印发机关."""
        return bool(self.cc or self.printed_by)

    def attachment_lines(self) -> list[str]:
        """附件说明: '附件：1.××' then '      2.××', no final punctuation."""
        if not self.attachments:
            return []
        lines = []
        for i, a in enumerate(self.attachments):
            prefix = "附件：" if i == 0 else "　　　"
            lines.append(f"{prefix}{a.number}.{a.title}" if len(self.attachments) > 1 else f"附件：{a.title}")
        return lines


def issue_day(rnd, override: dt.date | None = None) -> dt.date:
    """A round's documents' 成文日期, and the date their e-mails carry: the one given, else the round's
    报送 deadline, else today."""
    return override or rnd.deadline or dt.date.today()


def gongwen_date(day: dt.date) -> str:
    """GB/T 9704: Arabic numerals, full year, no zero padding — 2025年6月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


FORMATS = ("docx", "pdf")


def check_formats(formats) -> None:
    """Refuse unknown formats before anything is written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"不支持的格式：{'、'.join(unknown)}（可选 docx、pdf）")
