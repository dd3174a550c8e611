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
from pathlib import Path

import pyoxigraph

from kg.errors import KgError
from kg.graph.build import DocumentPart, GraphBuild, part_from_json, part_to_json
from kg.graph.vocab import BASE, DOC, PREFIXES

FORMATS = {"graph.ttl": pyoxigraph.RdfFormat.TURTLE, "graph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
           "graph.nt": pyoxigraph.RdfFormat.N_TRIPLES}
STORE = "store"
PARTS = "parts.jsonl.gz"
VOID = "void.ttl"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET = BASE + "dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # on disk before the rename makes it the file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(build: GraphBuild, fmt: pyoxigraph.RdfFormat) -> bytes:
    """The graph in one format, triples in sorted order."""
    nt = build.ntriples()
    if fmt == pyoxigraph.RdfFormat.N_TRIPLES:
        return nt
    if fmt == pyoxigraph.RdfFormat.JSON_LD:
        return compact_jsonld(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES))
    return pyoxigraph.serialize(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES), format=fmt,
                                prefixes=PREFIXES)


def jsonld_context() -> dict[str, str]:
    """kg's prefixes, and ``doc:`` (JSON-LD, unlike Turtle, needs no escapes for a symbol's slashes)."""
    return {"doc": str(DOC), **PREFIXES}


def compact_jsonld(triples) -> bytes:  # type: ignore[no-untyped-def]
    """Compacted JSON-LD: one node object a subject, IRIs as ``prefix:local`` under a ``@context``.

    The triples must come grouped by subject (sorted N-Triples are); values
    keep their datatype and language, so the expanded form is the graph again.
    """
    context = jsonld_context()
    by_length = sorted(context.items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in by_length:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    chunks: list[str] = []  # one node object a chunk: the whole graph is never a tree of dicts in memory
    node: dict | None = None

    def close(node: dict | None) -> None:
        if node is not None:
            text = json.dumps(node, ensure_ascii=False, indent=1)
            chunks.append("  " + text.replace("\n", "\n  "))

    for t in triples:
        s = compact(t.subject.value)
        if node is None or node["@id"] != s:
            close(node)
            node = {"@id": s}
        p, o = t.predicate.value, t.object
        if p == RDF_TYPE:
            node.setdefault("@type", []).append(compact(o.value))
            continue
        if isinstance(o, pyoxigraph.Literal):
            value: dict = {"@value": o.value}
            if o.language:
                value["@language"] = o.language
            elif o.datatype.value != XSD_STRING:
                value["@type"] = compact(o.datatype.value)
        else:
            value = {"@id": compact(o.value)}
        node.setdefault(compact(p), []).append(value)
    close(node)
    head = json.dumps({"@context": context}, ensure_ascii=False, indent=1)[:-2]
    return (head + ',\n "@graph": [\n' + ",\n".join(chunks) + "\n ]\n}\n").encode("utf-8")


def write_store(build: GraphBuild, folder: Path) -> Path:
    """An on-disk Oxigraph store of the graph, for ``kg query`` and ``kg serve`` to open at once."""
    path = folder / STORE
    store = pyoxigraph.Store(str(path))
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


def write_parts(build: GraphBuild, folder: Path) -> Path:
    """Each document's part of the graph, one JSON line each, gzip'd (no time stamp: byte-identical)."""
    text = "".join(part_to_json(p) + "\n" for p in sorted(build.parts, key=lambda p: p.iri))
    path = folder / PARTS
    write_atomic(path, gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0))
    return path


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
        (ds, iri(void + "triples"), n(len(build.lines))),
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


def write_graph(build: GraphBuild, out_dir: str | Path) -> list[Path]:
    """Write graph.ttl, graph.jsonld, graph.nt, void.ttl, parts and the store into ``out_dir``."""
    out = Path(out_dir)
    written = []
    for name, fmt in FORMATS.items():
        path = out / name
        write_atomic(path, serialize(build, fmt))
        written.append(path)
    write_atomic(out / VOID, void_description(build))
    written.append(out / VOID)
    written.append(write_parts(build, out))
    written.append(write_store(build, out))
    return written
