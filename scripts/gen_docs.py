"""Generate the reference parts of docs/ from the code, so they cannot drift (tests/test_docs.py checks).

Run: python scripts/gen_docs.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ledger_format() -> str:
    from reporter.intake import ledger_schema as S
    from reporter.intake.submission_schema import PROGRESS

    out = ["# 年度任务台帐与报送表的表头", "",
           "<!-- 本文件由 scripts/gen_docs.py 根据代码生成，请勿手工修改。 -->", "",
           "表头按名称识别，不按位置。比较前先统一全角/半角、繁体/简体，去掉空格和换行，"
           "括号中的计量单位（如 年度目标（万人））单独取出——除非括号是名称的一部分（如 县（市、区））。"
           "带 * 的列为必需列。", ""]
    for schema in (*S.ALL, PROGRESS):
        out += [f"## {schema.name}", ""]
        if schema.sheet_names:
            out += [f"常见工作表名：{'、'.join(schema.sheet_names)}（先按表名找，找不到再逐表按表头识别）。", ""]
        out += ["| 标准表头 | 也认作 | 代码字段 |", "|---|---|---|"]
        for f in schema.fields:
            star = "*" if f.key in schema.required else ""
            # a pattern's | would end the table cell: written \| (shown as |)
            aliases = "、".join(f.aliases + tuple(f"`{p}`".replace("|", "\\|") for p in f.patterns)) or "—"
            out.append(f"| {f.header}{star} | {aliases} | `{f.key}` |")
        out.append("")
    return "\n".join(out)


def findings() -> str:
    from reporter.model.findings import CATALOGUE

    out = ["# 问题类型目录", "", "<!-- 本文件由 scripts/gen_docs.py 根据代码生成，请勿手工修改。 -->", "",
           "| 代码 | 严重程度 | 名称 | 说明 |", "|---|---|---|---|"]
    out += [f"| `{t.code}` | {t.severity.value} | {t.title} | {t.description} |" for t in CATALOGUE.values()]
    return "\n".join(out) + "\n"


def cli() -> str:
    from click.testing import CliRunner

    from reporter.cli import main

    runner = CliRunner()
    out = ["# 命令参考", "", "<!-- 本文件由 scripts/gen_docs.py 根据 --help 生成，请勿手工修改。 -->", ""]
    out += ["## reporter", "", "```", runner.invoke(main, ["--help"], prog_name="reporter", terminal_width=100).output.rstrip(), "```", ""]
    for name in sorted(main.commands):
        command = main.commands[name]
        paths = [[name]] + [[name, sub] for sub in sorted(getattr(command, "commands", {}))]
        for path in paths:
            text = runner.invoke(main, [*path, "--help"], prog_name="reporter", terminal_width=100).output.rstrip()
            out += [f"## reporter {' '.join(path)}", "", "```", text, "```", ""]
    return "\n".join(out)


GENERATED = {"docs/ledger-format.md": ledger_format, "docs/findings.md": findings, "docs/cli.md": cli}

if __name__ == "__main__":
    for rel, make in GENERATED.items():
        (ROOT / rel).write_text(make(), encoding="utf-8")
        print("已生成", rel)
