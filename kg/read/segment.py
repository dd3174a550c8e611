"""From paragraphs and footnotes to the document model.

A resolution reads: header lines, the enacting formula ("The General
Assembly,"), preambular paragraphs, numbered operative paragraphs with
lettered sub-paragraphs, then closing lines (meeting, date, vote). This
module finds each part, names clauses by the scheme (``pp3``, ``op2(g)``),
binds footnote markers to footnotes and resolves ``Ibid.``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from kg.errors import InputError
from kg.models import Clause, Document, Footnote, MappedText, Marker
from kg.read.clean import clean_inline, take_markers
from kg.read.layout import Layout
from kg.read.metadata import is_closing, read_metadata
from kg.read.textmap import concat, slice_, strip
from kg.read.verbs import opening_verb

# The enacting formula: a body's name alone on its line, "The General Assembly,"
FORMULA = re.compile(r"^(?:The\s+)?(?:[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|on|for|and|the|to|against|in))*),$")
# ... or without its comma ("The General Assembly" / "Adopts the political declaration ..."), when
# a clause's verb opens the next paragraph
BARE_FORMULA = re.compile(r"^The\s+[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|on|for|and|the|to|against|in))*$")
INLINE_FORMULA = re.compile(
    r"^(The\s+(?:[A-Z][\w’'\-]*(?:\s+(?:[A-Z][\w’'\-]*|of|on|for|and|the))*))(?:,\s+|\s+(?=[a-z]+s\b))(?=[a-z])"
)
OPERATIVE = re.compile(r"^(\d{1,3})\.\s*(?=\S)")
SUBPARA = re.compile(r"^\(([a-z]{1,2}|[ivxl]{1,6})\)\s*(?=\S)")
ANNEX = re.compile(r"^(Annex(?:es)?(?:\s+[IVX]+)?|Appendix)\b", re.I)


def segment(path: str | Path, fmt: str, source: str, layout: Layout) -> Document:
    """Build a :class:`Document` from a layout of paragraphs and footnotes."""
    raw = [clean_inline(para, fold=False) for para in layout.paragraphs]
    raw = [r for r in raw if r.text.strip()]
    folded = _Folded(raw)
    start = _formula_index(folded)
    if start is None:
        start = _split_inline_formula(raw)
        folded = _Folded(raw)  # the paragraphs changed
    if start is None:
        raise InputError(path, "no clauses found: no enacting formula (\"The General Assembly,\") "
                         "and no numbered operative paragraphs")
    paragraphs, markers = _take_markers(raw, start, layout, folded)
    header = paragraphs[:start]
    formula = paragraphs[start].text if start < len(paragraphs) and _is_formula(paragraphs, start) else ""
    walk = _ClauseWalk(_part_letter(header))
    for i in range(start + 1 if formula else start, len(paragraphs)):
        walk.feed(paragraphs[i], markers[i], _is_formula(paragraphs, i))
    clauses = walk.finish()
    if not clauses:
        raise InputError(path, "no clauses found after the enacting formula")
    footnotes = _footnotes(layout, clauses)
    metadata = read_metadata(header, walk.closing, formula)
    return Document(str(path), fmt, source, metadata, clauses, footnotes, header=header)


def _split_inline_formula(raw: list[MappedText]) -> int | None:
    """A decision: "The General Assembly, recalling ..., decides ..." in one paragraph, split after the formula."""
    for i, r in enumerate(raw[:80]):
        m = INLINE_FORMULA.match(r.text.strip())
        if m:
            lead = len(r.text) - len(r.text.lstrip())
            cut = lead + m.end()
            head = slice_(r, 0, lead + m.end(1))
            raw[i : i + 1] = [MappedText(head.text + ",", head.pos + head.pos[-1:]), strip(slice_(r, cut))]
            return i
    return None


class _Folded:
    """The paragraphs with their superscript markers out and blanks folded, each made when first read.

    Finding the enacting formula reads the first few paragraphs, not all
    (it had folded every paragraph, then :func:`_take_markers` did again);
    the header's, made the same way, are kept for the document.
    """

    def __init__(self, raw: list[MappedText]) -> None:
        self.raw = raw
        self.made: dict[int, tuple[MappedText, list[Marker]]] = {}

    def __len__(self) -> int:
        return len(self.raw)

    def taken(self, i: int) -> tuple[MappedText, list[Marker]]:
        if i not in self.made:
            self.made[i] = take_markers(self.raw[i], set())
        return self.made[i]

    def __getitem__(self, i: int) -> MappedText:
        return self.taken(i)[0]


def _take_markers(raw: list[MappedText], start: int, layout: Layout,
                  folded: _Folded) -> tuple[list[MappedText], list[list[Marker]]]:
    """Each paragraph without its footnote markers, and the markers.

    Plain-digit markers ("Rights,1 the") exist only in PDF text, and never in
    the header, where "Agenda item 3" is no footnote: there a paragraph is
    what ``folded`` made of it.
    """
    plain = set(layout.footnotes) if layout.plain_markers else set()
    paragraphs: list[MappedText] = []
    markers: list[list[Marker]] = []
    for i, r in enumerate(raw):
        in_body = i > start
        if in_body:
            text, marks = take_markers(r, plain, set(layout.footnotes))
        else:
            text, marks = folded.taken(i)
        paragraphs.append(text)
        markers.append(marks)
    return paragraphs, markers


class _ClauseWalk:
    """Paragraphs after the formula to clauses: preambular, numbered operative, lettered sub-paragraphs.

    Closing lines (meeting, vote, date) and annexes end the clauses; in a
    resolution in parts (A/RES/80/84 A-B) a new formula after the closing
    lines starts the next text, whose clause ids take its letter ("B.op5").
    """

    def __init__(self, first_part: str) -> None:
        self.clauses: list[Clause] = []
        self.ids: set[str] = set()  # every clause id so far: a repeated one is never minted
        self.closing: list[MappedText] = []
        self.pp = self.op = 0
        self.letter_parent: Clause | None = None
        self.last_letter = ""
        self.part = ""
        self.parts = [first_part]
        self.ended = self.annexed = False

    def feed(self, text: MappedText, marks: list[Marker], formula: bool = False) -> None:
        if self.ended and not self.annexed and formula:
            letter = _part_letter(self.closing[-1:]) or chr(ord(self.parts[-1] or "A") + 1)
            self.parts.append(letter)
            self.part, self.pp, self.op, self.letter_parent, self.last_letter = f"{letter}.", 0, 0, None, ""
            self.ended = False
            return
        if self.ended or is_closing(text.text) or ANNEX.match(text.text):
            self.annexed = self.annexed or bool(ANNEX.match(text.text))
            self.ended = True
            self.closing.append(text)
            return
        m_op = OPERATIVE.match(text.text)
        m_sub = SUBPARA.match(text.text)
        if m_op:
            body, marks = _after(text, marks, m_op.end())
            self.new_clause("op", body, marks, opening_verb(body.text, "operative"), m_op.group(1))
        elif m_sub and self.clauses:
            self.subparagraph(text, marks, m_sub)
        elif self.op == 0 and self.pp == 0 and text.text[:1].islower():
            # the body of a decision, run on from its formula
            verb = opening_verb(text.text, "operative") or opening_verb(text.text, "preambular")
            self.new_clause("op", text, list(marks), verb)
        elif self.op == 0 and opening_verb(text.text, "operative") and not opening_verb(text.text, "preambular"):
            # an unnumbered operative paragraph ("Adopts the political declaration ...", "Resolves that:")
            self.new_clause("op", text, list(marks), opening_verb(text.text, "operative"))
        elif self.op == 0:
            self.new_clause("pp", text, list(marks), opening_verb(text.text, "preambular"))
        elif self._starts_section_preamble(text.text):
            # an omnibus resolution's next section ("V / Umoja / Recalling ... / Having
            # considered ... / 1. Takes note"): its preamble is preambular again
            self.new_clause("pp", text, list(marks), opening_verb(text.text, "preambular"))
        elif self.clauses:
            # an unnumbered paragraph among operative ones continues the one before
            self.continue_last(text, marks)

    def _starts_section_preamble(self, text: str) -> bool:
        """A capitalised paragraph opening with a preambular verb, not after a colon (a quoted text)."""
        last = self.clauses[-1].text.text.rstrip() if self.clauses else ""
        return bool(text[:1].isupper() and opening_verb(text, "preambular") and last[-1:] != ":")

    def continue_last(self, text: MappedText, marks: list[Marker]) -> None:
        prev = self.clauses[-1]
        shift = len(prev.text.text) + 1
        prev.text = concat([prev.text, text], sep=" ")
        prev.markers.extend(Marker(mk.number, mk.offset + shift) for mk in marks)

    def new_clause(self, kind: str, body: MappedText, marks: list[Marker], verb: str, number: str | None = None,
                   ) -> None:
        if kind == "op":
            self.op += 1
            clause = Clause(f"{self.part}op{self.op}", "operative", body, number=number, markers=marks)
        else:
            self.pp += 1
            clause = Clause(f"{self.part}pp{self.pp}", "preambular", body, markers=marks)
        clause.verb = verb
        self.ids.add(clause.id)
        self.clauses.append(clause)
        self.letter_parent, self.last_letter = clause, ""

    def subparagraph(self, text: MappedText, marks: list[Marker], m_sub: re.Match[str]) -> None:
        """"(a)", "(b)", and "(i)" under a letter: ids op2(g), op2(g)(i)."""
        letter = m_sub.group(1)
        parent = self.letter_parent or self.clauses[-1]
        body, marks = _after(text, marks, m_sub.end())
        last = self.last_letter
        follows = len(letter) == 1 and last and len(last) == 1 and ord(letter) == ord(last) + 1
        is_roman = bool(re.fullmatch(r"[ivxl]+", letter)) and not follows
        base = parent.id
        if is_roman and last:
            base = f"{parent.id}({last})"
        else:
            self.last_letter = letter
        cid = f"{base}({letter})"
        if cid in self.ids:
            # a second "(a)" under one parent: the list belongs to a numbered paragraph the text
            # did not show as one; it continues the clause before, so that ids stay one node each
            self.continue_last(text, marks)
            return
        self.ids.add(cid)
        self.clauses.append(Clause(cid, parent.kind, body, number=letter, markers=marks, verb=parent.verb))

    def finish(self) -> list[Clause]:
        """The clauses; in a resolution in parts, the first part's ids take its letter too ("A.pp1")."""
        if len(self.parts) > 1:
            first = f"{self.parts[0] or 'A'}."
            for c in self.clauses:
                if not re.match(r"[A-Z]\.", c.id):
                    c.id = first + c.id
        return self.clauses


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


def _is_formula(paragraphs: Sequence[MappedText] | _Folded, i: int) -> bool:
    """Whether paragraph ``i`` is an enacting formula ("The General Assembly," or, before a verb, without comma)."""
    text = paragraphs[i].text
    if len(text) >= 120:
        return False
    if FORMULA.match(text):
        return True
    following = paragraphs[i + 1].text if i + 1 < len(paragraphs) else ""
    return bool(len(text) < 80 and BARE_FORMULA.match(text)
                and (opening_verb(following, "operative") or opening_verb(following, "preambular")))


def _formula_index(paragraphs: _Folded) -> int | None:
    first = range(min(80, len(paragraphs)))
    for i in first:
        if _is_formula(paragraphs, i) and not OPERATIVE.match(paragraphs[i].text) and len(paragraphs) > 1:
            return i
    # No formula (a Security Council draft, an extract): start at the first
    # paragraph that opens with a known verb or a number.
    for i in first:
        if opening_verb(paragraphs[i].text, "preambular") and len(paragraphs[i].text) > 40:
            return i
    for i in range(len(paragraphs)):
        if OPERATIVE.match(paragraphs[i].text):
            return i
    return None


_IBID = re.compile(r"^\s*(?:See\s+)?Ibid\.?,?\s*", re.I)


def _footnotes(layout: Layout, clauses: list[Clause]) -> list[Footnote]:
    footnotes: list[Footnote] = []
    previous: Footnote | None = None
    by_number: dict[int, Footnote] = {}
    for n in layout.footnote_order:
        text, _ = take_markers(clean_inline(layout.footnotes[n], fold=False), set())
        fn = Footnote(n, text)
        m = _IBID.match(text.text)
        if m and previous is not None:
            rest = text.text[m.end() :].strip(" .")
            fn.ibid_of = previous.ibid_of or previous.number
            # "Ibid." alone repeats the note before; with details, they apply to the note the
            # chain started from, so a chain of "Ibid., p. N" never grows note by note
            root = by_number.get(fn.ibid_of, previous)
            fn.source = previous.source if not rest else _ibid_source(root.source, rest)
        else:
            fn.source = text.text
        by_number.setdefault(n, fn)
        footnotes.append(fn)
        previous = fn
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
