"""The SPARQL query library in ``queries/``, run on Oxigraph.

Each ``.rq`` file opens with ``# Question:`` and ``# Parameters:`` comment
lines; each parameter is declared ``# @param NAME KIND DEFAULT`` with KIND
``document`` (a UN symbol or file stem, bound as the document's IRI),
``entity`` (``type/id``), ``literal`` or ``integer``. Values are bound
by a standard SPARQL ``VALUES`` block at the head of the WHERE group (an
IRI or a typed literal, never text pasted into the query), so the same
bound text gives the same rows on any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.errors import QueryError, ServiceRefused
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
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", spec, re.I) or re.search(r"[{}?]", spec):
        return parse_query("inline", spec)  # SPARQL, perhaps mistyped: the engine says where
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


def bind(query: Query | str, **params: str) -> str:
    """The query's text with its parameters bound by a standard SPARQL ``VALUES`` block.

    The block opens the query's WHERE group, so any SPARQL 1.1 engine (kg's
    Oxigraph, the Oxigraph server, Virtuoso) gives the same rows for the
    same text. Parameters not given take the defaults the query declares.
    """
    q = load_query(query) if isinstance(query, str) else query
    declared = {p.name: p for p in q.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(f"query {q.name} has no parameter {', '.join(sorted(unknown))}; "
                         f"it takes: {', '.join(declared) or 'none'}")
    terms = []
    for p in q.params:
        value = params.get(p.name, p.default)
        if value is None:
            raise QueryError(f"query {q.name} needs --param {p.name}=...")
        terms.append((p.name, str(_term(p, value))))
    if not terms:
        return q.text
    at = _where_brace(q.text)
    if at < 0:
        raise QueryError(f"query {q.name}: parameters need a WHERE {{ ... }} group to bind them in")
    names = " ".join(f"?{n}" for n, _t in terms)
    values = " ".join(t for _n, t in terms)
    block = f" VALUES ({names}) {{ ({values}) }}"
    return q.text[: at + 1] + block + q.text[at + 1:]


def _where_brace(text: str) -> int:
    """Where the query's WHERE group opens (the ``{``), outside comments, strings and IRIs; -1 if none."""
    code = _NOT_CODE.sub(lambda m: " " * len(m.group(0)), text)
    m = re.search(r"\bWHERE\s*\{", code, re.I)
    if m:
        return m.end() - 1
    m = re.search(r"\b(SELECT|ASK)\b[^{]*\{", code, re.I)  # the WHERE keyword is optional there
    return m.end() - 1 if m else -1


def execute(store: pyoxigraph.Store, query: Query | str, allow_service: bool = False,
            **params: str) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Run a query with its parameters bound; Oxigraph's own result (solutions, a boolean, or triples).

    A ``SERVICE`` clause would make the query engine fetch from any address
    named in the query: it is refused unless ``allow_service`` says otherwise.
    """
    q = load_query(query) if isinstance(query, str) else query
    if not allow_service and uses_service(q.text):
        raise ServiceRefused(f"query {q.name}: SERVICE (a federated query to another endpoint) is refused; "
                             "kg answers from the local graph (--allow-service permits it)")
    text = bind(q, **params)
    try:
        return store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"query {q.name}: {syntax_message(text, exc)}") from None
    except (ValueError, RuntimeError, OSError) as exc:
        # a query the engine cannot run: one line, never a traceback
        raise QueryError(f"query {q.name}: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def syntax_message(text: str, exc: BaseException) -> str:
    """A parse error as one line that says where the query is wrong, quoting it.

    Oxigraph reports the furthest point its parser reached (``error at
    LINE:COLUMN``), often past the real mistake: the end of a FILTER whose
    argument is missing. rdflib's parser names the first token it could not
    take, which is where a person looks, so the place comes from rdflib when
    it also refuses the text, and what was expected from Oxigraph.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    message = _one_line(exc)
    found = re.match(r"error at (\d+):(\d+): (.*)", message)
    why = found[3] if found else message
    lines = text.splitlines() or [""]
    line = column = 0
    try:
        parseQuery(text)
    except Exception as refused:  # noqa: BLE001 - pyparsing's ParseException carries the place
        line, column = getattr(refused, "lineno", 0), getattr(refused, "col", 0)
    if not line and found:
        line, column = int(found[1]), int(found[2])
    if not line:
        return f"syntax error: {why}"
    source = lines[min(line, len(lines)) - 1]
    near = " ".join(source[max(column - 1, 0):].split())[:40] or "the end of the query"
    return f"syntax error at line {line}, column {column}, near \"{near}\": {why}"


def run_query(store: pyoxigraph.Store, query: Query | str, allow_service: bool = False,
              **params: str) -> tuple[list[str], list[list[str]]]:
    """Run a query; returns the variable names and the rows as plain strings.

    ASK gives one row (``true`` or ``false``); CONSTRUCT and DESCRIBE give
    their triples as subject, predicate, object rows.
    """
    return result_rows(execute(store, query, allow_service, **params))


def result_rows(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples,
                ) -> tuple[list[str], list[list[str]]]:
    """An executed query's variable names and rows as plain strings (see :func:`run_query`)."""
    try:
        if isinstance(result, pyoxigraph.QueryBoolean):
            return ["ask"], [[str(bool(result)).lower()]]
        if isinstance(result, pyoxigraph.QueryTriples):
            return ["subject", "predicate", "object"], [[plain(t.subject), plain(t.predicate), plain(t.object)]
                                                        for t in result]
        names = [v.value for v in result.variables]
        # a solution's terms in the order of its variables; the test of the type inline, not a call to
        # plain() a term and a lookup by name (a sixth of the time, 0.27 -> 0.045 s on 19,000 rows)
        valued = _VALUED
        return names, [["" if t is None else t.value if t.__class__ in valued else plain(t) for t in sol]
                       for sol in result]
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:  # raised while the results stream
        raise QueryError(f"query: {_one_line(exc)}") from None


RESULT_FORMATS = {"json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML,
                  "csv": pyoxigraph.QueryResultsFormat.CSV, "tsv": pyoxigraph.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                 "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdfxml": pyoxigraph.RdfFormat.RDF_XML}


def serialize_result(result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples,
                     fmt: str) -> bytes:
    """A result in a standard format, by Oxigraph's serializers.

    SELECT and ASK: SPARQL results JSON, XML, CSV or TSV; CONSTRUCT and
    DESCRIBE: Turtle, N-Triples, JSON-LD or RDF/XML (Turtle where a results
    format was asked for a graph).
    """
    from kg.graph.vocab import PREFIXES

    try:
        if isinstance(result, pyoxigraph.QueryTriples):
            rdf = GRAPH_FORMATS.get(fmt, pyoxigraph.RdfFormat.TURTLE)
            prefixes = PREFIXES if rdf == pyoxigraph.RdfFormat.TURTLE else None
            return pyoxigraph.serialize(list(result), format=rdf, prefixes=prefixes)
        return result.serialize(format=RESULT_FORMATS.get(fmt, pyoxigraph.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        raise QueryError(f"query: {_one_line(exc)}") from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}


def query_frame(store: pyoxigraph.Store, query: Query | str, allow_service: bool = False, **params: str):  # type: ignore[no-untyped-def]
    """A SELECT query's rows as a pandas DataFrame with typed columns.

    A column whose values are all integers (xsd:integer and its kin) is an
    integer column (nullable ``Int64`` where some rows are unbound), decimals
    and doubles are floats, booleans booleans, dates datetimes; the rest text.
    Needs pandas (``pip install 'kg[frames]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise QueryError("query_frame needs pandas: pip install 'kg[frames]'") from None
    result = execute(store, query, allow_service, **params)
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("query_frame takes a SELECT query")
    names = [v.value for v in result.variables]
    rows = [[sol[n] for n in names] for sol in result]
    columns = {}
    for i, name in enumerate(names):
        terms = [r[i] for r in rows]
        types = {t.datatype.value if isinstance(t, pyoxigraph.Literal) else "iri" for t in terms if t is not None}
        values = [None if t is None else t.value for t in terms]
        if types and types <= _INTEGERS:
            columns[name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif types and types <= _INTEGERS | _FLOATS:
            columns[name] = pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        elif types == {_XSD + "boolean"}:
            columns[name] = pd.array([None if v is None else v in ("true", "1") for v in values], dtype="boolean")
        elif types == {_XSD + "date"} or types == {_XSD + "dateTime"}:
            columns[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            columns[name] = pd.array(["" if v is None else v for v in values], dtype="string")
    return pd.DataFrame(columns, columns=names)


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


_VALUED = frozenset({pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.BlankNode})


def plain(term: object) -> str:
    """A query result term as plain text: its value, or "" where the variable is unbound."""
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def render(names: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Results as an aligned table for people (``kg query``'s default), or plain CSV.

    The standard result formats (SPARQL JSON, XML, CSV, TSV) come from :func:`serialize_result`.
    """
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


def open_store(path: str | Path) -> pyoxigraph.Store:
    """The on-disk store a build wrote (``kg-out/store``), opened read-only: no parsing, at once."""
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise QueryError(f"{path}: cannot open the store: {_one_line(exc)}") from None


def load_graph_file(path: str | Path) -> pyoxigraph.Store:
    """A store holding a graph: a build's store folder, or a graph file (Turtle, N-Triples, JSON-LD)."""
    path = Path(path)
    if path.is_dir():
        return open_store(path / "store" if (path / "store").is_dir() else path)
    if not path.is_file():
        raise QueryError(f"no graph file {path}")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".")))
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{path}: cannot load the graph: {_one_line(exc)}") from None
    return store
