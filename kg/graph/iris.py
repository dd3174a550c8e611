"""The one place IRIs and authority URLs are made, with one escaping rule.

Every IRI comes from a canonical id, so the same entity has the same IRI in
every build (the scheme is in README.md and ``ontology/kg.ttl``). Every
part of every IRI is escaped by :func:`iri_part` alone, so a symbol reads
the same in a document's IRI and in the IRIs of its citations. kg's own
entities link to the authorities' IRIs (the UN SDG KOS, the EU country
authority for ISO 3166 codes) with ``skos:exactMatch``; kg never describes
another authority's IRI. Authority URLs for people (undocs.org, NORMLEX)
are made here too, for the graph and the pages alike.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from rdflib import URIRef

from kg.graph.vocab import DOC, ENTITY, SDG

NORMLEX = "https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:"
UNDOCS = "https://undocs.org/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
# unreserved characters, the slash of a symbol's path, and the parentheses of session numbers
_SAFE = "/()-._~"


def iri_part(text: str) -> str:
    """A piece of an IRI: the one escaping rule of every IRI kg mints.

    >>> iri_part("A/RES/2200(XXI)"), iri_part("E/CN.15/2019/L.3/Rev.1"), iri_part("CND 65/2")
    ('A/RES/2200(XXI)', 'E/CN.15/2019/L.3/Rev.1', 'CND%2065/2')
    """
    return quote(text, safe=_SAFE)


def doc_iri(symbol: str | None, path: str | None = None) -> URIRef:
    """The IRI of a document: by its UN symbol, else by its file's stem.

    >>> str(doc_iri("A/RES/75/158"))
    'https://w3id.org/un-kg/doc/A/RES/75/158'
    """
    if symbol:
        return DOC[iri_part(symbol.replace(" ", ""))]
    return DOC["file/" + iri_part(Path(path or "unnamed").stem).replace("/", "%2F")]


def entity_iri(type_: str, id: str) -> URIRef:
    """The IRI of a cited entity; documents and resolutions share the doc/ space.

    >>> str(entity_iri("sdg", "16.2")), str(entity_iri("treaty", "UNTOC"))
    ('https://w3id.org/un-kg/entity/sdg/16.2', 'https://w3id.org/un-kg/entity/treaty/UNTOC')
    """
    if type_ in ("resolution", "document"):
        return doc_iri(id)
    if type_ == "sdg":
        id = id.replace("SDG", "").strip()
    return ENTITY[f"{type_}/{iri_part(id)}"]


def citation_key(type_: str, id: str) -> str:
    """The ``type/id`` part of the IRIs of a citation and its mentions, escaped like the entity's IRI."""
    return f"{type_}/{iri_part(id)}"


def sdg_kos_iri(id: str) -> URIRef:
    """The UN SDG KOS IRI of a goal or target (http://metadata.un.org/sdg/5.2)."""
    return SDG[iri_part(id.replace("SDG", "").strip())]


def country_iri(code: str) -> URIRef:
    """The EU Publications Office country authority IRI of an ISO 3166-1 alpha-3 code."""
    return URIRef(COUNTRY + iri_part(code))


def undocs_url(symbol: str) -> str:
    """The document's page on undocs.org."""
    return UNDOCS + iri_part(symbol)


def normlex_url(code: str) -> str:
    """An ILO instrument's page on NORMLEX, by its NORMLEX code."""
    return NORMLEX + code


def authority_url(type_: str, id: str, normlex: str | None = None) -> str:
    """The authority's page for an entity, where one exists ("" where none does)."""
    if type_ in ("resolution", "document"):
        return undocs_url(id)
    if type_ == "ilo" and normlex:
        return normlex_url(normlex)
    if type_ == "sdg":
        return str(sdg_kos_iri(id))
    return ""
