"""Read the UN's own AKN4UN (Akoma Ntoso) XML.

The markup gives paragraphs, numbers, footnotes (``<authorialNote>``) and
the cover page directly. To report offsets into the XML file itself, this
reader walks the source with a small tokenizer rather than a tree (a tree
keeps no character offsets); ``xml.etree`` first checks that the file is
well-formed, so a broken file gets a clear error. The result is the same
paragraph layout the text reader builds, so segmentation and metadata are
shared and the XML and its rendered text read to the same model.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from kg.errors import InputError
from kg.models import Document, MappedText
from kg.read.layout import Layout
from kg.read.segment import segment
from kg.read.textmap import squash_spaces

_TOKEN = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>"
    r"|<(?P<close>/)?(?P<name>[\w:.\-]+)(?P<attrs>(?:\s+[\w:.\-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?P<empty>/)?>"
    r"|(?P<text>[^<]+)",
    re.S,
)
_ATTR = re.compile(r"([\w:.\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_SKIP = {"meta", "img"}  # metadata and images carry no text of the document
# Elements that start a paragraph of their own.
_BLOCKS = {"container", "paragraph", "point", "wrapUp", "tblock", "tr"}
_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _local(name: str) -> str:
    return name.split(":", 1)[-1]


class _Builder:
    """Collects paragraphs and footnotes as mapped text while walking tokens."""

    def __init__(self) -> None:
        self.paragraphs: list[MappedText] = []
        self.current = MappedText()
        self.footnotes: dict[int, MappedText] = {}
        self.order: list[int] = []
        self.note: MappedText | None = None
        self.note_number = 0

    def sink(self) -> MappedText:
        return self.note if self.note is not None else self.current

    def add(self, text: str, pos: list[int]) -> None:
        target = self.sink()
        target.text += text
        target.pos.extend(pos)

    def space(self, at: int) -> None:
        target = self.sink()
        if target.text and not target.text.endswith(" "):
            target.text += " "
            target.pos.append(at)

    def end_paragraph(self) -> None:
        para = squash_spaces(self.current)
        if para.text:
            self.paragraphs.append(para)
        self.current = MappedText()


def read_akn(path: str | Path, source: str) -> Document:
    """A :class:`Document` from AKN4UN XML text; offsets point into the XML."""
    try:
        ET.fromstring(source.encode("utf-8"))
    except ET.ParseError as exc:
        raise InputError(path, f"malformed AKN4UN XML: {exc}") from None
    walk = _Walk()
    for m in _TOKEN.finditer(source):
        walk.token(m)
    b = walk.b
    b.end_paragraph()
    layout = Layout(b.paragraphs, b.footnotes, b.order, plain_markers=False)
    return segment(path, "akn", source, layout)


class _Walk:
    """The walk over the XML's tokens: which element we are in, what to skip, table cells."""

    def __init__(self) -> None:
        self.b = _Builder()
        self.stack: list[str] = []
        self.skip_depth = 0
        self.row_filled = False
        self.cell_start = 0

    def token(self, m: re.Match[str]) -> None:
        if m.group("text") is not None:
            if not self.skip_depth and self.stack:
                _add_text(self.b, m.group("text"), m.start())
            return
        name = m.group("name")
        if name is None:
            return
        if m.group("close"):
            self.close(_local(name), m.start())
        else:
            self.open(_local(name), m)

    def close(self, name: str, at: int) -> None:
        b = self.b
        if self.stack and self.stack[-1] == name:
            self.stack.pop()
        if self.skip_depth:
            if name in _SKIP:
                self.skip_depth -= 1
            return
        if name == "authorialNote" and b.note is not None:
            b.footnotes.setdefault(b.note_number, squash_spaces(b.note))
            if b.note_number not in b.order:
                b.order.append(b.note_number)
            b.note = None
        elif name in ("p", "num", "td", "th") and b.note is None:
            self.close_text(name, at)
        elif name in _BLOCKS and b.note is None:
            b.end_paragraph()

    def close_text(self, name: str, at: int) -> None:
        """The end of a paragraph, a number or a table cell."""
        b = self.b
        if name == "num":
            b.space(at)
        elif name in ("td", "th"):
            # an empty cell leaves nothing, as in the UN's text rendering
            if not b.current.text[self.cell_start :].strip(" |"):
                b.current = MappedText(b.current.text[: self.cell_start], b.current.pos[: self.cell_start])
            else:
                self.row_filled = True
        elif not _inside_block(self.stack) or self.stack[-1] in ("coverPage", "preface", "formula", "conclusions"):
            b.end_paragraph()
        else:
            b.space(at)

    def open(self, name: str, m: re.Match[str]) -> None:
        b = self.b
        empty = bool(m.group("empty"))
        if self.skip_depth or name in _SKIP:
            if not empty and name in _SKIP:
                self.skip_depth += 1
            return
        if name in ("eol", "br"):
            b.space(m.start())
            return
        if empty:
            return
        self.stack.append(name)
        if name == "authorialNote":
            attrs = {k: (v1 if v1 else v2) for k, v1, v2 in _ATTR.findall(m.group("attrs") or "")}
            digits = re.sub(r"\D", "", attrs.get("marker", ""))[:6]  # a marker of thousands of digits is none
            number = int(digits or len(b.order) + 1)
            marker = str(number).translate(_SUPER)
            b.add(marker, [m.start()] * len(marker))
            b.note = MappedText()
            b.note_number = number
        elif name in _BLOCKS and b.note is None:
            b.end_paragraph()
        elif name in ("td", "th") and b.note is None:
            self.cell_start = len(b.current.text)
            if self.row_filled:
                b.add(" | ", [m.start()] * 3)
        if name == "tr":
            self.row_filled = False


def _inside_block(stack: list[str]) -> bool:
    return any(s in _BLOCKS for s in stack)


def _add_text(b: _Builder, raw: str, start: int) -> None:
    """Add a text node, unescaping entities and keeping offsets."""
    if "&" not in raw:
        b.add(raw, list(range(start, start + len(raw))))
        return
    out: list[str] = []
    pos: list[int] = []
    last = 0
    for em in re.finditer(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);", raw):
        out.append(raw[last : em.start()])
        pos.extend(range(start + last, start + em.start()))
        ch = html.unescape(em.group(0))
        out.append(ch)
        pos.extend([start + em.start()] * len(ch))
        last = em.end()
    out.append(raw[last:])
    pos.extend(range(start + last, start + len(raw)))
    b.add("".join(out), pos)
