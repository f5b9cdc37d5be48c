"""The round's outputs by kind (本轮输出): what the web page lists for download, each with its unit when it
is one unit's (a 督办通知, a 退回修改 workbook, a fill-in template)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .model.schedule import Round
from .workspace import Workspace

SHOWN = {".xlsx", ".docx", ".pdf", ".zip", ".eml", ".json"}


@dataclass(frozen=True)
class OutputFile:
    name: str
    path: str  # relative to the workspace, with '/'
    size: int
    modified: dt.datetime
    unit: str = ""  # the unit's short name when the file is one unit's

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


@dataclass
class OutputGroup:
    kind: str  # 月度通报, 督办通知, …
    note: str
    files: list[OutputFile] = field(default_factory=list)


def _groups(ws: Workspace, rnd: Round) -> list[tuple[str, str, Path, str]]:
    """(kind, note, folder, glob) in the order a clerk reads them."""
    top = ws.round_dir(rnd)
    return [
        ("本轮汇总", "本轮台帐、问题清单、未报送迟报名单、汇总分析表", top, "*.xlsx"),
        ("月度通报", "Word 与 PDF", ws.bulletin_dir(rnd), "*"),
        ("领导参阅", "不超过两页的参阅件", ws.brief_dir(rnd), "*"),
        ("督办通知", "每个单位一份通知和回执，另有清单和压缩包", ws.notices_dir(rnd), "*"),
        ("退回修改", "标出问题单元格的原报送工作簿，发回单位修改", ws.returns_dir(rnd), "*"),
        ("填报模板", "每个报送单位一个填报工作簿", ws.templates_dir(rnd), "*"),
        ("邮件草稿", "给领导和各单位的 .eml 草稿（未发送）和邮件清单", ws.mail_dir(rnd), "*"),
        ("台帐检查", "年度任务台帐中的问题", ws.checks_dir(rnd), "*"),
        ("运行摘要", "本次运行的步骤与结果", top, "本轮运行摘要.json"),
    ]


def list_outputs(ws: Workspace, rnd: Round, unit_of: Callable[[str], str] = lambda name: "") -> list[OutputGroup]:
    """Every output file of the round, grouped by kind; `unit_of` names the unit a file is for."""
    groups = []
    for kind, note, folder, pattern in _groups(ws, rnd):
        group = OutputGroup(kind, note)
        for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
            if path.name.startswith((".", "~$")) or path.suffix.lower() not in SHOWN or not path.is_file():
                continue
            stat = path.stat()
            group.files.append(OutputFile(path.name, path.relative_to(ws.root).as_posix(), stat.st_size,
                                          dt.datetime.fromtimestamp(stat.st_mtime), unit_of(path.name)))
        groups.append(group)
    return groups


def unit_matcher(labels: list[str]) -> Callable[[str], str]:
    """A file name → the unit it is for: output names are '省民政厅_督办通知.pdf' or '2025-05_省民政厅_进展填报.xlsx'."""
    by_length = sorted(set(labels), key=len, reverse=True)

    def unit_of(name: str) -> str:
        parts = set(name.split("_"))
        return next((label for label in by_length if label in parts), "")
    return unit_of
