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
from functools import lru_cache
from itertools import combinations

import networkx as nx

from kg.extract.references import Reference
from kg.graph.build import characterization
from kg.graph.iris import authority_url, undocs_url
from kg.graph.query import plain
from kg.lexicon.registry import INSTRUMENT_TYPES
from kg.models import Document

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


@lru_cache(maxsize=4096)
def stance_of(verb: str, ratification: bool) -> str:
    """The page's stance key for a mention (cached: a corpus has 200,000 mentions and a few hundred verbs)."""
    if ratification:
        return "ratify"
    return str(characterization(verb)).rsplit("/", 1)[-1]


def citation_network(results: Iterable[tuple[Document, list[Reference]]]) -> nx.DiGraph:
    """Documents and entities as nodes, citations as edges (one per document and entity).

    Drawn from the RDF graph of the results (see :func:`graph_network`), so
    labels, ids and links are the graph's own.
    """
    from kg.graph.build import build_graph

    return graph_network(build_graph(results).store)


def _finish(g: nx.DiGraph) -> None:
    """Each edge's main stance, and each entity's citing documents."""
    for _d, _e, data in g.edges(data=True):
        data["stance"] = _main_stance(data["mentions"])
    for n, data in g.nodes(data=True):
        if data.get("kind") == "entity":
            data["citing"] = sorted(g.nodes[p]["id"] for p in g.predecessors(n) if g.nodes[p].get("kind") == "document")


def _main_stance(mentions: list[dict]) -> str:
    if any(m["ratification"] for m in mentions):
        return "ratify"
    return Counter(m["stance"] for m in mentions).most_common(1)[0][0]


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


def cited_counts(g: nx.DiGraph) -> dict[str, int]:
    """How many documents cite each node that is cited at all (its in-degree)."""
    return {n: g.in_degree(n) for n in g.nodes if g.in_degree(n) > 0}


def network_stats(g: nx.DiGraph, top: int = 10) -> Stats:
    """Most cited and most central entities, communities, similar documents."""
    cited_by = cited_counts(g)
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


# The rows of a saved graph that the network is drawn from: every mention of a
# resolved citation, with the document, the entity and the clause it came from.
# Mentions are put in text order (by their selector's start), as extraction gives them.
# Each block in braces is a subquery, so that Oxigraph joins them by hashing a whole scan
# of one property rather than by a lookup a row (ten times slower on the on-disk store of
# a corpus: the selector and its start in one block took 3.8 s, in two 1.1 s); the clause
# texts come by a query of their own, each text once. The citing
# document is the one the clause is minted under ("<doc>#op2"), so it is not read again.
_NETWORK_QUERY = """
PREFIX kg: <https://w3id.org/un-kg/ontology#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?e ?cl ?verb ?ratify ?start WHERE {
  { SELECT ?c ?e WHERE { ?c cito:hasCitedEntity ?e } }
  { SELECT ?c ?cl WHERE { ?c kg:citingPart ?cl } }
  { SELECT ?c ?m WHERE { ?c kg:hasMention ?m } }
  { SELECT ?m ?ratify WHERE { ?m kg:ratificationAsked ?ratify } }
  { SELECT ?m ?position WHERE { ?m oa:hasSelector ?position } }
  { SELECT ?position ?start WHERE { ?position oa:start ?start } }
  OPTIONAL { SELECT ?m ?verb WHERE { ?m kg:verb ?verb } }
}
"""  # ordered in Python: Oxigraph's ORDER BY over a corpus's mentions took minutes
_CLAUSE_TEXTS_QUERY = """
PREFIX kg: <https://w3id.org/un-kg/ontology#>
SELECT ?cl ?text WHERE { { SELECT DISTINCT ?cl WHERE { ?c kg:citingPart ?cl } } ?cl kg:text ?text }
"""
_DOCUMENTS_QUERY = """
PREFIX kg: <https://w3id.org/un-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?d ?symbol ?source ?title ?body ?date WHERE {
  ?d prov:wasGeneratedBy ?build ; dcterms:source ?source .
  OPTIONAL { ?d kg:unSymbol ?symbol }
  OPTIONAL { ?d dcterms:title ?title }
  OPTIONAL { ?d kg:issuedBy/kg:canonicalId ?body }
  OPTIONAL { ?d dcterms:date ?date }
}
"""
_SPONSORS_QUERY = """
PREFIX kg: <https://w3id.org/un-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?d ?id ?label WHERE {
  ?d kg:hasSponsorship ?s . ?s kg:sponsor ?state . ?state kg:canonicalId ?id ; skos:prefLabel ?label .
}
"""
_ENTITIES_QUERY = """
PREFIX kg: <https://w3id.org/un-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?type ?id ?label ?alt ?normlex WHERE {
  ?e kg:referenceType ?type ; kg:canonicalId ?id ; skos:prefLabel ?label .
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e kg:normlexCode ?normlex }
}
"""


def graph_network(store) -> nx.DiGraph:  # type: ignore[no-untyped-def]
    """The citation network of a graph written by ``kg build`` (an Oxigraph store).

    The same network as :func:`citation_network` gives from extraction
    results, read back from the graph, so ``kg stats`` and ``kg view`` answer
    about the last build without reading the documents again.
    """
    g = nx.DiGraph()
    for row in store.query(_DOCUMENTS_QUERY):
        d, symbol = row["d"].value, plain(row["symbol"])
        name = symbol or row["source"].value.rsplit(".", 1)[0]
        date = plain(row["date"])
        g.add_node(d, kind="document", type="document", id=name, label=name, title=plain(row["title"]),
                   body=plain(row["body"]), url=undocs_url(symbol) if symbol else "", names=[name],
                   date=date, year=int(date[:4]) if date[:4].isdigit() else None, sponsors=[])
    for row in store.query(_SPONSORS_QUERY):
        if row["d"].value in g:
            g.nodes[row["d"].value]["sponsors"].append((row["id"].value, row["label"].value))
    for _d, data in g.nodes(data=True):
        data["sponsors"] = sorted(set(data["sponsors"]))
    entities: dict[str, dict] = {}
    for row in store.query(_ENTITIES_QUERY):
        e = row["e"].value
        info = entities.setdefault(e, {"type": row["type"].value, "id": row["id"].value,
                                       "label": row["label"].value, "alt": [], "normlex": plain(row["normlex"])})
        alt = plain(row["alt"])
        if alt and alt not in info["alt"]:
            info["alt"].append(alt)
    texts = {r["cl"].value: r["text"].value for r in store.query(_CLAUSE_TEXTS_QUERY)}
    # plain values at once: a result row holds its terms, and a corpus has 150,000 mentions
    # each solution's terms in the order of the query's variables, not looked up by name
    rows = sorted((cl.value.rsplit("#", 1)[0], int(start.value), e.value, cl.value, plain(verb), ratify.value == "true")
                  for e, cl, verb, ratify, start in store.query(_NETWORK_QUERY))
    for d, _start, e, cl, verb, ratify in rows:
        if d not in g or e == d:
            continue
        if e not in g or g.nodes[e].get("kind") != "document":
            info = entities[e]
            g.add_node(e, kind="entity", type=info["type"], id=info["id"], label=info["label"],
                       names=[info["label"], info["id"], *sorted(info["alt"])],
                       url=authority_url(info["type"], info["id"], info["normlex"]))
        if not g.has_edge(d, e):
            g.add_edge(d, e, mentions=[])
        clause = cl.rsplit("#", 1)[-1]  # pp3, op2(g), fn4, header
        g.edges[d, e]["mentions"].append({"clause": clause, "verb": verb, "ratification": ratify,
                                          "text": texts.get(cl, ""), "stance": stance_of(verb, ratify)})
    _finish(g)
    return g


