"""From the lines of a text file to paragraphs and footnotes.

One algorithm serves the three text shapes users have (markdown converted
from PDF, text rendered from AKN4UN, raw PDF text): a paragraph is a run of
non-blank lines; page furniture (job numbers, barcodes, running heads, page
numbers) is dropped; a footnote block (after a rule, or lines opening with a
superscript number) is taken out; and a paragraph cut in two by a page break
or a footnote block is joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.models import MappedText
from kg.read.textmap import concat, from_source, strip

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

# Page furniture, one line each. See ../shared/spec/reference-scheme.md.
FURNITURE = [
    re.compile(r"^(GE\.)?\d{2}-\d{4,6}\s*\(E\)(\s+\d{6}){0,2}\s*$"),  # job number
    re.compile(r"^\d{2}-\d{5}$"),  # job number in a running foot
    re.compile(r"^\*\s?\d[\d ]*\*$"),  # barcode
    re.compile(r"^Please recycle\b.*$", re.I),
    re.compile(r"^\d{1,3}/\d{1,3}$"),  # page 2/5 (but see _numbers_not_pages)
    re.compile(r"^Page \d+( of \d+)?$", re.I),
]
PAGE_NUMBER = re.compile(r"^(\d{1,3})/(\d{1,3})$")
# the fewest characters a printed page of a resolution holds (a full page holds about 3,500;
# the last page of a two-page one, 1,000)
MIN_PAGE_CHARS = 500
RULE = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,}|—{3,})\s*$")
# a footnote number has at most four digits: a longer run is no footnote (and no int() can choke on it)
SUP_FOOTNOTE = re.compile(r"^\s*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})|<sup>\s*(\d{1,4})\s*</sup>)(?![⁰¹²³⁴⁵⁶⁷⁸⁹\d])\s*(?=\S)")
DIGIT_FOOTNOTE = re.compile(r"^\s*(\d{1,3})\s+(?=\S)")
STAR_NOTE = re.compile(r"^\s*(?:\\?\*)+\s+\S")  # "\* State not a member of ..."
SYMBOL_LINE = re.compile(r"^[A-Z]{1,6}(?:\.\d+)?/[A-Z0-9./()\-]+(?:\s+[A-Z](?:-[A-Z])?)?$")
HEADER_LINES = 40  # the header of a resolution fits in its first forty lines
LABEL_LINE = re.compile(r"^(\d{1,3}\.|\([a-z]{1,4}\))\s*$")
ENDS_PARAGRAPH = re.compile(r"[.;:,]\**\)?[\s\d⁰¹²³⁴⁵⁶⁷⁸⁹]*$")


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(slots=True)
class RawFootnote:
    number: int
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """Paragraphs (each a mapped text) and footnotes, in reading order."""

    paragraphs: list[MappedText]
    footnotes: dict[int, MappedText]
    footnote_order: list[int]
    plain_markers: bool = False  # footnotes numbered with plain digits (PDF text)


def split_lines(source: str) -> list[Line]:
    """The lines of ``source`` with their offsets (newline not included)."""
    lines: list[Line] = []
    start = 0
    for m in re.finditer(r"\r\n|\n|\r", source):
        raw = source[start : m.start()]
        lines.append(_line(raw, start))
        start = m.end()
    if start < len(source):
        lines.append(_line(source[start:], start))
    return lines


def _line(raw: str, start: int) -> Line:
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    return Line(start + lead, start + lead + len(text), text)


def _is_furniture(text: str, symbol_lines: set[str]) -> bool:
    if any(p.match(text) for p in FURNITURE):
        return True
    return text in symbol_lines


def _numbers_not_pages(lines: list[Line], marks: set[int]) -> set[int]:
    """Lines like "48/218" that are resolution numbers, not page numbers ("2/12").

    A page number stands once a page, far from the next; numbers a few lines
    apart are a list (the budget resolutions print "Recalling / 48/218 /
    54/244 / ..." a number a paragraph).
    """
    pages = {i for i in marks if PAGE_NUMBER.match(lines[i].text)}
    listed = set()
    size = lines[-1].end if lines else 0
    for i in pages:
        page, of = (int(x) for x in PAGE_NUMBER.match(lines[i].text).groups())
        if any(0 < abs(i - j) <= 4 for j in pages):
            listed.add(i)
        elif page > of or of * MIN_PAGE_CHARS > size:
            listed.add(i)  # no page "70/1", nor page 74 of 262 in a text of 40 pages' length
    return listed


def _running_heads(lines: list[Line], marks: set[int], anchors: set[int], header_text: str) -> set[int]:
    """Running-head lines around page marks.

    A running head is a block of contiguous lines holding the symbol or the
    page number ("A/RES/78/127 / International Year of Volunteers for /
    Sustainable Development, 2026"): the whole block goes, up to four lines
    each way. Elsewhere near a mark, a short line that repeats, or repeats
    the header, goes too.
    """
    heads: set[int] = set()
    for i in anchors:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and abs(j - i) <= 4 and lines[j].text and not RULE.match(lines[j].text):
                if not LABEL_LINE.match(lines[j].text):
                    heads.add(j)
                j += step
    counts: dict[str, int] = {}
    for ln in lines:
        if ln.text:
            counts[ln.text] = counts.get(ln.text, 0) + 1
    for i in marks:
        for j in range(max(0, i - 4), min(len(lines), i + 5)):
            t = lines[j].text
            if not t or j in marks or len(t) > 120 or ENDS_PARAGRAPH.search(t) or RULE.match(t):
                continue
            if LABEL_LINE.match(t):
                continue  # "(c)" repeats in every list; it is never furniture
            repeats_header = j >= HEADER_LINES and len(t) >= 12 and t in header_text
            if counts.get(t, 0) >= 2 or repeats_header:
                heads.add(j)
    return heads - marks


def lay_out(source: str, lines: list[Line] | None = None) -> Layout:
    """Paragraphs and footnotes of a text resolution, furniture removed."""
    lines = split_lines(source) if lines is None else lines
    walk = _LineWalk(_dense(lines))
    skip = _furniture_lines(lines)
    for i, ln in enumerate(lines):
        walk.feed(ln, i in skip)
    walk.flush()
    paragraphs, footnotes, order = _assemble(source, walk.items)
    return Layout(paragraphs, footnotes, order, walk.plain)


def _furniture_lines(lines: list[Line]) -> set[int]:
    """The lines that are page furniture: job numbers, symbols and running heads repeated on every page."""
    # The document's own symbol, printed at the top, repeats as a running head.
    symbol_lines = {ln.text for ln in lines[:12] if SYMBOL_LINE.match(ln.text)}
    marks = {i for i, ln in enumerate(lines) if ln.text and _is_furniture(ln.text, symbol_lines)}
    marks -= _numbers_not_pages(lines, marks)
    # The first symbol line is the header's own, not furniture.
    for i, ln in enumerate(lines[:12]):
        if ln.text in symbol_lines:
            marks.discard(i)
            break
    header_text = " ".join(ln.text for ln in lines[:HEADER_LINES])
    anchors = {i for i in marks if lines[i].text in symbol_lines or re.match(r"^\d{1,3}/\d{1,3}$", lines[i].text)}
    heads = _running_heads(lines, marks, anchors, header_text) if marks else set()
    return marks | heads


class _LineWalk:
    """Lines in reading order to items: ("p", [lines]) a paragraph, ("f", RawFootnote), ("b",) a break.

    The state of the walk is where a footnote block is (``in_zone``), the
    footnote being read, the last footnote number, and whether a blank line
    came before.
    """

    def __init__(self, dense: int | None) -> None:
        self.items: list[tuple] = []
        self.current: list[Line] = []
        self.footnote: RawFootnote | None = None
        self.in_zone = False
        self.last_number = 0
        self.prev_blank = True
        self.plain = False
        self.dense = dense
        self.last_paragraph = 0  # the last operative number a paragraph opened with

    def flush(self) -> None:
        if not self.current:
            return
        for run in _split_long_lines(self.current):
            if self.dense is None:
                parts, self.last_paragraph = _split_at_numbers(run, self.last_paragraph)
            elif run[-1].start < self.dense:
                parts = [[ln] for ln in run]  # header lines, one a paragraph
            else:
                parts = _split_at_openings(run)
            for part in parts:
                self.items.append(("p", part))
        self.current = []

    def feed(self, ln: Line, furniture: bool) -> None:
        if furniture or RULE.match(ln.text):
            # furniture ends a footnote block; a rule starts one
            self.flush()
            self.footnote = None
            self.in_zone = not furniture
            self.items.append(("b",))
            self.prev_blank = True
            return
        if ln.blank:
            self.flush()
            self.prev_blank = True
            return
        number, sup = self.footnote_number(ln)
        if number is not None and (sup or self.in_zone):
            self.flush()
            self.footnote = RawFootnote(number, [ln])
            self.items.append(("f", self.footnote))
            self.last_number = max(self.last_number, number)
            self.in_zone = True
            self.prev_blank = False
            return
        if self.in_zone and STAR_NOTE.match(ln.text):
            # the asterisk note explaining non-member sponsors: furniture
            self.flush()
            self.footnote = None
            self.items.append(("b",))
            self.prev_blank = False
            return
        if self.footnote is not None and not self.prev_blank:
            self.footnote.lines.append(ln)  # a footnote printed on several lines
            return
        self.footnote = None
        self.in_zone = False
        self.current.append(ln)
        self.prev_blank = False

    def footnote_number(self, ln: Line) -> tuple[int | None, bool]:
        """The number of a footnote this line opens (and whether it is superscript), or None."""
        m = SUP_FOOTNOTE.match(ln.text)
        if m:
            return int((m.group(1) or "").translate(SUP_TO_DIGIT) or m.group(2)), True
        if self.in_zone and (self.prev_blank or self.footnote is not None):
            dm = DIGIT_FOOTNOTE.match(ln.text)
            # footnotes run in sequence; a date opening a continuation line
            # ("26 August-4 September 2002") must not start footnote 26
            limit = self.last_number + (3 if self.prev_blank else 1)
            if dm and self.last_number < int(dm.group(1)) <= limit:
                self.plain = True
                return int(dm.group(1)), False
        return None, False


LONG_LINE = 150  # PDF text lines are under ~100 characters; longer ones are whole paragraphs


_FORMULA_LINE = re.compile(r"^\*?The [A-Z][\w’' ]{3,80},\*?$")


def _dense(lines: list[Line]) -> int | None:
    """Where the formula starts, in a text with no blank lines between
    paragraphs (its formula has neighbours); None for other texts."""
    for i, ln in enumerate(lines):
        if _FORMULA_LINE.match(ln.text):
            if (i + 1 < len(lines) and not lines[i + 1].blank) or (i > 0 and not lines[i - 1].blank):
                return ln.start
            return None
    return None


def _split_at_openings(run: list[Line]) -> list[list[Line]]:
    """In a dense text, a paragraph starts where a line opens with a number, a
    letter label or a clause verb right after a line that ended a clause."""
    from kg.read.verbs import opening_verb

    out: list[list[Line]] = [[]]
    for i, ln in enumerate(run):
        prev = run[i - 1].text if i else ""
        opens = bool(re.match(r"^(?:\d{1,3}\.|\([a-z]{1,4}\))\s", ln.text)) or _FORMULA_LINE.match(ln.text) \
            or bool(opening_verb(ln.text, "preambular") or opening_verb(ln.text, "operative"))
        if i and opens and (re.search(r"[,;:.]\**$", prev) or _FORMULA_LINE.match(prev)) and not LABEL_LINE.match(prev):
            out.append([])
        out[-1].append(ln)
    return [r for r in out if r]


_NUMBER_OPENING = re.compile(r"^(\d{1,3})\.(?:\s|$)")
_ENDS_CLAUSE = re.compile(r"[;:.]\**\s*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]*$")


def _split_at_numbers(run: list[Line], last: int) -> tuple[list[list[Line]], int]:
    """Split a run where the next paragraph number opens a line after a line
    that ended a clause, blank line or not: PDF text of declarations prints
    "2." above its paragraph, or "10. We ..." straight after the line before.
    Only the number after ``last`` (the last paragraph number seen) counts,
    so a line that happens to open with a number inside a sentence never
    splits. Returns the parts and the last number."""
    out: list[list[Line]] = [[]]
    for i, ln in enumerate(run):
        m = _NUMBER_OPENING.match(ln.text)
        if m and int(m.group(1)) == last + 1 and (i == 0 or _ENDS_CLAUSE.search(run[i - 1].text)):
            last += 1
            if i:
                out.append([])
        out[-1].append(ln)
    return [r for r in out if r], last


def _split_long_lines(run: list[Line]) -> list[list[Line]]:
    """Text with one paragraph a line and no blank lines between (as in
    Security Council drafts): each long line ending a clause is a paragraph."""
    if len(run) < 2 or max(len(ln.text) for ln in run) <= LONG_LINE:
        return [run]
    out: list[list[Line]] = [[]]
    for i, ln in enumerate(run):
        out[-1].append(ln)
        nxt = run[i + 1].text if i + 1 < len(run) else ""
        if nxt and re.search(r"[,;:.]$", ln.text) and re.match(r"^(?:\d{1,3}\.|\([a-z]{1,4}\)|[A-Z“\"])", nxt):
            out.append([])
    return [r for r in out if r]


def _join_lines(source: str, lines: list[Line]) -> MappedText:
    parts: list[MappedText] = []
    for ln in lines:
        part = from_source(source, ln.start, ln.end)
        if parts and parts[-1].text.endswith("-") and not parts[-1].text.endswith(" -"):
            # "self-\ndetermination": keep the hyphen, no space
            prev = parts.pop()
            parts.append(concat([prev, part], sep=""))
        else:
            parts.append(part)
    return concat(parts, sep=" ")


def _assemble(source: str, items: list[tuple]) -> tuple[list[MappedText], dict[int, MappedText], list[int]]:
    paragraphs: list[MappedText] = []
    footnotes: dict[int, MappedText] = {}
    order: list[int] = []
    broken = False  # a break (page furniture or footnote block) since the last paragraph
    for item in items:
        if item[0] == "b":
            broken = True
        elif item[0] == "f":
            fn: RawFootnote = item[1]
            text = _join_lines(source, fn.lines)
            text = strip(_drop_footnote_number(text))
            if fn.number in footnotes:
                continue
            footnotes[fn.number] = text
            order.append(fn.number)
            broken = True
        else:
            para = _join_lines(source, item[1])
            if paragraphs and LABEL_LINE.match(paragraphs[-1].text):
                # a paragraph number left on its own line ("45." at a page foot)
                paragraphs[-1] = concat([paragraphs[-1], para], sep=" ")
            elif broken and paragraphs and _continues(paragraphs[-1].text, para.text):
                paragraphs[-1] = concat([paragraphs[-1], para], sep=" ")
            else:
                paragraphs.append(para)
            broken = False
    return paragraphs, footnotes, order


def _drop_footnote_number(text: MappedText) -> MappedText:
    m = re.match(r"\s*(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|<sup>\s*\d+\s*</sup>|\d{1,3})\s*", text.text)
    if not m:
        return text
    return MappedText(text.text[m.end() :], text.pos[m.end() :])


def _continues(before: str, after: str) -> bool:
    """Whether the paragraph ``after`` continues ``before`` across a break."""
    before = re.sub(r"(\*+|<sup>\s*\d+\s*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$", "", before.rstrip()).rstrip()
    if not before or not after:
        return False
    if re.match(r"^(\d{1,3}\.|\([a-z]{1,4}\))\s", after):
        return False  # a numbered paragraph never continues another
    if re.match(r"^\*?[a-z]", after):
        return True
    if not re.match(r"^[\*“\"]*[A-Z(\[]", after):
        return True  # "71/160 of 16 December 2016, ...": no paragraph opens so
    return not ENDS_PARAGRAPH.search(before)
