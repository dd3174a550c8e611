"""From paragraphs and footnotes to the document model.

A resolution reads: header lines, the enacting formula ("The General
Assembly,"), preambular paragraphs, numbered operative paragraphs with
lettered sub-paragraphs, then closing lines (meeting, date, vote). This
module finds each part, names clauses by the scheme (``pp3``, ``op2(g)``),
binds footnote markers to footnotes and resolves ``Ibid.``.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import InputError
from kg.models import Clause, Document, Footnote, MappedText, Marker
from kg.read.clean import clean_inline, take_markers
from kg.read.layout import Layout
from kg.read.metadata import is_closing, read_metadata
from kg.read.textmap import concat, slice_, strip
from kg.read.verbs import opening_verb

FORMULA = re.compile(
    r"^(?:The\s+)?(?:General Assembly|Human Rights Council|Economic and Social Council|Security Council"
    r"|[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|on|for|and|the|to|against|in))*),$"
)
INLINE_FORMULA = re.compile(
    r"^(The\s+(?:General Assembly|Human Rights Council|Economic and Social Council|Security Council|"
    r"[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|on|for|and|the))*))(?:,\s+|\s+(?=[a-z]+s\b))(?=[a-z])"
)
OPERATIVE = re.compile(r"^(\d{1,3})\.\s*(?=\S)")
SUBPARA = re.compile(r"^\(([a-z]{1,2}|[ivxl]{1,6})\)\s*(?=\S)")
ANNEX = re.compile(r"^(Annex(?:es)?(?:\s+[IVX]+)?|Appendix)\b", re.I)


def segment(path: str | Path, fmt: str, source: str, layout: Layout) -> Document:
    """Build a :class:`Document` from a layout of paragraphs and footnotes."""
    raw = [clean_inline(para, fold=False) for para in layout.paragraphs]
    raw = [r for r in raw if r.text.strip()]
    start = _formula_index([take_markers(r, set())[0] for r in raw])
    if start is None:
        # a decision: "The General Assembly, recalling ..., decides ..." in one paragraph
        for i, r in enumerate(raw[:80]):
            m = INLINE_FORMULA.match(r.text.strip())
            if m:
                lead = len(r.text) - len(r.text.lstrip())
                cut = lead + m.end()
                head = slice_(r, 0, lead + m.end(1))
                raw[i : i + 1] = [MappedText(head.text + ",", head.pos + head.pos[-1:]), strip(slice_(r, cut))]
                start = i
                break
    # Plain-digit markers ("Rights,1 the") exist only in PDF text, and never
    # in the header, where "Agenda item 3" is no footnote.
    plain = set(layout.footnotes) if layout.plain_markers else set()
    paragraphs: list[MappedText] = []
    markers: list[list[Marker]] = []
    for i, r in enumerate(raw):
        in_body = start is not None and i > start
        text, marks = take_markers(r, plain if in_body else set(), set(layout.footnotes) if in_body else None)
        paragraphs.append(text)
        markers.append(marks)

    if start is None:
        raise InputError(path, "no clauses found: no enacting formula (\"The General Assembly,\") "
                         "and no numbered operative paragraphs")
    header = paragraphs[:start]
    formula = paragraphs[start].text if start < len(paragraphs) and FORMULA.match(paragraphs[start].text) else ""
    body_start = start + 1 if formula else start

    clauses: list[Clause] = []
    closing: list[MappedText] = []
    pp = 0
    op = 0
    letter_parent: Clause | None = None
    last_letter = ""
    part = ""  # "B." in the second text of a resolution in parts (A/RES/80/84 A-B)
    parts = [_part_letter(header)]
    ended = annexed = False
    for i in range(body_start, len(paragraphs)):
        text, marks = paragraphs[i], markers[i]
        if ended and not annexed and FORMULA.match(text.text) and len(text.text) < 120:
            # the next text of a resolution in parts: its own formula and clauses
            letter = _part_letter(closing[-1:]) or chr(ord(parts[-1] or "A") + 1)
            parts.append(letter)
            part, pp, op, letter_parent, last_letter, ended = f"{letter}.", 0, 0, None, "", False
            continue
        if ended or is_closing(text.text) or ANNEX.match(text.text):
            annexed = annexed or bool(ANNEX.match(text.text))
            ended = True
            closing.append(text)
            continue
        m_op = OPERATIVE.match(text.text)
        m_sub = SUBPARA.match(text.text)
        if m_op:
            op += 1
            body, marks = _after(text, marks, m_op.end())
            clause = Clause(f"{part}op{op}", "operative", body, number=m_op.group(1), markers=marks)
            clause.verb = opening_verb(body.text, "operative")
            clauses.append(clause)
            letter_parent, last_letter = clause, ""
        elif m_sub and clauses:
            letter = m_sub.group(1)
            parent = letter_parent or clauses[-1]
            body, marks = _after(text, marks, m_sub.end())
            follows = len(letter) == 1 and last_letter and len(last_letter) == 1 and \
                ord(letter) == ord(last_letter) + 1
            is_roman = bool(re.fullmatch(r"[ivxl]+", letter)) and not follows
            base = parent.id
            if is_roman and last_letter:
                base = f"{parent.id}({last_letter})"
            else:
                last_letter = letter
            cid = f"{base}({letter})"
            clause = Clause(cid, parent.kind, body, number=letter, markers=marks, verb=parent.verb)
            clauses.append(clause)
        elif op == 0 and pp == 0 and text.text[:1].islower():
            # the body of a decision, run on from its formula
            op += 1
            clause = Clause(f"{part}op{op}", "operative", text, markers=list(marks))
            clause.verb = opening_verb(text.text, "operative") or opening_verb(text.text, "preambular")
            clauses.append(clause)
            letter_parent, last_letter = clause, ""
        elif op == 0:
            pp += 1
            clause = Clause(f"{part}pp{pp}", "preambular", text, markers=list(marks))
            clause.verb = opening_verb(text.text, "preambular")
            clauses.append(clause)
            letter_parent, last_letter = clause, ""
        elif clauses:
            # an unnumbered paragraph among operative ones continues the one before
            prev = clauses[-1]
            shift = len(prev.text.text) + 1
            prev.text = concat([prev.text, text], sep=" ")
            prev.markers.extend(Marker(mk.number, mk.offset + shift) for mk in marks)
    if not clauses:
        raise InputError(path, "no clauses found after the enacting formula")
    if len(parts) > 1:
        first = f"{parts[0] or 'A'}."
        for c in clauses:
            if not re.match(r"[A-Z]\.", c.id):
                c.id = first + c.id

    footnotes = _footnotes(layout, clauses)
    metadata = read_metadata(header, closing, formula)
    return Document(str(path), fmt, source, metadata, clauses, footnotes, header=header)


_PART_HEADING = re.compile(r"^([A-Z])\s+[A-Z0-9]")


def _part_letter(paragraphs: list[MappedText]) -> str:
    """The letter of a part heading ("B United Nations global communications policies"), if the last is one."""
    m = _PART_HEADING.match(paragraphs[-1].text.strip()) if paragraphs else None
    return m.group(1) if m else ""


def _after(text: MappedText, marks: list[Marker], cut: int) -> tuple[MappedText, list[Marker]]:
    body = slice_(text, cut)
    lead = len(body.text) - len(body.text.lstrip())
    body = strip(body)
    return body, [Marker(m.number, max(0, m.offset - cut - lead)) for m in marks]


def _formula_index(paragraphs: list[MappedText]) -> int | None:
    for i, p in enumerate(paragraphs[:80]):
        if len(p.text) < 120 and FORMULA.match(p.text) and not OPERATIVE.match(p.text) and len(paragraphs) > 1:
            return i
    # No formula (a Security Council draft, an extract): start at the first
    # paragraph that opens with a known verb or a number.
    for i, p in enumerate(paragraphs[:80]):
        if opening_verb(p.text, "preambular") and len(p.text) > 40:
            return i
    for i, p in enumerate(paragraphs):
        if OPERATIVE.match(p.text):
            return i
    return None


_IBID = re.compile(r"^\s*(?:See\s+)?Ibid\.?,?\s*", re.I)


def _footnotes(layout: Layout, clauses: list[Clause]) -> list[Footnote]:
    footnotes: list[Footnote] = []
    previous: Footnote | None = None
    for n in layout.footnote_order:
        text, _ = take_markers(clean_inline(layout.footnotes[n], fold=False), set())
        fn = Footnote(n, text)
        m = _IBID.match(text.text)
        if m and previous is not None:
            rest = text.text[m.end() :].strip(" .")
            fn.ibid_of = previous.ibid_of or previous.number
            fn.source = _ibid_source(previous.source, rest)
        else:
            fn.source = text.text
        footnotes.append(fn)
        previous = fn
    by_number = {f.number: f for f in footnotes}
    for clause in clauses:
        for mk in clause.markers:
            if mk.number in by_number and clause.id not in by_number[mk.number].clauses:
                by_number[mk.number].clauses.append(clause.id)
    return footnotes


def _ibid_source(before: str, rest: str) -> str:
    """What "Ibid., vol. 2237, No. 39574." stands for, given the note before.

    "Ibid." alone repeats the source; with details, the details replace the
    same details of the source ("vol. 2225, No. 39574" becomes "vol. 2237,
    No. 39574"), else they are appended.
    """
    if not rest:
        return before
    m = re.search(r"\bvol\.", before)
    if m and rest.startswith("vol."):
        return before[: m.start()] + rest + "."
    return f"{before.rstrip('.')}, {rest}."
