"""Subcommands beyond ``read``: extract, build, query, view, stats.

Kept apart from :mod:`kg.cli` so each stays short; each parses its options
and calls one library function.
"""

from __future__ import annotations

import argparse
import json
import sys

from kg.cli import Run


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.extract import extract_references

    run = Run(args.paths)
    out = sys.stdout
    for doc, refs in extract_references(run.documents()):
        if args.unresolved:
            refs = [r for r in refs if r.id is None]
        if args.format == "jsonl":
            for r in refs:
                out.write(json.dumps(r.to_record(), ensure_ascii=False) + "\n")
        else:
            out.write(f"== {doc.name} ({doc.path}): {len(refs)} references\n")
            for r in refs:
                rid = r.id or "(unresolved)"
                out.write(f"  {r.clause:<9} {r.type:<10} {rid:<28} {r.verb:<22} "
                          f"{'R ' if r.ratification else '  '}{_short(r.text)}\n")
    return run.status


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommands to the ``kg`` parser."""
    p = sub.add_parser("extract", help="print every reference: JSON lines, or a table for people")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus)")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    p.add_argument("--unresolved", action="store_true",
                   help="only the references kg could not resolve (the review queue)")
    p.set_defaults(func=cmd_extract)
