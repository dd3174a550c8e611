"""Inline cleaning of a paragraph: markdown, HTML, escapes, footnote markers.

Each step keeps the offset map (see :mod:`kg.read.textmap`). Footnote markers
are taken out of the text and kept as :class:`~kg.models.Marker` objects, so
that names read whole ("Organized Crime¹ and" becomes "Organized Crime and")
while each marker still knows where it stood.
"""

from __future__ import annotations

import html
import re

from kg.models import MappedText, Marker
from kg.read.layout import SUP_TO_DIGIT
from kg.read.textmap import squash_indexed, squash_spaces, sub

_ESCAPED_STAR = re.compile(r"\\\*")
_ESCAPED = re.compile(r"\\([\\`_{}\[\]()#+\-.!|>~])")
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([^)\s]*\)")
_SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_EMPHASIS = re.compile(r"\*{1,3}|(?<![\w])_{1,2}(?=\S)|(?<=\S)_{1,2}(?![\w])")
_HEADING = re.compile(r"^#{1,6}\s+")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_STAR_HOLD = "\ue000"
_SUPERSCRIPT_RUN = re.compile(r"\s?([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,\s]+[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)")


def clean_inline(mt: MappedText, fold: bool = True) -> MappedText:
    """Remove markdown and HTML from a paragraph, keeping the offset map.

    Escaped asterisks (``\\*``, the non-member mark of a sponsor) survive as
    ``*``; emphasis markers go; links keep their text; ``<sup>n</sup>`` turns
    into superscript digits so that one marker rule serves every format.
    """
    mt = sub(mt, _ESCAPED_STAR, _STAR_HOLD)
    mt = sub(mt, _ESCAPED, 1)
    mt = sub(mt, _LINK, 1)
    mt = sub(mt, _SUP, lambda m: m.group(1).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")))
    mt = sub(mt, _TAG, "")
    mt = sub(mt, _EMPHASIS, "")
    mt = sub(mt, _HEADING, "")
    mt = sub(mt, _ENTITY, lambda m: html.unescape(m.group(0)))
    mt = sub(mt, re.compile(_STAR_HOLD), "*")
    return squash_spaces(mt) if fold else mt


def take_markers(mt: MappedText, numbers: set[int], glued: set[int] | None = None) -> tuple[MappedText, list[Marker]]:
    """Take footnote markers out of ``mt`` and fold blanks.

    Superscript digits are always markers. Plain digits (PDF text prints
    "Rights,1 the" or "Outcome, 1  sports") count only where they name a
    footnote the document has, and only glued to a word or punctuation, or
    spaced but followed by two blanks, as PyMuPDF leaves them: so run this
    before blanks are folded.
    """
    text, pos = mt.text, mt.pos
    out: list[str] = []
    out_pos: list[int] = []
    offsets: list[tuple[int, int]] = []  # (footnote number, offset in ``out``)
    last = 0
    size = 0
    glued = glued or set()
    for m in _marker_pattern(bool(numbers), bool(glued)).finditer(text):
        if m.group("sup"):
            values = [int(x.translate(SUP_TO_DIGIT)) for x in re.split(r"[,\s]+", m.group("sup"))]
        elif m.groupdict().get("glued"):
            if int(m.group("glued")) not in glued:
                continue
            values = [int(m.group("glued"))]
        else:
            value = int(m.group("plain") or m.group("spaced"))
            if value not in numbers:
                continue
            values = [value]
        out.append(text[last : m.start()])
        out_pos.extend(pos[last : m.start()])
        size += m.start() - last
        offsets.extend((v, size) for v in values)
        last = m.end()
    out.append(text[last:])
    out_pos.extend(pos[last:])
    folded, landed = squash_indexed(MappedText("".join(out), out_pos), [o for _n, o in offsets])
    markers = [Marker(n, at) for (n, _o), at in zip(offsets, landed, strict=True)]
    return folded, markers


_PATTERNS: dict[tuple[bool, bool], re.Pattern[str]] = {}


def _marker_pattern(with_plain: bool, with_glued: bool = False) -> re.Pattern[str]:
    key = (with_plain, with_glued)
    if key not in _PATTERNS:
        # markers of at most four digits; a longer run of superscripts is text, not a marker
        sup = r"(?<![⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}(?:,\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})*)(?![⁰¹²³⁴⁵⁶⁷⁸⁹])"
        plain = (
            r"(?<=[A-Za-z\)”’\",.;:])(?<!\d\.)(?P<plain>\d{1,3})(?=\s|$|[,;.:])"
            r"|(?<=[A-Za-z\)”’\",.;:]) (?P<spaced>\d{1,3})(?=\s{2}|\s*$)"
        )
        # a footnote number printed plain and glued to a word, even in text from XML
        # ("Transnational Organized Crime3 and"); after a lower-case word only, so G20 stays
        glued = r"(?<=[a-z]{3})(?P<glued>\d{1,2})(?=[\s,;.:]|$)"
        _PATTERNS[key] = re.compile(sup + ("|" + plain if with_plain else "") + ("|" + glued if with_glued else ""))
    return _PATTERNS[key]
