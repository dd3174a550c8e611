"""N-Triples terms and lines written as plain strings, the mapper's hot path.

A corpus of 3,000 resolutions is 6 million triples; making an rdflib
``URIRef`` and ``Literal`` for each of their terms, then a line of them,
was a third of the work of a document (see ../shared/perf-notes.md). The
mapper writes the lines directly with these functions, which give the same
text as rdflib's terms would (a test checks them against rdflib), and
rdflib stays for the code that needs its API.
"""

from __future__ import annotations

from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class PlainTerms:
    """A namespace's terms as plain strings, each looked up in the namespace once.

    rdflib's ``DefinedNamespace`` checks every attribute access against its
    declared terms (a mistyped term fails, as it should); this keeps that
    check for the first access and makes the later ones plain attribute reads.
    """

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._namespace, name))  # AttributeError for a term the namespace lacks
        setattr(self, name, value)
        return value


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def literal(value: str | int | bool, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal as an N-Triples term, as rdflib writes ``Literal(value, lang, datatype)``.

    >>> literal('say "yes"\\n'), literal("Paris", lang="en"), literal(3), literal(False)
    ('"say \\\\"yes\\\\"\\\\n"', '"Paris"@en', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    """
    if isinstance(value, bool):
        value, datatype = ("true" if value else "false"), XSD + "boolean"
    elif isinstance(value, int):
        value, datatype = str(value), XSD + "integer"
    text = f'"{value.translate(_ESCAPES)}"'
    if lang:
        return f"{text}@{lang}"
    if datatype and datatype != XSD + "string":
        return f"{text}^^<{datatype}>"
    return text


def line(s: str, p: str, o: str) -> str:
    """One N-Triples line: subject and predicate IRIs, and an object already written as a term."""
    return f"<{s}> <{p}> {o} .\n"
