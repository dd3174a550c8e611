"""How kg build grows with the corpus (run on demand).

    python benchmarks/build_scale.py [--sizes 250,500,1000,2000,all] [--workers N] [--no-validate]

Builds evenly spaced samples of ../shared/corpus, each as a user would run
it (``kg build``, a fresh process), and prints for each size: the wall time,
the peak memory of its largest process (the parent, which holds the graph;
each worker holds one batch of files) and of its whole process tree summed
(what the machine must have; Linux), each stage's time (from the build's own summary
line), a bare ``spacy.blank("en")`` tokenizer pass over the same files in
the same run, the ratio of the build to that pass, and the ratio of each
size's time to the one before (linear growth doubles: 2.0).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import CORPUS, corpus_files


def tokenizer_pass(files: list[Path]) -> float:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 200_000_000
    start = time.perf_counter()
    for f in files:
        nlp.tokenizer(f.read_bytes().decode("utf-8", "replace"))
    return time.perf_counter() - start


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, now (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * resource.getpagesize()
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # gone meanwhile
    return total


def build(files: list[Path], options: list[str]) -> tuple[float, float, float, str]:
    """Seconds, peak resident GB of its largest process, of its whole process tree (the build, its
    workers and writers, summed; sampled every 0.25 s), and the stage summary line."""
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files"
        listing.mkdir()
        for i, f in enumerate(files):
            (listing / f"{i:05d}_{f.parent.name}_{f.name}").symlink_to(f)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        with subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(listing), "-o", str(Path(tmp) / "out"),
                               *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
            summed = 0
            while True:
                summed = max(summed, tree_rss(proc.pid))
                try:  # a retried communicate loses no output
                    _, stderr = proc.communicate(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    continue
        seconds = time.perf_counter() - start
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1e6  # KB -> GB
    if proc.returncode not in (0, 1):  # 1: some files could not be read, reported and skipped
        raise SystemExit(stderr[-2000:])
    stages = next((ln for ln in stderr.splitlines() if ln.startswith("stages:")), "")
    return seconds, peak, summed / 1e9, stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,500,1000,2000,all")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit("../shared/corpus is absent: nothing to measure at scale")
    every = sorted(corpus_files())
    options = (["--workers", str(args.workers)] if args.workers else []) + (
        ["--no-validate"] if args.no_validate else [])
    previous = None
    print(f"{'files':>6} {'build s':>8} {'peak GB':>8} {'tree GB':>8} {'tokenizer s':>12} {'x tokenizer':>12} "
          f"{'x previous':>11}")
    for size in args.sizes.split(","):
        n = len(every) if size == "all" else min(int(size), len(every))
        files = [every[int(i * len(every) / n)] for i in range(n)]
        seconds, peak, summed, stages = build(files, options)
        tokens = tokenizer_pass(files)
        growth = f"{seconds / previous:.2f}" if previous else "-"
        print(f"{n:>6} {seconds:>8.1f} {peak:>8.2f} {summed:>8.2f} {tokens:>12.1f} {seconds / tokens:>12.2f} "
              f"{growth:>11}")
        print(f"       {re.sub(r'^stages: ', '', stages)}")
        previous = seconds


if __name__ == "__main__":
    main()
