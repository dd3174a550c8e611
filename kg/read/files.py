"""Read a resolution from a file, whatever its format.

The format is detected, never asked for: a PDF by its magic bytes, AKN4UN
XML by its root element, anything else as text (markdown converted from
PDF, text rendered from AKN4UN, raw PDF text). Every failure is an
:class:`~kg.errors.InputError` naming the file and the problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.models import Document
from kg.read.layout import lay_out
from kg.read.segment import segment

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".xml", ".akn", ".pdf", ""}


def bundled_corpus() -> list[Path]:
    """The five seed resolutions shipped with kg: the default corpus."""
    folder = resources.files("kg") / "data" / "corpus"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (sorted, not hidden)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in TEXT_SUFFIXES:
                    yield child
        else:
            yield path


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text (a BOM is dropped); Windows-1252 is tolerated."""
    if not data.strip():
        raise InputError(path, "the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "cannot decode the text: a UTF-16 mark, but not UTF-16") from None
    if b"\x00" in data[:4096]:
        raise InputError(path, "a binary file, not a resolution (text, PDF or AKN4UN XML)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                path, f"cannot decode the text: not UTF-8 (byte {exc.start}) nor Windows-1252"
            ) from None
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls > len(text) / 100:
            raise InputError(path, "a binary file, not a resolution (text, PDF or AKN4UN XML)") from None
        return text


def detect_format(data: bytes) -> str:
    """"pdf", "akn" or "text"."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"<") and b"akomaNtoso" in data[:4096]:
        return "akn"
    return "text"


def read_document(path: str | Path) -> Document:
    """Read one resolution into a :class:`~kg.models.Document`.

    >>> doc = read_document(bundled_corpus()[3])
    >>> doc.metadata.symbol, len(doc.operative)
    ('A/RES/75/158', 52)
    """
    path = Path(path)
    if path.exists() and not path.is_dir() and not path.is_file():
        raise InputError(path, "not a regular file (a pipe or a device); name a file")  # reading a FIFO would hang
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a folder; name the files, or give the folder to a command") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None
    fmt = detect_format(data)
    if fmt == "pdf":
        from kg.read.pdf import pdf_text

        source = pdf_text(path, data)
        return segment(path, "pdf", source, lay_out(source))
    text = decode(path, data)
    if fmt == "akn":
        from kg.read.akn import read_akn

        return read_akn(path, text)
    return segment(path, "text", text, lay_out(text))
