"""A time budget per document: a runaway becomes a clear error, never a hang.

Every step of reading and extraction is meant to be linear in its input
(``benchmarks/pathological.py`` checks the inputs found super-linear
before), but one document that still takes far too long must not cost the
run. :func:`budget` arms an interval timer (``SIGALRM``) for one document;
when it fires, :class:`TimeBudgetExceeded` is raised in the Python code then
running, reported for that file like any bad input, and the run goes on.
Where there is no ``SIGALRM``, or off the main thread, there is no budget.
A regular expression running in C is interrupted when it returns to Python.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import KgError

DEFAULT_SECONDS = 120.0  # per document; the largest corpus document reads and extracts in about 3 s


class TimeBudgetExceeded(KgError):
    """A document took longer than its time budget."""


_armed: list[tuple[str, float]] = []


def _fire(_signum: int, _frame: object) -> None:
    what, seconds = _armed[-1] if _armed else ("a document", 0.0)
    raise TimeBudgetExceeded(f"{what}: stopped after {seconds:g} s (the time budget of one document; "
                             "kg --time-budget SECONDS changes it)")


def available() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def arm(what: str, seconds: float | None) -> bool:
    """Start the budget of one document; False where no budget can be kept."""
    if not seconds or seconds <= 0 or not available():
        return False
    signal.signal(signal.SIGALRM, _fire)
    _armed.append((what, seconds))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return True


def disarm() -> None:
    """Stop the budget armed last."""
    if _armed and available():
        signal.setitimer(signal.ITIMER_REAL, 0)
        _armed.pop()


@contextmanager
def budget(what: str, seconds: float | None) -> Iterator[None]:
    """The block runs within ``seconds``, else raises :class:`TimeBudgetExceeded` naming ``what``."""
    armed = arm(what, seconds)
    try:
        yield
    finally:
        if armed:
            disarm()
