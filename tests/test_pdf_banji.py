"""The 版记 (GB/T 9704 7.4) at the foot of the last page, an even one: on the last content page when that page is
even and has room, else alone at the foot of the next even page; never after a needless blank page.
Measured on the rendered PDF: text with poppler (tests.test_pdf_gongwen helpers), rules with pdfplumber."""
from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from reporter.render.document import Attachment, Document, Paragraph, Table
from reporter.render.pdf_batch import write_pdfs
from tests.test_pdf_gongwen import LANDSCAPE, PITCH, PORTRAIT, banji_only, bbox_pages, pytestmark, render  # noqa: F401

SENTENCE = "各区要对照年度目标逐项梳理项目进展，制定赶超措施，明确完成时限，确保按期保质完成。"  # 41 characters


def letter(paragraphs: int, banji: bool = True) -> Document:
    body = [Paragraph(f"{n}．{SENTENCE}") for n in range(1, paragraphs + 1)]
    return Document("某县民生工作领导小组办公室", "关于加快推进民生实事项目的通知", body, addressee="各乡镇人民政府：",
                    signature="某县民生工作领导小组办公室", date=dt.date(2025, 6, 5),
                    cc="县委办公室，县政府办公室" if banji else "", printed_by="某县民生工作领导小组办公室" if banji else "",
                    print_date=dt.date(2025, 6, 5) if banji else None)


def rules(path, page: int) -> list[float]:
    """Tops (pt from the page top) of the page's horizontal rules wider than half the 版心."""
    with pdfplumber.open(path) as pdf:
        p = pdf.pages[page]
        shapes = p.rects + p.lines
        return sorted(s["top"] for s in shapes
                      if s["x1"] - s["x0"] > (PORTRAIT[2] - PORTRAIT[0]) / 2 and s["bottom"] - s["top"] < 2)


def test_banji_joins_an_even_last_page_with_room(tmp_path):
    plain = render(letter(12, banji=False), tmp_path / "plain.pdf")
    assert len(plain.pages) == 2 and plain.pages[1].text_lines[-1].y1 < PORTRAIT[3] - 6 * PITCH  # room on page 2
    r = render(letter(12), tmp_path / "banji.pdf")
    assert len(r.pages) == 2  # the 版记 costs no page
    last = r.pages[1]
    assert last.has("2025年6月5日") and last.has("抄送：县委办公室")
    printed = next(ln for ln in last.text_lines if ln.text.endswith("2025年6月5日印发"))
    assert abs(printed.y1 - PORTRAIT[3]) < PITCH  # at the foot of the 版心
    tops = rules(r.path, 1)
    assert len(tops) == 3  # thick, thin, thick
    assert all(PORTRAIT[3] - 4 * PITCH < t < PORTRAIT[3] + 2 for t in tops)
    assert abs(tops[-1] - PORTRAIT[3]) < 2  # the last rule on the 版心's lower edge
    assert [ln.text for ln in last.numbers] == ["—2—"]  # a content page keeps its number


def test_odd_last_page_gets_one_more_page_with_only_the_banji(tmp_path):
    plain = render(letter(3, banji=False), tmp_path / "plain.pdf")
    assert len(plain.pages) == 1
    r = render(letter(3), tmp_path / "banji.pdf")
    assert len(r.pages) == 2
    assert not r.pages[0].has("印发")
    assert banji_only(r.pages[1]) and r.pages[1].numbers == []
    assert r.pages[1].text_lines[0].text.startswith("抄送：")
    assert abs(r.pages[1].text_lines[-1].y1 - PORTRAIT[3]) < PITCH
    assert all(PORTRAIT[3] - 4 * PITCH < t < PORTRAIT[3] + 2 for t in rules(r.path, 1))


def test_full_even_last_page_sends_the_banji_to_the_next_even_page(tmp_path):
    """No room on page 2: page 3 is blank (an even last page is the rule), page 4 holds the 版记 alone."""
    n = next(n for n in range(14, 40) if _free_on_last(tmp_path, n) is not None)
    r = render(letter(n), tmp_path / "full.pdf")
    assert len(r.pages) == 4
    assert not r.pages[2].text_lines and banji_only(r.pages[3])


def _free_on_last(tmp_path, n: int):
    """n when the letter without 版记 ends on a full page 2 (less than the 版记's three lines free)."""
    pages = render(letter(n, banji=False), tmp_path / f"probe{n}.pdf").pages
    if len(pages) == 2 and pages[1].text_lines[-1].y1 > PORTRAIT[3] - 2.5 * PITCH:
        return n
    return None


def test_batch_places_each_banji_as_alone_and_no_page_is_empty(tmp_path):
    docs = [letter(12), letter(3), letter(12), letter(1, banji=False)]
    paths = write_pdfs(docs, [tmp_path / f"b{i}.pdf" for i in range(len(docs))])
    counts = [len(bbox_pages(p)) for p in paths]
    assert counts == [2, 2, 2, 1]
    for path in paths:
        assert all(p.text_lines for p in bbox_pages(path)), path
    assert banji_only(bbox_pages(paths[1])[1]) and not banji_only(bbox_pages(paths[0])[1])


def test_every_length_of_letter_ends_on_an_even_page_with_the_banji_at_its_foot(tmp_path):
    """Letters of 1 to 20 paragraphs in one batch: each ends on an even page holding the 版记 at the 版心's foot,
    after its content page when that page is even with room, else alone; a blank page only when the content
    ends on an even page; the 版记 nowhere else; page numbers on content pages only, in order."""
    sizes = range(1, 21)
    plain = write_pdfs([letter(n, banji=False) for n in sizes], [tmp_path / f"p{n}.pdf" for n in sizes])
    banji = write_pdfs([letter(n) for n in sizes], [tmp_path / f"b{n}.pdf" for n in sizes])
    seen = set()
    for n, without, with_ in zip(sizes, plain, banji):
        content, pages = bbox_pages(without), bbox_pages(with_)
        assert len(pages) % 2 == 0, n
        last = pages[-1]
        printed = next(ln for ln in last.text_lines if ln.text.endswith("印发"))
        assert abs(printed.y1 - PORTRAIT[3]) < PITCH, n
        assert not any(p.has("印发") for p in pages[:-1]), n
        if len(pages) == len(content):  # joined the last content page
            seen.add("foot")
            assert not banji_only(last) and [ln.text for ln in last.numbers] == [f"—{len(pages)}—"]
        else:
            seen.add("blank" if len(content) % 2 == 0 else "alone")
            assert banji_only(last) and last.numbers == [], n
            assert len(pages) == len(content) + (2 if len(content) % 2 == 0 else 1), n
            if len(content) % 2 == 0:
                assert pages[-2].lines == [], n  # blank, not even a page number
        for i, page in enumerate(pages[:len(content)]):
            assert [ln.text for ln in page.numbers] == [f"—{i + 1}—"], (n, i)
            assert (page.width, page.height) == (pages[-1].width, pages[-1].height)
    assert seen == {"foot", "alone", "blank"}  # every case met


def landscape_notice(rows: int = 5) -> Document:
    """A one-page letter with a landscape table attached: page 2, an even last page, is landscape."""
    table = Table(["序号", "任务名称", "牵头单位", "进展状态"],
                  [[i, "老旧小区改造", "市住房和城市更新局", "按序时"] for i in range(1, rows + 1)])
    doc = letter(3)
    doc.attachments = [Attachment(1, "进展情况表", [table], landscape=True)]
    return doc


def test_banji_joins_a_landscape_last_page_as_wide_as_its_banxin(tmp_path):
    r = render(landscape_notice(), tmp_path / "landscape.pdf")
    assert len(r.pages) == 2 and r.pages[1].landscape
    last = r.pages[1]
    printed = next(ln for ln in last.text_lines if ln.text.endswith("印发"))
    assert abs(printed.y1 - LANDSCAPE[3]) < PITCH and [ln.text for ln in last.numbers] == ["—2—"]
    with pdfplumber.open(r.path) as pdf:
        p = pdf.pages[1]
        wide = [s for s in p.rects + p.lines if s["bottom"] - s["top"] < 2 and s["top"] > LANDSCAPE[3] - 4 * PITCH]
    assert len(wide) == 3 and all(abs(s["x0"] - LANDSCAPE[0]) < 1 and abs(s["x1"] - LANDSCAPE[2]) < 1 for s in wide)


def test_a_batch_lays_out_one_banji_page_for_notices_that_share_their_banji(tmp_path):
    from reporter.render import pdf_gongwen

    docs = [letter(n) for n in (1, 2, 3, 2)]  # one page each, then the 版记 alone
    docs[3].body.append(Paragraph("另一份"))  # distinct documents, one 版记
    before = pdf_gongwen._banji_pdf.cache_info()
    paths = write_pdfs(docs, [tmp_path / f"n{i}.pdf" for i in range(len(docs))])
    after = pdf_gongwen._banji_pdf.cache_info()
    assert after.misses - before.misses <= 1 and after.hits + after.misses - before.hits - before.misses == 4
    pages = [bbox_pages(p)[-1] for p in paths]
    assert all(banji_only(p) for p in pages) and len({tuple(ln.text for ln in p.lines) for p in pages}) == 1


def test_a_batch_places_a_banji_after_a_landscape_attachment_as_alone(tmp_path):
    """The 版记 joins a landscape even last page in a batch too (WeasyPrint breaks pages where a page name
    changes, and a batch names its pages), and the pages are those of the document alone."""
    import pikepdf

    docs = [landscape_notice(), letter(3), landscape_notice(30)]
    batch = write_pdfs(docs, [tmp_path / f"b{i}.pdf" for i in range(len(docs))])
    for i, (doc, path) in enumerate(zip(docs, batch)):
        alone = render(doc, tmp_path / f"a{i}.pdf").path
        with pikepdf.open(alone) as a, pikepdf.open(path) as b:
            assert [p.obj.Contents.read_bytes() for p in b.pages] == [p.obj.Contents.read_bytes() for p in a.pages]
    assert len(bbox_pages(batch[0])) == 2 and bbox_pages(batch[0])[1].has("印发")
