"""Start-up cost of the light commands, as a ratio to a bare ``python -c 'import json'`` (run on demand).

    python benchmarks/cli_startup.py [--runs 9]

``kg --help`` and ``kg query --list`` load neither spaCy nor networkx nor
pyvis; the target is under 3x the bare interpreter, best of several runs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path


def best(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    beside = Path(sys.executable).with_name("kg")  # the kg of this interpreter's environment
    kg = str(beside) if beside.exists() else shutil.which("kg") or "kg"
    base = best([sys.executable, "-c", "import json"], args.runs)
    print(f"python -c 'import json': {base * 1000:.0f} ms")
    for cmd in (["--help"], ["query", "--list"]):
        t = best([kg, *cmd], args.runs)
        print(f"kg {' '.join(cmd)}: {t * 1000:.0f} ms, {t / base:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
