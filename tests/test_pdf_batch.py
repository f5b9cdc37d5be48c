"""PDFs laid out in one batch and split (reporter.render.pdf_batch) are the PDFs each document gives alone:
the same pages drawn the same way, the same text, title, language and bookmarks."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pikepdf
import pytest

from reporter.render.document import Document, Paragraph, Table
from reporter.render.formats import write_documents
from reporter.render.notices import build_notices, load_notice_settings
from reporter.render.pdf_batch import write_pdfs
from reporter.render.pdf_gongwen import write_pdf
from tests.fixtures_gongwen import sample_document


@pytest.fixture(scope="module")
def documents(sample_rollup):
    """Two real 督办通知 (three pages and the 版记 alone on the fourth, at its foot)
    around a 通报 with a landscape attachment and the 版记 at the foot of its even last page, and a one-page letter."""
    notices = build_notices(sample_rollup, load_notice_settings(), dt.date(2025, 6, 5))
    letter = Document("武汉市民生工作领导小组办公室", "关于报送5月进展情况的函",
                      [Paragraph("请于6月10日前报送。")], addressee="各区民生办：",
                      signature="武汉市民生工作领导小组办公室", date=dt.date(2025, 6, 5))
    return [notices[0].document, sample_document(40), letter, notices[1].document]


@pytest.fixture(scope="module")
def pairs(documents, tmp_path_factory):
    """(alone, batch) PDF paths for each document."""
    folder = tmp_path_factory.mktemp("batch")
    alone = [write_pdf(doc, folder / f"alone{i}.pdf") for i, doc in enumerate(documents)]
    batch = write_pdfs(documents, [folder / f"batch{i}.pdf" for i in range(len(documents))])
    return list(zip(alone, batch))


def test_every_page_is_drawn_as_alone(pairs):
    for alone, batch in pairs:
        with pikepdf.open(alone) as a, pikepdf.open(batch) as b:
            assert len(b.pages) == len(a.pages)
            for pa, pb in zip(a.pages, b.pages):
                assert list(pb.mediabox) == list(pa.mediabox)
                assert pb.obj.Contents.read_bytes() == pa.obj.Contents.read_bytes()


def test_the_pages_hold_the_letter_sizes_and_the_odd_pages_numbered_right(pairs):
    """A document's own page count, not the batch's: the 通报 has landscape pages and ends on its 版记 page."""
    counts = []
    for _alone, batch in pairs:
        with pikepdf.open(batch) as b:
            counts.append(len(b.pages))
            sizes = {(round(float(p.mediabox[2])), round(float(p.mediabox[3]))) for p in b.pages}
            assert (595, 842) in sizes
    assert counts[2] == 1 and counts[1] > 4
    with pikepdf.open(pairs[1][1]) as b:
        assert any(float(p.mediabox[2]) > float(p.mediabox[3]) for p in b.pages)  # landscape attachment


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="需要 poppler-utils（pdftotext）")
def test_the_text_reads_the_same_page_numbers_from_one(pairs):
    for alone, batch in pairs:
        a, b = (subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True,
                               check=True).stdout for p in (alone, batch))
        assert b == a
        assert "— 1 —" in b.replace("—1—", "— 1 —")


def test_title_author_language_and_bookmarks_as_alone(pairs, documents):
    for (alone, batch), doc in zip(pairs, documents):
        with pikepdf.open(alone) as a, pikepdf.open(batch) as b:
            assert dict(b.docinfo) == dict(a.docinfo) and str(b.docinfo["/Title"]) == doc.title
            assert b.Root.Lang == a.Root.Lang == "zh-CN" and b.pdf_version == a.pdf_version
            with a.open_outline() as oa, b.open_outline() as ob:
                assert _tree(ob.root, b) == _tree(oa.root, a) and _tree(ob.root, b)


def _tree(items, pdf) -> list:
    return [(i.title, pikepdf.Page(i.destination[0]).index if i.destination else None, _tree(i.children, pdf))
            for i in items]


def test_a_broken_document_fails_with_its_own_message_and_the_others_are_written(documents, tmp_path):
    broken = Document("某某办公室", "表格底色有误的通知",
                      [Table(["任务", "状态"], [["老旧小区改造", "滞后"]], colours={(0, 1): "黄色"})])
    docs = [documents[2], broken, documents[0]]
    paths = [tmp_path / f"{i}.pdf" for i in range(3)]
    with pytest.raises(ValueError, match="表格底色不是十六进制颜色"):
        write_pdfs(docs, paths)
    assert paths[0].read_bytes()[:5] == b"%PDF-" and paths[2].read_bytes()[:5] == b"%PDF-"
    assert not paths[1].exists() and not list(tmp_path.glob(".~*"))


def test_write_documents_gives_each_its_word_and_pdf(documents, tmp_path):
    stems = [tmp_path / "甲", tmp_path / "乙.通知"]
    files = write_documents(documents[2:4], stems, ("docx", "pdf"))
    assert files == [[tmp_path / "甲.docx", tmp_path / "甲.pdf"], [tmp_path / "乙.通知.docx", tmp_path / "乙.通知.pdf"]]
    assert all(p.stat().st_size > 0 for pair in files for p in pair)
