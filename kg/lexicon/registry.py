"""The registry of canonical entities, loaded from ``data/registry/*.jsonl``.

Follows scispacy's knowledge base: one record an entity, and two indexes,
``by_id`` and ``by_alias`` (folded name -> ids). Each entity carries its
external identifiers: UN Treaty Series citations (``unts``), NORMLEX code,
SDG notation, the resolution that adopted it (``adopted_in``), and for a
protocol its ``parent`` treaty. States come from :mod:`kg.lexicon.states`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from kg.lexicon.files import read_jsonl

ORDINAL_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s)?(?:first|second|third|fourth|fifth"
                r"|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
                r"|seventeenth|eighteenth|nineteenth|twentieth|\d+(?:st|nd|rd|th))")



@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key of a name.

    >>> fold("the Convention on the Rights of the Child")
    'convention on the rights of the child'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass(slots=True)
class Entity:
    """A canonical entity: what a reference resolves to."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    unts: list[str] = field(default_factory=list)
    parent: str | None = None
    adopted_in: str | None = None
    normlex: str | None = None
    notation: str | None = None
    iri: str | None = None
    year: int | None = None
    kind: str | None = None
    number: int | None = None
    # a body that numbers its resolutions: templates by kind ("resolution",
    # "decision", "old") and how it numbers them ("session", "year", "dotted")
    series: dict | None = None
    # capitalised short forms that mean this entity when no nearer antecedent does ("the Secretariat")
    short_forms: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Registry:
    """Entities by id, by folded alias, by UN Treaty Series citation."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_id: dict[str, Entity] = {}
        self.by_alias: dict[str, list[str]] = {}
        self.by_acronym: dict[str, list[str]] = {}
        self.by_unts: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        self._folded: dict[str, list[tuple[Entity, list[str]]]] = {}
        self._short_forms = {fold(s): e for e in entities for s in e.short_forms}
        for e in entities:
            if e.id in self.by_id:
                raise ValueError(f"registry: duplicate id {e.id}")
            self.by_id[e.id] = e
        for e in entities:
            for name in e.names:
                ids = self.by_alias.setdefault(fold(name), [])
                if e.id not in ids:
                    ids.append(e.id)
            for acr in e.acronyms:
                self.by_acronym.setdefault(acr, []).append(e.id)
            for cite in e.unts:
                # the first entity listing a citation owns it (a protocol
                # shares the treaty's registration number, not its volume)
                self.by_unts.setdefault(cite, e.id)
            if e.parent:
                self.children.setdefault(e.parent, []).append(e.id)

    def get(self, id: str) -> Entity | None:
        return self.by_id.get(id)

    def lookup(self, name: str) -> Entity | None:
        """The entity a name or alias stands for, when it stands for one only."""
        ids = self.by_alias.get(fold(name), [])
        return self.by_id[ids[0]] if len(ids) == 1 else None

    def body_named(self, name: str, anchor: str = "end") -> Entity | None:
        """The body a printed run of words names, the longest that is one.

        ``anchor`` says which end of the run the name keeps: "end" before a
        keyword ("Recalling General Assembly" resolution -> GA), "start" after
        "of the" ("General Assembly on the Millennium Development Goals" -> GA).
        """
        words = name.split()
        spans = [words[i:] for i in range(len(words))] if anchor == "end" else \
            [words[:j] for j in range(len(words), 0, -1)]
        for span in spans:
            ent = self.lookup(" ".join(span))
            if ent is not None and ent.type == "body":
                return ent
        return None

    def abridged(self, label: str, type_: str) -> Entity | None:
        """The one entity of ``type_`` whose name holds a short name's words, in order, with words between.

        "Thirteenth Congress" is the Thirteenth United Nations Congress on
        Crime Prevention and Criminal Justice, when no other name fits. Only
        names of two to four words that open with an ordinal qualify:
        "Global Partnership" alone says too little to pick one.
        """
        words = fold(label).split()
        if not 2 <= len(words) <= 4 or not re.fullmatch(ORDINAL_WORD, words[0]):
            return None
        gap = r"(?:\s+\w+){0,4}\s+"
        rx = re.compile(r"^" + gap.join(re.escape(w) for w in words) + r"\b")
        found = [e for e, names in self._folded_names(type_) if any(rx.search(n) for n in names)]
        return found[0] if len(found) == 1 else None

    def _folded_names(self, type_: str) -> list[tuple[Entity, list[str]]]:
        """The entities of a type with their folded names, computed once."""
        if type_ not in self._folded:
            self._folded[type_] = [(e, [fold(n) for n in e.names]) for e in self.by_id.values() if e.type == type_]
        return self._folded[type_]

    def short_form(self, text: str) -> Entity | None:
        """The entity a bare short form means by default ("Secretariat"), if one claims it."""
        return self._short_forms.get(fold(text))

    def protocols_of(self, parent: str) -> list[Entity]:
        return [self.by_id[c] for c in self.children.get(parent, [])]


def _load_jsonl(name: str) -> list[dict]:
    return read_jsonl("registry", f"{name}.jsonl")


@lru_cache(maxsize=1)
def reference_types() -> list[dict]:
    """The reference types, defined once (``data/registry/types.jsonl``): key, ontology class, label, style.

    The ontology's classes, the SHACL shapes, the page's legend and the
    query library's lists all follow this file; ``tests/test_architecture.py``
    checks that they agree.
    """
    return _load_jsonl("types")


TYPES = tuple(t["type"] for t in reference_types())
INSTRUMENT_TYPES = tuple(t["type"] for t in reference_types() if t["instrument"])


REGISTRY_FILES = ("treaties", "ilo", "sdg", "instruments", "bodies", "mandates", "other")
_FIELDS = set(Entity.__dataclass_fields__)


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The registry shipped with kg (loaded once per process)."""
    entities = []
    for name in REGISTRY_FILES:
        for row in _load_jsonl(name):
            unknown = set(row) - _FIELDS
            if unknown:
                raise ValueError(f"registry {name}.jsonl: {row.get('id')}: unknown fields {sorted(unknown)}")
            entities.append(Entity(**row))
    return Registry(entities)
