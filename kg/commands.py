"""Subcommands beyond ``read``: extract, build, query, view, stats.

Kept apart from :mod:`kg.cli` so each stays short; each parses its options
and calls one library function.
"""

from __future__ import annotations

import argparse
import json
import sys

from kg.cli import Run


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.extract import extract_references

    run = Run(args.paths)
    out = sys.stdout
    for doc, refs in extract_references(run.documents()):
        if args.unresolved:
            refs = [r for r in refs if r.id is None]
        if args.format == "jsonl":
            for r in refs:
                out.write(json.dumps(r.to_record(), ensure_ascii=False) + "\n")
        else:
            out.write(f"== {doc.name} ({doc.path}): {len(refs)} references\n")
            for r in refs:
                rid = r.id or "(unresolved)"
                out.write(f"  {r.clause:<9} {r.type:<10} {rid:<28} {r.verb:<22} "
                          f"{'R ' if r.ratification else '  '}{_short(r.text)}\n")
    return run.status


def cmd_build(args: argparse.Namespace) -> int:
    from kg.export import write_graph
    from kg.extract import extract_references
    from kg.graph import build_graph
    from kg.validate import check

    run = Run(args.paths)
    built = build_graph(extract_references(run.documents()))
    if not args.no_validate:
        check(built)  # a violation raises, naming node and shape; nothing is written
    written = write_graph(built, args.out)
    extra = _after_build(built, args)
    s = built.summary
    print(f"kg build: {s['documents']} documents, {s['clauses']} clauses, {s['citations']} citations, "
          f"{s['triples']} triples; {s['unresolved references']} unresolved references")
    print("entities by type: " + ", ".join(f"{t} {n}" for t, n in s["entities by type"].items()))
    print("validation: " + ("skipped" if args.no_validate else "conforms to ontology/shapes.ttl"))
    for path in [*written, *extra]:
        print(f"wrote {path}")
    return run.status


def _after_build(built, args: argparse.Namespace) -> list:  # type: ignore[no-untyped-def]
    """Further outputs of a build (the page comes with issue 5)."""
    return []


def cmd_query(args: argparse.Namespace) -> int:
    from kg.errors import QueryError
    from kg.query import library, load_graph_file, load_query, render, run_query

    if args.list:
        for name, q in library().items():
            params = ", ".join(f"{p.name}={p.default}" for p in q.params)
            print(f"{name:<24} {q.question}" + (f"  [{params}]" if params else ""))
        return 0
    if not args.query:
        raise QueryError("name a query (kg query --list shows them), a .rq file, or SPARQL text")
    params = {}
    for item in args.param:
        if "=" not in item:
            raise QueryError(f"--param takes name=value, not {item!r}")
        k, v = item.split("=", 1)
        params[k] = v
    query = load_query(args.query)
    status = 0
    if args.graph:
        store = load_graph_file(args.graph)
    else:
        from kg.extract import extract_references
        from kg.graph import build_graph

        run = Run(args.paths)
        store = build_graph(extract_references(run.documents())).store
        status = run.status
    names, rows = run_query(store, query, **params)
    print(render(names, rows, args.format))
    return status


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommands to the ``kg`` parser."""
    p = sub.add_parser("extract", help="print every reference: JSON lines, or a table for people")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    p.add_argument("--unresolved", action="store_true",
                   help="only the references kg could not resolve (the review queue)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("build", help="read, extract, build the graph, validate it, write Turtle, JSON-LD, N-Triples")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("-o", "--out", default="kg-out", help="output folder (default: kg-out)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (large corpora)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a SPARQL query of queries/ (or a file, or SPARQL text) on the graph")
    p.add_argument("query", nargs="?", help="library name (see --list), a .rq file, or SPARQL text")
    p.add_argument("paths", nargs="*", help="documents to build the graph from (default: the bundled corpus)")
    p.add_argument("--graph", help="query a graph written by kg build (graph.ttl, graph.nt) instead")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--list", action="store_true", help="list the query library with questions and parameters")
    p.set_defaults(func=cmd_query)
