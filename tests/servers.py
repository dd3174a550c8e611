"""Real SPARQL servers for the tests, started on 127.0.0.1 and stopped after.

The Oxigraph server is the ``oxigraph`` program of the PyPI package of that
name (the test extra); Virtuoso is Debian's ``virtuoso-opensource``, where
it is installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} in {seconds} s")


def oxigraph_program() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A read-write Oxigraph server; yields its base URL (``/store`` for GSP, ``/query``)."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_program() or "oxigraph", "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """Debian's Virtuoso on a fresh database, SPARQL updates granted; yields its base URL."""
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    proc = subprocess.Popen(["virtuoso-t", "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    try:
        wait_for(base + "/sparql?query=ASK%7B%7D", proc, seconds=120)
        # a fresh database lets the anonymous SPARQL user read only: grant the Graph Store Protocol's PUT
        subprocess.run(["isql-vt", f"127.0.0.1:{sql}", "dba", "dba"], input='GRANT SPARQL_UPDATE TO "SPARQL";\n',
                       text=True, check=True, capture_output=True, timeout=60)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def http_select(endpoint: str, query: str, default_graph: str | None = None) -> tuple[list[str], list[list[str]]]:
    """A SELECT or ASK over the SPARQL 1.1 Protocol (POST form): variable names and rows of plain values."""
    form = {"query": query}
    if default_graph:
        form["default-graph-uri"] = default_graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode(),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=120) as res:
        data = json.load(res)
    if "boolean" in data:
        return ["ask"], [[str(data["boolean"]).lower()]]
    names = data["head"]["vars"]
    return names, [[b.get(n, {}).get("value", "") for n in names] for b in data["results"]["bindings"]]
