"""Map documents and their references to RDF (the ontology in ``ontology/``).

Mapping is per document: :func:`map_document` is a plain function of one
document and its references that returns a :class:`DocumentPart`, the
N-Triples lines that document contributes (its own nodes and the
descriptions of what it cites) and the few facts the corpus-wide parts need
(series, date, content hash). :func:`assemble` joins parts into one graph,
adds what depends on the whole corpus (``kg:follows`` between texts of a
series, the build's provenance) and loads it into an Oxigraph store. So a
build can keep its parts and add new documents later (``kg build
--append``) without reading the others again. Every IRI comes from a
canonical id (:mod:`kg.graph.iris`), so the same entity has the same IRI in
every build; there are no blank nodes, so output can be written
byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import groupby
from pathlib import Path

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.graph.iris import citation_key, country_iri, doc_iri, entity_iri, normlex_url, sdg_kos_iri, undocs_url
from kg.graph.ntriples import PlainTerms, iri, literal
from kg.graph.ntriples import line as triple_line
from kg.graph.vocab import BASE, BUILD, CITO, KG, OA, PREFIXES, UNTS
from kg.lexicon.patterns import stance_table
from kg.lexicon.registry import INSTRUMENT_TYPES, Entity, Registry, load_registry, reference_types
from kg.lexicon.states import state_label
from kg.models import Document, Reference
from kg.version import __version__

Triple = tuple[URIRef, URIRef, URIRef | Literal]

TYPE_CLASS = {t["type"]: str(KG[t["class"]]) for t in reference_types()}
# the vocabulary as plain strings, for the mapper (each term checked against its namespace once)
_KG, _RDF, _RDFS, _DCT, _SKOS, _XSD = (PlainTerms(ns) for ns in (KG, RDF, RDFS, DCTERMS, SKOS, XSD))
_CITO, _OA = PlainTerms(CITO), PlainTerms(OA)
QUOTE_CONTEXT = 32  # characters of prefix and suffix on a TextQuoteSelector
# The classes whose every node the mapper mints under its document's IRI ("<doc>#op2/cites/..."):
# only that document's part describes them, so the part alone decides whether they conform
# (validated per batch of documents, in the workers); a test checks the claim on the seeds.
DOCUMENT_CLASSES = frozenset(str(c) for c in (KG.Clause, KG.PreambularClause, KG.OperativeClause, KG.Footnote,
                                               KG.Header, KG.Citation, KG.Mention, KG.Sponsorship,
                                               KG.UnresolvedReference, OA.TextQuoteSelector,
                                               OA.TextPositionSelector))


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
class DocumentPart:
    """What one document contributes to a graph.

    ``lines`` are N-Triples lines, sorted: the document's own nodes and the
    descriptions of what it cites. The other fields are what the corpus-wide
    parts and the build summary need, so a part can be kept on disk and
    joined into a later build without the document (``kg build --append``).
    """

    iri: str
    path: str
    sha256: str  # of the text as read: a file is named by its content
    file_sha256: str = ""  # of the file's bytes: how --append tells an unchanged file
    series: str | None = None  # series title of an adopted, dated text
    date: str | None = None
    clauses: int = 0
    cited: list[str] = field(default_factory=list)  # type/id of each entity cited, sorted
    unresolved: int = 0
    lines: list[str] = field(default_factory=list)


class _Mapper:
    """The N-Triples lines of one document and its references; entities described from the registry.

    Lines are written as strings (:mod:`kg.graph.ntriples`), not as rdflib terms: this is the
    hot path of a build, a line for each of a corpus's millions of triples.
    """

    def __init__(self, registry: Registry, doc: Document) -> None:
        self.registry = registry
        self.doc = doc
        self.lines: set[str] = set()
        self.described: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        """A triple; ``o`` is an N-Triples term (:func:`iri`, :func:`literal`)."""
        self.lines.add(triple_line(s, p, o))

    # -- documents -----------------------------------------------------------

    def document(self) -> str:
        doc = self.doc
        md = doc.metadata
        d = str(doc_iri(md.symbol, doc.path))
        symbol = md.symbol or ""
        cls = _KG.DraftResolution if md.draft else _KG.Decision if "/DEC/" in symbol else _KG.Resolution
        self.add(d, _RDF.type, iri(cls))
        self.add(d, _RDF.type, iri(_KG.Document))
        self.add(d, _DCT.source, literal(Path(doc.path).name))
        if md.symbol:
            self.add(d, _DCT.identifier, literal(md.symbol))
            self.add(d, _KG.unSymbol, literal(md.symbol))
            self.add(d, _RDFS.seeAlso, iri(undocs_url(md.symbol)))
        if md.title:
            self.add(d, _DCT.title, literal(md.title, lang="en"))
            self.add(d, _KG.seriesTitle, literal(series_title(md.title)))
        if md.date:
            self.add(d, _DCT.date, literal(md.date, datatype=_XSD.date))
        for prop, value in ((_KG.session, md.session), (_KG.agendaItem, md.agenda_item), (_KG.meeting, md.meeting),
                            (_KG.vote, md.vote)):
            if value:
                self.add(d, prop, literal(value))
        self.add(d, _KG.isDraft, literal(md.draft))
        if md.body:
            body = iri(self.entity("body", md.body))
            self.add(d, _KG.issuedBy, body)
            if not md.draft:
                self.add(d, _KG.adoptedBy, body)
        header = f"{d}#header"
        self.add(header, _RDF.type, iri(_KG.Header))
        self.add(header, _KG.clauseId, literal("header"))
        self.add(d, _KG.hasHeader, iri(header))
        self._sponsors(d)
        self._clauses(d)
        self._footnotes(d)
        return d

    def _sponsors(self, d: str) -> None:
        """Sponsorship: a property of the draft, each State with its non-member flag (not a citation)."""
        for sp in self.doc.metadata.sponsors:
            if not sp.code:
                continue
            state = iri(self.entity("state", sp.code, state_label(sp.code)))
            self.add(d, _KG.sponsoredBy, state)
            ship = f"{d}#sponsor/{sp.code}"
            self.add(ship, _RDF.type, iri(_KG.Sponsorship))
            self.add(d, _KG.hasSponsorship, iri(ship))
            self.add(ship, _KG.sponsor, state)
            self.add(ship, _KG.nonMember, literal(sp.non_member))

    def _clauses(self, d: str) -> None:
        """Each clause with its id, position, text, verb, parent and footnotes."""
        doc = self.doc
        for n, c in enumerate(doc.clauses, 1):
            ci = f"{d}#{c.id}"
            self.add(ci, _RDF.type, iri(_KG.Clause))
            self.add(ci, _RDF.type, iri(_KG.PreambularClause if c.kind == "preambular" else _KG.OperativeClause))
            self.add(d, _KG.hasClause, iri(ci))
            self.add(ci, _KG.clauseId, literal(c.id))
            self.add(ci, _KG.position, literal(n))
            self.add(ci, _KG.text, literal(c.text.text))
            if c.verb:
                self.add(ci, _KG.verb, literal(c.verb))
            if "(" in c.id:
                self.add(ci, _KG.subParagraphOf, iri(f"{d}#{c.id[: c.id.rindex('(')]}"))
            for mk in c.markers:
                if doc.footnote(mk.number) is not None:
                    self.add(ci, _KG.pointsToFootnote, iri(f"{d}#fn{mk.number}"))

    def _footnotes(self, d: str) -> None:
        """Each footnote with its number and text."""
        for f in self.doc.footnotes:
            fi = f"{d}#{f.id}"
            self.add(fi, _RDF.type, iri(_KG.Footnote))
            self.add(d, _KG.hasFootnote, iri(fi))
            self.add(fi, _KG.clauseId, literal(f.id))
            self.add(fi, _KG.footnoteNumber, literal(f.number))
            self.add(fi, _KG.text, literal(f.text.text))

    # -- entities ------------------------------------------------------------

    def entity(self, type_: str, id: str, label: str | None = None) -> str:
        e = str(entity_iri(type_, id))
        if e in self.described:
            return e
        self.described.add(e)
        ent = self.registry.get(id) if type_ not in ("resolution", "document", "state") else None
        name = ent.name if ent else (state_label(id) if type_ == "state" else (label or id))
        if type_ in ("resolution", "document"):
            cls = _KG.Decision if "/DEC/" in id else TYPE_CLASS[type_]
            self.add(e, _RDF.type, iri(cls))
            self.add(e, _RDF.type, iri(_KG.Document))
            self.add(e, _DCT.identifier, literal(id))
            self.add(e, _KG.unSymbol, literal(id))
            self.add(e, _RDFS.seeAlso, iri(undocs_url(id)))
        else:
            self.add(e, _RDF.type, iri(self._class(type_, id, ent)))
            self.add(e, _RDF.type, iri(_KG.Citable))
        self.add(e, _KG.canonicalId, literal(id))
        self.add(e, _KG.referenceType, literal(type_))
        self.add(e, _SKOS.prefLabel, literal(name, lang="en"))
        if ent is not None:
            self._registry_facts(e, ent)
        if type_ == "sdg":
            # kg's own concept, matched to the UN SDG KOS's: kg never labels another authority's IRI
            self.add(e, _SKOS.exactMatch, iri(sdg_kos_iri(id)))
        if type_ == "state":
            self.add(e, _KG.isoCode, literal(id))
            self.add(e, _SKOS.exactMatch, iri(country_iri(id)))
        return e

    def _class(self, type_: str, id: str, ent: Entity | None) -> str:
        if type_ == "ilo":
            kinds = {"C": _KG.IloConvention, "P": _KG.IloProtocol, "R": _KG.IloRecommendation}
            return kinds.get(id[:1], _KG.IloDeclaration)
        if type_ == "sdg":
            return _KG.SdgGoal if "." not in id else _KG.SdgTarget
        if type_ == "treaty" and ((ent and ent.parent) or id.startswith(("OP-", "OPTIONAL-PROTOCOL", "PROTOCOL"))):
            return _KG.Protocol
        return TYPE_CLASS[type_]

    def _registry_facts(self, e: str, ent: Entity) -> None:
        for alias in ent.aliases:
            self.add(e, _SKOS.altLabel, literal(alias, lang="en"))
        for acr in ent.acronyms:
            self.add(e, _SKOS.altLabel, literal(acr, lang="en"))
        if ent.normlex:
            self.add(e, _KG.normlexCode, literal(ent.normlex))
            self.add(e, _RDFS.seeAlso, iri(normlex_url(ent.normlex)))
        if ent.notation:
            self.add(e, _SKOS.notation, literal(ent.notation))
        if ent.parent:
            parent = self.registry.get(ent.parent)
            if parent is not None:
                pi = iri(self.entity(parent.type, parent.id))
                self.add(e, _KG.sdgGoal if ent.type == "sdg" else _KG.protocolOf, pi)
        if ent.adopted_in:
            self.add(e, _KG.adoptedIn, iri(self.entity("resolution", ent.adopted_in)))
        for cite in ent.unts:
            self.unts(e, cite)

    def unts(self, e: str, cite: str) -> None:
        vol, no = cite.split("/")
        u = f"{UNTS}{vol}/{no}"
        self.add(u, _RDF.type, iri(_KG.UntsCitation))
        self.add(u, _KG.untsVolume, literal(int(vol)))
        self.add(u, _KG.untsNumber, literal(int(no)))
        self.add(u, _RDFS.label, literal(f"United Nations, Treaty Series, vol. {vol}, No. {no}"))
        self.add(e, _KG.untsCitation, iri(u))

    # -- citations -----------------------------------------------------------

    def references(self, d: str, refs: list[Reference]) -> None:
        """One citation per citing clause and cited entity, each with its mentions.

        A clause gives a citation one characterization (from its opening verb);
        ``kg:cites`` says once that the document cites the entity.
        """
        verb_of: dict[str, str] = {}
        doc = iri(d)
        for r in refs:
            if r.clause == "header" and r.type == "state":
                continue  # a sponsor: sponsorship of the draft (from its metadata), not a citation
            at = f"{r.start}-{r.end}"
            if r.id is None:
                u = f"{d}#unresolved/{at}/{r.type}"
                self.add(u, _RDF.type, iri(_KG.UnresolvedReference))
                self.add(u, _CITO.hasCitingEntity, doc)
                self.add(u, _KG.referenceType, literal(r.type))
                self.add(u, _KG.hasMention, iri(self.mention(d, f"{d}#mention/{at}/unresolved/{r.type}", r)))
                continue
            e = self.entity(r.type, r.id, r.label)
            key = citation_key(r.type, r.id)
            c = f"{d}#{r.clause}/cites/{key}"
            self.add(c, _RDF.type, iri(_KG.Citation))
            self.add(c, _RDF.type, iri(_CITO.Citation))
            self.add(c, _CITO.hasCitingEntity, doc)
            self.add(c, _CITO.hasCitedEntity, iri(e))
            self.add(c, _KG.citingPart, iri(f"{d}#{r.clause}"))
            self.add(d, _KG.cites, iri(e))
            if c not in verb_of:  # the first mention's verb: the clause's opening verb
                verb_of[c] = r.verb
                self.add(c, _CITO.hasCitationCharacterization, iri(characterization(r.verb)))
            self.add(c, _KG.hasMention, iri(self.mention(d, f"{d}#mention/{at}/{key}", r)))
            for cite in r.unts:
                self.unts(e, cite)
            if r.bound_to:
                bound = self.registry.get(r.bound_to)
                if bound is not None:
                    self.add(self.entity(bound.type, bound.id), _KG.adoptedIn, iri(e))

    def mention(self, d: str, m: str, r: Reference) -> str:
        """A span of the document (Web Annotation): its source, where it stands, a quote and a position."""
        self.add(m, _RDF.type, iri(_KG.Mention))
        self.add(m, _RDF.type, iri(_OA.SpecificResource))
        self.add(m, _OA.hasSource, iri(d))
        where = _KG.inHeader if r.clause == "header" else _KG.inFootnote if r.clause.startswith("fn") else _KG.inClause
        self.add(m, where, iri(f"{d}#{r.clause}"))
        if r.verb:
            self.add(m, _KG.verb, literal(r.verb))
        self.add(m, _KG.ratificationAsked, literal(r.ratification))
        if r.method:
            self.add(m, _KG.extractedBy, literal(r.method))
        source = self.doc.source
        quote, position = f"{m}/quote", f"{m}/position"
        self.add(m, _OA.hasSelector, iri(quote))
        self.add(quote, _RDF.type, iri(_OA.TextQuoteSelector))
        self.add(quote, _OA.exact, literal(r.text))
        self.add(quote, _OA.prefix, literal(source[max(0, r.start - QUOTE_CONTEXT): r.start]))
        self.add(quote, _OA.suffix, literal(source[r.end: r.end + QUOTE_CONTEXT]))
        self.add(m, _OA.hasSelector, iri(position))
        self.add(position, _RDF.type, iri(_OA.TextPositionSelector))
        self.add(position, _OA.start, literal(r.start))
        self.add(position, _OA.end, literal(r.end))
        return m


def series_title(title: str) -> str:
    """The title of the series a text belongs to: its title before any colon."""
    return title.split(":", 1)[0].strip()


def map_document(doc: Document, refs: list[Reference], registry: Registry | None = None) -> DocumentPart:
    """The part of the graph one document gives: a plain function of the document and its references.

    >>> from kg.extract.references import extract_references
    >>> from kg.read import bundled_corpus, read_document
    >>> [(d, refs)] = extract_references([read_document(bundled_corpus()[3])])
    >>> part = map_document(d, refs)
    >>> part.iri, len(part.cited) > 20, part.lines == sorted(part.lines)
    ('https://w3id.org/un-kg/doc/A/RES/64/293', True, True)
    """
    mapper = _Mapper(registry or load_registry(), doc)
    d = mapper.document()
    mapper.references(d, refs)
    md = doc.metadata
    cited = sorted({f"{r.type}/{r.id}" for r in refs if r.id is not None and not (r.clause == "header"
                                                                                   and r.type == "state")})
    adopted = bool(md.title and md.date and not md.draft)
    return DocumentPart(
        iri=str(d), path=doc.path, sha256=hashlib.sha256(doc.source.encode()).hexdigest(),
        file_sha256=file_sha256(doc.path),
        series=series_title(md.title) if adopted and md.title else None, date=md.date if adopted else None,
        clauses=len(doc.clauses), cited=cited, unresolved=sum(1 for r in refs if r.id is None),
        lines=sorted(mapper.lines))


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes ("" where it cannot be read): how --append tells an unchanged file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def corpus_lines(parts: list[DocumentPart]) -> list[str]:
    """What depends on the whole corpus: series predecessors and the build's provenance."""
    lines: list[str] = []
    # kg:follows: each adopted, dated text of a series to every text of the latest earlier date,
    # made once at build time so the series queries join on it (see queries/series_new_citations.rq)
    series: dict[str, dict[str, list[str]]] = {}
    for p in parts:
        if p.series and p.date:
            series.setdefault(p.series, {}).setdefault(p.date, []).append(p.iri)
    for by_date in series.values():
        dates = sorted(by_date)
        for earlier, later in zip(dates, dates[1:], strict=False):
            lines += [f"<{new}> <{KG.follows}> <{old}> .\n" for new in by_date[later] for old in by_date[earlier]]
    lines += cocitation_lines(parts)
    digest = hashlib.sha256(__version__.encode())
    for sha in sorted(p.sha256 for p in parts):
        digest.update(bytes.fromhex(sha))
    b = BUILD[digest.hexdigest()[:16]]
    agent = URIRef(f"https://w3id.org/un-kg/software/kg/{__version__}")
    triples: list[Triple] = [(b, RDF.type, PROV.Activity), (b, PROV.wasAssociatedWith, agent),
                             (agent, RDF.type, PROV.SoftwareAgent), (agent, RDFS.label, Literal(f"kg {__version__}"))]
    for p in parts:
        f = URIRef("urn:sha256:" + p.sha256)
        d = URIRef(p.iri)
        triples += [(f, RDF.type, PROV.Entity), (f, RDFS.label, Literal(Path(p.path).name)), (b, PROV.used, f),
                    (d, PROV.wasDerivedFrom, f), (d, PROV.wasGeneratedBy, b)]
    return lines + [nt_line(t) for t in triples]


def cocitation_lines(parts: list[DocumentPart]) -> list[str]:
    """Each pair of instruments cited by the same documents, with how many: counted once at build
    time from the parts (linear in the documents), so that queries/cocited_instruments.rq reads the
    counts instead of joining every document's citations with themselves (35 s on the corpus)."""
    instruments = set(INSTRUMENT_TYPES)
    pairs: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    for p in parts:
        cited = sorted({(i, t) for t, i in (key.split("/", 1) for key in p.cited) if t in instruments})
        for n, a in enumerate(cited):
            for b in cited[n + 1:]:
                if a[0] != b[0]:
                    pairs[(a, b)] += 1
    lines = []
    # the rank: most documents first, then by the two canonical ids, the order the query lists pairs in;
    # an integer to sort by, because ordering 19,000 rows by strings read from the on-disk store took
    # Oxigraph 1.4 of the query's 1.9 s (each comparison reads both strings again)
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0][0][0], item[0][1][0], item[0]))
    for rank, (((ia, ta), (ib, tb)), count) in enumerate(ranked, 1):
        c = URIRef(f"{BASE}cocitation/{citation_key(ta, ia)}/{citation_key(tb, ib)}")
        # (ia, ta) < (ib, tb) and ia != ib: the first by canonical id, as SPARQL's STR() < orders them
        lines += [nt_line((c, RDF.type, KG.CoCitation)), nt_line((c, KG.coCitedFirst, entity_iri(ta, ia))),
                  nt_line((c, KG.coCitedSecond, entity_iri(tb, ib))), nt_line((c, KG.documentCount, Literal(count))),
                  nt_line((c, KG.coCitationRank, Literal(rank)))]
    return lines


@dataclass
class GraphBuild:
    """The N-Triples lines of a build (sorted), the Oxigraph store holding them, and what was counted."""

    lines: list[str]
    store: pyoxigraph.Store
    summary: dict = field(default_factory=dict)
    parts: list[DocumentPart] = field(default_factory=list)
    results: list[tuple[Document, list[Reference]]] = field(default_factory=list)
    store_path: str | None = None  # where the store lies on disk (None: in memory)

    @cached_property
    def graph(self) -> Graph:
        """The store behind the rdflib API (oxrdflib), for code that needs rdflib (pySHACL)."""
        from oxrdflib.store import OxigraphStore
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        graph = Graph(store=OxigraphStore(store=self.store), identifier=DATASET_DEFAULT_GRAPH_ID)
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        return graph

    def ntriples(self) -> bytes:
        return "".join(self.lines).encode("utf-8")

    def drop_lines(self) -> None:
        """Let go of the N-Triples lines, the build's and its parts', once they are written.

        They are most of a build's memory (1.3 GB at 5.8 million triples); what comes after
        writing (the pages, the summary) reads the store and the parts' other fields.
        """
        self.lines = []
        for part in self.parts:
            part.lines = []
        give_back_memory()


def give_back_memory() -> None:
    """Hand the memory freed in this process back to the system where the C library can (glibc).

    Freed memory is otherwise kept for this process's own later use, which the processes that
    write JSON-LD and the pages beside it cannot have. Whole corpus: letting go of the lines took
    the build's process from 2.02 to 1.76 GB, and this to 1.54 GB (the rest is held by Python's
    allocator, whose blocks the parts' other fields keep in use); the process tree's summed peak
    went from 3.06-3.10 GB to 2.91-2.96 GB.
    """
    import ctypes
    import ctypes.util

    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return  # not glibc: nothing to ask
    trim(0)


class Assembler:
    """Joins document parts into one graph as they come.

    The same document twice (one symbol in two files, or two formats of one
    text) is built once, from the first part, so that its IRIs stay one node
    each; a later copy's lines are let go as it arrives (a quarter of a
    corpus's), which is why ``kg build`` hands parts over one by one.
    :meth:`finish` adds what depends on the whole corpus (labels given by the
    texts, series, co-citations, provenance) and loads the store.

    Loading the store while the workers still read was measured and left:
    on a machine whose cores the workers keep busy it moved the time, not
    saved it (whole corpus, 2 cores: 288.8 s then, 290.9 s so).
    """

    LOAD_SLICE = 200_000  # lines a bulk load: the graph is never one string in memory

    def __init__(self, store_path: str | Path | None = None) -> None:
        self.store_path = str(store_path) if store_path is not None else None
        self.store = pyoxigraph.Store(self.store_path) if self.store_path else pyoxigraph.Store()
        self.kept: list[DocumentPart] = []
        self.seen: dict[str, str] = {}  # document IRI -> the file it was built from
        self.duplicates: list[tuple[str, str]] = []
        # every part's lines in one list, sorted and made unique at the end: each part comes sorted, so
        # the sort merges runs, and a list costs a sixth of the set it replaces (268 MB at 5.6 million lines)
        self.pool: list[str] = []
        self.labels: dict[str, Counter[str]] = {}  # subject -> its prefLabel lines, by how many documents give each

    def add(self, part: DocumentPart) -> bool:
        """Take a part; False (and its lines let go) where its document was taken already."""
        if part.iri in self.seen:
            self.duplicates.append((self.seen[part.iri], part.path))
            part.lines = []
            return False
        self.seen[part.iri] = part.path
        self.kept.append(part)
        marker = _LABEL_MARKER
        for line in part.lines:
            if marker in line:
                self.labels.setdefault(line[: line.index(marker)], Counter())[line] += 1
            else:
                self.pool.append(line)
        return True

    def _load(self, lines: list[str]) -> None:
        for start in range(0, len(lines), self.LOAD_SLICE):
            self.store.bulk_load("".join(lines[start:start + self.LOAD_SLICE]).encode("utf-8"),
                                 pyoxigraph.RdfFormat.N_TRIPLES)

    def finish(self) -> GraphBuild:
        """The graph: the last lines loaded, the corpus-wide ones made, all lines sorted and unique."""
        pool, kept = self.pool, self.kept
        # an entity no registry names takes its label from the text: the same in most documents, then the
        # shortest, then the first in order, so one label whatever the order of the documents
        pool.extend(min(c, key=lambda ln: (-c[ln], len(ln), ln)) for c in self.labels.values())
        pool.extend(corpus_lines(kept))
        self.labels = {}
        pool.sort()
        ordered = [line for line, _same in groupby(pool)]
        self.pool = []
        self._load(ordered)
        by_type: dict[str, set[str]] = {}
        for p in kept:
            for key in p.cited:
                t, i = key.split("/", 1)
                by_type.setdefault(t, set()).add(i)
        summary = {
            "documents": len(kept), "clauses": sum(p.clauses for p in kept),
            "citations": sum(len(p.cited) for p in kept),
            "entities by type": {t: len(ids) for t, ids in sorted(by_type.items())},
            "unresolved references": sum(p.unresolved for p in kept), "triples": len(ordered),
        }
        if self.duplicates:
            summary["duplicates"] = [{"kept": k, "skipped": s} for k, s in self.duplicates]
        return GraphBuild(ordered, self.store, summary, parts=kept, store_path=self.store_path)


_LABEL_MARKER = f"> <{SKOS.prefLabel}> "


def assemble(parts: Iterable[DocumentPart], store_path: str | Path | None = None) -> GraphBuild:
    """One graph of document parts, in a store (in memory, or on disk at ``store_path``); see :class:`Assembler`."""
    assembler = Assembler(store_path)
    for part in parts:
        assembler.add(part)
    return assembler.finish()


def build_graph(results: Iterable[tuple[Document, list[Reference]]], registry: Registry | None = None,
                store_path: str | Path | None = None) -> GraphBuild:
    """The RDF graph of documents and their references.

    >>> from kg.extract.references import extract_references
    >>> from kg.read import bundled_corpus, read_document
    >>> built = build_graph(extract_references([read_document(bundled_corpus()[3])]))
    >>> built.summary["documents"], built.summary["citations"] > 100
    (1, True)
    """
    registry = registry or load_registry()
    results = list(results)
    built = assemble((map_document(doc, refs, registry) for doc, refs in results), store_path)
    kept = {p.path for p in built.parts}
    built.results = [(doc, refs) for doc, refs in results if doc.path in kept]
    return built


def part_to_json(part: DocumentPart) -> str:
    """A part as one JSON line (``kg build`` keeps them for ``--append``)."""
    # fields one level deep: asdict() deep-copies every line first, a third of writing at corpus size
    return json.dumps({f.name: getattr(part, f.name) for f in fields(part)}, ensure_ascii=False, sort_keys=True)


def part_from_json(text: str) -> DocumentPart:
    return DocumentPart(**json.loads(text))


def nt_term(t: URIRef | Literal) -> str:
    """An rdflib term in N-Triples syntax (rdflib's ``n3()`` writes long literals
    with triple quotes, which N-Triples does not allow)."""
    if isinstance(t, Literal):
        return literal(str(t), t.language, str(t.datatype) if t.datatype else None)
    return iri(t)


def nt_line(t: Triple) -> str:
    return triple_line(t[0], t[1], nt_term(t[2]))


def ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples text of the triples, one a line, in the order given."""
    return "".join(nt_line(t) for t in triples)
