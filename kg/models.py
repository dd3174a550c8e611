"""The records passed between kg's stages, all in one place.

Reading gives a :class:`Document` (metadata, clauses, footnotes); every piece
of text kept there is *clean* (no markup, page furniture or footnote
markers) and comes with a map back to character offsets in the file as read,
so that later stages report offsets into the file the user has.

Extraction then gives, in turn: a :class:`Mention` (finding: a span and the
pattern that found it, nothing resolved), a :class:`Link` (linking: which
entity a mention means, and by which method), and a :class:`Reference` (the
record a user gets, with offsets into the file, clause and verb).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class MappedText:
    """A clean string with, for each character, its offset in the source.

    ``pos[i]`` is the source offset of ``text[i]``; characters that kg
    inserted (a space joining two lines) map to the source character they
    stand for. ``source_span`` turns a clean span into a source span.
    """

    text: str = ""
    pos: list[int] = field(default_factory=list)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets ``[s, e)`` covering the clean span ``[start, end)``."""
        if end <= start:
            p = self.pos[start] if start < len(self.pos) else (self.pos[-1] + 1 if self.pos else 0)
            return p, p
        return self.pos[start], self.pos[end - 1] + 1

    def __len__(self) -> int:
        return len(self.text)


@dataclass(slots=True)
class Marker:
    """A footnote marker in a clause: footnote ``number`` at clean offset ``offset``."""

    number: int
    offset: int


@dataclass(slots=True)
class Clause:
    """A preambular or operative paragraph, or a lettered sub-paragraph.

    ``id`` follows the scheme: ``pp3``, ``op7``, ``op2(g)``, ``fn4``.
    ``verb`` is the opening verb phrase in lower case ("taking note with
    appreciation of", "urges"), empty where none could be told.
    """

    id: str
    kind: str  # "preambular" | "operative" | "footnote"
    text: MappedText
    verb: str = ""
    number: str = ""
    markers: list[Marker] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The clause as plain JSON, without the offset map."""
        return {
            "id": self.id,
            "kind": self.kind,
            "verb": self.verb,
            "text": self.text.text,
            "start": self.text.pos[0] if self.text.pos else None,
            "end": self.text.pos[-1] + 1 if self.text.pos else None,
            "footnotes": [m.number for m in self.markers],
        }


@dataclass(slots=True)
class Footnote:
    """A footnote: its number, clean text, and the clauses that point to it.

    ``source`` is the text with ``Ibid.`` resolved: the source of the footnote
    before, with this footnote's own details (``vol. 2237, No. 39574``).
    """

    number: int
    text: MappedText
    clauses: list[str] = field(default_factory=list)
    source: str = ""
    ibid_of: int | None = None

    @property
    def id(self) -> str:
        return f"fn{self.number}"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text.text,
            "source": self.source,
            "ibid_of": self.ibid_of,
            "clauses": self.clauses,
        }


@dataclass(slots=True)
class Sponsor:
    """A sponsor of a draft: the name as printed, ISO alpha-3, non-member flag."""

    name: str
    code: str | None
    non_member: bool = False


@dataclass(slots=True)
class Metadata:
    """What the header and the closing lines say about the document."""

    symbol: str | None = None
    body: str | None = None
    session: str | None = None
    agenda_item: str | None = None
    date: str | None = None
    title: str | None = None
    draft: bool = False
    sponsors: list[Sponsor] = field(default_factory=list)
    meeting: str | None = None
    vote: str | None = None
    number: str | None = None  # the resolution number as printed: "75/158"
    report: str | None = None  # "[on the report of the Third Committee (A/75/471, ...)]"

    def to_json(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "body": self.body,
            "session": self.session,
            "date": self.date,
            "agenda_item": self.agenda_item,
            "title": self.title,
            "draft": self.draft,
            "sponsors": [s.code or s.name for s in self.sponsors],
            "non_member_sponsors": [s.code or s.name for s in self.sponsors if s.non_member],
            "meeting": self.meeting,
            "vote": self.vote,
        }


@dataclass(slots=True)
class Document:
    """One resolution as read: source text, metadata, clauses and footnotes.

    ``source`` is the file as read (UTF-8 decoded; for a PDF, the text of its
    pages), the text every offset points into. ``header`` holds the clean
    header lines, in which the extractor finds the report symbol and sponsors.
    """

    path: str
    format: str
    source: str
    metadata: Metadata
    clauses: list[Clause]
    footnotes: list[Footnote]
    header: list[MappedText] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The document's name in output: its symbol, else the file's stem."""
        from pathlib import Path

        return self.metadata.symbol or Path(self.path).stem

    @property
    def preambular(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "preambular" and "(" not in c.id]

    @property
    def operative(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "operative" and "(" not in c.id]

    def footnote(self, number: int) -> Footnote | None:
        for f in self.footnotes:
            if f.number == number:
                return f
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "doc": self.name,
            "format": self.format,
            "metadata": self.metadata.to_json(),
            "clauses": [c.to_json() for c in self.clauses],
            "footnotes": [f.to_json() for f in self.footnotes],
        }


def clause_at(starts: list[int], offset: int) -> int:
    """Index of the range (given by sorted ``starts``) holding ``offset``."""
    return max(0, bisect_right(starts, offset) - 1)


@dataclass(slots=True)
class Mention:
    """A span of a document's text that names something outside it: what finding gives.

    ``pattern`` is the id of the pattern that fired (``resolution-number``,
    ``registry-name``, ...), ``rule`` its family, which picks the resolver
    that links it. ``key`` is what a lexicon matcher matched on (a registry
    id, a State code); ``groups`` what a pattern read, for the resolver.
    """

    start: int
    end: int
    type: str
    rule: str
    text: str
    pattern: str = ""
    key: str | None = None
    groups: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Link:
    """A mention with the entity it means (``id`` None: unresolved, kept for review).

    ``method`` says how it was resolved (``symbol``, ``alias``, ``anaphora``,
    ``unts-bound``, ...); ``unts`` the Treaty Series citation that identified
    it; ``bound_to`` the entity whose footnote this resolution adopted.
    """

    mention: Mention
    id: str | None
    type: str
    label: str
    method: str
    unts: str | None = None
    bound_to: str | None = None


@dataclass(slots=True)
class Reference:
    """One reference as a user gets it: where it is, what it says, which entity it means."""

    file: str
    doc: str
    clause: str
    start: int
    end: int
    text: str
    type: str
    id: str | None
    label: str
    verb: str
    ratification: bool
    method: str  # how it was linked (Link.method): "symbol", "alias", "anaphora", ...
    unts: list[str] = field(default_factory=list)
    bound_to: str | None = None  # footnote-bound name this reference identifies
    pattern: str = ""  # the pattern that found it

    def to_record(self) -> dict[str, Any]:
        """The JSON-lines record of ../shared/spec/reference-scheme.md."""
        rec: dict[str, Any] = {
            "file": self.file, "doc": self.doc, "clause": self.clause, "start": self.start,
            "end": self.end, "text": self.text, "type": self.type, "id": self.id,
            "label": self.label, "verb": self.verb, "ratification": self.ratification,
        }
        if self.unts:
            rec["unts"] = self.unts
        if self.bound_to:
            rec["bound_to"] = self.bound_to
        if self.pattern:
            rec["pattern"] = self.pattern
        return rec
