"""extract/chars_text.py gives pdfplumber's extract_text() on every cell and line we read.

Each PDF the tests use (fixtures, samples, development set, real plans) is read with a
spy around `chars_text` that hands the same characters to pdfplumber as well: the two
texts must be equal, character for character, on every call.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfplumber.utils import extract_text

from extract import chars_text as module
from extract import pdf_grid, pdf_text
from extract.pdf import read_pdf
from extract.settings import ReadSettings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# image-only scans have no characters to assemble
PDFS = sorted([
    *(p for p in (REPO / "tests" / "fixtures").rglob("*.pdf") if "scanned" not in p.parts),
    *(REPO / "data" / "raw").glob("*.pdf"),
    *(p for p in (SHARED / "devset" / "docs").glob("*.pdf") if "scan" not in p.stem),
    *(p for p in (SHARED / "realdocs").glob("*.pdf") if "scan" not in p.stem),
])


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name)
def test_same_text_as_pdfplumber(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def spy(chars):
        ours = module.chars_text(chars)
        calls.append((ours, extract_text(chars) if chars else ""))
        return ours

    monkeypatch.setattr(pdf_grid, "chars_text", spy)
    monkeypatch.setattr(pdf_text, "chars_text", spy)
    for backend in ("pdfium", "pdfplumber"):
        read_pdf(pdf, ReadSettings(pdf_backend=backend, ocr=False))
    assert calls, "nothing was read"
    differ = [(ours, ref) for ours, ref in calls if ours != ref]
    assert not differ, differ[:3]


def test_the_fast_path_is_taken_and_the_rest_goes_to_pdfplumber() -> None:
    def char(text, x0, top, upright=True):
        return {"text": text, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 10,
                "doctop": top, "upright": upright, "size": 10, "height": 10, "width": 5,
                "fontname": "F"}

    line = [char("b", 6, 0), char("a", 0, 0.5), char(" ", 11, 0), char("ﬁ", 20, 0),
            char("c", 40, 20)]
    assert module.chars_text(line) == extract_text(line) == "ab ﬁ\nc".replace("ﬁ", "fi")
    turned = [char("a", 0, 0, upright=False), char("b", 0, 6, upright=False)]
    assert module.chars_text(turned) == extract_text(turned)
