"""extract/pdf_grid.py finds the cells pdfplumber's `intersections_to_cells` finds.

Every PDF the tests use (fixtures, samples, development set, real plans) is read with a
spy around `pdf_grid._cells` that hands the same intersections to pdfplumber as well;
the scanned fixtures give their pages' rules as OCR finds them in the pixels. The two
lists of cells must be equal, in order, on every page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfplumber.table import intersections_to_cells

from extract import ocr, pdf_grid
from extract.pdf import read_pdf
from extract.scan_image import scan_image
from extract.settings import ReadSettings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCANS = sorted((REPO / "tests" / "fixtures" / "scanned").glob("*.pdf"))
PDFS = sorted([
    *(p for p in (REPO / "tests" / "fixtures").rglob("*.pdf") if p not in SCANS),
    *(REPO / "data" / "raw").glob("*.pdf"),
    *(p for p in (SHARED / "devset" / "docs").glob("*.pdf") if "scan" not in p.stem),
    *(p for p in (SHARED / "realdocs").glob("*.pdf") if "scan" not in p.stem),
])


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list, list]]:
    calls: list[tuple[list, list]] = []
    ours = pdf_grid._cells

    def spy(intersections):
        found = ours(intersections)
        calls.append((found, intersections_to_cells(intersections)))
        return found

    monkeypatch.setattr(pdf_grid, "_cells", spy)
    return calls


def _assert_same(calls: list[tuple[list, list]]) -> None:
    differ = [(ours, ref) for ours, ref in calls if ours != ref]
    assert not differ, differ[:1]


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_same_cells_as_pdfplumber(pdf: Path, compared) -> None:
    for backend in ("pdfium", "pdfplumber"):
        read_pdf(pdf, ReadSettings(pdf_backend=backend, ocr=False))
    _assert_same(compared)
    if pdf.parent.name == "raw":  # the sample plans are ruled throughout
        assert sum(len(ref) for _, ref in compared) > 1000


@pytest.mark.parametrize("pdf", SCANS, ids=lambda p: p.name)
def test_same_cells_on_rules_found_in_pixels(pdf: Path, compared) -> None:
    data = pdf.read_bytes()
    with ocr.pdfium.PdfDocument(data) as doc:
        numbers = list(range(1, len(doc) + 1))
    for number, (gray, scale) in ocr._rendered(data, numbers):
        scan = scan_image(gray, number, scale)
        pdf_grid.find_table_boxes(scan.edges, (0.0, 0.0, scan.width, scan.height))
    _assert_same(compared)
    assert any(ref for _, ref in compared), "no ruled table found"


def test_a_grid_with_a_merged_cell() -> None:
    """Two rows of two cells, the second row's cells merged: the box of the merged
    cell runs from the left rule to the right one, as pdfplumber draws it."""
    def edge(x0, top, x1, bottom):
        o = "v" if x0 == x1 else "h"
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": o,
                "width": x1 - x0, "height": bottom - top, "object_type": "line"}

    edges = [edge(0, 0, 100, 0), edge(0, 10, 100, 10), edge(0, 20, 100, 20),
             edge(0, 0, 0, 20), edge(100, 0, 100, 20), edge(50, 0, 50, 10)]
    finder = pdf_grid._LinesFinder(pdf_grid._EdgeSource(edges, (0, 0, 200, 200)),
                                   pdf_grid._TABLE_SETTINGS)
    assert finder.cells == intersections_to_cells(finder.intersections)
    assert finder.cells == [(0, 0, 50, 10), (0, 10, 100, 20), (50, 0, 100, 10)]
