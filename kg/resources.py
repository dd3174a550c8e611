"""Where the ontology, the shapes and the query library live.

``ontology/`` and ``queries/`` sit at the top of the repository (kg is
installed from its checkout, ``pip install -e .``); this module is the one
place that finds them.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError

ROOT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Path:
    folder = ROOT / name
    if not folder.is_dir():
        raise KgError(f"cannot find {name}/ beside the kg package ({folder}); install kg from its "
                      "checkout with 'pip install -e .'")
    return folder


def ontology_dir() -> Path:
    return _folder("ontology")


def queries_dir() -> Path:
    return _folder("queries")
