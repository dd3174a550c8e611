"""Where the ontology, the shapes and the query library live.

``ontology/`` and ``queries/`` sit at the top of the repository, where users
look for them. The wheel ships them as the data packages ``kg.ontology`` and
``kg.queries`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml), and
an editable install maps those names onto the checkout's folders, so one
lookup through :mod:`importlib.resources` finds them in both. This module is
the one place that does.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kg.errors import KgError

ROOT = Path(__file__).resolve().parents[2]  # the checkout: kg/graph/resources.py -> ../../..


def _folder(name: str) -> Path:
    # kg.ontology and kg.queries are namespace packages (data only), so their
    # spec's search location is the folder; files() would give a MultiplexedPath
    spec = importlib.util.find_spec(f"kg.{name}")
    locations = list(spec.submodule_search_locations or []) if spec else []
    folder = Path(locations[0]) if locations else ROOT / name  # ROOT: a checkout never installed
    if not folder.is_dir():
        raise KgError(f"cannot find kg's {name}/ (looked in {folder}); reinstall kg")
    return folder


def ontology_dir() -> Path:
    """The folder holding kg.ttl (OWL) and shapes.ttl (SHACL)."""
    return _folder("ontology")


def queries_dir() -> Path:
    """The folder of the SPARQL query library (``*.rq``)."""
    return _folder("queries")
