"""Map documents and their references to RDF (the ontology in ``ontology/``).

``build_graph`` turns what :mod:`kg.extract.references` found into triples with rdflib
terms, and loads them into an Oxigraph store behind the rdflib API
(oxrdflib), so queries run on a real SPARQL engine. Every IRI comes from a
canonical id (see the scheme in ``ontology/kg.ttl``), so the same entity has
the same IRI in every build; there are no blank nodes, so output can be
written byte-identical.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.graph.iris import doc_iri, entity_iri, normlex_url, undocs_url
from kg.graph.vocab import BUILD, CITO, KG, OA, PREFIXES, UNTS
from kg.lexicon.patterns import stance_table
from kg.lexicon.registry import Entity, Registry, load_registry, reference_types
from kg.lexicon.states import state_label
from kg.models import Document, Reference
from kg.version import __version__

Triple = tuple[URIRef, URIRef, URIRef | Literal]

TYPE_CLASS = {t["type"]: KG[t["class"]] for t in reference_types()}


def characterization(verb: str) -> URIRef:
    """The CiTO property that characterizes a citation made with ``verb``.

    >>> characterization("recalling also")
    rdflib.term.URIRef('http://purl.org/spar/cito/obtainsBackgroundFrom')
    """
    table = stance_table()
    for prefix, prop in table["prefixes"]:
        if verb == prefix or verb.startswith(prefix + " "):
            return CITO[prop]
    return CITO[table["default"]]


@dataclass
class GraphBuild:
    """The triples of a build, the graph holding them, and what was counted."""

    triples: list[Triple]
    graph: Graph
    summary: dict = field(default_factory=dict)
    results: list[tuple[Document, list[Reference]]] = field(default_factory=list)

    @property
    def store(self) -> pyoxigraph.Store:
        """The Oxigraph store behind the rdflib graph (for SPARQL)."""
        return self.graph.store._inner  # type: ignore[attr-defined]


class _Mapper:
    """Triples of documents and their references; entities described from the registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.series: dict[str, list[tuple[str, str]]] = {}  # series title -> (date, document IRI), adopted texts
        self.triples: set[Triple] = set()
        self.entities: dict[URIRef, tuple[str, str, str]] = {}  # iri -> (type, id, label)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.triples.add((s, p, o))

    # -- documents -----------------------------------------------------------

    def document(self, doc: Document) -> URIRef:
        md = doc.metadata
        d = doc_iri(md.symbol, doc.path)
        symbol = md.symbol or ""
        cls = KG.DraftResolution if md.draft else KG.Decision if "/DEC/" in symbol else KG.Resolution
        self.add(d, RDF.type, cls)
        self.add(d, RDF.type, KG.Document)
        self.add(d, DCTERMS.source, Literal(Path(doc.path).name))
        if md.symbol:
            self.add(d, DCTERMS.identifier, Literal(md.symbol))
            self.add(d, KG.unSymbol, Literal(md.symbol))
            self.add(d, RDFS.seeAlso, URIRef(undocs_url(md.symbol)))
        if md.title:
            self.add(d, DCTERMS.title, Literal(md.title, lang="en"))
            series = md.title.split(":", 1)[0].strip()
            self.add(d, KG.seriesTitle, Literal(series))
            if md.date and not md.draft:
                self.series.setdefault(series, []).append((md.date, str(d)))
        if md.date:
            self.add(d, DCTERMS.date, Literal(md.date, datatype=XSD.date))
        for prop, value in ((KG.session, md.session), (KG.agendaItem, md.agenda_item), (KG.meeting, md.meeting),
                            (KG.vote, md.vote)):
            if value:
                self.add(d, prop, Literal(value))
        self.add(d, KG.isDraft, Literal(md.draft))
        if md.body:
            body = self.entity("body", md.body)
            self.add(d, KG.issuedBy, body)
            if not md.draft:
                self.add(d, KG.adoptedBy, body)
        self._sponsors(d, doc)
        self._clauses(d, doc)
        self._footnotes(d, doc)
        return d

    def _sponsors(self, d: URIRef, doc: Document) -> None:
        """Sponsorship: a property of the draft, each State with its non-member flag."""
        md = doc.metadata
        for sp in md.sponsors:
            if not sp.code:
                continue
            state = self.entity("state", sp.code, state_label(sp.code))
            self.add(d, KG.sponsoredBy, state)
            ship = URIRef(f"{d}#sponsor/{sp.code}")
            self.add(ship, RDF.type, KG.Sponsorship)
            self.add(d, KG.hasSponsorship, ship)
            self.add(ship, KG.sponsor, state)
            self.add(ship, KG.nonMember, Literal(sp.non_member))

    def _clauses(self, d: URIRef, doc: Document) -> None:
        """Each clause with its id, position, text, verb, parent and footnotes."""
        for n, c in enumerate(doc.clauses, 1):
            ci = URIRef(f"{d}#{c.id}")
            self.add(ci, RDF.type, KG.Clause)
            self.add(ci, RDF.type, KG.PreambularClause if c.kind == "preambular" else KG.OperativeClause)
            self.add(d, KG.hasClause, ci)
            self.add(ci, KG.clauseId, Literal(c.id))
            self.add(ci, KG.position, Literal(n))
            self.add(ci, KG.text, Literal(c.text.text))
            if c.verb:
                self.add(ci, KG.verb, Literal(c.verb))
            if "(" in c.id:
                self.add(ci, KG.subParagraphOf, URIRef(f"{d}#{c.id[: c.id.rindex('(')]}"))
            for mk in c.markers:
                if doc.footnote(mk.number) is not None:
                    self.add(ci, KG.pointsToFootnote, URIRef(f"{d}#fn{mk.number}"))

    def _footnotes(self, d: URIRef, doc: Document) -> None:
        """Each footnote with its number and text."""
        for f in doc.footnotes:
            fi = URIRef(f"{d}#{f.id}")
            self.add(fi, RDF.type, KG.Footnote)
            self.add(d, KG.hasFootnote, fi)
            self.add(fi, KG.clauseId, Literal(f.id))
            self.add(fi, KG.footnoteNumber, Literal(f.number))
            self.add(fi, KG.text, Literal(f.text.text))

    # -- entities ------------------------------------------------------------

    def entity(self, type_: str, id: str, label: str | None = None) -> URIRef:
        iri = entity_iri(type_, id)
        if iri in self.entities:
            return iri
        ent = self.registry.get(id) if type_ not in ("resolution", "document", "state") else None
        name = ent.name if ent else (state_label(id) if type_ == "state" else (label or id))
        self.entities[iri] = (type_, id, name)
        if type_ in ("resolution", "document"):
            cls = KG.Decision if "/DEC/" in id else TYPE_CLASS[type_]
            self.add(iri, RDF.type, cls)
            self.add(iri, RDF.type, KG.Document)
            self.add(iri, DCTERMS.identifier, Literal(id))
            self.add(iri, KG.unSymbol, Literal(id))
            self.add(iri, RDFS.seeAlso, URIRef(undocs_url(id)))
        else:
            self.add(iri, RDF.type, self._class(type_, id, ent))
            self.add(iri, RDF.type, KG.Citable)
        self.add(iri, KG.canonicalId, Literal(id))
        self.add(iri, KG.referenceType, Literal(type_))
        self.add(iri, SKOS.prefLabel, Literal(name, lang="en"))
        if ent is not None:
            self._registry_facts(iri, ent)
        if type_ == "state":
            self.add(iri, KG.isoCode, Literal(id))
        return iri

    def _class(self, type_: str, id: str, ent: Entity | None) -> URIRef:
        if type_ == "ilo":
            kinds = {"C": KG.IloConvention, "P": KG.IloProtocol, "R": KG.IloRecommendation}
            return kinds.get(id[:1], KG.IloDeclaration)
        if type_ == "sdg":
            return KG.SdgGoal if "." not in id else KG.SdgTarget
        if type_ == "treaty" and ((ent and ent.parent) or id.startswith(("OP-", "OPTIONAL-PROTOCOL", "PROTOCOL"))):
            return KG.Protocol
        return TYPE_CLASS[type_]

    def _registry_facts(self, iri: URIRef, ent: Entity) -> None:
        for alias in ent.aliases:
            self.add(iri, SKOS.altLabel, Literal(alias, lang="en"))
        for acr in ent.acronyms:
            self.add(iri, SKOS.altLabel, Literal(acr, lang="en"))
        if ent.normlex:
            self.add(iri, KG.normlexCode, Literal(ent.normlex))
            self.add(iri, RDFS.seeAlso, URIRef(normlex_url(ent.normlex)))
        if ent.notation:
            self.add(iri, SKOS.notation, Literal(ent.notation))
        if ent.parent:
            parent = self.registry.get(ent.parent)
            if parent is not None:
                pi = self.entity(parent.type, parent.id)
                self.add(iri, KG.sdgGoal if ent.type == "sdg" else KG.protocolOf, pi)
        if ent.adopted_in:
            self.add(iri, KG.adoptedIn, self.entity("resolution", ent.adopted_in))
        for cite in ent.unts:
            self.unts(iri, cite)

    def unts(self, iri: URIRef, cite: str) -> None:
        vol, no = cite.split("/")
        u = UNTS[f"{vol}/{no}"]
        self.add(u, RDF.type, KG.UntsCitation)
        self.add(u, KG.untsVolume, Literal(int(vol)))
        self.add(u, KG.untsNumber, Literal(int(no)))
        self.add(u, RDFS.label, Literal(f"United Nations, Treaty Series, vol. {vol}, No. {no}"))
        self.add(iri, KG.untsCitation, u)

    # -- citations -----------------------------------------------------------

    def references(self, d: URIRef, refs: list[Reference]) -> None:
        for r in refs:
            if r.clause == "header" and r.type == "state":
                continue  # a sponsor: sponsorship of the draft (from its metadata), not a citation
            at = f"{r.start}-{r.end}"
            if r.id is None:
                u = URIRef(f"{d}#unresolved/{at}/{r.type}")
                self.add(u, RDF.type, KG.UnresolvedReference)
                self.add(u, CITO.hasCitingEntity, d)
                self.add(u, KG.referenceType, Literal(r.type))
                self.add(u, KG.inClause, URIRef(f"{d}#{r.clause}"))
                self.add(u, OA.exact, Literal(r.text))
                self.add(u, OA.start, Literal(r.start))
                self.add(u, OA.end, Literal(r.end))
                continue
            e = self.entity(r.type, r.id, r.label)
            key = quote(f"{r.type}/{r.id}", safe="/")
            c = URIRef(f"{d}#cites/{key}")
            self.add(c, RDF.type, KG.Citation)
            self.add(c, RDF.type, CITO.Citation)
            self.add(c, CITO.hasCitingEntity, d)
            self.add(c, CITO.hasCitedEntity, e)
            self.add(d, KG.cites, e)
            self.add(c, CITO.hasCitationCharacterization, characterization(r.verb))
            m = URIRef(f"{d}#mention/{at}/{key}")
            self.add(c, KG.hasMention, m)
            self.add(m, RDF.type, KG.Mention)
            self.add(m, KG.inClause, URIRef(f"{d}#{r.clause}"))
            if r.verb:
                self.add(m, KG.verb, Literal(r.verb))
            self.add(m, KG.ratificationAsked, Literal(r.ratification))
            self.add(m, KG.extractedBy, Literal(r.method))
            sel = URIRef(f"{m}/selector")
            self.add(m, OA.hasSelector, sel)
            self.add(sel, RDF.type, OA.TextPositionSelector)
            self.add(sel, OA.start, Literal(r.start))
            self.add(sel, OA.end, Literal(r.end))
            self.add(sel, OA.exact, Literal(r.text))
            for cite in r.unts:
                self.unts(e, cite)
            if r.bound_to:
                bound = self.registry.get(r.bound_to)
                target = self.entity(bound.type, bound.id) if bound else None
                if target is not None:
                    self.add(target, KG.adoptedIn, e)

    def predecessors(self) -> None:
        """kg:follows: each adopted, dated text of a series to every text of the latest earlier date.

        Made once at build time, so that the series queries join on it instead of finding the
        latest earlier date per text (see queries/series_new_citations.rq for the definition).
        """
        for texts in self.series.values():
            dates = sorted({date for date, _d in texts})
            by_date: dict[str, list[str]] = {}
            for date, d in texts:
                by_date.setdefault(date, []).append(d)
            for earlier, later in zip(dates, dates[1:], strict=False):
                for new in by_date[later]:
                    for old in by_date[earlier]:
                        self.add(URIRef(new), KG.follows, URIRef(old))

    def provenance(self, docs: list[Document]) -> None:
        digest = hashlib.sha256(__version__.encode())
        for doc in docs:
            digest.update(doc.path.encode())
            digest.update(hashlib.sha256(doc.source.encode()).digest())
        b = BUILD[digest.hexdigest()[:16]]
        agent = URIRef(f"https://w3id.org/un-kg/software/kg/{__version__}")
        self.add(b, RDF.type, PROV.Activity)
        self.add(b, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.SoftwareAgent)
        self.add(agent, RDFS.label, Literal(f"kg {__version__}"))
        for doc in docs:
            d = doc_iri(doc.metadata.symbol, doc.path)
            # a file is named by its content, so the graph does not depend on where it lies
            f = URIRef("urn:sha256:" + hashlib.sha256(doc.source.encode()).hexdigest())
            self.add(f, RDF.type, PROV.Entity)
            self.add(f, RDFS.label, Literal(Path(doc.path).name))
            self.add(b, PROV.used, f)
            self.add(d, PROV.wasDerivedFrom, f)
            self.add(d, PROV.wasGeneratedBy, b)


def build_graph(results: Iterable[tuple[Document, list[Reference]]], registry: Registry | None = None) -> GraphBuild:
    """The RDF graph of documents and their references.

    >>> from kg.extract.references import extract_references
    >>> from kg.read import bundled_corpus, read_document
    >>> built = build_graph(extract_references([read_document(bundled_corpus()[3])]))
    >>> built.summary["documents"], built.summary["citations"] > 100
    (1, True)
    """
    mapper = _Mapper(registry or load_registry())
    docs: list[Document] = []
    distinct: set[tuple[str, str]] = set()
    unresolved = 0
    by_type: dict[str, set[str]] = {}
    clauses = 0
    kept = []
    seen: dict[str, str] = {}  # document IRI -> the file it was built from
    duplicates: list[tuple[str, str]] = []
    for doc, refs in results:
        iri = str(doc_iri(doc.metadata.symbol, doc.path))
        if iri in seen:
            # the same document twice (one symbol in two files, or two formats of one text):
            # built once, from the first file, so that its IRIs stay one node each
            duplicates.append((seen[iri], doc.path))
            continue
        seen[iri] = doc.path
        kept.append((doc, refs))
        docs.append(doc)
        d = mapper.document(doc)
        mapper.references(d, refs)
        clauses += len(doc.clauses)
        for r in refs:
            if r.id is None:
                unresolved += 1
            elif not (r.clause == "header" and r.type == "state"):
                distinct.add((str(d), f"{r.type}/{r.id}"))
                by_type.setdefault(r.type, set()).add(r.id)
    mapper.predecessors()
    mapper.provenance(docs)
    triples = sorted(mapper.triples, key=lambda t: (str(t[0]), str(t[1]), _sort_key(t[2])))
    store = pyoxigraph.Store()
    store.bulk_load(ntriples(triples).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    from oxrdflib.store import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    # the store's default graph, where bulk_load put the triples
    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    summary = {
        "documents": len(docs), "clauses": clauses, "citations": len(distinct),
        "entities by type": {t: len(ids) for t, ids in sorted(by_type.items())},
        "unresolved references": unresolved, "triples": len(triples),
    }
    if duplicates:
        summary["duplicates"] = [{"kept": k, "skipped": s} for k, s in duplicates]
    return GraphBuild(triples, graph, summary, results=[(doc, refs) for doc, refs in kept])


def _sort_key(o: URIRef | Literal) -> str:
    return f"{o}\x00{getattr(o, 'datatype', '') or ''}\x00{getattr(o, 'language', '') or ''}"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(t: URIRef | Literal) -> str:
    """A term in N-Triples syntax (rdflib's ``n3()`` writes long literals
    with triple quotes, which N-Triples does not allow)."""
    if isinstance(t, Literal):
        text = f'"{str(t).translate(_ESCAPES)}"'
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype and t.datatype != XSD.string:
            return f"{text}^^<{t.datatype}>"
        return text
    return f"<{t}>"


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples text of the triples, one a line, in the order given."""
    return "".join(f"<{s}> <{p}> {nt_term(o)} .\n" for s, p, o in triples)
