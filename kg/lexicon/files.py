"""Reading the data files of ``kg/data``: the one JSON-lines reader the lexicon uses."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_jsonl(folder: str, name: str) -> list[dict[str, Any]]:
    """The records of ``kg/data/<folder>/<name>``, one JSON object a line; a bad line names file and line."""
    path = resources.files("kg") / "data" / folder / name
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
    return rows
