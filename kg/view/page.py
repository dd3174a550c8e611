"""The interactive page: a pyvis network, drawn offline in any browser.

pyvis assembles the nodes, edges and options; the page itself comes from
``data/page/template.html``, because pyvis's own templates fetch Bootstrap
and other assets from CDNs even with ``cdn_resources="in_line"`` (pyvis
issues #228, #229). vis-network's script and style, shipped inside pyvis,
are inlined, so the page works with no network at all.

The corpus page draws documents grouped by body and year, not one by one:
at 500 documents one node a document made an unreadable hairball, where a
group node a (body, year) keeps the picture to the entities and who cites
them. Each document is still in the page's data, so its own view, its
clauses and its sponsors (kept apart from what it cites) are one click or
search away.

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
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.lexicon.registry import reference_types
from kg.view.labels import readable_on, short
from kg.view.network import STANCES, cited_counts

TYPE_STYLE = {  # type: (label, colour, vis-network shape); the reference types come from types.jsonl
    "group": ("Documents of a body and year", "#3b3b3b", "box"),
    "document": ("Document (read)", "#4d4d4d", "box"),
    **{("document-cited" if t["type"] == "document" else t["type"]): (t["label"], t["colour"], t["shape"])
       for t in reference_types()},
}
# vis-network writes these shapes' labels inside them, on the node's colour; the others below, on the page
STANCE_COLOUR = {k: c for k, _label, c in STANCES}
LABEL_INSIDE = {"box", "ellipse", "circle", "database", "text"}
PAGE_BACKGROUND = "#ffffff"
LABEL_COLOUR = "#1a1a1a"
TOP_LABELS = 20  # the most cited entities keep a label at every zoom
CLAUSE_CHARS = 600  # clause text shipped in the page; the whole text is one link away on undocs.org
READABLE_NODES = 600  # the default "cited by at least" hides the long tail beyond about this many

_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_safe(text: str) -> str:
    """``text`` with the characters that could end or break a script block escaped as ``\\u`` escapes.

    One ``str.replace`` a character: ``str.translate`` with a table goes through Python a
    character at a time (10 s on a corpus page of 80 MB, against a fraction of a second).
    """
    for char, escape in _SCRIPT_SAFE:
        text = text.replace(char, escape)
    return text


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


def spread_labels(pos: dict[str, tuple[float, float]], labels: dict[str, str], shown: Iterable[str],
                  width: float = 900.0, height: float = 700.0, font: float = 14.0) -> dict[str, tuple[float, float]]:
    """Positions where the labels always drawn (the most cited, the groups) do not overlap at load.

    The page opens fitted to the nodes shown, so a label's box in graph
    units is its size on screen divided by that fit's scale. The most cited
    entities sit together at the centre of a citation network; pushing
    their boxes apart, and moving only those nodes, keeps the rest of the
    picture as the layout drew it. The labels keep their size on screen at
    every zoom, so what does not overlap here never overlaps.
    """
    xs = [pos[n][0] for n in shown if n in pos]
    ys = [pos[n][1] for n in shown if n in pos]
    if len(labels) < 2 or not xs:
        return pos
    scale = min(width / max(max(xs) - min(xs), 1.0), height / max(max(ys) - min(ys), 1.0))  # at most the fit's
    out = dict(pos)
    names = sorted(labels)
    box = {n: ((len(labels[n]) * font * 0.62 + 16) / scale, (font * 2.2) / scale) for n in names}
    for _round in range(300):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                (ax, ay), (bx, by) = out[a], out[b]
                ox = (box[a][0] + box[b][0]) / 2 - abs(ax - bx)
                oy = (box[a][1] + box[b][1]) / 2 - abs(ay - by)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if oy <= ox:  # the cheaper way apart: labels are wide, so mostly up and down
                    step = (oy / 2 + 0.5) * (1 if ay >= by else -1)
                    out[a], out[b] = (ax, round(ay + step, 1)), (bx, round(by - step, 1))
                else:
                    step = (ox / 2 + 0.5) * (1 if ax >= bx else -1)
                    out[a], out[b] = (round(ax + step, 1), ay), (round(bx - step, 1), by)
        if not moved:
            break
    return out


def top_cited(counts: dict[str, int], ids: dict[str, str], n: int = TOP_LABELS) -> list[str]:
    """The ``n`` most cited nodes, ties broken by canonical id: the page ranks them the same way."""
    return sorted(counts, key=lambda k: (-counts[k], ids.get(k, ""), k))[:n]


def _style(type_: str) -> tuple[str, str, str]:
    return TYPE_STYLE.get(type_, TYPE_STYLE["other"])


def _node_type(data: dict) -> str:
    if data.get("kind") == "document":
        return "document"
    return "document-cited" if data.get("type") == "document" else data.get("type", "other")


def _vis_node(n: str, data: dict, type_: str, count: int, pos: tuple[float, float], label: str) -> dict:
    """One vis-network node: its look, and the fields the page's script reads (``kg…``)."""
    _label, colour, shape = _style(type_)
    font_colour = readable_on(colour) if shape in LABEL_INSIDE else LABEL_COLOUR
    cited = f"cited by {count} document{'' if count == 1 else 's'}" if type_ != "group" else f"{count} documents"
    return {
        "id": n, "label": short(label, 40), "shape": shape, "color": colour,
        "title": f"{data.get('label', n)}\n{_label}; {data.get('id', '')}\n{cited}",
        "size": 10 + min(50.0, 6 * math.sqrt(count)), "x": pos[0], "y": pos[1],
        **({"font": {"color": font_colour, "strokeWidth": 0}} if shape in LABEL_INSIDE else {}),
        "kgType": type_, "kgId": data.get("id", ""), "kgName": data.get("label", n),
        "kgUrl": data.get("url", ""), "kgNames": data.get("names", []), "kgCount": count,
    }


def _citation_edge(a: str, b: str, stance: str, width: float, opacity: float = 1.0, **extra: object) -> dict:
    colour = STANCE_COLOUR.get(stance, STANCE_COLOUR["cites"])
    return {"from": a, "to": b, "color": {"color": colour, "opacity": opacity}, "arrows": "to", "kgStance": stance,
            "width": width, **extra}


def _documents_and_citations(g: nx.DiGraph, docs: Iterable[str], entities: set[str],
                             node_of: dict[str, str]) -> tuple[list[dict], list[list]]:
    """The page's table of documents (with the text of their citing clauses) and of citations.

    A citation row is ``[document index, entity node, stance, [[clause, verb], ...]]``;
    clause texts are kept once a document, cut to ``CLAUSE_CHARS``.
    """
    table, cites = [], []
    for i, d in enumerate(docs):
        data = g.nodes[d]
        clauses: dict[str, str] = {}
        for e in sorted(g.successors(d)):
            if e not in entities:
                continue
            mentions = g.edges[d, e]["mentions"]
            for m in mentions:
                clauses.setdefault(m["clause"], short(m["text"], CLAUSE_CHARS) if m["text"] else "")
            where = list(dict.fromkeys((m["clause"], m["verb"] or "") for m in mentions))
            cites.append([i, e, g.edges[d, e]["stance"], [list(w) for w in where]])
        table.append({
            "node": node_of.get(d, d), "iri": d, "id": data.get("id", ""), "title": data.get("title", ""),
            "body": data.get("body", "") or "", "year": data.get("year"), "url": data.get("url", ""),
            "sponsors": [list(s) for s in data.get("sponsors", [])], "clauses": clauses,
        })
    return table, cites


def _options() -> dict:
    return {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.4}}},
        "nodes": {"borderWidth": 1, "scaling": {"label": {"drawThreshold": 8}},
                  # labels below a node are drawn on the page, outlined in its colour so edges never cross them
                  "font": {"size": 12, "color": LABEL_COLOUR, "strokeWidth": 4, "strokeColor": PAGE_BACKGROUND}},
    }


def _net(title: str, nodes: list[dict], edges: list[dict]) -> Network:
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title)
    # pyvis's add_node is quadratic in the number of nodes; its lists take the data as they are
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.set_options(json.dumps(_options()))
    return net


def default_minimum(counts: Iterable[int], readable: int = READABLE_NODES) -> int:
    """The smallest "cited by at least" that leaves about ``readable`` entities drawn.

    The long tail of entities cited once or twice is what made the corpus
    view a hairball; the page's filter brings it back.
    """
    ordered = sorted(counts, reverse=True)
    if len(ordered) <= readable:
        return 1
    return max(1, ordered[readable - 1] + 1)


def grouped_network(g: nx.DiGraph, title: str) -> tuple[Network, list[dict], list[list], int]:
    """The corpus view: (body, year) groups, the entities they cite, and every document in the data.

    Also the "cited by at least" the page opens with, the one the labels were spread for.
    """
    counts = cited_counts(g)
    documents = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "document")
    group_of = {d: f"group {g.nodes[d].get('body') or 'no body'} {g.nodes[d].get('year') or 'undated'}"
                for d in documents}
    entities = set(counts)
    grouped = nx.DiGraph()
    for d in documents:
        for e in g.successors(d):
            if e in entities:
                grouped.add_edge(group_of[d], e)
    grouped.add_nodes_from(group_of.values())
    pos = layout(grouped)
    minimum = default_minimum(counts.values())
    shown = [e for e in entities if counts[e] >= minimum] + list(set(group_of.values()))
    ids = {e: g.nodes[e].get("id", "") for e in entities}
    always = {e: short(g.nodes[e].get("label", e), 40) for e in top_cited(counts, ids)}
    always.update({grp: grp for grp in set(group_of.values())})
    pos = spread_labels(pos, always, shown)
    members: dict[str, list[str]] = {}
    for d in documents:
        members.setdefault(group_of[d], []).append(d)
    node_of = {d: "doc " + d for d in documents}
    table, cites = _documents_and_citations(g, documents, entities, node_of)
    index = {d: i for i, d in enumerate(documents)}
    nodes = []
    for grp in sorted(members):
        first = g.nodes[members[grp][0]]
        body, year = first.get("body") or "no body", first.get("year") or "undated"
        data = {"id": f"{body} {year}", "label": f"{body} {year}", "names": [f"{body} {year}"]}
        node = _vis_node(grp, data, "group", len(members[grp]), pos[grp], f"{body} {year} ({len(members[grp])})")
        node.update(kgDocs=[index[d] for d in members[grp]], kgBody=body, kgYear=year,
                    kgName=f"{body}, {year}: {len(members[grp])} documents")
        nodes.append(node)
    for e in sorted(entities):
        read = g.nodes[e].get("kind") == "document"  # a document of the corpus that others cite
        nodes.append(_vis_node(e, g.nodes[e], "resolution" if read else _node_type(g.nodes[e]),
                               counts[e], pos.get(e, (0.0, 0.0)), g.nodes[e].get("label", e)))
    for d in documents:  # drawn when the user picks the document, at its group's place
        nodes.append({**_vis_node(node_of[d], g.nodes[d], "document", counts.get(d, 0), pos[group_of[d]],
                                  g.nodes[d].get("label", d)), "hidden": True, "kgDoc": index[d]})
    by_pair: dict[tuple[str, str], dict[str, list[int]]] = {}
    for i, e, stance, _where in cites:
        by_pair.setdefault((group_of[documents[i]], e), {}).setdefault(stance, []).append(i)
    edges = []
    for (grp, e), stances in sorted(by_pair.items()):
        docs = sum(len(v) for v in stances.values())
        main = max(sorted(stances), key=lambda s: len(stances[s]))
        edges.append(_citation_edge(grp, e, main, 1 + min(3.0, 0.5 * math.log2(docs)), kgStances=stances,
                                    opacity=0.35))
    return _net(title, nodes, edges), table, cites, minimum


def to_network(g: nx.Graph, title: str, cited_by: dict[str, int] | None = None) -> Network:
    """A pyvis Network of the graph as it is (one document's view, co-citation): nodes at fixed positions."""
    cited_by = cited_by if cited_by is not None else {n: g.in_degree(n) if g.is_directed() else g.degree(n)
                                                      for n in g.nodes}
    pos = layout(g)
    nodes = [_vis_node(n, data, _node_type(data), cited_by.get(n, 0), pos.get(n, (0.0, 0.0)), data.get("label", n))
             for n, data in sorted(g.nodes(data=True))]
    edges = []
    for a, b, data in sorted(g.edges(data=True), key=lambda t: (t[0], t[1])):
        if "mentions" in data:
            edges.append(_citation_edge(a, b, data["stance"], 1 + min(3.0, 0.5 * (len(data["mentions"]) - 1))))
        else:
            docs = data.get("documents", [])
            edges.append({"from": a, "to": b, "value": data.get("weight", 1), "color": "#999999",
                          "title": f"cited together by {len(docs)} documents", "kgStance": ""})
    return _net(title, nodes, edges)


def _asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def page_html(net: Network, title: str, view: str, docs: list[dict] | None = None,
              cites: list[list] | None = None, charts: list[dict] | None = None, minimum: int = 1) -> str:
    """The whole page, every script, style and chart inside it."""
    data = net.get_network_data()
    nodes, edges, options = data[0], data[1], data[5] if len(data) > 5 else {}
    docs, cites = docs or [], cites or []
    used = {n["kgType"] for n in nodes if not n.get("hidden")} | ({"document"} if docs else set())
    stances_used = {c[2] for c in cites} | {e.get("kgStance") for e in edges}
    payload = {
        "title": title, "view": view, "nodes": nodes, "edges": edges, "docs": docs, "cites": cites,
        "options": json.loads(options) if isinstance(options, str) else options,
        "types": [{"key": t, "label": TYPE_STYLE[t][0], "color": TYPE_STYLE[t][1], "shape": TYPE_STYLE[t][2]}
                  for t in TYPE_STYLE if t in used],
        "stances": [{"key": k, "label": lab, "color": c} for k, lab, c in STANCES if k in stances_used],
        "bodies": sorted({d["body"] for d in docs if d["body"]}),
        "years": sorted({d["year"] for d in docs if d["year"]}),
        "minimum": minimum,
        "topLabels": TOP_LABELS, "charts": charts or [],
    }
    # escaped so that no text in it can end or break the script block ("</script>", "<!--") or the
    # JavaScript string (U+2028, U+2029): \u escapes are valid JSON, unlike "<\\!--"
    blob = script_safe(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    template = (resources.files("kg") / "data" / "page" / "template.html").read_text(encoding="utf-8")
    return (template.replace("{{TITLE}}", html.escape(title))
            .replace("{{VIS_CSS}}", _asset("vis-network.css"))
            .replace("{{VIS_JS}}", _asset("vis-network.min.js").replace("</script", "<\\/script"))
            .replace("{{DATA}}", blob))


def corpus_page(g: nx.DiGraph, title: str = "kg: UN resolutions and what they cite",
                charts: list[dict] | None = None) -> str:
    """Every document, grouped by body and year, and the entities they cite; the charts of ``kg stats``."""
    net, docs, cites, minimum = grouped_network(g, title)
    return page_html(net, title, "corpus", docs, cites, charts, minimum)


def document_page(g: nx.DiGraph, doc_node: str) -> str:
    """One document and what it cites."""
    sub = g.subgraph([doc_node, *g.successors(doc_node)]).copy()
    title = f"{g.nodes[doc_node]['id']}: what it cites"
    cited_by = {n: g.in_degree(n) for n in sub.nodes}
    docs, cites = _documents_and_citations(g, [doc_node], set(sub.nodes) - {doc_node}, {})
    return page_html(to_network(sub, title, cited_by), title, "document", docs, cites)


def cocitation_page(co: nx.Graph, g: nx.DiGraph | None = None, title: str = "kg: instruments cited together") -> str:
    """Sizes are the number of documents citing each instrument, as on the corpus page.

    With the citation network ``g``, a node's panel lists its citing
    documents and their clauses, as on the corpus page.
    """
    cited = {n: len(d.get("citing", [])) for n, d in co.nodes(data=True)}
    docs: list[dict] = []
    cites: list[list] = []
    if g is not None:
        citing = sorted({d for n in co.nodes for d in g.predecessors(n) if g.nodes[d].get("kind") == "document"})
        docs, cites = _documents_and_citations(g, citing, set(co.nodes), {})
        for d in docs:
            d["node"] = ""  # no document node in this view
    return page_html(to_network(co, title, cited), title, "cocitation", docs, cites)


def write_pages(store_path: str, folder: str) -> list[str]:
    """The pages of a build (the whole corpus, instruments cited together) and the charts they show,
    drawn from the store at ``store_path`` into ``folder``; the paths written.

    A plain function of two paths, so that kg build runs it in a process of its own beside the
    writing of the files; it opens the store read-only, as the build has it open.
    """
    import pyoxigraph

    from kg.graph.export import write_atomic
    from kg.view.charts import page_charts, write_charts
    from kg.view.network import cocitation_network, graph_network

    out = Path(folder)
    g = graph_network(pyoxigraph.Store.read_only(store_path))
    written = write_charts(g, out / "charts")
    pages = {"graph.html": corpus_page(g, charts=page_charts(g)),
             "cocitation.html": cocitation_page(cocitation_network(g), g)}
    for name, text in pages.items():
        write_atomic(out / name, text.encode("utf-8"))
    return [str(out / name) for name in pages] + [str(p) for p in written]
