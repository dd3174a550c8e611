"""The opening verb phrase of a clause ("Taking note with appreciation of").

The lexicon lives in ``data/patterns/verbs.json``: an optional adverb, a
head, then modifiers. Longest match wins, so "Taking note with appreciation
of" beats "Taking note".
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.lexicon.patterns import verb_lexicon


def lexicon() -> dict:
    """The verb lexicon as loaded from its data file."""
    return verb_lexicon()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=2)
def _pattern(kind: str) -> re.Pattern[str]:
    lex = lexicon()
    heads = lex["preambular_heads"] if kind == "preambular" else lex["operative_heads"]
    return re.compile(
        rf"^(?:(?:{_alternation(lex['adverbs'])}),?\s+)?(?:{_alternation(heads)})"
        rf"(?:,?\s+(?:{_alternation(lex['modifiers'])})(?=[\s,:;]|$))*",
        re.I,
    )


def opening_verb(text: str, kind: str) -> str:
    """The clause's opening verb phrase in lower case, or "" if none is known.

    >>> opening_verb("Taking note with appreciation of the report", "preambular")
    'taking note with appreciation of'
    >>> opening_verb("Calls upon all States to ratify", "operative")
    'calls upon'
    """
    if kind not in ("preambular", "operative"):
        return ""
    m = _pattern(kind).match(text)
    if not m:
        return ""
    phrase = re.sub(r"\s+", " ", m.group(0).strip(" ,")).lower()
    # "of"/"on"/"upon" belongs to the phrase only right after "note" or "calls"
    words = phrase.split()
    while len(words) > 1 and words[-1] in ("of", "on", "upon") and "note" not in words and words[-2] not in (
        "note", "calls", "appreciation", "concern", "satisfaction", "interest", "regret", "gratitude",
    ):
        words.pop()
    if words and words[-1] in ("note",) and kind == "preambular" and not phrase.startswith("taking"):
        words.pop()
    return " ".join(words)
