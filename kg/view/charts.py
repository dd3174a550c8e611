"""Charts of the citation network (matplotlib): what people would rather look at than read.

Three questions users bring, each one figure drawn from the network that
``kg stats`` and the page share, so the figures agree with them:

- how often each of the most cited instruments is cited, year by year;
- which instruments the documents most often urge States to ratify;
- which bodies cite which instruments (a heat map).

Figures are made with ``matplotlib.figure.Figure``, never pyplot, so no
display or global state is touched, and saved with fixed metadata and a
fixed SVG id salt, so the same graph gives the same files.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kg.lexicon.registry import INSTRUMENT_TYPES
from kg.view.labels import readable_on, short

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
LINESTYLES = ["-", "--", "-.", ":"]


@dataclass(frozen=True)
class Chart:
    """One chart: its file stem, its title, and the figure."""

    name: str
    title: str
    figure: Figure


def _instruments(g: nx.DiGraph) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d.get("kind") == "entity" and d.get("type") in INSTRUMENT_TYPES]


def _citing_documents(g: nx.DiGraph, n: str) -> list[str]:
    return [d for d in g.predecessors(n) if g.nodes[d].get("kind") == "document"]


def _ranked(g: nx.DiGraph, counts: Counter, top: int) -> list[str]:
    return sorted((n for n in counts if counts[n] > 0), key=lambda n: (-counts[n], g.nodes[n]["id"]))[:top]


def _name(g: nx.DiGraph, n: str) -> str:
    """The label, cut; with the id when it is an acronym or a symbol a reader knows it by (UNTOC, C029)."""
    data = g.nodes[n]
    label, ident = data.get("label", n), data.get("id", "")
    if len(label) <= 48 or not ident or len(ident) > 24:
        return short(label, 56)
    return f"{short(label, 40)} ({ident})"


def _tick(g: nx.DiGraph, n: str) -> str:
    """A short name for a crowded axis: the id when short, else the label cut."""
    ident = g.nodes[n].get("id", "")
    return ident if ident and len(ident) <= 18 else short(g.nodes[n].get("label", n), 28)


def citations_over_time(g: nx.DiGraph, top: int = 8) -> Chart:
    """Documents citing each of the ``top`` most cited instruments, per year of adoption."""
    counts = Counter({n: len(_citing_documents(g, n)) for n in _instruments(g)})
    chosen = _ranked(g, counts, top)
    years = sorted({g.nodes[d]["year"] for n in chosen for d in _citing_documents(g, n) if g.nodes[d].get("year")})
    fig = Figure(figsize=(10, 5.2), layout="constrained")
    ax = fig.subplots()
    for i, n in enumerate(chosen):
        per_year = Counter(g.nodes[d].get("year") for d in _citing_documents(g, n))
        ax.plot(years, [per_year.get(y, 0) for y in years], marker="o", color=COLOURS[i % len(COLOURS)],
                linestyle=LINESTYLES[i // len(COLOURS) % len(LINESTYLES)], label=_name(g, n))
    ax.set_xlabel("year of the citing document")
    ax.set_ylabel("documents citing it")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(years)
    ax.grid(alpha=0.3)
    if not chosen or not years:
        ax.text(0.5, 0.5, "no dated document cites an instrument", ha="center", va="center", transform=ax.transAxes)
    else:
        # outside the axes, so the legend never covers the lines
        fig.legend(loc="outside right upper", fontsize=8, frameon=False)
    title = "Citations of the most cited instruments, year by year"
    ax.set_title(title)
    return Chart("citations_over_time", title, fig)


def ratification_urged(g: nx.DiGraph, top: int = 15) -> Chart:
    """Instruments by the number of documents urging States to ratify or accede to them."""
    counts: Counter = Counter()
    for d, e, data in g.edges(data=True):
        if g.nodes[d].get("kind") == "document" and any(m["ratification"] for m in data.get("mentions", [])):
            counts[e] += 1
    chosen = _ranked(g, counts, top)
    fig = Figure(figsize=(10, max(2.5, 0.42 * len(chosen) + 1.4)), layout="constrained")
    ax = fig.subplots()
    names = [_name(g, n) for n in chosen][::-1]
    values = [counts[n] for n in chosen][::-1]
    bars = ax.barh(names, values, color="#d62728")
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_xlabel("documents urging ratification or accession")
    ax.margins(x=0.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if not chosen:
        ax.text(0.5, 0.5, "no document urges ratification", ha="center", va="center", transform=ax.transAxes)
    title = "Instruments most often urged for ratification"
    ax.set_title(title)
    return Chart("ratification_urged", title, fig)


def body_instrument_heatmap(g: nx.DiGraph, bodies: int = 10, instruments: int = 15) -> Chart:
    """Documents of each issuing body citing each of the most cited instruments."""
    counts = Counter({n: len(_citing_documents(g, n)) for n in _instruments(g)})
    chosen = _ranked(g, counts, instruments)
    by_body = Counter(g.nodes[d].get("body") or "no body" for d, data in g.nodes(data=True)
                      if data.get("kind") == "document")
    rows = sorted(by_body, key=lambda b: (-by_body[b], b))[:bodies]
    cells = [[sum(1 for d in _citing_documents(g, n) if (g.nodes[d].get("body") or "no body") == b) for n in chosen]
             for b in rows]
    fig = Figure(figsize=(max(6.0, 0.55 * len(chosen) + 3), max(2.5, 0.5 * len(rows) + 3.2)), layout="constrained")
    ax = fig.subplots()
    title = "Which bodies cite which instruments: documents citing, coloured by share of the body's documents"
    ax.set_title(title)
    if not rows or not chosen:
        ax.text(0.5, 0.5, "no document cites an instrument", ha="center", va="center", transform=ax.transAxes)
        return Chart("body_instrument_heatmap", title, fig)
    # coloured by the share of the body's documents, so a body of 25 documents reads like one of 475
    shares = [[100 * v / by_body[b] for v in row] for b, row in zip(rows, cells, strict=True)]
    image = ax.imshow(shares, cmap="Blues", aspect="auto", vmin=0, vmax=100)
    ax.set_xticks(range(len(chosen)), [_tick(g, n) for n in chosen], rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [f"{b} ({by_body[b]})" for b in rows], fontsize=9)
    cmap, norm = image.get_cmap(), image.norm
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            r, gr, b, _a = cmap(norm(shares[i][j]))
            background = f"#{int(r * 255):02x}{int(gr * 255):02x}{int(b * 255):02x}"
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color=readable_on(background))
    fig.colorbar(image, ax=ax, shrink=0.8, label="% of the body's documents")
    ax.set_xlabel("instrument")
    return Chart("body_instrument_heatmap", title, fig)


def charts(g: nx.DiGraph) -> list[Chart]:
    """Every chart of the network, in the order the page shows them."""
    return [citations_over_time(g), ratification_urged(g), body_instrument_heatmap(g)]


def render(chart: Chart, fmt: str) -> bytes:
    """The chart as PNG or SVG bytes, the same for the same graph."""
    buf = io.BytesIO()
    # SVG element ids from a fixed salt, not random; text kept as text (searchable, selectable, smaller)
    with rc_context({"svg.hashsalt": "kg", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        chart.figure.savefig(buf, format=fmt, dpi=110, metadata=metadata)
    return buf.getvalue()


def write_charts(g: nx.DiGraph, folder: Path) -> list[Path]:
    """Each chart as ``NAME.png`` and ``NAME.svg`` in ``folder``, each written whole or not at all."""
    from kg.graph.export import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts(g):
        for fmt in ("png", "svg"):
            path = folder / f"{chart.name}.{fmt}"
            write_atomic(path, render(chart, fmt))
            written.append(path)
    return written


def page_charts(g: nx.DiGraph) -> list[dict]:
    """The charts for the page: title and an inline SVG image (the page fetches nothing)."""
    return [{"name": c.name, "title": c.title,
             "src": "data:image/svg+xml;base64," + base64.b64encode(render(c, "svg")).decode("ascii")}
            for c in charts(g)]
