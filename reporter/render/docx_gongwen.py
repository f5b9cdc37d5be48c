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
4号宋体: odd pages right, even pages left, one character in.
"""
from __future__ import annotations

import datetime as dt
import io
import math
from copy import deepcopy
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ..files import atomic_path
from .document import Attachment, Block, Document, Figure, Heading, Paragraph, Periodical, Table, gongwen_date
from .layout import fit_columns, title_lines, width

# Page geometry in twips (1/20 pt).
PAGE_W, PAGE_H = 11906, 16838
TOP, LEFT, RIGHT, BOTTOM = 2098, 1587, 1474, 1984  # 天头 37 mm, 订口 28 mm, 26 mm, 35 mm
TEXT_W, TEXT_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM  # 版心 156 × 225 mm
PITCH = Pt(28.95)  # w:line="579" exact: 22 lines fill 225 mm
PAGE_NUMBER_GAP = Mm(7)  # 页码 7 mm below the 版心
FOOTER_LINE = Pt(18)
RULE_LINE = Pt(1)  # height of the paragraph carrying a 版记 rule

# Font sizes: 2号, 3号, 4号, 小4号.
ER, SAN, SI, XIAO_SI = 22, 16, 14, 12
BODY_SPACING = -5  # twentieths of a point: −0.25 pt puts 28 3号 characters on a 156 mm line
XBS, FS, KT, HT, ST = "方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"
HEADING_FONTS = {1: HT, 2: KT, 3: FS, 4: FS}
# w:altName lets Word substitute on machines that lack the GB2312 faces (Windows 10 ships 仿宋 and 楷体).
FONT_TABLE = {XBS: "宋体", FS: "仿宋", KT: "楷体", HT: "SimHei", ST: "SimSun"}
CELL_MARGIN = 57  # twips, 1 mm
RED = "FF0000"
RED_RULE = 18  # eighths of a point: 2.25 pt, the usual weight of the 版头 red line
CAPTION_LINE, CAPTION_GAP = Pt(20), Pt(4)  # a figure caption is off the 22-line grid, as in the PDF
PERIODICAL_MAX = 36.0  # pt: a periodical's name (领导参阅), smaller only when it would not fit one line
THICK_RULE, THIN_RULE, TABLE_RULE = 8, 6, 4  # 0.35 mm, 0.25 mm (版记), 0.5 pt (tables)
THEME_ATTRS = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Schema order of the children we insert ourselves (python-docx has no API for them).
PPR_ORDER = [qn(f"w:{t}") for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
    "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
    "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")]
TBLPR_ORDER = [qn(f"w:{t}") for t in (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")]
SECTPR_ORDER = [qn(f"w:{t}") for t in (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
    "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")]
RPR_ORDER = [qn(f"w:{t}") for t in ("rStyle", "rFonts", "b", "i", "color", "spacing", "sz", "szCs", "lang")]


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
    _setup_package(word)
    _page_setup(word.sections[0], landscape=False)
    _footers(word)
    return word


# ---- low-level XML helpers ------------------------------------------------------------------------------------

def _put(parent, child, order: Sequence[str]):
    """Insert `child` in schema order, replacing any element of the same tag; return it."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(child.tag)
    for i, sibling in enumerate(parent):
        if sibling.tag in order and order.index(sibling.tag) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _el(tag: str, **attrs: Any):
    return OxmlElement(f"w:{tag}", {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def _rfonts(font: str):
    # hint=eastAsia: ambiguous-width marks (— “ ” …) take the Chinese face, full width.
    return _el("rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


# ---- package, styles, page ------------------------------------------------------------------------------------

def _setup_package(word) -> None:
    _default_fonts(word)
    settings = word.settings.element
    lang = settings.find(qn("w:themeFontLang"))  # the template's ja-JP makes theme text Japanese
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    word.settings.odd_and_even_pages_header_footer = True
    _font_table(word)
    for rId, rel in list(word.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:  # a stale copy of the styles, full of theme fonts
            word.part.drop_rel(rId)


def _default_fonts(word) -> None:
    """3号仿宋 everywhere by default; no theme fonts left in styles.xml; Chinese as the East Asian language."""
    styles = word.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(attr, None)
    defaults = styles.find(qn("w:docDefaults"))
    _rpr_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), FS, SAN)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    normal = word.styles["Normal"]
    _rpr_fonts(normal.element.get_or_add_rPr(), FS, SAN)
    _format(normal.paragraph_format, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _no_grid(normal.element.get_or_add_pPr())


def _rpr_fonts(rpr, font: str, size: float) -> None:
    """Font, size and zh-CN language of a style's run properties."""
    _put(rpr, _rfonts(font), RPR_ORDER)
    for tag in ("sz", "szCs"):
        _put(rpr, _el(tag, val=round(size * 2)), RPR_ORDER)
    _put(rpr, _el("lang", val="zh-CN", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)


def _font_table(word) -> None:
    part = next(p for p in word.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = etree.fromstring(part.blob)
    for name, alt in FONT_TABLE.items():
        font = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if name == HT else "roman"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)  # plain Part


def _page_setup(section, landscape: bool) -> None:
    """A4 with the 9704 margins; landscape pages turned so the table head faces the binding (订口) edge."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(PAGE_H), Twips(PAGE_W)
        section.top_margin, section.bottom_margin = Twips(LEFT), Twips(RIGHT)
        section.left_margin, section.right_margin = Twips(BOTTOM), Twips(TOP)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
        section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
        section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.gutter = 0
    section.footer_distance = Emu(section.bottom_margin - PAGE_NUMBER_GAP - FOOTER_LINE)


def _new_section(word, landscape: bool, start=WD_SECTION.NEW_PAGE):
    section = word.add_section(start)
    _page_setup(section, landscape)
    # add_section ends the previous section with an empty paragraph holding its sectPr: make it 1 pt high,
    # so that after a table filling its last page it cannot spill onto a blank page of its own.
    holder = DocxParagraph(word.element.body[-2], word._body)
    _format(holder.paragraph_format, line=RULE_LINE)
    _no_grid(holder._p.get_or_add_pPr())
    return section


def _section_width(section) -> int:
    """Width of the 版心 in twips."""
    return Emu(section.page_width - section.left_margin - section.right_margin).twips


# ---- paragraphs and runs ----------------------------------------------------------------------------------------

def _format(pf, *, align=None, first: float = 0, left: float = 0, right: float = 0, line=PITCH,
            before=0, keep_next: bool = False) -> None:
    """Exact line spacing, no paragraph spacing, indents in points, widow control off."""
    if align is not None:
        pf.alignment = align
    pf.first_line_indent = Pt(first) if first else None
    pf.left_indent = Pt(left) if left else None
    pf.right_indent = Pt(right) if right else None
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before, pf.space_after = before, 0
    pf.widow_control = False
    if keep_next:
        pf.keep_with_next = True


def _no_grid(ppr) -> None:
    _put(ppr, _el("snapToGrid", val=0), PPR_ORDER)


def _para(container, runs: Iterable[tuple] = (), *, outline: int | None = None, **fmt):
    """A paragraph of `runs`, each (text, font, size[, colour]), formatted per `_format`."""
    p = container.add_paragraph()
    p._p.insert(0, deepcopy(_paragraph_props(outline, **fmt)))
    for run in runs:
        _run(p, *run)
    return p


@lru_cache(maxsize=256)
def _paragraph_props(outline: int | None = None, **fmt):
    """The pPr of one paragraph format, built once and copied: python-docx's setters per paragraph took a
    third of the time of 100 short 督办通知."""
    p = DocxParagraph(OxmlElement("w:p"), None)
    _format(p.paragraph_format, **fmt)
    ppr = p._p.get_or_add_pPr()
    _no_grid(ppr)
    if outline is not None:  # shows in Word's navigation pane without the theme-laden Heading styles
        _put(ppr, _el("outlineLvl", val=outline), PPR_ORDER)
    return ppr


def _run(p, text: str, font: str = FS, size: float = SAN, colour: str | None = None):
    r = p.add_run(text)
    r._r.insert(0, deepcopy(_run_props(font, size, colour)))
    return r


@lru_cache(maxsize=64)
def _run_props(font: str, size: float, colour: str | None):
    rpr = OxmlElement("w:rPr")
    rpr.append(_rfonts(font))
    if colour:
        rpr.append(_el("color", val=colour))
    if size == SAN:
        rpr.append(_el("spacing", val=BODY_SPACING))
    rpr.append(_el("sz", val=round(size * 2)))
    rpr.append(_el("szCs", val=round(size * 2)))
    return rpr


def _blank(container, lines: int = 1, keep_next: bool = False) -> None:
    for _ in range(lines):
        _para(container, keep_next=keep_next)


def _border(p, side: str, size: int, colour: str = "000000", space: int = 0) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = _put(ppr, _el("pBdr"), PPR_ORDER)
    order = [qn(f"w:{s}") for s in ("top", "left", "bottom", "right", "between", "bar")]
    _put(bdr, _el(side, val="single", sz=size, space=space, color=colour), order)


# ---- 版头 and 主体 ---------------------------------------------------------------------------------------------

def _masthead(word, doc: Document) -> None:
    """发文机关标志 35 mm below the 版心 top, red 小标宋 on one line; 发文字号 two lines below; red rule 4 mm under it."""
    if doc.periodical:
        return _periodical_masthead(word, doc.periodical)
    size = _masthead_size(doc.issuer)
    line = Pt(size * 1.25)
    issuer = _para(word, [(doc.issuer, XBS, size, RED)], align=WD_ALIGN_PARAGRAPH.CENTER, line=line,
                   before=Emu(Mm(35) - (line - Pt(size))))
    if not doc.doc_number:  # the rule right under the 标志, as in the PDF: the pages break alike
        _border(issuer, "bottom", RED_RULE, RED, space=max(0, round(4.86 - size * 0.125)))
        return
    _blank(word, 2)
    number = _para(word, [(doc.doc_number, FS, SAN)], align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", RED_RULE, RED, space=6)  # 6 pt + the leading under the glyphs ≈ 4 mm


def _periodical_masthead(word, head: Periodical) -> None:
    """A periodical's 版头 at the top of the 版心: its name in red 小标宋 (at most 36 pt, one line), the issue
    centred below, then the editor flush left and the date flush right over a red rule."""
    size = min(PERIODICAL_MAX, math.floor(TEXT_W / 20 / max(width(head.name), 1) * 2) / 2)
    _para(word, [(head.name, XBS, size, RED)], align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(size * 1.25))
    if head.issue:
        _para(word, [(head.issue, FS, SAN)], align=WD_ALIGN_PARAGRAPH.CENTER)
    date = gongwen_date(head.date) if head.date else ""
    line = _para(word, [(head.editor, FS, SAN), ("\t", FS, SAN), (date, FS, SAN)])
    line.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)
    _border(line, "bottom", RED_RULE, RED, space=4)


def _masthead_size(issuer: str) -> float:
    """Up to 26 pt, smaller in half points until the name fits on one 156 mm line."""
    return min(26.0, math.floor(TEXT_W / 20 / max(width(issuer), 1) * 2) / 2)


def _main_text(word, doc: Document) -> None:
    _blank(word, 1 if doc.periodical else 2)  # a periodical's title sits one line under its rule
    _para(word, [(_title(doc.title, TEXT_W), XBS, ER)], align=WD_ALIGN_PARAGRAPH.CENTER)
    _blank(word)
    if doc.addressee:
        _para(word, [(doc.addressee, FS, SAN)])
    last = None
    for block in doc.body:
        last = _block(word, block, TEXT_W)
    if isinstance(last, DocxParagraph):
        last.paragraph_format.keep_with_next = True  # no page with a 落款 but no text (7.3.5.5)
    _attachment_note(word, doc)
    _signature(word, doc)
    if doc.note:  # 附注: the line below the date, two characters in
        _para(word, [(doc.note, FS, SAN)], first=2 * SAN)


def _block(word, block: Block, width: int):
    """Add one body block; return its paragraph or table."""
    if isinstance(block, Heading):
        font = HEADING_FONTS.get(block.level, FS)
        return _para(word, [(block.text, font, SAN)], first=2 * SAN, keep_next=True, outline=block.level - 1)
    if isinstance(block, Paragraph):
        runs = [(block.lead, _lead_font(block.lead), SAN)] if block.lead else []
        return _para(word, runs + [(block.text, FS, SAN)], first=2 * SAN)
    if isinstance(block, Table):
        return _table(word, block, width)
    if isinstance(block, Figure):
        return _figure(word, block, width)
    raise TypeError(f"不支持的公文内容类型：{type(block).__name__}")


def _figure(word, figure: Figure, width: int):
    """The chart's PNG centred at its size (never wider than the 版心), its caption centred below in 4号黑体.
    The picture's paragraph has single spacing: an exact 28.95 pt line would crop it to one line."""
    p = _para(word, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=bool(figure.caption))
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.add_run().add_picture(io.BytesIO(figure.png), width=min(Mm(figure.width), Twips(width)))
    if figure.caption:
        p = _para(word, [(figure.caption, HT, SI)], align=WD_ALIGN_PARAGRAPH.CENTER, line=CAPTION_LINE,
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
    _blank(word, keep_next=True)
    hang = width("附件：") + (1 if len(lines) > 1 else 0)  # '1.' is two half-width characters
    for text in lines:
        _para(word, [(text, FS, SAN)], left=(2 + hang) * SAN, first=-hang * SAN, keep_next=True)


def _signature(word, doc: Document) -> None:
    """No seal (7.3.5.2): one blank line, 署名 two characters from the right, the date below it, its first
    character two characters right of the 署名's; a date longer than that keeps two characters from the right."""
    if not (doc.signature or doc.date):
        return
    date = gongwen_date(doc.date) if doc.date else ""
    name_w, date_w = width(doc.signature), width(date)
    date_right = max(name_w - date_w, 2) if doc.signature else 4  # a date alone: 右空四字 as under a seal
    name_right = date_right + date_w + 2 - name_w
    _blank(word, keep_next=True)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    if doc.signature:
        _para(word, [(doc.signature, FS, SAN)], align=right, right=name_right * SAN, keep_next=bool(date))
    if date:
        _para(word, [(date, FS, SAN)], align=right, right=date_right * SAN, keep_next=bool(doc.note))


# ---- attachments and tables -----------------------------------------------------------------------------------

def _attachment_label(doc: Document, attachment: Attachment) -> str:
    return "附件" if len(doc.attachments) == 1 else f"附件{attachment.number}"


def _attachment(word, attachment: Attachment, label: str) -> None:
    """A new section: '附件N' 3号黑体 top-left on line 1, the title 2号小标宋 centred on line 3, a blank line."""
    section = _new_section(word, attachment.landscape)
    _para(word, [(label, HT, SAN)], keep_next=True)
    _blank(word)
    room = _section_width(section)
    _para(word, [(_title(attachment.title, room), XBS, ER)], align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    _blank(word)
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
    _put(tblpr, _el("tblW", w=width, type="dxa"), TBLPR_ORDER)
    borders = _el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(side, val="single", sz=TABLE_RULE, space=0, color="000000"))
    _put(tblpr, borders, TBLPR_ORDER)
    margins = _el("tblCellMar")
    for side in ("left", "right"):  # 1 mm instead of Word's 1.9 mm: room for one more character a row
        margins.append(_el(side, w=CELL_MARGIN, type="dxa"))
    _put(tblpr, margins, TBLPR_ORDER)
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
    _format(p.paragraph_format, align=align, line=Pt(size + 5))
    _no_grid(p._p.get_or_add_pPr())
    return p._p.pPr, _run(p, "", font, size)._r.rPr


def _row(tbl, blank, texts: list[str], formats: list[tuple], fills: dict[int, str], header: bool = False) -> None:
    """One row, a copy of the table's `blank` row (table.cell(r, c) in a loop is quadratic); cells centred
    vertically."""
    tr = deepcopy(blank)
    tbl._tbl.append(tr)
    trpr = tr.get_or_add_trPr()
    trpr.append(_el("cantSplit"))
    if header:
        trpr.append(_el("tblHeader"))  # repeated at the top of every page
    for c, (tc, text, (ppr, rpr)) in enumerate(zip(tr.tc_lst, texts, formats)):
        if c in fills:  # after tcW, before vAlign: schema order; a new element per cell
            tc.tcPr.append(_el("shd", val="clear", color="auto", fill=fills[c].lstrip("#").upper()))
        tc.tcPr.append(_el("vAlign", val="center"))
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
    if not (doc.cc or doc.printed_by):
        return
    if not alone:
        return _foot_colophon(word, doc)
    section = _new_section(word, landscape=False, start=WD_SECTION.EVEN_PAGE)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False  # a blank footer of its own: no page number
        _no_grid(footer.paragraphs[0]._p.get_or_add_pPr())
    _put(section._sectPr, _el("vAlign", val="bottom"), SECTPR_ORDER)  # Word; LibreOffice relies on the spacer
    cc = _cc_text(doc.cc) if doc.cc else ""
    rules = [THICK_RULE, THIN_RULE, THICK_RULE] if cc else [THICK_RULE, THICK_RULE]
    used = (_cc_lines(cc) + 1) * PITCH + sum(RULE_LINE + Pt(w / 8) for w in rules)
    _para(word, line=Emu(Pt(TEXT_H / 20) - used - Pt(3)))  # a spacer: the 版记 ends on the 版心's last line
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
    room = _section_width(section)  # a landscape attachment's last page: its 版心 is 225 mm wide
    tbl = word.add_table(rows=0, cols=1)
    tbl.autofit = False
    tblpr = tbl._tbl.tblPr
    # Across from the page's edge: LibreOffice floats a table as wide as the text only when so anchored.
    _put(tblpr, _el("tblpPr", leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0, vertAnchor="margin",
                    horzAnchor="page", tblpX=Emu(section.left_margin).twips, tblpYSpec="bottom"), TBLPR_ORDER)
    _put(tblpr, _el("tblOverlap", val="never"), TBLPR_ORDER)
    _put(tblpr, _el("tblW", w=room, type="dxa"), TBLPR_ORDER)
    borders = _el("tblBorders")
    for side, size in (("top", THICK_RULE), ("left", 0), ("bottom", THICK_RULE), ("right", 0), ("insideH", THIN_RULE),
                       ("insideV", 0)):
        borders.append(_el(side, val="single", sz=size, space=0, color="000000") if size else _el(side, val="nil"))
    _put(tblpr, borders, TBLPR_ORDER)
    margins = _el("tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margins.append(_el(side, w=0, type="dxa"))
    _put(tblpr, margins, TBLPR_ORDER)
    tbl.columns[0].width = Twips(room)
    if cc:
        _cc_para(_colophon_cell(tbl, room), cc)
    _printed_para(_colophon_cell(tbl, room), doc, room)
    _para(word, line=RULE_LINE)  # the anchor: Word floats a table over the paragraph after it


def _colophon_cell(tbl, room: int):
    """A new row of the 版记 table (never split across pages): its cell, emptied for the paragraph to come."""
    row = tbl.add_row()
    row._tr.get_or_add_trPr().append(_el("cantSplit"))
    cell = row.cells[0]
    cell.width = Twips(room)
    for p in cell._tc.p_lst:
        cell._tc.remove(p)
    return cell


def _cc_para(container, cc: str):
    """抄送 in 4号仿宋, one character in from both sides; a wrapped line starts under the first name."""
    hang = width("抄送：")
    return _para(container, [(cc, FS, SI)], left=(1 + hang) * SI, right=SI, first=-hang * SI)


def _printed_para(container, doc: Document, room: int = TEXT_W):
    """印发机关 one character in from the left, 印发日期 one character in from the right."""
    print_date = doc.print_date or doc.date
    printed = _para(container, [(doc.printed_by, FS, SI), ("\t", FS, SI),
                                (f"{gongwen_date(print_date)}印发" if print_date else "", FS, SI)], left=SI)
    printed.paragraph_format.tab_stops.add_tab_stop(Twips(room) - Pt(SI), WD_TAB_ALIGNMENT.RIGHT)
    return printed


def _rule(word, size: int) -> None:
    """A rule as wide as the 版心: the bottom border of an unindented, nearly empty-height paragraph
    (a border on an indented paragraph would be only as wide as its text)."""
    _border(_para(word, line=RULE_LINE), "bottom", size)


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


# ---- page numbers ---------------------------------------------------------------------------------------------

def _footers(word) -> None:
    """'— N —' in 4号宋体, 7 mm below the 版心: odd pages right-aligned, even pages left, one character in."""
    section = word.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    p = footer.paragraphs[0]
    side = {"right": SI} if align == WD_ALIGN_PARAGRAPH.RIGHT else {"left": SI}
    _format(p.paragraph_format, align=align, line=FOOTER_LINE, **side)
    _no_grid(p._p.get_or_add_pPr())
    _run(p, "— ", ST, SI)
    _field(p, "PAGE", "1")
    _run(p, " —", ST, SI)


def _field(p, instruction: str, placeholder: str) -> None:
    """A field as Word writes it: begin, instruction, separate, cached result, end."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = _run(p, placeholder if kind == "result" else "", ST, SI)._r
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.text = f" {instruction} "
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(text)
        elif kind != "result":
            r.append(_el("fldChar", fldCharType=kind))
