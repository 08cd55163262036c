"""The analyst notebooks run top to bottom on the datasets of the sample plans.

`piao run` writes the datasets of data/raw once per session (`clean_dir` in conftest); each
notebook is then
executed by a real Jupyter kernel (nbclient, the venv's python3 kernel) with
PIAO_CLEAN pointing at them and notebooks/ as working directory, as an analyst
opening it in Jupyter would. MPLBACKEND=Agg: charts are drawn but not displayed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
RAW = REPO / "data" / "raw"
NOTEBOOK_FILES = ["01-explore.ipynb", "02-compare-years.ipynb"]
CELL_TIMEOUT_S = 120


@pytest.mark.parametrize("name", NOTEBOOK_FILES)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code, "a notebook without code cells"
    stored = [i for i, c in enumerate(book.cells)
              if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not stored, f"{name}: cells {stored} keep outputs; clear them before committing"


@pytest.mark.parametrize("name", NOTEBOOK_FILES)
def test_notebook_runs(name: str, clean_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel is a child process: it inherits these variables.
    monkeypatch.setenv("PIAO_CLEAN", str(clean_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(book, kernel_name="python3", timeout=CELL_TIMEOUT_S,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, naming the cell, when one fails

    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    # The notebook read the datasets of this run, not some other folder.
    shown = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                       for c in book.cells if c.cell_type == "code" for o in c.outputs)
    assert str(clean_dir) in shown
