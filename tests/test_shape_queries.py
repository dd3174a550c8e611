"""SHACL as SPARQL on the store gives what pySHACL gives (issue 15).

The build validates by queries compiled from ontology/shapes.ttl; pySHACL is
the reference. Each case breaks one seed document's graph in one way the
shapes forbid, and both must name the same focus nodes, shapes and paths.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import KgError
from kg.graph.build import build_graph
from kg.graph.shape_queries import compile_shapes
from kg.graph.validate import validate_graph
from kg.graph.vocab import CITO, KG, OA


@pytest.fixture(scope="module")
def nt(seed_references) -> str:
    doc, refs = sorted(seed_references.values(), key=lambda dr: len(dr[0].source))[0]
    return build_graph([(doc, refs)]).ntriples().decode("utf-8")


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _drop(p):  # type: ignore[no-untyped-def]
    def change(g: Graph, s: URIRef) -> None:
        g.remove((s, p, None))
    return change


def _set(p, o):  # type: ignore[no-untyped-def]
    def change(g: Graph, s: URIRef) -> None:
        g.set((s, p, o))
    return change


def _add(p, o):  # type: ignore[no-untyped-def]
    def change(g: Graph, s: URIRef) -> None:
        g.add((s, p, o))
    return change


def _second_quote(g: Graph, m: URIRef) -> None:
    q = URIRef(f"{m}/quote2")
    g.add((m, OA.hasSelector, q))
    g.add((q, RDF.type, OA.TextQuoteSelector))
    g.add((q, OA.exact, Literal("x")))


def _no_position(g: Graph, m: URIRef) -> None:
    g.remove((URIRef(f"{m}/position"), RDF.type, None))


def _also_in_a_footnote(g: Graph, m: URIRef) -> None:
    g.add((m, KG.inFootnote, _first(g, KG.Footnote) if (None, RDF.type, KG.Footnote) in g else URIRef(f"{m}#fn")))


# (what breaks, the class of the node broken, how)
CASES = {
    "no citing document": (KG.Citation, _drop(CITO.hasCitingEntity)),
    "two cited entities": (KG.Citation, _add(CITO.hasCitedEntity, URIRef("https://w3id.org/un-kg/entity/x"))),
    "a mention that is no Mention": (KG.Citation, _add(KG.hasMention, URIRef("https://example.org/not-a-mention"))),
    "a position as a string": (KG.Clause, _set(KG.position, Literal("one"))),
    "a citing part as a literal": (KG.Citation, _set(KG.citingPart, Literal("op1"))),
    "a clause id off its pattern": (KG.Clause, _set(KG.clauseId, Literal("para-1"))),
    "a reference type outside the list": (KG.Citable, _set(KG.referenceType, Literal("gadget"))),
    "a header not called header": (KG.Header, _set(KG.clauseId, Literal("top"))),
    "a negative offset": (OA.TextPositionSelector, _set(OA.start, Literal(-4))),
    "an exact quote on a position": (OA.TextPositionSelector, _add(OA.exact, Literal("x"))),
    "two quotes": (KG.Mention, _second_quote),
    "no span": (KG.Mention, _no_position),
    "in a clause and a footnote": (KG.Mention, _also_in_a_footnote),
    "no label": (KG.Citable, _drop(URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))),
    "a date that is a string": (KG.Document, _set(URIRef("http://purl.org/dc/terms/date"), Literal("2020"))),
    "an ill-formed integer": (KG.Footnote, _set(KG.footnoteNumber, Literal("seven", datatype=XSD.integer))),
}


def _found(report) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(v.focus, v.shape, v.path) for v in report.violations}


@pytest.mark.parametrize("case", sorted(CASES))
def test_sparql_validation_names_what_pyshacl_names(nt, case):
    cls, change = CASES[case]
    g = Graph().parse(data=nt, format="nt")
    if (None, RDF.type, cls) not in g:
        pytest.fail(f"the seed graph has no {cls} to break")
    change(g, _first(g, cls))
    by_queries = validate_graph(g)
    by_pyshacl = validate_graph(g, engine="pyshacl")
    assert not by_queries.conforms and not by_pyshacl.conforms
    assert _found(by_queries) == _found(by_pyshacl)


def test_an_unbroken_graph_conforms_both_ways(nt):
    g = Graph().parse(data=nt, format="nt")
    assert validate_graph(g).conforms and validate_graph(g, engine="pyshacl").conforms


def test_a_shape_outside_the_supported_part_of_shacl_is_refused_by_name():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:OddShape a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path ex:p ; sh:uniqueLang true ] .""", format="turtle")
    with pytest.raises(KgError, match="OddShape uses .*uniqueLang"):
        compile_shapes(shapes)


def test_every_shipped_constraint_becomes_a_query():
    from kg.graph.validate import shapes_graph

    queries = compile_shapes(shapes_graph())
    kinds = {q.constraint for q in queries}
    assert {"MinCount", "MaxCount", "Class", "Datatype", "NodeKind", "Pattern", "In", "HasValue", "MinInclusive",
            "QualifiedMinCount", "QualifiedMaxCount", "Xone"} <= kinds
