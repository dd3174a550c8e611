"""Footnotes: what they identify, bound to the names before their markers.

A UN Treaty Series citation identifies the treaty named before the marker;
a resolution in the footnote of an instrument's name records that the
resolution adopted it; "Ibid." repeats the note before. Where no name was
found before a marker whose footnote gives a resolution or a document, the
phrase there is itself an instrument: "their political declarations,
entitled “Universal health coverage: ...”⁷" with "⁷ See resolution 74/2.",
or "the World Health Organization global action plan on physical activity
2018–2030,³" with a WHO document in the footnote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.link import Linker, slug
from kg.lexicon.patterns import reference_patterns
from kg.models import Document, Link, Mention

if TYPE_CHECKING:
    from kg.extract.references import Part


def bind_footnotes(doc: Document, parts: list[Part], by_part: dict, linker: Linker) -> None:
    """Bind each footnote's identifiers to the name before its marker.

    A UN Treaty Series citation identifies the treaty named before the
    marker; a resolution in the footnote of an instrument's name records
    that the resolution adopted it; "Ibid." repeats the note before.
    """
    index = {p.id: i for i, p in enumerate(parts)}
    # each clause's markers by footnote number, so that a clause with thousands of markers
    # is not scanned once per footnote
    markers: dict[tuple[str, int], list[int]] = {}
    for c in doc.clauses:
        for mk in c.markers:
            markers.setdefault((c.id, mk.number), []).append(mk.offset)
    ends = _EndIndex(by_part)
    prev_links: list[Link] = []
    for f in doc.footnotes:
        fi = index.get(f.id)
        if fi is None:
            continue
        found = by_part.get(fi, [])
        links = [lk for _, ls in found for lk in ls]
        if not found and f.ibid_of is not None and prev_links:
            # "Ibid." alone: the source of the note before, with its identifiers
            word = f.text.text[:6].rstrip()  # "Ibid.", "Ibid.," or "Ibid," without the space after it
            m = Mention(parts[fi].offset, parts[fi].offset + len(word), "other", "ibid", word, "ibid")
            copies = [replace(lk, mention=m, method="ibid") for lk in prev_links if lk.id]
            if copies:
                by_part[fi] = [(m, copies)]
                links = copies
        for clause_id in f.clauses:
            ci = index.get(clause_id)
            if ci is None:
                continue
            offsets = markers.get((clause_id, f.number), [])
            ante = _antecedent_at(offsets, ends.near(ci, parts[ci]))
            if ante is None and fi in by_part and offsets:
                ante = _footnote_instrument(offsets[0], parts[ci], ci, by_part, links, linker)
            if ante is None or fi not in by_part:
                continue
            by_part[fi] = [(m, [_bound(lk, ante) for lk in ls]) for m, ls in by_part[fi]]
            links = [lk for _, ls in by_part[fi] for lk in ls]
        prev_links = links or prev_links


def _bound(lk: Link, ante: Link) -> Link:
    """A footnote's link once bound to the name before the marker (``ante``)."""
    if lk.method == "unts-unknown" and ante.type in ("treaty", "ilo"):
        lk = replace(lk, id=ante.id, type=ante.type, label=ante.label, method="unts-bound")
    if lk.type == "resolution" and ante.type in ("instrument", "other", "treaty") and ante.id:
        lk = replace(lk, bound_to=ante.id)
    return lk


class _EndIndex:
    """The mentions of each part by where they end, so that finding the name before a marker is a
    bisection, not a scan of the whole clause for each of its footnotes."""

    def __init__(self, by_part: dict) -> None:
        self.by_part = by_part
        self.cache: dict[int, tuple[int, list[int], list[int]]] = {}

    def near(self, ci: int, part: Part):  # type: ignore[no-untyped-def]
        found = self.by_part.get(ci, [])
        cached = self.cache.get(ci)
        if cached is None or cached[0] != len(found):
            order = sorted(range(len(found)), key=lambda k: found[k][0].end)
            cached = (len(found), [found[k][0].end - part.offset for k in order], order)
            self.cache[ci] = cached
        _n, ends, order = cached
        return lambda at: [found[order[k]] for k in range(bisect_left(ends, at - 3), bisect_right(ends, at))]


def _antecedent_at(offsets: list[int], near) -> Link | None:  # type: ignore[no-untyped-def]
    """The name that ends right before a marker of the footnote (within 3 characters)."""
    for offset in offsets:
        candidates = near(offset)
        if candidates:
            # the last of them in reading order decides, as a reader takes the nearest name
            _m, links = max(candidates, key=lambda item: item[0].start)
            if len(links) == 1:
                return links[-1]
    return None


_DETERMINER = re.compile(r"\b(?:the|its|their)\s")
_REACH = 600
_FORBIDDEN = re.compile(r"[,;:.()“”\[\]]")


def _titled_span(before: str, pats: dict) -> tuple[int, int] | None:
    """A quoted title ending at the marker, when it is the title of an instrument ("declarations, entitled “...”")."""
    if not before.rstrip(" ,.;").endswith("”") or "entitled" not in before:
        return None
    titled = pats["entitled-title"]["regex"].search(before, max(0, before.rfind("entitled") - 170))
    if titled and pats["instrument-head-word"]["regex"].search(titled.group("subject")):
        return titled.span("title")
    return None


def _noun_phrase_span(before: str, pats: dict, linker: Linker) -> tuple[int, int] | None:
    """The nearest noun phrase ending at the marker, from its determiner, that holds an instrument's head word.

    "the political declaration of the high-level meeting" rather than "the high-level meeting".
    """
    end = len(before.rstrip())
    if end and before[end - 1] in ",;":
        end -= 1
    end = len(before[:end].rstrip())
    last_forbidden = max((m.start() for m in _FORBIDDEN.finditer(before, 0, end)), default=-1)
    head_rx = pats["instrument-head-word"]["regex"]
    for det in reversed(list(_DETERMINER.finditer(before, last_forbidden + 1, end))):
        start = det.end()
        while start < end and before[start].isspace():
            start += 1
        phrase = before[start:end]
        if pats["resolution-keyword"]["regex"].search(phrase):
            # "the guidelines approved by the Assembly in its resolution 33/71 E of ...": the footnote
            # gives that resolution's report; the phrase is no name
            return None
        if len(phrase) >= 3 and head_rx.search(phrase):
            start += _publisher_length(phrase, linker)
            words = len(before[start:end].split())
            return (start, end) if 2 <= words <= 30 else None  # "the declaration" alone is anaphora
    return None


def _footnote_instrument(marker: int, part: Part, ci: int, by_part: dict, links: list[Link],
                         linker: Linker) -> Link | None:
    """An instrument named only by the phrase before a marker whose footnote says where it is."""
    if not any(lk.type in ("resolution", "document") and lk.id for lk in links):
        return None
    pats = reference_patterns()
    # a name before a marker is never longer than this; reading only this stretch
    # keeps the end-anchored patterns linear in the clause
    base = max(0, marker - _REACH)
    before = part.text.text[base:marker]
    span = _titled_span(before, pats) or _noun_phrase_span(before, pats, linker)
    if span is None:
        return None
    start, end = base + span[0], base + span[1]
    text = part.text.text[start:end]
    label = re.sub(r"\s+", " ", text).strip()
    label = label[:1].upper() + label[1:]
    m = Mention(part.offset + start, part.offset + end, "instrument", "footnote", text, "footnote-instrument")
    ent = linker.registry.lookup(label)
    link = Link(m, ent.id, ent.type, ent.name, "alias") if ent is not None else \
        Link(m, slug(label), "instrument", label, "footnote-bound")
    # names nested in the instrument's name are no references of their own
    kept = [(n, ls) for n, ls in by_part.get(ci, []) if not (m.start <= n.start and n.end <= m.end)]
    by_part[ci] = sorted([*kept, (m, [link])], key=lambda item: item[0].start)
    return link


def _publisher_length(phrase: str, linker: Linker) -> int:
    """The length of a publisher's name that opens a phrase ("World Health Organization global action plan")."""
    words = phrase.split(" ")
    for n in range(min(len(words) - 1, 8), 0, -1):
        name = " ".join(words[:n])
        ent = linker.registry.lookup(name.rstrip("’'s"))
        if ent is not None and ent.type == "body":
            return len(name) + 1
    return 0
