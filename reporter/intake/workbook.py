"""Read any workbook a clerk meets into plain grids of cell values.

python-calamine does the reading (xlsx, xlsm, xls, xlsb, ods, WPS .et) — about 8× faster than openpyxl
and it never runs macros. The reader is chosen by the file's first bytes, not its name: clerks rename files
(a real .xls saved as 'x.xlsx', a CSV renamed .xlsx), and systems export HTML tables under the name .xls.
CSV files are read by textfile.py. Before a reader allocates anything, the file's cells and inflated bytes
are counted (extent.py) against the memory budget. Calamine returns '' for a formula without a cached value and for an error
cell; `blind_cells` finds those from the sheet XML so they become findings instead of silently vanishing.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

from .. import memory
from ..memory import OverBudget, too_large, too_many_cells
from ..model.findings import cell_ref
from .extent import XlsFacts, inflated, ods_cells, ods_encrypted, read_member, xlsb_cells
from .rezip import replaced
from .sheet_parts import special_sheets, without_sheets
from .textfile import read_text
from .unreadable import SAVE_AS, UnreadableFile, explain

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, and an .xlsx saved with a password (an OLE container)
ZIPS = (b"PK\x03\x04", b"PK\x05\x06")  # .xlsx, .xlsm, .xlsb, .ods (an empty zip starts with its end record)
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream name of an encrypted OOXML file
# A sheet whose <dimension> spans more cells than this has its cells looked at before calamine reads it:
# calamine allocates a grid from A1 to the farthest cell with a value, so a space typed in XFD1048576 asks
# for 17 billion cells. Blank cells far from the content are dropped; content itself spanning more than
# the budget's cells (memory.BUDGET) is refused with a message naming the far cell.
CHECK_CELLS = 1_000_000
# Sheets of up to this many bytes of XML (together, ~40,000 rows of 20 columns) are handed to calamine with
# their merged cells first (_merges_first), in a copy whose rewritten sheets are stored uncompressed: the copy,
# and python-calamine's own copies of it (read_to_end, then one per format it tries), cost memory in
# proportion, so a larger workbook is read as it is, more slowly.
MERGES_FIRST_BYTES = 16 << 20


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1) inclusive
    blind: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → 'formula' / 'error:#REF!'
    hidden: bool = False  # hidden or 'very hidden' in the workbook (calamine's sheets_metadata)
    error: str | None = None  # why this sheet alone could not be read (a chart or macro sheet, a damaged part)

    def cell(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def read_workbook(path: str | Path, data: bytes | None = None) -> list[Sheet]:
    """All sheets of a workbook (or the single sheet of a CSV), values as Python objects. The name's suffix
    says whether the file is a table at all; its first bytes say how to read it. A sheet that cannot be
    read costs only itself (its `error` says why); a file beyond the memory budget is refused before it
    is read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES and suffix not in CSV_SUFFIXES and suffix != ".et":
        raise UnreadableFile(f"不支持的文件类型“{path.name}”。请另存为 .xlsx（Excel 工作簿）后再报送。")
    try:
        if data is None:
            if path.stat().st_size > memory.BUDGET.inflated:
                raise too_large(path.name, path.stat().st_size, inflated=False)
            data = path.read_bytes()
        elif len(data) > memory.BUDGET.inflated:
            raise too_large(path.name, len(data), inflated=False)
        head = data[:8]
        if head == OLE:
            sheets = _read_ole(path, data)
        elif head[:4] in ZIPS:
            sheets = _read_zip(path, data)
        else:
            return [Sheet(path.stem, read_text(path, data))]
    except UnreadableFile:
        raise
    except OverBudget as exc:
        raise UnreadableFile(str(exc)) from exc
    except Exception as exc:  # calamine raises several unrelated types on damaged files
        raise UnreadableFile(_unreadable(path, exc)) from exc
    except BaseException as exc:  # a panic in the Rust reader: pyo3's PanicException is no Exception
        if type(exc).__name__ != "PanicException":
            raise
        raise UnreadableFile(_unreadable(path, exc)) from exc
    if sheets and all(sheet.error for sheet in sheets):
        raise UnreadableFile(f"无法读取文件“{path.name}”：{sheets[0].error}")
    return sheets


def _unreadable(path: Path, exc: BaseException) -> str:
    return f"无法读取文件“{path.name}”：{explain(exc)}。{SAVE_AS}"


def _locked(path: Path) -> UnreadableFile:
    return UnreadableFile(f"文件“{path.name}”设有打开密码，无法读取。请取消密码后重报"
                          "（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码后保存）。")


def _check_cells(path: Path, cells: dict[str, int] | list[int]) -> None:
    """Refuse a workbook whose sheets' grids together pass the budget, before a reader builds them."""
    counts = list(cells.values()) if isinstance(cells, dict) else cells
    if sum(counts) > memory.BUDGET.cells:
        raise too_many_cells(path.name, sum(counts))


def _read_ole(path: Path, data: bytes) -> list[Sheet]:
    """.xls / .et, whatever the name says; an OLE container that is not one is most often an .xlsx with an
    打开密码 (Excel and WPS keep the encrypted workbook in an 'EncryptedPackage' stream). A .xls with a
    password has a FILEPASS record before its sheets."""
    if ENCRYPTED_PACKAGE in data:
        raise _locked(path)
    facts = XlsFacts(data)
    if facts.encrypted:
        raise _locked(path)
    _check_cells(path, facts.cells)
    try:
        return _read_excel(path, data, {}, {})
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if type(exc).__name__ == "PasswordError":
            raise _locked(path) from exc
        raise


def _read_zip(path: Path, data: bytes) -> list[Sheet]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"文件“{path.name}”不完整或已损坏（可能没有下载完整），无法读取。{SAVE_AS}") from exc
    with zf:
        parts = zf.NameToInfo
        # an .xlsx's worksheets are inflated once, by _xml_marks (read_member checks them as inflated does)
        worksheets = {n for n in parts if n.startswith("xl/worksheets/") and n.endswith(".xml")
                      } if "xl/workbook.xml" in parts else set()
        inflated(zf, path.name, later=worksheets)
        blind: dict[str, dict[tuple[int, int], str]] = {}
        percent: dict[str, set[tuple[int, int]]] = {}
        if "content.xml" in parts or "META-INF/manifest.xml" in parts:
            if ods_encrypted(zf):
                raise _locked(path)
            if "content.xml" in parts:
                _check_cells(path, ods_cells(zf.read("content.xml")))
        if "xl/workbook.bin" in parts:
            _check_cells(path, xlsb_cells(zf))
        if "xl/workbook.xml" in parts:
            blind, percent, rewritten = _xml_marks(zf, path.name, worksheets)
            if rewritten:
                data = replaced(data, zf, rewritten)
        try:
            return _read_excel(path, data, blind, percent)
        except Exception as exc:
            if not ("xl/workbook.xml" in parts or "xl/workbook.bin" in parts or "content.xml" in parts):
                raise UnreadableFile(f"文件“{path.name}”不是 Excel 工作簿（可能是改了扩展名的压缩包或 Word 文档），"
                                     f"无法读取。{SAVE_AS}") from exc
            special = special_sheets(zf)
            if not special:
                raise
        # a chart, macro or dialog sheet the reader refused the whole workbook for: read it without them
        sheets = _read_excel(path, without_sheets(data, set(special)), blind, percent)
        return sheets + [Sheet(name, [], error=f"该工作表是{kind}，没有可读取的表格") for name, kind in special.items()]


def _read_excel(path: Path, data: bytes, blind: dict[str, dict[tuple[int, int], str]],
                percent: dict[str, set[tuple[int, int]]]) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    book = CalamineWorkbook.from_object(io.BytesIO(data))  # calamine detects the format from the bytes
    hidden = {m.name for m in book.sheets_metadata
              if m.visible in (SheetVisibleEnum.Hidden, SheetVisibleEnum.VeryHidden)}
    sheets = []
    cells = 0
    for name in book.sheet_names:
        try:
            ws = book.get_sheet_by_name(name)
            rows = ws.to_python(skip_empty_area=False)  # a new list of new lists: no copy needed
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        except Exception as exc:  # a chart sheet, a macro sheet, a damaged part: only this sheet is lost
            sheets.append(Sheet(name, [], hidden=name in hidden, error=f"{explain(exc)}，未读取"))
            continue
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
            sheets.append(Sheet(name, [], hidden=name in hidden, error=f"{explain(exc)}，未读取"))
            continue
        cells += len(rows) * max(map(len, rows), default=0)  # what was read: the formats' counts are a bound
        if cells > memory.BUDGET.cells:
            raise too_many_cells(path.name, cells)
        blind_cells = blind.get(name, {})
        if blind_cells:
            _cover(rows, blind_cells)
        if name in percent:
            _as_percent(rows, percent[name])
        sheets.append(Sheet(name, rows, merged, blind_cells, name in hidden))
    return sheets


def _as_percent(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """A number in a cell formatted as a percentage is what the clerk sees: 0.96 shows as 96%, so it is read
    as the text '96%' (a 完成率 of 96, not of 0.96)."""
    for r, c in cells:
        if r < len(rows) and c < len(rows[r]):
            value = rows[r][c]
            if value.__class__ in (float, int):
                rows[r][c] = f"{value * 100:.10g}%"


def _cover(rows: list[list[Any]], blind: dict[tuple[int, int], str]) -> None:
    """Calamine's grid ends at the last cell with a value, so a formula without a cached value below or to
    the right of it would not be in the grid at all: widen and lengthen it with empty cells to reach it."""
    width = max(max(c for _, c in blind) + 1, max(map(len, rows), default=0))
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    rows.extend([""] * width for _ in range(max(r for r, _ in blind) + 1 - len(rows)))


_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
# each reference's row, and its column: searched for from their literal start (r="), as _FAR is, which a
# leading \b would forbid (twice as slow)
_REF_ROW = re.compile(rb'r="[A-Z]+(\d+)"')
_REF_COLUMN = re.compile(rb'r="([A-Z]+)\d')
_TYPE = re.compile(rb'\bt="(\w+)"')
# Excel, WPS and most libraries write the sheet's elements unprefixed (<c>, <f>, <v>); some .NET tools
# write them with a prefix for the same namespace (<x:c>, <x:f>): the prefix is read from the root element.
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> tuple[re.Pattern, re.Pattern, bytes]:
    """The cell and value patterns, and the formula tag, of a sheet whose elements carry `prefix`."""
    p = re.escape(prefix)
    return (re.compile(rb"<%sc\b([^>]*?)(/>|>(.*?)</%sc>)" % (p, p), re.S),
            re.compile(rb"<%sv>(.*?)</%sv>" % (p, p), re.S), b"<" + prefix + b"f")


def _xml_marks(zf: zipfile.ZipFile, file_name: str, worksheets: set[str]) -> tuple[
        dict[str, dict[tuple[int, int], str]], dict[str, set[tuple[int, int]]], dict[str, bytes]]:
    """What a reader's values do not show, read from the XML, by sheet: blind cells (formulas with no cached
    value, error values: (row, col) → 'formula' / 'error:#REF!') and cells formatted as percentages; and the
    sheets (member → XML) rewritten for calamine to read instead: trimmed of blank cells far from their
    content, their merged cells put first (_merges_first).
    `worksheets`: the members inflate() left to this pass, each inflated and checked here (read_member)."""
    blind: dict[str, dict[tuple[int, int], str]] = {}
    percent: dict[str, set[tuple[int, int]]] = {}
    rewritten: dict[str, bytes] = {}
    styles = _percent_styles(zf)
    blank_strings: list[list[bool]] = []  # the shared strings' blankness, read once if a sheet needs it
    cells = first_bytes = 0
    listed = _sheet_files(zf)
    for member in worksheets - set(listed.values()):  # a worksheet no sheet names: checked all the same
        read_member(zf, zf.getinfo(member), file_name)
    for sheet_name, member in listed.items():
        xml = read_member(zf, zf.getinfo(member), file_name) if member in worksheets else zf.read(member)
        root = _ROOT.search(xml, 0, 4096)
        prefix = root.group(1) + b":" if root and root.group(1) else b""
        extent = _extent(xml, prefix)
        if extent > CHECK_CELLS:
            if not blank_strings:
                blank_strings.append(_blank_strings(zf))
            rows, cols = corner = _corner(xml)
            if rows * cols <= memory.BUDGET.cells and _filled_to_corner(xml, prefix, corner, blank_strings[0]):
                extent = rows * cols  # content to its last row and column: nothing to trim
            else:
                xml, extent = _trim(xml, prefix, blank_strings[0], file_name, sheet_name)
                rewritten[member] = xml
        cells += extent
        if cells > memory.BUDGET.cells:
            raise too_many_cells(file_name, cells)
        if _may_be_blind(xml, prefix):
            found = _blind_in(xml, prefix)
            if found:
                blind[sheet_name] = found
        if styles:
            found_pct = _styled(xml, prefix, styles)
            if found_pct:
                percent[sheet_name] = found_pct
        if member in worksheets and first_bytes + len(xml) <= MERGES_FIRST_BYTES:
            first = _merges_first(xml, prefix)
            if first is not None:
                rewritten[member] = first
                first_bytes += len(first)
    return blind, percent, rewritten


def _merges_first(xml: bytes, prefix: bytes) -> bytes | None:
    """The sheet with a copy of its <mergeCells> (an empty one when it has none) just before <sheetData>; None
    when there is nothing to gain or the layout is unusual. python-calamine reads a sheet's merged cells by
    parsing the sheet again from its start up to the first <mergeCells>, which Excel writes after all the
    cells: a second pass over the whole sheet (1.3 ms of the 4.4 ms a 500-row sheet takes to read). Found
    first, it ends there. calamine reads the cells from <sheetData> and passes over what comes before it."""
    start = xml.find(b"<" + prefix + b"sheetData")
    data_end = xml.rfind(b"</" + prefix + b"sheetData>")
    if start == -1 or data_end < start:  # no cells (<sheetData/>): a pass over nothing
        return None
    tag, closing = b"<" + prefix + b"mergeCells", b"</" + prefix + b"mergeCells>"
    at = xml.find(tag, data_end)  # the first one after the cells: the one calamine would find
    if at != -1 and xml[at + len(tag):at + len(tag) + 1] not in b" \t\r\n>/":
        return None  # not the element itself (a longer name): leave the sheet as it is
    head_end = xml.find(b">", at) if at != -1 else -1
    if at == -1 or xml[head_end - 1:head_end] == b"/":  # none, or an empty <mergeCells/>: no merged cells
        block = tag + b">" + closing
    else:
        end = xml.find(closing, head_end)
        if end == -1:
            return None
        block = xml[at:end + len(closing)]
    return b"".join((xml[:start], block, xml[start:]))


# A cell reference beyond column CX or row 999: only then may a sheet's cells lie beyond what its <dimension>
# declares by enough to matter (a file may declare A1:B2 and hold XFD1048576); a search with a literal start.
_FAR = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{1,2}\d{4})')
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="(?:[A-Z]*\d*:)?([A-Z]+)(\d+)"')


def _extent(xml: bytes, prefix: bytes) -> int:
    """How many cells the grid from A1 to the sheet's farthest cell holds, from <dimension ref="A1:G40"> at
    the top of the sheet (Excel, WPS, openpyxl and xlsxwriter write it): a look at its first bytes. Without
    it, from every cell's reference (a pass over the sheet, for the rare writer that leaves it out)."""
    m = _DIMENSION.search(xml, 0, 4096)
    declared = int(m.group(2)) * (_col_index(m.group(1).decode()) + 1) if m else 0
    if not _FAR.search(xml):  # every cell within CX999 (≤ 701k cells): <dimension> is as good as any count
        return declared
    rows, cols = _corner(xml)
    return max(declared, rows * cols)


def _corner(xml: bytes) -> tuple[int, int]:
    """The farthest row and column of any cell reference (1-based), counted in C (findall, set, max): a
    Python loop over each of a 20,000-row sheet's 260,000 cells took 0.25 s (now 0.08 s), half of reading it."""
    rows = max(map(int, _REF_ROW.findall(xml)), default=0)
    letters = max(set(_REF_COLUMN.findall(xml)), key=lambda col: (len(col), col), default=b"")
    return rows, _col_index(letters.decode()) + 1 if letters else 0


def _filled_to_corner(xml: bytes, prefix: bytes, corner: tuple[int, int], blank_strings: list[bool]) -> bool:
    """Whether the sheet's last row and its last column each hold a cell with content: then no blank cell lies
    beyond the content, and _trim would give the sheet back as it is. A table of 60,000 rows of 20 columns
    passes CHECK_CELLS with every cell its own; trimming it cell by cell took 3 s."""
    cell_pattern, value_pattern, formula = _patterns(prefix)
    rows, cols = corner
    opening = b"<" + prefix + b"c"
    for ref in (rb'r="[A-Z]+%d"' % rows, rb'r="%s\d+"' % cell_ref(0, cols - 1)[:-1].encode()):
        for m in re.finditer(ref, xml):
            cell = cell_pattern.match(xml, xml.rfind(opening, 0, m.start()))  # the cell this reference is in
            if cell and not _blank(cell.group(1), cell.group(3) or b"", value_pattern, formula, blank_strings):
                break
        else:
            return False
    return True


def _trim(xml: bytes, prefix: bytes, blank_strings: list[bool], file_name: str,
          sheet_name: str) -> tuple[bytes, int]:
    """The sheet without its blank cells (no value, or only spaces) beyond the last row and column of its
    content: a space typed in XFD1048576 is what makes a sheet's extent absurd. Content itself that far away
    is refused, naming the farthest cell, rather than read into a grid of billions of cells. Returns the XML
and the cells of the grid left."""
    cell_pattern, value_pattern, formula = _patterns(prefix)
    blanks = []
    rows = cols = 0
    far = (0, "")
    for m in cell_pattern.finditer(xml):
        attrs, body = m.group(1), m.group(3) or b""
        ref = _REF.search(attrs)
        if not ref:
            continue
        r, c = int(ref.group(2)), _col_index(ref.group(1).decode()) + 1
        if _blank(attrs, body, value_pattern, formula, blank_strings):
            blanks.append((m.start(), m.end(), r, c))
            continue
        rows, cols = max(rows, r), max(cols, c)
        if r * c > far[0]:
            far = (r * c, ref.group(1).decode() + ref.group(2).decode())
    if rows * cols > memory.BUDGET.cells:
        raise UnreadableFile(f"文件“{file_name}”的工作表“{sheet_name}”在 {far[1]} 等远离表格的位置有内容，"
                             "无法读取。请删除多余的行和列后重报。")
    pieces, at = [], 0
    for start, end, r, c in blanks:
        if r > rows or c > cols:
            pieces.append(xml[at:start])
            at = end
    pieces.append(xml[at:])
    return b"".join(pieces), rows * cols


_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>(.*?)</(?:[\w.-]+:)?t>", re.S)
_PHONETIC = re.compile(rb"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)
_SHARED = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)


def _blank(attrs: bytes, body: bytes, value_pattern: re.Pattern, formula: bytes, blank_strings: list[bool]) -> bool:
    """Whether a cell shows nothing: no value (only a style), or a text of spaces. A formula is content."""
    if formula in body:
        return False
    ctype = _TYPE.search(attrs)
    kind = ctype.group(1) if ctype else b"n"
    if kind == b"inlineStr":
        return not _plain(body).strip()
    value = value_pattern.search(body)
    if value is None:
        return True
    if kind == b"s":
        index = int(value.group(1)) if value.group(1).strip().isdigit() else -1
        return 0 <= index < len(blank_strings) and blank_strings[index]
    return not unescape(value.group(1).decode("utf-8", "replace")).strip()


def _plain(xml: bytes) -> str:
    """The text of a rich or plain string item (<si>, <is>), without its phonetic guide (<rPh>)."""
    return unescape(b"".join(_TEXT.findall(_PHONETIC.sub(b"", xml))).decode("utf-8", "replace"))


def _blank_strings(zf: zipfile.ZipFile) -> list[bool]:
    """For each shared string, whether it is blank (empty or spaces, full-width ones included)."""
    try:
        xml = zf.read(_shared_strings_member(zf))
    except KeyError:
        return []
    return [not _plain(m.group(1) or b"").strip() for m in _SHARED.finditer(xml)]


def _shared_strings_member(zf: zipfile.ZipFile) -> str:
    rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.NameToInfo else b""
    m = re.search(rb'Target="([^"]*sharedStrings[^"]*)"', rels)
    if not m:
        return "xl/sharedStrings.xml"
    target = m.group(1).decode()
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _blind_in(xml: bytes, prefix: bytes) -> dict[tuple[int, int], str]:
    cell_pattern, value_pattern, formula = _patterns(prefix)
    found = {}
    for m in cell_pattern.finditer(xml):
        attrs, body = m.group(1), m.group(3) or b""
        ref = _REF.search(attrs)
        if not ref:
            continue
        ctype = _TYPE.search(attrs)
        value = value_pattern.search(body)
        if ctype and ctype.group(1) == b"e":
            kind = "error:" + (value.group(1).decode() if value else "")
        elif formula in body and (not value or value.group(1).strip() == b""):
            kind = "formula"
        else:
            continue
        found[(int(ref.group(2)) - 1, _col_index(ref.group(1).decode()))] = kind
    return found


_CELL_XFS = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:[\w.-]+:)?xf\b([^>]*?)/?>")
_FMT_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_NUM_FMT = re.compile(rb"<(?:[\w.-]+:)?numFmt\b([^>]*?)/?>")
_FMT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
_QUOTED = re.compile(rb'&quot;.*?&quot;|"[^"]*"|\\.')
PERCENT_FORMATS = {9, 10}  # the built-in 0% and 0.00%


def _percent_styles(zf: zipfile.ZipFile) -> set[bytes]:
    """The style indexes (a cell's s="…") whose number format shows a percentage."""
    try:
        xml = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    formats = set(PERCENT_FORMATS)
    for m in _NUM_FMT.finditer(xml):
        fmt_id, code = _FMT_ID.search(m.group(1)), _FMT_CODE.search(m.group(1))
        if fmt_id and code and b"%" in _QUOTED.sub(b"", code.group(1)):
            formats.add(int(fmt_id.group(1)))
    xfs = _CELL_XFS.search(xml)
    if not xfs:
        return set()
    styles = set()
    for i, m in enumerate(_XF.finditer(xfs.group(1))):
        fmt_id = _FMT_ID.search(m.group(1))
        if fmt_id and int(fmt_id.group(1)) in formats:
            styles.add(str(i).encode())
    return styles


def _styled(xml: bytes, prefix: bytes, styles: set[bytes]) -> set[tuple[int, int]]:
    """(row, col) of each cell whose style is one of `styles`."""
    pattern = re.compile(rb"<%sc\b([^>]*?\bs=\"(?:%s)\"[^>]*)>" % (re.escape(prefix), b"|".join(sorted(styles))))
    found = set()
    for m in pattern.finditer(xml):
        ref = _REF.search(m.group(1))
        if ref:
            found.add((int(ref.group(2)) - 1, _col_index(ref.group(1).decode())))
    return found


def _may_be_blind(xml: bytes, prefix: bytes = b"") -> bool:
    """Whether a sheet may hold a formula (<f>) or an error cell (t="e"), which only cells in <sheetData>
    can. Searching for '<f' costs a scan of the whole sheet ('<' is everywhere in XML: ~0.2 ms for 500 rows,
    as much as unzipping it); but inside <sheetData>, cells whose texts are shared strings (as Excel, WPS and
    xlsxwriter write them) hold no lowercase 'f' unless there is a formula, and often no 'e' unless there
    is an error, so a one-byte search (memchr) settles most sheets and the full search runs only after it.
    (With a prefix, its own letters may be an 'f' or an 'e': then the full search runs.)"""
    formula = b"<" + prefix + b"f"
    start, end = xml.find(b"<" + prefix + b"sheetData"), xml.rfind(b"</" + prefix + b"sheetData>")
    if start == -1 or end < start:  # no cells, or an unusual layout: search all of it
        return formula in xml or b't="e"' in xml
    return ((xml.find(b"f", start + 10, end) != -1 and xml.find(formula, start + 10, end) != -1)
            or (xml.find(b"e", start + 10, end) != -1 and xml.find(b't="e"', start + 10, end) != -1))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _sheet_files(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → XML member, from workbook.xml and its relationships."""
    wb = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {m.group(1).decode(): m.group(2).decode()
               for m in re.finditer(rb'<(?:[\w.-]+:)?Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2).decode(): m.group(1).decode()
                    for m in re.finditer(rb'<(?:[\w.-]+:)?Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet\b([^>]*)/?>", wb):  # <sheet>, or <x:sheet> (see _ROOT)
        attrs = m.group(1)
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]+)"', attrs) or re.search(rb'\bid="([^"]+)"', attrs)
        if not (name and rid):
            continue
        target = targets.get(rid.group(1).decode(), "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[unescape(name.group(1).decode())] = member
    return out
