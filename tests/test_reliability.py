"""One bad file never costs a run, and nothing reaches outside (issue 12): the reproducers as tests."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import InputError, QueryError
from kg.read import bundled_corpus, read_document

SEED = bundled_corpus()[3]
HEADER = "United Nations\nA/RES/70/10\nGeneral Assembly\nDistr.: General\n\n70/10. A title\n\nThe General Assembly,\n\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("body", [
    "Resolution adopted by the General Assembly on 31 February 2020\n\n1. Decides;\n",  # a date that does not exist
    "1. Decides " + "¹" * 5000 + " to continue;\n",                                     # superscripts beyond int()
])
def test_inputs_that_crashed_the_reader_now_read(tmp_path, body):
    doc = read_document(_write(tmp_path, "odd.txt", HEADER + body))
    assert doc.clauses


def test_an_akn_marker_of_thousands_of_digits_reads(tmp_path):
    xml = ('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc name="resolution"><mainBody>'
           '<p>The General Assembly,</p><paragraph><num>1.</num><content><p>Decides'
           f'<authorialNote marker="{"9" * 4301}"><p>A note.</p></authorialNote> to act;</p></content>'
           '</paragraph></mainBody></doc></akomaNtoso>')
    doc = read_document(_write(tmp_path, "odd.xml", xml))
    assert doc.clauses


def test_a_document_beyond_spacys_length_limit_is_extracted(tmp_path):
    from kg.extract import extract_references

    long_text = "Recalling the Convention on the Rights of the Child, " + "and the plan of work " * 260_000
    doc = read_document(_write(tmp_path, "long.txt", HEADER + long_text + "\n\n1. Decides;\n"))
    assert len(doc.source) > 5_000_000
    refs = next(extract_references([doc]))[1]
    assert ("treaty", "CRC") in {(r.type, r.id) for r in refs}


def test_an_unexpected_error_in_one_file_costs_only_that_file(tmp_path, monkeypatch, capsys):
    import kg.cli.run as run_module
    import kg.extract.references as references

    good = [bundled_corpus()[0], bundled_corpus()[3], bundled_corpus()[4]]
    real_read, real_refs = run_module.read_document, references._references

    def read(path):
        if Path(path) == good[0]:
            raise RuntimeError("the reader broke")
        return real_read(path)

    def refs(doc, *args, **kwargs):
        if doc.path == str(good[1]):
            raise MemoryError("extraction broke")
        return real_refs(doc, *args, **kwargs)

    monkeypatch.setattr(run_module, "read_document", read)
    monkeypatch.setattr(references, "_references", refs)
    assert main(["extract", *map(str, good), "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    assert f"{good[0]}: could not be read: RuntimeError: the reader broke" in captured.err
    assert f"{good[1]}: could not be extracted: MemoryError: extraction broke" in captured.err
    files = {json.loads(line)["file"] for line in captured.out.splitlines()}
    assert files == {str(good[2])}


def test_service_is_refused_and_a_query_error_is_one_line(tmp_path, capsys):
    from kg.extract import extract_references
    from kg.graph import build_graph, run_query

    store = build_graph(extract_references([read_document(SEED)])).store
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, query)
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, "PREFIX x: <http://x/>\nSELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }")
    names, rows = run_query(store, 'SELECT ?s WHERE { ?s ?p "SERVICE" } LIMIT 1')  # the word in a string is no clause
    assert names == ["s"]
    rq = _write(tmp_path, "bad.rq", "# Question: a bad one\n# @param doc document A/RES/1/1\n"
                "SELECT ?x WHERE { ?x ?y ?z")
    assert main(["query", str(rq), "--graph", str(_graph_file(tmp_path, store))]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in err if line.startswith("kg: error:")]) == 1 and "Traceback" not in "\n".join(err)


def _graph_file(tmp_path: Path, store) -> Path:
    import pyoxigraph

    path = tmp_path / "g.nt"
    path.write_bytes(pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS))
    return path


def test_no_text_can_break_the_pages_script_block():
    from kg.extract import extract_references
    from kg.models import Clause, Document, MappedText, Metadata
    from kg.view import citation_network, corpus_page

    text = "Recalling the Convention on the Rights of the Child <!-- </script> \u2028 & more,"
    clause = Clause("pp1", "preambular", MappedText(text, list(range(len(text)))), verb="recalling")
    doc = Document("t.txt", "text", text, Metadata(body="GA"), [clause], [])
    page = corpus_page(citation_network(extract_references([doc])))
    blob = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in blob and "\u2028" not in blob
    assert "<!-- </script>" in json.dumps(json.loads(blob), ensure_ascii=False)  # the text survives, as text


def test_the_same_document_twice_is_built_once_with_a_warning(tmp_path, capsys):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(SEED.read_bytes())
    assert main(["build", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "b.txt is the same document as" in captured.err and "conforms" in captured.out
    assert "1 documents" in captured.out


def test_many_copies_of_one_document_give_one_warning_line_and_build_json_lists_each(tmp_path, capsys):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    assert main(["build", str(tmp_path), "-o", str(out)]) == 0
    warnings = [ln for ln in capsys.readouterr().err.splitlines() if "same document" in ln]
    assert len(warnings) == 1 and "2 files are the same document" in warnings[0]
    listed = json.loads((out / "build.json").read_text())["summary"]["duplicates"]
    assert [Path(d["skipped"]).name for d in listed] == ["b.txt", "c.txt"]


def test_the_parts_of_a_resolution_issued_apart_are_two_documents_not_one_twice(tmp_path, capsys):
    # "A/RES/74/232 B" heads a text of its own (its own date and meeting): it must not be dropped as
    # a second copy of A/RES/74/232 A
    text = SEED.read_text(encoding="utf-8")
    for letter in "AB":
        (tmp_path / f"part_{letter}.txt").write_text(f"United Nations\nA/RES/75/158 {letter}\n{text}", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "same document" not in captured.err and "2 documents" in captured.out
    docs = read_document(tmp_path / "part_B.txt").metadata
    assert docs.symbol == "A/RES/75/158 B"


def test_a_capital_letter_after_a_symbol_is_a_part_only_before_a_name():
    from kg.read.metadata import read_metadata
    from kg.read.textmap import from_source

    def symbol(header: str) -> str | None:
        return read_metadata([from_source(header, 0, len(header))], [], "The General Assembly,").symbol

    assert symbol("United Nations E/RES/2021/2 B Economic and Social Council") == "E/RES/2021/2 B"
    assert symbol("United Nations A/RES/74/232 General Assembly") == "A/RES/74/232"
    assert symbol("See A/74/6 A and more") == "A/74/6"


def test_smaller_inputs_give_clear_errors(tmp_path, capsys):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes((HEADER + "1. Decides;\n").encode("utf-16"))
    assert read_document(utf16).clauses
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_document(fifo)
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0")
    assert main(["build", str(SEED), "-o", str(passwd), "--no-validate"]) == 1
    assert "exists and is not a folder" in capsys.readouterr().err
    assert passwd.read_text() == "root:x:0:0"


def test_an_ibid_chain_does_not_grow_note_by_note(tmp_path):
    notes = "\n".join(["¹ Official Records of the General Assembly, Seventy-first Session, Supplement No. 53."]
                      + [f"{str(n).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))} Ibid., p. {n}."
                         for n in range(2, 2000)])
    markers = "".join(str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) + " and" for n in range(1, 2000))
    doc = read_document(_write(tmp_path, "ibid.txt", HEADER + f"1. Recalls the records{markers};\n\n---\n\n{notes}\n"))
    assert len(doc.footnotes) > 1000
    assert max(len(f.source) for f in doc.footnotes) < 200


def test_a_pdf_cut_short_is_refused(tmp_path, seeds):
    from test_formats import _un_pdf

    whole = tmp_path / "whole.pdf"
    _un_pdf(read_document(seeds["003_5b62957dab871e33"]), whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="damaged or cut short"):
        read_document(cut)
    assert read_document(whole).clauses


def test_a_killed_build_leaves_the_old_set_or_the_new_one(tmp_path):
    """SIGKILL at several points of kg build: the output is whole, and the next run leaves no temporary folder."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(SEED), "-o", str(out), "--no-validate"]
    subprocess.run(cmd, check=True, capture_output=True, cwd=tmp_path)
    complete = {p.name for p in out.iterdir()}
    for delay in (0.5, 1.5, 2.5, 3.5, 4.5):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert {p.name for p in out.iterdir()} == complete, delay
        manifest = json.loads((out / "build.json").read_text())
        assert {f.split("/")[0] for f in manifest["files"]} == complete - {"build.json"}
        assert all((out / f).exists() for f in manifest["files"])  # charts/NAME.png: paths in the folder
    subprocess.run(cmd, check=True, capture_output=True, cwd=tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_a_document_over_its_time_budget_is_reported_and_the_run_goes_on(tmp_path, capsys):
    seed = read_document(bundled_corpus()[3])
    words = " ".join(c.text.text for c in seed.clauses)
    huge = tmp_path / "huge.txt"  # about 16 MB in one paragraph: half a minute of work, stopped at 3 s
    huge.write_text("United Nations\nA/RES/70/10\nGeneral Assembly\n\n70/10. A title\n\nThe General Assembly,\n\n1. "
                    + (words + " ") * (16_000_000 // len(words)) + "\n", encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(bundled_corpus()[3].read_text(encoding="utf-8"), encoding="utf-8")
    t0 = time.monotonic()
    assert main(["--time-budget", "3", "extract", str(huge), str(small), "--format", "jsonl"]) == 1
    elapsed = time.monotonic() - t0
    captured = capsys.readouterr()
    assert "huge.txt: stopped after 3 s" in captured.err
    assert "small.txt" in captured.out  # the other file went through
    assert elapsed < 30


def test_a_long_document_is_extracted_in_pieces_as_it_would_be_whole(tmp_path, monkeypatch):
    import kg.extract.references as references
    from kg.extract import extract_references

    long_doc = _write(tmp_path, "long.txt", HEADER + "Recalling the Charter of the United Nations,\n"
                      + "".join(f"\n{n}. Recalls resolution 70/{n % 300 + 1} and the Convention on the Rights of "
                                f"the Child, as well as the United Nations Convention against Corruption;\n"
                                for n in range(1, 3_001)))
    doc = read_document(long_doc)
    monkeypatch.setattr(references, "PIECE", 5_000)
    assert len(references.pieces(references.parts_of(doc))) > 5
    in_pieces = [r.to_record() for r in next(extract_references([doc]))[1]]
    monkeypatch.setattr(references, "PIECE", 10**9)
    whole = [r.to_record() for r in next(extract_references([doc]))[1]]
    assert in_pieces == whole and len(whole) > 3_000
