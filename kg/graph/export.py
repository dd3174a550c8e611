"""Write a built graph: Turtle, JSON-LD and N-Triples, never half-written.

Every file is written to a temporary file in the same folder and renamed,
so a reader never sees a partial file. Turtle comes from sorted triples
through Oxigraph's serializer, so the same input gives byte-identical
Turtle (rdflib's own Turtle writer is 100x slower at corpus size; see
../shared/perf-notes.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyoxigraph

from kg.graph.build import GraphBuild, ntriples
from kg.graph.vocab import PREFIXES

FORMATS = {"graph.ttl": pyoxigraph.RdfFormat.TURTLE, "graph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
           "graph.nt": pyoxigraph.RdfFormat.N_TRIPLES}


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
    nt = ntriples(build.triples).encode("utf-8")
    if fmt == pyoxigraph.RdfFormat.N_TRIPLES:
        return nt
    triples = list(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES))
    prefixes = PREFIXES if fmt == pyoxigraph.RdfFormat.TURTLE else None
    return pyoxigraph.serialize(triples, format=fmt, prefixes=prefixes)


def write_graph(build: GraphBuild, out_dir: str | Path) -> list[Path]:
    """Write graph.ttl, graph.jsonld and graph.nt into ``out_dir``."""
    out = Path(out_dir)
    written = []
    for name, fmt in FORMATS.items():
        path = out / name
        write_atomic(path, serialize(build, fmt))
        written.append(path)
    return written
