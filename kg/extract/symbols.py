"""Find UN symbols: lists of resolution numbers, and document symbols.

The grammar is data (``data/patterns/references.jsonl``: ``resolution-number``,
``resolution-list-next``, ``document-symbol`` and the pieces they are built
from, each with examples). Finding reads what the text prints and where;
which series a bare number belongs to is decided when linking
(:func:`kg.extract.link.resolution_symbol`), from the body named before or
after the list and the document's own body.

A list runs on for as long as another number follows a separator: through
dates ("of 17 December 2018"), parts ("36/87 A and B"), titles ("on the
Convention on Cluster Munitions", "entitled “...”"), footnote places and
"as well as resolutions"; it ends at a sentence, a semicolon or paragraph
break with no number after it, or where another body's name starts a list
of its own ("... and 72/195, Economic and Social Council resolutions 2011/33").
"""

from __future__ import annotations

import re

from kg.lexicon.patterns import reference_patterns
from kg.models import Mention

# how far a list may run between two of its numbers (a title quoted in between)
MAX_GAP = 500
# the capitalised run of words naming a body before "resolution(s)", or "its"
_NAME_BEFORE = re.compile(
    r"(?:(?P<partic>(?:\bincluding|\bin\s+particular|\bnotably|\bparticularly|\bespecially|\bsuch\s+as"
    r"|\b(?:most\s+recent|latest)(?:\s+of\s+which)?\s+(?:being|is|are|was|were))(?:\s+(?:its|the))?)"
    r"|(?P<its>\bits|\btheir|\bin|\bby|\bunder)|(?P<name>(?:[A-Z][\w’'\-]*(?:\s+(?:of|on|and|for|the|to|against|in))*\s+)*"
    r"[A-Z][\w’'\-]*?)(?:’s|'s)?)\s+(?:(?:\d{1,2}(?:st|nd|rd|th)\s+)?(?:special\s+)?session\s+)?$"
)
# a body's name before "resolution(s)" is never longer than this: searching only
# the last stretch keeps the end-anchored search from trying every start in the context
_NAME_REACH = 110
_NAME_AFTER = re.compile(
    r"^(?:,)?\s+(?:adopted\s+)?(?:by|of)\s+the\s+(?P<name>[A-Z][\w’'\-]*(?:(?:\s+(?:of|on|for|the|and|to|against|in))*"
    r"\s+[A-Z][\w’'\-]*)*)"
)
# a gap between two numbers of one list may not hold these: a paragraph break, a
# semicolon, another list's keyword, another symbol, or the end of a sentence
_GAP_STOP = re.compile(r"\n\n|;|\b(?:[Rr]esolutions?|[Dd]ecisions?)\b|\d/\d|(?P<word>\w+)?\.(?=\s|$)")
_ABBREVIATIONS = {"sect", "para", "paras", "No", "Nos", "vol", "vols", "Vol", "chap", "art", "arts", "p", "pp",
                  "Add", "Rev", "Corr", "Supp", "annex", "Sect", "Part"}
_DATE = re.compile(r",?\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}")
_TITLED = re.compile(r",?\s+entitled\s+“[^”]{0,400}”")


def find_resolutions(text: str) -> list[Mention]:
    """Every number of every list after "resolution(s)" or "decision(s)"."""
    pats = reference_patterns()
    kw_rx = pats["resolution-keyword"]["regex"]
    out: list[Mention] = []
    consumed = 0
    for m in kw_rx.finditer(text):
        if m.start() < consumed:
            continue  # "as well as resolutions 28/6": read on with the list before
        items, end = read_number_list(text, m.end(), m.group("kw"))
        if not items:
            continue
        consumed = end
        context = text[max(0, m.start() - 160) : m.start()]
        before = _NAME_BEFORE.search(context, max(0, len(context) - _NAME_REACH))
        rest = text[end : end + 600]
        dated = _DATE.match(rest)
        rest = rest[dated.end() :] if dated else rest
        titled = _TITLED.match(rest)
        after = _NAME_AFTER.match(rest[titled.end() :] if titled else rest)
        report = pats["report-place"]["regex"].search(context)
        shared = {
            "body_before": (before.group("name") or before.group("its")
                            or ("particular" if before.group("partic") else None)) if before else None,
            "body_after": after.group("name") if after else None,
            "context": context,
            **({"report": report.group("report")} if report else {}),
        }
        for n, kind in items:
            # the date printed after a number ("42/35 of 27 September 2019") tells whose session it is
            dated_item = _DATE.match(text, n.end())
            year = {"date_year": dated_item.group(0)[-4:]} if dated_item else {}
            out.append(Mention(n.start(), n.end(), "resolution", "symbol", n.group(0), "resolution-number", groups={
                "kind": kind, **shared, **year, **{k: v for k, v in n.groupdict().items() if v}}))
    for m in pats["resolution-bare-list"]["regex"].finditer(text):
        base = m.start("list")
        for item in re.finditer(r"\S+", m.group("list")):
            n = pats["resolution-number"]["regex"].fullmatch(item.group(0))
            if n is not None:
                out.append(Mention(base + item.start(), base + item.end(), "resolution", "symbol", item.group(0),
                                   "resolution-bare-list", groups={"kind": "resolution",
                                                                   **{k: v for k, v in n.groupdict().items() if v}}))
    return out


def read_number_list(text: str, pos: int, keyword: str) -> tuple[list[tuple[re.Match[str], str]], int]:
    """The numbers of the list starting at ``pos`` (each with its kind), and where the list ends."""
    pats = reference_patterns()
    num_rx = pats["resolution-number"]["regex"]
    next_rx = pats["resolution-list-next"]["regex"]
    kind = _kind(keyword)
    items: list[tuple[re.Match[str], str]] = []
    n = num_rx.match(text, pos)
    while n:
        items.append((n, kind))
        end = n.end()
        window = text[end : end + MAX_GAP]
        nxt = next_rx.search(window)
        if nxt is None or _gap_stops(window[: nxt.start()]):
            return items, end
        if nxt.group("kw"):
            kind = _kind(nxt.group("kw"))
        n = num_rx.match(text, end + nxt.end())
    return items, pos


def _gap_stops(gap: str) -> bool:
    """Whether the text between two numbers ends the list (an abbreviation's full stop does not)."""
    return any(m.group("word") is None or m.group("word") not in _ABBREVIATIONS if m.group(0).endswith(".")
               else True for m in _GAP_STOP.finditer(gap))


def _kind(keyword: str) -> str:
    return "decision" if keyword.lower().startswith("decision") else "resolution"


def find_documents(text: str) -> list[Mention]:
    """Document symbols (``A/73/12 (Part I)``, ``A/78/80-E/2023/64``) and Official Records supplements."""
    pats = reference_patterns()
    out: list[Mention] = []
    for m in pats["document-symbol"]["regex"].finditer(text):
        sym = m.group("symbol")
        if not _is_symbol(sym):
            continue
        type_ = "resolution" if re.search(r"/(?:RES|DEC|Res|Dec)[/.]", sym) else "document"
        start = m.start("symbol")
        out.append(Mention(start, start + len(sym), type_, "symbol", sym, "document-symbol", groups={"symbol": sym}))
    for m in pats["who-resolution"]["regex"].finditer(text):
        out.append(Mention(m.start(), m.end(), "resolution", "symbol", m.group(0), "who-resolution",
                           groups={"symbol": m.group(0)}))
    for m in pats["official-records-title"]["regex"].finditer(text):
        # a publication's title: wins over the names nested in it, and links to nothing
        out.append(Mention(m.start(), m.end(), "title", "title", m.group(0), "official-records-title"))
    for m in pats["official-records"]["regex"].finditer(text):
        out.append(Mention(m.start(), m.end(), "document", "symbol", m.group(0), "official-records",
                           groups=m.groupdict()))
    return out


def _is_symbol(sym: str) -> bool:
    """A symbol holds a digit; a root and a bare year ("E/2019") is none, an old one ("A/2170") is."""
    return any(c.isdigit() for c in sym) and not re.fullmatch(r"[AES]/(?:19[4-9]\d|20[0-4]\d)", sym)


def canonical_symbol(printed: str) -> str:
    """The canonical id of a printed symbol: one space before a part, ASCII hyphens, no line breaks.

    >>> canonical_symbol("A/ES‑10/273 (Part\\nI)")
    'A/ES-10/273 (Part I)'
    >>> canonical_symbol("ICCD/COP(14)/23")
    'ICCD/COP(14)/23'
    >>> canonical_symbol("A/76/6 (Sect. 3)/Add.5")
    'A/76/6 (Sect. 3)/Add.5'
    >>> canonical_symbol("A/77/6 (Sect.3)/Add.8")
    'A/77/6 (Sect. 3)/Add.8'
    """
    sym = re.sub(r"[‑–]", "-", printed)
    sym = re.sub(r"\s+", " ", sym).strip()
    # the part is the bracket that opens with a word (the grammar in references.jsonl says which words);
    # a bracket of digits is a segment's own ("COP(14)")
    m = re.fullmatch(r"(.*?)\s*(\([A-Z][a-z][^)]*\))(.*)", sym)
    if m:
        part = re.sub(r"\b(Sect|sect|Vol)\.\s*", r"\1. ", m.group(2))  # "(Sect.3)" is "(Sect. 3)"
        return m.group(1).replace(" ", "") + " " + part + m.group(3).replace(" ", "")
    return sym.replace(" ", "")
