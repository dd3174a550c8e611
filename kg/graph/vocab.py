"""The kg vocabulary as Python names, mirroring ``ontology/kg.ttl``.

``_fail = True`` makes a mistyped term an AttributeError instead of a silent
new IRI (rdflib's DefinedNamespace, as the style notes recommend).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.lexicon.registry import reference_types as _types

BASE = "https://w3id.org/un-kg/"
DOC = Namespace(BASE + "doc/")
ENTITY = Namespace(BASE + "entity/")
UNTS = Namespace(BASE + "unts/")
BUILD = Namespace(BASE + "build/")
SDG = Namespace("http://metadata.un.org/sdg/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")


class KG(DefinedNamespace):
    """Terms of https://w3id.org/un-kg/ontology#."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Document: URIRef
    Resolution: URIRef
    DraftResolution: URIRef
    Decision: URIRef
    Report: URIRef
    Clause: URIRef
    PreambularClause: URIRef
    OperativeClause: URIRef
    Footnote: URIRef
    Header: URIRef
    Sponsorship: URIRef
    Citation: URIRef
    Mention: URIRef
    UnresolvedReference: URIRef
    Citable: URIRef
    Treaty: URIRef
    Protocol: URIRef
    IloInstrument: URIRef
    IloConvention: URIRef
    IloProtocol: URIRef
    IloRecommendation: URIRef
    IloDeclaration: URIRef
    NamedInstrument: URIRef
    SdgGoal: URIRef
    SdgTarget: URIRef
    Body: URIRef
    Mandate: URIRef
    State: URIRef
    OtherEntity: URIRef
    UntsCitation: URIRef
    # structure
    hasClause: URIRef
    hasFootnote: URIRef
    hasHeader: URIRef
    subParagraphOf: URIRef
    pointsToFootnote: URIRef
    clauseId: URIRef
    position: URIRef
    verb: URIRef
    text: URIRef
    footnoteNumber: URIRef
    # metadata
    session: URIRef
    agendaItem: URIRef
    meeting: URIRef
    vote: URIRef
    isDraft: URIRef
    seriesTitle: URIRef
    follows: URIRef
    CoCitation: URIRef
    coCited: URIRef
    coCitedFirst: URIRef
    coCitedSecond: URIRef
    documentCount: URIRef
    coCitationRank: URIRef
    issuedBy: URIRef
    sponsoredBy: URIRef
    hasSponsorship: URIRef
    sponsor: URIRef
    nonMember: URIRef
    # citations
    cites: URIRef
    hasMention: URIRef
    inClause: URIRef
    inFootnote: URIRef
    inHeader: URIRef
    citingPart: URIRef
    ratificationAsked: URIRef
    referenceType: URIRef
    extractedBy: URIRef
    # entities
    canonicalId: URIRef
    protocolOf: URIRef
    adoptedIn: URIRef
    adoptedBy: URIRef
    untsCitation: URIRef
    untsVolume: URIRef
    untsNumber: URIRef
    normlexCode: URIRef
    isoCode: URIRef
    unSymbol: URIRef
    sdgGoal: URIRef


# The prefixes of kg's Turtle and of the query library
# (no prefix for documents or UNTS citations: their local parts hold slashes, which Turtle would
# have to escape; each entity type has its own, so an entity reads treaty:UNTOC)
ENTITY_PREFIXES = {t["type"]: str(ENTITY) + t["type"] + "/" for t in _types()
                   if t["type"] not in ("resolution", "document")}
PREFIXES = {
    "kg": str(KG._NS), **ENTITY_PREFIXES, "build": str(BUILD), "sdgkos": str(SDG),
    "country": "http://publications.europa.eu/resource/authority/country/",
    "cito": str(CITO), "oa": str(OA), "dcterms": str(DCTERMS), "skos": str(SKOS),
    "prov": str(PROV), "rdfs": str(RDFS), "rdf": str(RDF), "xsd": str(XSD), "owl": str(OWL),
    "void": "http://rdfs.org/ns/void#",
}
