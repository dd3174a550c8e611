"""Graph build and query times by store (run on demand).

    python benchmarks/graph_queries.py [--subset N] [--graph kg-out/store] [--repeat 3]

Builds the graph of ../shared/corpus (the seeds when absent), then times
every query of queries/ on Oxigraph (the store kg uses) and on rdflib's own
in-memory store, on a subset of N documents for both (rdflib's engine takes
minutes a query at full size; see ../shared/perf-notes.md), and on the
whole corpus for Oxigraph.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from corpus import corpus_files, read_all
from rdflib import Graph

from kg.extract.references import extract_references
from kg.graph.build import build_graph
from kg.graph.query import library, run_query


def time_oxigraph(built) -> dict[str, float]:
    out = {}
    for name, q in library().items():
        t = time.perf_counter()
        run_query(built.store, q)
        out[name] = time.perf_counter() - t
    return out


def time_rdflib(built, budget: float) -> dict[str, float | None]:
    g = Graph().parse(data=built.ntriples().decode("utf-8"), format="nt")
    out: dict[str, float | None] = {}
    for name, q in library().items():
        bindings = {}
        for p in q.params:
            from kg.graph.query import _term

            term = _term(p, p.default or "")
            from rdflib import Literal, URIRef

            bindings[p.name] = URIRef(term.value) if term.__class__.__name__ == "NamedNode" else Literal(
                term.value, datatype=URIRef(term.datatype.value) if term.datatype.value.endswith("integer") else None)
        t = time.perf_counter()
        list(g.query(q.text, initBindings=bindings))
        out[name] = time.perf_counter() - t
        if out[name] > budget:
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--subset", type=int, default=200, help="documents for the rdflib comparison")
    ap.add_argument("--budget", type=float, default=120.0, help="stop rdflib after a query this slow (s)")
    ap.add_argument("--limit", type=int, default=0, help="read at most this many files")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the library on --graph (best and median)")
    ap.add_argument("--graph", help="time Oxigraph on this graph (written by kg build) instead of building one")
    args = ap.parse_args()
    if args.graph:
        from kg.graph.query import load_graph_file

        t = time.perf_counter()
        store = load_graph_file(args.graph)
        print(f"loaded {args.graph}: {len(store)} triples in {time.perf_counter() - t:.1f} s")
        # the library run --repeat times, each query's best and median time: one run on a shared machine
        # can be twice another (neighbours' load); the best is the least noise has added
        runs: dict[str, list[float]] = {name: [] for name in library()}
        counts: dict[str, int] = {}
        for _ in range(args.repeat):
            for name, q in library().items():
                t = time.perf_counter()
                _names, rows = run_query(store, q)
                runs[name].append(time.perf_counter() - t)
                counts[name] = len(rows)
        print(f"{'query':<24}{'best (s)':>10}{'median (s)':>12}{'rows':>9}   ({args.repeat} runs)")
        for name, times in runs.items():
            print(f"{name:<24}{min(times):>10.3f}{statistics.median(times):>12.3f}{counts[name]:>9}")
        totals = [sum(times[i] for times in runs.values()) for i in range(args.repeat)]
        print(f"{'all queries':<24}{min(totals):>10.3f}{statistics.median(totals):>12.3f}"
              f"   (each run's total: {', '.join(f'{t:.3f}' for t in totals)})")
        return
    files = corpus_files()
    if args.limit:
        files = files[: args.limit]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    t = time.perf_counter()
    docs = read_all(files)
    results = list(extract_references(docs))
    t_extract = time.perf_counter() - t
    t = time.perf_counter()
    built = build_graph(results)
    t_build = time.perf_counter() - t
    print(f"corpus: {len(docs)} documents; read+extract {t_extract:.1f} s; build graph {t_build:.1f} s; "
          f"{len(built.lines)} triples; {built.summary['citations']} citations")
    full = time_oxigraph(built)
    sub = build_graph(results[: args.subset])
    ox_sub = time_oxigraph(sub)
    rd_sub = time_rdflib(sub, args.budget)
    print(f"\nquery times (s): Oxigraph on {len(docs)} docs; Oxigraph and rdflib on {args.subset} docs "
          f"({len(sub.lines)} triples)")
    print(f"{'query':<24}{'oxigraph-all':>14}{'oxigraph-sub':>14}{'rdflib-sub':>12}")
    for name in library():
        rd = rd_sub.get(name)
        print(f"{name:<24}{full[name]:>14.3f}{ox_sub[name]:>14.3f}{(f'{rd:.3f}' if rd is not None else 'skipped'):>12}")
    print(f"{'all queries':<24}{sum(full.values()):>14.3f}{sum(ox_sub.values()):>14.3f}"
          f"{sum(v for v in rd_sub.values() if v is not None):>12.3f}")


if __name__ == "__main__":
    main()
