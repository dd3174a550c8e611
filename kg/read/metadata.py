"""Document metadata from the header and closing lines.

The header of a UN resolution says, in lines of its own: the symbol, the
issuing body, the distribution date, the session, the agenda item, for an
adopted text "Resolution adopted by ... on <date>" and the report it was
adopted on, for a draft the sponsors ("Albania,* Argentina ...: draft
resolution"), then the numbered title ("75/158. Trafficking in women and
girls"). The closing lines give the meeting and the vote.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from kg.lexicon.registry import load_registry
from kg.lexicon.states import state_code
from kg.models import MappedText, Metadata, Sponsor


@lru_cache(maxsize=1)
def issuing_bodies() -> list[tuple[str, re.Pattern[str]]]:
    """The bodies whose texts kg reads, by name, in the order they are tried.

    A Council's text names the Assembly too, so the order matters ("issues" in
    data/registry/bodies.jsonl); loaded on first use, so that ``kg --help`` stays cheap.
    """
    issuers = [e for e in load_registry().by_id.values() if (e.series or {}).get("issues")]
    return [(e.id, re.compile(rf"\b{re.escape(e.name)}\b")) for e in sorted(issuers, key=lambda e: e.series["issues"])]


PART_LETTER = re.compile(r"[A-H]")  # the part of a resolution adopted in parts, after its symbol
SYMBOL = re.compile(r"^(?:A|E|S|A/HRC|E/CN\.\d+|[A-Z]{2,8})(?:/[A-Za-z0-9.()\-]+)+(?:\s+[A-Z](?:-[A-Z])?)?$")
DATE = r"(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})"
ADOPTED = re.compile(r"(?:Resolution|Decision) adopted by the ([\w\s]+?) on\s+" + DATE)
MEETING = re.compile(r"^(\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?(?:plenary\s+)?meeting)\b", re.I)
VOTE = re.compile(r"^\[?\s*(Adopted\b[^.\]]*\.?)")
TITLE = re.compile(r"^(\d{1,4}/(?:\d{1,4}|\.\.\.|…)(?:\s*[A-Z](?:-[A-Z])?)?|[A-Z]-\d+/\d+|ES-\d+/\d+)\.?\s+(.+)$")
SPONSORS = re.compile(r"^(.+?):\s*(?:revised\s+)?draft (?:resolution|decision)\b", re.I)
_ITEM = r"\d+(?:\s*\([a-z]{1,3}\))?"
AGENDA = re.compile(rf"\bAgenda items?\s+({_ITEM}(?:(?:\s*,\s*|\s+and\s+){_ITEM})*)", re.I)
SESSION = re.compile(r"\b(?:(?P<words>[A-Za-z]+(?:-[a-z]+)?)|(?P<year>\d{4}))\s+"
                     r"(?:regular\s+|special\s+|emergency special\s+)?session\b", re.I)

_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
          "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
          "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
          "nineteenth": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
           "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100}


def ordinal_number(words: str) -> int | None:
    """"Seventy-fifth" -> 75, "Thirty-second" -> 32, "Eightieth" -> 80."""
    w = words.lower().replace(" ", "-")
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENTHS:
        return _TENTHS[w]
    if "-" in w:
        tens, unit = w.split("-", 1)
        if tens in _TENS and unit in _UNITS:
            return _TENS[tens] + _UNITS[unit]
    return None


def iso_date(day: str, month: str, year: str) -> str | None:
    """The ISO date of a printed one; None for a date that does not exist ("31 February 2020")."""
    try:
        return datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def is_closing(text: str) -> bool:
    """A closing line: meeting, vote, or a bare date after the last clause."""
    return bool(MEETING.match(text) or VOTE.match(text) or re.fullmatch(DATE, text.strip(" .")))


def read_metadata(header: list[MappedText], closing: list[MappedText], formula: str) -> Metadata:
    """Metadata from the clean header and closing paragraphs."""
    lines = [h.text.strip() for h in header]
    md = Metadata()
    md.body = _body(formula, lines)
    for t in lines[:15]:
        words = t.split()
        for i, part in enumerate(words):
            if SYMBOL.match(part) and "/" in part and not re.match(r"^\d", part):
                letter, after = (words[i + 1 : i + 3] + ["", ""])[:2]
                if PART_LETTER.fullmatch(letter) and (not after or after[0].isupper()):
                    # a part issued on its own: "E/RES/2021/2 B", then the body's name. It has its own
                    # text, date and meeting, so it is a document of its own; a citation of
                    # "resolution 2021/2 B" still names the whole resolution (../shared/spec/reference-scheme.md)
                    part = f"{part} {letter}"
                md.symbol = md.symbol or part
    distr_date = None
    for t in lines:
        _read_header_line(md, t)
        distr_date = _distribution_date(md, t, distr_date)
    if md.title is None:
        md.title = _draft_title(lines)
    for c in closing:
        _read_closing_line(md, c.text.strip())
    if md.symbol and "/L." in md.symbol:
        md.draft = True
    if md.date is None:
        md.date = distr_date
    if md.symbol is None and md.number and not md.draft:
        md.symbol = derive_symbol(md.body, md.number)
    return md


def _body(formula: str, lines: list[str]) -> str | None:
    """The issuing body: named in the enacting formula, else anywhere in the header."""
    for body, pattern in issuing_bodies():
        if pattern.search(formula):
            return body
    for body, pattern in issuing_bodies():
        if any(pattern.search(t) for t in lines):
            return body
    return None


def _read_header_line(md: Metadata, t: str) -> None:
    """Session, agenda item, adoption date, draft, sponsors, report line and title, where one line gives them."""
    if md.session is None:
        for m in SESSION.finditer(t):
            value = m.group("year") or ordinal_number(m.group("words") or "")
            if value:
                md.session = str(value)
                break
    m = AGENDA.search(t)
    if m and md.agenda_item is None:
        md.agenda_item = m.group(1).strip()
    m = ADOPTED.search(t)
    if m:
        md.date = iso_date(*m.group(2, 3, 4))
    if re.search(r"\bdraft (resolution|decision)\b", t, re.I):
        md.draft = True
    m = SPONSORS.match(t)
    if m and not md.sponsors:
        md.sponsors = parse_sponsors(m.group(1))
    m = re.search(r"\[\s*(on the report[^\]]*)\]", t)
    if m:
        md.report = m.group(1)
    m = TITLE.match(t)
    if m and md.title is None:
        md.number = m.group(1).strip()
        md.title = m.group(2).strip()


def _distribution_date(md: Metadata, t: str, distr_date: str | None) -> str | None:
    """The "Distr.: General 8 December 2025" date (a limited distribution is a draft's)."""
    m = re.search(r"Distr\.:\s*(\w+)\s*" + DATE, t)
    if m:
        if m.group(1).lower() == "limited":
            md.draft = True
        return iso_date(*m.group(2, 3, 4))
    if distr_date is None and re.fullmatch(DATE, t):
        return iso_date(*re.fullmatch(DATE, t).groups())
    return distr_date


def _read_closing_line(md: Metadata, t: str) -> None:
    """The meeting of adoption (with its date) and the vote, from a closing line."""
    m = MEETING.match(t)
    if m and md.meeting is None:
        md.meeting = m.group(1)
        d = re.search(DATE, t)
        if d and md.date is None:
            md.date = iso_date(*d.groups())
    m = VOTE.match(t)
    if m and md.vote is None:
        md.vote = m.group(1).strip()
        if not md.vote.endswith("."):
            md.vote += "."


def _draft_title(lines: list[str]) -> str | None:
    """A draft's title: the last header line, where it follows the sponsors line."""
    if any(SPONSORS.match(t) for t in lines[:-1]):
        return lines[-1].strip()
    return None


def derive_symbol(body: str | None, number: str) -> str | None:
    """The symbol of an adopted resolution from its printed number.

    >>> derive_symbol("HRC", "53/9")
    'A/HRC/RES/53/9'
    >>> derive_symbol("ECOSOC", "2021/2")
    'E/RES/2021/2'
    """
    number = number.strip()
    if "..." in number or "…" in number:
        return None
    if body == "HRC":
        return f"A/HRC/RES/{number}"
    if body == "ECOSOC":
        return f"E/RES/{number}"
    if body == "GA":
        return f"A/RES/{number}"
    return None


def parse_sponsors(text: str) -> list[Sponsor]:
    """Sponsors from "Albania,* Argentina ... and Uruguay" (asterisk: not a member).

    >>> [(s.code, s.non_member) for s in parse_sponsors("Albania,* Argentina, Brazil,* Chile")]
    [('ALB', True), ('ARG', False), ('BRA', True), ('CHL', False)]

    Names are split at commas; the last item's " and " is split only where
    both halves are States ("Trinidad and Tobago" stays whole).
    """
    # the asterisk is printed after the State's comma ("Albania,* Argentina"): it marks the State before it
    text = re.sub(r",\s*\*", "*,", text.replace("\\*", "*"))
    items = [s.strip() for s in re.split(r",(?![^()]*\))", text) if s.strip()]
    names: list[str] = []
    for item in items:
        if " and " in item and state_code(item.strip(" *")) is None:
            parts = item.split(" and ")
            for k in range(1, len(parts)):
                left, right = " and ".join(parts[:k]), " and ".join(parts[k:])
                if state_code(left.strip(" *")) and state_code(right.strip(" *")):
                    names.extend([left, right])
                    break
            else:
                names.append(item)
        else:
            names.append(item)
    sponsors = []
    for name in names:
        star = "*" in name
        clean = re.sub(r"\s+", " ", name.replace("*", "")).strip()
        sponsors.append(Sponsor(clean, state_code(clean), star))
    return sponsors
