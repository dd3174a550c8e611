"""The graph as linked data other tools use as they are (issue 10).

A store written by the build, a read-only endpoint (kg serve), loading into
other triple stores (kg push), queries that give the same rows on any
SPARQL 1.1 engine, standard vocabularies used as their specs say. Servers
are real and local: kg's own endpoint, the Oxigraph server, and Virtuoso
where Debian's package is installed.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.cli import main
from kg.graph.query import bind, execute, library, open_store, query_frame, run_query, serialize_result
from kg.graph.validate import validate_graph
from kg.graph.vocab import KG
from kg.read import bundled_corpus
from tests.servers import http_select, oxigraph_server, virtuoso_server

GRAPH = "https://w3id.org/un-kg/graph"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ld") / "kg-out"
    assert main(["build", "-o", str(out)]) == 0
    return out


def _triples(build: Path) -> int:
    return (build / "graph.nt").read_bytes().count(b"\n")


@pytest.fixture(scope="module")
def served(build):
    """``kg serve`` as a user starts it, on a free port; yields the base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(build), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+)/query", line)
    assert m, line + proc.stderr.read()
    yield m.group(1)
    proc.terminate()
    proc.wait(10)


# -- the store ---------------------------------------------------------------

def test_the_build_writes_a_store_that_kg_query_opens_without_parsing(build, capsys, monkeypatch):
    assert (build / "store").is_dir()
    store = open_store(build / "store")
    assert len(store) == _triples(build)
    monkeypatch.chdir(build.parent)
    assert main(["query", "protocols", "--graph", str(build), "--format", "csv"]) == 0
    assert "UNTOC-TIP-PROTOCOL" in capsys.readouterr().out


def test_append_gives_the_graph_a_full_build_gives(tmp_path, capsys):
    seeds = bundled_corpus()
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    for p in seeds[:3]:
        shutil.copy(p, first / p.name)
    for p in seeds[3:]:
        shutil.copy(p, rest / p.name)
    full, grown = tmp_path / "full", tmp_path / "grown"
    assert main(["build", str(first), str(rest), "-o", str(full)]) == 0
    assert main(["build", str(first), "-o", str(grown)]) == 0
    capsys.readouterr()
    assert main(["build", "--append", str(first), str(rest), "-o", str(grown)]) == 0
    out = capsys.readouterr().out
    assert "2 new or changed documents read, 3 kept" in out  # the three already built are not read again
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "void.ttl"):
        assert (grown / name).read_bytes() == (full / name).read_bytes(), name
    assert len(open_store(grown / "store")) == _triples(full)

    # a changed file replaces its part; an unchanged one is not read
    changed = first / seeds[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("Recalling", "Recalling also", 1),
                       encoding="utf-8")
    assert main(["build", "--append", str(first), str(rest), "-o", str(grown)]) == 0
    assert "1 new or changed documents read, 4 kept" in capsys.readouterr().out
    again = tmp_path / "again"
    assert main(["build", str(first), str(rest), "-o", str(again)]) == 0
    assert (grown / "graph.ttl").read_bytes() == (again / "graph.ttl").read_bytes()


def test_append_without_a_build_says_so(tmp_path, capsys):
    assert main(["build", "--append", str(bundled_corpus()[0]), "-o", str(tmp_path / "none")]) == 1
    assert "no build to append to" in capsys.readouterr().err


# -- queries that run anywhere --------------------------------------------------

def test_parameters_are_bound_with_a_standard_values_block():
    text = bind(library()["stances"], type="ilo")
    assert 'VALUES (?type) { ("ilo") }' in text
    doc = bind(library()["document_citations"], doc="A/RES/75/158")
    assert "VALUES (?doc) { (<https://w3id.org/un-kg/doc/A/RES/75/158>) }" in doc


def test_ask_construct_and_describe_are_answered(build):
    store = open_store(build / "store")
    assert run_query(store, "ASK { ?c a <https://w3id.org/un-kg/ontology#Citation> }") == (["ask"], [["true"]])
    construct = ("PREFIX kg: <https://w3id.org/un-kg/ontology#> "
                 "CONSTRUCT { ?d kg:cites ?e } WHERE { ?d kg:cites ?e } ")
    names, rows = run_query(store, construct)
    assert names == ["subject", "predicate", "object"] and len(rows) == 333
    ttl = serialize_result(execute(store, construct), "turtle")
    assert len(Graph().parse(data=ttl, format="turtle")) == 333
    described = Graph().parse(data=serialize_result(execute(
        store, "DESCRIBE <https://w3id.org/un-kg/entity/treaty/UNTOC>"), "ntriples"), format="nt")
    assert (URIRef("https://w3id.org/un-kg/entity/treaty/UNTOC"), SKOS.prefLabel, None) in described


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_results_come_in_the_standard_formats(build, fmt, capsys):
    assert main(["query", "stances", "--graph", str(build), "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":  # SPARQL CSV is lossy (no types): Oxigraph cannot read it back, the csv module can
        import csv
        import io

        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["type", "characterization", "citations"] and len(rows) == 8
        return
    parsed = pyoxigraph.parse_query_results(out.encode(), format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    rows = list(parsed)
    assert len(rows) == 7 and [v.value for v in parsed.variables] == ["type", "characterization", "citations"]


def test_a_construct_prints_turtle_not_a_table(build, capsys):
    assert main(["query", "PREFIX kg: <https://w3id.org/un-kg/ontology#> CONSTRUCT WHERE { ?d kg:cites ?e }",
                 "--graph", str(build)]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == 333


def test_a_dataframe_has_typed_columns(build):
    store = open_store(build / "store")
    frame = query_frame(store, "most_cited_instruments")
    assert str(frame["documents"].dtype) == "Int64"
    assert frame["documents"].iloc[0] == 5
    assert str(frame["id"].dtype) == "string"
    dates = query_frame(store, "PREFIX dcterms: <http://purl.org/dc/terms/> "
                               "SELECT ?d ?date WHERE { ?d dcterms:date ?date }")
    assert str(dates["date"].dtype).startswith("datetime64")


@pytest.mark.parametrize(("query", "where"), [
    ("SELECT ?s WHERE { ?s ?p }", 'line 1, column 19, near "?s ?p }"'),
    ("SELEC ?s WHERE { ?s ?p ?o }", 'line 1, column 1, near "SELEC ?s'),
    ("PREFIX kg: <https://w3id.org/un-kg/ontology#>\nSELECT ?s WHERE {\n  ?s a kg:Document .\n"
     "  FILTER(?s = )\n}", 'line 4, column 3, near "FILTER(?s = )"'),
    ("SELECT ?s WHERE { ?s ?p ?o ", 'line 1, column 28, near "the end of the query"'),
])
def test_a_sparql_error_is_one_line_saying_where(capsys, build, query, where):
    assert main(["query", query, "--graph", str(build)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("kg: error")]
    assert len(errors) == 1 and errors == err[-1:]
    assert f"syntax error at {where}" in errors[0]
    assert "expected" in errors[0]  # what the engine wanted there


# -- kg serve -------------------------------------------------------------------

def test_kg_serve_counts_the_graphs_triples_over_http(served, build):
    names, rows = http_select(served + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0][0]) == _triples(build)
    url = served + "/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    with urllib.request.urlopen(url) as res:
        assert json.load(res)["boolean"] is True


@pytest.mark.parametrize("how", ["update endpoint", "update form", "sparql-update body", "PUT"])
def test_kg_serve_refuses_updates(served, build, how):
    update = "DELETE WHERE { ?s ?p ?o }"
    if how == "update endpoint":
        req = urllib.request.Request(served + "/update", data=urllib.parse.urlencode({"update": update}).encode())
    elif how == "update form":
        req = urllib.request.Request(served + "/query", data=urllib.parse.urlencode({"update": update}).encode())
    elif how == "sparql-update body":
        req = urllib.request.Request(served + "/query", data=update.encode(),
                                     headers={"Content-Type": "application/sparql-update"})
    else:
        req = urllib.request.Request(served + "/query", data=b"<a:b> <a:c> <a:d> .", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req)
    assert err.value.code == 403
    assert int(http_select(served + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1][0][0]) == \
        _triples(build)


def test_kg_serve_refuses_service_and_reports_bad_queries(served):
    with pytest.raises(urllib.error.HTTPError) as err:
        http_select(served + "/query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert err.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as err:
        http_select(served + "/query", "SELECT WHERE {")
    assert err.value.code == 400


def test_kg_serve_serves_the_page_the_library_and_void(served):
    with urllib.request.urlopen(served + "/") as res:
        assert b"<html" in res.read(2000).lower()
    with urllib.request.urlopen(served + "/queries") as res:
        names = {q["name"] for q in json.load(res)}
    assert names == set(library())
    req = urllib.request.Request(served + "/queries/stances?type=ilo", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(req) as res:
        assert res.read().decode().splitlines()[0] == "type,characterization,citations"
    with urllib.request.urlopen(served + "/.well-known/void") as res:
        void = Graph().parse(data=res.read(), format="turtle")
    assert (None, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in void


# -- kg push, and the same answers everywhere -------------------------------------

def _same_rows(name: str, text: str, local: list[list[str]], remote: list[list[str]]) -> None:
    """Rows as multisets (ORDER BY ties may fall either way); GROUP_CONCAT's order is undefined in SPARQL 1.1."""
    names = re.findall(r"GROUP_CONCAT\(.*?AS\s+\?(\w+)\)", text, re.S)

    def norm(rows: list[list[str]]) -> list[list[str]]:
        return sorted([[" ".join(sorted(v.split(" "))) if names else v for v in r] for r in rows])

    assert norm(remote) == norm(local), name


def _every_query_agrees(build: Path, endpoint: str, graph: str | None) -> int:
    store = open_store(build / "store")
    checked = 0
    for name, q in library().items():
        names, rows = run_query(store, q)
        text = bind(q)
        remote_names, remote = http_select(endpoint, text, graph)
        assert remote_names == names, name
        _same_rows(name, text, rows, remote)
        checked += 1
    return checked


def test_every_library_query_gives_the_same_rows_over_kg_serve(served, build):
    assert _every_query_agrees(build, served + "/query", None) == len(library())


def test_kg_push_into_an_oxigraph_server_gives_the_same_graph_and_answers(build, tmp_path, capsys):
    with oxigraph_server(tmp_path / "oxigraph") as base:
        for _ in range(2):  # a push replaces the graph: twice gives the same count
            assert main(["push", base + "/store", "-o", str(build)]) == 0
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        assert int(http_select(base + "/query", count)[1][0][0]) == _triples(build)
        assert _every_query_agrees(build, base + "/query", GRAPH) == len(library())
    assert f"{_triples(build)} triples" in capsys.readouterr().out


def test_kg_push_to_an_unreachable_or_refusing_store_is_one_clear_error(build, served, capsys):
    from tests.servers import free_port

    assert main(["push", f"http://127.0.0.1:{free_port()}/store", "-o", str(build)]) == 1
    assert "cannot reach the store" in capsys.readouterr().err
    assert main(["push", served + "/store", "-o", str(build)]) == 1  # kg serve is read-only
    err = capsys.readouterr().err
    assert "the store refused the graph: HTTP" in err and "Traceback" not in err


@pytest.mark.skipif(shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None,
                    reason="Debian's virtuoso-opensource is not installed (.ci/run installs it)")
def test_kg_push_into_virtuoso_gives_the_same_graph_and_answers(build, tmp_path):
    with virtuoso_server(tmp_path) as base:
        for _ in range(2):
            assert main(["push", base + "/sparql-graph-crud", "-o", str(build)]) == 0
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        assert int(http_select(base + "/sparql", count)[1][0][0]) == _triples(build)
        assert _every_query_agrees(build, base + "/sparql", GRAPH) == len(library())


# -- vocabularies used right ------------------------------------------------------

@pytest.fixture(scope="module")
def rdf(build) -> Graph:
    return Graph().parse(build / "graph.nt", format="nt")


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_the_shapes_hold_with_and_without_rdfs_inference(rdf, inference):
    report = validate_graph(rdf, inference=inference)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_mentions_are_web_annotation_specific_resources(rdf):
    OA = "http://www.w3.org/ns/oa#"
    for m in rdf.subjects(RDF.type, KG.Mention):
        assert (m, RDF.type, URIRef(OA + "SpecificResource")) in rdf
        assert rdf.value(m, URIRef(OA + "hasSource")) is not None
        kinds = {rdf.value(s, RDF.type) for s in rdf.objects(m, URIRef(OA + "hasSelector"))}
        assert kinds == {URIRef(OA + "TextQuoteSelector"), URIRef(OA + "TextPositionSelector")}
    # oa:exact only on quotes, offsets only on positions
    for s in rdf.subjects(URIRef(OA + "exact"), None):
        assert (s, RDF.type, URIRef(OA + "TextQuoteSelector")) in rdf
    for s in rdf.subjects(URIRef(OA + "start"), None):
        assert (s, RDF.type, URIRef(OA + "TextPositionSelector")) in rdf


def test_footnote_and_header_mentions_say_where_they_stand(rdf):
    assert len(list(rdf.subject_objects(KG.inFootnote))) > 50
    for _m, fn in rdf.subject_objects(KG.inFootnote):
        assert (fn, RDF.type, KG.Footnote) in rdf
    for _m, c in rdf.subject_objects(KG.inClause):
        assert (c, RDF.type, KG.Clause) in rdf
    for _m, h in rdf.subject_objects(KG.inHeader):
        assert (h, RDF.type, KG.Header) in rdf


def test_sponsorship_is_not_citation(rdf):
    for _d, state in rdf.subject_objects(KG.sponsoredBy):
        assert not list(rdf.subjects(URIRef("http://purl.org/spar/cito/hasCitedEntity"), state))
    assert len(list(rdf.subjects(RDF.type, KG.Sponsorship))) == 52


def test_kg_describes_only_its_own_iris_and_links_to_the_authorities(rdf):
    for s in set(rdf.subjects()):
        assert str(s).startswith(("https://w3id.org/un-kg/", "urn:sha256:")), s
    sdg = URIRef("https://w3id.org/un-kg/entity/sdg/16.2")
    assert rdf.value(sdg, SKOS.exactMatch) == URIRef("http://metadata.un.org/sdg/16.2")
    state = URIRef("https://w3id.org/un-kg/entity/state/ALB")
    assert rdf.value(state, SKOS.exactMatch) == URIRef(
        "http://publications.europa.eu/resource/authority/country/ALB")


def test_a_protocol_is_related_to_its_treaty_not_a_part_of_it():
    onto = Graph().parse(Path(__file__).parents[1] / "ontology" / "kg.ttl")
    supers = set(onto.objects(KG.protocolOf, RDFS.subPropertyOf))
    assert URIRef("http://purl.org/dc/terms/isPartOf") not in supers
    assert URIRef("http://purl.org/dc/terms/relation") in supers


def test_every_iri_is_escaped_by_one_rule(rdf):
    from kg.graph.iris import iri_part

    iris = {t for triple in rdf for t in triple if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/un-kg/")}
    assert any("(XXI)" in str(i) for i in iris)  # 2200 A (XXI) and its citations
    for i in iris:
        path = str(i).split("https://w3id.org/un-kg/", 1)[1].replace("#", "/")
        assert iri_part(urllib.parse.unquote(path)) == path, i


def test_turtle_reads_cleanly(build):
    ttl = (build / "graph.ttl").read_text(encoding="utf-8")
    assert "\\/" not in ttl
    assert "treaty:UNTOC " in ttl


def test_json_ld_is_compact_with_a_context_and_is_the_same_graph(build, rdf):
    data = json.loads((build / "graph.jsonld").read_text(encoding="utf-8"))
    assert data["@context"]["kg"] == "https://w3id.org/un-kg/ontology#"
    assert any(node["@id"] == "treaty:UNTOC" for node in data["@graph"])
    again = Graph().parse(build / "graph.jsonld", format="json-ld")
    assert len(again) == len(rdf)
    assert set(again) == set(rdf)


def test_void_describes_the_dataset(build, rdf):
    void = Graph().parse(build / "void.ttl")
    V = "http://rdfs.org/ns/void#"
    ds = URIRef("https://w3id.org/un-kg/dataset")
    assert int(void.value(ds, URIRef(V + "triples"))) == len(rdf)
    assert void.value(ds, URIRef("http://purl.org/dc/terms/license")) is not None
    vocabularies = set(void.objects(ds, URIRef(V + "vocabulary")))
    assert URIRef("http://purl.org/spar/cito/") in vocabularies and URIRef("http://www.w3.org/ns/oa#") in vocabularies
    partitions = {void.value(p, URIRef(V + "class")): int(void.value(p, URIRef(V + "entities")))
                  for p in void.objects(ds, URIRef(V + "classPartition"))}
    assert partitions[KG.Citation] == len(set(rdf.subjects(RDF.type, KG.Citation)))
    assert void.value(ds, URIRef("http://purl.org/dc/terms/source")) is not None


def test_the_parts_are_kept_for_append(build):
    lines = gzip.decompress((build / "parts.jsonl.gz").read_bytes()).decode().splitlines()
    assert len(lines) == 5 and all(json.loads(line)["lines"] for line in lines)


# -- exports for network tools ------------------------------------------------------

def test_kg_export_writes_graphml_and_csv(build, tmp_path):
    import csv

    import networkx as nx

    assert main(["export", "--graph", str(build), "-o", str(tmp_path / "g.graphml")]) == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.number_of_edges() == 333
    assert main(["export", "--graph", str(build), "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    edges = list(csv.DictReader((tmp_path / "csv" / "edges.csv").open(encoding="utf-8")))
    nodes = list(csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8")))
    assert len(edges) == 333 and {e["source"] for e in edges} <= {n["id"] for n in nodes}
    untoc = next(n for n in nodes if n["canonical_id"] == "UNTOC")
    assert untoc["documents_citing"] == "5"



def test_the_readme_python_example_runs(build, monkeypatch, capsys):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"From Python:\n\n```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(build.parent)  # the example opens kg-out/store
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    out = capsys.readouterr().out
    assert "Int64" in out and "AGENDA-2030          5" in out
