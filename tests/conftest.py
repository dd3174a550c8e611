"""Shared fixtures: the bundled seeds, the gold files and the corpus beside the repo.

``../shared`` is read where it exists (developers and CI have it); tests that
need it skip cleanly when it is absent. Paths come from ``__file__`` so the
tests run from any working directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.read import bundled_corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True)
def _own_working_folder(tmp_path_factory, monkeypatch):
    """Each test runs in a folder of its own: ``kg build`` records its last build
    in the current folder, and a test must neither see another's nor litter the checkout."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    """Stem -> path of each bundled seed resolution."""
    return {p.stem: p for p in bundled_corpus()}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    if not GOLD.is_dir():
        pytest.skip("../shared/gold is absent")
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS


@pytest.fixture(scope="session")
def seed_references(seeds):
    """Every seed with its references, extracted once for the session."""
    from kg.extract.references import extract_references
    from kg.read import read_document

    return {doc.path: (doc, refs) for doc, refs in extract_references(read_document(p) for p in seeds.values())}


def assert_score_meets_the_issue_thresholds(gold: Path, docs: Path) -> None:
    """The evaluator's scores, by the issues' bar: ALL F1 >= 0.95, MACRO >= 0.93, each type P and R >= 0.90."""
    import subprocess
    import sys

    cmd = f"{sys.executable} -m kg.cli extract {{files}} --format jsonl"
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "evaluate.py"), "--gold", str(gold), "--docs",
                          str(docs), "--cmd", cmd, "--json"], capture_output=True, text=True, check=True)
    rows = json.loads(out.stdout)
    assert rows["ALL"]["f1"] >= 0.95
    assert rows["MACRO"]["f1"] >= 0.93
    for type_, row in rows.items():
        if type_ not in ("ALL", "MACRO") and row["gold"]:
            assert row["p"] >= 0.90 and row["r"] >= 0.90, (type_, row)
