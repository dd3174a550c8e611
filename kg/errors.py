"""The few exceptions kg raises on purpose.

A user error (a bad file, an unknown query) is a :class:`KgError`: the command
line prints its message on one line and exits non-zero, with no traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of the errors a user can cause and fix."""


class InputError(KgError):
    """A file that cannot be read as a resolution; the message names the file."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ShapeViolationError(KgError):
    """A graph that breaks the SHACL shapes; the message names node and shape."""


class QueryError(KgError):
    """A query that cannot be found, parsed or bound."""


class ServiceRefused(QueryError):
    """A query with a SERVICE clause, which would fetch from another endpoint, where that is not allowed."""
