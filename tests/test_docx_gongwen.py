"""The GB/T 9704 Word renderer: the XML it writes, then the pages LibreOffice lays out from it.

The LibreOffice half needs soffice and poppler-utils (Debian: libreoffice-writer-nogui poppler-utils
fonts-noto-cjk) and is skipped without them.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from reporter.render import docx_gongwen as gw
from reporter.render import docx_parts as dp
from reporter.render.document import Attachment, Document, Heading, Paragraph, Table

from .fixtures_gongwen import DOC_NUMBER, ISSUER, STATUS_COL, TITLE, sample_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONTS = {dp.XBS, dp.FS, dp.KT, dp.HT, dp.ST}
THEME = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
PORTRAIT = (11906, 16838, 2098, 1587, 1474, 1984)  # width, height, top, left, right, bottom
LANDSCAPE = (16838, 11906, 1587, 1984, 2098, 1474)  # turned: the table head faces the binding edge


@pytest.fixture(scope="module")
def sample():
    return sample_document(300)


@pytest.fixture(scope="module")
def written(sample, tmp_path_factory):
    return gw.write_docx(sample, tmp_path_factory.mktemp("gongwen") / "通报.docx")


@pytest.fixture(scope="module")
def word(written):
    return docx.Document(str(written))


@pytest.fixture(scope="module")
def parts(written):
    with zipfile.ZipFile(written) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist() if name.endswith(".xml")}


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def val(el, tag: str, attr: str = "val"):
    child = el.find(f"{W}{tag}") if el is not None else None
    return None if child is None else child.get(f"{W}{attr}")


def paragraph(parts, text: str):
    body = parts["word/document.xml"]
    return next(p for p in body.iter(f"{W}p") if text_of(p) == text)


def run_fonts(p) -> list[tuple[str, str | None, str | None]]:
    """(text, eastAsia font, size in half points) of each run with text."""
    out = []
    for r in p.iter(f"{W}r"):
        if text_of(r):
            rpr = r.find(f"{W}rPr")
            out.append((text_of(r), val(rpr, "rFonts", "eastAsia"), val(rpr, "sz")))
    return out


# ---- the .docx itself -------------------------------------------------------------------------------------------

def test_write_returns_path_and_leaves_no_temp_file(written):
    assert written.exists() and written.name == "通报.docx"
    assert [p.name for p in written.parent.iterdir()] == ["通报.docx"]


def test_sections_are_a4_with_9704_margins(word, parts):
    expected = [PORTRAIT, LANDSCAPE, PORTRAIT, PORTRAIT]  # body, 附件1, 附件2, 版记
    sectprs = list(parts["word/document.xml"].iter(f"{W}sectPr"))
    assert len(word.sections) == len(sectprs) == len(expected)
    for sectpr, (w, h, top, left, right, bottom) in zip(sectprs, expected):
        size, margins = sectpr.find(f"{W}pgSz"), sectpr.find(f"{W}pgMar")
        assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (w, h)
        got = [int(margins.get(f"{W}{k}")) for k in ("top", "left", "right", "bottom")]
        assert got == [top, left, right, bottom]
        assert (size.get(f"{W}orient") == "landscape") == (w > h)
    assert val(sectprs[-1], "type") == "evenPage"  # 版记 on the last, even, page


def test_fonts_are_explicit_and_chinese(parts):
    for name in ("word/document.xml", "word/styles.xml"):
        for rfonts in parts[name].iter(f"{W}rFonts"):
            assert not any(rfonts.get(f"{W}{a}") for a in THEME), name
    runs = [r for r in parts["word/document.xml"].iter(f"{W}r") if text_of(r)]
    assert len(runs) > 3000
    for r in runs:
        rfonts = r.find(f"{W}rPr/{W}rFonts")
        assert rfonts is not None, text_of(r)
        fonts = {rfonts.get(f"{W}{k}") for k in ("eastAsia", "ascii", "hAnsi")}
        assert len(fonts) == 1 and fonts <= FONTS, (text_of(r), fonts)
    lang = parts["word/settings.xml"].find(f"{W}themeFontLang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_normal_style_is_3hao_fangsong_in_chinese(word, parts):
    normal = word.styles["Normal"].element
    assert val(normal.rPr, "rFonts", "eastAsia") == dp.FS
    assert val(normal.rPr, "sz") == "32"
    assert val(normal.rPr, "lang", "eastAsia") == "zh-CN"
    defaults = parts["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert val(defaults, "rFonts", "eastAsia") == dp.FS and val(defaults, "lang", "eastAsia") == "zh-CN"
    fonts = {f.get(f"{W}name"): f for f in parts["word/fontTable.xml"]}
    assert val(fonts[dp.FS], "altName") == "仿宋" and val(fonts[dp.FS], "charset") == "86"


def test_body_paragraphs_are_on_the_22_line_grid(sample, parts):
    texts = [b.lead + b.text for b in sample.body if isinstance(b, Paragraph)]
    assert len(texts) >= 30
    for text in texts:
        p = paragraph(parts, text)
        ppr = p.find(f"{W}pPr")
        spacing = ppr.find(f"{W}spacing")
        assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
        assert val(ppr, "widowControl") == "0" and val(ppr, "snapToGrid") == "0"
        assert val(ppr, "ind", "firstLine") == "640"  # two 16 pt characters
        assert run_fonts(p)[-1][1:] == (dp.FS, "32")


def test_every_paragraph_ignores_the_document_grid(parts):
    for name, root in parts.items():
        if name.startswith("word/") and root.tag in {f"{W}document", f"{W}ftr"}:
            for p in root.iter(f"{W}p"):
                assert val(p.find(f"{W}pPr"), "snapToGrid") == "0", (name, text_of(p))


def test_headings_take_their_level_fonts(sample, parts):
    levels = {b.level for b in sample.body if isinstance(b, Heading)}
    assert levels == {1, 2, 3, 4}
    expected = {1: dp.HT, 2: dp.KT, 3: dp.FS, 4: dp.FS}
    for block in (b for b in sample.body if isinstance(b, Heading)):
        p = paragraph(parts, block.text)
        assert run_fonts(p) == [(block.text, expected[block.level], "32")]
        assert p.find(f"{W}pPr/{W}keepNext") is not None
    leads = [b for b in sample.body if isinstance(b, Paragraph) and b.lead.startswith("（")]
    assert run_fonts(paragraph(parts, leads[0].lead + leads[0].text))[0][1] == dp.KT


def test_masthead_title_and_addressee(parts):
    issuer = paragraph(parts, ISSUER)  # the first paragraph with that text: the 发文机关标志
    ((_, font, size),) = run_fonts(issuer)
    assert font == dp.XBS and 40 <= int(size) <= 52
    assert issuer.find(f".//{W}color").get(f"{W}val") == "FF0000"
    assert val(issuer.find(f"{W}pPr"), "jc") == "center"
    rule = paragraph(parts, DOC_NUMBER).find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000" and rule.get(f"{W}val") == "single"
    title = paragraph(parts, TITLE)
    assert run_fonts(title) == [(TITLE, dp.XBS, "44")] and val(title.find(f"{W}pPr"), "jc") == "center"
    addressee = paragraph(parts, "各区人民政府，市直有关部门：")
    assert val(addressee.find(f"{W}pPr"), "ind", "firstLine") is None


def test_masthead_shrinks_a_long_issuer_to_one_line():
    assert gw._masthead_size("武汉市民生工作领导小组办公室") == 26
    long_name = "某某省某某市某某区民生实事工作领导小组办公室文件"
    assert gw._masthead_size(long_name) * gw.width(long_name) <= 156 / 25.4 * 72


def test_page_numbers_odd_right_even_left(word, parts):
    assert parts["word/settings.xml"].find(f"{W}evenAndOddHeaders") is not None
    body = word.sections[0]
    for footer, side in ((body.footer, "right"), (body.even_page_footer, "left")):
        p = footer.paragraphs[0]._p
        assert val(p.find(f"{W}pPr"), "jc") == side
        assert val(p.find(f"{W}pPr"), "ind", side) == "280"  # one 14 pt character in
        kinds = [f.get(f"{W}fldCharType") for f in p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert [t.text for t in p.iter(f"{W}instrText")] == [" PAGE "]
        assert re.fullmatch(r"— 1 —", text_of(p))
        assert {f for _, f, _ in run_fonts(p)} == {dp.ST} and {s for _, _, s in run_fonts(p)} == {"28"}
    colophon = word.sections[-1]
    for footer in (colophon.footer, colophon.even_page_footer):
        assert not footer.is_linked_to_previous
        assert not list(footer._element.iter(f"{W}fldChar")) and not text_of(footer._element)


def test_attachment_tables(sample, parts):
    tables = list(parts["word/document.xml"].iter(f"{W}tbl"))
    assert len(tables) == 2
    big, source = tables[0], sample.attachments[0].blocks[0]
    rows = big.findall(f"{W}tr")
    assert len(rows) == 301
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    header = [run_fonts(tc) for tc in rows[0].findall(f"{W}tc")]
    assert ["".join(run[0] for run in h) for h in header] == source.headers  # broken by <w:br/> at most
    assert {run[1] for h in header for run in h} == {dp.HT}
    assert {f for tc in rows[5].findall(f"{W}tc") for _, f, _ in run_fonts(tc)} == {dp.FS}
    borders = big.find(f"{W}tblPr/{W}tblBorders")
    assert [(b.get(f"{W}val"), b.get(f"{W}sz")) for b in borders] == [("single", "4")] * 6
    widths = [int(c.get(f"{W}w")) for c in big.find(f"{W}tblGrid")]
    assert sum(widths) == 16838 - 1984 - 2098  # the landscape 版心, 225 mm
    fills = {}
    for r, tr in enumerate(rows[1:]):
        for c, tc in enumerate(tr.findall(f"{W}tc")):
            tcpr = tc.find(f"{W}tcPr")
            shd = tcpr.find(f"{W}shd")
            if shd is not None:
                fills[(r, c)] = shd.get(f"{W}fill")
                tags = [etree.QName(e).localname for e in tcpr]
                assert tags.index("shd") < tags.index("vAlign")  # schema order
    assert fills == {k: v.lstrip("#") for k, v in source.colours.items()}
    assert rows[1].findall(f"{W}tc")[STATUS_COL].find(f"{W}tcPr/{W}shd") is not None


def test_attachment_pages_start_with_label_and_title(sample, parts):
    for attachment in sample.attachments:
        label = paragraph(parts, f"附件{attachment.number}")
        assert run_fonts(label) == [(f"附件{attachment.number}", dp.HT, "32")]
        title = paragraph(parts, attachment.title)
        assert run_fonts(title)[0][1:] == (dp.XBS, "44")


def test_attachment_note_signature_and_date(sample, parts):
    note = paragraph(parts, "附件：1.2025年市级民生实事项目进展情况表")
    ind = note.find(f"{W}pPr/{W}ind")
    assert int(ind.get(f"{W}left")) - int(ind.get(f"{W}hanging")) == 640  # starts two characters in
    signature = [p for p in parts["word/document.xml"].iter(f"{W}p") if text_of(p) == ISSUER][-1]
    date = paragraph(parts, "2025年6月5日")
    assert val(signature.find(f"{W}pPr"), "jc") == val(date.find(f"{W}pPr"), "jc") == "right"
    name_right = int(val(signature.find(f"{W}pPr"), "ind", "right"))
    date_right = int(val(date.find(f"{W}pPr"), "ind", "right"))
    assert name_right == 640  # 署名 two characters from the right
    # the date's first character two characters right of the 署名's first character (320 twips a character)
    name_start = name_right + gw.width(ISSUER) * 320
    date_start = date_right + gw.width("2025年6月5日") * 320
    assert name_start - date_start == pytest.approx(640, abs=2)  # twips are whole
    assert not re.search(r"年0\d|月0\d", "".join(text_of(p) for p in parts["word/document.xml"].iter(f"{W}p")))


def test_a_date_longer_than_the_signature_keeps_two_characters_from_the_right(tmp_path):
    doc = Document(issuer="某局", title="通知", body=[Paragraph("正文。")], signature="某局", date=dt.date(2025, 12, 25))
    parts = _parts(gw.write_docx(doc, tmp_path / "a.docx"))
    assert val(paragraph(parts, "2025年12月25日").find(f"{W}pPr"), "ind", "right") == "640"


def test_colophon_rules_and_lines(parts):
    body = list(parts["word/document.xml"].find(f"{W}body"))
    start = max(i for i, el in enumerate(body) if el.find(f"{W}pPr/{W}sectPr") is not None)  # 版记 section
    paras = [el for el in body[start + 1:] if el.tag == f"{W}p"]
    rules = [p for p in paras if p.find(f"{W}pPr/{W}pBdr") is not None]
    assert [int(p.find(f"{W}pPr/{W}pBdr/{W}bottom").get(f"{W}sz")) for p in rules] == [8, 6, 8]
    assert all(p.find(f"{W}pPr/{W}ind") is None for p in rules)  # as wide as the 版心
    cc, printed = (p for p in paras if text_of(p))
    assert text_of(cc).startswith("抄送：") and text_of(cc).endswith("。")
    assert run_fonts(cc)[0][1:] == (dp.FS, "28")
    assert val(cc.find(f"{W}pPr"), "ind", "left") == str(280 + 3 * 280)  # wraps under the first name
    assert printed.find(f".//{W}tab") is not None and text_of(printed).endswith("2025年6月5日印发")
    stop = printed.find(f"{W}pPr/{W}tabs/{W}tab")
    assert stop.get(f"{W}val") == "right" and int(stop.get(f"{W}pos")) == dp.TEXT_W - 280


def test_body_table_single_attachment_and_no_colophon(tmp_path):
    table = Table(headers=["地区", "完成率(%)"], rows=[["江岸区", 45.25], ["江汉区", None]],
                  number_formats=[None, "{:.1f}"])
    doc = Document(issuer="某局", title="情况报告", body=[Heading(1, "一、情况"), table], note="（此件不公开）",
                   attachments=[Attachment(1, "明细表", [Paragraph("见表。")], landscape=False)])
    path = gw.write_docx(doc, tmp_path / "b.docx")
    parts = _parts(path)
    tbl = parts["word/document.xml"].find(f".//{W}tbl")
    assert sum(int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid")) == dp.TEXT_W
    assert [text_of(tc) for tc in tbl.findall(f"{W}tr")[1].findall(f"{W}tc")] == ["江岸区", "45.2"]
    assert paragraph(parts, "附件：明细表") is not None and paragraph(parts, "附件") is not None
    assert paragraph(parts, "（此件不公开）") is not None  # 附注 without 落款
    assert len(docx.Document(str(path)).sections) == 2  # body and the attachment; no 版记 without its data


def test_unknown_block_is_refused(tmp_path):
    doc = Document(issuer="某局", title="通知", body=["不是公文内容"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        gw.write_docx(doc, tmp_path / "c.docx")
    assert not list(tmp_path.iterdir())


def _parts(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


# ---- LibreOffice's layout of it ---------------------------------------------------------------------------------

PT = 1 / 20  # twips → points
JAPANESE = re.compile(r"CJK ?JP|Mincho|明朝|ゴシック|IPA|MS ?P?Gothic|Takao|VL ?P?Gothic|Sazanami|Kochi|UmePlus")


@pytest.fixture(scope="module")
def rendered(written, tmp_path_factory):
    """The sample converted by LibreOffice, blank pages kept as a duplex printer would, with fontconfig's
    match log (FC_DEBUG=1) saying which installed face stood in for each font."""
    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.skip("LibreOffice (soffice) or poppler-utils not installed: "
                    "apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
    out = tmp_path_factory.mktemp("lo")
    export = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    proc = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--convert-to", export,
         "--outdir", str(out), str(written)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "FC_DEBUG": "1"})
    pdf = out / written.with_suffix(".pdf").name
    assert pdf.exists(), proc.stderr[-2000:]
    return pdf, proc.stdout


@pytest.fixture(scope="module")
def pages(rendered):
    """Per page: (width, height, [(xMin, yMin, xMax, yMax, text)] sorted top to bottom)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(rendered[0]), "-"], capture_output=True,
                         check=True).stdout
    out = []
    for page in etree.fromstring(xml).iter("{*}page"):
        lines = [(*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                  "".join(w.text or "" for w in line.iter("{*}word"))) for line in page.iter("{*}line")]
        out.append((float(page.get("width")), float(page.get("height")), sorted(lines, key=lambda l: l[1])))
    return out


def _body_area(page):
    """Lines inside the 版心 of a portrait page."""
    _, height, lines = page
    top, bottom = 2098 * PT, height - 1984 * PT
    return [l for l in lines if l[1] >= top - 2 and l[3] <= bottom + 2]


def _first_attachment_page(pages) -> int:
    return next(i for i, (_, _, lines) in enumerate(pages) if lines and lines[0][4] == "附件1")


def test_lo_full_body_pages_have_22_lines_of_28_characters(sample, pages):
    body = pages[:_first_attachment_page(pages)]
    headings = {b.text for b in sample.body if isinstance(b, Heading)}
    full_lines = []
    # page 1 holds the 版头; the last two may be short: the 落款 takes the last lines of text along (7.3.5.5)
    assert len(body) >= 5
    for n, page in enumerate(body[1:-2], start=2):
        lines = _body_area(page)
        # a heading is kept with its paragraph: a page may end one line short before one
        allowed = {21, 22} if _body_area(body[n])[0][4] in headings else {22}
        assert len(lines) in allowed, f"第{n}页"
        pitches = [b[1] - a[1] for a, b in zip(lines, lines[1:])]
        assert max(pitches) - min(pitches) < 0.5 and sum(pitches) / len(pitches) == pytest.approx(28.95, abs=0.1)
    left, right = 1587 * PT, body[0][0] - 1474 * PT
    for page in body:  # lines of Chinese only running from margin to margin
        full_lines += [l[4] for l in _body_area(page) if abs(l[0] - left) < 1 and l[2] > right - 8
                       and all(unicodedata.east_asian_width(c) in "WFA" for c in l[4])]
    assert len(full_lines) >= 3 and {len(t) for t in full_lines} == {28}, full_lines


def test_lo_page_numbers(pages):
    numbered = 0
    for n, (width, height, lines) in enumerate(pages, start=1):
        is_colophon = any(l[4].endswith("印发") for l in lines)
        numbers = [l for l in lines if re.fullmatch(r"—\s*\d+\s*—", l[4])]
        if not lines or is_colophon:  # the blank page before the 版记 and the 版记 page carry none
            assert not numbers, f"第{n}页"
            continue
        (x0, y0, x1, _, text), = numbers
        assert int(re.sub(r"\D", "", text)) == n
        portrait = width < height
        bottom = height - (1984 if portrait else 1474) * PT
        assert y0 > bottom  # below the 版心
        if n % 2:
            right = width - (1474 if portrait else 2098) * PT
            assert x0 > width / 2 and x1 == pytest.approx(right - 14, abs=2), f"第{n}页"
        else:
            left = (1587 if portrait else 1984) * PT
            assert x1 < width / 2 and x0 == pytest.approx(left + 14, abs=2), f"第{n}页"
        numbered += 1
    assert numbered >= len(pages) - 2


def test_lo_landscape_attachment_repeats_its_header(sample, pages):
    first = _first_attachment_page(pages)
    second = next(i for i, (_, _, lines) in enumerate(pages) if lines and lines[0][4] == "附件2")
    table_pages = pages[first:second]
    assert len(table_pages) >= 5
    for n, (width, height, lines) in enumerate(table_pages, start=first + 1):
        assert width > height, f"第{n}页"
        header = [l for l in lines if "任务名称" in l[4]]
        assert header, f"第{n}页"
        if n > first + 1:  # continuation pages: the header row is the first thing in the 版心
            assert header[0][1] < 1587 * PT + 30, f"第{n}页"
    codes = [w for _, _, lines in table_pages for l in lines for w in re.findall(r"MS2025-\d{3}", l[4])]
    assert len(codes) == len(sample.attachments[0].blocks[0].rows)  # no row lost or doubled


def test_lo_colophon_sits_on_the_last_even_page(pages):
    assert len(pages) % 2 == 0
    width, height, lines = pages[-1]
    assert width < height and lines[0][4].startswith("抄送：")
    printed = [l for l in lines if l[4].endswith("印发")]
    bottom = height - 1984 * PT
    assert printed and bottom - 25 < printed[0][3] <= bottom  # on the 版心's last line


def test_lo_fonts_are_never_japanese(rendered, capsys):
    pdf, fc_log = rendered
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert not JAPANESE.search(listing), listing
    # Noto CJK faces share one CFF named '...CJKjp' whatever the language, so pdffonts cannot tell SC from JP:
    # fontconfig's match log says which face LibreOffice asked for, and in which language.
    if "Match Pattern" not in fc_log:
        pytest.skip("LibreOffice did not log fontconfig matches (FC_DEBUG): its substitutes cannot be read here")
    chosen = _fontconfig_matches(fc_log)
    assert set(chosen) >= {dp.FS, dp.XBS}, chosen
    for wanted, (faces, langs) in chosen.items():
        assert not any(JAPANESE.search(f) for f in faces), (wanted, faces)
        assert "zh-cn" in langs, (wanted, langs)
    with capsys.disabled():
        print("\nLibreOffice font substitution: " + "; ".join(f"{k} → {', '.join(sorted(v[0]))}"
                                                             for k, v in sorted(chosen.items())))


def _fontconfig_matches(log: str) -> dict[str, tuple[set[str], set[str]]]:
    """{requested family: ({matched families}, {requested languages})} for our fonts, from FC_DEBUG=1 output."""
    chosen: dict[str, tuple[set[str], set[str]]] = {}
    wanted = matched = None
    langs: set[str] = set()
    for line in log.splitlines():
        if line.startswith("Match Pattern"):
            wanted, matched, langs = None, False, set()
        elif line.startswith("Best score"):
            matched = True
        elif line.startswith("\tlang:") and not matched:
            langs = set(re.findall(r'"([^"]+)"\(s\)', line))
        elif line.startswith("\tfamily:") and wanted is None and not matched:
            wanted = re.match(r'\tfamily: "([^"]+)"', line).group(1)
        elif line.startswith("\tfamily:") and matched and wanted in FONTS:
            faces, seen = chosen.setdefault(wanted, (set(), set()))
            faces.add(re.match(r'\tfamily: "([^"]+)"', line).group(1))
            seen.update(langs)
            wanted = ""  # one match per pattern
    return chosen
