"""A 公文 written out in the formats asked for: Word (docx_gongwen) and PDF (pdf_gongwen), both of which read
the document model (document), which knows neither."""
from __future__ import annotations

from pathlib import Path

from .document import FORMATS, Document, check_formats
from .gc_pause import gc_paused


def write_document(doc: Document, stem, formats=FORMATS) -> list:
    """Write a 公文 as stem.docx and/or stem.pdf (in FORMATS order), each atomically; a dot in the stem stays. A module-level function,
    so worker processes can run it; each renderer is imported only when its format is asked for."""
    check_formats(formats)
    stem, files = Path(stem), []
    if "docx" in formats:
        from .docx_gongwen import write_docx

        with gc_paused():
            files.append(write_docx(doc, stem.with_name(f"{stem.name}.docx")))
    if "pdf" in formats:
        from .pdf_gongwen import write_pdf

        files.append(write_pdf(doc, stem.with_name(f"{stem.name}.pdf")))  # pauses the collector itself
    return files


def write_documents(docs: list[Document], stems: list, formats=FORMATS) -> list[list[Path]]:
    """Write many 公文 as write_document would, each file atomically: the Word files one by one, the PDFs in
    one layout pass split per document (pdf_batch: the same pages in a third of the time). Returns each
    document's files, in `docs` order. A module-level function, so worker processes can run it."""
    check_formats(formats)
    stems = [Path(s) for s in stems]
    files: list[list[Path]] = [[] for _ in docs]
    if "docx" in formats:
        from .docx_gongwen import write_docx

        for mine, doc, stem in zip(files, docs, stems):
            with gc_paused():  # one file at a time: its garbage goes before the next
                mine.append(write_docx(doc, stem.with_name(f"{stem.name}.docx")))
    if "pdf" in formats:
        from .pdf_batch import write_pdfs

        with gc_paused():
            written = write_pdfs(docs, [stem.with_name(f"{stem.name}.pdf") for stem in stems])
        for mine, path in zip(files, written):
            mine.append(path)
    return files


def preload(formats=FORMATS) -> None:
    """Load in this process what every 公文 render needs before its first page: jieba's dictionary (the
    layout's word breaks, about 0.7 s of CPU) and, for PDFs, WeasyPrint with the fonts (0.4 s). Worker
    processes forked from this one afterwards inherit them instead of each loading them again; spawned ones
    do not, so call it only before forking (workers.start_method)."""
    from .layout import load_dictionary

    load_dictionary()
    if "docx" in formats:
        import docx  # noqa: F401 — imported for the processes forked from this one
    if "pdf" in formats:
        from .pdf_gongwen import preload as preload_pdf

        preload_pdf()
