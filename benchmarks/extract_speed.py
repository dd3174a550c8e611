"""Extraction speed over the real corpus, as ratios to baselines measured in the same run (run on demand).

    python benchmarks/extract_speed.py [--limit N] [--compare CHECKOUT] [FOLDER ...]

Reads ../shared/corpus when present (the seeds otherwise), then times
reading and extraction separately; the spaCy pipeline is loaded before the
clock starts and runs once over all documents through ``nlp.pipe``. This
machine is shared and noisy, so seconds alone say little: the extraction
time is also given as a ratio to a bare spaCy tokenizer pass over the same
texts, measured right after it, and with ``--compare`` to the same
measurement of another checkout of kg (the previous version, say), run in
a subprocess on the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from corpus import CORPUS, corpus_files, read_all


def measure(files: list[Path]) -> dict:
    """Seconds to read, to extract, and for a bare tokenizer pass over the same texts."""
    import spacy

    from kg.extract import extract_references

    try:  # the package layout (kg/extract/find.py), or the flat one of earlier versions
        from kg.extract.find import pipeline
    except ImportError:
        from kg.find import pipeline  # type: ignore[no-redef]

    pipeline()  # load once, outside the clock
    t0 = time.perf_counter()
    docs = read_all(files)
    t1 = time.perf_counter()
    refs = sum(len(found) for _doc, found in extract_references(docs))
    t2 = time.perf_counter()
    tokenizer = spacy.blank("en").tokenizer
    texts = [doc.source for doc in docs]
    t3 = time.perf_counter()
    for text in texts:
        tokenizer(text)
    t4 = time.perf_counter()
    return {"read": t1 - t0, "extract": t2 - t1, "tokenize": t4 - t3, "docs": len(docs), "refs": refs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="at most this many files")
    ap.add_argument("--compare", type=Path, help="another checkout of kg to time on the same files")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one measurement, for --compare
    args = ap.parse_args()
    files = corpus_files(args.folders)
    if args.limit:
        files = files[: args.limit]
    if args.json:
        print(json.dumps(measure(files)))
        return
    size = sum(p.stat().st_size for p in files) / 1e6
    folders = args.folders or ([CORPUS] if CORPUS.is_dir() else [])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"corpus: {len(files)} files, {size:.1f} MB ({'../shared/corpus' if folders else 'seeds'})")
    runs = {"this checkout": measure(files)}
    if args.compare:
        cmd = [sys.executable, __file__, "--json", *(["--limit", str(args.limit)] if args.limit else []),
               *map(str, args.folders)]
        env = {**os.environ, "PYTHONPATH": str(args.compare.resolve())}
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=args.compare)
        runs[str(args.compare)] = json.loads(out.stdout.strip().splitlines()[-1])
    for name, r in runs.items():
        print(f"\n{name}: {r['docs']} documents, {r['refs']} references")
        print(f"  read:     {r['read']:7.1f} s  {size / r['read']:6.2f} MB/s")
        print(f"  extract:  {r['extract']:7.1f} s  {size / r['extract']:6.2f} MB/s  "
              f"{r['extract'] / r['tokenize']:5.2f}x a bare tokenizer pass ({r['tokenize']:.1f} s)")
    if args.compare:
        this, other = runs["this checkout"], runs[str(args.compare)]
        ratio = (this["extract"] / this["tokenize"]) / (other["extract"] / other["tokenize"])
        print(f"\nextraction cost against {args.compare}, each relative to its own tokenizer pass: {ratio:.2f}x "
              f"(reading {this['read'] / other['read']:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
