"""Rules are data, and every rule has examples that match it (issue 3).

As in reporters-db: each pattern in data/patterns carries examples, and each
example must match its pattern; each name and alias in data/registry must be
found in running text and linked to its own entity.
"""

from __future__ import annotations

import re

import pytest

from kg.extract.find import find_shapes, patterns, shapes
from kg.lexicon.registry import TYPES, load_registry
from kg.read.verbs import lexicon, opening_verb

PATTERNS = patterns()


@pytest.mark.parametrize("pid", sorted(PATTERNS))
def test_every_reference_pattern_has_examples_that_match(pid):
    row = PATTERNS[pid]
    assert row["examples"], f"{pid} has no examples"
    for text, expected in row["examples"]:
        m = row["regex"].search(text)
        assert (m.group(0) if m else None) == expected, (pid, text)


def test_every_shape_example_is_found_with_its_type():
    data = shapes()
    assert data["examples"]
    for text, name, type_ in data["examples"]:
        found = [(m.text, m.type) for m in find_shapes(text)]
        assert (name, type_) in found, (text, found)


def test_a_states_currency_is_no_reference_to_the_state():
    from kg.extract.references import extract_references
    from kg.models import Clause, Document, MappedText, Metadata

    for text, states in shapes()["not_state_before"]["examples"]:
        clause = Clause("pp1", "preambular", MappedText(text, list(range(len(text)))), verb="recalling")
        doc = Document("t.txt", "text", text, Metadata(body="GA"), [clause], [])
        [(_doc, refs)] = list(extract_references([doc]))
        assert [r.text for r in refs if r.type == "state"] == states, text


def test_every_head_noun_is_used_by_a_type():
    data = shapes()
    assert set(data["heads"]) <= set(TYPES)
    for heads in data["heads"].values():
        assert heads and all(isinstance(h, str) and h for h in heads)


def test_every_verb_example_reads_its_phrase():
    examples = lexicon()["examples"]
    assert examples
    for text, kind, expected in examples:
        assert opening_verb(text, kind) == expected, text


def test_registry_records_are_well_formed():
    registry = load_registry()
    assert len(registry.by_id) > 700
    for e in registry.by_id.values():
        assert e.type in TYPES
        assert e.name.strip() == e.name
        if e.parent:
            assert e.parent in registry.by_id, e.id
        for cite in e.unts:
            assert re.fullmatch(r"\d{1,4}/\d{1,6}", cite), (e.id, cite)
        if e.type == "ilo" and e.normlex:
            assert re.fullmatch(r"[CPR]\d{3}", e.normlex)
        if e.adopted_in:
            assert re.fullmatch(r"A/RES/\S+", e.adopted_in), e.id
    targets = [e for e in registry.by_id.values() if e.type == "sdg" and e.kind == "target"]
    goals = [e for e in registry.by_id.values() if e.type == "sdg" and e.kind == "goal"]
    assert len(goals) == 17 and len(targets) == 169
    assert all(e.iri == f"http://metadata.un.org/sdg/{e.notation}" for e in goals + targets)


def test_every_registry_name_and_alias_is_found_and_linked_to_its_entity():
    from kg.extract.references import extract_references
    from kg.models import Clause, Document, MappedText, Metadata

    registry = load_registry()
    clauses, expected = [], []
    for e in registry.by_id.values():
        if e.type == "sdg":
            continue
        for name in [*e.names, *e.acronyms]:
            text = f"Recalling the {name}, in all its aspects,"
            clauses.append(Clause(f"pp{len(clauses) + 1}", "preambular", MappedText(text, list(range(len(text))))))
            expected.append((e.id, name))
    doc = Document("names.txt", "text", "", Metadata(body="GA"), clauses, [])
    _doc, refs = next(extract_references([doc]))
    by_clause: dict[str, set] = {}
    for r in refs:
        by_clause.setdefault(r.clause, set()).add(r.id)
    missing = [(id, name) for clause, (id, name) in zip(clauses, expected, strict=True)
               if id not in by_clause.get(clause.id, set())]
    assert not missing, missing[:20]
