"""kg works on a fresh machine and never replaces good output with worse (issue 8)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from kg.cli import main
from kg.read import bundled_corpus

ROOT = Path(__file__).resolve().parent.parent


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def one_seed() -> Path:
    return bundled_corpus()[3]


@pytest.fixture()
def earlier_build(one_seed, tmp_path, monkeypatch) -> Path:
    """A good build in kg-out/ of the current folder, as a user would have it."""
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(one_seed), "--no-validate"]) == 0
    return tmp_path / "kg-out"


def test_every_import_of_kg_is_declared_and_every_dependency_used():
    # deptry reads pyproject.toml and kg/: an import missing from the dependencies
    # (DEP001) or a dependency nothing imports (DEP002) fails here, and so CI
    result = subprocess.run([sys.executable, "-m", "deptry", "kg"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_version(capsys):
    from kg.version import __version__

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"kg {__version__}"


@pytest.mark.parametrize("case", ["typo", "empty folder", "every file failed"])
def test_a_failed_build_leaves_the_earlier_output_byte_identical(case, earlier_build, tmp_path, capsys):
    before = _digest(earlier_build)
    if case == "typo":
        arg, expected = "some/tpyo", "some/tpyo: no such file or folder"
    elif case == "empty folder":
        (tmp_path / "empty").mkdir()
        arg, expected = "empty", "empty: a folder with no document"
    else:
        bad = tmp_path / "bad"
        bad.mkdir()
        (bad / "a.txt").write_text("")
        (bad / "b.txt").write_bytes(b"PK\x00\x00binary")
        arg, expected = "bad", "no document could be read from bad"
    capsys.readouterr()
    assert main(["build", arg]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert _digest(earlier_build) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kg-out.")]  # no leftover temporary folder


def test_a_build_never_replaces_a_folder_kg_did_not_write(one_seed, tmp_path, capsys):
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "thesis.md").write_text("my own work")
    assert main(["build", str(one_seed), "-o", str(mine), "--no-validate"]) == 1
    assert "holds files kg did not write" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["thesis.md"]


def test_a_build_replaces_its_output_whole(earlier_build, one_seed, capsys):
    stale = earlier_build / "stale.txt"
    stale.write_text("from an earlier version")
    assert main(["build", str(bundled_corpus()[0]), "--no-validate"]) == 0
    assert not stale.exists()
    assert {"graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "cocitation.html", "build.json"} <= {
        p.name for p in earlier_build.iterdir()}


def test_readers_answer_about_the_last_build_and_say_so(earlier_build, capsys):
    capsys.readouterr()
    assert main(["query", "citations_by_type", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "answering about the last build, kg-out" in captured.err
    assert "1 documents" in captured.err
    # the last build holds one resolution (A/RES/75/158), not the five bundled ones
    assert main(["stats", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "answering about the last build" in captured.err
    assert "A/HRC/RES/32/3" not in captured.out
    assert main(["view", "A/RES/75/158", "-o", "one.html"]) == 0
    assert Path("one.html").is_file()


def test_a_build_elsewhere_is_the_one_readers_use(one_seed, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(one_seed), "-o", "elsewhere/out", "--no-validate"]) == 0
    capsys.readouterr()
    assert main(["query", "protocols"]) == 0
    assert "elsewhere" in capsys.readouterr().err


def test_with_no_build_readers_fall_back_to_the_bundled_corpus_and_say_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["query", "protocols"]) == 0
    assert "no build in this folder" in capsys.readouterr().err


@pytest.mark.slow
def test_the_wheel_installed_outside_the_checkout_builds_and_queries(tmp_path):
    """Build the wheel, install it into a new virtual environment, run kg far from the checkout."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("kg-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    kg = env_dir / "bin" / "kg"
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = subprocess.run([str(kg), "build"], cwd=away, capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stderr
    assert (away / "kg-out" / "graph.ttl").stat().st_size > 100_000
    listed = subprocess.run([str(kg), "query", "--list"], cwd=away, capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "most_cited_instruments" in listed.stdout
    # the installed kg reads its own files, not the checkout's
    where = subprocess.run([str(python), "-c", "import kg.graph.resources as r; print(r.queries_dir())"], cwd=away,
                           capture_output=True, text=True, env=env)
    assert str(env_dir) in where.stdout
