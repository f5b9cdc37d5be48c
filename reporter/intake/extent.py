"""How much a file will cost to read, found from its bytes before any reader allocates it.

A reader builds a grid from A1 to the farthest cell a sheet holds, and a zip member is inflated to whatever
size its compressed bytes make: a 1 KB .ods repeating one cell 95 million times, a .xlsb with a value in
XFD1048576 or a 2 MB zip member inflating to 2 GiB would each take gigabytes. Here each format's cells are
counted from its own records (the .xls BIFF records, the .xlsb binary records, the .ods content XML with
its repeat counts) and zip members are inflated in pieces, counted as they come, so a file beyond the
budget (reporter.memory.BUDGET) is refused while it is still small.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from typing import Collection, Iterator

from .. import memory
from ..memory import too_large

CHUNK = 1 << 20


# -- zip members -------------------------------------------------------------------------------------------
def inflated(zf: zipfile.ZipFile, name: str, later: Collection[str] = ()) -> int:
    """The bytes all of a zip's members inflate to, checked against the budget: first their declared sizes,
    then, piece by piece while inflating, the sizes they really inflate to (a member may declare 1 KB and
    inflate to gigabytes, which a reader other than Python's zipfile would follow). The members in `later`
    the caller reads itself with read_member, which checks them the same way: each is inflated once."""
    limit = memory.BUDGET.inflated
    infos = [info for info in zf.infolist() if not info.is_dir() and not info.flag_bits & 0x1]
    declared = sum(info.file_size for info in infos)
    if declared > limit:
        raise too_large(name, declared)
    for info in infos:
        if info.filename in later:
            continue
        size = 0
        for piece in _pieces(zf, info):
            size += len(piece)
            if size > info.file_size:
                raise _lying(info)
    return declared


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes: refused (OverBudget) when it declares more than the budget, and (BadZipFile) as soon
    as it inflates beyond what it declares or does not match its checksum."""
    if info.file_size > memory.BUDGET.inflated:
        raise too_large(name, info.file_size)
    pieces, size, crc = [], 0, 0
    for piece in _pieces(zf, info):
        size += len(piece)
        if size > info.file_size:
            raise _lying(info)
        crc = zlib.crc32(piece, crc)
        pieces.append(piece)
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"member {info.filename} does not match its checksum")
    return b"".join(pieces)


def _lying(info: zipfile.ZipInfo) -> zipfile.BadZipFile:
    return zipfile.BadZipFile(f"member {info.filename} inflates beyond its declared size")


def _pieces(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's inflated bytes in pieces of at most CHUNK. Stored and deflated members (nearly all) are
    inflated here from their compressed bytes, without stopping at the declared size; others through
    zipfile (which stops there)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with zf.open(info) as f:
            while piece := f.read(CHUNK):
                yield piece
        return
    fp = zf.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left = info.compress_size
    while left > 0:
        raw = fp.read(min(left, 1 << 16))
        if not raw:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        left -= len(raw)
        if inflate is None:
            yield raw
            continue
        while raw:
            piece = inflate.decompress(raw, CHUNK)
            raw = inflate.unconsumed_tail
            if piece:
                yield piece
    if inflate is not None and (rest := inflate.flush()):
        yield rest


# -- .ods ----------------------------------------------------------------------------------------------------
_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb'\bname="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')
_VALUE_TYPE = re.compile(rb'value-type="')


def ods_cells(content: bytes) -> dict[str, int]:
    """Sheet name → cells of its grid, from content.xml: rows and cells repeated by number-rows-repeated /
    number-columns-repeated count as many times, up to the farthest cell with a value (an empty cell
    repeated to the sheet's end, as LibreOffice writes the unused columns, costs a reader nothing)."""
    sheets: dict[str, int] = {}
    name, row, col, far_row, far_col, content_in_row = "", 0, 0, 0, 0, False
    repeat = 1
    for m in _ODS_TAG.finditer(content):
        closing, tag, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table":
            if not closing:
                found = _ODS_NAME.search(attrs)
                name = found.group(1).decode("utf-8", "replace") if found else f"Sheet{len(sheets) + 1}"
                row = far_row = far_col = 0
            if closing or empty:
                sheets[name] = sheets.get(name, 0) + far_row * far_col
        elif tag == b"table-row":
            if not closing:
                found = _ROWS_REPEATED.search(attrs)
                repeat, col, content_in_row = int(found.group(1)) if found else 1, 0, False
            if closing or empty:
                if content_in_row:
                    far_row = row + repeat
                row += repeat
        elif not closing:  # a cell: it has a value when it has a type or a body
            found = _COLS_REPEATED.search(attrs)
            span = int(found.group(1)) if found else 1
            if not empty or _VALUE_TYPE.search(attrs):
                far_col, content_in_row = max(far_col, col + span), True
            col += span
    return sheets


def ods_encrypted(zf: zipfile.ZipFile) -> bool:
    """Whether an OpenDocument file is saved with a password (its manifest lists encryption data)."""
    try:
        manifest = zf.read("META-INF/manifest.xml") if zf.getinfo("META-INF/manifest.xml").file_size < CHUNK else b""
    except KeyError:
        return False
    return b"encryption-data" in manifest


# -- .xlsb ---------------------------------------------------------------------------------------------------
_XLSB_SHEET = re.compile(r"^xl/(?:worksheets|macrosheets|dialogsheets)/[^/]+\.bin$")
_BRT_ROW = 0x0000
_BRT_CELLS = range(0x0001, 0x000C)  # BrtCellBlank … BrtFmlaError: each starts with its column


def xlsb_cells(zf: zipfile.ZipFile) -> dict[str, int]:
    """Member → cells of its grid (A1 to the farthest row and column with a cell record) for each sheet of a
    .xlsb, walking its records (a variable-length type and size before each)."""
    out = {}
    for info in zf.infolist():
        if _XLSB_SHEET.match(info.filename):
            out[info.filename] = _xlsb_extent(zf.read(info))
    return out


def _xlsb_extent(data: bytes) -> int:
    at, end, row, far_row, far_col = 0, len(data), 0, 0, 0
    while at < end:
        rtype, at = varint(data, at, 2)
        size, at = varint(data, at, 4)
        if rtype == _BRT_ROW and size >= 4:
            row = struct.unpack_from("<I", data, at)[0]
        elif rtype in _BRT_CELLS and size >= 4:
            far_row = max(far_row, row + 1)
            far_col = max(far_col, struct.unpack_from("<I", data, at)[0] + 1)
        at += size
    return far_row * far_col


def varint(data: bytes, at: int, most: int) -> tuple[int, int]:
    value = shift = 0
    for _ in range(most):
        if at >= len(data):
            return value, at
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at


# -- .xls ----------------------------------------------------------------------------------------------------
_BOF, _EOF, _FILEPASS = 0x0809, 0x000A, 0x002F
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x0201, 0x00D6, 0x0001, 0x0002, 0x0003,
                 0x0004, 0x0005}  # FORMULA LABELSST NUMBER RK LABEL BOOLERR BLANK RSTRING and BIFF2's
_MULTI_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: a row, a first column … a last column at the end


class XlsFacts:
    """What the workbook stream of a .xls says before it is read: whether it is encrypted, and the cells of
    each of its sheets' grids."""

    def __init__(self, data: bytes):
        self.encrypted = False
        self.cells: list[int] = []
        stream = _workbook_stream(data)
        if stream is not None:
            self._walk(stream)

    def _walk(self, stream: bytes) -> None:
        at, end, depth, far_row, far_col = 0, len(stream), 0, 0, 0
        while at + 4 <= end:
            rtype, size = struct.unpack_from("<HH", stream, at)
            body = at + 4
            if rtype == _BOF:
                depth, far_row, far_col = depth + 1, 0, 0
            elif rtype == _EOF:
                if depth > 0 and far_row:
                    self.cells.append(far_row * far_col)
                depth = max(0, depth - 1)
            elif rtype == _FILEPASS:
                self.encrypted = True
                return
            elif rtype in _CELL_RECORDS and size >= 4:
                row, col = struct.unpack_from("<HH", stream, body)
                far_row, far_col = max(far_row, row + 1), max(far_col, col + 1)
            elif rtype in _MULTI_RECORDS and size >= 6:
                row = struct.unpack_from("<H", stream, body)[0]
                last = struct.unpack_from("<H", stream, body + size - 2)[0]
                far_row, far_col = max(far_row, row + 1), max(far_col, min(last, 255) + 1)
            at = body + size


def _workbook_stream(data: bytes) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            for name in ("Workbook", "Book"):  # no larger than the file, whose size is checked before
                if ole.exists(name):
                    return ole.openstream(name).read()
    except Exception:  # not a readable OLE container: the reader says why
        return None
    return None
