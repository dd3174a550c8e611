"""Write a built graph: Turtle, JSON-LD, N-Triples, an Oxigraph store, a VoID description.

Every file is written to a temporary file in the same folder and renamed,
so a reader never sees a partial file. Turtle comes from sorted triples
through Oxigraph's serializer, so the same input gives byte-identical
Turtle (rdflib's own Turtle writer is 100x slower at corpus size; see
../shared/perf-notes.md). JSON-LD is compacted against a ``@context`` of
kg's prefixes, so it reads as kg's vocabulary rather than full IRIs.
The store (``store/``) is what ``kg query``, ``kg serve`` and the pages
open: no reparsing of the Turtle. ``parts.jsonl.gz`` keeps each document's
part of the graph for ``kg build --append``.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from kg.errors import KgError
from kg.graph.build import DocumentPart, GraphBuild, part_from_json, part_to_json
from kg.graph.vocab import BASE, DOC, PREFIXES

STORE = "store"
PARTS = "parts.jsonl.gz"
VOID = "void.ttl"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET = BASE + "dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
BACKGROUND_JSONLD = 500_000  # triples from which JSON-LD is written by a process of its own (about 200 documents)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with atomic_file(path) as fh:
        fh.write(data)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: a temporary file beside it, synced and renamed when the block ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parts(build: GraphBuild, folder: Path) -> Path:
    """Each document's part of the graph, one JSON line each, gzip'd (no time stamp: byte-identical)."""
    path = folder / PARTS
    with atomic_file(path) as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=1, mtime=0, filename="") as gz:
        for p in sorted(build.parts, key=lambda p: p.iri):
            gz.write((part_to_json(p) + "\n").encode("utf-8"))
    return path


def serialize(build: GraphBuild, fmt: pyoxigraph.RdfFormat) -> bytes:
    """The graph in one format, triples in sorted order (in memory: for small graphs and tests)."""
    nt = build.ntriples()
    if fmt == pyoxigraph.RdfFormat.N_TRIPLES:
        return nt
    if fmt == pyoxigraph.RdfFormat.JSON_LD:
        return b"".join(compact_jsonld(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES)))
    return pyoxigraph.serialize(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES), format=fmt,
                                prefixes=PREFIXES)


def write_ntriples(build: GraphBuild, out: Path) -> Path:
    """graph.nt from the sorted lines, in slices: the graph is never one string in memory."""
    nt = out / "graph.nt"
    with atomic_file(nt) as fh:
        for start in range(0, len(build.lines), 10_000):
            fh.write("".join(build.lines[start:start + 10_000]).encode("utf-8"))
    return nt


def write_turtle(nt: Path, path: Path) -> Path:
    """Turtle streamed from graph.nt by Oxigraph's serializer, in the same order."""
    with atomic_file(path) as fh:
        pyoxigraph.serialize(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES), fh,
                             format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    return path


def write_jsonld(nt: str | Path, path: str | Path) -> Path:
    """Compacted JSON-LD streamed from graph.nt (a plain function of two paths: it runs in a process of its own)."""
    path = Path(path)
    with atomic_file(path) as fh:
        for chunk in compact_jsonld(pyoxigraph.parse(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)):
            fh.write(chunk)
    return path


def write_formats(build: GraphBuild, out: Path) -> list[Path]:
    """graph.nt from the sorted lines, then graph.ttl and graph.jsonld streamed from it: every
    format lists the triples in the same order."""
    nt = write_ntriples(build, out)
    return [write_turtle(nt, out / "graph.ttl"), write_jsonld(nt, out / "graph.jsonld"), nt]


def jsonld_context() -> dict[str, str]:
    """kg's prefixes, and ``doc:`` (JSON-LD, unlike Turtle, needs no escapes for a symbol's slashes)."""
    return {"doc": str(DOC), **PREFIXES}


def compact_jsonld(triples) -> Iterator[bytes]:  # type: ignore[no-untyped-def]
    """Compacted JSON-LD, in chunks: one node object a subject, IRIs as ``prefix:local`` under a ``@context``.

    The triples must come grouped by subject (sorted N-Triples are); values
    keep their datatype and language, so the expanded form is the graph again.
    Each node object is one line, written by the C JSON encoder (an indented
    dump goes through Python's own encoder, ten times slower).
    """
    context = jsonld_context()
    by_length = tuple(sorted(context.items(), key=lambda kv: -len(kv[1])))

    @lru_cache(maxsize=1 << 16)
    def compact(iri: str) -> str:
        for prefix, ns in by_length:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
    yield (head + ',\n "@graph": [\n').encode("utf-8")
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    node: dict | None = None
    chunk: list[str] = []
    for t in triples:
        s = compact(t.subject.value)
        if node is None or node["@id"] != s:
            if node is not None:
                chunk.append(f"  {dumps(node)},\n")
                if len(chunk) >= 1000:
                    yield "".join(chunk).encode("utf-8")
                    chunk = []
            node = {"@id": s}
        p, o = t.predicate.value, t.object
        if p == RDF_TYPE:
            node.setdefault("@type", []).append(compact(o.value))
        else:
            node.setdefault(compact(p), []).append(_jsonld_value(o, compact))
    if node is not None:
        chunk.append(f"  {dumps(node)}\n")
    yield ("".join(chunk) + " ]\n}\n").encode("utf-8")


def _jsonld_value(o, compact) -> dict:  # type: ignore[no-untyped-def]
    """A value object: a literal with its language or datatype (none for a plain string), or an IRI."""
    if isinstance(o, pyoxigraph.Literal):
        value: dict = {"@value": o.value}
        if o.language:
            value["@language"] = o.language
        elif o.datatype.value != XSD_STRING:
            value["@type"] = compact(o.datatype.value)
        return value
    return {"@id": compact(o.value)}


def write_store(build: GraphBuild, folder: Path) -> Path:
    """An on-disk Oxigraph store of the graph, for ``kg query`` and ``kg serve`` to open at once.

    Where the build was assembled into a store in ``folder`` already, that store is kept (compacted).
    """
    path = folder / STORE
    if build.store_path is not None and Path(build.store_path).resolve() == path.resolve():
        build.store.optimize()
        build.store.flush()
        return path
    store = pyoxigraph.Store(str(path))
    nt = folder / "graph.nt"
    if nt.is_file():
        store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        store.bulk_load(build.ntriples(), pyoxigraph.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    del store
    return path


def read_parts(folder: Path) -> list[DocumentPart]:
    """The parts a build kept (``write_parts``), for ``kg build --append``."""
    path = folder / PARTS
    if not path.is_file():
        raise KgError(f"{folder}: no build to append to (no {PARTS}); run kg build -o {folder} first")
    try:
        return [part_from_json(line) for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()]
    except (OSError, ValueError, TypeError) as exc:
        raise KgError(f"{path}: cannot be read ({exc}); rebuild without --append") from None


def void_description(build: GraphBuild) -> bytes:
    """A VoID description of the dataset: counts, class partitions, vocabularies, licence, sources."""
    store = build.store
    one = next(iter(store.query("SELECT (COUNT(DISTINCT ?s) AS ?s) (COUNT(DISTINCT ?p) AS ?p) "
                                "(COUNT(DISTINCT ?o) AS ?o) WHERE { ?s ?p ?o }")))
    classes = [(r["c"].value, int(r["n"].value)) for r in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c")]
    builds = [r["b"].value for r in store.query(
        "SELECT ?b WHERE { ?b a <http://www.w3.org/ns/prov#Activity> } ORDER BY ?b")]
    sources = sorted({r["u"].value for r in store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?u WHERE { ?d prov:wasGeneratedBy ?b ; rdfs:seeAlso ?u }")})
    void = "http://rdfs.org/ns/void#"
    ds = pyoxigraph.NamedNode(DATASET)
    integer = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def n(value: int) -> pyoxigraph.Literal:
        return pyoxigraph.Literal(str(value), datatype=integer)

    def iri(value: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(value)

    dcterms = "http://purl.org/dc/terms/"
    triples = [
        (ds, iri(RDF_TYPE), iri(void + "Dataset")),
        (ds, iri(dcterms + "title"), pyoxigraph.Literal("kg: UN resolutions and what they cite", language="en")),
        (ds, iri(dcterms + "description"), pyoxigraph.Literal(
            "Resolutions, their clauses and footnotes, and the treaties, ILO instruments, SDG targets, UN "
            "documents, bodies and mandates they cite, extracted by kg.", language="en")),
        (ds, iri(dcterms + "license"), iri(LICENSE)),
        (ds, iri(void + "uriSpace"), pyoxigraph.Literal(BASE)),
        (ds, iri(void + "triples"), n(build.summary.get("triples", len(build.lines)))),
        (ds, iri(void + "distinctSubjects"), n(int(one["s"].value))),
        (ds, iri(void + "properties"), n(int(one["p"].value))),
        (ds, iri(void + "distinctObjects"), n(int(one["o"].value))),
        (ds, iri(void + "classes"), n(len(classes))),
        (ds, iri(void + "feature"), iri("http://www.w3.org/ns/formats/N-Triples")),
        (ds, iri(void + "feature"), iri("http://www.w3.org/ns/formats/Turtle")),
        (ds, iri(void + "feature"), iri("http://www.w3.org/ns/formats/JSON-LD")),
    ]
    for b in builds:
        triples.append((ds, iri("http://www.w3.org/ns/prov#wasGeneratedBy"), iri(b)))
    for prefix in ("kg", "cito", "oa", "dcterms", "skos", "prov", "rdfs", "owl", "void"):
        triples.append((ds, iri(void + "vocabulary"), iri(PREFIXES[prefix])))
    for url in sources:
        triples.append((ds, iri(dcterms + "source"), iri(url)))
    for cls, count in classes:
        prefix = next((k for k, ns in PREFIXES.items() if cls.startswith(ns)), "other")
        part = iri(f"{DATASET}/class/{prefix}-{cls.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
        triples += [(ds, iri(void + "classPartition"), part), (part, iri(void + "class"), iri(cls)),
                    (part, iri(void + "entities"), n(count))]
    triples.sort(key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    quads = [pyoxigraph.Triple(*t) for t in triples]
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_graph(build: GraphBuild, out_dir: str | Path, beside: Callable[[str, str], list[str]] | None = None,
                let_go: bool = False) -> list[Path]:
    """Write graph.ttl, graph.jsonld, graph.nt, void.ttl, parts and the store into ``out_dir``.

    ``beside`` is a plain function of two paths, the store and the folder, that writes more from
    the store and returns what it wrote (kg build's pages); it runs once the store is written.
    ``let_go``: the build's lines are dropped as soon as what needs them (graph.nt, the parts) is
    written (:meth:`GraphBuild.drop_lines`).

    At corpus size the store (compacted), graph.nt and the parts are written first; then JSON-LD
    (made in Python, a triple at a time: 33 s at 5.8 million triples) and ``beside`` are written by
    processes of their own while this one writes Turtle and VoID, its lines let go, so that the
    memory goes to the other processes. A failure there fails the build as one here would. The
    files are the same either way.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    out = Path(out_dir)
    if len(build.lines) < BACKGROUND_JSONLD:  # starting a process costs more than it saves
        written = [*write_formats(build, out), *_write_rest(build, out)]
        if let_go:
            build.drop_lines()
        return written + ([Path(p) for p in beside(str(out / STORE), str(out))] if beside else [])
    store = write_store(build, out)  # compacted before anything reads it, and never written again
    nt = write_ntriples(build, out)
    parts = write_parts(build, out)
    if let_go:
        build.drop_lines()
    # spawn, not fork: the store's threads are running, and the writers need none of this process's memory
    with ProcessPoolExecutor(2 if beside else 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        jsonld = pool.submit(write_jsonld, str(nt), str(out / "graph.jsonld"))
        more = pool.submit(beside, str(store), str(out)) if beside else None
        turtle = write_turtle(nt, out / "graph.ttl")
        write_atomic(out / VOID, void_description(build))
        return [turtle, jsonld.result(), nt, out / VOID, parts, store,
                *([Path(p) for p in more.result()] if more else [])]


def _write_rest(build: GraphBuild, out: Path) -> list[Path]:
    """void.ttl, the parts and the store."""
    write_atomic(out / VOID, void_description(build))
    return [out / VOID, write_parts(build, out), write_store(build, out)]
