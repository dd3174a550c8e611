"""Validate a graph against ``ontology/shapes.ttl``.

A build is checked by SPARQL on its Oxigraph store (:mod:`kg.graph.shape_queries`):
the shapes compiled to one query a constraint. pySHACL, the reference
implementation, checks a graph under RDFS inference (``inference="rdfs"``)
and is what the tests compare the queries with.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from kg.errors import ShapeViolationError
from kg.graph.build import DOCUMENT_CLASSES, DocumentPart, GraphBuild
from kg.graph.resources import ontology_dir


@dataclass(frozen=True)
class Violation:
    focus: str
    shape: str
    path: str
    message: str

    def __str__(self) -> str:
        path = f" ({self.path})" if self.path else ""
        return f"{self.focus} breaks {self.shape}{path}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    text: str


def shapes_graph() -> Graph:
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def ontology_graph() -> Graph:
    return Graph().parse(ontology_dir() / "kg.ttl", format="turtle")


def validate_graph(data: GraphBuild | Graph | pyoxigraph.Store, inference: str = "none",
                   engine: str = "sparql") -> ValidationReport:
    """Check a graph against the shapes; the report names each node and shape.

    ``inference="rdfs"`` first adds what RDFS entails from ``ontology/kg.ttl``
    (domains, ranges, subclasses), as a reasoning store would: the shapes
    hold either way. That, and ``engine="pyshacl"``, run pySHACL; otherwise
    the shapes are SPARQL queries on the store.
    """
    if inference != "none" or engine == "pyshacl":
        return _pyshacl_report(data, inference)
    return _report(_store(data), lambda q: True)


def _report(store: pyoxigraph.Store, wanted) -> ValidationReport:  # type: ignore[no-untyped-def]
    from kg.graph.shape_queries import run_shape_queries

    subclasses = any(True for _ in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDFS.subClassOf)), None))
    queries = [q for q in _compiled(subclasses, (ontology_dir() / "shapes.ttl").stat().st_mtime_ns) if wanted(q)]
    hits = run_shape_queries(store, queries)
    violations = sorted({Violation(focus, q.shape, q.path, q.message) for q, focus in hits},
                        key=lambda v: (v.focus, v.shape, v.path, v.message))
    text = "Conforms: True" if not violations else "Conforms: False\n" + "\n".join(str(v) for v in violations)
    return ValidationReport(not violations, violations, text)


@lru_cache(maxsize=4)
def _compiled(subclasses: bool, _version: int) -> tuple:
    """The shapes' queries, compiled once a process (and again should shapes.ttl change): the workers of
    a build check a batch of documents at a time, and parsing and compiling the shapes for each batch
    cost as much as the queries (64 ms a batch, 420 batches in the corpus)."""
    from kg.graph.shape_queries import compile_shapes

    return tuple(compile_shapes(shapes_graph(), subclasses))


def _of_documents(q) -> bool:  # type: ignore[no-untyped-def]
    return bool(q.targets) and set(q.targets) <= DOCUMENT_CLASSES


def document_violations(parts: list[DocumentPart]) -> list[Violation]:
    """What breaks the shapes of a document's own nodes (clauses, citations, mentions...) in these parts.

    Those nodes are described by their document's part alone, so checking the
    parts is checking the graph they will join; :func:`check` with
    ``documents_checked`` then checks only the nodes parts share (entities,
    documents), on the whole store.
    """
    store = pyoxigraph.Store()
    # one load for the batch, not one a part: a load starts threads of its own (80 files: 0.9 s -> 0.7 s)
    store.bulk_load("".join(line for part in parts for line in part.lines).encode("utf-8"),
                    pyoxigraph.RdfFormat.N_TRIPLES)
    return _report(store, _of_documents).violations


def _store(data: GraphBuild | Graph | pyoxigraph.Store) -> pyoxigraph.Store:
    if isinstance(data, pyoxigraph.Store):
        return data
    if isinstance(data, GraphBuild):
        return data.store
    store = pyoxigraph.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _pyshacl_report(data: GraphBuild | Graph | pyoxigraph.Store, inference: str) -> ValidationReport:
    import pyshacl

    if isinstance(data, Graph):
        graph = data
    else:
        nt = data.ntriples() if isinstance(data, GraphBuild) else data.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        graph = Graph().parse(data=nt.decode("utf-8"), format="nt")
    shapes = shapes_graph()
    ontology = ontology_graph() if inference != "none" else None
    conforms, report, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference=inference,
                                              allow_warnings=True)
    violations = []
    for result in report.subjects(SH.focusNode, None):
        focus = report.value(result, SH.focusNode)
        source = report.value(result, SH.sourceShape)
        shape = _shape_name(shapes, source)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        violations.append(Violation(str(focus), shape, str(path or ""), str(message or "")))
    violations.sort(key=lambda v: (v.focus, v.shape, v.path))
    return ValidationReport(bool(conforms), violations, text)


def _shape_name(shapes: Graph, source: URIRef | None) -> str:
    if source is None:
        return "?"
    if isinstance(source, URIRef):
        return str(source).rsplit("#", 1)[-1]
    # a property shape (a blank node): name the node shape holding it
    parent = shapes.value(None, SH.property, source)
    return str(parent).rsplit("#", 1)[-1] if parent is not None else "property shape"


def check(data: GraphBuild | Graph, documents_checked: bool = False) -> ValidationReport:
    """Validate, raising :class:`ShapeViolationError` that names what broke.

    ``documents_checked``: the parts were checked already (:func:`document_violations`,
    in the workers of ``kg build``), so only the shapes of shared nodes are run on the store.
    """
    report = _report(_store(data), lambda q: not _of_documents(q)) if documents_checked else validate_graph(data)
    if not report.conforms:
        raise_violations(report.violations)
    return report


def raise_violations(violations: list[Violation]) -> None:
    """A :class:`ShapeViolationError` naming the first twenty (focus node, shape, path, message)."""
    violations = sorted(violations, key=lambda v: (v.focus, v.shape, v.path, v.message))
    lines = [str(v) for v in violations[:20]]
    more = f"\n... and {len(violations) - 20} more" if len(violations) > 20 else ""
    raise ShapeViolationError("the graph breaks the SHACL shapes:\n  " + "\n  ".join(lines) + more)
