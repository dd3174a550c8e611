"""The ``kg`` command: a thin layer over the library.

Each subcommand (:mod:`kg.cli.commands`) parses its arguments and calls one
public function; the library is imported inside each command, so that
``kg --help`` and ``kg query`` never load spaCy, networkx or pyvis.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kg.cli import commands
from kg.errors import KgError
from kg.version import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn UN resolutions into a knowledge graph of the instruments, bodies and "
        "references in them. With no path, commands use the five bundled resolutions.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("--time-budget", type=float, default=120.0, metavar="SECONDS",
                        help="stop reading or extracting one document after this long, report it and go on "
                             "(default 120; 0: no budget)")
    sub = parser.add_subparsers(dest="command", required=True)
    commands.register(sub)
    return parser


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
