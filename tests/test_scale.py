"""Corpus scale (issue 15): workers, a Dask cluster, validation by parts, the page's layout.

Speed itself is measured in benchmarks/build_scale.py, never here; these
tests check that the fast paths give the same output as the plain ones.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kg.cli import main
from kg.graph.build import DOCUMENT_CLASSES, build_graph, map_document
from kg.graph.validate import check, document_violations
from kg.lexicon.registry import load_registry

FILES = ("graph.ttl", "graph.nt", "graph.jsonld", "void.ttl")


def _build(out: Path, *options: str) -> dict[str, bytes]:
    # in the output's folder: kg build records the last build in the current folder
    with contextlib.chdir(out.parent):
        assert main(["build", "-o", str(out), *options]) == 0
    return {name: (out / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory) -> dict[str, bytes]:
    return _build(tmp_path_factory.mktemp("one") / "out", "--workers", "1")


def test_two_workers_write_the_same_bytes_as_one(one_worker, tmp_path):
    assert _build(tmp_path / "out", "--workers", "2") == one_worker


def test_json_ld_and_pages_written_by_processes_of_their_own_are_the_same_files(one_worker, tmp_path, monkeypatch):
    # a corpus's JSON-LD and pages are written beside the rest by processes of their own; the seeds
    # are too small for that, so the threshold is lowered here
    import kg.graph.export

    pages = ("graph.html", "cocitation.html", "build.json", "charts/citations_over_time.svg")
    with contextlib.chdir(tmp_path):
        assert main(["build", "-o", str(tmp_path / "plain"), "--workers", "1"]) == 0
    monkeypatch.setattr(kg.graph.export, "BACKGROUND_JSONLD", 0)
    built = _build(tmp_path / "out", "--workers", "1")
    assert built == one_worker
    for name in pages:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name
    assert not list((tmp_path / "out").glob(".graph.jsonld.*"))  # no temporary file left


def test_extract_with_two_workers_prints_what_one_prints(capsys):
    assert main(["extract", "--format", "jsonl", "--workers", "1"]) == 0
    one = capsys.readouterr().out
    assert main(["extract", "--format", "jsonl", "--workers", "2"]) == 0
    assert capsys.readouterr().out == one and one.count("\n") > 300


def test_a_dask_cluster_of_two_workers_writes_the_same_turtle(one_worker, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        built = _build(tmp_path / "out", "--scheduler", cluster.scheduler_address)
    assert built == one_worker


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from tests.servers import free_port

    pytest.importorskip("distributed")
    assert main(["build", "-o", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{free_port()}"]) == 1
    assert "no Dask scheduler answers" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_nodes_of_the_document_classes_are_minted_under_their_document(seed_references):
    built = build_graph(seed_references.values())
    g = Graph().parse(data=built.ntriples().decode("utf-8"), format="nt")
    documents = {str(p.iri) for p in built.parts}
    counted = 0
    for cls in DOCUMENT_CLASSES:
        for node in g.subjects(RDF.type, __import__("rdflib").URIRef(cls)):
            assert str(node).split("#", 1)[0] in documents and "#" in str(node), node
            counted += 1
    assert counted > 1000


def test_a_part_breaking_a_document_shape_is_found_and_named(seed_references):
    doc, refs = next(iter(seed_references.values()))
    part = map_document(doc, refs, load_registry())
    assert document_violations([part]) == []
    position = next(ln for ln in part.lines if "/position> <http://www.w3.org/ns/oa#start>" in ln)
    part.lines.append(position.replace('"^^', '9"^^').replace("#start>", "#start>", 1))  # a second start
    found = document_violations([part])
    assert [(v.focus, v.shape) for v in found] == [(position.split(">", 1)[0][1:], "PositionShape")]


def test_shared_nodes_are_checked_on_the_whole_graph(seed_references):
    from kg.errors import ShapeViolationError
    from kg.graph.build import assemble

    parts = [map_document(d, r, load_registry()) for d, r in seed_references.values()]
    built = assemble(parts)
    assert check(built, documents_checked=True).conforms
    # an entity every part describes, given a second canonical id: no part shows it alone
    label = next(ln for ln in parts[0].lines if "core#prefLabel>" in ln and "/entity/" in ln.split(">", 1)[0])
    entity = label.split(">", 1)[0] + ">"
    built.store.update(f'INSERT DATA {{ {entity} <https://w3id.org/un-kg/ontology#canonicalId> "X2" }}')
    with pytest.raises(ShapeViolationError, match="CitableShape"):
        check(built, documents_checked=True)


def test_the_page_layout_is_the_same_for_the_same_graph():
    import networkx as nx

    from kg.view.page import layout

    g = nx.barabasi_albert_graph(400, 2, seed=3)
    g = nx.relabel_nodes(g, {n: f"n{n}" for n in g})
    first, second = layout(g), layout(g)
    assert first == second and len(first) == 400
    assert len(set(first.values())) == 400  # no two nodes on one spot
