"""Load a build's graph into any SPARQL 1.1 Graph Store Protocol endpoint (``kg push``).

The graph is sent with ``PUT`` to the store's graph-store URL with
``?graph=IRI``: PUT replaces the named graph, so a push can be repeated and
the store ends with the build, never with two builds mixed. N-Triples is
sent, the format every store reads. An unreachable or refusing store is one
clear error, with what the store said.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from kg.errors import KgError

DEFAULT_GRAPH = "https://w3id.org/un-kg/graph"


def graph_store_url(url: str, graph: str) -> str:
    """The URL of one named graph at a Graph Store Protocol endpoint (indirect identification)."""
    sep = "&" if urlsplit(url).query else "?"
    return f"{url}{sep}{urlencode({'graph': graph})}"


def push(folder: Path, url: str, graph: str = DEFAULT_GRAPH, user: str | None = None,
         password: str | None = None, timeout: float = 600.0) -> int:
    """PUT the build's N-Triples as the named graph ``graph``; returns the number of triples sent."""
    nt = folder / "graph.nt"
    if not nt.is_file():
        raise KgError(f"{folder}: no graph.nt in it; run kg build first")
    if urlsplit(url).scheme not in ("http", "https"):
        raise KgError(f"{url}: give the store's Graph Store Protocol URL (http://host:port/store for Oxigraph)")
    data = nt.read_bytes()
    request = urllib.request.Request(graph_store_url(url, graph), data=data, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    opener = urllib.request.build_opener()
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        # a store asking for digest authentication (Virtuoso's sparql-graph-crud-auth) gets it too
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        said = " ".join(exc.read(300).decode("utf-8", errors="replace").split())
        raise KgError(f"{url}: the store refused the graph: HTTP {exc.code} {exc.reason}"
                      + (f": {said}" if said else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KgError(f"{url}: cannot reach the store: {reason}") from None
    return data.count(b"\n")
