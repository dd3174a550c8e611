"""Mutations of real documents, shared by the property-based tests and benchmarks/fuzz.py.

A case is a seed resolution (text, or AKN4UN XML from ../shared/corpus when
present) with a few random edits: bytes and characters inserted, deleted,
repeated or swapped, lines cut, markup and hostile strings spliced in. The
property: reading and extracting it raises no error but kg's own, and every
reference points at its text (``text == source[start:end]``).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from kg.errors import KgError
from kg.extract import extract_references
from kg.read import bundled_corpus, read_document

HOSTILE = ["<!--", "</script>", "\u2028", "¹²³⁴⁵⁶⁷⁸⁹⁰" * 50, "(" * 300, "A" * 400, "resolution 1/1, " * 40,
           "Ibid.", "31 February 2020", "\x00", "\ufeff", "&amp;", "<authorialNote marker=\"99999999\">",
           "Official Records of the", " entitled “", "”", "Plan of the " * 30, "\r\n", "\t", "\\*"]


def seed_texts() -> list[bytes]:
    """The bundled seeds, and a few AKN4UN XML files of the corpus when it is there."""
    texts = [p.read_bytes() for p in bundled_corpus()]
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "unxml-ga-xml"
    if corpus.is_dir():
        texts += [p.read_bytes() for p in sorted(corpus.glob("*.xml"))[:4]]
    return texts


def mutate(data: bytes, rng: random.Random, edits: int = 4) -> bytes:
    """``data`` with a few random edits."""
    buf = bytearray(data)
    for _ in range(edits):
        if not buf:
            break
        at = rng.randrange(len(buf))
        kind = rng.randrange(6)
        if kind == 0:  # insert a hostile string
            buf[at:at] = rng.choice(HOSTILE).encode("utf-8")
        elif kind == 1:  # delete a stretch
            del buf[at : at + rng.randrange(1, 400)]
        elif kind == 2:  # repeat a stretch
            buf[at:at] = bytes(buf[at : at + rng.randrange(1, 200)]) * rng.randrange(2, 20)
        elif kind == 3:  # a random byte
            buf[at] = rng.randrange(256)
        elif kind == 4:  # cut the document short
            del buf[at:]
        else:  # swap two stretches
            other = rng.randrange(len(buf))
            a, b = sorted((at, other))
            buf[a:b] = buf[a:b][::-1]
    return bytes(buf)


def check(data: bytes, suffix: str = ".txt") -> str:
    """Read and extract one case; returns "ok" or "refused" (kg's own error); anything else propagates."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"case{suffix}"
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except KgError:
            return "refused"
        for found_doc, refs in extract_references([doc]):
            for r in refs:
                if found_doc.source[r.start : r.end] != r.text:
                    raise AssertionError(f"record text {r.text!r} is not source[{r.start}:{r.end}]")
    return "ok"
