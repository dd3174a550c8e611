"""The SPARQL query library in ``queries/``, run on Oxigraph.

Each ``.rq`` file opens with ``# Question:`` and ``# Parameters:`` comment
lines; each parameter is declared ``# @param NAME KIND DEFAULT`` with KIND
``document`` (a UN symbol or file stem, bound as the document's IRI),
``entity`` (``type/id``), ``literal`` or ``integer``. Values are bound
through Oxigraph's substitutions (SEP-0007), never pasted into the text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.errors import QueryError
from kg.graph.iris import doc_iri, entity_iri
from kg.graph.resources import queries_dir


@dataclass
class Param:
    name: str
    kind: str
    default: str | None


@dataclass
class Query:
    name: str
    text: str
    question: str = ""
    params: list[Param] = field(default_factory=list)


def parse_query(name: str, text: str) -> Query:
    """A query with the question and parameters its header comments declare."""
    q = Query(name, text)
    for line in text.splitlines():
        m = re.match(r"#\s*Question:\s*(.+)", line)
        if m:
            q.question = m.group(1).strip()
        m = re.match(r"#\s*@param\s+(\w+)\s+(document|entity|literal|integer)(?:\s+(.+))?", line)
        if m:
            q.params.append(Param(m.group(1), m.group(2), (m.group(3) or "").strip() or None))
    return q


def library() -> dict[str, Query]:
    """Every query of ``queries/`` by name (the file's stem)."""
    return {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(queries_dir().glob("*.rq"))}


def load_query(spec: str) -> Query:
    """A query by library name, by ``.rq`` file path, or as SPARQL text."""
    lib = library()
    if spec in lib:
        return lib[spec]
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 300 and path.is_file()):
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        return parse_query(path.stem, path.read_text(encoding="utf-8"))
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.I):
        return parse_query("inline", spec)
    raise QueryError(f"unknown query {spec!r}; the library has: {', '.join(lib)}")


def _term(param: Param, value: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    try:
        return _make_term(param, value)
    except ValueError as exc:  # an IRI Oxigraph refuses (an unencoded space, say): one line
        raise QueryError(f"parameter {param.name}: {value!r} gives no valid IRI ({exc})") from None


def _make_term(param: Param, value: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    if param.kind == "document":
        return pyoxigraph.NamedNode(str(doc_iri(value if "/" in value else None, value)))
    if param.kind == "entity":
        if "/" not in value:
            raise QueryError(f"parameter {param.name}: give an entity as type/id, e.g. treaty/UNTOC")
        type_, id = value.split("/", 1)
        return pyoxigraph.NamedNode(str(entity_iri(type_, id)))
    if param.kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not a whole number")
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return pyoxigraph.Literal(value)


def run_query(store: pyoxigraph.Store, query: Query | str, allow_service: bool = False,
              **params: str) -> tuple[list[str], list[list[str]]]:
    """Run a query; returns the variable names and the rows as plain strings.

    Parameters not given take the defaults the query declares. A ``SERVICE``
    clause would make the query engine fetch from any address named in the
    query: it is refused unless ``allow_service`` says otherwise.
    """
    q = load_query(query) if isinstance(query, str) else query
    if not allow_service and uses_service(q.text):
        raise QueryError(f"query {q.name}: SERVICE (a federated query to another endpoint) is refused; "
                         "kg answers from the local graph (kg query --allow-service permits it)")
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(f"query {q.name} has no parameter {', '.join(sorted(unknown))}; "
                         f"it takes: {', '.join(declared) or 'none'}")
    subs = {}
    for p in q.params:
        value = params.get(p.name, p.default)
        if value is None:
            raise QueryError(f"query {q.name} needs --param {p.name}=...")
        subs[pyoxigraph.Variable(p.name)] = _term(p, value)
    try:
        result = store.query(q.text, substitutions=subs)
        if isinstance(result, (bool, pyoxigraph.QueryBoolean)):
            return ["ask"], [[str(bool(result)).lower()]]
        if not isinstance(result, pyoxigraph.QuerySolutions):
            return ["subject", "predicate", "object"], [[plain(t.subject), plain(t.predicate), plain(t.object)]
                                                        for t in result]
        names = [v.value for v in result.variables]
        rows = [[plain(sol[n]) for n in names] for sol in result]
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        # a bad query, or one the engine cannot run: one line, never a traceback
        raise QueryError(f"query {q.name}: {exc}") from None
    return names, rows


# comments, strings and IRIs, where the word SERVICE is no clause
_NOT_CODE = re.compile(r"#[^\n]*|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
                       r"|<[^<>\s]*>")


def uses_service(text: str) -> bool:
    """Whether a query has a SERVICE clause (outside comments, strings and IRIs).

    >>> uses_service('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * WHERE { ?s ?p "SERVICE" }  # no SERVICE here')
    False
    """
    return bool(re.search(r"\bSERVICE\b", _NOT_CODE.sub(" ", text), re.I))


def plain(term: object) -> str:
    """A query result term as plain text: its value, or "" where the variable is unbound."""
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def render(names: list[str], rows: list[list[str]], fmt: str) -> str:
    """Results as an aligned table, CSV or JSON."""
    if fmt == "json":
        return json.dumps([dict(zip(names, r, strict=True)) for r in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        cells = ((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(r, widths, strict=True))
        lines.append("  ".join(cells))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def load_graph_file(path: str | Path) -> pyoxigraph.Store:
    """A store holding a graph written by ``kg build`` (Turtle, N-Triples, JSON-LD)."""
    path = Path(path)
    if not path.is_file():
        raise QueryError(f"no graph file {path}")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".")))
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{path}: cannot load the graph: {exc}") from None
    return store
