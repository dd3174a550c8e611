"""The notebook tells its story from top to bottom, so it cannot rot (issues 5 and 11).

It runs on an evenly spaced sample of the corpus's General Assembly texts
when ../shared/corpus is there (the whole of it is for a person with a few
minutes), and on the bundled seeds otherwise.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import CORPUS
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def test_the_notebook_answers_its_question_with_charts_and_the_page(tmp_path, monkeypatch):
    # the kernel's own inline backend draws the charts into the notebook
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("KG_NOTEBOOK_LIMIT", "60")
    if CORPUS.is_dir():
        monkeypatch.setenv("KG_NOTEBOOK_CORPUS", str(CORPUS / "unxml-ga"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    expected = 60 if CORPUS.is_dir() else 5
    assert f"{expected} documents from" in text
    assert "build status: 0" in text and "validation: conforms" in text
    assert "clauses urging ratification" in text and "Most urged: " in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the two charts of kg stats and the year-by-year plot
    assert any("<iframe" in o.get("data", {}).get("text/html", "") for o in outputs)  # the page
    assert (tmp_path / "kg-out-notebook" / "graph.html").is_file()
    assert len(list((tmp_path / "kg-out-notebook" / "charts").glob("*.png"))) == 3
