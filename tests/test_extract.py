"""Finding and resolving references (issue 3)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT, SHARED, assert_score_meets_the_issue_thresholds

from kg.extract.references import extract_references
from kg.models import Clause, Document, MappedText, Metadata


def refs_of(text: str, body: str = "GA") -> list:
    """References in one clause of a made-up document (the table tests)."""
    clause = Clause("op1", "operative", MappedText(text, list(range(len(text)))), verb="urges")
    doc = Document("t.txt", "text", text, Metadata(body=body), [clause], [])
    return next(extract_references([doc]))[1]


def ids(text: str, body: str = "GA") -> set:
    return {(r.type, r.id) for r in refs_of(text, body)}


def test_every_record_points_at_its_text(seed_references):
    count = 0
    for doc, refs in seed_references.values():
        for r in refs:
            assert doc.source[r.start : r.end] == r.text, r
            count += 1
    assert count > 500


def test_records_follow_the_scheme(seed_references):
    doc, refs = seed_references[next(iter(seed_references))]
    rec = refs[0].to_record()
    assert {"file", "doc", "clause", "start", "end", "text", "type", "id", "label", "verb",
            "ratification"} <= set(rec)


@pytest.mark.skipif(not (SHARED / "tools" / "evaluate.py").exists(), reason="../shared/tools is absent")
def test_seed_score_meets_the_issue_thresholds():
    assert_score_meets_the_issue_thresholds(GOLD, ROOT / "kg" / "data" / "corpus")


@pytest.mark.parametrize("text, body, expected", [
    ("Recalling its resolution 68/192 of 18 December 2013,", "GA", "A/RES/68/192"),
    ("Recalling Human Rights Council resolution 32/3,", "GA", "A/HRC/RES/32/3"),
    ("Recalling resolution 2015/23 of the Economic and Social Council of 21 July 2015,", "HRC", "E/RES/2015/23"),
    ("See resolution 2200 A (XXI), annex.", "GA", "A/RES/2200(XXI)"),
    ("Recalling Security Council resolution 1325 (2000),", "GA", "S/RES/1325(2000)"),
    ("the decision of the General Assembly, in its resolution 68/192,", "HRC", "A/RES/68/192"),
    ("Recalling its resolution 53/9,", "HRC", "A/HRC/RES/53/9"),
    ("Commission on Crime Prevention and Criminal Justice resolution 27/2,", "GA", "CCPCJ/RES/27/2"),
    ("Recalling General Assembly decision 79/540,", "GA", "A/DEC/79/540"),
])
def test_resolution_numbers_take_their_series_from_context(text, body, expected):
    assert ("resolution", expected) in ids(text, body)


def test_a_list_of_resolutions_gives_one_reference_each():
    found = ids("Recalling its resolutions 61/180 of 20 December 2006, 64/178 of 18 December 2009, "
                "67/190 of 20 December 2012 and 72/195 of 19 December 2017,")
    assert {i for t, i in found if t == "resolution"} == {"A/RES/61/180", "A/RES/64/178", "A/RES/67/190",
                                                          "A/RES/72/195"}


@pytest.mark.parametrize("text, expected", [
    ("the Convention on the Rights of the Child and the Optional Protocols thereto,",
     {"CRC", "OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC"}),
    ("the Convention on the Rights of the Child and the Optional Protocol thereto on the sale of children, "
     "child prostitution and child pornography, and", {"CRC", "OP-CRC-SC"}),
    ("the Forced Labour Convention, 1930 (No. 29) and the Protocol of 2014 thereto,", {"C029", "P029"}),
    ("the Convention on the Elimination of All Forms of Discrimination against Women and the Optional "
     "Protocol thereto,", {"CEDAW", "OP-CEDAW"}),
])
def test_protocols_thereto_resolve_to_the_treaty_named_before(text, expected):
    assert {i for _t, i in ids(text)} == expected


def test_sdg_targets_are_checked_to_exist():
    found = ids("in particular targets 5.2, 8.7 and 16.2 of the Sustainable Development Goals and target 5.9,")
    assert found == {("sdg", "SDG 5.2"), ("sdg", "SDG 8.7"), ("sdg", "SDG 16.2")}


@pytest.mark.parametrize("text, type_, label", [
    ("Recalling the Convention on the Rights of Older Persons,", "treaty", "Convention on the Rights of Older Persons"),
    ("Welcoming the work of the Special Rapporteur on the right to peace,", "mandate",
     "Special Rapporteur on the right to peace"),
    ("Invites contributions to the United Nations voluntary trust fund for victims of landmines,", "other",
     "United Nations voluntary trust fund for victims of landmines"),
    ("Welcoming the Kigali Declaration on Blue Economy,", "instrument", "Kigali Declaration on Blue Economy"),
])
def test_entities_no_registry_holds_are_found_by_their_shape(text, type_, label):
    refs = [r for r in refs_of(text) if r.type == type_]
    assert [r.label for r in refs] == [label]
    assert refs[0].id == refs_of(text)[0].id  # the same name gives the same id


def test_ilo_instruments_by_number():
    found = ids("Urges States to ratify the Violence and Harassment Convention, 2019 (No. 190) and "
                "the Migrant Workers (Supplementary Provisions) Convention, 1975 (No. 143),")
    assert found == {("ilo", "C190"), ("ilo", "C143")}


def test_ratification_is_flagged_where_states_are_asked_to_ratify():
    refs = refs_of("Urges States that have not yet done so to consider ratifying or acceding to the "
                   "United Nations Convention against Transnational Organized Crime and to report to the "
                   "Secretary-General,")
    by_id = {r.id: r for r in refs}
    assert by_id["UNTOC"].ratification is True
    assert by_id["SG"].ratification is False
    assert by_id["UNTOC"].verb == "urges"


def test_footnote_binding_in_the_seeds(seed_references):
    by_doc = {doc.name: refs for doc, refs in seed_references.values()}
    refs = by_doc["A/RES/75/158"]
    # "the 2030 Agenda for Sustainable Development,¹¹" with "¹¹ Resolution 70/1."
    bound = [r for r in refs if r.id == "A/RES/70/1"]
    assert bound and all(r.clause.startswith("fn") for r in bound)
    assert any(r.bound_to == "AGENDA-2030" for r in bound)
    # a UN Treaty Series footnote identifies the treaty before its marker
    unts = {r.id for r in refs if r.unts}
    assert {"UNTOC", "CEDAW", "CONV-TRAFFIC-1949"} <= unts
    # "Ibid." after "See resolution 2200 A (XXI), annex."
    assert any(r.clause == "fn34" and r.id == "A/RES/2200(XXI)" for r in refs)


def test_unresolved_references_stay_in_the_output_for_review():
    refs = refs_of("Recalling the Optional Protocol thereto,")
    assert [(r.type, r.id) for r in refs] == [("treaty", None)]


def test_the_spacy_pipeline_loads_once(seeds):
    from kg.extract.find import _pipeline
    from kg.read import read_document

    before = _pipeline.cache_info().misses
    list(extract_references(read_document(p) for p in seeds.values()))
    list(extract_references(read_document(p) for p in seeds.values()))
    assert _pipeline.cache_info().misses - before <= 1
    assert _pipeline.cache_info().currsize == 1


def test_a_registry_of_ones_own_is_passed_in_not_fetched():
    from kg.lexicon.registry import Entity, Registry, load_registry

    mine = Registry([*load_registry().by_id.values(),
                     Entity("MY-PLAN", "instrument", "Plan Nobody Else Has Heard Of")])
    text = "Welcomes the Plan Nobody Else Has Heard Of,"
    clause = Clause("op1", "operative", MappedText(text, list(range(len(text)))), verb="welcomes")
    doc = Document("t.txt", "text", text, Metadata(body="GA"), [clause], [])
    refs = next(extract_references([doc], registry=mine))[1]
    assert ("instrument", "MY-PLAN") in {(r.type, r.id) for r in refs}
    assert ("instrument", "MY-PLAN") not in ids(text)


def test_kg_extract_unresolved_lists_the_review_queue(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("The General Assembly,\n\n1. Recalls the Optional Protocol thereto;\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(path), "--unresolved", "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    assert recs and all(r["id"] is None for r in recs)
