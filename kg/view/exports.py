"""The citation network for network tools: GraphML (networkx) and node and edge CSV.

Gephi, Cytoscape, igraph and R read these as they are. GraphML and CSV
hold scalars only, so lists become counts and ``; ``-joined text; node ids
are the graph's IRIs, so a row can be looked up in the RDF.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from kg.graph.export import write_atomic

NODE_FIELDS = ["id", "kind", "type", "canonical_id", "label", "url", "documents_citing"]
EDGE_FIELDS = ["source", "target", "stance", "mentions", "clauses", "ratification_asked"]


def flat_network(g: nx.DiGraph) -> nx.DiGraph:
    """The network with scalar attributes only, as GraphML and CSV need."""
    flat = nx.DiGraph()
    for n, d in sorted(g.nodes(data=True)):
        flat.add_node(n, kind=d.get("kind", ""), type=d.get("type", ""), canonical_id=d.get("id", ""),
                      label=d.get("label", ""), url=d.get("url", ""), documents_citing=g.in_degree(n))
    for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        mentions = d.get("mentions", [])
        flat.add_edge(a, b, stance=d.get("stance", ""), mentions=len(mentions),
                      clauses="; ".join(sorted({m["clause"] for m in mentions})),
                      ratification_asked=any(m["ratification"] for m in mentions))
    return flat


def write_graphml(g: nx.DiGraph, path: Path) -> list[Path]:
    """One GraphML file."""
    buf = io.BytesIO()
    nx.write_graphml(flat_network(g), buf, encoding="utf-8")
    write_atomic(path, buf.getvalue())
    return [path]


def write_csv(g: nx.DiGraph, folder: Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in ``folder``."""
    flat = flat_network(g)
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(NODE_FIELDS)
    for n, d in flat.nodes(data=True):
        w.writerow([n, *(d[k] for k in NODE_FIELDS[1:])])
    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(EDGE_FIELDS)
    for a, b, d in flat.edges(data=True):
        w.writerow([a, b, *(str(d[k]).lower() if isinstance(d[k], bool) else d[k] for k in EDGE_FIELDS[2:])])
    written = [folder / "nodes.csv", folder / "edges.csv"]
    write_atomic(written[0], nodes.getvalue().encode("utf-8"))
    write_atomic(written[1], edges.getvalue().encode("utf-8"))
    return written
