"""The same resolution in two formats reads to the same model (issue 2).

These read ../shared/corpus and skip when it is absent; the PDF test builds
its PDF from a seed, laid out like a UN resolution.
"""

from __future__ import annotations

import csv
import re
import textwrap

from kg.read import read_document


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def plain_quotes(text: str) -> str:
    """The PDF test writes with a base-14 font, which has no curly quotes."""
    return text.translate(str.maketrans("“”‘’", "\"\"''"))


def model(doc):
    return (
        doc.metadata.to_json(),
        [squash(c.text.text) for c in doc.clauses],
        [(f.number, squash(f.text.text)) for f in doc.footnotes],
    )


def test_akn_xml_and_its_rendered_text_read_alike(corpus):
    xml_files = sorted((corpus / "unxml-ga-xml").glob("*.xml"))
    assert xml_files
    for xml in xml_files:
        text = corpus / "unxml-ga" / (xml.stem + ".txt")
        a, b = read_document(xml), read_document(text)
        assert a.format == "akn" and b.format == "text"
        meta_a, clauses_a, notes_a = model(a)
        meta_b, clauses_b, notes_b = model(b)
        assert meta_a == meta_b, xml.name
        assert len(clauses_a) == len(clauses_b), xml.name
        assert clauses_a == clauses_b, xml.name
        assert notes_a == notes_b, xml.name


def test_akn_offsets_point_into_the_xml(corpus):
    xml = sorted((corpus / "unxml-ga-xml").glob("*.xml"))[0]
    doc = read_document(xml)
    for clause in doc.clauses:
        for ch, at in zip(clause.text.text, clause.text.pos, strict=True):
            if ch.isalnum():
                assert doc.source[at] == ch, (clause.id, ch, doc.source[at - 10 : at + 10])


def test_pdf_text_gives_the_same_counts_as_clean_text(corpus):
    folder = corpus / "mandate-pipeline-pdftext"
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    flag = next(k for k in rows[0] if k.startswith("same_symbol_also_in"))
    pairs = [r["file"].split("/")[-1] for r in rows if r[flag].strip().lower() in ("true", "yes", "1")]
    assert len(pairs) > 700
    same = 0
    for name in pairs:
        a = read_document(folder / name)
        b = read_document(corpus / "unxml-ga" / name)
        same += (len(a.clauses), len(a.footnotes)) == (len(b.clauses), len(b.footnotes))
    assert same / len(pairs) >= 0.95, f"{same}/{len(pairs)}"


def _un_pdf(doc, path) -> None:
    """Lay a document out like a UN resolution: running head and foot on every
    page, job number, footnotes at the foot of the page their marker is on,
    paragraph numbers on a line of their own, paragraphs cut by page breaks."""
    import pymupdf

    width, lines_per_page = 80, 40
    body: list[tuple[str, list[int]]] = []  # (line, footnotes whose markers are on it)
    for c in doc.clauses:
        text = c.text.text
        # put the markers back as plain digits, as PDF text has them
        for m in sorted(c.markers, key=lambda m: m.offset, reverse=True):
            text = text[: m.offset] + str(m.number) + text[m.offset :]
        if c.kind == "operative" and "(" not in c.id:
            body.append((f"{c.number}.", []))
        elif "(" in c.id:
            text = f"({c.number}) {text}"
        for line in textwrap.wrap(plain_quotes(text), width):
            body.append((line, [m.number for m in c.markers]))
        body.append(("", []))
    pdf = pymupdf.open()
    notes = {f.number: f.text.text for f in doc.footnotes}
    placed: set[int] = set()
    page_no = 0
    i = 0
    head = ["United Nations", doc.metadata.symbol or "A/RES/00/000", "General Assembly", "Distr.: General",
            "", "20-12345 (E)    010120", "*2012345*", "", "The General Assembly,", ""]
    pages = max(1, -(-len(body) // lines_per_page))  # printed "page/pages", as the UN's footers do
    while i < len(body) or page_no == 0:
        page = pdf.new_page(width=595, height=842)
        page_no += 1
        lines = head if page_no == 1 else [doc.metadata.symbol or "", "", "20-12345", f"{page_no}/{pages}", ""]
        chunk = body[i : i + lines_per_page]
        i += lines_per_page
        foot: list[str] = []
        for _line, marks in chunk:
            for n in marks:
                if n not in placed and n in notes:
                    placed.add(n)
                    foot += ["", f"{n}  {plain_quotes(notes[n])}"]
        content = lines + [line for line, _ in chunk]
        if foot:
            content += ["__________________"] + foot
        y = 40
        for line in content:
            page.insert_text((40, y), line, fontname="cour", fontsize=8)
            y += 9.5
    pdf.save(path)


def test_a_pdf_laid_out_like_a_un_resolution_reads_to_the_same_clauses(seeds, tmp_path):
    text_doc = read_document(seeds["003_5b62957dab871e33"])
    pdf_path = tmp_path / "resolution.pdf"
    _un_pdf(text_doc, pdf_path)
    pdf_doc = read_document(pdf_path)
    assert pdf_doc.format == "pdf"
    assert [c.id for c in pdf_doc.clauses] == [c.id for c in text_doc.clauses]
    expected = [squash(plain_quotes(c.text.text)) for c in text_doc.clauses]
    assert [squash(c.text.text) for c in pdf_doc.clauses] == expected
    assert [f.number for f in pdf_doc.footnotes] == [f.number for f in text_doc.footnotes]
