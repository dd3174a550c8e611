"""Where a build's output lives, and how it is replaced: only ever as a whole.

A build is written into a fresh folder beside its destination and swapped in
by renames once every file is complete, so a failed or interrupted run
leaves the earlier output as it was. The folder carries ``build.json`` (what
was built, by which kg); ``kg build`` also records the folder in
``.kg-last-build`` in the current folder, so that ``kg query``, ``kg stats``
and ``kg view`` answer about the last build instead of the bundled corpus.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

DEFAULT_OUT = Path("kg-out")
MANIFEST = "build.json"
POINTER = ".kg-last-build"
GRAPH_FILES = ("store", "graph.nt", "graph.ttl")  # the fastest to open first


def check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that kg did not write (a user's own files)."""
    if out.exists() and not out.is_dir():
        raise KgError(f"{out}: exists and is not a folder; name an output folder with -o")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file() and not (out / "graph.ttl").is_file():
        raise KgError(f"{out}: holds files kg did not write; name an empty or new output folder with -o")


@contextmanager
def replacing_folder(out: Path) -> Iterator[Path]:
    """A fresh folder to write into; on success it replaces ``out`` whole.

    Every file is flushed to disk before the swap, and the swap is one atomic
    exchange of the two folders where the system has one (Linux
    ``renameat2``), so a kill at any point leaves either the old set of files
    or the new one at ``out``. On any failure the fresh folder is removed and
    ``out`` is untouched; folders left by a killed run are removed by the next.
    """
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphans(out)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    fresh.chmod(0o777 & ~umask)  # mkdtemp makes 0700; an output folder is an ordinary one
    try:
        yield fresh
        _fsync_folder(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if out.exists() and _exchange(fresh, out):
        shutil.rmtree(fresh, ignore_errors=True)  # now holds the old set
    else:
        retired = None
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
            os.replace(out, retired / out.name)
        os.replace(fresh, out)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    _fsync_dir(out.parent)


def _fsync_folder(folder: Path) -> None:
    """Every file under ``folder`` (the store is a folder of files) and every folder, on disk."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    return done == 0


def _remove_orphans(out: Path) -> None:
    """Temporary folders of earlier runs beside ``out`` whose process is gone (a run that was killed)."""
    for path in out.parent.glob(f".{out.name}.*-*-*"):
        parts = path.name[len(out.name) + 2 :].split("-")
        if len(parts) >= 2 and parts[0] in ("new", "old") and parts[1].isdigit() and not _alive(int(parts[1])):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_manifest(folder: Path, summary: dict, inputs: list[str], files: list[str]) -> None:
    """``build.json``: what the build read and wrote (no clock time, so builds stay byte-identical)."""
    from kg.version import __version__

    manifest = {"kg": __version__, "inputs": inputs or ["(the bundled corpus)"], "files": sorted(files),
                "summary": summary}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def record_last_build(out: Path) -> None:
    """Note in the current folder where the last build was written."""
    pointer = Path(POINTER)
    tmp = pointer.with_name(pointer.name + ".tmp")
    tmp.write_text(str(out.resolve()) + "\n", encoding="utf-8")
    os.replace(tmp, pointer)


@dataclass
class LastBuild:
    """A build found on disk: its folder, graph file and manifest."""

    folder: Path
    graph: Path
    manifest: dict

    def describe(self) -> str:
        docs = self.manifest.get("summary", {}).get("documents")
        count = f", {docs} documents" if docs is not None else ""
        return f"the last build, {self.folder}{os.sep} ({self.graph.name}{count})"


def find_last_build(cwd: Path | None = None) -> LastBuild | None:
    """The build ``.kg-last-build`` names, else ``kg-out/``, in the current folder; None when neither holds one."""
    cwd = cwd or Path.cwd()
    candidates = []
    pointer = cwd / POINTER
    if pointer.is_file():
        candidates.append(Path(pointer.read_text(encoding="utf-8").strip()))
    candidates.append(cwd / DEFAULT_OUT)
    for folder in candidates:
        for name in GRAPH_FILES:
            if (folder / name).exists():
                manifest = {}
                if (folder / MANIFEST).is_file():
                    try:
                        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
                    except (OSError, ValueError):
                        manifest = {}
                shown = folder.relative_to(cwd) if folder.is_relative_to(cwd) else folder
                return LastBuild(shown, folder / name, manifest)
    return None
