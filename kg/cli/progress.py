"""Progress on long work: one bar a stage on a terminal, and how long each stage took.

Bars (tqdm) show counts and the time left, on stderr, and only when stderr
is a terminal, so logs and pipes stay clean. :class:`Stages` times the
stages of a command and prints one summary line at its end.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def bar(label: str, total: int, unit: str = "file") -> Iterator[Callable[[], None]]:
    """A function that advances a bar of ``total`` steps; quiet off a terminal or without a label."""
    if not label or not on_terminal() or total < 2:
        yield lambda: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False) as t:
        yield t.update


def peak_gb() -> float:
    """This process's peak resident memory so far, in GB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1e9 if sys.platform == "darwin" else 1e6)


class Stages:
    """Wall time of each stage of a command, in the order they ran, and the peak memory by its end.

    The peak is the process's high-water mark, so a stage that raises it is the one
    that holds more than any before it: where to look when a build needs too much memory.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peaks: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peaks[name] = peak_gb()

    def summary(self) -> str:
        total = sum(self.seconds.values())
        parts = ", ".join(f"{name} {s:.1f} s (peak {self.peaks[name]:.2f} GB)" for name, s in self.seconds.items())
        return f"stages: {parts} (total {total:.1f} s)"
