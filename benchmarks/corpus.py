"""The corpus the benchmarks read: ../shared/corpus when present, the seeds otherwise."""

from __future__ import annotations

import contextlib
from pathlib import Path

from kg.errors import KgError
from kg.models import Document
from kg.read import bundled_corpus, expand_paths, read_document

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def corpus_files(folders: list[Path] | None = None) -> list[Path]:
    """Text, XML and PDF files of the folders given, else of ../shared/corpus, else the seeds."""
    folders = folders or ([CORPUS] if CORPUS.is_dir() else [])
    if not folders:
        return bundled_corpus()
    return [p for p in expand_paths(folders) if p.suffix in (".txt", ".xml", ".pdf")]


def read_all(files: list[Path]) -> list[Document]:
    """Every readable document; the unreadable are skipped (kg read reports them)."""
    docs = []
    for p in files:
        with contextlib.suppress(KgError):
            docs.append(read_document(p))
    return docs
