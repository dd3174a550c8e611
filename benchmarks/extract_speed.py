"""Extraction speed: MB/s and documents/s over the real corpus (run on demand).

    python benchmarks/extract_speed.py [--limit N] [FOLDER ...]

Reads ../shared/corpus when present (the seeds otherwise), then times reading
and extraction separately; the spaCy pipeline is loaded before the clock
starts and runs once over all documents through ``nlp.pipe``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from corpus import CORPUS, corpus_files, read_all

from kg.extract.find import pipeline
from kg.extract.references import extract_references


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="at most this many files")
    args = ap.parse_args()
    files = corpus_files(args.folders)
    folders = args.folders or ([CORPUS] if CORPUS.is_dir() else [])
    if args.limit:
        files = files[: args.limit]
    size = sum(p.stat().st_size for p in files)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB ({'../shared/corpus' if folders else 'seeds'})")

    pipeline()  # load once, outside the clock
    t0 = time.perf_counter()
    docs = read_all(files)
    t1 = time.perf_counter()
    refs = 0
    for _doc, found in extract_references(docs):
        refs += len(found)
    t2 = time.perf_counter()
    read_s, extract_s = t1 - t0, t2 - t1
    print(f"read:    {read_s:7.1f} s  {size / 1e6 / read_s:6.2f} MB/s  {len(docs) / read_s:7.1f} docs/s")
    print(f"extract: {extract_s:7.1f} s  {size / 1e6 / extract_s:6.2f} MB/s  {len(docs) / extract_s:7.1f} docs/s")
    print(f"total:   {read_s + extract_s:7.1f} s  {size / 1e6 / (read_s + extract_s):6.2f} MB/s  "
          f"{len(docs) / (read_s + extract_s):7.1f} docs/s; {refs} references from {len(docs)} documents "
          f"({len(files) - len(docs)} unreadable)")


if __name__ == "__main__":
    sys.exit(main())
