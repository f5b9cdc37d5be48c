"""Many 公文 PDFs from one WeasyPrint layout pass, split into one file per document afterwards.

Why: a 3-page 督办通知 alone costs about 250 ms, most of it per document rather than per page: loading the
CJK fonts and subsetting them (≈ 35 ms per font per PDF), parsing the stylesheet, starting the layout.
In one document of many notices those costs are paid once; a notice then costs about 90 ms
(bench/bench_notices.py).

How: each document's HTML body (pdf_gongwen.render_html, unchanged) goes into a wrapper that starts on a
right-hand page (so odd pages stay odd: page numbers right, even left, as alone) and resets the page counter
on its first page. WeasyPrint lays out and writes the whole batch once; pikepdf then copies each document's
pages into its own file: from the page holding the wrapper's anchor up to the next document's, less the blank
page the right-hand break may add. A document whose 版记 needs a page of its own (render/pdf_banji.py) gets it
appended from a separate tiny PDF laid out once per distinct 版记, as `write_pdf` does alone. Each file gets
what WeasyPrint gives a document alone: its title, author, language, PDF version and outline (bookmarks of its
headings). Pages are byte-for-byte the batch's pages, so
their geometry is the same as alone (tests/test_pdf_batch.py compares every character and rule).

A batch that fails is written again one document at a time, so the broken document raises with its own
message and the others are written.
"""
from __future__ import annotations

import html as html_lib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..files import atomic_path
from .document import Document
from .pdf_banji import add_banji_page, place_banji
from .pdf_gongwen import TEMPLATES, banji_page_pdf, font_configuration, html_page, render_html, write_placed

ANCHOR = "reporter-batch-{}"
_BATCH_CSS = """<style>
.reporter-batch { break-before: right; page: reporter-batch; }
@page :nth(1 of reporter-batch) { counter-reset: page 1; }
</style>
"""
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_AUTHOR = re.compile(r'<meta name="author" content="([^"]*)">')
SCALE = 0.75  # PDF points per CSS pixel, as WeasyPrint writes


@dataclass(frozen=True)
class PdfFile:
    """A document's PDF and where its 版记 went: `banji_alone` on a page of its own, else at the foot of the
    last content page (the Word renderer follows: docx_gongwen.write_docx)."""
    path: Path
    banji_alone: bool


def write_pdfs(docs: Sequence[Document], paths: Sequence[str | Path],
               templates_dir: str | Path | None = None) -> list[Path]:
    """Write docs[i] as a GB/T 9704 PDF to paths[i] — the same pages as `write_pdf` gives each alone."""
    return [f.path for f in write_pdf_files(docs, paths, templates_dir)]


def write_pdf_files(docs: Sequence[Document], paths: Sequence[str | Path],
                    templates_dir: str | Path | None = None) -> list[PdfFile]:
    """`write_pdfs`, with each document's 版记 placement."""
    if len(docs) != len(paths):
        raise ValueError("documents and paths differ in number")
    paths = [Path(p) for p in paths]
    if len(docs) < 2:
        return [PdfFile(path, write_placed(doc, path, templates_dir)) for doc, path in zip(docs, paths)]
    try:
        return _write_batch(docs, paths, templates_dir)
    except Exception:  # noqa: BLE001 — redo one by one: the broken document raises with its own message
        return _one_by_one(docs, paths, templates_dir)


def banji_alone(docs: Sequence[Document], templates_dir: str | Path | None = None) -> list[bool]:
    """Where each document's 版记 goes (True: on a page of its own), from one layout of the batch and no PDF
    written: for Word files written without their PDF. A document that cannot be laid out gets True, the
    placement that fits whatever the pages."""
    folder = Path(templates_dir) if templates_dir else TEMPLATES
    laid = [doc for doc in docs if doc.has_banji]  # only a document with a 版记 needs a layout
    if len(laid) < len(docs):
        found = iter(banji_alone(laid, folder) if laid else [])
        return [next(found) if doc.has_banji else False for doc in docs]
    try:
        document, ranges, _ = _layout(docs, folder)
    except Exception:  # noqa: BLE001 — the PDF renderer reports a broken document; Word still gets its file
        return [banji_alone([doc], folder)[0] if len(docs) > 1 else True for doc in docs]
    return [place_banji(document.pages[pages.start:pages.stop]).alone for pages in ranges]


def _one_by_one(docs, paths, templates_dir) -> list[PdfFile]:
    failure, files = None, []
    for doc, path in zip(docs, paths):
        try:
            files.append(PdfFile(path, write_placed(doc, path, templates_dir)))
        except Exception as exc:  # noqa: BLE001 — write the others, then raise the first failure
            failure = failure or exc
    if failure is not None:
        raise failure
    return files


def _write_batch(docs, paths, templates_dir) -> list[PdfFile]:
    import pikepdf

    folder = Path(templates_dir) if templates_dir else TEMPLATES
    document, ranges, heads = _layout(docs, folder)
    placed = [place_banji(document.pages[pages.start:pages.stop]) for pages in ranges]
    whole = pikepdf.open(io.BytesIO(document.copy([p for one in placed for p in one.pages]).write_pdf()))
    banji_pages: dict[bytes, pikepdf.Pdf] = {}  # one 版记 page per distinct 版记: most notices share theirs
    start = 0
    for doc, head, one, path in zip(docs, heads, placed, paths):
        part = pikepdf.new()
        part.pages.extend(whole.pages[start:start + len(one.pages)])
        start += len(one.pages)
        if one.alone:
            page = banji_page_pdf(doc, folder)
            if page not in banji_pages:
                banji_pages[page] = pikepdf.open(io.BytesIO(page))
            add_banji_page(part, banji_pages[page], one.blank)
        _describe(part, whole, head, document.metadata.lang)
        _outline(part, document.copy(one.pages))
        with atomic_path(path) as tmp:
            part.save(tmp, force_version=whole.pdf_version)
    return [PdfFile(path, one.alone) for path, one in zip(paths, placed)]


def _layout(docs, folder: Path):
    """(WeasyPrint document, each document's page range, each document's HTML head) of the batch."""
    heads, bodies = zip(*(_split(render_html(doc, folder)) for doc in docs))
    combined = (heads[0].replace("</head>", _BATCH_CSS + "</head>", 1) + "<body>"
                + "".join(f'<div class="reporter-batch" id="{ANCHOR.format(i)}">{body}</div>'
                          for i, body in enumerate(bodies))
                + "</body></html>")
    document = html_page(combined, folder).render(font_config=font_configuration())
    return document, _page_ranges(document.pages, len(docs)), heads


def _split(page: str) -> tuple[str, str]:
    """(head, body content) of one rendered document; anything but one <body> is refused."""
    head, sep, rest = page.partition("<body>")
    body, end, _ = rest.rpartition("</body>")
    if not sep or not end or "<body>" in rest:
        raise ValueError("render_html 的结果不是一个 <body>")
    return head, body


def _page_ranges(pages, count: int) -> list[range]:
    """Each document's pages: from its anchor's page to the next document's, less trailing blank pages
    (only a right-hand break adds a blank page at the end of a range; alone no document ends blank)."""
    starts = []
    for i in range(count):
        anchor = ANCHOR.format(i)
        starts.append(next(n for n, page in enumerate(pages) if anchor in page.anchors))
    ranges = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < count else len(pages)
        while stop - 1 > start and pages[stop - 1]._page_box.page_type.blank:
            stop -= 1
        ranges.append(range(start, stop))
    return ranges


def _describe(part, whole, head: str, lang: str | None) -> None:
    """The document information WeasyPrint writes for a document alone: producer, title, author, language."""
    import pikepdf

    producer = whole.docinfo.get("/Producer")
    if producer is not None:
        part.docinfo["/Producer"] = producer
    title, author = _TITLE.search(head), _AUTHOR.search(head)
    if title and title.group(1):
        part.docinfo["/Title"] = pikepdf.String(html_lib.unescape(title.group(1)))
    if author:
        part.docinfo["/Author"] = pikepdf.String(html_lib.unescape(author.group(1)))
    if lang:
        part.Root.Lang = pikepdf.String(lang)


def _outline(part, alone) -> None:
    """Bookmarks of the document's headings, as WeasyPrint makes them for the pages alone."""
    import pikepdf

    def items(tree):
        out = []
        for label, (page, x, y), children, state in tree:
            item = pikepdf.OutlineItem(label, page, "XYZ", left=x, top=y, zoom=0)
            item.children.extend(items(children))
            item.is_closed = state == "closed"
            out.append(item)
        return out

    tree = alone.make_bookmark_tree(SCALE, transform_pages=True)
    if tree:
        with part.open_outline() as outline:
            outline.root.extend(items(tree))
