"""click's own texts (usage, help, errors, defaults) in Simplified Chinese.

click marks its messages for gettext (`from gettext import gettext as _` in each module), but gettext picks a
catalogue from the locale, which a clerk's machine (or a fresh server with LANG=C) rarely has set. So
`install()` binds click's `_` and `ngettext` to the catalogue below, whatever the locale. English quotes
('x') that click puts round names and values become Chinese ones (“x”). tests/test_cli.py checks the exact
output, so a click release that renames a message shows up there, not at a clerk's desk.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

import click

CATALOGUE = {
    "Usage:": "用法：",  # HelpFormatter adds no space after it
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Aborted!": "已中止。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint}的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项{name!r}。",
    "No such command {name!r}.": "没有命令{name!r}。",
    "Option {name!r} does not take a value.": "选项{name!r}不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数{name!r}需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项开头的字符无效（{option}）",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}{filename!r}不存在。",
    "{name} {filename!r} is a file.": "{name}{filename!r}是文件，应为文件夹。",
    "{name} {filename!r} is a directory.": "{name}{filename!r}是文件夹，应为文件。",
    "{name} {filename!r} is not readable.": "{name}{filename!r}无法读取。",
    "{name} {filename!r} is not writable.": "{name}{filename!r}无法写入。",
    "{name} {filename!r} is not executable.": "{name}{filename!r}无法执行。",
    "{value!r} is not a valid {number_type}.": "{value!r}不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r}不是有效的是/否取值，可用：{states}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Could not open file {filename!r}: {message}": "无法打开文件{filename!r}：{message}",
    "unknown error": "未知错误",
    "Value must be an iterable.": "取值必须是多个值。",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否要输入{possibility}？",
    "Option {name!r} requires an argument.": "选项{name!r}需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项{name!r}需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "{value!r}不是{choice}。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，只给了 {len_value} 个。",
}
PLURALS_MANY = {
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "(Did you mean one of: {possibilities}?)": "（是否要输入其中之一：{possibilities}？）",
    "{value!r} is not one of {choices}.": "{value!r}不是{choices}之一。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{value!r} does not match the formats {formats}.": "{value!r}不符合格式 {formats}。",
}
TYPE_NAMES = {"text": "文本", "integer": "整数", "float": "数", "boolean": "是/否", "integer range": "整数范围",
              "float range": "数值范围", "datetime": "日期时间", "filename": "文件名", "uuid": "UUID"}
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
_QUOTED = re.compile(r"'([^'\n]*)'")
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def width(text: str) -> int:
    """Columns a terminal gives `text`: two for a Chinese character or full-width mark."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)  # an ASCII word, a run of spaces, or one other character
_NO_LINE_START = set("，。、；：！？）》」』”’%")
_NO_LINE_END = set("（《「『“‘")


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` terminal columns; Chinese breaks between characters, ASCII words
    stay whole, and no line starts with a closing mark or ends with an opening one."""
    lines: list[str] = []
    line: list[str] = []  # tokens
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and width("".join(line) + token) > columns and not token.isspace():
            # a closing mark takes the token before it along; an opening one goes down with the next
            keep = len(line) - 1 if token in _NO_LINE_START or line[-1] in _NO_LINE_END else len(line)
            if "".join(line[:keep]).strip():
                lines.append("".join(line[:keep]).rstrip())
                line = line[keep:]
        if not (token.isspace() and not line):
            line.append(token)
    return lines + ["".join(line).rstrip()] if "".join(line).strip() else lines


class HelpFormatter(click.HelpFormatter):
    """click's help layout measured in terminal columns, with Chinese headings and usage prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, CATALOGUE["Usage:"] if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for n, paragraph in enumerate(p for p in re.split(r"\n\s*\n", text) if p.strip()):
            if n:
                self.write("\n")
            for line in wrap(paragraph, max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if width(first) > first_col - col_spacing:
                self.write("\n" + indent)
            else:
                self.write(" " * (first_col - width(first)))
            lines = wrap(second, max(self.width - first_col - self.current_indent, 10)) or [""]
            self.write("\n".join([lines[0]] + [indent + line for line in lines[1:]]) + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


class _Message(str):
    """A translated format string; its result quotes names the Chinese way and ends in a Chinese stop."""

    def format(self, *args: Any, **kwargs: Any) -> str:
        text = _QUOTED.sub(r"“\1”", str.format(self, *args, **kwargs)).replace("。 ", "。")
        return text[:-1] + "。" if text.endswith(".") else text


def gettext(message: str) -> str:
    return _Message(CATALOGUE.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return _Message(PLURALS.get(singular, CATALOGUE.get(singular, singular)))
    return _Message(PLURALS_MANY.get(plural, CATALOGUE.get(plural, plural)))


def install() -> None:
    """Bind click's message functions and parameter-type names to the Chinese catalogue (idempotent)."""
    import importlib

    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for cls in vars(click.types).values():
        if isinstance(cls, type) and issubclass(cls, click.ParamType) and cls.__dict__.get("name") in TYPE_NAMES:
            cls.name = TYPE_NAMES[cls.__dict__["name"]]


class Command(click.Command):
    """A command whose usage line says [选项] for [OPTIONS]."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """A group of Chinese commands: its subcommands and subgroups are made with these classes too."""

    command_class = Command
    context_class = Context
    group_class = type  # subgroups of the same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)
