"""SIGKILL ``kg build`` at random points: the output holds the old set or the new one, never a mix (on demand).

    python benchmarks/kill_build.py [--kills 30] [--seed 1]

Builds the bundled corpus once to time a run, then starts it again and kills
it at a random moment, ``--kills`` times; after each kill the output must be
exactly the complete set of the first build (the same files, the manifest
naming them), and after a last, undisturbed build no temporary folder of
any killed run may be left beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "out"
        cmd = [sys.executable, "-m", "kg.cli", "build", "-o", str(out)]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=work)
        duration = time.perf_counter() - t0
        complete = sorted(p.name for p in out.iterdir())
        bad = 0
        for n in range(args.kills):
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
            at = rng.uniform(0.05, duration * 1.05)
            time.sleep(at)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            files = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
            listed = sorted([*json.loads((out / "build.json").read_text())["files"], "build.json"]) \
                if (out / "build.json").is_file() else []
            whole = files == complete and listed == complete
            bad += not whole
            print(f"kill {n + 1:2} at {at:5.2f} s of {duration:.2f} s: {'whole' if whole else 'MIXED ' + str(files)}")
        subprocess.run(cmd, check=True, capture_output=True, cwd=work)
        left = sorted(p.name for p in work.iterdir() if p.name.startswith(".out."))
        print(f"{args.kills} kills: {args.kills - bad} left a whole set, {bad} a mixed one; "
              f"temporary folders left after the next build: {left or 'none'}")
        sys.exit(1 if bad or left else 0)


if __name__ == "__main__":
    main()
