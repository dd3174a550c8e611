"""The ``kg`` command: a thin layer over the library.

Each subcommand parses its arguments and calls one public function. A bad
file gets one line on stderr naming it and the problem; the other files of
the run still go through, and the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.errors import KgError
from kg.models import Document
from kg.read import bundled_corpus, expand_paths, read_document
from kg.version import __version__


class Run:
    """Reads the files of one command, reporting and counting failures.

    A path named that does not exist, or a folder holding no document, is
    reported like a bad file. With ``strict`` (``kg build``, whose output
    replaces an earlier one) it is an error before anything is read.
    """

    def __init__(self, paths: Sequence[str], progress: bool = True, strict: bool = False) -> None:
        self.failed = 0
        self.named = list(paths)
        self.paths = self._expand(paths, strict) if paths else bundled_corpus()
        self.read = 0
        self.progress = progress and len(self.paths) >= 50 and sys.stderr.isatty()

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
        total = len(self.paths)
        for n, path in enumerate(self.paths, 1):
            if self.progress and (n % 25 == 0 or n == total):
                print(f"\rreading {n}/{total}", end="" if n < total else "\n", file=sys.stderr)
            try:
                doc = read_document(path)
            except KgError as exc:
                self.error(str(exc))
                continue
            self.read += 1
            yield doc

    def error(self, message: str) -> None:
        self.failed += 1
        print(f"kg: error: {message}", file=sys.stderr)

    @property
    def status(self) -> int:
        return 1 if self.failed else 0


def cmd_read(args: argparse.Namespace) -> int:
    run = Run(args.paths)
    for doc in run.documents():
        if args.format == "json":
            print(json.dumps(doc.to_json(), ensure_ascii=False))
        else:
            print(render_document(doc))
    return run.status


def render_document(doc: Document) -> str:
    """A readable view of a document model, for people."""
    md = doc.metadata
    lines = [f"== {doc.name}  ({doc.path}, {doc.format})"]
    for key, value in md.to_json().items():
        if value not in (None, [], ""):
            lines.append(f"  {key}: {value}")
    lines.append(f"  clauses: {len(doc.preambular)} preambular, {len(doc.operative)} operative; "
                 f"footnotes: {len(doc.footnotes)}")
    for c in doc.clauses:
        marks = f"  [fn {', '.join(str(m.number) for m in c.markers)}]" if c.markers else ""
        lines.append(f"  {c.id:<9} {c.verb:<28} {_short(c.text.text, 90)}{marks}")
    for f in doc.footnotes:
        src = f"  => {_short(f.source, 60)}" if f.ibid_of else ""
        lines.append(f"  fn{f.number:<7} {_short(f.text.text, 80)}  <- {', '.join(f.clauses)}{src}")
    return "\n".join(lines)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn UN resolutions into a knowledge graph of the instruments, bodies and "
        "references in them. With no path, commands use the five bundled resolutions.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("read", help="print the document model: metadata, clauses, footnotes")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_read)
    _register_more(sub)
    return parser


def _register_more(sub: argparse._SubParsersAction) -> None:
    """Subcommands defined in other modules register themselves here."""
    from kg import commands

    commands.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
