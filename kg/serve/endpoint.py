"""A read-only SPARQL 1.1 Protocol endpoint over a build's Oxigraph store.

``kg serve`` answers ``/query`` as the SPARQL 1.1 Protocol says (GET with
``query=``, POST of ``application/sparql-query`` or of a form), with the
result format chosen by the ``Accept`` header and serialized by Oxigraph.
Updates are refused (``/update``, or ``update=`` in a form: 403), as is a
``SERVICE`` clause, which would make the server fetch from any address
(unless ``--allow-service``). Beside the endpoint it serves the build's
pages (``/``), the query library (``/queries/``; ``/queries/NAME?param=v``
runs one), and the dataset's VoID description (``/.well-known/void``). It
binds to 127.0.0.1 unless told otherwise; the server is the standard
library's threading HTTP server, the engine Oxigraph.
"""

from __future__ import annotations

import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph

from kg.errors import KgError, QueryError, ServiceRefused
from kg.graph.query import execute, library, open_store, serialize_result

RESULT_TYPES = {  # media type -> kg's format name, for SELECT and ASK
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # for CONSTRUCT and DESCRIBE
    "text/turtle": "turtle", "application/n-triples": "ntriples", "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
         "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ntriples": "application/n-triples",
         "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
PAGES = {"/": "graph.html", "/graph.html": "graph.html", "/cocitation.html": "cocitation.html"}
MAX_BODY = 1 << 20  # a query is text: a megabyte is plenty


class Endpoint:
    """What ``kg serve`` serves: a store opened read-only, and the build folder's files."""

    def __init__(self, folder: Path, allow_service: bool = False) -> None:
        self.folder = folder
        store = folder / "store"
        if not store.is_dir():
            raise KgError(f"{folder}: no store in it (store/); run kg build first")
        self.store = open_store(store)
        self.allow_service = allow_service

    def answer(self, text: str, accept: str) -> tuple[bytes, str]:
        """A query's result, serialized in the best format ``accept`` allows."""
        return respond(execute(self.store, text, allow_service=self.allow_service), accept)


def respond(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples,
            accept: str) -> tuple[bytes, str]:
    """A result serialized in the best format ``accept`` allows, and its media type."""
    graph = isinstance(result, pyoxigraph.QueryTriples)
    fmt = negotiate(accept, GRAPH_TYPES if graph else RESULT_TYPES, "turtle" if graph else "json")
    return serialize_result(result, fmt), MEDIA[fmt]


def negotiate(accept: str, offered: dict[str, str], default: str) -> str:
    """The format of the first media type in ``accept`` (by q value) that is offered; else the default."""
    ranked = []
    for n, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        q = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, n, parts[0].lower()))
    for _q, _n, media in sorted(ranked):
        if media in offered:
            return offered[media]
    return default


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    server_version = "kg-serve"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:  # type: ignore[attr-defined]
            sys.stderr.write("kg serve: " + format % args + "\n")

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/query":
            if "query" not in params:
                return self.fail(HTTPStatus.BAD_REQUEST, "give the query as ?query=...")
            return self.run(params["query"][0])
        if url.path == "/update":
            return self.refuse()
        if url.path in PAGES:
            return self.file(self.endpoint.folder / PAGES[url.path], "text/html; charset=utf-8")
        if url.path in ("/.well-known/void", "/void.ttl"):
            return self.file(self.endpoint.folder / "void.ttl", "text/turtle")
        if url.path.rstrip("/") == "/queries":
            lib = library()
            listing = [{"name": n, "question": q.question, "url": f"/queries/{n}",
                        "parameters": {p.name: p.default for p in q.params}} for n, q in lib.items()]
            return self.send(HTTPStatus.OK, json.dumps(listing, indent=1).encode(), "application/json")
        if url.path.startswith("/queries/"):
            return self.library_query(url.path[len("/queries/"):], params)
        return self.fail(HTTPStatus.NOT_FOUND, f"no {url.path} here; the endpoint is /query")

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/update":
            return self.refuse()
        if url.path != "/query":
            return self.fail(HTTPStatus.NOT_FOUND, f"no {url.path} here; the endpoint is /query")
        data = self.body()
        if data is None:
            return self.fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "a query of more than 1 MB")
        body = data.decode("utf-8", errors="replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return self.run(body)
        if kind == "application/sparql-update":
            return self.refuse()
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self.refuse()
            if "query" in form:
                return self.run(form["query"][0])
            return self.fail(HTTPStatus.BAD_REQUEST, "the form has no query=")
        return self.fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                         "POST application/sparql-query, or a form with query=")

    do_PUT = do_DELETE = do_PATCH = lambda self: self.refuse()  # noqa: E731 - the store is read-only

    def run(self, text: str) -> None:
        try:
            body, media = self.endpoint.answer(text, self.headers.get("Accept") or "")
        except ServiceRefused as exc:
            return self.fail(HTTPStatus.FORBIDDEN, str(exc))
        except QueryError as exc:
            return self.fail(HTTPStatus.BAD_REQUEST, str(exc))
        self.send(HTTPStatus.OK, body, media)

    def library_query(self, name: str, params: dict[str, list[str]]) -> None:
        name = name.removesuffix(".rq")
        lib = library()
        if name not in lib:
            return self.fail(HTTPStatus.NOT_FOUND, f"no query {name}; GET /queries lists them")
        if self.path.split("?")[0].endswith(".rq"):
            return self.send(HTTPStatus.OK, lib[name].text.encode("utf-8"), "application/sparql-query")
        try:
            result = execute(self.endpoint.store, lib[name], allow_service=self.endpoint.allow_service,
                             **{k: v[0] for k, v in params.items()})
            body, media = respond(result, self.headers.get("Accept") or "")
        except QueryError as exc:
            return self.fail(HTTPStatus.BAD_REQUEST, str(exc))
        self.send(HTTPStatus.OK, body, media)

    def body(self) -> bytes | None:
        """The request's body, read once; None past MAX_BODY (read and dropped, so the client hears the answer)."""
        if not hasattr(self, "_body"):
            left = int(self.headers.get("Content-Length") or 0)
            kept = left <= MAX_BODY
            chunks = []
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
                if kept:
                    chunks.append(chunk)
            self._body = b"".join(chunks) if kept else None
        return self._body

    def refuse(self) -> None:
        self.body()  # read what the client sends first, so it hears the refusal, not a broken pipe
        self.fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")

    def file(self, path: Path, media: str) -> None:
        if not path.is_file():
            return self.fail(HTTPStatus.NOT_FOUND, f"the build has no {path.name}")
        self.send(HTTPStatus.OK, path.read_bytes(), media)

    def fail(self, status: HTTPStatus, message: str) -> None:
        self.send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def send(self, status: HTTPStatus, body: bytes, media: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")  # a SPARQL endpoint is read from other pages
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()


def make_server(folder: Path, host: str = "127.0.0.1", port: int = 7878, allow_service: bool = False,
                verbose: bool = False) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (port 0: any free port), not yet serving."""
    endpoint = Endpoint(folder, allow_service)
    handler = type("Handler", (_Handler,), {"endpoint": endpoint})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def serve(folder: Path, host: str = "127.0.0.1", port: int = 7878, allow_service: bool = False,
          verbose: bool = False, ready: threading.Event | None = None) -> None:
    """Serve until interrupted, saying where on stdout."""
    server = make_server(folder, host, port, allow_service, verbose)
    bound_host, bound_port = server.server_address[:2]
    base = f"http://{bound_host}:{bound_port}"
    print(f"kg serve: SPARQL endpoint {base}/query (read-only), page {base}/, queries {base}/queries, "
          f"VoID {base}/.well-known/void", flush=True)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
