"""Sheets of an Excel workbook that hold no table: chart sheets, Excel 4.0 macro sheets, dialog sheets.

A reader may refuse a whole workbook for one of them (calamine cannot open an .xlsx holding a macro sheet:
“Cannot detect file format”). Then the workbook is read again without them, so they cost only themselves:
each is named, and the work sheets beside them are read as usual.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from html import unescape

from .extent import varint as _varint
from .rezip import replaced

_KINDS = {"chartsheet": "图表工作表", "macrosheet": "宏表", "intlmacrosheet": "宏表", "dialogsheet": "对话框工作表"}
_FOLDER = re.compile(r"(chartsheet|macrosheet|intlmacrosheet|dialogsheet)s?/", re.I)
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)/?>")
_ATTR = {key: re.compile(rb'\b%s="([^"]*)"' % key) for key in (b"Id", b"Target", b"Type", b"name", b"r:id")}
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b[^>]*/>")
_BUNDLE_SHEET = 0x9C  # BrtBundleSh in workbook.bin


def special_sheets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → what it is (图表工作表, 宏表, 对话框工作表), for the sheets that are not work sheets."""
    kinds = _kinds_by_rel(zf)
    if "xl/workbook.xml" in zf.NameToInfo:
        found = {}
        for m in _SHEET.finditer(zf.read("xl/workbook.xml")):
            name, rid = _attr(m.group(0), b"name"), _attr(m.group(0), b"r:id")
            if rid in kinds:
                found[unescape(name)] = kinds[rid]
        return found
    if "xl/workbook.bin" in zf.NameToInfo:
        return {name: kinds[rid] for rid, name, _ in _bundle_sheets(zf.read("xl/workbook.bin")) if rid in kinds}
    return {}


def without_sheets(data: bytes, names: set[str]) -> bytes:
    """The workbook's bytes without the sheets named (their entries in the workbook part; the parts stay)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    edited = {}
    if "xl/workbook.xml" in zf.NameToInfo:
        edited["xl/workbook.xml"] = _SHEET.sub(lambda m: b"" if unescape(_attr(m.group(0), b"name")) in names
                                               else m.group(0), zf.read("xl/workbook.xml"))
    if "xl/workbook.bin" in zf.NameToInfo:
        edited["xl/workbook.bin"] = b"".join(raw for _, name, raw in _records(zf.read("xl/workbook.bin"))
                                             if name not in names)
    return replaced(data, zf, edited)


def _kinds_by_rel(zf: zipfile.ZipFile) -> dict[str, str]:
    """Relationship id → kind, for the workbook's relationships to sheets that are not work sheets."""
    for rels_name in ("xl/_rels/workbook.xml.rels", "xl/_rels/workbook.bin.rels"):
        if rels_name in zf.NameToInfo:
            kinds = {}
            for m in _RELATIONSHIP.finditer(zf.read(rels_name)):
                found = _FOLDER.search(_attr(m.group(1), b"Type") + "/" + _attr(m.group(1), b"Target"))
                if found:
                    kinds[_attr(m.group(1), b"Id")] = _KINDS[found.group(1).lower()]
            return kinds
    return {}


def _attr(element: bytes, key: bytes) -> str:
    m = _ATTR[key].search(element)
    return m.group(1).decode("utf-8", "replace") if m else ""


def _bundle_sheets(data: bytes) -> list[tuple[str, str, bytes]]:
    return [(rid, name, raw) for rid, name, raw in _records(data) if name is not None]


def _records(data: bytes):
    """workbook.bin's records as (relationship id, sheet name, raw bytes): id and name for BrtBundleSh, else
    None."""
    at = 0
    while at < len(data):
        start = at
        rtype, at = _varint(data, at, 2)
        size, at = _varint(data, at, 4)
        body = data[at:at + size]
        at += size
        rid = name = None
        if rtype == _BUNDLE_SHEET and len(body) >= 12:
            rid, pos = _wide(body, 8)
            name, _ = _wide(body, pos)
        yield rid, name, data[start:at]


def _wide(body: bytes, at: int) -> tuple[str, int]:
    count = struct.unpack_from("<I", body, at)[0] if at + 4 <= len(body) else 0
    if count == 0xFFFFFFFF:  # a null string
        return "", at + 4
    end = at + 4 + 2 * count
    return body[at + 4:end].decode("utf-16-le", "replace"), end

