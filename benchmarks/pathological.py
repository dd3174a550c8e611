"""Time on hostile inputs: four times the input should cost about four times the time (run on demand).

    python benchmarks/pathological.py [--scale 1.0]

Each case is a document built around one pathological paragraph, read and
extracted at a size n and at 4n; the ratio of the two times is printed (a
linear cost gives about 4, a quadratic one about 16). The inputs are those
the reliability issue found super-linear: long real text in one paragraph,
long lists of resolution numbers, runs of brackets, capitals without spaces,
"Plan of the" repeated, and thousands of "Ibid." footnotes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from kg.extract import extract_references
from kg.extract.find import pipeline
from kg.read import bundled_corpus, read_document

HEADER = "United Nations\nA/RES/70/10\nGeneral Assembly\nDistr.: General\n\n70/10. A title\n\nThe General Assembly,\n\n"
SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def real_text(n: int) -> str:
    seed = read_document(bundled_corpus()[3])
    words = " ".join(c.text.text for c in seed.clauses)
    return HEADER + "1. " + (words + " ") * max(1, n // len(words)) + "\n"


def cases(scale: float) -> dict[str, tuple]:
    def k(x: int) -> int:
        return max(1, int(x * scale))

    return {
        "real text in one paragraph": (lambda n: real_text(n), k(250_000)),
        "resolution 1/1, repeated": (lambda n: HEADER + "1. Recalls resolution " + "1/1, " * n + "\n", k(6_000)),
        "runs of '('": (lambda n: HEADER + "1. Recalls " + "(" * n + "\n", k(5_000)),
        "capitals without spaces": (lambda n: HEADER + "1. Recalls " + "A" * n + "\n", k(12_500)),
        "'Plan of the ' repeated": (lambda n: HEADER + "1. Welcomes the Action " + "Plan of the " * n + "Council\n",
                                    k(250)),
        "'Ibid.' footnotes": (lambda n: HEADER + "1. Recalls" + "".join(f" x{str(i).translate(SUP)}"
                                                                        for i in range(1, n + 1))
                              + ";\n\n---\n\n¹ See resolution 70/1.\n"
                              + "".join(f"{str(i).translate(SUP)} Ibid.\n" for i in range(2, n + 1)), k(1_000)),
    }


def cost(text: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case.txt"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        doc = read_document(path)
        for _doc, _refs in extract_references([doc]):
            pass
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    args = ap.parse_args()
    pipeline()
    print(f"{'case':32} {'n':>8} {'t(n)':>8} {'t(4n)':>8} {'ratio':>6}")
    worst = 0.0
    for name, (make, n) in cases(args.scale).items():
        small, large = cost(make(n)), cost(make(4 * n))
        ratio = large / small if small else float("inf")
        worst = max(worst, ratio)
        print(f"{name:32} {n:>8} {small:8.2f} {large:8.2f} {ratio:6.1f}")
    print(f"worst ratio {worst:.1f} (linear: about 4; quadratic: about 16)")


if __name__ == "__main__":
    sys.exit(main())
