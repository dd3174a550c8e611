"""The work of one file, and running it over many files on every core or on a Dask cluster.

Reading, extracting and mapping a document depend on that document alone,
so :func:`build_file` and :func:`extract_file` are plain functions of one
path that return small picklable results (a :class:`~kg.graph.build.DocumentPart`,
or the text ``kg extract`` prints), never spaCy objects. :func:`run_files`
hands them to worker processes (``--workers N``) or to a Dask cluster
(``--scheduler ADDRESS``), and yields the results in the order of the
paths, so the output is the same byte for byte whatever runs it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from kg.errors import KgError
from kg.graph.build import DocumentPart


@dataclass
class Outcome:
    """What one file gave: its part of the graph or its output text, and the lines to report."""

    path: str
    read: bool = False
    problems: list[str] = field(default_factory=list)
    part: DocumentPart | None = None
    text: str = ""
    violations: list = field(default_factory=list)  # of the document's own nodes (kg.graph.validate.Violation)


def _references(path: str, time_budget: float | None) -> tuple[Outcome, list]:
    from kg.cli.run import extraction_problem, read_one
    from kg.extract.references import extract_references

    doc, problem = read_one(path, time_budget)
    if doc is None:
        return Outcome(path, problems=[problem or f"{path}: could not be read"]), []
    outcome = Outcome(path, read=True)
    results = list(extract_references([doc], time_budget=time_budget,
                                      on_error=lambda d, e: outcome.problems.append(extraction_problem(d, e))))
    return outcome, results


def build_file(path: str, time_budget: float | None = None) -> Outcome:
    """Read, extract and map one file: its part of the graph (``kg build``)."""
    from kg.graph.build import map_document
    from kg.lexicon.registry import load_registry

    outcome, results = _references(path, time_budget)
    for doc, refs in results:
        outcome.part = map_document(doc, refs, load_registry())
    return outcome


def extract_file(path: str, time_budget: float | None = None, fmt: str = "table", unresolved: bool = False,
                 ) -> Outcome:
    """Read and extract one file: what ``kg extract`` prints for it."""
    outcome, results = _references(path, time_budget)
    for doc, refs in results:
        outcome.text = render_references(doc, refs, fmt, unresolved)
    return outcome


def render_references(doc, refs: list, fmt: str, unresolved: bool) -> str:  # type: ignore[no-untyped-def]
    """JSON lines (one a reference), or a table for people."""
    if unresolved:
        refs = [r for r in refs if r.id is None]
    if fmt == "jsonl":
        return "".join(json.dumps(r.to_record(), ensure_ascii=False) + "\n" for r in refs)
    from kg.cli.run import short

    lines = [f"== {doc.name} ({doc.path}): {len(refs)} references\n"]
    for r in refs:
        rid = r.id or "(unresolved)"
        lines.append(f"  {r.clause:<9} {r.type:<10} {rid:<28} {r.verb:<22} "
                     f"{'R ' if r.ratification else '  '}{short(r.text)}\n")
    return "".join(lines)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


BATCH = 8  # files a task: enough to share a validation store, few enough to keep both cores busy to the end


def run_files(work: Callable[[Sequence[str]], list[Outcome]], paths: Sequence[str], workers: int | None = None,
              scheduler: str | None = None, progress: str = "") -> Iterator[Outcome]:
    """``work`` on batches of the paths, the outcomes in the order of the paths.

    One worker runs in this process; more run in as many processes, each
    loading the lexicon and spaCy once; ``scheduler`` (a Dask scheduler's
    address) sends the batches to that cluster instead. ``progress`` names
    the stage on a progress bar (shown on a terminal only).
    """
    from kg.cli.progress import bar

    paths = [str(p) for p in paths]
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    workers = workers or default_workers()
    with bar(progress, total=len(paths), unit="file") as advance:
        if scheduler:
            done = _on_dask(work, batches, scheduler)
        elif workers <= 1 or len(batches) <= 1:
            done = (work(b) for b in batches)
        else:
            done = _on_processes(work, batches, min(workers, len(batches)))
        for outcomes in done:
            for outcome in outcomes:
                advance()
                yield outcome


def _warm() -> None:
    """Load the lexicon and the spaCy pipeline once in a worker, before its first file."""
    from kg.extract.find import pipeline

    pipeline()


def _on_processes(work: Callable, batches: list[list[str]], workers: int) -> Iterator[list[Outcome]]:
    # fork where there is one: the workers start with what this process loaded; spawn elsewhere
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _warm()
    with multiprocessing.get_context(method).Pool(workers, initializer=_warm) as pool:
        yield from pool.imap(work, batches, chunksize=1)


def _on_dask(work: Callable, batches: list[list[str]], scheduler: str) -> Iterator[list[Outcome]]:
    try:
        from distributed import Client
    except ImportError:
        raise KgError("--scheduler needs Dask: pip install 'kg[dask]'") from None
    try:
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError) as exc:
        raise KgError(f"--scheduler {scheduler}: no Dask scheduler answers there ({exc})") from None
    try:
        # the cluster's workers run kg from their own installation; only the paths travel
        futures = client.map(work, batches, pure=False)
        for future in futures:
            yield future.result()
            future.release()
    finally:
        client.close()


def build_batch(paths: Sequence[str], time_budget: float | None = None, validate: bool = True) -> list[Outcome]:
    """``build_file`` on a few files, and their parts checked against the shapes of a document's own
    nodes together (one small store for the batch: a query costs the same for one part or ten)."""
    from kg.graph.validate import document_violations

    outcomes = [build_file(p, time_budget) for p in paths]
    if validate:
        # parts one at a time where two files of a batch are one document (they share IRIs)
        built = [o for o in outcomes if o.part is not None]
        groups = [built] if len({o.part.iri for o in built}) == len(built) else [[o] for o in built]
        for group in groups:
            by_iri = {o.part.iri: o for o in group}
            for v in document_violations([o.part for o in group]):
                by_iri[v.focus.split("#", 1)[0]].violations.append(v)
    return outcomes


def extract_batch(paths: Sequence[str], time_budget: float | None = None, fmt: str = "table",
                  unresolved: bool = False) -> list[Outcome]:
    return [extract_file(p, time_budget, fmt, unresolved) for p in paths]


def builder(time_budget: float | None, validate: bool = True) -> Callable[[Sequence[str]], list[Outcome]]:
    return partial(build_batch, time_budget=time_budget, validate=validate)


def extractor(time_budget: float | None, fmt: str, unresolved: bool) -> Callable[[Sequence[str]], list[Outcome]]:
    return partial(extract_batch, time_budget=time_budget, fmt=fmt, unresolved=unresolved)


def report(outcome: Outcome, run) -> None:  # type: ignore[no-untyped-def]
    """Count an outcome into a run and print its problems (one line each, on stderr)."""
    run.read += outcome.read
    for problem in outcome.problems:
        run.error(problem)
    sys.stderr.flush()
