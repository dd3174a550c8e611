"""Fuzz the reader and extractor with mutated real documents (run on demand).

    python benchmarks/fuzz.py [--cases 10000] [--seed 1]

Counts the cases read, refused with kg's own error, and failed any other way
(an unexpected exception, or a record whose text is not source[start:end]);
prints each failure's reproducer seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzzing import check, mutate, seed_texts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    seeds = seed_texts()
    counts = {"ok": 0, "refused": 0, "failed": 0}
    t0 = time.perf_counter()
    for n in range(args.cases):
        rng = random.Random(args.seed * 1_000_003 + n)
        base = seeds[n % len(seeds)]
        data = mutate(base, rng, rng.randrange(1, 9))
        try:
            counts[check(data, ".xml" if base.lstrip().startswith(b"<") else ".txt")] += 1
        except Exception:  # noqa: BLE001 - the point is to count them
            counts["failed"] += 1
            print(f"case {n} (seed {args.seed}): " + traceback.format_exc().strip().splitlines()[-1])
        if (n + 1) % 1000 == 0:
            print(f"{n + 1} cases, {counts}, {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"{args.cases} cases: {counts['ok']} read, {counts['refused']} refused with kg's own error, "
          f"{counts['failed']} unexpected")
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main()
