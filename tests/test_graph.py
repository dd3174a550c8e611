"""The knowledge graph: mapping, export, validation, queries (issue 4)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.graph.build import build_graph
from kg.graph.export import serialize, write_graph
from kg.graph.query import library, render, run_query
from kg.graph.validate import check, validate_graph
from kg.graph.vocab import CITO, KG, OA

EXPECTED = Path(__file__).parent / "fixtures" / "expected"


@pytest.fixture(scope="module")
def built(seed_references):
    return build_graph(seed_references.values())


def test_turtle_parses_with_a_second_parser_to_the_same_triples(built, tmp_path):
    import pyoxigraph

    paths = write_graph(built, tmp_path)
    ttl = tmp_path / "graph.ttl"
    assert ttl in paths
    second = Graph().parse(ttl, format="turtle")  # rdflib's parser; Oxigraph wrote it
    assert len(second) == len(built.lines)
    jsonld = list(pyoxigraph.parse(path=str(tmp_path / "graph.jsonld"), format=pyoxigraph.RdfFormat.JSON_LD))
    assert len(jsonld) == len(built.lines)
    nt = Graph().parse(tmp_path / "graph.nt", format="nt")
    assert len(nt) == len(built.lines)


def test_graph_conforms_to_the_shapes(built):
    report = validate_graph(built)
    assert report.conforms, report.text[:2000]


def test_each_citing_clause_and_entity_is_one_citation(built, seed_references):
    from kg.graph.iris import doc_iri, entity_iri

    expected = set()
    for doc, refs in seed_references.values():
        for r in refs:
            if r.id is not None and not (r.clause == "header" and r.type == "state"):  # sponsors: sponsorship
                d = doc_iri(doc.metadata.symbol, doc.path)
                expected.add((d, URIRef(f"{d}#{r.clause}"), entity_iri(r.type, r.id)))
    graph = built.graph
    found = set()
    for c in graph.subjects(RDF.type, KG.Citation):
        found.add((graph.value(c, CITO.hasCitingEntity), graph.value(c, KG.citingPart),
                   graph.value(c, CITO.hasCitedEntity)))
        # one characterization: the citing clause's
        assert len(list(graph.objects(c, CITO.hasCitationCharacterization))) == 1
    citations = list(graph.subjects(RDF.type, KG.Citation))
    assert len(citations) == len(found) == len(expected)
    assert found == expected
    # and kg:cites once per document and entity
    assert len(list(graph.subject_objects(KG.cites))) == len({(d, e) for d, _c, e in expected})


def test_every_citation_span_points_at_its_text(built, seed_references):
    sources = {}
    for doc, _refs in seed_references.values():
        from kg.graph.iris import doc_iri

        sources[doc_iri(doc.metadata.symbol, doc.path)] = doc.source
    graph = built.graph
    checked = 0
    for c in graph.subjects(RDF.type, KG.Citation):
        source = sources[graph.value(c, CITO.hasCitingEntity)]
        for m in graph.objects(c, KG.hasMention):
            assert graph.value(m, OA.hasSource) == graph.value(c, CITO.hasCitingEntity)
            selectors = {graph.value(s, RDF.type): s for s in graph.objects(m, OA.hasSelector)}
            quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
            start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
            assert source[start:end] == str(graph.value(quote, OA.exact))
            assert source[:start].endswith(str(graph.value(quote, OA.prefix)))
            assert source[end:].startswith(str(graph.value(quote, OA.suffix)))
            checked += 1
    assert checked > 500


def test_two_builds_give_byte_identical_turtle(seed_references):
    import pyoxigraph

    a = serialize(build_graph(seed_references.values()), pyoxigraph.RdfFormat.TURTLE)
    b = serialize(build_graph(seed_references.values()), pyoxigraph.RdfFormat.TURTLE)
    assert a == b


def test_a_citation_without_a_citing_document_fails_validation_naming_it(built):
    graph = Graph().parse(data=serialize(built, __import__("pyoxigraph").RdfFormat.N_TRIPLES), format="nt")
    citation = next(graph.subjects(RDF.type, KG.Citation))
    graph.remove((citation, CITO.hasCitingEntity, None))
    report = validate_graph(graph)
    assert not report.conforms
    assert any(v.focus == str(citation) and v.shape == "CitationShape" for v in report.violations)
    with pytest.raises(Exception) as err:
        check(graph)
    assert str(citation) in str(err.value) and "CitationShape" in str(err.value)


def test_entities_link_to_their_authorities(built):
    graph = built.graph
    c029 = URIRef("https://w3id.org/un-kg/entity/ilo/C029")
    assert (c029, KG.normlexCode, None) in graph
    untoc = URIRef("https://w3id.org/un-kg/entity/treaty/UNTOC")
    unts = graph.value(untoc, KG.untsCitation)
    assert int(graph.value(unts, KG.untsVolume)) == 2225 and int(graph.value(unts, KG.untsNumber)) == 39574
    target = URIRef("https://w3id.org/un-kg/entity/sdg/8.7")
    assert (target, RDF.type, KG.SdgTarget) in graph
    assert graph.value(target, KG.sdgGoal) == URIRef("https://w3id.org/un-kg/entity/sdg/8")
    assert graph.value(target, SKOS.exactMatch) == URIRef("http://metadata.un.org/sdg/8.7")
    agenda = URIRef("https://w3id.org/un-kg/entity/instrument/AGENDA-2030")
    assert (agenda, KG.adoptedIn, URIRef("https://w3id.org/un-kg/doc/A/RES/70/1")) in graph


def test_the_library_has_at_least_twelve_documented_queries():
    lib = library()
    assert len(lib) >= 12
    for q in lib.values():
        assert q.question, q.name
        assert q.text.lstrip().startswith("# Question:"), q.name


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPECTED.glob("*.csv")))
def test_each_query_gives_its_expected_rows(name, built):
    names, rows = run_query(built.store, name)
    got = render(names, rows, "csv")
    expected = (EXPECTED / f"{name}.csv").read_text(encoding="utf-8").rstrip("\n")
    assert got == expected


def test_every_library_query_has_expected_rows():
    assert {p.stem for p in EXPECTED.glob("*.csv")} == set(library())


def test_parameters_are_bound_not_pasted(built):
    names, rows = run_query(built.store, "citing_documents", resolution="A/RES/64/293")
    assert {r[names.index("document")] for r in rows} >= {"A/RES/75/158", "A/HRC/RES/32/3"}
    # a value that would break a pasted query is just a value that matches nothing
    names, rows = run_query(built.store, "stances", type='treaty" } } SELECT * WHERE { ?s ?p ?o')
    assert rows == []


def test_kg_query_from_the_command_line(tmp_path, capsys):
    from kg.cli import main

    assert main(["build", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["query", "protocols", "--graph", str(tmp_path / "graph.ttl"), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["protocol", "parent", "volume", "number"]
    assert ["UNTOC-TIP-PROTOCOL", "UNTOC", "2237", "39574"] in rows


def test_co_citation_pairs_are_stated_in_id_order_with_the_count_a_join_of_citations_gives(built):
    # what cocited_instruments reads from the pairs counted at build time, against the same
    # question asked of the documents' citations directly (the join it replaces)
    joined = """PREFIX kg: <https://w3id.org/un-kg/ontology#>
    SELECT ?a ?b (COUNT(DISTINCT ?d) AS ?n) WHERE {
      ?d kg:cites ?x , ?y .
      ?x kg:referenceType ?tx ; kg:canonicalId ?a . ?y kg:referenceType ?ty ; kg:canonicalId ?b .
      FILTER(?tx IN ("treaty", "ilo", "instrument") && ?ty IN ("treaty", "ilo", "instrument"))
      FILTER(STR(?a) < STR(?b))
    } GROUP BY ?a ?b HAVING (COUNT(DISTINCT ?d) >= 1)"""
    expected = sorted((r["a"].value, r["b"].value, int(r["n"].value)) for r in built.store.query(joined))
    _names, rows = run_query(built.store, "cocited_instruments", min="1")
    assert len(expected) > 100
    assert sorted((a, b, int(n)) for _min, a, b, n in rows) == expected
    assert all(a < b for _min, a, b, _n in rows)


# The library's plain forms, before they were shaped for the on-disk store of a whole corpus (subqueries
# hashed, names and labels looked up once a group): the shaped forms must give the same rows.
PLAIN_FORMS = {
    "most_cited_instruments": """PREFIX kg: <https://w3id.org/un-kg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?type ?id ?label (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
      ?doc kg:cites ?entity . ?entity kg:referenceType ?type ; kg:canonicalId ?id ; skos:prefLabel ?label .
      FILTER(?type IN ("treaty", "ilo", "instrument"))
    } GROUP BY ?type ?id ?label ORDER BY DESC(?documents) ?id LIMIT 25""",
    "stances": """PREFIX kg: <https://w3id.org/un-kg/ontology#>
    PREFIX cito: <http://purl.org/spar/cito/>
    SELECT ?type ?characterization (COUNT(?citation) AS ?citations) WHERE { VALUES ?type { "treaty" }
      ?citation cito:hasCitedEntity ?entity ; cito:hasCitationCharacterization ?c . ?entity kg:referenceType ?type .
      BIND(STRAFTER(STR(?c), "http://purl.org/spar/cito/") AS ?characterization)
    } GROUP BY ?type ?characterization ORDER BY DESC(?citations) ?characterization""",
    "citations_by_type": """PREFIX kg: <https://w3id.org/un-kg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?document ?type (COUNT(DISTINCT ?entity) AS ?entities) WHERE {
      ?doc kg:cites ?entity . ?entity kg:referenceType ?type . ?doc dcterms:source ?file .
      OPTIONAL { ?doc dcterms:identifier ?symbol } BIND(COALESCE(?symbol, ?file) AS ?document)
    } GROUP BY ?document ?type ORDER BY ?document ?type""",
}


@pytest.mark.parametrize("name", sorted(PLAIN_FORMS))
def test_a_library_query_shaped_for_speed_gives_the_rows_of_its_plain_form(built, name):
    _names, plain_rows = run_query(built.store, PLAIN_FORMS[name])
    _names, rows = run_query(built.store, name)
    assert len(rows) > 3
    assert rows == plain_rows


def test_co_citations_are_listed_by_their_rank_most_documents_first_then_by_ids(built):
    _names, rows = run_query(built.store, "cocited_instruments", min="1")
    assert [(a, b) for _min, a, b, _n in rows] == [(a, b) for _min, a, b, _n in
                                                  sorted(rows, key=lambda r: (-int(r[3]), r[1], r[2]))]
    ranks = [int(r["r"].value) for r in built.store.query(
        "SELECT ?r WHERE { ?c <https://w3id.org/un-kg/ontology#coCitationRank> ?r } ORDER BY ?r")]
    assert ranks == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("value, lang, datatype", [
    ('a "quoted" word,\nback\\slash\r and tab\t', None, None), ("Paris", "en", None), (3, None, None),
    (-12, None, None), (True, None, None), (False, None, None),
    ("2021-12-16", None, "http://www.w3.org/2001/XMLSchema#date"), ("é ü 中", "en", None)])
def test_the_mappers_plain_literals_are_the_lines_rdflib_writes(value, lang, datatype):
    from rdflib import Literal

    from kg.graph.ntriples import iri, line, literal

    g = Graph()
    s, p = URIRef("https://w3id.org/un-kg/doc/A/RES/1"), URIRef("https://w3id.org/un-kg/ontology#text")
    g.add((s, p, Literal(value, lang=lang, datatype=URIRef(datatype) if datatype else None)))
    assert line(s, p, literal(value, lang, datatype)) == g.serialize(format="nt").strip("\n") + "\n"
    assert iri(s) == f"<{s}>"


def test_a_mistyped_vocabulary_term_fails_in_the_mapper_too():
    from kg.graph.ntriples import PlainTerms

    terms = PlainTerms(KG)
    assert terms.cites == str(KG.cites) and terms.cites is terms.cites
    with pytest.raises(AttributeError):
        _ = terms.citez
