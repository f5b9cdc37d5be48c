"""The PDF 公文 (reporter.render.pdf_gongwen): GB/T 9704 geometry, page numbers, fonts and glyphs, measured on
the rendered PDF with poppler (pdfinfo, pdffonts, pdftotext -bbox-layout) and fontTools."""
from __future__ import annotations

import datetime as dt
import html
import io
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from reporter.render.document import Attachment, Document, Heading, Paragraph, Table
from reporter.render.pdf_gongwen import TEMPLATES, font_configuration, fontconfig_file, render_html, write_pdf
from tests.fixtures_gongwen import sample_document

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="需要 poppler-utils（pdftotext、pdffonts）")

MM = 72 / 25.4
A4_W, A4_H = 210 * MM, 297 * MM
PORTRAIT = (28 * MM, 37 * MM, A4_W - 26 * MM, A4_H - 35 * MM)  # 版心 left, top, right, bottom
LANDSCAPE = (35 * MM, 28 * MM, A4_H - 37 * MM, A4_W - 26 * MM)  # the same 版心 turned on its side
PITCH = 28.95
NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
FALLBACK_FONTS = {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "AR-PL-KaitiM-GB"}
CHINESE_FONT = re.compile(r"^(Noto-(Serif|Sans)-CJK-SC(-Bold)?|AR-PL-(KaitiM-GB|UKai-CN|UMing-CN(-Light)?)"
                          r"|FangSong(_GB2312)?|KaiTi(_GB2312)?|SimHei|SimSun|FZXiaoBiaoSong.*)$")


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def box(self) -> tuple[float, float, float, float]:
        return LANDSCAPE if self.landscape else PORTRAIT

    @property
    def numbers(self) -> list[Line]:
        return [ln for ln in self.lines if NUMBER.match(ln.text)]

    @property
    def text_lines(self) -> list[Line]:
        return [ln for ln in self.lines if not NUMBER.match(ln.text)]

    def has(self, text: str) -> bool:
        return any(text in ln.text for ln in self.lines)


@dataclass
class Rendered:
    doc: Document
    path: Path
    html: str
    pages: list[Page]
    warnings: list[str]


def bbox_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        lines = [Line(float(x0), float(y0), float(x1), float(y1),
                      "".join(html.unescape(t) for t in re.findall(r"<word[^>]*>([^<]*)</word>", inner)))
                 for x0, y0, x1, y1, inner in re.findall(
                     r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', body, re.S)]
        pages.append(Page(float(w), float(h), lines))
    return pages


def render(doc: Document, path: Path) -> Rendered:
    """write_pdf with WeasyPrint's warnings collected."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        assert write_pdf(doc, path) == path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Rendered(doc, path, render_html(doc), bbox_pages(path), [r.getMessage() for r in records])


class _Text(HTMLParser):
    """The text a reader sees: the body of the HTML, without <style>/<title>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title", "head")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title", "head")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_chars(page_html: str) -> set[str]:
    parser = _Text()
    parser.feed(page_html)
    return {ch for ch in "".join(parser.parts) if not ch.isspace()}


def fallback_fonts_in_use() -> bool:
    """True where the machine has none of the real 公文 fonts (CI, Debian): the free fallbacks are used."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    found = subprocess.run(["fc-match", "-f", "%{family}", "仿宋_GB2312:lang=zh-cn"], capture_output=True, text=True,
                           env=env).stdout
    return "Noto Serif CJK SC" in found


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Rendered:
    return render(sample_document(300), tmp_path_factory.mktemp("pdf") / "通报.pdf")


def banji_only(p: Page) -> bool:
    """The page holds nothing but a 版记 (抄送, 印发机关 and 印发日期 at the 版心's foot)."""
    return p.has("印发") and all(ln.y0 > p.box[3] - 5 * PITCH for ln in p.text_lines)


def body_pages(r: Rendered) -> list[Page]:
    """Portrait pages before the first attachment."""
    first = next(i for i, p in enumerate(r.pages) if p.text_lines and re.fullmatch(r"附件\d*", p.text_lines[0].text))
    return r.pages[:first]


def attachment_pages(r: Rendered, label: str) -> list[Page]:
    start = next(i for i, p in enumerate(r.pages) if p.text_lines and p.text_lines[0].text == label)
    end = next((i for i, p in enumerate(r.pages[start + 1:], start + 1)
                if not p.text_lines or p.text_lines[0].text.startswith("附件")), len(r.pages))
    return r.pages[start:end]


# ---- HTML and CSS ------------------------------------------------------------------------------------------------

def test_html_is_chinese_and_carries_the_whole_document(sample):
    page = sample.html
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    doc = sample.doc
    for text in (doc.issuer, doc.doc_number, doc.title, doc.addressee, doc.note, "附件：1.", "2025年6月5日印发",
                 "抄送：市委办公厅", "（此件公开发布）"):
        assert html.escape(text, quote=False) in page, text
    paragraphs = [b for b in doc.body if isinstance(b, Paragraph)]
    assert all(html.escape(p.text, quote=False) in page for p in paragraphs)
    assert 'style="background: #FFC7CE"' in page  # status fills from Table.colours, inline on the cell


def test_css_has_the_standard_numbers():
    css = (TEMPLATES / "gongwen.css").read_text(encoding="utf-8")
    page = re.search(r"@page \{(.*?)\}", css, re.S).group(1)
    assert "size: A4;" in page and "margin: 37mm 26mm 35mm 28mm;" in page  # top right bottom left
    landscape = re.search(r"@page landscape \{(.*?)\}", css, re.S).group(1)
    assert "size: A4 landscape;" in landscape and "margin: 28mm 37mm 26mm 35mm;" in landscape
    root = re.search(r"\nhtml \{(.*?)\}", css, re.S).group(1)
    assert "font-size: 16pt;" in root and "line-height: 28.95pt;" in root
    assert "display: table-header-group" in css and "border-collapse: collapse" in css
    assert "border: 0.5pt solid #000" in css
    assert '@bottom-right {\n    content: "— " counter(page) " —"' in css


# ---- geometry ----------------------------------------------------------------------------------------------------

def test_orientation_per_section(sample):
    pages = sample.pages
    assert all(not p.landscape for p in body_pages(sample))
    wide = attachment_pages(sample, "附件1")
    assert len(wide) >= 3 and all(p.landscape for p in wide)
    assert all(not p.landscape for p in attachment_pages(sample, "附件2"))
    assert not pages[-1].landscape
    for p in pages:
        assert {round(p.width, 1), round(p.height, 1)} == {round(A4_W, 1), round(A4_H, 1)}


def test_body_text_sits_in_the_type_area(sample):
    left, top, right, bottom = PORTRAIT
    pages = [p for p in body_pages(sample)[1:] if len(p.text_lines) > 10]  # page 1 opens with the 版头 space
    assert len(pages) >= 2
    for p in pages:
        lines = p.text_lines
        assert abs(min(ln.x0 for ln in lines) - left) < 3  # 28 mm
        assert max(ln.x1 for ln in lines) <= right + 1
        assert top - 1 < lines[0].y0 < top + 9  # the first line box starts at 37 mm
        assert max(ln.y1 for ln in lines) <= bottom + 1
    counts = [len(p.text_lines) for p in pages]
    assert max(counts) == 22 and all(c <= 22 for c in counts), counts


def test_masthead_and_title_are_centred(sample):
    left, top, right, _ = PORTRAIT
    first = sample.pages[0].text_lines
    centre = (left + right) / 2
    issuer, number, title = first[0], first[1], first[2]
    assert issuer.text == sample.doc.issuer and number.text == sample.doc.doc_number
    assert abs(issuer.y0 - (top + 35 * MM)) < 8  # 标志's upper edge 35 mm below the 版心 top
    for line in (issuer, number, title):
        assert abs((line.x0 + line.x1) / 2 - centre) < 4, line


def test_page_numbers_odd_right_even_left_seven_mm_below(sample):
    pages = sample.pages
    for n, p in enumerate(pages, 1):
        if not p.text_lines or banji_only(p):
            assert p.numbers == [], f"第{n}页（空白页或版记页）不应有页码"
            continue
        assert [NUMBER.match(ln.text).group(1) for ln in p.numbers] == [str(n)]
        num = p.numbers[0]
        left, _, right, bottom = p.box
        if n % 2:
            assert abs(num.x1 - (right - 14)) < 2, (n, num)  # one 4号 character in from the right
        else:
            assert abs(num.x0 - (left + 14)) < 2, (n, num)
        assert abs((num.y0 + num.y1) / 2 - (bottom + 7 * MM)) < 3, (n, num)


def test_attachment_table_header_heads_every_page(sample):
    wide = attachment_pages(sample, "附件1")
    for i, p in enumerate(wide):
        header = [ln for ln in p.lines if "任务编号" in ln.text or "牵头单位" in ln.text]
        data = [ln for ln in p.lines if re.fullmatch(r"\d+", ln.text)]  # 序号 and other whole-number cells
        assert header and data, i
        assert max(ln.y1 for ln in header) < min(ln.y0 for ln in data)
        if i:  # continuation pages start with the repeated header row
            assert min(ln.y0 for ln in header) < p.box[1] + 20


def test_closing_and_colophon(sample):
    pages = sample.pages
    last = pages[-1]
    assert len(pages) % 2 == 0 and not last.landscape  # 版记 on an even last page
    cc = next(i for i, ln in enumerate(last.text_lines) if ln.text.startswith("抄送："))
    assert last.text_lines[cc:][-1].text.endswith("印发")
    assert abs(last.lines[-1].y1 - PORTRAIT[3]) < PITCH  # at the foot of the 版心
    for blank in pages[len(pages) - 3:-1]:
        if not blank.text_lines:
            assert blank.numbers == []
    closing = next(p for p in body_pages(sample) if p.has("2025年6月5日")).text_lines
    sign = next(ln for ln in closing if ln.text == sample.doc.signature)
    date = next(ln for ln in closing if ln.text == "2025年6月5日")
    right = PORTRAIT[2]
    assert abs(sign.x1 - (right - 2 * 16)) < 4  # 署名 two characters in from the right
    assert abs(date.x0 - (sign.x0 + 2 * 16)) < 4  # date's first character two right of the 署名's


def test_twenty_eight_characters_a_line(tmp_path):
    text = "为推动民生实事项目按期保质完成各区各部门要对照年度目标逐项梳理项目进展制定赶超措施明确完成时限" * 2
    doc = Document(issuer="", title="测试", body=[Paragraph(text)])
    lines = render(doc, tmp_path / "a.pdf").pages[0].text_lines
    body = [ln.text for ln in lines if ln.text and ln.text[0] in text]
    assert len(body[0]) == 26 and len(body[1]) == 28  # first line indented two characters


# ---- fonts and glyphs --------------------------------------------------------------------------------------------

def pdffonts(pdf: Path) -> list[tuple[str, bool]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        m = re.match(r"^(\S+)\s+.*?\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert m, line
        rows.append((m.group(1).split("+", 1)[-1], m.group(2) == "yes"))
    return rows


def test_only_simplified_chinese_fonts_all_embedded(sample):
    fonts = pdffonts(sample.path)
    assert fonts and all(embedded for _, embedded in fonts)
    names = {name for name, _ in fonts}
    assert all(CHINESE_FONT.match(n) for n in names), names  # no JP/KR/TC faces, no DejaVu
    if fallback_fonts_in_use():
        assert names == FALLBACK_FONTS  # 仿宋, 小标宋, 黑体, 楷体 each by its fallback


def test_every_character_comes_out_of_the_pdf(sample):
    text = subprocess.run(["pdftotext", str(sample.path), "-"], capture_output=True, text=True, check=True).stdout
    assert "\ufffd" not in text
    missing = visible_chars(sample.html) - set(text)
    assert not missing, "".join(sorted(missing))


def test_no_weasyprint_warnings(sample):
    assert sample.warnings == []


def _embedded_fonts(pdf: bytes) -> dict[str, set[int]]:
    """Font name → the code points its embedded subset maps (uncompressed PDF)."""
    fonts = {}
    for name, ref in re.findall(rb"/FontName /\w+\+([^/\s]+).*?/FontFile[23]? (\d+) 0 R", pdf):
        m = re.search(rb"\n%s 0 obj\n(<<.*?>>)\s*stream\r?\n" % ref, pdf, re.S)
        length = int(re.search(rb"/Length (\d+)", m.group(1)).group(1))
        font = TTFont(io.BytesIO(pdf[m.end():m.end() + length]))
        fonts[name.decode()] = set(font.getBestCmap())
    return fonts


def test_embedded_fonts_hold_every_glyph(tmp_path):
    """fontTools: each font's subset maps every character set in it; no .notdef (glyph 0) is drawn."""
    from weasyprint import HTML

    doc = sample_document(30)
    page = render_html(doc)
    pdf_path = tmp_path / "raw.pdf"
    HTML(string=page).write_pdf(pdf_path, font_config=font_configuration(), uncompressed_pdf=True)
    pdf = pdf_path.read_bytes()
    fonts = _embedded_fonts(pdf)
    covered = set().union(*fonts.values())
    missing = {ord(ch) for ch in visible_chars(page)} - covered
    assert not missing, "".join(map(chr, sorted(missing)))
    glyphs = [h[i:i + 4] for tj in re.findall(rb"\[(.*?)\] TJ", pdf, re.S)
              for h in re.findall(rb"<([0-9a-f]*)>", tj) for i in range(0, len(h), 4)]
    assert glyphs and b"0000" not in glyphs
    if fallback_fonts_in_use():  # every hanzi of each role is drawn by that role's font, none borrowed
        for font, texts in role_texts(doc).items():
            hanzi = {ord(c) for t in texts for c in t if "\u4e00" <= c <= "\u9fff"}
            assert hanzi <= fonts[font], (font, "".join(map(chr, sorted(hanzi - fonts[font]))))


def role_texts(doc: Document) -> dict[str, list[str]]:
    """The text each fallback font sets: 仿宋 body, 小标宋 title, 黑体 一、 headings, 楷体 （一） headings."""
    heads = {level: [b.text for b in doc.body if isinstance(b, Heading) and b.level == level] for level in (1, 2)}
    return {"Noto-Serif-CJK-SC": [b.text for b in doc.body if isinstance(b, Paragraph)],
            "Noto-Serif-CJK-SC-Bold": [doc.title, doc.issuer],
            "Noto-Sans-CJK-SC": heads[1],
            "AR-PL-KaitiM-GB": heads[2] + [b.lead for b in doc.body if isinstance(b, Paragraph) and b.lead]}


def test_mapped_fonts_cover_their_text():
    """fontTools on the font files fontconfig picks for each 公文 font name: every character has a glyph."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
    doc = sample_document(30)
    texts = role_texts(doc)
    for pattern, role in (("仿宋_GB2312", "Noto-Serif-CJK-SC"), ("方正小标宋简体:weight=bold", "Noto-Serif-CJK-SC-Bold"),
                          ("黑体", "Noto-Sans-CJK-SC"), ("楷体_GB2312", "AR-PL-KaitiM-GB")):
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", f"{pattern}:lang=zh-cn"], capture_output=True,
                               text=True, env=env, check=True).stdout
        file, index = found.rsplit("|", 1)
        cmap = TTFont(file, fontNumber=int(index), lazy=True).getBestCmap()
        chars = {c for t in texts[role] for c in t if not c.isspace()}
        assert {c for c in chars if ord(c) not in cmap} == set(), pattern
    body = visible_chars(render_html(doc))  # the tables and 版记 are 仿宋 too
    file, index = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "仿宋_GB2312:lang=zh-cn"], capture_output=True,
                                 text=True, env=env, check=True).stdout.rsplit("|", 1)
    cmap = TTFont(file, fontNumber=int(index), lazy=True).getBestCmap()
    assert {c for c in body if ord(c) not in cmap} == set()


def test_font_names_map_by_fontconfig(tmp_path):
    env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}

    def match(pattern: str, environ=env) -> str:
        return subprocess.run(["fc-match", "-f", "%{family}|%{style}", pattern], capture_output=True, text=True,
                              env=environ, check=True).stdout

    if fallback_fonts_in_use():
        for name in ("仿宋_GB2312", "仿宋", "FangSong", "宋体", "SimSun"):
            assert match(f"{name}:lang=zh-cn").startswith("Noto Serif CJK SC"), name
        for name in ("楷体_GB2312", "楷体", "KaiTi"):
            assert "AR PL KaitiM GB" in match(f"{name}:lang=zh-cn"), name
        for name in ("黑体", "SimHei"):
            assert match(f"{name}:lang=zh-cn").startswith("Noto Sans CJK SC"), name
        assert match("方正小标宋简体:lang=zh-cn:weight=bold") == "Noto Serif CJK SC|Bold"
    # A real 仿宋_GB2312 on the machine wins over the fallback: a font renamed so stands in for one.
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("需要 fonts-dejavu-core 来伪装一个仿宋_GB2312")
    fake = TTFont(dejavu)
    fake["name"].names = [rec for rec in fake["name"].names if rec.platformID == 3]  # mac names hold no CJK
    for rec in fake["name"].names:
        if rec.nameID in (1, 4, 16):
            rec.string = "仿宋_GB2312"
    (tmp_path / "fonts").mkdir()
    fake.save(tmp_path / "fonts" / "fangsong.ttf")
    conf = tmp_path / "with-fangsong.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir><include>{fontconfig_file()}</include></fontconfig>\n',
                    encoding="utf-8")
    assert match("仿宋_GB2312:lang=zh-cn", {**os.environ, "FONTCONFIG_FILE": str(conf)}).startswith("仿宋_GB2312")


def test_font_mapping_does_not_leak_into_the_process(tmp_path, monkeypatch):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    write_pdf(Document(issuer="", title="测试", body=[Paragraph("正文。")]), tmp_path / "a.pdf")
    assert "FONTCONFIG_FILE" not in os.environ
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    generated = fontconfig_file()
    assert "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" in generated.read_text(encoding="utf-8")
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"


# ---- a small document --------------------------------------------------------------------------------------------

def test_small_document_single_portrait_attachment_no_colophon(tmp_path):
    table = Table(["序号", "事项", "完成率(%)", "状态"], [[1, "新建社区食堂", 85.25, "慢序时"], [2, "加装电梯", None, "按序时"]],
                  colours={(0, 3): "ffeb9c"}, number_formats=[None, None, "{:.1f}", None])
    doc = Document(issuer="某县民生办", title="关于督办事项的通知", body=[Heading(1, "一、事项"), Paragraph("请按期办结。")],
                   addressee="各乡镇：", attachments=[Attachment(1, "督办清单", [table], landscape=False)],
                   signature="某县民生办", date=dt.date(2025, 6, 5))
    r = render(doc, tmp_path / "通知.pdf")
    assert r.warnings == []
    assert [p.landscape for p in r.pages] == [False, False]
    assert r.pages[1].text_lines[0].text == "附件"  # one attachment: no number
    assert r.pages[1].has("85.3") or r.pages[1].has("85.2")  # formatted, not 85.25
    assert 'style="background: #ffeb9c"' in r.html
    assert not any(p.has("印发") for p in r.pages)  # no 抄送/印发机关: no 版记 page
    assert sorted(os.listdir(tmp_path)) == ["通知.pdf"]  # written atomically, no temp file left
    sign = [ln for ln in r.pages[0].lines if ln.text == "某县民生办"][-1]  # the first is the 标志
    date = next(ln for ln in r.pages[0].lines if ln.text == "2025年6月5日")
    assert abs(date.x1 - (PORTRAIT[2] - 2 * 16)) < 4  # a date longer than the 署名 stands two characters in
    assert abs(sign.x0 - (date.x0 - 2 * 16)) < 4  # and the 署名 starts two characters left of it


def test_bad_fill_colour_is_refused(tmp_path):
    doc = Document(issuer="", title="测试", body=[Table(["甲"], [["乙"]], colours={(0, 0): "red;x:y"})])
    with pytest.raises(ValueError, match="颜色"):
        render_html(doc)


def test_trimmed_user_agent_stylesheet_lays_out_the_same_pages(caplog):
    """html_page drops WeasyPrint's rules a 公文 cannot use (list markers, footnotes, unused margin boxes) to save
    time; every page must come out as with WeasyPrint's whole stylesheet: same size, same drawing, page
    numbers included (a WeasyPrint upgrade that changes its stylesheet would show here)."""
    import pikepdf
    from weasyprint import HTML

    from reporter.render.pdf_gongwen import _html_class, html_page

    text = render_html(sample_document(rows=40))
    fonts = font_configuration()

    def pages(html_doc) -> list[tuple[list, bytes]]:
        pdf = pikepdf.open(io.BytesIO(html_doc.render(font_config=fonts).write_pdf()))
        return [(list(p.mediabox), p.obj.Contents.read_bytes()) for p in pdf.pages]

    _html_class.cache_clear()  # parse the trimmed stylesheet here, where its warnings are seen
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        trimmed = html_page(text, TEMPLATES)
    assert type(trimmed) is not HTML  # the trimmed stylesheet is in use with this WeasyPrint
    assert caplog.records == []
    whole = pages(HTML(string=text, base_url=str(TEMPLATES)))
    assert len(whole) >= 4 and all(b"TJ" in content for _, content in whole)
    assert pages(trimmed) == whole
