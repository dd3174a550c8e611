"""SHACL shapes as SPARQL queries, answered by the Oxigraph store a build already holds.

pySHACL walks an rdflib graph node by node: on a corpus build it took longer
than the whole build and most of its time went into writing messages. The
shapes kg ships use a small part of SHACL Core, and each constraint of that
part is a graph pattern that matches a focus node exactly when the node
breaks it. :func:`compile_shapes` turns ``ontology/shapes.ttl`` into one
``SELECT`` a constraint; :func:`run_shape_queries` answers them on the store
(in two threads: Oxigraph answers without holding Python's lock). A shape
using any SHACL feature outside that part is refused with its name, never
skipped. The tests check that this gives the same focus nodes, shapes and
paths as pySHACL on graphs broken in every way the shapes forbid.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from kg.errors import KgError

# What a property shape may say, beyond its path and message; anything else is refused.
PROPERTY_KEYS = {SH.path, SH.message, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.pattern,
                 SH["in"], SH.hasValue, SH.minInclusive, SH.qualifiedValueShape, SH.qualifiedMinCount,
                 SH.qualifiedMaxCount, SH.flags, SH.name, SH.description, RDF.type}
NODE_KEYS = {SH.targetClass, SH.property, SH.xone, SH.message, RDF.type, RDFS.comment, RDFS.label}
NODE_KINDS = {SH.IRI: "isIRI(?v)", SH.BlankNode: "isBlank(?v)", SH.Literal: "isLiteral(?v)",
              SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))", SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
              SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))"}
CASTS = {XSD.integer, XSD.boolean, XSD.date, XSD.decimal, XSD.double, XSD.dateTime}  # checked for a valid form


@dataclass(frozen=True)
class ShapeQuery:
    """One constraint: the SPARQL that selects the focus nodes (``?f``) breaking it."""

    shape: str  # the node shape's name
    path: str  # the property's IRI, "" for a constraint on the node itself
    constraint: str  # the SHACL component, e.g. "MinCount"
    message: str
    sparql: str
    targets: tuple[str, ...] = ()  # the node shape's target classes


def compile_shapes(shapes: Graph, subclasses: bool = False) -> list[ShapeQuery]:
    """A query for each constraint of each node shape, in the order of the shapes' names.

    ``subclasses``: the data graph holds ``rdfs:subClassOf`` triples, so that
    targets and ``sh:class`` take instances of subclasses too, as SHACL asks.
    """
    a = "rdf:type/rdfs:subClassOf*" if subclasses else "rdf:type"
    queries = []
    for node in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(node, URIRef):
            raise KgError(f"shapes: a node shape must have an IRI (kg names it in reports): {node}")
        name = str(node).rsplit("#", 1)[-1]
        _refuse_unknown(shapes, node, NODE_KEYS, name)
        classes = sorted(shapes.objects(node, SH.targetClass), key=str)
        if not classes:
            raise KgError(f"shapes: {name} has no sh:targetClass (the only target kg supports)")
        target = " UNION ".join(f"{{ ?f {a} <{c}> }}" for c in classes)
        targets = tuple(str(c) for c in classes)
        node_message = str(shapes.value(node, SH.message) or "")
        for prop in sorted(shapes.objects(node, SH.property), key=_shape_key(shapes)):
            for component, pattern, message in _property_constraints(shapes, prop, name, a):
                path = str(shapes.value(prop, SH.path))
                queries.append(ShapeQuery(name, path, component, message, _select(target, pattern), targets))
        for members in shapes.objects(node, SH.xone):
            conforming = [" && ".join(f"!EXISTS {{ {pattern} }}"
                                      for _, pattern, _ in _property_constraints(shapes, m, name, a, top=False))
                          for m in Collection(shapes, members)]
            count = " + ".join(f"IF({c}, 1, 0)" for c in conforming)
            queries.append(ShapeQuery(name, "", "Xone", node_message or "Exactly one of the shapes must hold.",
                                      _select(target, f"FILTER(({count}) != 1)"), targets))
    return queries


def _select(target: str, pattern: str) -> str:
    return ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f"SELECT DISTINCT ?f WHERE {{ {target} {pattern} }}")


def _shape_key(shapes: Graph):  # type: ignore[no-untyped-def]
    """Property shapes (blank nodes) in a stable order: by path, then by what they say."""
    return lambda prop: (str(shapes.value(prop, SH.path)),
                         sorted((str(p), str(o)) for p, o in shapes.predicate_objects(prop)))


def _refuse_unknown(shapes: Graph, node: URIRef | BNode, allowed: set, name: str) -> None:
    unknown = sorted(str(p) for p in set(shapes.predicates(node)) - allowed)
    if unknown:
        raise KgError(f"shapes: {name} uses {', '.join(unknown)}, which kg's SPARQL validation does not support")


def _property_constraints(shapes: Graph, prop: URIRef | BNode, name: str, a: str, top: bool = True,
                          ) -> Iterator[tuple[str, str, str]]:
    """(component, violation pattern over ?f, message) for each constraint of a property shape.

    ``top``: the pattern stands in the query's own WHERE, where a missing value
    is found by MINUS (one anti-join; Oxigraph takes minutes over a corpus for
    the same FILTER NOT EXISTS with a join inside). Inside an EXISTS (the
    members of sh:xone), where ?f is bound, it must be FILTER NOT EXISTS.
    """
    _refuse_unknown(shapes, prop, PROPERTY_KEYS, name)
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise KgError(f"shapes: {name} has a property path kg does not support (only a single IRI)")
    p = f"<{path}>"
    own = shapes.value(prop, SH.message)

    def message(default: str) -> str:
        return str(own) if own is not None else default

    value = shapes.value
    absent = "MINUS" if top else "FILTER NOT EXISTS"
    if (n := value(prop, SH.minCount)) is not None and int(n) > 0:
        yield "MinCount", _fewer_than(p, int(n), "", top), message(f"Fewer than {n} values of <{path}>")
    if (n := value(prop, SH.maxCount)) is not None:
        yield "MaxCount", _more_than(p, int(n), ""), message(f"More than {n} values of <{path}>")
    yield from _value_constraints(shapes, prop, name, a, absent, message)
    qualified = value(prop, SH.qualifiedValueShape)
    if qualified is not None:
        _refuse_unknown(shapes, qualified, {SH["class"]}, name)
        c = value(qualified, SH["class"])
        if c is None:
            raise KgError(f"shapes: {name} has a qualified value shape without sh:class (the only kind supported)")
        where = f"{a} <{c}>"
        if (n := value(prop, SH.qualifiedMinCount)) is not None and int(n) > 0:
            yield ("QualifiedMinCount", _fewer_than(p, int(n), where, top),
                   message(f"Fewer than {n} values of <{path}> are a <{c}>"))
        if (n := value(prop, SH.qualifiedMaxCount)) is not None:
            yield ("QualifiedMaxCount", _more_than(p, int(n), where),
                   message(f"More than {n} values of <{path}> are a <{c}>"))


def _value_constraints(shapes: Graph, prop: URIRef | BNode, name: str, a: str, absent: str,
                       message) -> Iterator[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """The constraints on each value of a property: class, datatype, node kind, pattern, list, value, bound."""
    value = shapes.value
    path = value(prop, SH.path)
    p = f"<{path}>"

    def values_where(condition: str) -> str:
        return f"?f {p} ?v . FILTER({condition})"

    if (c := value(prop, SH["class"])) is not None:
        yield "Class", f"?f {p} ?v . {absent} {{ ?v {a} <{c}> }}", message(f"A value is not a <{c}>")
    if (d := value(prop, SH.datatype)) is not None:
        wrong = f"!isLiteral(?v) || datatype(?v) != <{d}>"
        if d in CASTS:  # an ill-formed value ("x"^^xsd:integer): the cast fails, COALESCE takes the 1
            wrong += f" || COALESCE(STRLEN(STR(<{d}>(?v))) * 0, 1) = 1"
        yield "Datatype", values_where(wrong), message(f"A value is not of datatype <{d}>")
    if (k := value(prop, SH.nodeKind)) is not None:
        if k not in NODE_KINDS:
            raise KgError(f"shapes: {name} uses sh:nodeKind {k}, which is not a SHACL node kind")
        yield "NodeKind", values_where(f"!{NODE_KINDS[k]}"), message(f"A value is not of node kind <{k}>")
    if (pat := value(prop, SH.pattern)) is not None:
        flags = value(prop, SH.flags)
        regex = f"REGEX(STR(?v), {_literal(pat)}{', ' + _literal(flags) if flags else ''})"
        yield "Pattern", values_where(f"isBlank(?v) || !{regex}"), message(f"A value does not match {pat}")
    if (members := value(prop, SH["in"])) is not None:
        allowed = ", ".join(_term(t) for t in Collection(shapes, members))
        yield "In", values_where(f"?v NOT IN ({allowed})"), message(f"A value is not in ({allowed})")
    if (v := value(prop, SH.hasValue)) is not None:
        yield "HasValue", f"{absent} {{ ?f {p} {_term(v)} }}", message(f"No value is {v}")
    if (low := value(prop, SH.minInclusive)) is not None:
        yield ("MinInclusive", values_where(f"!COALESCE(?v >= {_term(low)}, false)"),
               message(f"A value is less than {low}"))


def _distinct_values(p: str, n: int, where: str) -> str:
    """n pairwise different values of ``p`` on ?f (each of them ``where`` it is given)."""
    names = [f"?v{i}" for i in range(n)]
    pattern = " ".join(f"?f {p} {v} ." + (f" {v} {where} ." if where else "") for v in names)
    different = " && ".join(f"{x} != {y}" for i, x in enumerate(names) for y in names[i + 1:])
    return pattern + (f" FILTER({different})" if different else "")


def _fewer_than(p: str, n: int, where: str, top: bool) -> str:
    return f"{'MINUS' if top else 'FILTER NOT EXISTS'} {{ {_distinct_values(p, n, where)} }}"


def _more_than(p: str, n: int, where: str) -> str:
    return _distinct_values(p, n + 1, where)


def _term(t) -> str:  # type: ignore[no-untyped-def]
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        return t.n3()
    raise KgError(f"shapes: a blank node {t} where kg expects an IRI or a literal")


def _literal(t) -> str:  # type: ignore[no-untyped-def]
    return Literal(str(t)).n3()


def run_shape_queries(store: pyoxigraph.Store, queries: list[ShapeQuery], threads: int = 2,
                      ) -> list[tuple[ShapeQuery, str]]:
    """Every (constraint, focus node) that breaks, in the order of the constraints."""

    def answer(q: ShapeQuery) -> list[tuple[ShapeQuery, str]]:
        try:
            return [(q, row["f"].value) for row in store.query(q.sparql)]
        except (SyntaxError, OSError, ValueError) as exc:
            raise KgError(f"shapes: the query for {q.shape} ({q.constraint} on {q.path}) fails: {exc}") from None

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        return [hit for hits in pool.map(answer, queries) for hit in hits]
