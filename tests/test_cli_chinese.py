"""What a clerk reads at the terminal is Chinese, click's own texts included, and every error is said once."""
import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from matplotlib import font_manager

from reporter import click_zh
from reporter.cli import main
from reporter.render import charts

from .conftest import SAMPLE_LEDGER, write_book


def run(args, **kwargs):
    return CliRunner().invoke(main, args, prog_name="reporter", catch_exceptions=False, **kwargs)


def commands(group=main, path=()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


# English words a clerk may meet in help: file formats, product and option names, our own command names
ALLOWED = {"reporter", "toml", "docx", "pdf", "xlsx", "json", "zip", "eml", "msg", "smtp", "imap", "yyyy", "mm",
           "gb", "word", "excel", "png", "svg", "html", "url", "utf", "csv", "ods", "xls", "sqlite", "postgresql",
           "md", "docs", "submissions", "office", "mail", "workspace", "ledger", "round", "status", "escalation",
           "notices", "bulletin", "brief", "run", "check", "collect", "rollup", "template", "sample", "report",
           "send", "resend", "serve", "init", "truth", "database", "host", "port", "wps", "libreoffice", "a4",
           "id", "ip", "http", "https", "web", "selenium", "chromium", "demo", "dev", "test", "zh", "cn", "nogui",
           "password", "imaps", "mailbox"}  # config keys are named as written in reporter.toml


def english_words(text: str) -> set[str]:
    text = re.sub(r"--?[a-z][a-z-]*", "", text)  # option names
    text = re.sub(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", "", text)  # environment variables
    text = re.sub(r"\[[a-z]+\] [a-z_]+", "", text)  # reporter.toml keys: [web] password
    text = re.sub(r"\S+\.(toml|md|xlsx|json|zip|eml|sqlite)\b", "", text)  # file names
    text = re.sub(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", "", text)  # environment variable names
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in ALLOWED}


@pytest.mark.parametrize("path", [(), *commands()], ids=lambda p: " ".join(p) or "reporter")
def test_every_help_page_is_chinese(path):
    result = run([*path, "--help"])
    assert result.exit_code == 0
    assert english_words(result.output) == set(), result.output
    assert result.output.startswith(f"用法：reporter {' '.join(path)}".rstrip() + " [选项]")
    assert "选项：\n" in result.output and "  -h, --help" in result.output and "显示本帮助并退出。" in result.output


def test_defaults_are_shown_in_chinese():
    assert "[默认：docx,pdf]" in run(["report", "bulletin", "--help"]).output


def test_help_lines_fit_an_80_column_terminal():
    from reporter.click_zh import width

    for path in [(), *commands()]:
        for line in run([*path, "--help"], terminal_width=80).output.splitlines():
            assert width(line) <= 80, line


def test_a_path_that_does_not_exist(tmp_path):
    result = run(["collect", str(tmp_path / "无此文件夹")])
    assert result.exit_code == 2
    assert result.output == ("用法：reporter collect [选项] [报送文件]\n用“reporter collect --help”查看帮助。\n\n"
                             f"错误：“[报送文件]”的取值无效：路径“{tmp_path / '无此文件夹'}”不存在。\n")


def test_an_option_without_its_value():
    result = run(["check", "--round"])
    assert result.exit_code == 2
    assert result.output == "错误：选项“--round”需要一个取值。\n"


def test_a_misspelt_option_and_command():
    out = run(["check", "--ledgr", "x.xlsx"]).output
    assert out.endswith("错误：没有选项“--ledgr”。是否要输入“--ledger”？\n")
    out = run(["chek"]).output
    assert out == "用法：reporter [选项] 命令 [参数]...\n用“reporter --help”查看帮助。\n\n错误：没有命令“chek”。是否要输入“check”？\n"


def test_a_value_of_the_wrong_type():
    out = run(["sample", "--seed", "abc"]).output
    assert out.endswith("错误：“--seed”的取值无效：“abc”不是有效的整数。\n")


def test_the_catalogue_translates_click_s_own_messages():
    """Every entry is a message click really has: a renamed one would leave English at a clerk's desk."""
    msgids = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
                msgids.update(a.value for a in node.args if isinstance(a, ast.Constant))
    catalogue = {*click_zh.CATALOGUE, *click_zh.PLURALS, *click_zh.PLURALS_MANY} - {"required"}
    assert catalogue - msgids == set()
    for key in ("Usage:", "Show this message and exit.", "Error: {message}", "default: {default}",
                "Invalid value for {param_hint}: {message}", "Missing argument", "No such option {name!r}."):
        assert key in msgids


def test_an_unusable_ledger_is_one_error_line(tmp_path):
    ledger = write_book(tmp_path / "台帐.xlsx", {"说明": [["本表为空"]]})
    result = run(["check", "--ledger", str(ledger), "--round", "2025-05", "--out", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert result.output == "错误：台帐“台帐.xlsx”中找不到任务表：需要一张含“任务编号”和“任务名称”表头的工作表。\n"


def test_brief_without_a_chinese_font_says_how_to_fix_it(tmp_path, sample_round, monkeypatch):
    rebuilt = []
    charts.cjk_family.cache_clear()
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font SC",))
    monkeypatch.setattr(charts, "rebuild_font_list", lambda: rebuilt.append(1))
    try:
        result = run(["report", "brief", "--ledger", str(SAMPLE_LEDGER), "--round", "2025-05",
                      "--out", str(sample_round), "--format", "docx"])
    finally:
        charts.cjk_family.cache_clear()
    assert rebuilt == [1]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("错误：找不到中文字体（已重新扫描本机字体）")
    assert "sudo apt-get install fonts-noto-cjk" in result.output and result.output.count("\n") == 1


def test_a_font_list_cached_before_the_fonts_came_is_rebuilt(monkeypatch, tmp_path):
    """The first run of matplotlib cached a list without Chinese fonts; the check scans again and finds them."""
    stale = [entry for entry in font_manager.fontManager.ttflist if "CJK" not in entry.name
             and not entry.name.startswith("AR PL")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(charts, "font_cache", lambda: tmp_path / "fontlist.json")
    charts.cjk_family.cache_clear()
    try:
        assert charts.cjk_family() in charts.CJK_FAMILIES
    finally:
        charts.cjk_family.cache_clear()
    assert (tmp_path / "fontlist.json").is_file()  # the next run starts from the rebuilt list
