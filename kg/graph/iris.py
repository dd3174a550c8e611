"""The one place IRIs and authority URLs are made.

Every IRI comes from a canonical id, so the same entity has the same IRI in
every build (the scheme is in README.md and ``ontology/kg.ttl``). Authority
URLs (undocs.org for UN documents, NORMLEX for ILO instruments, the UN SDG
KOS for goals and targets) are made here too, for the graph and the pages alike.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from rdflib import URIRef

from kg.graph.vocab import DOC, ENTITY, SDG

NORMLEX = "https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:"
UNDOCS = "https://undocs.org/"
_SYMBOL_SAFE = "/().-"


def doc_iri(symbol: str | None, path: str | None = None) -> URIRef:
    """The IRI of a document: by its UN symbol, else by its file's stem.

    >>> str(doc_iri("A/RES/75/158"))
    'https://w3id.org/un-kg/doc/A/RES/75/158'
    """
    if symbol:
        return DOC[quote(symbol.replace(" ", ""), safe=_SYMBOL_SAFE)]
    return DOC["file/" + quote(Path(path or "unnamed").stem, safe="")]


def entity_iri(type_: str, id: str) -> URIRef:
    """The IRI of a cited entity; documents and resolutions share the doc/ space."""
    if type_ in ("resolution", "document"):
        return doc_iri(id)
    if type_ == "sdg":
        return SDG[quote(id.replace("SDG", "").strip(), safe=".")]
    return ENTITY[f"{type_}/{quote(id, safe='')}"]


def undocs_url(symbol: str) -> str:
    """The document's page on undocs.org."""
    return UNDOCS + quote(symbol, safe=_SYMBOL_SAFE)


def normlex_url(code: str) -> str:
    """An ILO instrument's page on NORMLEX, by its NORMLEX code."""
    return NORMLEX + code


def authority_url(type_: str, id: str, normlex: str | None = None) -> str:
    """The authority's page for an entity, where one exists ("" where none does)."""
    if type_ in ("resolution", "document"):
        return f"{UNDOCS}{id}"
    if type_ == "ilo" and normlex:
        return normlex_url(normlex)
    if type_ == "sdg":
        return str(entity_iri("sdg", id))
    return ""
