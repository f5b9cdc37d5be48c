"""A 公文 written out in the formats asked for: Word (docx_gongwen) and PDF (pdf_gongwen), both of which read
the document model (document), which knows neither.

The 版记's place comes from the PDF layout (render/pdf_banji.py) and Word follows it: Word paginates only when a
file is opened, so the PDFs are written first and each document's placement passed to its Word file; Word files
asked for without PDFs get the placement from a layout of the batch that writes no PDF (pdf_batch.banji_alone)."""
from __future__ import annotations

from pathlib import Path

from ..memory import gc_deferred
from .document import FORMATS, Document, check_formats


def write_document(doc: Document, stem, formats=FORMATS) -> list:
    """Write a 公文 as stem.docx and/or stem.pdf (in FORMATS order), each atomically; a dot in the stem stays. A module-level function,
    so worker processes can run it; each renderer is imported only when its format is asked for."""
    return write_documents([doc], [stem], formats)[0]


def write_documents(docs: list[Document], stems: list, formats=FORMATS) -> list[list[Path]]:
    """Write many 公文 as write_document would, each file atomically: the PDFs in one layout pass split per
    document (pdf_batch: the same pages in a third of the time), then the Word files one by one, each with its
    版记 where the PDF has it. Returns each document's files, in `docs` order. A module-level function, so
    worker processes can run it. A document that fails raises after the others' files are written."""
    check_formats(formats)
    stems = [Path(s) for s in stems]
    written: dict[str, list[Path]] = {}
    alone: list[bool] | None = None
    failure = None
    if "pdf" in formats:
        from .pdf_batch import write_pdf_files

        try:
            with gc_deferred():
                pdfs = write_pdf_files(docs, [stem.with_name(f"{stem.name}.pdf") for stem in stems])
            written["pdf"], alone = [f.path for f in pdfs], [f.banji_alone for f in pdfs]
        except Exception as exc:  # noqa: BLE001 — the Word files are still written, then this is raised
            failure = exc
    if "docx" in formats:
        written["docx"] = _write_word(docs, stems, alone)
    if failure is not None:
        raise failure
    return [[written[f][i] for f in FORMATS if f in written] for i in range(len(docs))]


def _write_word(docs: list[Document], stems: list[Path], alone: list[bool] | None) -> list[Path]:
    """The Word files, each 版记 placed as `alone` says, or as a layout without PDF finds when not given."""
    from .docx_gongwen import write_docx
    from .pdf_batch import banji_alone

    if alone is None:
        with gc_deferred():
            alone = banji_alone(docs)
    files = []
    for doc, stem, a in zip(docs, stems, alone):
        with gc_deferred():  # one file at a time: its garbage goes before the next
            files.append(write_docx(doc, stem.with_name(f"{stem.name}.docx"), banji_alone=a))
    return files


def preload(formats=FORMATS) -> None:
    """Load in this process what every 公文 render needs before its first page: jieba's dictionary (the
    layout's word breaks, about 0.7 s of CPU) and WeasyPrint with the fonts (0.4 s; Word files need it too:
    their 版记 is placed from a layout). Worker processes forked from this one afterwards inherit them instead
    of each loading them again; spawned ones do not, so call it only before forking (workers.start_method)."""
    from .layout import load_dictionary
    from .pdf_gongwen import preload as preload_pdf

    load_dictionary()
    if "docx" in formats:
        import docx  # noqa: F401 — imported for the processes forked from this one
    preload_pdf()
