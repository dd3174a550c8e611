"""The interactive page: a pyvis network, drawn offline in any browser.

pyvis assembles the nodes, edges and options; the page itself comes from
``data/page/template.html``, because pyvis's own templates fetch Bootstrap
and other assets from CDNs even with ``cdn_resources="in_line"`` (pyvis
issues #228, #229). vis-network's script and style, shipped inside pyvis,
are inlined, so the page works with no network at all.

Positions are computed in Python (igraph), and physics is off: vis-network
draws thousands of nodes in seconds that way, where its own layout leaves
1,500 nodes unusable (../shared/perf-notes.md). Text from documents reaches
the page only as JSON data, and the page's script puts it into the DOM with
``textContent``, so a clause holding ``<script>`` shows as text.
"""

from __future__ import annotations

import html
import json
import math
from importlib import resources
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.lexicon.registry import reference_types
from kg.view.network import STANCES, cited_counts

TYPE_STYLE = {  # type: (label, colour, vis-network shape); the reference types come from types.jsonl
    "document": ("Document (read)", "#4d4d4d", "box"),
    **{("document-cited" if t["type"] == "document" else t["type"]): (t["label"], t["colour"], t["shape"])
       for t in reference_types()},
}


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def layout(g: nx.Graph, scale: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Fixed positions, the same for the same graph: igraph's Fruchterman-Reingold on a grid.

    The grid variant computes repulsion between nearby nodes only, so each
    iteration is linear in the graph: on the network of 250 corpus files
    (5,504 nodes) 0.4 s, where networkx's spring layout took 36 s, its
    ForceAtlas2 158 s and igraph's DrL 8 s.
    igraph draws its random start from Python's ``random``, seeded here.
    """
    import random

    import igraph

    if g.number_of_nodes() == 0:
        return {}
    nodes = sorted(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = sorted({tuple(sorted((index[a], index[b]))) for a, b in g.edges() if a != b})
    state = random.getstate()
    random.seed(7)
    try:
        coords = igraph.Graph(n=len(nodes), edges=edges).layout_fruchterman_reingold(grid=True, niter=500).coords
    finally:
        random.setstate(state)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    size = 2 * scale * max(1.0, math.sqrt(len(nodes) / 60))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round((x - cx) / span * size, 1), round((y - cy) / span * size, 1))
            for n, (x, y) in zip(nodes, coords, strict=True)}


def to_network(g: nx.Graph, title: str, cited_by: dict[str, int] | None = None) -> Network:
    """A pyvis Network of the graph: styled nodes and edges at fixed positions."""
    cited_by = cited_by if cited_by is not None else {n: g.in_degree(n) if g.is_directed() else g.degree(n)
                                                      for n in g.nodes}
    pos = layout(g)
    net = Network(height="100%", width="100%", directed=g.is_directed(), cdn_resources="in_line", heading=title)
    stance_colour = {k: c for k, _label, c in STANCES}
    nodes, edges = [], []
    for n, data in g.nodes(data=True):
        type_ = data.get("type", "other")
        if data.get("kind") == "document":
            type_ = "document"
        elif type_ == "document":
            type_ = "document-cited"
        _label, colour, shape = TYPE_STYLE.get(type_, TYPE_STYLE["other"])
        count = cited_by.get(n, 0)
        citing = data.get("citing") or sorted({g.nodes[p]["id"] for p in (g.predecessors(n) if g.is_directed() else [])
                                               if g.nodes[p].get("kind") == "document"})
        hover = [data.get("label", ""), f"type: {_label}", f"id: {data.get('id', '')}"]
        if data.get("kind") == "document":
            hover.append(f"cites {g.out_degree(n) if g.is_directed() else g.degree(n)} entities")
        else:
            hover.append(f"cited by {count} document{'s' if count != 1 else ''}: {', '.join(citing[:8])}"
                         + (" …" if len(citing) > 8 else ""))
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({
            "id": n, "label": _short(data.get("label", n), 40), "title": "\n".join(hover), "shape": shape,
            "color": colour, "size": 10 + min(50.0, 6 * math.sqrt(count)), "x": x, "y": y,
            "kgType": type_, "kgId": data.get("id", ""), "kgName": data.get("label", ""),
            "kgUrl": data.get("url", ""), "kgNames": data.get("names", []), "kgCitedBy": citing,
            "kgCount": count, "font": {"size": 12},
        })
    for a, b, data in g.edges(data=True):
        if "mentions" in data:
            first = data["mentions"][0]
            clauses = ", ".join(dict.fromkeys(m["clause"] for m in data["mentions"]))
            hover = f"{clauses} ({first['verb'] or 'no verb'})\n{first['clause']}: {_short(first['text'], 220)}"
            colour = stance_colour.get(data["stance"], "#bcbd22")
            edges.append({"from": a, "to": b, "title": hover, "color": colour, "arrows": "to",
                          "kgStance": data["stance"], "width": 1 + min(3.0, 0.5 * (len(data["mentions"]) - 1))})
        else:
            docs = data.get("documents", [])
            edges.append({"from": a, "to": b, "value": data.get("weight", 1), "color": "#999999",
                          "title": f"cited together by {len(docs)} documents: {', '.join(docs[:10])}",
                          "kgStance": ""})
    # pyvis's add_node is quadratic in the number of nodes; its lists take the data as they are
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.4}}},
        "nodes": {"borderWidth": 1},
    }))
    return net


def _asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def page_html(net: Network, title: str, view: str) -> str:
    """The whole page, every script and style inside it."""
    data = net.get_network_data()
    nodes, edges, options = data[0], data[1], data[5] if len(data) > 5 else {}
    legend_types = sorted({n["kgType"] for n in nodes}, key=list(TYPE_STYLE).index)
    payload = {
        "title": title, "view": view, "nodes": nodes, "edges": edges,
        "options": json.loads(options) if isinstance(options, str) else options,
        "types": [{"key": t, "label": TYPE_STYLE[t][0], "color": TYPE_STYLE[t][1], "shape": TYPE_STYLE[t][2]}
                  for t in legend_types],
        "stances": [{"key": k, "label": lab, "color": c} for k, lab, c in STANCES
                    if any(e.get("kgStance") == k for e in edges)],
    }
    # JSON inside <script type="application/json">: "</" and "<!--" would end or confuse it
    # escaped so that no text in it can end or break the script block ("</script>", "<!--") or the
    # JavaScript string (U+2028, U+2029): \u escapes are valid JSON, unlike "<\\!--"
    blob = json.dumps(payload, ensure_ascii=False).translate(_SCRIPT_SAFE)
    template = (resources.files("kg") / "data" / "page" / "template.html").read_text(encoding="utf-8")
    return (template.replace("{{TITLE}}", html.escape(title))
            .replace("{{VIS_CSS}}", _asset("vis-network.css"))
            .replace("{{VIS_JS}}", _asset("vis-network.min.js").replace("</script", "<\\/script"))
            .replace("{{DATA}}", blob))


def corpus_page(g: nx.DiGraph, title: str = "kg: UN resolutions and what they cite") -> str:
    return page_html(to_network(g, title, cited_counts(g)), title, "corpus")


def document_page(g: nx.DiGraph, doc_node: str) -> str:
    """One document and what it cites."""
    sub = g.subgraph([doc_node, *g.successors(doc_node)]).copy()
    title = f"{g.nodes[doc_node]['id']}: what it cites"
    cited_by = {n: g.in_degree(n) for n in sub.nodes}
    return page_html(to_network(sub, title, cited_by), title, "document")


def cocitation_page(co: nx.Graph, title: str = "kg: instruments cited together") -> str:
    """Sizes are the number of documents citing each instrument, as on the corpus page."""
    cited = {n: len(d.get("citing", [])) for n, d in co.nodes(data=True)}
    return page_html(to_network(co, title, cited), title, "cocitation")
