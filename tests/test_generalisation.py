"""References in resolutions on every topic, not only the seeds' (issue 14).

Each table row is one class of error the issue lists, written as a made-up
clause that a careful reader would read the same way; the corpus tests run
the evaluator on the ten hand-annotated documents of other topics and check
every record's offsets over the whole corpus.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, SHARED, assert_score_meets_the_issue_thresholds
from test_extract import ids, refs_of

from kg.extract.find import find_shapes
from kg.extract.references import extract_references
from kg.lexicon.patterns import shapes

GOLD_CORPUS = SHARED / "gold-corpus"


@pytest.mark.parametrize("text, body, expected", [
    # 1. lists run on through dates, titles, "on ..." and footnote places
    ("Recalling its resolutions 63/71 of 2 December 2008 on the Convention on Cluster Munitions and 70/54 of "
     "7 December 2015, 71/45 of 5 December 2016 and 79/58 of 2 December 2024 on the implementation,", "GA",
     {"A/RES/63/71", "A/RES/70/54", "A/RES/71/45", "A/RES/79/58"}),
    ("Recalling its resolutions 73/154 of 17 December 2018 on bullying, 73/148 of 17 December 2018, entitled "
     "“Intensification of efforts”, and 72/195 of 19 December 2017,", "GA",
     {"A/RES/73/154", "A/RES/73/148", "A/RES/72/195"}),
    ("Recalling its resolutions 36/87 A and B of 9 December 1981 and 51/211 A to E of 18 December 1996,", "GA",
     {"A/RES/36/87", "A/RES/51/211"}),
    # 2. the series comes from the body named before, carried through "as well as resolutions"
    ("Recalling Human Rights Council resolutions 23/13 of 13 June 2013 and 24/33 of 27 September 2013, as well "
     "as resolutions 28/6 of 26 March 2015 and 37/5 of 22 March 2018,", "GA",
     {"A/HRC/RES/23/13", "A/HRC/RES/24/33", "A/HRC/RES/28/6", "A/HRC/RES/37/5"}),
    ("Recalling Commission on Narcotic Drugs resolution 65/2,", "GA", {"CND/RES/65/2"}),
    ("Recalling United Nations Environment Assembly resolution 5/14 of 2 March 2022,", "GA", {"UNEP/EA.5/Res.14"}),
    ("Recalling World Health Assembly resolution 78.11 of 27 May 2025,", "GA", {"WHA78.11"}),
    ("Recalling World Health Assembly resolution WHA71.6 of 26 May 2018,", "ECOSOC", {"WHA71.6"}),
    ("Recalling Economic and Social Council resolution 155 C (VII) of 10 August 1948,", "GA", {"E/RES/155(VII)"}),
    ("Recalling its resolution 76/181 of 16 December 2021,", "ECOSOC", {"A/RES/76/181"}),
    ("Recalling the relevant Human Rights Council resolutions, in particular resolutions 7/34 of 28 March 2008 "
     "and 18/15 of 29 September 2011,", "GA", {"A/HRC/RES/7/34", "A/HRC/RES/18/15"}),
    ("Welcomes the decision of the United Nations Environment Assembly, at its resumed fifth session, in "
     "resolution 5/14 of 2 March 2022,", "GA", {"UNEP/EA.5/Res.14"}),
    ("Recalling its relevant resolutions related to culture, in particular 41/187 of 8 December 1986 and "
     "46/158 of 19 December 1991,", "GA", {"A/RES/41/187", "A/RES/46/158"}),
    ("Reaffirming General Assembly and Security Council resolutions 60/180 and 1645 (2005) of 20 December 2005,",
     "GA", {"A/RES/60/180", "S/RES/1645(2005)"}),
    ("to support the activities mandated by the Council in its resolutions 47/21 of 13 July 2021 and 48/14 of "
     "8 October 2021, and recalling its resolution 76/245 of 24 December 2021,", "GA",
     {"A/HRC/RES/47/21", "A/HRC/RES/48/14", "A/RES/76/245"}),
    ("taking note also of Council resolution 2021/30 of 22 July 2021 on open-source technologies,", "GA",
     {"E/RES/2021/30"}),
    ("the vote of the Security Council on 18 April 2024, and taking note also of its resolution ES-10/23 of "
     "10 May 2024,", "GA", {"A/RES/ES-10/23"}),
    ("Recalling its resolutions 69/50 of 2 December 2014, 71/66 of 5 December 2016 73/66 of 5 December 2018 "
     "and 75/70 of 7 December 2020,", "GA", {"A/RES/69/50", "A/RES/71/66", "A/RES/73/66", "A/RES/75/70"}),
    ("Official Records of the General Assembly, Seventy-third Session, Supplement No. 53 (A/73/53), chap. IV, "
     "sect. A, resolution 37/17.", "GA", {"A/73/53", "A/HRC/RES/37/17"}),
    ("Official Records of the Economic and Social Council, 2019, Supplement No. 10 (E/2019/30), chap. I, sect. B, "
     "resolution 28/1.", "GA", {"E/2019/30", "CCPCJ/RES/28/1"}),
    # 3. symbols keep their parts; a joint symbol is one document
    ("See A/74/6 (Sect. 12), A/73/12 (Part I), NPT/CONF.2010/50 (Vol. I) and A/78/80-E/2023/64.", "GA",
     {"A/74/6 (Sect. 12)", "A/73/12 (Part I)", "NPT/CONF.2010/50 (Vol. I)", "A/78/80-E/2023/64"}),
    ("See BWC/CONF.IX/9, CD/1985, A/ES‑10/273, ICCD/COP(14)/23/Add.1 and A/RES/77/256 B.", "GA",
     {"BWC/CONF.IX/9", "CD/1985", "A/ES-10/273", "ICCD/COP(14)/23/Add.1", "A/RES/77/256"}),
    ("Having considered A/76/6 (Sect. 3)/Add.5, NPT/CONF.1995/32 (Part I)/Corr.2, A/74/6 (Introduction) and "
     "A/74/6 (Plan outline).", "GA",
     {"A/76/6 (Sect. 3)/Add.5", "NPT/CONF.1995/32 (Part I)/Corr.2", "A/74/6 (Introduction)",
      "A/74/6 (Plan outline)"}),
    ("See A/77/6 (Sect.3)/Add.8, A/74/6 (Income sect. 1), A/80/6 (Foreword and introduction) and A/69/53/Add.1/ "
     "Corr.1.", "GA", {"A/77/6 (Sect. 3)/Add.8", "A/74/6 (Income sect. 1)", "A/80/6 (Foreword and introduction)",
                       "A/69/53/Add.1/Corr.1"}),
    ("See A/2170, A/5700 and IDB.48/16/Rev.1, the reports of E/2019.", "GA", {"A/2170", "A/5700", "IDB.48/16/Rev.1"}),
])
def test_symbols_on_every_topic(text, body, expected):
    assert {i for t, i in ids(text, body) if t in ("resolution", "document")} == expected


@pytest.mark.parametrize("text, expected", [
    # 4. names through Unicode hyphens, brackets, "between ... and ...", numbers and ordinals
    ("the United Nations Inter‑Agency Task Force on the Prevention and Control of Non‑communicable Diseases,",
     ("body", "UNIATF-NCD")),
    ("the Relationship Agreement between the United Nations and the International Criminal Court,",
     ("treaty", "RELATIONSHIP-AGREEMENT-BETWEEN-THE-UNITED-NATIONS-AND-THE-INTERNATIONAL-CRIMINAL-COURT")),
    ("the Programme for the Further Implementation of Agenda 21,", ("instrument", "PFIA21")),
    ("the 10-Year Framework of Programmes on Sustainable Consumption and Production Patterns,",
     ("instrument", "10YFP")),
    ("at the second Review Conference of the Convention on Cluster Munitions,",
     ("other", "SECOND-REVIEW-CONFERENCE-OF-THE-CONVENTION-ON-CLUSTER-MUNITIONS")),
    # 5. a State named in the text is a State
    ("the Russian Federation, the United States of America and the European Union", ("state", "RUS")),
    # 8. office holders
    ("requests the Director General of the World Health Organization on the Task Force to report,",
     ("mandate", "WHO-DG")),
    ("the Prosecutor of the International Criminal Court", ("mandate", "ICC-PROSECUTOR")),
])
def test_names_on_every_topic(text, expected):
    assert expected in ids(text)


def test_names_nested_in_titles_are_not_references():
    # 6. a publication's title, and a publisher after "See"
    found = ids("Official Records of the Economic and Social Council, 2023, Supplement No. 7 (E/2023/27).")
    assert ("body", "ECOSOC") not in found and ("document", "E/2023/27") in found
    assert ids("See World Health Organization, document WHA71/2018/REC/1.") >= {("body", "WHO")}
    assert not any(i and i.startswith("SEE-") for _t, i in ids("See World Health Organization, document X."))


def test_anaphora_takes_the_antecedent_of_the_heads_type():
    # 7. "the Court" is the Court, not the Statute that names it; "the Council" is no President
    found = ids("Recalling the Rome Statute of the International Criminal Court, and noting that the Court")
    assert ("body", "ICC") in found
    found = ids("the President of the Security Council and the members of the Council")
    assert ("body", "SC") in found


def test_a_list_of_ordinals_names_each_item():
    found = ids("the Final Declarations of the Fourth, Sixth and Eighth Review Conferences of the Parties")
    labels = {r.label for r in refs_of("the Final Declarations of the Fourth, Sixth and Eighth Review Conferences")}
    assert labels == {f"Final Declaration of the {o} Review Conference" for o in ("Fourth", "Sixth", "Eighth")}
    assert len({i for t, i in found if t == "instrument"}) == 3


def _with_footnote(text: str, kind: str, verb: str, number: int, note: str) -> list:
    """References of a one-clause document whose clause ends with footnote ``number`` saying ``note``."""
    from kg.models import Clause, Document, Footnote, MappedText, Marker, Metadata

    cid = "pp1" if kind == "preambular" else "op1"
    clause = Clause(cid, kind, MappedText(text, list(range(len(text)))), verb=verb, markers=[Marker(number, len(text))])
    fn = Footnote(number, MappedText(note, list(range(len(text), len(text) + len(note)))), clauses=[cid])
    fn.source = note
    doc = Document("t.txt", "text", text + note, Metadata(body="GA"), [clause], [fn])
    return next(extract_references([doc]))[1]


def test_an_instrument_carried_by_its_footnote_is_found_and_bound():
    # 9. a quoted title before a marker whose footnote gives the adopting resolution
    text = ("Reaffirming their political declaration, entitled “Universal health coverage: moving together to "
            "build a healthier world”,")
    refs = _with_footnote(text, "preambular", "reaffirming", 7, "See resolution 74/2.")
    inst = [r for r in refs if r.type == "instrument"]
    assert [r.label for r in inst] == ["Universal health coverage: moving together to build a healthier world"]
    res = [r for r in refs if r.type == "resolution"]
    assert res and res[0].id == "A/RES/74/2" and res[0].bound_to == inst[0].id


def test_a_phrase_naming_a_resolution_before_a_footnote_is_no_instrument():
    text = "Reaffirms the guidelines approved by the Assembly in its resolution 33/71 E of 14 December 1978;"
    found = {(r.type, r.id) for r in _with_footnote(text, "operative", "reaffirms", 4, "A/33/305.")}
    assert {("resolution", "A/RES/33/71"), ("document", "A/33/305")} <= found
    assert not any(t == "instrument" for t, _ in found)


def test_shape_counter_examples_find_nothing():
    data = shapes()
    assert data["counter_examples"]
    for text, why in data["counter_examples"]:
        assert [m for m in find_shapes(text) if m.type != "short"] == [], why


@pytest.mark.corpus
@pytest.mark.skipif(not GOLD_CORPUS.is_dir(), reason="../shared/gold-corpus is absent")
def test_gold_corpus_score_meets_the_issue_thresholds(corpus):
    assert_score_meets_the_issue_thresholds(GOLD_CORPUS, CORPUS)


@pytest.mark.corpus
def test_every_record_on_the_whole_corpus_points_at_its_text(corpus):
    """``text == source[start:end]`` for every reference of every readable corpus document."""
    from kg.errors import KgError
    from kg.extract.references import extract_references
    from kg.read import expand_paths, read_document

    def docs():
        for path in expand_paths([corpus]):
            if path.suffix in (".txt", ".xml"):
                try:
                    yield read_document(path)
                except KgError:
                    continue

    count = 0
    for doc, refs in extract_references(docs()):
        for r in refs:
            assert doc.source[r.start : r.end] == r.text, (doc.path, r)
            count += 1
    assert count > 200_000


OMNIBUS = """United Nations A/RES/75/999

General Assembly Distr.: General

75/999. Special subjects relating to the programme budget

The General Assembly,

I

Umoja

Recalling its resolution 60/283 of 7 July 2006,

1. Takes note of the report of the Secretary-General;

II

Flexible workplace

Recalling

67/246

67/254

Having considered

A/75/386.

1. Endorses the conclusions of the Advisory Committee;

III

Trade Centre

Recalling

70/1

Having considered

A/75/387.

2. Decides to amend the text to read as follows:

Recalling that the Committee has met,

100th plenary meeting 31 December 2020
"""


def test_each_section_of_an_omnibus_resolution_has_its_own_preamble(tmp_path):
    from kg.read import read_document

    path = tmp_path / "A_RES_75_999.txt"
    path.write_text(OMNIBUS, encoding="utf-8")
    doc = read_document(path)
    kinds = [(c.kind, c.verb, c.text.text) for c in doc.clauses]
    assert ("preambular", "recalling", "Recalling 67/246 67/254") in kinds
    assert ("preambular", "having considered", "Having considered A/75/386.") in kinds
    # after a colon, a paragraph opening with a participle is the quoted text, not a new preamble
    assert kinds[-1][0] == "operative" and kinds[-1][2].endswith("Recalling that the Committee has met,")
    refs = next(extract_references([doc]))[1]
    # a lone "70/1" is no page number (no page 70 of 1)
    assert {"A/RES/67/246", "A/RES/67/254", "A/75/386", "A/RES/70/1", "A/75/387"} <= {r.id for r in refs}


ADOPTING = """United Nations A/RES/78/999

General Assembly Distr.: General

78/999. Political declaration of the high-level meeting on pandemic prevention

The General Assembly

Adopts the political declaration of the high-level meeting on pandemic prevention, held on 20 September 2023 \
in accordance with its resolution 77/275 of 24 February 2023, as contained in the annex to the present resolution.

16th plenary meeting 5 October 2023

Annex

Political declaration of the high-level meeting on pandemic prevention

1. Reaffirm our commitment to the 2030 Agenda, adopted in resolution 70/1;
"""


def test_a_formula_without_its_comma_starts_the_clauses_and_an_unnumbered_one_is_operative(tmp_path):
    from kg.read import read_document

    path = tmp_path / "A_RES_78_999.txt"
    path.write_text(ADOPTING, encoding="utf-8")
    doc = read_document(path)
    assert [(c.id, c.kind, c.verb) for c in doc.clauses] == [("op1", "operative", "adopts")]
    refs = next(extract_references([doc]))[1]
    assert "A/RES/77/275" in {r.id for r in refs}
