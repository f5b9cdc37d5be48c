"""Hostile files made by hand, byte by byte where no library writes them: an .ods repeating one cell millions
of times, an .xlsb with values in far corners, a .xls whose cell records lie far away or that declares a
password, an .xlsx holding an Excel 4.0 macro sheet, zips inflating beyond what they declare. Shared by
the tests and bench/bench_memory.py."""
from __future__ import annotations

import io
import re
import struct
import zipfile

import olefile
from openpyxl import Workbook

ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def ods(rows_xml: str, name: str = "进展填报", encrypted: bool = False) -> bytes:
    """An .ods whose one sheet holds `rows_xml` (<table:table-row> elements)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="{name}">{rows_xml}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    secret = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
              '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/>'
              '</manifest:encryption-data>') if encrypted else ""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{secret}'
                '</manifest:file-entry></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def ods_cell(text: str, repeat: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
            f"<text:p>{text}</text:p></table:table-cell>")


def ods_row(cells: str, repeat: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>'


def _record(rtype: int, body: bytes = b"") -> bytes:
    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            byte, n = n & 0x7F, n >> 7
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)
    return varint(rtype) + varint(len(body)) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb(cells: dict[tuple[int, int], float], name: str = "进展填报") -> bytes:
    """A one-sheet .xlsb holding numbers at (row, col), records as Excel writes them."""
    book = (_record(0x83) + _record(0x8F) + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(name))
            + _record(0x90) + _record(0x84))
    rows, cols = [r for r, _ in cells] or [0], [c for _, c in cells] or [0]
    sheet = _record(0x81) + _record(0x94, struct.pack("<IIII", min(rows), max(rows), min(cols), max(cols)))
    sheet += _record(0x91)
    for r in sorted(set(rows)):
        sheet += _record(0x00, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 0))
        for (row, col), value in sorted(cells.items()):
            if row == r:
                sheet += _record(0x05, struct.pack("<I", col) + b"\0\0\0\0" + struct.pack("<d", value))
    sheet += _record(0x92) + _record(0x82)
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    main = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
                    f'<Default Extension="bin" ContentType="{main}"/><Default Extension="rels" '
                    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    f'<Override PartName="/xl/workbook.bin" ContentType="{main}"/><Override '
                    'PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
                    f'Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>')
        zf.writestr("xl/_rels/workbook.bin.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship '
                    f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/></Relationships>')
        zf.writestr("xl/workbook.bin", book)
        zf.writestr("xl/worksheets/sheet1.bin", sheet)
    return out.getvalue()


def with_macro_sheet(rows: list[list], macro_name: str = "宏1") -> bytes:
    """An .xlsx (written by openpyxl) whose second sheet is turned into an Excel 4.0 macro sheet."""
    wb = Workbook()
    wb.active.title = "进展填报"
    for row in rows:
        wb.active.append(row)
    wb.create_sheet(macro_name).append(["=HALT()"])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(buf), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            name, data = info.filename, src.read(info)
            if name == "xl/worksheets/sheet2.xml":
                name = "xl/macrosheets/sheet2.xml"
                data = data.replace(b"<worksheet", b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/'
                                                   b'office/excel/2006/main"').replace(b"</worksheet>", b"</xm:macrosheet>")
            elif name == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb'/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"',
                              b'/relationships/xlMacrosheet" Target="/xl/macrosheets/sheet2.xml"', data)
            elif name == "[Content_Types].xml":
                data = re.sub(rb'PartName="/xl/worksheets/sheet2.xml" ContentType="[^"]*"',
                              b'PartName="/xl/macrosheets/sheet2.xml" ContentType="application/vnd.ms-excel.'
                              b'macrosheet+xml"', data)
            zf.writestr(name, data)
    return out.getvalue()


def xls_patched(xls: bytes, far: tuple[int, int] | None = None, password: bool = False) -> bytes:
    """A real .xls with its first sheet's first cell record moved to row, col `far`, or with its
    WRITEACCESS record turned into FILEPASS (what Excel writes before the sheets of a protected file)."""
    buffer = io.BytesIO(xls)
    ole = olefile.OleFileIO(buffer, write_mode=True)
    stream = bytearray(ole.openstream("Workbook").read())
    at, bofs = 0, 0
    while at + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, at)
        bofs += rtype == 0x0809
        if password and rtype == 0x005C:
            struct.pack_into("<H", stream, at, 0x002F)
            break
        if far and bofs >= 2 and rtype in (0x00FD, 0x0203, 0x027E, 0x0204):
            struct.pack_into("<HH", stream, at + 4, *far)
            break
        at += 4 + size
    else:
        raise AssertionError("no record to patch")
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return buffer.getvalue()


def lying_zip(name: str, declared: bytes, real: bytes) -> bytes:
    """A zip whose member `name` declares the size and checksum of `declared` but inflates to `real`."""
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, real)
    honest = plain.getvalue()
    info = zipfile.ZipFile(io.BytesIO(honest)).getinfo(name)
    crc, size = zipfile.crc32(declared), len(declared)
    data = bytearray(honest)
    struct.pack_into("<I", data, info.header_offset + 14, crc)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = honest.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)
