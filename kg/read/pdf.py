"""Text out of a PDF, through PyMuPDF.

PyMuPDF gives the same raw text as the UN's PDFs in the corpus (running
heads, job numbers, footnotes at each page foot), which :mod:`kg.read.layout`
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
        if doc.is_repaired or not data.rstrip().endswith(b"%%EOF"):
            # PyMuPDF rebuilds a cut or damaged file and reads what is left: a half-read
            # resolution would look whole, so it is refused, not read silently
            raise InputError(path, "the PDF is damaged or cut short (PyMuPDF had to repair it); "
                             "its text would be incomplete")
        pages = []
        try:
            for page in doc:
                pages.append(_page_text(page))
        except Exception as exc:
            raise InputError(path, f"a damaged PDF page: {exc}") from None
    finally:
        doc.close()
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(path, "the PDF has no text layer (a scan?); kg does not do OCR")
    return text


def _page_text(page) -> str:  # type: ignore[no-untyped-def]
    """A page's lines, with a blank line where the vertical gap between two
    lines is wider than the page's usual line spacing: that is how a PDF
    shows a paragraph break, and :mod:`kg.read.layout` reads paragraphs by blanks."""
    rows: list[tuple[float, float, str]] = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"])
            y0, y1 = line["bbox"][1], line["bbox"][3]
            if rows and abs(rows[-1][0] - y0) < 1.0:
                rows[-1] = (rows[-1][0], max(rows[-1][1], y1), rows[-1][2] + " " + text)  # same baseline
            else:
                rows.append((y0, y1, text))
    gaps = sorted(b[0] - a[0] for a, b in zip(rows, rows[1:], strict=False) if b[0] > a[0])
    usual = gaps[len(gaps) // 4] if gaps else 0.0
    out: list[str] = []
    for i, (y0, _y1, text) in enumerate(rows):
        if i and usual and y0 - rows[i - 1][0] > usual * 1.5:
            out.append("")
        out.append(text)
    return "\n".join(out) + "\n"
