"""The subcommands: read, extract, build, query, view, stats, serve, push, export.

Each parses its options and calls one library function, imported inside
the command so that a command loads only the stages it uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.models import Document



def cmd_read(args: argparse.Namespace) -> int:
    from kg.cli.run import Run

    run = Run(args.paths, time_budget=args.time_budget)
    for doc in run.documents():
        if args.format == "json":
            print(json.dumps(doc.to_json(), ensure_ascii=False))
        else:
            print(render_document(doc))
    return run.status


def render_document(doc: Document) -> str:
    """A readable view of a document model, for people."""
    md = doc.metadata
    lines = [f"== {doc.name}  ({doc.path}, {doc.format})"]
    for key, value in md.to_json().items():
        if value not in (None, [], ""):
            lines.append(f"  {key}: {value}")
    lines.append(f"  clauses: {len(doc.preambular)} preambular, {len(doc.operative)} operative; "
                 f"footnotes: {len(doc.footnotes)}")
    for c in doc.clauses:
        marks = f"  [fn {', '.join(str(m.number) for m in c.markers)}]" if c.markers else ""
        lines.append(f"  {c.id:<9} {c.verb:<28} {_clip(c.text.text, 90)}{marks}")
    for f in doc.footnotes:
        src = f"  => {_clip(f.source, 60)}" if f.ibid_of else ""
        lines.append(f"  fn{f.number:<7} {_clip(f.text.text, 80)}  <- {', '.join(f.clauses)}{src}")
    return "\n".join(lines)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.cli.run import Run
    from kg.cli.workers import extractor, report, run_files

    run = Run(args.paths, time_budget=args.time_budget)
    out = sys.stdout
    for outcome in run_files(extractor(run.time_budget, args.format, args.unresolved), run.paths,
                             workers=args.workers, scheduler=args.scheduler, progress="extracting"):
        report(outcome, run)
        out.write(outcome.text)
    return run.status


def cmd_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kg.cli.progress import Stages
    from kg.cli.run import Run
    from kg.graph.build import Assembler
    from kg.graph.export import write_graph
    from kg.graph.outputs import record_last_build, replacing_folder, write_manifest
    from kg.graph.validate import check, document_violations, raise_violations
    from kg.view.page import write_pages

    out = Path(args.out)
    stages = Stages()
    kept: list = []
    if args.append:
        kept, paths = _unchanged_parts(out, args.paths)
        run = Run(paths, strict=True, time_budget=args.time_budget) if paths else None
    else:
        # strict: a typo in a path is an error before anything is read
        run = Run(args.paths, strict=True, time_budget=args.time_budget)
    new: list = []
    checked: list = []  # (part, what the workers found breaking the shapes of its own nodes)
    # the fresh folder replaces out/ only when everything is written: a violation leaves out/ as it was
    with replacing_folder(out) as fresh:
        # parts join the graph as they come: a copy of a document already read (its PDF text and its
        # XML, say) is built once, from the first, and its lines let go at once
        assembler = Assembler(store_path=fresh / "store")
        if run is not None:
            with stages.stage("reading, extraction and mapping"):
                _read_parts(args, run, None if args.append else assembler, new, checked)
        if args.append:
            # a new or changed document replaces the part of the same file or the same document
            replaced = {p.iri for p in new} | {p.path for p in new}
            kept = [p for p in kept if p.iri not in replaced and p.path not in replaced]
            print(f"kg build --append: {len(new)} new or changed documents read, {len(kept)} kept from {out}{'/'}")
            for part in [*new, *kept]:
                assembler.add(part)
        with stages.stage("assembling"):
            built = assembler.finish()
        _warn_duplicates(built.summary.get("duplicates", []))
        if not args.no_validate:
            with stages.stage("validation"):
                # the workers checked each document's own nodes; kept parts (--append) and the
                # nodes documents share are checked here. A violation raises, naming node and shape.
                used = {id(p) for p in built.parts}
                found = [v for part, vs in checked if id(part) in used for v in vs]
                found += document_violations([p for p in kept if id(p) in used]) if kept else []
                if found:
                    raise_violations(found)
                check(built, documents_checked=True)
        with stages.stage("writing (the files, the store, the pages)"):
            # the pages are drawn from the store by a process of their own at corpus size, while this
            # one writes the files (whole corpus, 2 cores: 106 s one after the other, 83 s side by side)
            written = list(write_graph(built, fresh, beside=write_pages, let_go=True))
        write_manifest(fresh, built.summary, sorted({p.path for p in built.parts}) if args.append else args.paths,
                       [p.relative_to(fresh).as_posix() for p in written])
    record_last_build(out)
    s = built.summary
    print(f"kg build: {s['documents']} documents, {s['clauses']} clauses, {s['citations']} citations, "
          f"{s['triples']} triples; {s['unresolved references']} unresolved references")
    print("entities by type: " + ", ".join(f"{t} {n}" for t, n in s["entities by type"].items()))
    print("validation: " + ("skipped" if args.no_validate else "conforms to ontology/shapes.ttl"))
    for path in written:
        print(f"wrote {out / path.relative_to(fresh)}")
    print(stages.summary(), file=sys.stderr)
    if run is not None and run.failed:
        print(f"kg build: {run.failed} of {run.failed + run.read} inputs could not be read (see above)",
              file=sys.stderr)
    return run.status if run is not None else 0


def _read_parts(args: argparse.Namespace, run, assembler, new: list, checked: list) -> None:  # type: ignore[no-untyped-def]
    """Read, extract and map the run's files on the workers; each part into ``new`` (with what the
    workers found breaking its shapes into ``checked``) and, given an assembler, into the graph at once."""
    from pathlib import Path

    from kg.cli.workers import builder, report, run_files
    from kg.errors import KgError

    for outcome in run_files(builder(run.time_budget, not args.no_validate), run.paths, workers=args.workers,
                             scheduler=args.scheduler, progress="reading and extracting"):
        report(outcome, run)
        if outcome.part is not None:
            new.append(outcome.part)
            checked.append((outcome.part, outcome.violations))
            if assembler is not None:
                assembler.add(outcome.part)
    if run.read == 0:
        named = ", ".join(args.paths) or "the bundled corpus"
        raise KgError(f"no document could be read from {named}; {Path(args.out)}{'/'} was left as it was")


def _warn_duplicates(duplicates: list[dict]) -> None:
    """One line for the files that are a document already read (a resolution's PDF text and its XML):
    a corpus can hold hundreds, and a line each would bury the errors; build.json lists every pair."""
    if not duplicates:
        return
    first = duplicates[0]
    example = f"{first['skipped']} is the same document as {first['kept']}"
    if len(duplicates) == 1:
        print(f"kg: warning: {example}; built once, from {first['kept']}", file=sys.stderr)
    else:
        print(f"kg: warning: {len(duplicates)} files are the same document as a file before them and were "
              f"built once, from the first (build.json lists each pair under \"duplicates\"); the first: {example}",
              file=sys.stderr)


def _unchanged_parts(out, paths):  # type: ignore[no-untyped-def]
    """The parts of the build at ``out``, and the paths among ``paths`` that are new or changed.

    A file is unchanged when a part of the build was made from the same bytes
    (its SHA-256), wherever the file now lies.
    """
    from pathlib import Path

    from kg.errors import KgError
    from kg.graph.build import file_sha256
    from kg.graph.export import read_parts
    from kg.read import expand_paths

    parts = read_parts(out)
    if not paths:
        raise KgError("name the files or folders to add with --append")
    known = {p.file_sha256 for p in parts}
    todo = []
    for p in paths:
        if not Path(p).exists():
            raise KgError(f"{p}: no such file or folder")
        for f in expand_paths([p]):
            if file_sha256(f) not in known:
                todo.append(str(f))
    return parts, todo


def _graph_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The store a reading command answers about, and the status of reading it.

    ``--graph`` names a graph file; documents named on the command line are
    read and built in memory; otherwise the last build in this folder, and
    only with no build anywhere, the bundled corpus. One line on stderr says which.
    """
    from kg.graph.outputs import find_last_build
    from kg.graph.query import load_graph_file

    if args.graph:
        print(f"kg: answering about {args.graph}", file=sys.stderr)
        return load_graph_file(args.graph), 0
    if not args.paths:
        last = find_last_build()
        if last is not None:
            print(f"kg: answering about {last.describe()}", file=sys.stderr)
            return load_graph_file(last.graph), 0
        print("kg: no build in this folder (kg-out/); answering about the bundled corpus of five resolutions",
              file=sys.stderr)
    from kg.cli.run import Run
    from kg.extract.references import extract_references
    from kg.graph.build import build_graph

    run = Run(args.paths, time_budget=args.time_budget)
    store = build_graph(extract_references(run.documents(), on_error=run.failed_extraction,
                                          time_budget=run.time_budget)).store
    return store, run.status


def cmd_query(args: argparse.Namespace) -> int:
    from pyoxigraph import QueryTriples

    from kg.errors import QueryError
    from kg.graph.query import execute, library, load_query, render, result_rows, serialize_result

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
    store, status = _graph_store(args)
    result = execute(store, query, allow_service=args.allow_service, **params)
    if args.format == "table" and not isinstance(result, QueryTriples):
        print(render(*result_rows(result)))
        return status
    # a standard format; a CONSTRUCT or DESCRIBE gives a graph, printed as Turtle rather than a table
    data = serialize_result(result, "turtle" if args.format == "table" else args.format)
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve.endpoint import serve

    serve(_build_folder(args.dir), host=args.host, port=args.port, allow_service=args.allow_service,
          verbose=args.verbose)
    return 0


def _build_folder(named: str | None):  # type: ignore[no-untyped-def]
    """The build folder a command works on: the one named, else the last build here."""
    from pathlib import Path

    from kg.errors import KgError
    from kg.graph.outputs import find_last_build

    if named:
        folder = Path(named)
        if not folder.is_dir():
            raise KgError(f"{named}: no such build folder")
        return folder
    last = find_last_build()
    if last is None:
        raise KgError("no build in this folder (kg-out/); run kg build first, or name a build folder")
    print(f"kg: using {last.describe()}", file=sys.stderr)
    return last.folder


def cmd_push(args: argparse.Namespace) -> int:
    import os

    from kg.serve.push import push

    folder = _build_folder(args.out)
    password = os.environ.get("KG_PUSH_PASSWORD") if args.user else None
    sent = push(folder, args.url, graph=args.graph, user=args.user, password=password)
    print(f"kg push: {sent} triples from {folder}/graph.nt into <{args.graph}> at {args.url} (replaced)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kg.view.exports import write_csv, write_graphml
    from kg.view.network import graph_network

    store, status = _graph_store(args)
    g = graph_network(store)
    out = Path(args.out) if args.out else Path("graph.graphml" if args.format == "graphml" else "kg-network")
    written = write_graphml(g, out) if args.format == "graphml" else write_csv(g, out)
    for path in written:
        print(f"wrote {path}")
    print(f"kg export: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    return status


def _network(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kg.view.network import graph_network

    store, status = _graph_store(args)
    return status, graph_network(store)


def cmd_view(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kg.errors import KgError
    from kg.graph.export import write_atomic
    from kg.view.network import cocitation_network
    from kg.view.page import cocitation_page, document_page

    status, g = _network(args)
    if args.cocitation:
        text, name = cocitation_page(cocitation_network(g), g), "cocitation.html"
    else:
        if not args.doc:
            raise KgError("name a document (its symbol or file stem), or give --cocitation")
        docs = {d["id"]: n for n, d in g.nodes(data=True) if d.get("kind") == "document"}
        node = docs.get(args.doc)
        if node is None:
            raise KgError(f"no document {args.doc!r}; the documents are: {', '.join(sorted(docs))}")
        text, name = document_page(g, node), args.doc.replace("/", "_") + ".html"
    path = Path(args.out) if args.out else Path(name)
    write_atomic(path, text.encode("utf-8"))
    print(f"wrote {path}")
    return status


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.cli.run import short
    from kg.view.network import network_stats

    status, g = _network(args)
    if args.charts:
        from pathlib import Path

        from kg.view.charts import write_charts

        for path in write_charts(g, Path(args.charts)):
            print(f"wrote {path}", file=sys.stderr)
    st = network_stats(g, top=args.top)
    label = {n: d.get("label", n) for n, d in g.nodes(data=True)}
    ident = {n: d.get("id", n) for n, d in g.nodes(data=True)}
    kind = {n: d.get("type", "") for n, d in g.nodes(data=True)}
    most = sorted(st.cited_by.items(), key=lambda kv: (-kv[1], ident[kv[0]]))[: args.top]
    central = sorted(((n, v) for n, v in st.pagerank.items() if g.in_degree(n)),
                     key=lambda kv: (-kv[1], ident[kv[0]]))[: args.top]
    if args.format == "json":
        print(json.dumps({
            "most_cited": [{"id": ident[n], "type": kind[n], "label": label[n], "documents": v} for n, v in most],
            "pagerank": [{"id": ident[n], "type": kind[n], "score": round(v, 6)} for n, v in central],
            "communities": [[ident[n] for n in c] for c in st.communities],
            "similar_documents": [{"a": ident[a], "b": ident[b], "jaccard": round(j, 4)} for a, b, j in st.similar],
        }, ensure_ascii=False, indent=1))
        return status
    print(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} citations")
    print("\nMost cited (documents citing):")
    for n, v in most:
        print(f"  {v:>4}  {kind[n]:<10} {ident[n]:<28} {short(label[n], 60)}")
    print("\nMost central (PageRank):")
    for n, v in central:
        print(f"  {v:.4f}  {kind[n]:<10} {ident[n]}")
    print("\nInstruments cited together (communities):")
    for i, c in enumerate(st.communities, 1):
        print(f"  {i}. " + ", ".join(ident[n] for n in c))
    print("\nMost similar documents (Jaccard of what they cite):")
    for a, b, j in st.similar:
        print(f"  {j:.3f}  {ident[a]}  ~  {ident[b]}")
    return status


def _parallel_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes reading and extracting files (default: all cores; 1: this process only)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="send the files to a Dask cluster (tcp://host:8786); needs kg[dask] and the files "
                        "at the same paths on its workers")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommands to the ``kg`` parser."""
    p = sub.add_parser("read", help="print the document model: metadata, clauses, footnotes")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("extract", help="print every reference: JSON lines, or a table for people")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    _parallel_options(p)
    p.add_argument("--unresolved", action="store_true",
                   help="only the references kg could not resolve (the review queue)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("build", help="read, extract, build the graph, validate it, write Turtle, JSON-LD, N-Triples")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("-o", "--out", default="kg-out", help="output folder (default: kg-out)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    _parallel_options(p)
    p.add_argument("--append", action="store_true",
                   help="add new or changed files (by content hash) to the build at -o, reusing the rest")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a SPARQL query of queries/ (or a file, or SPARQL text) on the graph")
    p.add_argument("query", nargs="?", help="library name (see --list), a .rq file, or SPARQL text")
    p.add_argument("paths", nargs="*", help="documents to build the graph from (default: the bundled corpus)")
    p.add_argument("--graph", help="a graph written by kg build (graph.ttl, graph.nt; default: the last build "
                   "here, kg-out/)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter")
    p.add_argument("--format", default="table",
                   choices=["table", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"],
                   help="table (for people), SPARQL results json/xml/csv/tsv, or for CONSTRUCT and DESCRIBE "
                        "turtle/ntriples/jsonld/rdfxml")
    p.add_argument("--list", action="store_true", help="list the query library with questions and parameters")
    p.add_argument("--allow-service", action="store_true",
                   help="let a SERVICE clause query another endpoint over the network (refused by default)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("view", help="write the page of one document and what it cites, or the co-citation page")
    p.add_argument("doc", nargs="?", help="the document: its symbol (A/RES/75/158) or file stem")
    p.add_argument("paths", nargs="*", help="documents (default: the bundled corpus)")
    p.add_argument("--cocitation", action="store_true", help="the co-citation network of instruments instead")
    p.add_argument("--graph", help="a graph written by kg build (default: the last build here, kg-out/)")
    p.add_argument("-o", "--out", help="the HTML file to write (default: named after the view)")
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("stats", help="network analytics: most cited, PageRank, communities, similar documents")
    p.add_argument("paths", nargs="*", help="documents (default: the bundled corpus)")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--graph", help="a graph written by kg build (default: the last build here, kg-out/)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--charts", metavar="DIR", help="also write the charts (citations over time, ratification "
                   "urged, bodies by instruments) as PNG and SVG into DIR")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="a read-only SPARQL 1.1 endpoint over a build, with its page and queries")
    p.add_argument("dir", nargs="?", help="the build folder (default: the last build here, kg-out/)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--allow-service", action="store_true", help="let queries use SERVICE (refused by default)")
    p.add_argument("--verbose", action="store_true", help="log each request on stderr")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load a build into a triple store (SPARQL 1.1 Graph Store Protocol, PUT)")
    p.add_argument("url", help="the store's graph-store URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://host:8890/sparql-graph-crud-auth (Virtuoso)")
    p.add_argument("-o", "--out", help="the build folder (default: the last build here, kg-out/)")
    p.add_argument("--graph", default="https://w3id.org/un-kg/graph",
                   help="the named graph to replace (default https://w3id.org/un-kg/graph)")
    p.add_argument("--user", help="user for a store that asks for one (password from $KG_PUSH_PASSWORD)")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("export", help="the citation network for network tools: GraphML, or node and edge CSV")
    p.add_argument("paths", nargs="*", help="documents (default: the last build here, or the bundled corpus)")
    p.add_argument("--format", choices=["graphml", "csv"], default="graphml")
    p.add_argument("--graph", help="a build folder or graph file (default: the last build here, kg-out/)")
    p.add_argument("-o", "--out", help="the GraphML file, or the folder for nodes.csv and edges.csv")
    p.set_defaults(func=cmd_export)
