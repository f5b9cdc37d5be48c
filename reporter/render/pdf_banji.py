"""The 版记 (GB/T 9704 7.4) of a 公文 laid out by WeasyPrint: at the foot of the last page, an even one.

The 版记 is laid out in the flow after the last content (templates/gongwen/banji.html.j2). `place_banji` then
decides from that one layout: when it landed on an even last page it moves down to the 版心's lower edge;
otherwise it is taken out of its page (a page left with nothing else is dropped) and the document gets a page
of its own for it — `add_banji_page` appends the page (pdf_gongwen.banji_page_pdf: a tiny document laid out
once per distinct 版记), after a blank page when the content ends on an even page. The 版记 page and the
blank page carry no page number. Deciding this way costs no second layout of the document (issue 18: the
second layout was 45% of a batch of 3-page 督办通知).
"""
from __future__ import annotations

from dataclasses import dataclass

BOX_CLASS = "banji-page"


@dataclass(frozen=True)
class Placement:
    """Where a document's 版记 goes once laid out: `pages` to write (WeasyPrint pages, the 版记 moved or taken
    out), then, when `alone`, a blank page if `blank` and a page with only the 版记."""
    pages: list
    alone: bool = False
    blank: bool = False


def place_banji(pages) -> Placement:
    """Put a document's 版记 at the foot of its last page when that page is even and has the 版记, else take
    it out for a page of its own (see the module). `pages`: one document's WeasyPrint pages, its first odd."""
    pages = list(pages)
    boxes = [(n, box) for n, page in enumerate(pages) for box in page._page_box.descendants()
             if box.element_tag == "section" and BOX_CLASS in (box.element.get("class") or "").split()]
    if not boxes:
        return Placement(pages)
    number, box = boxes[0]
    page = pages[number]._page_box
    if len(boxes) == 1 and number == len(pages) - 1 and number % 2 == 1 and not _first_on(box, page):
        foot = page.content_box_y() + page.height
        box.translate(dy=foot - (box.position_y + box.margin_height()))
        return Placement(pages)
    dropped = set()
    for number, box in boxes:
        page = pages[number]._page_box
        if _first_on(box, page):  # last in the flow and first on its page: nothing else is on it
            dropped.add(number)
        else:
            _remove(page, box)
    kept = [p for n, p in enumerate(pages) if n not in dropped]
    return Placement(kept, alone=True, blank=len(kept) % 2 == 0)


def add_banji_page(pdf, banji, blank: bool) -> None:
    """Append to the pikepdf `pdf` a blank page when `blank`, then the first page of the pikepdf `banji`."""
    import pikepdf

    source = banji.pages[0]
    if blank:
        size = pikepdf.Array(list(source.mediabox))  # the 版记 page's A4, copied by value
        empty = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=size,
                                   Resources=pikepdf.Dictionary(), Contents=pdf.make_stream(b""))
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(empty)))
    pdf.pages.append(source)


def _first_on(box, page) -> bool:
    return box.position_y <= page.content_box_y() + 1


def _remove(parent, target) -> bool:
    """Take `target` out of the box tree under `parent`; True when found."""
    children = getattr(parent, "children", None) or []
    for child in children:
        if child is target:
            parent.children = [c for c in children if c is not target]
            return True
        if _remove(child, target):
            return True
    return False
