"""The parts every GB/T 9704 Word document is built of: page geometry, fonts and sizes, the package's styles
and page setup, paragraphs and runs on the 22-line grid, borders, and the page-number footers. docx_gongwen
puts them together into a 公文 (see its docstring for the layout); python-docx has no API for most of these,
so they are written as XML in schema order.
"""
from __future__ import annotations

from copy import deepcopy
from functools import lru_cache
from typing import Any, Iterable, Sequence

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

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

# ---- low-level XML helpers ------------------------------------------------------------------------------------

def put_in_order(parent, child, order: Sequence[str]):
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


def w_el(tag: str, **attrs: Any):
    return OxmlElement(f"w:{tag}", {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def rfonts_el(font: str):
    # hint=eastAsia: ambiguous-width marks (— “ ” …) take the Chinese face, full width.
    return w_el("rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


# ---- package, styles, page ------------------------------------------------------------------------------------

def setup_package(word) -> None:
    default_fonts(word)
    settings = word.settings.element
    lang = settings.find(qn("w:themeFontLang"))  # the template's ja-JP makes theme text Japanese
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    word.settings.odd_and_even_pages_header_footer = True
    font_table(word)
    for rId, rel in list(word.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:  # a stale copy of the styles, full of theme fonts
            word.part.drop_rel(rId)


def default_fonts(word) -> None:
    """3号仿宋 everywhere by default; no theme fonts left in styles.xml; Chinese as the East Asian language."""
    styles = word.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(attr, None)
    defaults = styles.find(qn("w:docDefaults"))
    rpr_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), FS, SAN)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    normal = word.styles["Normal"]
    rpr_fonts(normal.element.get_or_add_rPr(), FS, SAN)
    format_paragraph(normal.paragraph_format, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    no_grid(normal.element.get_or_add_pPr())


def rpr_fonts(rpr, font: str, size: float) -> None:
    """Font, size and zh-CN language of a style's run properties."""
    put_in_order(rpr, rfonts_el(font), RPR_ORDER)
    for tag in ("sz", "szCs"):
        put_in_order(rpr, w_el(tag, val=round(size * 2)), RPR_ORDER)
    put_in_order(rpr, w_el("lang", val="zh-CN", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)


def font_table(word) -> None:
    part = next(p for p in word.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = etree.fromstring(part.blob)
    for name, alt in FONT_TABLE.items():
        font = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if name == HT else "roman"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)  # plain Part


def page_setup(section, landscape: bool) -> None:
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


def new_section(word, landscape: bool, start=WD_SECTION.NEW_PAGE):
    section = word.add_section(start)
    page_setup(section, landscape)
    # add_section ends the previous section with an empty paragraph holding its sectPr: make it 1 pt high,
    # so that after a table filling its last page it cannot spill onto a blank page of its own.
    holder = DocxParagraph(word.element.body[-2], word._body)
    format_paragraph(holder.paragraph_format, line=RULE_LINE)
    no_grid(holder._p.get_or_add_pPr())
    return section


def section_width(section) -> int:
    """Width of the 版心 in twips."""
    return Emu(section.page_width - section.left_margin - section.right_margin).twips


# ---- paragraphs and runs ----------------------------------------------------------------------------------------

def format_paragraph(pf, *, align=None, first: float = 0, left: float = 0, right: float = 0, line=PITCH,
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


def no_grid(ppr) -> None:
    put_in_order(ppr, w_el("snapToGrid", val=0), PPR_ORDER)


def add_para(container, runs: Iterable[tuple] = (), *, outline: int | None = None, **fmt):
    """A paragraph of `runs`, each (text, font, size[, colour]), formatted per `_format`."""
    p = container.add_paragraph()
    p._p.insert(0, deepcopy(paragraph_props(outline, **fmt)))
    for run in runs:
        add_run(p, *run)
    return p


@lru_cache(maxsize=256)
def paragraph_props(outline: int | None = None, **fmt):
    """The pPr of one paragraph format, built once and copied: python-docx's setters per paragraph took a
    third of the time of 100 short 督办通知."""
    p = DocxParagraph(OxmlElement("w:p"), None)
    format_paragraph(p.paragraph_format, **fmt)
    ppr = p._p.get_or_add_pPr()
    no_grid(ppr)
    if outline is not None:  # shows in Word's navigation pane without the theme-laden Heading styles
        put_in_order(ppr, w_el("outlineLvl", val=outline), PPR_ORDER)
    return ppr


def add_run(p, text: str, font: str = FS, size: float = SAN, colour: str | None = None):
    r = p.add_run(text)
    r._r.insert(0, deepcopy(run_props(font, size, colour)))
    return r


@lru_cache(maxsize=64)
def run_props(font: str, size: float, colour: str | None):
    rpr = OxmlElement("w:rPr")
    rpr.append(rfonts_el(font))
    if colour:
        rpr.append(w_el("color", val=colour))
    if size == SAN:
        rpr.append(w_el("spacing", val=BODY_SPACING))
    rpr.append(w_el("sz", val=round(size * 2)))
    rpr.append(w_el("szCs", val=round(size * 2)))
    return rpr


def add_blank(container, lines: int = 1, keep_next: bool = False) -> None:
    for _ in range(lines):
        add_para(container, keep_next=keep_next)


def add_border(p, side: str, size: int, colour: str = "000000", space: int = 0) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = put_in_order(ppr, w_el("pBdr"), PPR_ORDER)
    order = [qn(f"w:{s}") for s in ("top", "left", "bottom", "right", "between", "bar")]
    put_in_order(bdr, w_el(side, val="single", sz=size, space=space, color=colour), order)


# ---- page numbers ---------------------------------------------------------------------------------------------

def page_footers(word) -> None:
    """'— N —' in 4号宋体, 7 mm below the 版心: odd pages right-aligned, even pages left, one character in."""
    section = word.sections[0]
    page_number_para(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_para(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def page_number_para(footer, align) -> None:
    p = footer.paragraphs[0]
    side = {"right": SI} if align == WD_ALIGN_PARAGRAPH.RIGHT else {"left": SI}
    format_paragraph(p.paragraph_format, align=align, line=FOOTER_LINE, **side)
    no_grid(p._p.get_or_add_pPr())
    add_run(p, "— ", ST, SI)
    add_field(p, "PAGE", "1")
    add_run(p, " —", ST, SI)


def add_field(p, instruction: str, placeholder: str) -> None:
    """A field as Word writes it: begin, instruction, separate, cached result, end."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = add_run(p, placeholder if kind == "result" else "", ST, SI)._r
        if kind == "instr":
            text = OxmlElement("w:instrText")
            text.text = f" {instruction} "
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(text)
        elif kind != "result":
            r.append(w_el("fldChar", fldCharType=kind))
