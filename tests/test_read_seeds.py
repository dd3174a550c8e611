"""Reading the bundled seeds: metadata, clause structure, footnotes (issue 2)."""

from __future__ import annotations

import re

import pytest

from kg.read import read_document

# Counted by hand in the seed files: preambular paragraphs, operative
# paragraphs (numbered, sub-paragraphs not counted), footnotes.
COUNTS = {
    "000_3ef6cbfb4c01fd0c": (25, 18, 1),
    "001_5812e5f47b2b1887": (26, 19, 4),
    "002_8176edd7db462559": (25, 17, 4),
    "003_5b62957dab871e33": (38, 52, 34),
    "004_fc02f47a9588912a": (36, 26, 16),
}
FURNITURE = re.compile(r"GE\.\d\d-\d+|\* ?\d(?: \d)+ ?\*|Please recycle|Distr\.:|<sup>|\\\*|\*\*|\[\d+/\d+\]\(#\)|^---")


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_seed_metadata_equals_gold(stem, seeds, gold):
    doc = read_document(seeds[stem])
    expected = gold[stem]["metadata"]
    got = doc.metadata.to_json()
    assert {k: got[k] for k in expected} == expected
    assert doc.metadata.symbol == gold[stem]["symbol"]


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_seed_clause_and_footnote_counts(stem, seeds):
    doc = read_document(seeds[stem])
    assert (len(doc.preambular), len(doc.operative), len(doc.footnotes)) == COUNTS[stem]


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_clause_text_has_no_furniture_or_footnote_text(stem, seeds):
    doc = read_document(seeds[stem])
    footnote_texts = [f.text.text for f in doc.footnotes if len(f.text.text) > 25]
    for clause in doc.clauses:
        assert not FURNITURE.search(clause.text.text), (clause.id, clause.text.text[:120])
        assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", clause.text.text), clause.id
        for note in footnote_texts:
            assert note not in clause.text.text, (clause.id, note)


@pytest.mark.parametrize("stem, phrase", [
    ("003_5b62957dab871e33", "to eradicate human trafficking, especially trafficking in women and children, "
                             "demand the strong political commitment"),
    ("003_5b62957dab871e33", "Convention for the Suppression of the Traffic in Persons"),
    ("004_fc02f47a9588912a", "and the Supplementary Convention on the Abolition of Slavery"),
])
def test_paragraphs_broken_by_footnote_blocks_are_whole(stem, phrase, seeds):
    doc = read_document(seeds[stem])
    assert any(phrase in c.text.text for c in doc.clauses)


def test_marker_after_optional_protocols_thereto_points_to_footnote_19(seeds):
    doc = read_document(seeds["003_5b62957dab871e33"])
    op5 = next(c for c in doc.clauses if c.id == "op5")
    anchor = op5.text.text.index("the Optional Protocols thereto") + len("the Optional Protocols thereto")
    marker = next(m for m in op5.markers if m.offset >= anchor)
    assert marker.number == 19 and marker.offset == anchor
    assert "op5" in doc.footnote(19).clauses


def test_ibid_footnote_resolves_to_the_source_before_it(seeds):
    doc = read_document(seeds["003_5b62957dab871e33"])
    fn34 = doc.footnote(34)
    assert fn34.text.text.startswith("Ibid")
    assert fn34.ibid_of == 33
    assert "resolution 2200 A (XXI)" in fn34.source
    fn2 = doc.footnote(2)
    assert fn2.source == "United Nations, Treaty Series, vol. 2237, No. 39574."


def test_clause_verbs_are_the_opening_phrases(seeds):
    doc = read_document(seeds["003_5b62957dab871e33"])
    verbs = {c.id: c.verb for c in doc.clauses}
    assert verbs["pp2"] == "recalling"
    assert verbs["op5"] == "urges"
    assert "taking note with appreciation of" in verbs.values()


def test_lettered_subparagraphs_get_their_ids(seeds):
    doc = read_document(seeds["002_8176edd7db462559"])
    ids = [c.id for c in doc.clauses]
    assert "op2(g)" in ids
    doc = read_document(seeds["000_3ef6cbfb4c01fd0c"])
    assert [i for i in (c.id for c in doc.clauses) if i.startswith("op1(")][-3:] == ["op1(l)", "op1(m)", "op1(n)"]


def test_clause_offsets_point_into_the_source(seeds):
    for path in seeds.values():
        doc = read_document(path)
        for clause in doc.clauses:
            for i in (0, len(clause.text.text) // 2, len(clause.text.text) - 1):
                ch = clause.text.text[i]
                if ch != " ":
                    assert doc.source[clause.text.pos[i]] == ch


DECLARATION = """United Nations A/80/L.99

General Assembly Distr.: Limited

1.
We, the States Members of the United Nations, welcome the adoption of the
Global Plan of Action.
2.
We recall our commitments to the 2030 Agenda for Sustainable Development and
reaffirm them.
3. We express concern about trafficking in persons, and underline that
10. per cent of victims are children;
4.
We commit to act:

(a)
We encourage training;

(b)
We call for partnerships.
5. We also commit to review our progress.
"""


def test_paragraph_numbers_opening_lines_without_blank_lines_start_paragraphs(tmp_path):
    # "2." alone above its paragraph, or "5. We ..." right after the line before: the next number
    # opens a paragraph; a number out of sequence inside a sentence ("10. per cent") does not
    path = tmp_path / "declaration.txt"
    path.write_text(DECLARATION, encoding="utf-8")
    doc = read_document(path)
    ids = [c.id for c in doc.clauses]
    assert ids == ["op1", "op2", "op3", "op4", "op4(a)", "op4(b)", "op5"]
    assert "10. per cent of victims" in doc.clauses[2].text.text
    assert doc.clauses[1].text.text.startswith("We recall")


@pytest.mark.corpus
def test_clause_ids_are_unique_in_every_corpus_document(corpus):
    from kg.errors import KgError

    repeated = {}
    for path in sorted(corpus.rglob("*.txt")):
        try:
            doc = read_document(path)
        except KgError:
            continue
        ids = [c.id for c in doc.clauses]
        if len(ids) != len(set(ids)):
            repeated[path.name] = sorted({i for i in ids if ids.count(i) > 1})[:5]
    assert not repeated, f"{len(repeated)} documents repeat a clause id: {dict(list(repeated.items())[:10])}"


def _squash_by_characters(mt):  # the earlier implementation, a loop over characters: the reference
    from kg.models import MappedText

    blank = frozenset(" \t\u00a0\u2009\u202f\u2002\u2003")
    out, out_pos, index, run = [], [], [], []
    for ch, p in zip(mt.text, mt.pos, strict=True):
        if ch in blank or ch == "\n":
            index.append(len(out) + (1 if run and out else 0) if out else 0)
            if out:
                run.append((ch, p))
            continue
        if run:
            out.append(" ")
            # a lone plain space is the text's own; a folded run's space stands for the character before it
            out_pos.append(run[0][1] if [c for c, _p in run] == [" "] else out_pos[-1])
            run = []
        index.append(len(out))
        out.append(ch)
        out_pos.append(p)
    index.append(len(out))
    return MappedText("".join(out), out_pos), [min(i, len(out)) for i in index]


def test_folding_blanks_by_the_runs_that_change_gives_the_maps_of_folding_by_characters():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.models import MappedText
    from kg.read.textmap import squash_indexed

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet=st.sampled_from(list("ab. \t\n\u00a0\u2009x")), max_size=40))
    def same(text):
        mt = MappedText(text, list(range(10, 10 + len(text))))
        folded, index = squash_indexed(mt, range(len(text) + 1))
        ref, ref_index = _squash_by_characters(mt)
        assert (folded.text, folded.pos, index) == (ref.text, ref.pos, ref_index)

    same()
