"""The document model: what kg reads out of one resolution.

Every piece of text kept here is *clean* (no markup, page furniture or
footnote markers) and comes with a map back to character offsets in the file
as read, so that later stages report offsets into the file the user has.
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
