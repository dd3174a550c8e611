"""The patterns of ``kg/data/patterns``, loaded and compiled once.

Every rule that finds a reference is data here, with examples that
``tests/test_pattern_data.py`` checks both ways: each example matches what
it should, and each counter-example matches nothing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from kg.lexicon.files import read_jsonl


@lru_cache(maxsize=1)
def reference_patterns() -> dict[str, dict[str, Any]]:
    """The reference patterns of ``data/patterns/references.jsonl``, compiled, by id.

    A pattern may use another as a part: ``{{id}}`` stands for the pattern
    of the row with that id (as reporters-db expands its ``$variables``),
    so a piece of the symbol grammar is written, and tested, once.
    """
    rows = {row["id"]: row for row in _jsonl("references.jsonl")}
    for row in rows.values():
        row["source"] = _expand(row["pattern"], rows, [row["id"]])
        row["regex"] = re.compile(row["source"])
    return rows


def _expand(pattern: str, rows: dict[str, dict[str, Any]], seen: list[str]) -> str:
    def part(m: re.Match[str]) -> str:
        pid = m.group(1)
        if pid in seen:
            raise ValueError(f"references.jsonl: pattern {seen[0]} refers to itself through {pid}")
        if pid not in rows:
            raise ValueError(f"references.jsonl: pattern {seen[-1]} uses unknown part {{{{{pid}}}}}")
        return "(?:" + _expand(rows[pid]["pattern"], rows, [*seen, pid]) + ")"

    return re.sub(r"\{\{([\w-]+)\}\}", part, pattern)


def _jsonl(name: str) -> list[dict[str, Any]]:
    return read_jsonl("patterns", name)


@lru_cache(maxsize=1)
def shapes() -> dict[str, Any]:
    """The name-shape lexicon (heads by type), with its name regex compiled."""
    path = resources.files("kg") / "data" / "patterns" / "shapes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    head_type: dict[str, str] = {}
    for type_, heads in data["heads"].items():
        for h in heads:
            head_type[h] = type_
    heads = sorted(head_type, key=len, reverse=True)
    cap = r"(?:[A-Z][\w’'\-]*[\w’]|[A-Z])"
    # generic words a name never runs into ("... Cluster Munitions with States")
    stop_tail = "|".join(data["tail_stop_words"])
    numbered = "|".join(data["numbered_words"])  # "Agenda 21", "Habitat III"
    tail_cap = rf"(?!(?:{stop_tail})\b){cap}"
    year = r"(?:1[89]\d\d|20\d\d)(?:[–-](?:1[89]\d\d|20\d\d))?"
    ordinal = data["ordinal_words"]
    # "Bacteriological (Biological)": a bracketed capitalised word belongs to the name
    bracketed = r"\([A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*\)"
    word = rf"(?:{numbered}|{cap}|{year}|\d+(?:st|nd|rd|th)|\d{{1,3}}-[A-Z][a-z]+|{bracketed})"
    tail_words = rf"(?:\s+{word}|\s+(?:a|an)\s+{tail_cap})*"
    # "by", "at", "from" usually start a phrase of the sentence ("adopted by the
    # General Assembly", "at United Nations Headquarters"), not of the name
    conn = (r"(?:of|on|for|against|in|to|with|towards?|concerning|relating\s+to|regarding|among"
            r"|de|la|del|des|du)")
    # a tail opens with a word, never a year ("Office in 2020")
    tail_word = rf"(?:{numbered}|{tail_cap}|\d{{1,3}}-[A-Z][a-z]+)"
    head_alt = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads)
    enum = rf"(?:(?:,\s+{word}(?:\s+{word})*)+,?\s+and\s+{word}(?:\s+{word})*)"
    and_word = rf"(?:\s+and\s+(?!the\b|Optional\b|United\b|Protocol\b|Convention\b){word}(?:\s+{word})*)"
    place = r"(?:\s+(?:region|subregion|area))?"  # "the Asia-Pacific region"
    especially = (rf"(?:,\s+(?:especially|including|in\s+particular|particularly)\s+{word}(?:\s+{word})*"
                  rf"(?:\s+and\s+{word}(?:\s+{word})*)?)")
    det = r"(?:\s+(?:the|an?|all|their|its))?"
    tail = (rf"(?:\s+(?:and\s+(?=on\s))?{conn}(?:\s+and)?{det}(?:\s+{ordinal})?\s+{tail_word}{tail_words}{place}"
            rf"(?:\s+the\s+{tail_word}{tail_words})?(?:{enum}|{and_word})?{especially}?)")
    # "Agreement between the United Nations and the International Criminal Court"
    party = rf"(?:the\s+)?{tail_word}{tail_words}"
    between = rf"(?:\s+between\s+{party}(?:\s+(?:of|on|for)\s+{party})*\s+and\s+{party})"
    action = r"(?:\s+and\s+(?:Programme|Plan|Platform)\s+(?:of|for)\s+Action)"
    pre = rf"(?:{word}(?:\s+(?:of|in|for|on|against|to)\s+{word})*\s+){{0,6}}"
    # a lower-case ordinal before the name: "the second Review Conference", "the thirteenth Meeting"
    name = (rf"(?<![\w’'\-])(?P<name>(?P<ordinal>{ordinal}\s+)?{pre}(?P<head>{head_alt})(?![\w\-])"
            rf"(?:{action}|{between}|{tail})*)")
    data["regex"] = re.compile(name)
    data["head_type"] = head_type
    data["heads_longest_first"] = heads
    # any head noun, and a body's, as a word: where one name ends and the next begins
    data["any_head"] = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads) + r")\b")
    data["body_head"] = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in heads if head_type[h] == "body") + r")\b")
    data["stop"] = set(data["stop_modifiers"])
    data["not"] = {n.lower() for n in data["not_names"]}
    return data


@lru_cache(maxsize=1)
def verb_lexicon() -> dict[str, Any]:
    """The opening verbs of clauses (``data/patterns/verbs.json``)."""
    return _json("verbs.json")


@lru_cache(maxsize=1)
def stance_table() -> dict[str, Any]:
    """The verb-to-CiTO table of ``data/patterns/stances.json``."""
    return _json("stances.json")


def _json(name: str) -> Any:
    path = resources.files("kg") / "data" / "patterns" / name
    return json.loads(path.read_text(encoding="utf-8"))
