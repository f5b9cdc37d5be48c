"""A 公文 written out in the formats asked for: Word (docx_gongwen) and PDF (pdf_gongwen), both of which read
the document model (document), which knows neither."""
from __future__ import annotations

from pathlib import Path

from .document import FORMATS, Document, check_formats


def write_document(doc: Document, stem, formats=FORMATS) -> list:
    """Write a 公文 as stem.docx and/or stem.pdf (in FORMATS order), each atomically; a dot in the stem stays. A module-level function,
    so worker processes can run it; each renderer is imported only when its format is asked for."""
    check_formats(formats)
    stem, files = Path(stem), []
    if "docx" in formats:
        from .docx_gongwen import write_docx

        files.append(write_docx(doc, stem.with_name(f"{stem.name}.docx")))
    if "pdf" in formats:
        from .pdf_gongwen import write_pdf

        files.append(write_pdf(doc, stem.with_name(f"{stem.name}.pdf")))
    return files
