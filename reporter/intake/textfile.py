"""Tables in text files: CSV and tab-separated text, in the encodings and line ends clerks' tools write.

The text is decoded as it is read, line by line (never as one decoded copy of the whole file), so a file
beyond the memory budget's rows or cells is refused as soon as it passes it; its cells are kept as numbers
or shared texts (Cells), so a million-row export costs ~150 bytes a row rather than ~600.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from math import isfinite
from pathlib import Path
from typing import Any

from .. import memory
from ..memory import OverBudget, too_many_cells
from .unreadable import SAVE_AS, UnreadableFile


# -- text files ---------------------------------------------------------------------------------------------
_MARKUP = (b"<html", b"<table", b"<!doctype html", b"<head", b"<body", b"<meta", b"<style")


def read_text(path: Path, data: bytes) -> list[tuple[Any, ...]]:
    """A CSV / tab-separated text, whatever its name; an HTML table (an OA system's '.xls' export) or damaged
    bytes are named as what they are."""
    if not data.strip():
        raise UnreadableFile(f"文件“{path.name}”是空文件，没有任何内容。请重新保存后报送。")
    start = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"mime-version") or (start.startswith(b"<") and any(tag in start for tag in _MARKUP)):
        raise UnreadableFile(f"文件“{path.name}”是网页格式（常见于业务系统导出的表格），不是 Excel 工作簿。"
                             "请用 Excel 打开后另存为 .xlsx 再报送。")
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise UnreadableFile(f"文件“{path.name}”是 XML 表格格式（Excel 2003 XML），不是 Excel 工作簿。"
                             "请用 Excel 打开后另存为 .xlsx 再报送。")
    if b"\0" in data[:4096] and _utf16(data) is None:
        raise UnreadableFile(f"文件“{path.name}”已损坏或不是表格文件，无法读取。{SAVE_AS}")
    return _read_csv(path, data)


def _read_csv(path: Path, raw: bytes) -> list[tuple[Any, ...]]:
    """The rows of a CSV, read line by line from the bytes (decoded as they are read, never as one text):
    line ends may be CRLF, LF or a lone CR (Mac Excel's “CSV (Macintosh)”); a file of more rows or cells than
    the budget is refused as soon as it passes it. Each cell is kept as one shared value per distinct text
    (Cells), so a row costs its list and what is new in it, not a string per cell."""
    codec = text_codec(raw)
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding=codec, errors="replace", newline="")
    rows: list[tuple[Any, ...]] = []
    cells, limit, rows_limit = 0, memory.BUDGET.text_cells, memory.BUDGET.rows
    value = Cells().__getitem__
    with stream, memory.gc_paused():  # a million lists, none in a cycle: no collection need walk them
        head = stream.read(16384)
        stream.seek(0)
        for row in csv.reader(stream, delimiter=_delimiter(head)):
            cells += len(row)
            if len(rows) >= rows_limit:
                raise OverBudget(f"文件“{path.name}”超过 {rows_limit:,} 行，超过一次可读取的上限，未读取。"
                                 "请只报送本单位的填报表（或拆分为多个文件）后重报。")
            if cells > limit:
                raise too_many_cells(path.name, cells, limit=limit)
            rows.append(tuple(map(value, row)))  # a tuple: a third smaller than the reader's list
    return rows


class Cells(dict):
    """A CSV cell's value by its text: a number written as Excel writes one (28.5, 300) as a float, as a
    workbook gives it, anything else as text; each distinct text read once and shared by every cell that
    repeats it (an export repeats its codes, names, regions and statuses down a million rows: a string each
    cost ~70 bytes a cell). Looked up by the dict itself (`cells[text]`, no Python call but for a new text);
    what is remembered is bounded: past MEMO distinct texts it starts over."""

    MEMO = 1 << 16

    def __missing__(self, text: str) -> Any:
        if len(self) >= self.MEMO:
            self.clear()
        value = self[text] = _number(text)
        return value


_NUMERIC = frozenset("0123456789-.")


def _number(text: str) -> Any:
    """A float for a text that is exactly how a number cell reads back (cell_text): '300', '28.5', '-3'; the
    text itself for anything else — '028' (a code), '1.50', '1e3', '3,000', an 18-digit ID beyond a float's
    precision — so that nothing written is changed by being read as a number (but the '.0' of '300.0')."""
    if not text or text[0] not in _NUMERIC:
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    if not isfinite(number):
        return text
    if number.is_integer():  # '300', or '300.0' as a database or pandas export writes it
        back = str(int(number))
        return number if text == back or (text.endswith(".0") and text[:-2] == back) else text
    return number if repr(number) == text else text


def _delimiter(text: str) -> str:
    """',', tab or ';': the one most lines (of the first 20 with text) hold the same number of times. A title
    line holds none; a text cell may hold a few commas of a tab-separated file, but not in every line."""
    lines = [line for line in text[:16384].splitlines()[:40] if line.strip()][:20]
    best, score = ",", 0
    for sep in (",", "\t", ";"):
        counts = Counter(line.count(sep) for line in lines)
        counts.pop(0, None)
        if counts and max(counts.values()) > score:
            best, score = sep, max(counts.values())
    return best


def _utf16(raw: bytes) -> str | None:
    """The UTF-16 codec of a text: by its BOM (Excel's “Unicode 文本”, WPS exports), or, without one, by
    the zero bytes of its ASCII characters (digits, tabs, line ends), nearly all on one side."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > len(sample) // 16 and odd > 4 * even:
        return "utf-16-le"
    if even > len(sample) // 16 and even > 4 * odd:
        return "utf-16-be"
    return None


def text_codec(raw: bytes) -> str:
    """UTF-16 (BOM) and UTF-8 (with or without BOM) first, GB18030 (a superset of GBK/GB2312) next, then
    detection. Each codec is tried piece by piece, so no decoded copy of the whole file is made."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\0" in raw[:4096] or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = _utf16(raw)
        if codec:
            return codec
    for encoding in ("utf-8", "gb18030"):
        if _decodes(raw, encoding):
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(raw[: 1 << 20]).best()
    if best is None:
        raise UnreadableFile("无法识别文件的文字编码，请另存为 UTF-8 或 .xlsx。")
    return best.encoding


def _decodes(raw: bytes, encoding: str, piece: int = 1 << 20) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for at in range(0, len(raw), piece):
            decoder.decode(raw[at:at + piece])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
