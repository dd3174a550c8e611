"""Decide which entity each mention means.

Linking reads the mentions of one document in reading order and keeps a
little context, as a reader does: the body that issued the text (for bare
resolution numbers), the entities named so far (for "the Protocol thereto",
"the Convention", "the Coordination Group"), and the footnotes bound to
names (a UN Treaty Series footnote identifies the treaty before its marker;
"Resolution 70/1." after the 2030 Agenda says which resolution adopted it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from kg.extract.symbols import canonical_symbol
from kg.lexicon.patterns import shapes
from kg.lexicon.registry import Entity, Registry, fold, load_registry
from kg.models import Link, Mention
from kg.read.metadata import ordinal_number


def slug(text: str) -> str:
    """A stable key from a normalized name: the same name gives the same key."""
    return re.sub(r"[^A-Z0-9]+", "-", fold(text).upper()).strip("-")


class Linker:
    """Links the mentions of one document, in reading order, through a table of resolvers by rule."""

    def __init__(self, registry: Registry, body: str | None, own_symbol: str | None,
                 resolvers: Mapping[str, Resolver] | None = None) -> None:
        self.registry = registry
        # which resolver links a mention, by the rule that found it; a caller may
        # swap any of them (as eyecite's resolve_citations takes its resolvers)
        self.resolvers: dict[str, Resolver] = {**RESOLVERS, **(resolvers or {})}
        self.body = body
        self.own_symbol = own_symbol
        self.seen: list[tuple[str, str, str]] = []  # (id, type, label), reading order
        self.seen_at: list[int] = []  # where each of ``seen`` ends in the document text
        # treaty names nested in longer names ("Conference of the Parties to
        # the United Nations Convention against ..."): antecedents all the same
        self.nested: list[Mention] = []
        self._nested_ends: list[int] = []
        self.position = 0

    # -- helpers -----------------------------------------------------------

    def remember(self, id: str | None, type_: str, label: str) -> None:
        if id:
            self.seen.append((id, type_, label))
            self.seen_at.append(self.position)

    def entity(self, id: str) -> Entity | None:
        return self.registry.get(id)

    def _generic(self, m: Mention, type_: str, label: str) -> Link:
        ent = self.registry.lookup(label) or self.registry.abridged(label, type_)
        if ent is not None:
            return Link(m, ent.id, ent.type, ent.name, "alias")
        return Link(m, slug(label), type_, label, "shape")

    # -- per rule ----------------------------------------------------------

    def link(self, m: Mention) -> list[Link]:
        """The links of a mention, by the resolver of its rule (none: no reference)."""
        self.position = m.end
        resolver = self.resolvers.get(m.rule)
        return resolver(self, m) if resolver is not None else []

    def _registry(self, m: Mention) -> list[Link]:
        ent = self.registry.by_id[m.key or ""]
        return [Link(m, ent.id, ent.type, ent.name, m.rule)]

    def _state(self, m: Mention) -> list[Link]:
        return [Link(m, m.key, "state", m.text, "state")]

    def _shape(self, m: Mention) -> list[Link]:
        label = re.sub(r"\s+", " ", m.text).strip(" ,")
        if self.registry.lookup(label) is None and len(label.split()) <= 4:
            # "the Coordination Group": a short form of a name met before
            found = self._short(m)
            if found:
                return found
        return [self._generic(m, m.type, label)]

    def _distributive(self, m: Mention) -> list[Link]:
        return [self._generic(m, m.type, m.groups["name"])]

    def _symbol(self, m: Mention) -> list[Link]:
        g = m.groups
        if "symbol" in g:
            sym = canonical_symbol(g["symbol"])
            if m.type == "resolution":
                sym = re.sub(r"\s+\(.*$", "", sym)
            if sym == self.own_symbol:
                return []
            return [Link(m, sym, m.type, sym, "symbol")]
        if "supp" in g:  # Official Records of the General Assembly, <session>, Supplement No. N
            session = ordinal_number(g["session"])
            if not session:
                return []
            sym = f"A/{session}/{g['supp']}{g.get('letter') or ''}"
            return [Link(m, sym, "document", sym, "symbol")]
        if g.get("dseries") and _dotted_body(g, self.registry) is None:
            return []  # "resolution 5.2" with no body that numbers so: not a resolution number
        sym = resolution_symbol(g, self.body, self.registry)
        if sym is None:
            return [Link(m, None, "resolution", m.text, "unresolved")]
        if sym == self.own_symbol:
            return []  # "the present resolution" by number is no reference
        return [Link(m, sym, "resolution", sym, "symbol")]

    def _ilo(self, m: Mention) -> list[Link]:
        g = m.groups
        if g.get("protocol"):
            number = g.get("number")
            if not number:
                parent = self.registry.lookup(f"{g['name']}, {g['year']}") or self.registry.lookup(g["name"])
                if parent is None or parent.number is None:
                    return [Link(m, None, "ilo", m.text, "unresolved")]
                number = parent.number
            code = f"P{int(number):03d}"
        else:
            code = f"{'C' if g['kind'] == 'Convention' else 'R'}{int(g['number']):03d}"
        ent = self.entity(code)
        return [Link(m, code, "ilo", ent.name if ent else re.sub(r"\s+", " ", m.text), "normlex")]

    def _sdg(self, m: Mention) -> list[Link]:
        code = m.groups["code"]
        if m.groups.get("target_rule") and "." not in code:
            return []
        ent = self.entity(f"SDG {code}")
        if ent is None:
            return []  # "target 5.9" does not exist: not a reference
        return [Link(m, ent.id, "sdg", ent.name, "sdg")]

    def _unts(self, m: Mention) -> list[Link]:
        links = []
        for cite in m.groups["citations"]:
            id = self.registry.by_unts.get(cite)
            if id:
                ent = self.registry.by_id[id]
                links.append(Link(m, id, ent.type, ent.name, "unts", unts=cite))
            else:
                vol, no = cite.split("/")
                links.append(Link(m, None, "treaty", f"United Nations, Treaty Series, vol. {vol}, No. {no}",
                                  "unts-unknown", unts=cite))
        return links

    def _antecedents(self, before: int) -> Iterator[tuple[str, str, str]]:
        """Entities named before ``before``, nearest first: those linked, and the names nested in longer ones."""
        i = len(self.seen) - 1
        if len(self._nested_ends) != len(self.nested):
            self._nested_ends = [n.end for n in self.nested]
        j = bisect_right(self._nested_ends, before) - 1
        while i >= 0 or j >= 0:
            nested = self.nested[j] if j >= 0 else None
            if nested is not None and (i < 0 or nested.end > self.seen_at[i]):
                j -= 1
                if nested.key:
                    yield nested.key, nested.type, self.registry.by_id[nested.key].name
            else:
                yield self.seen[i]
                i -= 1

    def _antecedent(self, types: tuple[str, ...]) -> tuple[str, str, str] | None:
        for id, type_, label in reversed(self.seen):
            if type_ in types:
                return id, type_, label
        return None

    def _thereto(self, m: Mention) -> list[Link]:
        g = m.groups
        ante = self._antecedent(("treaty", "ilo"))
        ante_at = max((at for at, (_i, t, _l) in zip(self.seen_at, self.seen, strict=True) if t in ("treaty", "ilo")),
                      default=-1)
        for n in self.nested:
            if n.key and n.type in ("treaty", "ilo") and ante_at < n.end <= m.start:
                ante, ante_at = (n.key, n.type, self.registry.by_id[n.key].name), n.end
        if ante is None:
            return [Link(m, None, "treaty", m.text, "unresolved")]
        parent_id, parent_type, parent_label = ante
        children = self.registry.protocols_of(parent_id)
        if g["amendment"]:
            return []
        if g["year"]:
            children = [c for c in children if str(c.year) == g["year"] or g["year"] in c.name]
        elif g["optional"]:
            children = [c for c in children if "optional" in c.name.lower()]
        else:
            plain = [c for c in children if "optional" not in c.name.lower()]
            children = plain or children
        if g["qual"]:
            quals = [fold(q) for q in re.split(r"\s+and\s+on\s+", g["qual"][3:])]
            chosen = [c for c in children if any(q and q in fold(" ".join(c.names)) for q in quals)]
            if children and not chosen:
                return [Link(m, None, parent_type, m.text, "unresolved")]
            children = chosen
        if not children:
            # a protocol to a treaty no registry holds: named after its parent
            head = "Optional Protocol" if g["optional"] else "Protocol"
            label = f"{head} to the {parent_label}"
            return [Link(m, slug(label), parent_type, label, "thereto-generic")]
        if len(children) > 1 and not g["plural"] and not g["qual"]:
            return [Link(m, None, parent_type, m.text, "unresolved")]
        return [Link(m, c.id, c.type, c.name, "thereto") for c in children]

    def _mandate(self, m: Mention) -> Link:
        g = m.groups
        head = re.sub(r"s$", "", g["head"]) if g["plural"] else g["head"]
        head = head.replace("Representatives", "Representative").replace("Envoys", "Envoy")
        tail = re.sub(r"\s+", " ", g["tail"]).strip(" ,")
        label = f"{head} {g['prep']} {tail}"
        ent = self.registry.lookup(label)
        if ent is None:
            # a registry title that the printed one begins ("Special Rapporteur
            # on violence against women" for "... against women and girls, its causes ...")
            key = fold(label)
            for e in self.registry.by_id.values():
                if e.type in ("mandate", "body") and any(fold(n).startswith(key) or key.startswith(fold(n))
                                                         for n in e.names if len(fold(n)) > 30):
                    ent = e
                    break
        if ent is not None:
            return Link(m, ent.id, ent.type, ent.name, "alias")
        return Link(m, slug(label), m.type, label, "shape")

    def _short(self, m: Mention) -> list[Link]:
        """'the Convention', 'the Court': the nearest entity before, of the head's type, whose name holds the words.

        Names nested in longer ones count as antecedents here ("the Court"
        after "the Rome Statute of the International Criminal Court" is the
        Court), though they are no references of their own.
        """
        words = fold(m.text).split()
        if not words:
            return []
        pattern = _words_pattern(tuple(words))
        types = _short_types(re.sub(r"\s+", " ", m.text).strip())
        for id, type_, label in self._antecedents(m.start):
            if type_ not in types:
                continue
            ent = self.entity(id)
            names = ent.names if ent is not None else [label]
            if any(pattern.search(fold(n)) for n in names):
                return [Link(m, id, type_, label, "anaphora")]
        fallback = self.registry.short_form(m.text)
        if fallback is not None:
            return [Link(m, fallback.id, fallback.type, fallback.name, "short-form")]
        return []


Resolver = Callable[[Linker, Mention], list[Link]]

# The default resolver of each finding rule (kg.models.Mention.rule).
RESOLVERS: dict[str, Resolver] = {
    "registry": Linker._registry, "acronym": Linker._registry, "state": Linker._state,
    "symbol": Linker._symbol, "ilo": Linker._ilo, "sdg": Linker._sdg, "unts": Linker._unts,
    "thereto": Linker._thereto, "mandate-shape": lambda lk, m: [lk._mandate(m)], "fund-shape": Linker._shape,
    "shape": Linker._shape, "short": Linker._short, "distributive": Linker._distributive,
}


@lru_cache(maxsize=4096)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b")


@lru_cache(maxsize=4096)
def _short_types(text: str) -> frozenset[str]:
    """The types a short form's head can mean ("the Court": a body, never the Statute that names it)."""
    data = shapes()
    for head in data["heads_longest_first"]:
        if text.endswith(head):
            return frozenset(data["short_types"].get(head, [data["head_type"][head]]))
    return frozenset({"treaty", "ilo", "body", "mandate", "instrument", "other"})


def resolution_symbol(g: dict, doc_body: str | None, registry: Registry | None = None) -> str | None:
    """The UN symbol of a resolution number read in context.

    The body comes from the name printed before the list ("Human Rights
    Council resolution 32/3"), else after it ("resolution 2015/23 of the
    Economic and Social Council"), else the document's own body; each body's
    series is data (``series`` in ``data/registry/bodies.jsonl``).

    >>> resolution_symbol({"series": "68", "n": "192", "kind": "resolution"}, "GA")
    'A/RES/68/192'
    >>> resolution_symbol({"series": "2015", "n": "23", "kind": "resolution",
    ...                    "body_after": "Economic and Social Council"}, "HRC")
    'E/RES/2015/23'
    >>> resolution_symbol({"dseries": "78", "dn": "11", "body_before": "World Health Assembly"}, "GA")
    'WHA78.11'
    >>> resolution_symbol({"series": "60", "n": "180", "body_before": "General Assembly and Security Council"}, "GA")
    'A/RES/60/180'
    >>> resolution_symbol({"series": "42", "n": "35", "body_before": "its", "date_year": "2019"}, "GA")
    'A/HRC/RES/42/35'
    >>> resolution_symbol({"series": "74", "n": "146", "body_before": "its", "date_year": "2019"}, "GA")
    'A/RES/74/146'
    >>> resolution_symbol({"series": "37", "n": "17", "report": "A/73/53"}, "GA")
    'A/HRC/RES/37/17'
    """
    registry = registry or load_registry()
    kind = "decision" if g.get("kind") == "decision" else "resolution"
    named = context_body(g, doc_body, registry)
    if named == "SC" and g.get("series"):
        # the Council numbers "1645 (2005)": a session/number near its name is another body's.
        # "General Assembly and Security Council resolutions 60/180 and 1645 (2005)" (twin
        # resolutions): the first body's; "the vote of the Security Council ..., and taking note
        # of its resolution ES-10/23": the document's own
        before = g.get("body_before") or ""
        named = _body_of(before.rsplit(" and ", 1)[0], doc_body, registry) if " and " in before else None
    if g.get("sc"):
        return f"S/RES/{g['sc']}({g['year']})"
    if g.get("old"):  # 2200 A (XXI); ECOSOC numbered the same way before 1978
        body = named if named == "ECOSOC" else "GA"
        return _series(registry, body)["old"].format(old=g["old"], roman=g["roman"]) if kind == "resolution" else None
    if g.get("dseries"):
        body = _dotted_body(g, registry) or "WHA"
        return _series(registry, body)[kind].format(s=g["dseries"], n=g["dn"])
    series, n = g.get("series"), g.get("n")
    if not series or not n:
        return None
    series = re.sub(r"[‑–]", "-", series)
    body = _settle_body(named or _default_body(doc_body, series), series, registry)
    if body is None:
        return None
    if named is None or (named == doc_body and g.get("body_before") in ("its", "their")):
        body = _dated_body(body, series, g.get("date_year"), registry)
    template = _series(registry, body).get(kind)
    if template is None:
        ent = registry.get(body)
        root = ent.acronyms[0] if ent is not None and ent.acronyms else body
        return f"{root}/{'RES' if kind == 'resolution' else 'DEC'}/{series}/{n}"
    return template.format(s=series, n=n)


def _session_fits(body: str, series: str, year: str | None, registry: Registry) -> bool | None:
    """Whether session ``series`` of ``body`` met in ``year`` (None: unknown).

    Each body's calendar is data (``first_year``, ``sessions_a_year`` in its
    series): the Assembly's session 42 met in 1987-1988, the Human Rights
    Council's session 42 in 2019.
    """
    cal = _series(registry, body)
    if not year or not series.isdigit() or "first_year" not in cal:
        return None
    start = cal["first_year"] + (int(series) - 1) // cal.get("sessions_a_year", 1)
    return start <= int(year) <= start + 1


def _dated_body(body: str, series: str, year: str | None, registry: Registry) -> str:
    """A body taken by default whose session cannot have met in the year printed: the one whose can.

    "mandated by the Council in its resolutions 47/21 of 13 July 2021" in an
    Assembly text is the Human Rights Council's (the Assembly's session 47 met
    in 1992).
    """
    if _session_fits(body, series, year, registry) is not False:
        return body
    for ent in registry.by_id.values():
        if ent.id != body and _session_fits(ent.id, series, year, registry):
            return ent.id
    return body


def _dotted_body(g: dict, registry: Registry) -> str | None:
    """The body of a dotted number (78.11): one that numbers so, named before, after or nearby."""
    candidates = [registry.body_named(g.get("body_before") or ""),
                  registry.body_named(g.get("body_after") or "", "start")]
    near = _last_body_in(g.get("context") or "", registry, numbers="dotted")
    candidates.append(registry.get(near[0]) if near else None)
    for ent in candidates:
        if ent is not None and (ent.series or {}).get("numbers") == "dotted":
            return (ent.series or {}).get("resolutions_by", ent.id)
    return None


def _series(registry: Registry, body: str) -> dict:
    ent = registry.get(body)
    return (ent.series if ent is not None else None) or {}


def _is_year(series: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", series))


def _default_body(doc_body: str | None, series: str) -> str:
    """A bare number with no body named: the document's own series, where its numbers fit it."""
    if _is_year(series):
        return "CHR" if doc_body == "CHR" else "ECOSOC"
    return doc_body if doc_body in ("GA", "HRC") else "GA"


def _settle_body(body: str, series: str, registry: Registry) -> str | None:
    """Correct a body whose numbering cannot give this number."""
    if body == "SC":
        return None  # Security Council resolutions are "number (year)"
    numbers = _series(registry, body).get("numbers")
    last = _series(registry, body).get("last_session")
    if _is_year(series) and numbers == "session" and body in ("GA", "HRC"):
        return "ECOSOC"  # "Council resolution 2021/30": the year numbers the Economic and Social Council's
    if last and series.isdigit() and int(series) > last:
        return "GA"  # the Council has not met that many times: a GA number
    if numbers == "year" and not _is_year(series) and body == "ECOSOC":
        return "GA"  # "its resolution 76/181" in a draft ECOSOC recommends to the Assembly
    return body


def context_body(g: dict, doc_body: str | None, registry: Registry) -> str | None:
    """The body a list of numbers belongs to, by the names printed around it."""
    before = g.get("body_before")
    if before in ("its", "their"):
        # "the decision of the General Assembly, in its resolution 68/192"
        near = _last_body_in(g.get("context") or "", registry)
        return near[0] if near else doc_body
    if before == "particular":
        # "relevant Human Rights Council resolutions, in particular resolutions 7/34 ...": the series named before
        near = _last_body_in(g.get("context") or "", registry)
        return near[0] if near else _body_of(g.get("body_after"), doc_body, registry, "start")
    if before in ("in", "by", "under"):
        # "the United Nations Environment Assembly, at its resumed fifth session, in resolution 5/14":
        # only a body that is the subject right before counts
        near = _last_body_in(g.get("context") or "", registry)
        if near and _SUBJECT_GAP.fullmatch(near[1]):
            return near[0]
        before = None
    return (_body_of(before, doc_body, registry) or _body_of(g.get("body_after"), doc_body, registry, "start")
            or _reporting_body(g.get("report"), registry))


def _reporting_body(report: str | None, registry: Registry) -> str | None:
    """The body whose report a number is printed in ("(A/73/53), chap. IV, sect. A, resolution 37/17": the HRC's)."""
    if not report:
        return None
    for ent in registry.by_id.values():
        template = (ent.series or {}).get("report")
        if template and re.fullmatch(re.escape(template).replace(r"\{s\}", r"\d{1,3}").replace(r"\{y\}", r"\d{4}"),
                                     report):
            return ent.id
    return None


_SUBJECT_GAP = re.compile(r",?(?:\s+(?:at|in|during)\s+its\s+[\w\s\-]*?session)?,?\s+(?:in|by|under)\s+")


def _last_body_in(text: str, registry: Registry, numbers: str | None = None) -> tuple[str, str] | None:
    """The last body with a series named in ``text`` (of its paragraph), and the text after its name."""
    text = text.rsplit("\n\n", 1)[-1]
    best = None
    for m in re.finditer(r"[A-Z][\w’'\-]*(?:\s+(?:of|on|and|for|the|to|against|in|[A-Z][\w’'\-]*))*", text):
        name = re.sub(r"(?:\s+(?:of|on|and|for|the|to|against|in))+$", "", m.group(0))
        ent = registry.body_named(name)
        if ent is not None and ent.series and (numbers is None or ent.series.get("numbers") == numbers):
            best = (ent.id, text[m.start() + len(name):])
    return best


def _body_of(name: str | None, doc_body: str | None, registry: Registry, anchor: str = "end") -> str | None:
    if not name:
        return None
    name = re.sub(r"[’']s$", "", name)
    key = fold(name)
    last = key.split()[-1] if key else ""
    if key in ("council", "assembly") or (len(key.split()) == 2 and key.split()[0] in ("its", "the")):
        own = registry.get(doc_body or "")
        if own is not None and fold(own.name).endswith(last):
            return own.id
        return "HRC" if last == "council" else "GA"
    if "conference of the parties" in key or "conference of the states parties" in key:
        ent = registry.body_named(name, anchor)
        if ent is not None:
            return ent.id
        if "corruption" in key:
            return "UNCAC-COSP"
        return "CTOC-COP" if "transnational organized crime" in key or key.endswith("parties") else "COP"
    ent = registry.body_named(name, anchor)
    if ent is not None:
        return ent.id
    words = key.split()
    if len(words) >= 2 and words[0] in ("commission", "committee", "conference", "council", "board", "forum"):
        return "".join(w[0].upper() for w in name.split() if w[:1].isupper())
    return None
