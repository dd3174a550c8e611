"""The citation network and its analytics, with networkx.

One directed graph serves the page and ``kg stats``: a node for each
document and each cited entity, an edge for each citation (document ->
entity), carrying the clauses, verbs and whether ratification is asked.
Sizes on the page are the in-degrees computed here, so the picture and the
figures agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.extract import Reference
from kg.graph import characterization, doc_iri, entity_iri
from kg.models import Document
from kg.registry import load_registry
from kg.states import state_label

INSTRUMENT_TYPES = ("treaty", "ilo", "instrument")
STANCES = [  # (key, label, colour): how the page names and colours a citation's stance
    ("ratify", "urges ratification", "#d62728"),
    ("obtainsBackgroundFrom", "recalls", "#1f77b4"),
    ("confirms", "reaffirms", "#2ca02c"),
    ("supports", "welcomes, supports", "#17becf"),
    ("citesForInformation", "takes note, notes", "#7f7f7f"),
    ("citesAsAuthority", "urges, calls upon, requests", "#ff7f0e"),
    ("credits", "recognizes", "#9467bd"),
    ("disagreesWith", "condemns, deplores", "#000000"),
    ("reviews", "examines", "#8c564b"),
    ("cites", "other", "#bcbd22"),
]


def stance_of(verb: str, ratification: bool) -> str:
    """The page's stance key for a mention."""
    if ratification:
        return "ratify"
    return str(characterization(verb)).rsplit("/", 1)[-1]


def citation_network(results: Iterable[tuple[Document, list[Reference]]]) -> nx.DiGraph:
    """Documents and entities as nodes, citations as edges (one per document and entity)."""
    registry = load_registry()
    g = nx.DiGraph()
    for doc, refs in results:
        d = str(doc_iri(doc.metadata.symbol, doc.path))
        g.add_node(d, kind="document", type="document", id=doc.name, label=doc.name,
                   title=doc.metadata.title or "", body=doc.metadata.body or "",
                   url=f"https://undocs.org/{doc.metadata.symbol}" if doc.metadata.symbol else "",
                   names=[doc.name])
        clauses = {c.id: c.text.text for c in doc.clauses}
        clauses.update({f.id: f.text.text for f in doc.footnotes})
        for r in refs:
            if r.id is None:
                continue
            e = str(entity_iri(r.type, r.id))
            if e == d:
                continue
            if e not in g or g.nodes[e].get("kind") != "document":
                ent = registry.get(r.id) if r.type not in ("resolution", "document", "state") else None
                label = ent.name if ent else state_label(r.id) if r.type == "state" else r.label
                names = [label, r.id, *(ent.aliases if ent else []), *(ent.acronyms if ent else [])]
                g.add_node(e, kind="entity", type=r.type, id=r.id, label=label, names=names,
                           url=_authority(r.type, r.id, ent))
            if not g.has_edge(d, e):
                g.add_edge(d, e, mentions=[])
            g.edges[d, e]["mentions"].append({
                "clause": r.clause, "verb": r.verb, "ratification": r.ratification,
                "text": clauses.get(r.clause, ""), "stance": stance_of(r.verb, r.ratification)})
    for _d, _e, data in g.edges(data=True):
        data["stance"] = _main_stance(data["mentions"])
    for n, data in g.nodes(data=True):
        if data.get("kind") == "entity":
            data["citing"] = sorted(g.nodes[p]["id"] for p in g.predecessors(n) if g.nodes[p].get("kind") == "document")
    return g


def _main_stance(mentions: list[dict]) -> str:
    if any(m["ratification"] for m in mentions):
        return "ratify"
    return Counter(m["stance"] for m in mentions).most_common(1)[0][0]


def _authority(type_: str, id: str, ent) -> str:  # type: ignore[no-untyped-def]
    """The authority's page for an entity, where one exists."""
    if type_ in ("resolution", "document"):
        return f"https://undocs.org/{id}"
    if type_ == "ilo" and ent is not None and ent.normlex:
        return ("https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:"
                + ent.normlex)
    if type_ == "sdg":
        return "http://metadata.un.org/sdg/" + id.replace("SDG", "").strip()
    return ""


def cocitation_network(g: nx.DiGraph, types: tuple[str, ...] = INSTRUMENT_TYPES) -> nx.Graph:
    """Instruments linked when the same documents cite them; weight = shared documents."""
    co = nx.Graph()
    for n, data in g.nodes(data=True):
        if data.get("kind") == "entity" and data["type"] in types:
            co.add_node(n, **data)
    for d, data in g.nodes(data=True):
        if data.get("kind") != "document":
            continue
        cited = sorted(e for e in g.successors(d) if e in co)
        for a, b in combinations(cited, 2):
            if co.has_edge(a, b):
                co.edges[a, b]["weight"] += 1
                co.edges[a, b]["documents"].append(g.nodes[d]["id"])
            else:
                co.add_edge(a, b, weight=1, documents=[g.nodes[d]["id"]])
    return co


@dataclass
class Stats:
    """The figures ``kg stats`` prints and the page sizes nodes by."""

    cited_by: dict[str, int]
    pagerank: dict[str, float]
    communities: list[list[str]]
    similar: list[tuple[str, str, float]]


def network_stats(g: nx.DiGraph, top: int = 10) -> Stats:
    """Most cited and most central entities, communities, similar documents."""
    cited_by = {n: g.in_degree(n) for n, d in g.nodes(data=True) if g.in_degree(n) > 0}
    pagerank = nx.pagerank(g, alpha=0.85) if g.number_of_edges() else {}
    co = cocitation_network(g)
    communities: list[list[str]] = []
    if co.number_of_edges():
        found = nx.algorithms.community.greedy_modularity_communities(co, weight="weight")
        communities = sorted((sorted(c) for c in found if len(c) > 1), key=lambda c: (-len(c), c))
    docs = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "document")
    cites = {d: set(g.successors(d)) for d in docs}
    similar = []
    for a, b in combinations(docs, 2):
        union = cites[a] | cites[b]
        if union:
            similar.append((a, b, len(cites[a] & cites[b]) / len(union)))
    similar.sort(key=lambda t: (-t[2], t[0], t[1]))
    return Stats(cited_by, pagerank, communities, similar[:top])
