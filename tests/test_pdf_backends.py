"""The pdfium backend gives the pdfplumber backend's IR, and so the same PIAO records.

The pdfplumber backend is the reference: every fixture and sample PDF is read
with both, and the tables (grid text, spans, shading, bold, cell boxes) and text
blocks (text modulo whitespace, weight) must be identical. Page sizes are
compared to float32 precision: PDFium stores the MediaBox as float32, so
595.303937007874 comes back as 595.303955078125.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

from extract import pdf as pdf_module
from extract import read_document
from extract.ir import Document, Table
from extract.pdf import read_pdf
from extract.settings import ReadSettings
from normalize.parser import parse_document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
RAW_2023 = REPO / "data" / "raw" / "cazzago-san-martino-piao-2023-2025.pdf"
# Points; see `_boxes`. A char's centre moves by half of this at most: far below
# any cell boundary distance, which is why the texts above are identical.
BOX_TOLERANCE = 0.05
PDFS = sorted(
    [
        FIXTURES / "cards.pdf",
        FIXTURES / "cards-shaded.pdf",
        *(FIXTURES / "layouts").glob("*.pdf"),
        *(FIXTURES / "pdf_reader").glob("*.pdf"),
        *(REPO / "data" / "raw").glob("*.pdf"),
    ]
)


@cache
def _read(path: Path, backend: str) -> Document:
    return read_pdf(path, ReadSettings(pdf_backend=backend, ocr=False))


def _elements(doc: Document) -> list[tuple]:
    """What must be identical: everything but the boxes (see `_boxes`)."""
    out: list[tuple] = []
    for e in doc.elements:
        if isinstance(e, Table):
            cells = tuple(
                (c.row, c.col, c.rowspan, c.colspan, c.text, c.filled, c.fill_color, c.bold, c.page)
                for c in e.cells
            )
            out.append(("table", tuple(e.pages), e.n_rows, e.n_cols,
                        tuple(map(tuple, e.text_grid())), cells))
        else:
            out.append(("text", e.page, " ".join(e.text.split()), e.bold))
    return out


def _boxes(doc: Document) -> list[tuple[float, ...]]:
    """Every table and cell box. Not bit for bit: ruled boxes are rounded to 0.01 pt and
    PDFium's float32 arithmetic lands a few on the other side of a rounding boundary
    (405.375 → 405.37 vs 405.38); borderless boxes end at glyph extents, and PDFium's
    glyph width differs from pdfminer's advance by up to 0.03 pt (measured)."""
    out: list[tuple[float, ...]] = []
    for t in doc.tables():
        out += [t.bbox or (), *(c.bbox or () for c in t.cells)]
    return out


def _pages(doc: Document) -> list[tuple]:
    return [
        (p.number, round(p.width or 0, 3), round(p.height or 0, 3), p.rotation, p.has_text,
         p.error)
        for p in doc.pages
    ]


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: str(p.relative_to(REPO)))
def test_same_ir(pdf: Path) -> None:
    reference, fast = _read(pdf, "pdfplumber"), _read(pdf, "pdfium")
    assert reference.elements, "a sample with nothing read compares nothing"
    ref_el, fast_el = _elements(reference), _elements(fast)
    diffs = [(i, a, b) for i, (a, b) in enumerate(zip(ref_el, fast_el)) if a != b]
    for i, a, b in diffs[:5]:
        print(f"element {i}\n  pdfplumber: {a}\n  pdfium:     {b}")
    assert len(ref_el) == len(fast_el)
    assert not diffs, f"{len(diffs)} elements differ (first printed above)"
    ref_boxes, fast_boxes = _boxes(reference), _boxes(fast)
    assert len(ref_boxes) == len(fast_boxes)
    far = [(a, b) for a, b in zip(ref_boxes, fast_boxes)
           if len(a) != len(b) or any(abs(u - v) > BOX_TOLERANCE for u, v in zip(a, b))]
    assert not far, far[:5]
    assert _pages(reference) == _pages(fast)
    assert reference.warnings == fast.warnings
    assert reference.meta == fast.meta


def test_same_records_on_the_sample_plan() -> None:
    reference = dataclasses.asdict(parse_document(_read(RAW_2023, "pdfplumber")))
    fast = dataclasses.asdict(parse_document(_read(RAW_2023, "pdfium")))
    assert reference["objectives"], "the sample plan must yield objectives"
    assert reference["schedule"], "the sample plan must yield schedule marks"
    for table in reference:
        assert reference[table] == fast[table], table


def test_backend_by_settings_through_read_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings switch the reader all the way down; the environment does not; a
    misspelt name is refused, not ignored."""
    pdf = FIXTURES / "pdf_reader" / "schedule.pdf"
    used: list[str] = []
    real = pdf_module.backend_factory
    monkeypatch.setattr(pdf_module, "backend_factory", lambda name: used.append(name) or real(name))
    monkeypatch.setenv("PIAO_PDF_BACKEND", "pdfplumber")  # no longer read by anyone
    doc = read_document(pdf, ReadSettings(pdf_backend="pdfium", ocr=False))
    assert used == ["pdfium"]
    assert _elements(doc) == _elements(_read(pdf, "pdfplumber"))
    with pytest.raises(ValueError, match="pdfmium"):
        ReadSettings(pdf_backend="pdfmium")


def test_damaged_file_takes_the_reference_path(tmp_path: Path) -> None:
    """PDFium repairs a truncated file silently; the reader must still see what pdfplumber
    sees (here: the same outcome, document or ReaderError, on a file cut in half)."""
    data = (FIXTURES / "pdf_reader" / "schedule.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    outcomes = []
    for backend in ("pdfplumber", "pdfium"):
        try:
            doc = read_pdf(cut, ReadSettings(pdf_backend=backend, ocr=False))
            outcomes.append(("doc", _pages(doc), _elements(doc)))
        except Exception as exc:  # noqa: BLE001 - the comparison is the point
            outcomes.append(("error", type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]
