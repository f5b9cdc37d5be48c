"""`reporter init`: a workspace of an office's own, made from its ledger.

DIR/reporter.toml points at the ledger and names the office's region; DIR/templates/ holds editable copies of
the wording templates and an office.toml whose texts (发文机关, 主送, 落款, 发文字号) are derived from the ledger
where the clerk gave none. Renders then prefer DIR/templates over the packaged templates. Nothing existing is
overwritten.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import CONFIG_NAME
from .files import write_text
from .intake.annual import read_ledger
from .render.office_texts import derived_texts
from .render.wording import TEMPLATES_DIR

OFFICE_FILE = "office.toml"


class InitError(Exception):
    """The workspace cannot be made (it exists already, or the ledger has no office); Chinese message."""


@dataclass
class InitResult:
    folder: Path
    config: Path
    templates: Path
    office: dict[str, Any]
    region: str
    files: list[Path] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)  # office keys guessed from the ledger: check them

    def summary(self) -> dict[str, Any]:
        return {"工作区": str(self.folder), "配置文件": str(self.config), "模板文件夹": str(self.templates),
                "所属地区": self.region, "发文机关": self.office["name"], "发文字号": self.office["doc_number"],
                "主送机关": self.office["addressee"], "需核对的推定内容": self.derived, "文件数": len(self.files)}


def init_workspace(folder: str | Path, ledger: str | Path, office: str | None = None,
                   region: str | None = None) -> InitResult:
    """Make DIR/reporter.toml and DIR/templates/ for the office whose ledger is `ledger`."""
    folder, ledger = Path(folder), Path(ledger)
    config = folder / CONFIG_NAME
    if config.exists():
        raise InitError(f"“{config}”已存在：reporter init 不覆盖已有的工作区。请换一个文件夹，或直接修改该文件。")
    annual, _ = read_ledger(ledger, office=region)
    if annual.office is None:
        raise InitError("无法确定台帐属于哪个地区：请用 --region 指定（如 --region 咸宁市），"
                        "或在台帐标题中写明地区。")
    texts = derived_texts(annual.office, office)
    templates = folder / "templates"
    files = _copy_templates(templates)
    files.append(write_text(templates / OFFICE_FILE, office_toml(texts)))
    files.append(write_text(config, workspace_toml(folder, ledger, annual.office.name)))
    derived = ["发文字号", "主送机关", "落款"] + ([] if office else ["发文机关"])
    return InitResult(folder, config, templates, texts["office"], annual.office.name, files, derived)


# Not copied: the GB/T 9704 page layout (gongwen/) is the standard's, not an office's wording.
_NOT_COPIED = {"gongwen", "__pycache__"}


def _copy_templates(target: Path) -> list[Path]:
    """Every packaged wording template (not the sample office's office.toml), where none is there yet."""
    out = []
    for source in sorted(TEMPLATES_DIR.rglob("*")):
        rel = source.relative_to(TEMPLATES_DIR)
        if source.is_dir() or rel.name == OFFICE_FILE or _NOT_COPIED & set(rel.parts):
            continue
        dest = target / rel
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            out.append(dest)
    return out


def _toml(value: Any) -> str:
    """A TOML value: JSON's strings, numbers and arrays are TOML's too."""
    if isinstance(value, list):
        return "[\n" + "".join(f"    {_toml(v)},\n" for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


_OFFICE_NOTES = {
    "name": "发文机关全称", "short": "发文机关简称", "issuer": "发文机关标志（版头红色大字）",
    "doc_number": "发文字号：{year} 年度，{seq} 序号（默认取轮次的月份），{month} 月份；年份用六角括号〔〕",
    "addressee": "主送机关，以全角冒号结尾", "signature": "落款（发文机关署名）",
    "cc": "抄送机关：机关之间用逗号，最后一个后面用句号；不写“抄送：”二字", "printed_by": "印发机关",
    "note": "附注（公开属性等），带圆括号；不需要时写 \"\"", "scope": "通报范围的称呼（全省、全市、全县……）",
    "region_word": "下一级地区的统称，用于排名和附件2标题", "requirements": "下步工作要求：每一项是一段话",
    "number": "督办编号格式", "first": "本年度第一份督办通知的序号", "days": "整改期限：成文日期后多少个自然日",
    "reply_to": "回执报送方式", "contact": "联系人（不写则通知中不出现联系方式）", "phone": "联系电话",
    "email": "电子邮箱",
}


def office_toml(texts: dict[str, dict[str, Any]]) -> str:
    lines = ["# 发文机关的固定文字，由 reporter init 按台帐所属地区推定。", "# 标有“推定”的各项请按本单位实际核对修改；"
             "格式要求见 GB/T 9704-2012《党政机关公文格式》。", ""]
    for table in ("office", "notices"):
        lines.append(f"[{table}]")
        for key, value in texts[table].items():
            guessed = key in ("name", "short", "issuer", "doc_number", "addressee", "signature", "printed_by",
                              "number", "reply_to")
            lines.append(f"# {_OFFICE_NOTES.get(key, key)}{'（推定，请核对）' if guessed else ''}")
            lines.append(f"{key} = {_toml(value)}")
        lines.append("")
    return "\n".join(lines)


def workspace_toml(folder: Path, ledger: Path, region: str) -> str:
    try:
        where = os.path.relpath(ledger.resolve(), folder.resolve())
    except ValueError:  # another drive on Windows
        where = str(ledger.resolve())
    return "\n".join([
        "# reporter 工作区配置（由 reporter init 生成，说明见 docs/config.md）。路径相对于本文件所在文件夹。",
        "[workspace]",
        "# 年度任务台帐工作簿",
        f"ledger = {_toml(Path(where).as_posix())}",
        "# 台帐所属地区：汇总的根（全省、全市、全县……由它而来）",
        f"region = {_toml(region)}",
        "# 工作区：历史数据库和每个填报轮次一个子文件夹",
        'out = "output"',
        "# 默认填报轮次（YYYY-MM），每月改一次；也可以在命令中用 --round 指定",
        "# round = \"2025-05\"",
        "# 本轮报送文件所在文件夹或压缩包（collect 读取）",
        "# submissions = \"报送/2025-05\"",
        "# 发文机关的固定文字；各公文的措辞模板在同一文件夹中，可直接修改",
        'office = "templates/office.toml"',
        "",
    ])
