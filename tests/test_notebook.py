"""The notebook runs from top to bottom, so it cannot rot (issue 5)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def test_the_notebook_executes_top_to_bottom(tmp_path, monkeypatch):
    # the kernel's own inline backend draws the charts into the notebook
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "A/RES/75/158" in text and "conforms to the shapes: True" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the charts
    assert any("<iframe" in o.get("data", {}).get("text/html", "") for o in outputs)  # the network
