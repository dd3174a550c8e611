"""Clean text that remembers where each character came from.

Cleaning a resolution removes markdown, HTML tags, footnote markers and page
furniture, and joins lines. Each step here keeps ``MappedText.pos`` in step
with the text, so that any clean span can be reported as a span of the file
(eyecite's ``SpanUpdater`` solves the same problem by diffing; keeping the map
as we go is simpler and exact).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from kg.models import MappedText

Replacement = str | int | Callable[[re.Match[str]], str]


def from_source(source: str, start: int, end: int) -> MappedText:
    """The slice ``source[start:end]`` with its own offsets."""
    return MappedText(source[start:end], list(range(start, end)))


def concat(parts: Iterable[MappedText], sep: str = " ") -> MappedText:
    """Join parts with ``sep``; each separator maps to the end of the part before."""
    text: list[str] = []
    pos: list[int] = []
    first = True
    for part in parts:
        if not part.text:
            continue
        if not first and sep:
            anchor = pos[-1] if pos else (part.pos[0] if part.pos else 0)
            text.append(sep)
            pos.extend([anchor] * len(sep))
        text.append(part.text)
        pos.extend(part.pos)
        first = False
    return MappedText("".join(text), pos)


def sub(mt: MappedText, pattern: re.Pattern[str], repl: Replacement) -> MappedText:
    """``re.sub`` that keeps the offset map.

    ``repl`` is an int to keep that group's characters (with their own
    offsets), a string, or a function returning a string; inserted characters
    map to the start of the match.
    """
    text, pos = mt.text, mt.pos
    out: list[str] = []
    out_pos: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(text[last : m.start()])
        out_pos.extend(pos[last : m.start()])
        if isinstance(repl, int):
            gs, ge = m.span(repl)
            if gs >= 0:
                out.append(text[gs:ge])
                out_pos.extend(pos[gs:ge])
        else:
            new = repl if isinstance(repl, str) else repl(m)
            anchor = pos[m.start()] if m.start() < len(pos) else (pos[-1] if pos else 0)
            out.append(new)
            out_pos.extend([anchor] * len(new))
        last = m.end()
    if last == 0 and not out:
        return mt
    out.append(text[last:])
    out_pos.extend(pos[last:])
    return MappedText("".join(out), out_pos)


def strip(mt: MappedText, chars: str | None = None) -> MappedText:
    """Strip both ends, keeping the map."""
    text = mt.text
    left = len(text) - len(text.lstrip(chars))
    right = len(text.rstrip(chars))
    if left == 0 and right == len(text):
        return mt
    return MappedText(text[left:right], mt.pos[left:right])


def slice_(mt: MappedText, start: int, end: int | None = None) -> MappedText:
    """A slice of a mapped text."""
    end = len(mt.text) if end is None else end
    return MappedText(mt.text[start:end], mt.pos[start:end])


_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f\u2002\u2003]{2,}|[\t\u00a0\u2009\u202f\u2002\u2003]")


def squash_spaces(mt: MappedText) -> MappedText:
    """Fold runs of blanks (and non-breaking spaces) to one space."""
    out = sub(mt, _SPACES, " ")
    return strip(out)


_BLANKS = " \t\u00a0\u2009\u202f\u2002\u2003\n"
# the runs of blanks that folding changes: every run but a lone plain space, which stays as it is
_FOLDED_RUN = re.compile(f"[{_BLANKS}]{{2,}}|[{_BLANKS[1:]}]")


def squash_indexed(mt: MappedText, offsets: Sequence[int] = ()) -> tuple[MappedText, list[int]]:
    """Fold blanks like :func:`squash_spaces`; also where each of ``offsets`` (old offsets) lands.

    Positions recorded before folding (footnote markers) follow this way. A
    blank run lands where its one space goes, the rest of the run just after
    it; leading and trailing blanks go. The work is one step a run that
    changes (a line break, a double space), not a word: a lone space between
    words keeps its characters and offsets, copied by slices (a step a word
    was half of the reading time).
    """
    text, pos = mt.text, mt.pos
    left, right = len(text) - len(text.lstrip(_BLANKS)), len(text.rstrip(_BLANKS))
    out: list[str] = []
    out_pos: list[int] = []
    runs: list[tuple[int, int, int]] = []  # (old start and end of a folded run, its new offset)
    n = 0  # characters out so far
    last = left
    for m in _FOLDED_RUN.finditer(text, left, right):
        a, b = m.span()
        out.append(text[last:a])
        out_pos.extend(pos[last:a])
        n += a - last
        runs.append((a, b, n))
        out.append(" ")
        out_pos.append(out_pos[-1])  # the space stands for the blanks after that character
        n += 1
        last = b
    out.append(text[last:right])
    out_pos.extend(pos[last:right])
    n += right - last
    starts = [a for a, _b, _n in runs]

    def landing(old: int) -> int:
        if old <= left:
            return 0
        if old >= right:
            return n
        k = bisect_right(starts, old) - 1
        if k < 0:
            return old - left
        a, end, at = runs[k]
        if old == a:
            return at
        return at + 1 + max(0, old - end)

    return MappedText("".join(out), out_pos), [landing(o) for o in offsets]
