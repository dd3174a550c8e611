"""Run the files of one command: expand the paths, read each file, report failures.

A bad file gets one line on stderr naming it and the problem; the other
files of the run still go through, and the exit status is 1 when any failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg import deadline
from kg.errors import KgError
from kg.models import Document
from kg.read import bundled_corpus, expand_paths, read_document


class Run:
    """Reads the files of one command, reporting and counting failures.

    A path named that does not exist, or a folder holding no document, is
    reported like a bad file. With ``strict`` (``kg build``, whose output
    replaces an earlier one) it is an error before anything is read.
    """

    def __init__(self, paths: Sequence[str], progress: bool = True, strict: bool = False,
                 time_budget: float | None = deadline.DEFAULT_SECONDS) -> None:
        self.failed = 0
        self.time_budget = time_budget
        self.named = list(paths)
        self.paths = self._expand(paths, strict) if paths else bundled_corpus()
        self.read = 0
        self.progress = progress  # a bar while reading, on a terminal (kg.cli.progress)

    def _expand(self, paths: Sequence[str], strict: bool) -> list:
        found = []
        for p in paths:
            files = list(expand_paths([p]))
            problem = ("no such file or folder" if not Path(p).exists()
                       else "a folder with no document in it (.txt, .md, .xml, .pdf)" if not files else None)
            if problem is None:
                found.extend(files)
            elif strict:
                raise KgError(f"{p}: {problem}")
            else:
                self.error(f"{p}: {problem}")
        return found

    def documents(self) -> Iterator[Document]:
        """Each readable document in turn; bad files are reported and skipped."""
        from kg.cli.progress import bar

        with bar("reading" if self.progress else "", total=len(self.paths)) as advance:
            for path in self.paths:
                doc, problem = read_one(path, self.time_budget)
                advance()
                if doc is None:
                    self.error(problem or f"{path}: could not be read")
                    continue
                self.read += 1
                yield doc

    def failed_extraction(self, doc: Document, exc: BaseException) -> None:
        """A document that was read but could not be extracted: reported, the run goes on."""
        self.error(extraction_problem(doc, exc))

    def error(self, message: str) -> None:
        self.failed += 1
        print(f"kg: error: {message}", file=sys.stderr)

    @property
    def status(self) -> int:
        return 1 if self.failed else 0


def read_one(path: str | Path, time_budget: float | None) -> tuple[Document | None, str | None]:
    """A file's document, or None and the line that says why it could not be read."""
    try:
        with deadline.budget(str(path), time_budget):
            return read_document(path), None
    except KgError as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - one bad file never costs the run
        return None, f"{path}: could not be read: {type(exc).__name__}: {exc}"


def extraction_problem(doc: Document, exc: BaseException) -> str:
    return f"{doc.path}: could not be extracted: {type(exc).__name__}: {exc}"


def short(text: str, n: int = 70) -> str:
    """Text on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
