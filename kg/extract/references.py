"""Extract references: documents in, one record per reference out.

The clean texts of a document's parts (header lines, clauses, footnotes)
are joined into one text for spaCy, with a table of where each part starts,
so one ``nlp.pipe`` call serves a whole corpus and the pipeline loads once.
Every record points back into the file as read: ``text == source[start:end]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from kg import deadline
from kg.extract.find import pipeline, settle_overlaps
from kg.extract.footnotes import bind_footnotes
from kg.extract.link import Linker, Resolver
from kg.lexicon.patterns import reference_patterns
from kg.lexicon.registry import Registry, load_registry
from kg.models import Clause, Document, Link, MappedText, Mention, Reference
from kg.read.metadata import SPONSORS

SEPARATOR = "\n\n"
# the header line saying on whose report or proposal the text was adopted: "[on the report
# of the Third Committee (A/75/471, para. 80)]", "[on a proposal considered in plenary meeting (E/2024/L.22)]"
_REPORT_LINE = re.compile(r"\[\s*(?:on|without)\s[^\]]*\]?|\bon the (?:report|recommendation) of[^\]]*")


@dataclass(slots=True)
class Part:
    """One part of a document's text: a clause, a footnote, a header line."""

    id: str
    kind: str
    text: MappedText
    offset: int  # where it starts in the joined text
    verb: str = ""


def parts_of(doc: Document) -> list[Part]:
    """The parts kg reads references from, in reading order."""
    parts: list[Part] = []
    for h in doc.header:
        # the header counts only for the report line and the sponsors
        if _REPORT_LINE.search(h.text) or SPONSORS.match(h.text):
            parts.append(Part("header", "header", h, 0))
    for c in doc.clauses:
        parts.append(Part(c.id, c.kind, c.text, 0, c.verb))
    for f in doc.footnotes:
        parts.append(Part(f.id, "footnote", f.text, 0))
    return parts_of_offsets(parts)


# Unicode punctuation that matching reads as its ASCII twin, one character for
# one, so that offsets hold: "Secretary‑General" (U+2011) is "Secretary-General"
_PUNCTUATION = str.maketrans({"\u2011": "-", "\u2010": "-", "\u00ad": "-", "\u00a0": " ", "\u202f": " ",
                              "\u2009": " "})


PIECE = 500_000  # characters of joined text spaCy is given at once


def pieces(parts: list[Part], size: int | None = None) -> list[tuple[int, int]]:
    """Where to cut a document's joined text for spaCy: between parts, about ``size`` characters a piece.

    A long document goes through the pipeline in pieces, so that memory stays
    bounded (no part is cut; a single part longer than ``size`` is one piece).

    >>> ps = [Part(str(i), "operative", MappedText("x" * 10, []), 0) for i in range(5)]
    >>> ps = parts_of_offsets(ps)
    >>> pieces(ps, size=25)
    [(0, 22), (24, 46), (48, 58)]
    """
    size = size or PIECE
    if not parts:
        return [(0, 0)]
    cuts: list[tuple[int, int]] = []
    start = 0
    for i, p in enumerate(parts):
        end = p.offset + len(p.text.text)
        last = i == len(parts) - 1
        if last or parts[i + 1].offset + len(parts[i + 1].text.text) - start > size:
            cuts.append((start, end))
            if not last:
                start = parts[i + 1].offset
    return cuts


def parts_of_offsets(parts: list[Part]) -> list[Part]:
    """Give parts their offsets in the joined text (parts joined by the separator)."""
    offset = 0
    for p in parts:
        p.offset = offset
        offset += len(p.text.text) + len(SEPARATOR)
    return parts


def joined_text(parts: list[Part]) -> str:
    """The clean texts of the parts, one after the other, punctuation made plain for matching."""
    return SEPARATOR.join(p.text.text for p in parts).translate(_PUNCTUATION)


def extract_references(docs: Iterable[Document], batch_size: int = 16, resolvers: Mapping[str, Resolver] | None = None,
                       registry: Registry | None = None,
                       on_error: Callable[[Document, Exception], None] | None = None,
                       time_budget: float | None = None,
                       ) -> Iterator[tuple[Document, list[Reference]]]:
    """Each document with its references; the spaCy pipeline runs once for all.

    ``resolvers`` replaces the linking of some finding rules (see
    :data:`kg.extract.link.RESOLVERS`); ``registry`` is the lexicon to find
    and link names with (kg's own by default). With ``on_error``, a document
    whose extraction fails is handed to it and left out, and the others go
    through; without, the error is raised. With ``time_budget`` (seconds),
    a document that takes longer is stopped and handed to ``on_error`` as a
    :class:`kg.deadline.TimeBudgetExceeded` (see :mod:`kg.deadline`).

    >>> from kg.read import bundled_corpus, read_document
    >>> doc, refs = next(extract_references([read_document(bundled_corpus()[3])]))
    >>> any(r.id == "C029" for r in refs)
    True
    """
    registry = registry or load_registry()
    nlp = pipeline(registry)
    if time_budget:
        batch_size = 1  # each document through the whole pipeline before the next: one budget at a time

    def items() -> Iterator[tuple[object, tuple[Document, list[Part], int, bool]]]:
        for d in docs:
            if time_budget:
                deadline.arm(d.path, time_budget)  # disarmed once its references are made, below
            parts = parts_of(d)
            text = joined_text(parts)
            cuts = pieces(parts)
            for n, (start, end) in enumerate(cuts):
                yield _made_doc(nlp, text[start:end]), (d, parts, start, n == len(cuts) - 1)

    for doc, parts, gathered, error in _gathered(nlp.pipe(items(), as_tuples=True, batch_size=batch_size)):
        try:
            if error is not None:
                raise error
            mentions = settle_overlaps(gathered)
            kept = {id(m) for m in mentions}
            nested = [m for m in gathered if id(m) not in kept and m.rule == "registry"]
            refs = _references(doc, parts, mentions, registry, nested, resolvers)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(doc, exc)
            continue
        finally:
            if time_budget:
                deadline.disarm()  # before the caller gets the references: its time is not the document's
        yield doc, refs


def _gathered(piece_docs: Iterable) -> Iterator[tuple[Document, list[Part], list[Mention], BaseException | None]]:
    """The pieces of each document (they come in order) as one: its mentions in the joined text's offsets."""
    found: list[Mention] = []
    failed: BaseException | None = None
    for sdoc, (doc, parts, start, last) in piece_docs:
        failed = failed or sdoc.user_data.get("error")
        found.extend(m if not start else replace(m, start=m.start + start, end=m.end + start)
                     for m in sdoc._.mentions or [])
        if last:
            yield doc, parts, found, failed
            found, failed = [], None


# spaCy's tokenizer strips punctuation one character at a time and copies the rest each
# time: a run of thousands of "(" costs quadratic time. No name holds such a run, so
# the tokenizer gets blanks there, one for one, and the offsets hold.
_PUNCTUATION_RUN = re.compile(r"[^\w\s]{16,}")


def _made_doc(nlp, text: str):  # type: ignore[no-untyped-def]
    """A tokenized spaCy doc that keeps the text it was made from, for the rules that read text, not tokens."""
    try:
        tokens = _PUNCTUATION_RUN.sub(lambda m: " " * len(m.group(0)), text)
        sdoc = nlp.make_doc(tokens)
    except Exception as exc:  # noqa: BLE001 - kept on the doc, so one document never stops the pipe
        sdoc = nlp.make_doc("")
        sdoc.user_data["error"] = exc
        return sdoc
    sdoc.user_data["text"] = text
    return sdoc


def _references(doc: Document, parts: list[Part], mentions: list[Mention], registry,
                nested: list[Mention] | None = None, resolvers: Mapping[str, Resolver] | None = None,
                ) -> list[Reference]:
    starts = [p.offset for p in parts]
    linker = Linker(registry, doc.metadata.body, doc.metadata.symbol, resolvers)
    linker.nested = sorted(nested or [], key=lambda m: m.end)
    by_part: dict[int, list[tuple[Mention, list[Link]]]] = {}
    quotes = _QuoteMarks(parts)
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        part = parts[i]
        if m.end > part.offset + len(part.text.text):
            continue  # spans two parts: an artefact of joining
        if part.kind == "header" and not _header_keeps(part, m):
            continue
        if m.type == "state" and _is_place(part.text.text, m.start - part.offset):
            continue
        if _in_quoted_title(part.text.text, m.start - part.offset, quotes[i]):
            continue
        links = linker.link(m)
        for lk in links:
            linker.remember(lk.id, lk.type, lk.label)
        if links:
            by_part.setdefault(i, []).append((m, links))

    bind_footnotes(doc, parts, by_part, linker)

    refs: list[Reference] = []
    by_id = {c.id: c for c in doc.clauses}
    citing_verb = {f.id: _citing(by_id, f.clauses) for f in doc.footnotes}
    asks: dict[str, bool] = {}
    for i, found in sorted(by_part.items()):
        part = parts[i]
        verb, ratify_clause = part.verb, part.text.text
        if part.kind == "footnote":
            verb, ratify_clause = citing_verb.get(part.id, ("", ""))
        ratify = _asks_ratification(ratify_clause, asks)
        for m, links in found:
            s, e = part.text.source_span(m.start - part.offset, m.end - part.offset)
            for lk in links:
                refs.append(Reference(
                    file=doc.path, doc=doc.name, clause=part.id, start=s, end=e, text=doc.source[s:e],
                    type=lk.type, id=lk.id, label=lk.label, verb=verb,
                    ratification=ratify and lk.type in ("treaty", "ilo"), method=lk.method,
                    unts=[lk.unts] if lk.unts else [], bound_to=lk.bound_to, pattern=m.pattern))
    refs.extend(_sponsor_references(doc, refs))
    return refs


def _asks_ratification(clause: str, asks: dict[str, bool]) -> bool:
    """Whether a clause asks States to ratify: once a clause, not once for each of its footnotes."""
    if clause not in asks:
        asks[clause] = bool(reference_patterns()["ratification-ask"]["regex"].search(clause))
    return asks[clause]


def _citing(clauses: dict[str, Clause], clause_ids: list[str]) -> tuple[str, str]:
    """The verb and text of the first clause that points to a footnote."""
    for cid in clause_ids:
        if cid in clauses:
            return clauses[cid].verb, clauses[cid].text.text
    return "", ""


def _header_keeps(part: Part, m: Mention) -> bool:
    """In the header only the report line and the sponsors count."""
    text = part.text.text
    if SPONSORS.match(text):
        return m.type == "state"
    for b in _REPORT_LINE.finditer(text):
        if b.start() <= m.start - part.offset and m.end - part.offset <= b.end():
            return m.type in ("document", "body")
    return False


class _QuoteMarks(dict):
    """The quotation marks of each part, found when a part is first asked about: once a part, not once a mention."""

    def __init__(self, parts: list[Part]) -> None:
        super().__init__()
        self.parts = parts

    def __missing__(self, i: int) -> tuple[list[int], list[int]]:
        marks = self[i] = _quote_marks(self.parts[i].text.text)
        return marks


def _quote_marks(text: str) -> tuple[list[int], list[int]]:
    """Where the opening and closing quotation marks of a part are (found once a part, not once a mention)."""
    return [m.start() for m in re.finditer("“", text)], [m.start() for m in re.finditer("”", text)]


def _in_quoted_title(text: str, offset: int, marks: tuple[list[int], list[int]]) -> bool:
    """Inside 'entitled “...”': a title quoted whole names no entity of its own."""
    opens, closes = marks
    i = bisect_left(opens, offset) - 1
    opened = opens[i] if i >= 0 else -1
    j = bisect_left(closes, offset) - 1
    if opened < 0 or (j >= 0 and closes[j] > opened):
        return False
    return bool(re.search(r"\b(?:entitled|titled|theme)\s*$", text[max(0, opened - 30) : opened]))


def _is_place(text: str, offset: int) -> bool:
    """'Marrakech, Morocco': a State named after a city is a place, not a State."""
    before = text[max(0, offset - 40) : offset]
    return bool(re.search(r"\b(?:in|at|from)?\s*[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?,\s*$", before))


def _sponsor_references(doc: Document, refs: list[Reference]) -> list[Reference]:
    """Sponsors read from the header that the State matcher did not see (odd spellings)."""
    have = {r.id for r in refs if r.type == "state"}
    out = []
    for sp in doc.metadata.sponsors:
        if sp.code and sp.code not in have:
            # point at the name in the header where it can be found
            at = doc.source.find(sp.name.split(" (")[0])
            start, end = (at, at + len(sp.name.split(" (")[0])) if at >= 0 else (0, 0)
            out.append(Reference(doc.path, doc.name, "header", start, end, doc.source[start:end], "state",
                                 sp.code, sp.name, "", False, "sponsor", pattern="sponsor"))
    return out
