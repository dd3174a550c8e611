"""Progress on long work: one bar a stage on a terminal, and how long each stage took.

Bars (tqdm) show counts and the time left, on stderr, and only when stderr
is a terminal, so logs and pipes stay clean. :class:`Stages` times the
stages of a command and prints one summary line at its end.
"""

from __future__ import annotations

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


class Stages:
    """Wall time of each stage of a command, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        total = sum(self.seconds.values())
        parts = ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())
        return f"stages: {parts} (total {total:.1f} s)"
