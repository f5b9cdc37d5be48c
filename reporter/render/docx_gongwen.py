"""Render a `Document` to Word (.docx) laid out per GB/T 9704-2012 党政机关公文格式.

Page: A4, margins 37/28/26/35 mm (top/left/right/bottom) → 版心 156×225 mm. 3号仿宋 at an exact 28.95 pt
pitch gives 22 lines a page, and −0.25 pt character spacing 28 characters a line; widow control and grid
snapping are off on every paragraph (LibreOffice otherwise snaps lines to the document grid).

Fonts are named on every run (ascii, hAnsi and eastAsia) and theme fonts are removed from the styles, with
themeFontLang set to zh-CN: otherwise Word and LibreOffice fall back to a Japanese face. The font table
names a common alternative for each font (仿宋_GB2312 → 仿宋) for machines without the GB2312 faces.

Sections: the body; one per attachment (landscape ones rotated so the table head faces the binding edge);
the 版记 floated to the foot of the last content page when the PDF's layout found it even with room for it,
else on a final portrait page started on an even page, with blank footers. Page numbers '— N —' in
4号宋体: odd pages right, even pages left, one character in. The parts (geometry, fonts, styles, paragraphs,
runs, borders, footers) are in docx_parts.py.
"""
from __future__ import annotations

import datetime as dt
import io
import math
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from ..files import atomic_path
from .docx_parts import (CAPTION_GAP, CAPTION_LINE, CELL_MARGIN, ER, FS, HEADING_FONTS, HT, KT, PERIODICAL_MAX,
                          PITCH, RED, RED_RULE, RULE_LINE, SAN, SECTPR_ORDER, SI, TABLE_RULE, TBLPR_ORDER, TEXT_H,
                          TEXT_W, THICK_RULE, THIN_RULE, XBS, XIAO_SI, add_blank, add_border, add_para, add_run,
                          format_paragraph, new_section, no_grid, page_footers, page_setup, put_in_order,
                          section_width, setup_package, w_el)
from .document import Attachment, Block, Document, Figure, Heading, Paragraph, Periodical, Table, gongwen_date
from .layout import fit_columns, title_lines, width



def write_docx(doc: Document, path: str | Path, banji_alone: bool = True) -> Path:
    """Write `doc` as a GB/T 9704 公文 .docx at `path` (atomically) and return the path.

    `banji_alone`: the 版记 on a page of its own (the next even page); False puts it at the foot of the last
    content page — the PDF layout's decision (render/pdf_banji.py): Word paginates only when the file is
    opened, so the decision comes from WeasyPrint's layout of the same 22 × 28 grid and column widths."""
    word = deepcopy(_prepared())
    props = word.core_properties
    props.title, props.author, props.last_modified_by, props.language = doc.title, doc.issuer, doc.issuer, "zh-CN"
    _masthead(word, doc)
    _main_text(word, doc)
    for attachment in doc.attachments:
        _attachment(word, attachment, label=_attachment_label(doc, attachment))
    _colophon(word, doc, banji_alone)
    with atomic_path(path) as tmp:
        word.save(str(tmp))
    return Path(path)


@lru_cache(maxsize=1)
def _prepared():
    """An empty 公文: package, styles, first page and page-number footers. Built once per process and
    deep-copied per document — python-docx's template load and this setup took a third of a short notice's time."""
    word = docx.Document()
    setup_package(word)
    page_setup(word.sections[0], landscape=False)
    page_footers(word)
    return word


# ---- 版头 and 主体 ---------------------------------------------------------------------------------------------

def _masthead(word, doc: Document) -> None:
    """发文机关标志 35 mm below the 版心 top, red 小标宋 on one line; 发文字号 two lines below; red rule 4 mm under it."""
    if doc.periodical:
        return _periodical_masthead(word, doc.periodical)
    size = _masthead_size(doc.issuer)
    line = Pt(size * 1.25)
    issuer = add_para(word, [(doc.issuer, XBS, size, RED)], align=WD_ALIGN_PARAGRAPH.CENTER, line=line,
                   before=Emu(Mm(35) - (line - Pt(size))))
    if not doc.doc_number:  # the rule right under the 标志, as in the PDF: the pages break alike
        add_border(issuer, "bottom", RED_RULE, RED, space=max(0, round(4.86 - size * 0.125)))
        return
    add_blank(word, 2)
    number = add_para(word, [(doc.doc_number, FS, SAN)], align=WD_ALIGN_PARAGRAPH.CENTER)
    add_border(number, "bottom", RED_RULE, RED, space=6)  # 6 pt + the leading under the glyphs ≈ 4 mm


def _periodical_masthead(word, head: Periodical) -> None:
    """A periodical's 版头 at the top of the 版心: its name in red 小标宋 (at most 36 pt, one line), the issue
    centred below, then the editor flush left and the date flush right over a red rule."""
    size = min(PERIODICAL_MAX, math.floor(TEXT_W / 20 / max(width(head.name), 1) * 2) / 2)
    add_para(word, [(head.name, XBS, size, RED)], align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(size * 1.25))
    if head.issue:
        add_para(word, [(head.issue, FS, SAN)], align=WD_ALIGN_PARAGRAPH.CENTER)
    date = gongwen_date(head.date) if head.date else ""
    line = add_para(word, [(head.editor, FS, SAN), ("\t", FS, SAN), (date, FS, SAN)])
    line.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)
    add_border(line, "bottom", RED_RULE, RED, space=4)


def _masthead_size(issuer: str) -> float:
    """Up to 26 pt, smaller in half points until the name fits on one 156 mm line."""
    return min(26.0, math.floor(TEXT_W / 20 / max(width(issuer), 1) * 2) / 2)


def _main_text(word, doc: Document) -> None:
    add_blank(word, 1 if doc.periodical else 2)  # a periodical's title sits one line under its rule
    add_para(word, [(_title(doc.title, TEXT_W), XBS, ER)], align=WD_ALIGN_PARAGRAPH.CENTER)
    add_blank(word)
    if doc.addressee:
        add_para(word, [(doc.addressee, FS, SAN)])
    last = None
    for block in doc.body:
        last = _block(word, block, TEXT_W)
    if isinstance(last, DocxParagraph):
        last.paragraph_format.keep_with_next = True  # no page with a 落款 but no text (7.3.5.5)
    _attachment_note(word, doc)
    _signature(word, doc)
    if doc.note:  # 附注: the line below the date, two characters in
        add_para(word, [(doc.note, FS, SAN)], first=2 * SAN)


def _block(word, block: Block, width: int):
    """Add one body block; return its paragraph or table."""
    if isinstance(block, Heading):
        font = HEADING_FONTS.get(block.level, FS)
        return add_para(word, [(block.text, font, SAN)], first=2 * SAN, keep_next=True, outline=block.level - 1)
    if isinstance(block, Paragraph):
        runs = [(block.lead, _lead_font(block.lead), SAN)] if block.lead else []
        return add_para(word, runs + [(block.text, FS, SAN)], first=2 * SAN)
    if isinstance(block, Table):
        return _table(word, block, width)
    if isinstance(block, Figure):
        return _figure(word, block, width)
    raise TypeError(f"不支持的公文内容类型：{type(block).__name__}")


def _figure(word, figure: Figure, width: int):
    """The chart's PNG centred at its size (never wider than the 版心), its caption centred below in 4号黑体.
    The picture's paragraph has single spacing: an exact 28.95 pt line would crop it to one line."""
    p = add_para(word, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=bool(figure.caption))
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.add_run().add_picture(io.BytesIO(figure.png), width=min(Mm(figure.width), Twips(width)))
    if figure.caption:
        p = add_para(word, [(figure.caption, HT, SI)], align=WD_ALIGN_PARAGRAPH.CENTER, line=CAPTION_LINE,
                  before=CAPTION_GAP)
    return p


def _lead_font(lead: str) -> str:
    """A run-in heading takes the font of its numbering level: 一、 黑体, （1） and 1. 仿宋, else 楷体."""
    head = lead.lstrip()
    if head[:1] in "一二三四五六七八九十" and "、" in head[:4]:
        return HT
    if head[:1].isdigit() or (head[:1] in "（(" and head[1:2].isdigit()):
        return FS
    return KT


def _attachment_note(word, doc: Document) -> None:
    """附件说明: one line below the body, two characters in; long names wrap under the first character of the name."""
    lines = doc.attachment_lines()
    if not lines:
        return
    add_blank(word, keep_next=True)
    hang = width("附件：") + (1 if len(lines) > 1 else 0)  # '1.' is two half-width characters
    for text in lines:
        add_para(word, [(text, FS, SAN)], left=(2 + hang) * SAN, first=-hang * SAN, keep_next=True)


def _signature(word, doc: Document) -> None:
    """No seal (7.3.5.2): one blank line, 署名 two characters from the right, the date below it, its first
    character two characters right of the 署名's; a date longer than that keeps two characters from the right."""
    if not (doc.signature or doc.date):
        return
    date = gongwen_date(doc.date) if doc.date else ""
    name_w, date_w = width(doc.signature), width(date)
    date_right = max(name_w - date_w, 2) if doc.signature else 4  # a date alone: 右空四字 as under a seal
    name_right = date_right + date_w + 2 - name_w
    add_blank(word, keep_next=True)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if doc.signature:
        add_para(word, [(doc.signature, FS, SAN)], align=right, right=name_right * SAN, keep_next=bool(date))
    if date:
        add_para(word, [(date, FS, SAN)], align=right, right=date_right * SAN, keep_next=bool(doc.note))


# ---- attachments and tables -----------------------------------------------------------------------------------

def _attachment_label(doc: Document, attachment: Attachment) -> str:
    return "附件" if len(doc.attachments) == 1 else f"附件{attachment.number}"


def _attachment(word, attachment: Attachment, label: str) -> None:
    """A new section: '附件N' 3号黑体 top-left on line 1, the title 2号小标宋 centred on line 3, a blank line."""
    section = new_section(word, attachment.landscape)
    add_para(word, [(label, HT, SAN)], keep_next=True)
    add_blank(word)
    room = section_width(section)
    add_para(word, [(_title(attachment.title, room), XBS, ER)], align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    add_blank(word)
    for block in attachment.blocks:
        _block(word, block, room)


def _title(title: str, room: int) -> str:
    """The title broken between words in a balanced shape, lines joined by line breaks."""
    return "\n".join(title_lines(title, room / 20 / ER))


def _table(word, table: Table, room: int):
    """Fixed-layout table as wide as the 版心: 黑体 header repeated on each page, 仿宋 body, 0.5 pt lines.
    Column widths and the header's line breaks from the content (layout.fit_columns), as in the PDF."""
    formats = list(table.number_formats or [])
    formats += [None] * (len(table.headers) - len(formats))
    texts = [[_cell_text(v, f) for v, f in zip(values, formats)] for values in table.rows]
    columns = fit_columns(table.headers, texts, room / 20, _table_sizes(table), 2 * CELL_MARGIN / 20)
    size = columns.size
    tbl = word.add_table(rows=0, cols=len(table.headers))
    _table_props(tbl, room, _twips(columns.widths, room))
    blank = tbl.add_row()._tr  # an empty row with its cell widths, copied for every row: add_row() is slow
    tbl._tbl.remove(blank)
    centre = [WD_ALIGN_PARAGRAPH.CENTER] * len(table.headers)
    _row(tbl, blank, columns.headers, _cell_formats(HT, size, centre), {}, header=True)
    body = _cell_formats(FS, size, _column_aligns(table))
    fills: dict[int, dict[int, str]] = {}
    for (i, c), fill in table.colours.items():
        fills.setdefault(i, {})[c] = fill
    for r, row in enumerate(texts):
        _row(tbl, blank, row, body, fills.get(r, {}))
    return tbl


def _table_sizes(table: Table) -> tuple[float, ...]:
    """4号, or 小4号 past 30 rows; smaller (五号) only when a code or number would not fit its column."""
    return (XIAO_SI, 10.5) if len(table.rows) > 30 else (SI, XIAO_SI, 10.5)


def _twips(points: list[float], room: int) -> list[int]:
    widths = [int(w * 20) for w in points]
    widths[-1] += room - sum(widths)
    return widths


def _table_props(tbl, width: int, widths: list[int]) -> None:
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False  # w:tblLayout fixed: LibreOffice and Word keep our widths
    tblpr = tbl._tbl.tblPr
    put_in_order(tblpr, w_el("tblW", w=width, type="dxa"), TBLPR_ORDER)
    borders = w_el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(w_el(side, val="single", sz=TABLE_RULE, space=0, color="000000"))
    put_in_order(tblpr, borders, TBLPR_ORDER)
    margins = w_el("tblCellMar")
    for side in ("left", "right"):  # 1 mm instead of Word's 1.9 mm: room for one more character a row
        margins.append(w_el(side, w=CELL_MARGIN, type="dxa"))
    put_in_order(tblpr, margins, TBLPR_ORDER)
    for col, w in zip(tbl.columns, widths):
        col.width = Twips(w)


def _cell_formats(font: str, size: float, aligns: list) -> list[tuple]:
    """Per column, the (pPr, rPr) of a cell paragraph, built once and copied into every cell:
    python-docx's setters per cell would take most of the time of a long table."""
    return [_cell_format(font, size, align) for align in aligns]


@lru_cache(maxsize=64)
def _cell_format(font: str, size: float, align) -> tuple:
    """Cached across documents (a quarter of the time of 100 short 督办通知); callers only copy the elements."""
    p = DocxParagraph(OxmlElement("w:p"), None)
    format_paragraph(p.paragraph_format, align=align, line=Pt(size + 5))
    no_grid(p._p.get_or_add_pPr())
    return p._p.pPr, add_run(p, "", font, size)._r.rPr


def _row(tbl, blank, texts: list[str], formats: list[tuple], fills: dict[int, str], header: bool = False) -> None:
    """One row, a copy of the table's `blank` row (table.cell(r, c) in a loop is quadratic); cells centred
    vertically."""
    tr = deepcopy(blank)
    tbl._tbl.append(tr)
    trpr = tr.get_or_add_trPr()
    trpr.append(w_el("cantSplit"))
    if header:
        trpr.append(w_el("tblHeader"))  # repeated at the top of every page
    for c, (tc, text, (ppr, rpr)) in enumerate(zip(tr.tc_lst, texts, formats)):
        if c in fills:  # after tcW, before vAlign: schema order; a new element per cell
            tc.tcPr.append(w_el("shd", val="clear", color="auto", fill=fills[c].lstrip("#").upper()))
        tc.tcPr.append(w_el("vAlign", val="center"))
        p = tc.p_lst[0]
        p.append(deepcopy(ppr))
        for i, line in enumerate(text.split("\n")):
            r = p.add_r()
            r.append(deepcopy(rpr))
            if i:
                r.append(OxmlElement("w:br"))
            r.add_t(line)


def _column_aligns(table: Table) -> list:
    """Long text left-aligned, short values (numbers, codes, statuses) centred."""
    aligns = []
    for c in range(len(table.headers)):
        values = [row[c] for row in table.rows[:50] if c < len(row)]
        long_text = any(isinstance(v, str) and width(v) > 6 for v in values)
        aligns.append(WD_ALIGN_PARAGRAPH.LEFT if long_text else WD_ALIGN_PARAGRAPH.CENTER)
    return aligns


def _cell_text(value: Any, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return gongwen_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fmt:
            return fmt.format(value)
        if float(value).is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


# ---- 版记 -----------------------------------------------------------------------------------------------------

def _colophon(word, doc: Document, alone: bool) -> None:
    """版记 at the foot of the last page, an even one: thick rule, 抄送, thin rule, 印发机关 … 印发日期, thick rule,
    the last rule on the 版心's bottom edge. `alone`: on a page of its own in a section started on an even page,
    without page number (blank footers); else a table floated to the bottom of the last content page's 版心
    (the PDF's layout found that page even with room for it: render/pdf_banji.py)."""
    if not doc.has_banji:
        return
    if not alone:
        return _foot_colophon(word, doc)
    section = new_section(word, landscape=False, start=WD_SECTION.EVEN_PAGE)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # a blank footer of its own: no page number
        no_grid(footer.paragraphs[0]._p.get_or_add_pPr())
    put_in_order(section._sectPr, w_el("vAlign", val="bottom"), SECTPR_ORDER)  # Word; LibreOffice relies on the spacer
    cc = _cc_text(doc.cc) if doc.cc else ""
    rules = [THICK_RULE, THIN_RULE, THICK_RULE] if cc else [THICK_RULE, THICK_RULE]
    used = (_cc_lines(cc) + 1) * PITCH + sum(RULE_LINE + Pt(w / 8) for w in rules)
    add_para(word, line=Emu(Pt(TEXT_H / 20) - used - Pt(3)))  # a spacer: the 版记 ends on the 版心's last line
    _rule(word, rules[0])
    if cc:
        _cc_para(word, cc)
        _rule(word, THIN_RULE)
    _printed_para(word, doc)
    _rule(word, THICK_RULE)


def _foot_colophon(word, doc: Document) -> None:
    """The 版记 as a one-column table as wide as the 版心, floated to the bottom of the 版心 of the page of the
    last content (w:tblpPr: bottom of the margin, left margin from the page edge; Word, WPS and LibreOffice
    honour it), its rules the
    table's top, inner and bottom borders; an anchor paragraph 1 pt high follows it: no section break, no
    blank page."""
    cc = _cc_text(doc.cc) if doc.cc else ""
    section = word.sections[-1]
    room = section_width(section)  # a landscape attachment's last page: its 版心 is 225 mm wide
    tbl = word.add_table(rows=0, cols=1)
    tbl.autofit = False
    tblpr = tbl._tbl.tblPr
    # Across from the page's edge: LibreOffice floats a table as wide as the text only when so anchored.
    put_in_order(tblpr, w_el("tblpPr", leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0, vertAnchor="margin",
                    horzAnchor="page", tblpX=Emu(section.left_margin).twips, tblpYSpec="bottom"), TBLPR_ORDER)
    put_in_order(tblpr, w_el("tblOverlap", val="never"), TBLPR_ORDER)
    put_in_order(tblpr, w_el("tblW", w=room, type="dxa"), TBLPR_ORDER)
    borders = w_el("tblBorders")
    for side, size in (("top", THICK_RULE), ("left", 0), ("bottom", THICK_RULE), ("right", 0), ("insideH", THIN_RULE),
                       ("insideV", 0)):
        borders.append(w_el(side, val="single", sz=size, space=0, color="000000") if size else w_el(side, val="nil"))
    put_in_order(tblpr, borders, TBLPR_ORDER)
    margins = w_el("tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(w_el(side, w=0, type="dxa"))
    put_in_order(tblpr, margins, TBLPR_ORDER)
    tbl.columns[0].width = Twips(room)
    if cc:
        _cc_para(_colophon_cell(tbl, room), cc)
    _printed_para(_colophon_cell(tbl, room), doc, room)
    add_para(word, line=RULE_LINE)  # the anchor: Word floats a table over the paragraph after it


def _colophon_cell(tbl, room: int):
    """A new row of the 版记 table (never split across pages): its cell, emptied for the paragraph to come."""
    row = tbl.add_row()
    row._tr.get_or_add_trPr().append(w_el("cantSplit"))
    cell = row.cells[0]
    cell.width = Twips(room)
    for p in cell._tc.p_lst:
        cell._tc.remove(p)
    return cell


def _cc_para(container, cc: str):
    """抄送 in 4号仿宋, one character in from both sides; a wrapped line starts under the first name."""
    hang = width("抄送：")
    return add_para(container, [(cc, FS, SI)], left=(1 + hang) * SI, right=SI, first=-hang * SI)


def _printed_para(container, doc: Document, room: int = TEXT_W):
    """印发机关 one character in from the left, 印发日期 one character in from the right."""
    print_date = doc.print_date or doc.date
    printed = add_para(container, [(doc.printed_by, FS, SI), ("\t", FS, SI),
                                (f"{gongwen_date(print_date)}印发" if print_date else "", FS, SI)], left=SI)
    printed.paragraph_format.tab_stops.add_tab_stop(Twips(room) - Pt(SI), WD_TAB_ALIGNMENT.RIGHT)
    return printed


def _rule(word, size: int) -> None:
    """A rule as wide as the 版心: the bottom border of an unindented, nearly empty-height paragraph
    (a border on an indented paragraph would be only as wide as its text)."""
    add_border(add_para(word, line=RULE_LINE), "bottom", size)


def _cc_text(cc: str) -> str:
    cc = cc.strip()
    if not cc.startswith("抄送"):
        cc = f"抄送：{cc}"
    return cc if cc.endswith("。") else cc.rstrip("，,;；.") + "。"


def _cc_lines(cc: str) -> int:
    """Lines the 抄送 paragraph takes (generously: one character short per line)."""
    if not cc:
        return 0
    per_line = TEXT_W / 20 / SI - 2 - 1
    return max(1, math.ceil(width(cc) / per_line))

