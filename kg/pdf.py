"""Text out of a PDF, through PyMuPDF.

PyMuPDF gives the same raw text as the UN's PDFs in the corpus (running
heads, job numbers, footnotes at each page foot), which :mod:`kg.layout`
already reads. The PDF's offsets are offsets into this text: a PDF has no
character offsets of its own that a user could check.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError


def pdf_text(path: Path, data: bytes) -> str:
    """The text of every page, pages joined by a newline."""
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own FileDataError and others
        raise InputError(path, f"not a readable PDF (truncated or damaged): {exc}") from None
    try:
        if doc.needs_pass or doc.is_encrypted:
            raise InputError(path, "the PDF is encrypted; kg cannot read it without the password")
        pages = []
        try:
            for page in doc:
                pages.append(page.get_text("text"))
        except Exception as exc:
            raise InputError(path, f"a damaged PDF page: {exc}") from None
    finally:
        doc.close()
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(path, "the PDF has no text layer (a scan?); kg does not do OCR")
    return text
