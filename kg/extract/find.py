"""Find what the text says: spans that point outside the document.

Finding never resolves (eyecite's split): each :class:`Mention` records the
span, the rule that fired and what the rule read (``groups``); which entity
it means is :mod:`kg.extract.link`'s job. The work runs as a spaCy pipeline on a
blank English model:

* ``registry_matcher``: PhraseMatchers over every name and alias of the
  registry (case-insensitive) and its acronyms (case-sensitive);
* ``reference_rules``: the regular expressions of
  ``data/patterns/references.jsonl`` (resolution and document symbols, ILO
  numbers, SDG targets, UN Treaty Series citations, "thereto") and the name
  shapes of ``data/patterns/shapes.json`` ("Convention on X", "Special
  Rapporteur on X", "World Day against X").

Both write :class:`Mention` lists to ``doc._.mentions``; overlaps are settled
afterwards (the longest span wins, as ``spacy.util.filter_spans`` does), so a
name nested in a longer name is not counted twice.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.extract.symbols import find_documents, find_resolutions
from kg.lexicon.patterns import reference_patterns as patterns
from kg.lexicon.patterns import shapes
from kg.lexicon.registry import Registry, fold, load_registry
from kg.lexicon.states import state_code, state_names
from kg.models import Mention

PRIORITY = {"registry": 5, "symbol": 6, "ilo": 6, "sdg": 6, "unts": 6, "thereto": 6,
            "mandate-shape": 4, "fund-shape": 4, "shape": 3, "state": 2, "acronym": 5, "short": 1}


def _registry_phrases(registry: Registry) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key, name) pairs for the phrase matchers: names, then acronyms."""
    names: list[tuple[str, str]] = []
    acronyms: list[tuple[str, str]] = []
    for e in registry.by_id.values():
        if e.type == "sdg":
            continue  # SDG numbers are read by their own rule
        for n in e.names:
            names.append((e.id, n))
        for a in e.acronyms:
            acronyms.append((e.id, a))
    return names, acronyms


def _state_phrases() -> list[tuple[str, str]]:
    out = []
    for folded, code in state_names().items():
        out.append((f"STATE:{code}", folded))
    return out


if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


@Language.factory("registry_matcher")
def make_registry_matcher(nlp: Language, name: str) -> RegistryMatcher:
    return RegistryMatcher(nlp)


class RegistryMatcher:
    """PhraseMatchers over registry names (LOWER), acronyms (ORTH) and States.

    The registry is handed in (:meth:`use`), never fetched: a caller can run
    the same pipeline over a registry of its own.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.registry: Registry | None = None

    def use(self, registry: Registry) -> None:
        """Build the matchers over ``registry``'s names and acronyms."""
        nlp = self.nlp
        names, acronyms = _registry_phrases(registry)
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.states = PhraseMatcher(nlp.vocab, attr="LOWER")
        for matcher, pairs in ((self.names, names), (self.acronyms, acronyms), (self.states, _state_phrases())):
            by_key: dict[str, list[str]] = {}
            for key, text in pairs:
                by_key.setdefault(key, []).append(text)
            for key, texts in by_key.items():
                matcher.add(key, list(nlp.tokenizer.pipe(texts)))
        self.registry = registry

    def __call__(self, doc: Doc) -> Doc:
        if self.registry is None:
            raise ValueError("registry_matcher: no registry; build the pipeline with pipeline(registry)")
        try:
            return self._match(doc)
        except Exception as exc:  # noqa: BLE001 - kept on the doc, so one document never stops the pipe
            doc.user_data["error"] = exc
            return doc

    def _match(self, doc: Doc) -> Doc:
        found: list[Mention] = doc._.mentions or []
        strings = doc.vocab.strings
        for match_id, s, e in self.names(doc):
            span = doc[s:e]
            key = strings[match_id]
            ent = self.registry.by_id[key]
            found.append(Mention(span.start_char, span.end_char, ent.type, "registry", span.text, "registry-name",
                                 key=ent.id))
        for match_id, s, e in self.acronyms(doc):
            span = doc[s:e]
            ent = self.registry.by_id[strings[match_id]]
            found.append(Mention(span.start_char, span.end_char, ent.type, "acronym", span.text, "registry-acronym",
                                 key=ent.id))
        currency = set(shapes()["not_state_before"]["words"])
        for match_id, s, e in self.states(doc):
            span = doc[s:e]
            if not span.text[:1].isupper() or (span.text.isupper() and len(span.text) > 3):
                continue  # "SAMOA Pathway" is no State
            if e < len(doc) and doc[e].lower_ in currency:
                continue  # "United States dollars" is a currency
            code = strings[match_id].split(":", 1)[1]
            found.append(Mention(span.start_char, span.end_char, "state", "state", span.text, "state-name", key=code))
        doc._.mentions = found
        return doc


@Language.factory("reference_rules")
def make_reference_rules(nlp: Language, name: str) -> ReferenceRules:
    return ReferenceRules()


class ReferenceRules:
    """Regular expressions for symbols and numbers, and the name shapes."""

    def __init__(self) -> None:
        self.registry: Registry | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.registry is None:
            raise ValueError("reference_rules: no registry; build the pipeline with pipeline(registry)")
        if "error" in doc.user_data:
            return doc
        try:
            return self._find(doc, self.registry)
        except Exception as exc:  # noqa: BLE001 - kept on the doc, so one document never stops the pipe
            doc.user_data["error"] = exc
            return doc

    def _find(self, doc: Doc, registry: Registry) -> Doc:
        found: list[Mention] = doc._.mentions or []
        # the text the doc was made from, when the caller kept it: rebuilding it
        # from the tokens (doc.text) costs a fifth of the whole extraction
        text = doc.user_data.get("text") or doc.text
        found.extend(find_resolutions(text))
        found.extend(find_documents(text))  # symbols: kg.extract.symbols
        found.extend(find_ilo(text))
        found.extend(find_sdg(text))
        found.extend(find_unts(text))
        found.extend(find_thereto(text))
        found.extend(find_mandates(text))
        bodies = [(m.start, m.end) for m in found if m.rule in ("registry", "acronym") and m.type == "body"]
        found.extend(find_shapes(text, bodies, registry))
        found.extend(find_distributive(text))
        found.extend(find_place_instruments(text, registry))
        found.extend(find_short_forms(text))
        doc._.mentions = found
        return doc


def pipeline(registry: Registry | None = None) -> Language:
    """The spaCy pipeline over a registry (kg's own by default), built once per registry and process."""
    return _pipeline(registry or load_registry())


@lru_cache(maxsize=4)
def _pipeline(registry: Registry) -> Language:
    nlp = spacy.blank("en")
    # spaCy's limit guards the memory of its parser and entity recognizer, which kg does
    # not use; a tokenizer and phrase matchers take a 10 MB paragraph in linear memory
    nlp.max_length = 200_000_000
    nlp.add_pipe("registry_matcher").use(registry)
    nlp.add_pipe("reference_rules").registry = registry
    return nlp


def find_ilo(text: str) -> list[Mention]:
    out: list[Mention] = []
    for pid in ("ilo-numbered", "ilo-numbered-head-first"):
        for m in patterns()[pid]["regex"].finditer(text):
            name = m.group("name")
            lead = re.match(r"(?:(?:the|The|and|of|Recalling|Reaffirming|Welcoming)\s+)+", name)
            start = m.start("name") + (lead.end() if lead else 0)
            if text.startswith("Protocol", start):
                continue  # "Protocol to the X Convention, 1930 (No. 29)" is the protocol, read below
            out.append(Mention(start, m.end(), "ilo", "ilo", text[start : m.end()], pid, groups=m.groupdict()))
    for m in patterns()["ilo-protocol"]["regex"].finditer(text):
        out.append(Mention(m.start(), m.end(), "ilo", "ilo", m.group(0), "ilo-protocol",
                           groups={**m.groupdict(), "protocol": True}))
    return out


def find_sdg(text: str) -> list[Mention]:
    out: list[Mention] = []
    for pid in ("sdg-targets", "sdg-goals"):
        for m in patterns()[pid]["regex"].finditer(text):
            key = "list" if m.group("list") else "list2"
            if not m.group(key):
                continue
            base = m.start(key)
            for item in re.finditer(r"\d{1,2}(?:\.(?:\d{1,2}|[a-d]))?", m.group(key)):
                out.append(Mention(base + item.start(), base + item.end(), "sdg", "sdg", item.group(0), pid,
                                   groups={"code": item.group(0), "target_rule": pid == "sdg-targets"}))
    return out


def find_unts(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in patterns()["unts"]["regex"].finditer(text):
        vols = re.findall(r"\d{1,4}", m.group("vols"))
        out.append(Mention(m.start(), m.end(), "treaty", "unts", m.group(0), "unts",
                           groups={"citations": [f"{v}/{m.group('reg')}" for v in vols]}))
    return out


def find_thereto(text: str) -> list[Mention]:
    out: list[Mention] = []
    for m in patterns()["thereto"]["regex"].finditer(text):
        out.append(Mention(m.start(), m.end(), "treaty", "thereto", m.group(0), "thereto", groups={
            "optional": bool(m.group("optional")), "plural": m.group("head").endswith("s"),
            "year": m.group("year"), "qual": re.sub(r"[\s,;]+(?:and|or)?[\s,;]*$", "", m.group("qual") or "").strip(),
            "amendment": m.group("head").startswith("Amendment")}))
    return out


def read_tail(text: str, start: int, limit: int = 220) -> int:
    """End of a lower-case name tail ("trafficking in persons, especially women and children")."""
    window = text[start : start + limit]
    m = patterns()["mandate-tail-stop"]["regex"].search(window)
    end = start + (m.start() if m else len(window))
    while end > start and text[end - 1] in " ,":
        end -= 1
    return end


def find_mandates(text: str) -> list[Mention]:
    """Mandates and funds whose titles run on in lower case."""
    out: list[Mention] = []
    for m in patterns()["mandate-title"]["regex"].finditer(text):
        end = read_tail(text, m.end())
        if end <= m.end():
            continue
        head = re.sub(r"\s+", " ", m.group("head"))
        type_ = "body" if head.startswith("Working Group") else "mandate"
        plural = head.endswith("s") and not head.endswith("ss")
        out.append(Mention(m.start(), end, type_, "mandate-shape", text[m.start() : end], "mandate-title", groups={
            "head": head, "of": (m.group("of") or "").strip(), "prep": m.group("prep"),
            "tail": text[m.end() : end], "plural": plural}))
        if plural:
            # "the Special Rapporteurs ... on A, on B, and on C": one mandate each
            pos = end
            while True:
                window = text[pos : pos + 250]
                window = window[: min((window.find(c) for c in ";." if c in window), default=len(window))]
                more = re.search(r",?\s+(?:and\s+)?on\s+(?=[a-z])", window)
                if not more:
                    break
                s = pos + more.end()
                e = read_tail(text, s)
                if e <= s:
                    break
                out.append(Mention(s - 3, e, type_, "mandate-shape", text[s - 3 : e], "mandate-title", groups={
                    "head": head, "of": "", "prep": "on", "tail": text[s:e], "plural": True}))
                pos = e
    for m in patterns()["fund-title"]["regex"].finditer(text):
        end = read_tail(text, m.end())
        if end > m.end():
            out.append(Mention(m.start(), end, "other", "fund-shape", text[m.start() : end], "fund-title",
                               groups={"tail": text[m.end() : end]}))
    return out


_CONNECTORS = {"of", "in", "for", "and", "on", "to", "against"}


def find_shapes(text: str, bodies: list[tuple[int, int]] | None = None, registry: Registry | None = None,
                ) -> list[Mention]:
    """Capitalized names with a head noun: 'Convention on X', 'World Day against X'.

    ``bodies`` are the spans of registry bodies, where a publisher's name
    starts. Where a name is cut short ("the Commission ... to the Kyoto
    Declaration"), the search goes on right after it, so the name that
    follows is found too.
    """
    data = shapes()
    bodies = bodies or []
    registry = registry or load_registry()
    out: list[Mention] = []
    pos = 0
    resume = 0  # where a search that went on after a cut must go on from, if it is cut again
    while (m := data["regex"].search(text, pos)) is not None:
        pos = m.end()
        mention = _shape_at(text, m, data, bodies, registry)
        if mention is None:
            continue
        out.append(mention)
        if mention.end < m.end():
            # once per match: a chain of cuts ("Plan of the Plan of the ...") would rescan
            # the rest of the match for each, in quadratic time
            pos = mention.end if m.start() >= resume else max(resume, mention.end)
            resume = max(resume, m.end())
    return out


def _shape_at(text: str, m: re.Match[str], data: dict[str, Any], bodies: list[tuple[int, int]],
              registry: Registry) -> Mention | None:
    """The name a shape match gives, once cut to size and typed (None: no name)."""
    start, end = m.start("name"), m.end("name")
    ordinal_start = start if m.group("ordinal") else None
    if ordinal_start is not None:
        start = m.end("ordinal")
    # drop a leading clause verb or generic word ("Urges", "States", "of")
    for w in re.finditer(r"\S+", text[start:end]):
        if w.group(0) not in data["stop"] and w.group(0) not in _CONNECTORS:
            start += w.start()
            break
    else:
        return None
    head = re.sub(r"\s+", " ", m.group("head"))
    if m.start("head") < start:
        return None
    end = start + len(text[start:end].rstrip(" ,"))
    end = _cut_and(text, start, end, m.end("head"), data)
    if end > m.end("head") and registry.lookup(text[start : m.end("head")]) is not None:
        end = m.end("head")  # "General Assembly on the Millennium Development Goals"
    end = _cut_publisher(text, start, end, m.end("head"), head, data, bodies)
    end = _cut_after_known(text, start, end, m.end("head"), head, data, registry)
    if head in data["ordinal_heads"]:
        # "the Fifteenth Congress in Abu Dhabi": where an event is held is no part of its name
        held = re.match(r"\s+in\s+[A-Z]", text[m.end("head") : end])
        end = m.end("head") if held else end
    clean = re.sub(r"\s+", " ", text[start:end]).strip(" ,")
    if _generic(clean, data) or state_code(text[start : m.end("head")]) or state_code(clean):
        return None  # a generic word, or a State ("the Russian Federation"), named by the State matcher
    type_ = _shape_type(clean, head, data)
    if type_ is None:
        return None
    if ordinal_start is not None and type_ == "other" and head in data["ordinal_heads"] \
            and ordinal_start == m.start("name"):
        # "the second Review Conference": the ordinal names which conference
        start = ordinal_start
        clean = re.sub(r"\s+", " ", text[start:end]).strip(" ,")
        clean = clean[:1].upper() + clean[1:]
    rule = "short" if clean == head else "shape"  # a bare head is a short form
    return Mention(start, end, type_ if rule == "shape" else "short", rule, clean, "name-shape", groups={"head": head})


def _generic(name: str, data: dict[str, Any]) -> bool:
    low = name.lower()
    return low in data["not"] or (low.startswith("united nations ") and low[len("united nations "):] in data["not"])


def _cut_and(text: str, start: int, end: int, head_end: int, data: dict[str, Any]) -> int:
    """'General Assembly and Human Rights Council' is two names, not one."""
    for m in re.finditer(r"\s+and\s+", text[head_end:end]):
        if re.search(r"\bbetween\b", text[head_end : head_end + m.start()]):
            continue  # "Agreement between the United Nations and the International Criminal Court"
        rest = text[head_end + m.end() : end]
        if re.match(r"(?:Programme|Plan|Platform)\s+(?:of|for)\s+Action", rest):
            continue
        # only the words right after "and", up to the next connector
        rest = re.split(r"\s+(?:of|on|for|against|in|to|with|the)\s+", rest, maxsplit=1)[0]
        if data["any_head"].search(rest):
            return head_end + m.start()
    return end


def _cut_publisher(text: str, start: int, end: int, head_end: int, head: str, data: dict[str, Any],
                   bodies: list[tuple[int, int]]) -> int:
    """'Global Report on Forced Labour of the International Labour Organization':
    the publisher named after a publication or plan is not part of its name."""
    if data["head_type"].get(head) not in ("other", "instrument"):
        return end
    # one pass each: where bodies start, and the last body head in the name; an "of the" cuts
    # where a body starts right after it or a body head follows it (linear, not a search per "of the")
    starts = {s for s, _e in bodies}
    last_head = max((m.start() for m in data["body_head"].finditer(text, head_end, end)), default=-1)
    for m in re.finditer(r"\s+of\s+the\s+", text[head_end:end]):
        at = head_end + m.end()
        if at in starts or last_head >= at:
            return head_end + m.start()
    return end


def _cut_after_known(text: str, start: int, end: int, head_end: int, head: str, data: dict[str, Any],
                     registry: Registry) -> int:
    """A name ends where a known name ends and a phrase of the sentence begins.

    "Commission on Crime Prevention and Criminal Justice to the Kyoto
    Declaration" is the Commission (its canonical name) and then the
    sentence; "Director General of the World Health Organization on the
    Task Force" is an office of a known organization, then the sentence.
    """
    office = head in data["office_heads"]
    for m in re.finditer(r"\s+(?:to|on|at|in|with|for|from)\s+", text[head_end:end]):
        p = head_end + m.start()
        prefix = re.sub(r"\s+", " ", text[start:p])
        ent = registry.lookup(prefix)
        if ent is not None and fold(ent.name) == fold(prefix):
            return p
        if office:
            of = re.match(rf"{re.escape(head)}\s+of\s+the\s+(.+)$", prefix)
            inner = registry.lookup(of.group(1)) if of else None
            if inner is not None and inner.type == "body":
                return p
    return end


def _shape_type(name: str, head: str, data: dict[str, Any]) -> str | None:
    type_ = data["head_type"].get(head)
    if type_ is None:
        return None
    before = name[: name.rfind(head)].strip()
    if head in ("Report",) and not before:
        return None  # "Report of the Secretary-General" is a document, read by its symbol
    after = name[name.rfind(head) + len(head):].strip()
    un_prefix = any(before.startswith(p) for p in data["body_programme_prefixes"])
    if head == "Fund":
        # "United Nations Population Fund" is an organ; "IOM Global Assistance Fund" a fund
        return "body" if un_prefix and not after else "other"
    if head == "Programme":
        if after.startswith(("on ", "against ")):
            return "other"  # "Global Programme on Cybercrime": an office's programme of work
        if after:
            return "instrument"  # "Programme for the Prevention of X", "Programme of Action"
        return "other"  # the programmes that are organs (UNDP, UNEP, WFP) are in the registry
    if head in ("Conference", "Meeting", "Meetings") and re.match(data["meeting_bodies"], name):
        return "body"
    if head == "Platform" and not before:
        return None
    return type_


def find_distributive(text: str) -> list[Mention]:
    """One name per ordinal of a shared plural: "the Final Declarations of the Fourth, Sixth ... Review Conferences".

    Each mention spans its ordinal; its name is the singular built around it.
    """
    data = shapes()
    out: list[Mention] = []
    for m in patterns()["distributive-list"]["regex"].finditer(text):
        inner = _singular(m.group("inner"))  # "Review Conferences" -> "Review Conference"
        shared = patterns()["distributive-outer"]["regex"].search(text[max(0, m.start() - 80) : m.start()])
        outer = _singular(shared.group("outer")) if shared else None
        head = next((h for h in sorted(data["head_type"], key=len, reverse=True)
                     if (outer or inner).endswith(h)), None)
        if head is None:
            continue
        type_ = data["head_type"][head]
        for o in re.finditer(r"[A-Z][\w\-]+", m.group("ords")):
            name = f"{o.group(0)} {inner}"
            if outer:
                name = f"{outer} of the {name}"
            at = m.start("ords") + o.start()
            out.append(Mention(at, at + len(o.group(0)), type_, "distributive", name, "distributive-list",
                               groups={"name": name}))
    return out


def find_place_instruments(text: str, registry: Registry) -> list[Mention]:
    """Declarations and plans named after a place, their head in lower case ("the Abu Dhabi declaration")."""
    out: list[Mention] = []
    for m in patterns()["place-instrument"]["regex"].finditer(text):
        name = m.group("name")
        place = re.sub(r"\s+\S+(?:\s+(?:of|for)\s+\S+)?$", "", name)
        if registry.lookup(place) is not None or state_code(place) is None and place.split()[0] in shapes()["stop"]:
            continue  # "the General Assembly declaration": an author, not a place
        out.append(Mention(m.start("name"), m.end("name"), "instrument", "shape", name, "place-instrument",
                           groups={"head": name.split()[-1]}))
    return out


def _singular(plural: str) -> str:
    """"Congresses" -> "Congress", "Declarations" -> "Declaration"."""
    return plural[:-2] if plural.endswith("sses") else plural[:-1]


def find_short_forms(text: str) -> list[Mention]:
    """'the Convention', 'the Coordination Group', 'the Office': left to anaphora."""
    out: list[Mention] = []
    for m in patterns()["short-form"]["regex"].finditer(text):
        out.append(Mention(m.start("name"), m.end("name"), "short", "short", m.group("name"), "short-form",
                           groups={"det": m.group("det")}))
    return out


def settle_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (then the surest rule).

    A name nested in a longer one ("International Criminal Court" inside
    "Rome Statute of the International Criminal Court") is not a reference
    of its own; see ../shared/spec/annotation-guidelines.md.
    """
    ordered = sorted(mentions, key=lambda m: (-m.size, -PRIORITY.get(m.rule, 0), m.start))
    # the spans kept never overlap, so a new span can only overlap its neighbours
    # in start order: a bisection, not a scan of all (linear in mentions, not quadratic)
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Mention] = []
    for m in ordered:
        i = bisect_right(starts, m.start)
        if (i > 0 and ends[i - 1] > m.start) or (i < len(starts) and starts[i] < m.end):
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)
