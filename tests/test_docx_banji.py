"""The 版记 in Word where the PDF has it (GB/T 9704 7.4): at the foot of the last content page when the PDF's
layout finds that page even with room — a table floated to the 版心's bottom, no section break, no blank page —
else alone on the next even page without page number. Checked in the XML and in LibreOffice's layout of the
Word files (pdfplumber), beside the PDFs written in the same run."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from reporter.render import docx_parts as dp
from reporter.render.document import Heading
from reporter.render.formats import write_documents
from reporter.render.notices import build_notices, load_notice_settings
from tests.test_pdf_banji import landscape_notice, letter

PORTRAIT = (dp.LEFT / 20, dp.TOP / 20, (dp.PAGE_W - dp.RIGHT) / 20, (dp.PAGE_H - dp.BOTTOM) / 20)  # 版心, pt
LANDSCAPE = (dp.BOTTOM / 20, dp.LEFT / 20, (dp.PAGE_H - dp.TOP) / 20, (dp.PAGE_W - dp.RIGHT) / 20)
NUMBER = re.compile(r"^—\s*\d+\s*—$")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def numbered(doc):
    doc.doc_number = "某民生办〔2025〕5号"
    return doc


@pytest.fixture(scope="module")
def documents(sample_rollup) -> dict:
    """Real 督办通知 of the sample round — three pages, and one cut to its intro, whose landscape 附件 is then
    page 2 — and letters whose 版记 joins page 2, goes alone, or after a blank page."""
    notice = build_notices(sample_rollup, load_notice_settings(), dt.date(2025, 6, 5))[0].document
    intro = next(i for i, b in enumerate(notice.body) if isinstance(b, Heading))  # as from an office's templates
    return {"三页通知": notice, "两页通知": replace(notice, body=notice.body[:intro]),  # that leave the intro alone
            "两页函": numbered(letter(12)), "一页函": numbered(letter(3)), "满两页函": numbered(letter(14)),
            "横表函": numbered(landscape_notice(5))}


@pytest.fixture(scope="module")
def written(documents, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("word-banji")
    write_documents(list(documents.values()), [folder / name for name in documents], ("docx", "pdf"))
    return folder


@pytest.fixture(scope="module")
def lo(written, documents) -> dict[str, list]:
    """Each Word file as LibreOffice lays it out: per page (width, height, text lines, rules)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    out = written / "lo"
    export = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--convert-to",
                    export, "--outdir", str(out), *(str(written / f"{n}.docx") for n in documents)],
                   capture_output=True, timeout=240, check=True)
    return {name: read_pages(out / f"{name}.pdf") for name in documents}


def read_pages(pdf: Path) -> list[dict]:
    pages = []
    with pdfplumber.open(pdf) as doc:
        for p in doc.pages:
            lines = [ln["text"].replace(" ", "") for ln in p.extract_text_lines()]
            rules = sorted({round(s["top"]): (s["x0"], s["x1"], s["top"]) for s in p.rects + p.lines  # drawn twice
                            if s["bottom"] - s["top"] < 2 and s["x1"] - s["x0"] > 200}.values(), key=lambda r: r[2])
            printed = [ln["bottom"] for ln in p.extract_text_lines() if ln["text"].replace(" ", "").endswith("印发")]
            pages.append({"landscape": p.width > p.height, "lines": lines, "rules": rules, "printed": printed,
                          "numbers": [t for t in lines if NUMBER.match(t)]})
    return pages


def banji_at_foot(page: dict) -> bool:
    """印发 on the 版心's last line and the 版记's rules as wide as the 版心, the last on its lower edge."""
    left, _, right, bottom = LANDSCAPE if page["landscape"] else PORTRAIT
    rules = [r for r in page["rules"] if r[2] > bottom - 4 * 28.95]
    cc = any(t.startswith("抄送：") for t in page["lines"])  # thick, thin, thick; without 抄送 thick, thick
    return (len(page["printed"]) == 1 and bottom - 25 < page["printed"][0] <= bottom + 1
            and len(rules) == (3 if cc else 2) and all(abs(x0 - left) < 1.5 and abs(x1 - right) < 1.5 for x0, x1, _ in rules)
            and abs(max(top for *_, top in rules) - bottom) < 4)  # the Word 版记 page keeps 3 pt to spare


def test_a_two_page_notice_ends_on_page_2_with_the_banji_at_its_foot(lo):
    pages = lo["两页通知"]
    assert len(pages) == 2 and pages[1]["landscape"]  # the 附件 page, an even last page with room
    assert banji_at_foot(pages[1]) and pages[1]["numbers"] == ["—2—"]
    assert any("附件" == t for t in pages[1]["lines"])


def test_a_three_page_notice_gets_its_banji_alone_on_page_4_without_number(lo):
    pages = lo["三页通知"]
    assert len(pages) == 4 and pages[2]["landscape"] and not pages[3]["landscape"]
    last = pages[3]
    assert banji_at_foot(last) and last["numbers"] == []
    assert all(t.startswith("抄送") or t.endswith("印发") for t in last["lines"])


def test_letters_end_as_their_pdf_and_no_page_is_empty_but_one_before_a_banji_page(lo, written, documents):
    for name in documents:
        pages, pdf = lo[name], read_pages(written / f"{name}.pdf")
        assert len(pages) == len(pdf) and len(pages) % 2 == 0, name
        assert [bool(p["printed"]) for p in pages] == [bool(p["printed"]) for p in pdf], name
        assert banji_at_foot(pages[-1]), name
        for n, page in enumerate(pages):
            if not page["lines"]:  # the blank page before a 版记 page, nowhere else
                assert n == len(pages) - 2 and pages[-1]["numbers"] == [], name
            elif n < len(pages) - 1:
                assert page["numbers"] == [f"—{n + 1}—"], (name, n)
    assert not lo["满两页函"][2]["lines"] and banji_at_foot(lo["满两页函"][3])  # full page 2: blank 3, 版记 4
    assert len(lo["两页函"]) == 2 and lo["两页函"][1]["numbers"] == ["—2—"]  # joined page 2, which keeps its number


def test_the_foot_banji_is_a_floating_table_without_a_section_break(written):
    body = _body(written / "两页函.docx")
    assert not [s for s in body.iter(f"{W}sectPr") if _type(s) == "evenPage"]  # no section of its own
    tables = body.findall(f"{W}tbl")
    pos = tables[-1].find(f"{W}tblPr/{W}tblpPr")
    assert pos is not None and pos.get(f"{W}vertAnchor") == "margin" and pos.get(f"{W}tblpYSpec") == "bottom"
    assert int(tables[-1].find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == dp.TEXT_W
    borders = tables[-1].find(f"{W}tblPr/{W}tblBorders")
    assert [int(borders.find(f"{W}{s}").get(f"{W}sz")) for s in ("top", "insideH", "bottom")] == [8, 6, 8]
    alone = _body(written / "一页函.docx")
    assert [s for s in alone.iter(f"{W}sectPr") if _type(s) == "evenPage"]
    assert all(t.find(f"{W}tblPr/{W}tblpPr") is None for t in alone.iter(f"{W}tbl"))


def test_word_alone_takes_the_placement_from_a_layout(documents, written, tmp_path):
    """docx without PDF: the same Word files as beside the PDFs, the placement from a layout writing no PDF."""
    names = list(documents)
    write_documents(list(documents.values()), [tmp_path / n for n in names], ("docx",))
    assert not list(tmp_path.glob("*.pdf"))
    for name in names:
        assert _xml(tmp_path / f"{name}.docx") == _xml(written / f"{name}.docx"), name


def _xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def _body(path: Path):
    from lxml import etree

    return etree.fromstring(_xml(path)).find(f"{W}body")


def _type(sect) -> str | None:
    t = sect.find(f"{W}type")
    return None if t is None else t.get(f"{W}val")


def test_a_document_whose_pdf_fails_still_gets_its_word_file_and_the_others_theirs(tmp_path):
    from reporter.render.document import Document, Table

    broken = Document("某某办公室", "表格底色有误的通知", [Table(["任务", "状态"], [["老旧小区改造", "滞后"]],
                                                         colours={(0, 1): "黄色"})], printed_by="某某办公室")
    good = numbered(letter(12))
    with pytest.raises(ValueError, match="表格底色不是十六进制颜色"):
        write_documents([good, broken], [tmp_path / "good", tmp_path / "broken"], ("docx", "pdf"))
    assert (tmp_path / "good.pdf").exists() and (tmp_path / "good.docx").exists()
    assert (tmp_path / "broken.docx").exists() and not (tmp_path / "broken.pdf").exists()
    body = _body(tmp_path / "good.docx")  # its 版记 still at the foot, from a layout of its own
    assert body.findall(f"{W}tbl")[-1].find(f"{W}tblPr/{W}tblpPr") is not None


def test_the_placement_without_pdf_is_the_pdfs_and_a_document_without_banji_is_not_laid_out(documents, written,
                                                                                            monkeypatch):
    from reporter.render import pdf_batch

    laid = []
    layout = pdf_batch._layout
    monkeypatch.setattr(pdf_batch, "_layout", lambda docs, folder: laid.append(len(docs)) or layout(docs, folder))
    plain = replace(documents["两页函"], cc="", printed_by="")
    docs = [documents["两页通知"], plain, documents["一页函"]]
    assert pdf_batch.banji_alone(docs) == [False, False, True]
    assert laid == [2]  # one layout of the two documents with a 版记
