"""Why a file cannot be read, in Chinese: the exception every reader raises, and the readers' own (English)
messages turned into words a clerk can act on (never shown as they are)."""
from __future__ import annotations

import re

SAVE_AS = "请用 Excel 或 WPS 打开后另存为 .xlsx 再报送。"


class UnreadableFile(Exception):
    """A file that cannot be read at all; the message is Chinese and names the file."""


# What the readers' own (English) messages mean, for the clerk: the first pattern found in the message wins.
_EXPLAINED = [
    (re.compile(r"password|encrypt", re.I), "文件设有打开密码"),
    (re.compile(r"fill whole buffer|unexpected eof|end of file|truncat|too short|cut short", re.I),
     "文件不完整（可能没有下载或保存完整）"),
    (re.compile(r"crc|checksum|invalid (stored|distance|block|code)|deflate|decompress|zip", re.I),
     "文件中的压缩数据已损坏"),
    (re.compile(r"cannot detect|unrecognized|unsupported|not a .*file|format", re.I), "无法识别文件格式"),
    (re.compile(r"chart|macro|dialog", re.I), "该工作表是图表或宏表，没有单元格数据"),
    (re.compile(r"field larger than field limit", re.I), "某个单元格的内容过长（可能不是表格文件）"),
    (re.compile(r"NUL|null byte", re.I), "含有空字符，文件可能已损坏"),
]


def explain(exc: BaseException) -> str:
    """A reader's exception as a Chinese phrase (never its English text)."""
    text = f"{type(exc).__name__}: {exc}"
    for pattern, meaning in _EXPLAINED:
        if pattern.search(text):
            return meaning
    return "文件内部结构有误，可能已损坏"
