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
    return "\n".join(out + coded_columns() + layouts())


def _words(table: dict) -> dict:
    """Enum member → the words a ledger may write for it, in the order the code lists them."""
    out: dict = {}
    for word, member in table.items():
        out.setdefault(member, []).append(word)
    return out


def coded_columns() -> list[str]:
    from reporter.model import targets as T
    from reporter.model.units import UnitKind

    out = ["## 编码列的取值", "",
           "下列各列只认下表中的写法（不分全角半角、繁简、大小写）；写了别的内容时，检查台帐会给出“取值无法识别”并采用默认值。", ""]
    for title, table, default in (
            ("指标属性", T._NATURE_WORDS, "不填：不区分"),
            ("指标方向", T._DIRECTION_WORDS, "不填：按年度目标的写法（≤、以内为逆向），否则正向"),
            ("汇总方式", T._AGGREGATION_WORDS, "不填：按目标推定——可相加的数量求和，比率有分子分母按比率、有权重按加权平均，"
                                             "定性目标计达标个数，其余不汇总")):
        out += [f"### {title}", "", "| 取值 | 也可写作 |", "|---|---|"]
        for member, words in _words(table).items():
            out.append(f"| {member.value} | {'、'.join(w for w in words if w != member.value)} |")
        out += ["", default + "。", ""]
    out += ["### 计划类型", "",
            "月度 或 季度。计划进度表按所填的列判断：只填了一季度…四季度的为季度计划，填了 1月…12月 的为月度计划；"
            "本列只作说明。进度为 0–100 的累计百分数（也可写 0–1 的小数），后一期不得低于前一期。"
            "计划进度也可以直接写在任务表中（在任务的行上加 1月…12月 或 一季度…四季度 列）：这时写有 % 或最后一期"
            "达到 100 的才是计划，其余数字（如逐月填写的完成数）不作计划读入。", "",
            "### 汇总依据", "",
            "比率指标写 `分子:指标名称;分母:指标名称`（冒号、分号全角半角均可），分子、分母是台帐中另两项分解到地区的任务的"
            "指标名称，上级的比率由下级分子之和除以分母之和算出。加权平均的指标写作权重的指标名称（如 `常住人口`）。", "",
            "### 分解到地区", "",
            "是 / 否（也认 Y/N、√/×、1/0）。写“否”的任务即使责任单位中有“各县（市、区）人民政府”这样的统称，也只由牵头单位"
            "报送全部；不填或写“是”时，统称展开为所属地区之下该级的每一个地区。", "",
            "### 单位类型", "",
            f"{'、'.join(k.value for k in UnitKind)}；不填时，名称以人民政府、政府、管委会结尾的为地区。", "",
            "### 统称的责任单位", "",
            "牵头单位、责任单位（配合单位）中的统称表示所属地区之下该级的每一个地区各自报送本任务："
            "各县（市、区）人民政府、各县市区政府、各区人民政府 → 每个县级地区；各市、州、县人民政府、各市州 → 每个市州；"
            "各乡镇（街道）、各乡镇人民政府、各街道办事处 → 每个乡镇、街道；各地 → 所属地区的每个直接下级。"
            "“XX县人民政府”“XX县政府”“XX县”是同一个单位。", ""]
    return out


def layouts() -> list[str]:
    return ["## 分地区目标的三种写法", "",
            "台帐属于哪一级哪个地区（汇总的根），依次按：reporter.toml 的 `region`；台帐标题或文件名开头的地区"
            "（“咸宁市2025年……台帐”）；地区表；分解到的地区的共同上级；地区表唯一的根。地区名称只在这个地区之下匹配。"
            "`reporter check` 的“识读结果”列出所确定的地区和依据。", "",
            "### 长表", "", "每个任务、每个地区一行（任务编号、地区、年度目标，可加责任单位）。地区写“合计”“全市”的行作为合计核对。", "",
            "![长表](images/layout-long.png)", "",
            "### 宽表", "",
            "每个任务一行，每个地区一列（编号或指标，然后一列一个地区，可有“合计”列）；可用两行表头把县市区归在所属市州之下。"
            "工作表名不限（任务分解、分解表、目标分解表、附表2……）。合计与各地区之和不一致时给出问题，并采用各地区的目标。"
            "“市本级”“县直”“本级”列是本级部门自己承担的部分，作为所属地区之下的一个地区（如“咸宁市本级”），由牵头单位报送。",
            "",
            "![宽表](images/layout-wide.png)", "",
            "### 任务表中的地区列", "", "任务表本身在年度目标之后加一列一个地区，列名为地区名称。", "",
            "### 地区表", "",
            "地区名称必填；地区代码可不填（自动编号）；上级可写代码或名称；层级可写 省、市、县、乡（乡镇、街道）。"
            "省外的县、县以下的乡镇和街道都可在此列出，例如长兴县的台帐列出长兴县及其乡镇、街道。", ""]


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
