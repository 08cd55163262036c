"""The pdfium backend gives the pdfplumber backend's IR, and so the same PIAO records.

The pdfplumber backend is the reference: every fixture, sample PDF, development-set
PDF and real plan is read with both (text layer only: OCR is the same code on both),
and the tables (grid text, spans, shading, bold, cell boxes) and text
blocks (text modulo whitespace, weight) must be identical. Page sizes are
compared to float32 precision: PDFium stores the MediaBox as float32, so
595.303937007874 comes back as 595.303955078125.
"""

from __future__ import annotations

import csv
import dataclasses
from functools import cache
from pathlib import Path

import pytest

from extract import pdf as pdf_module
from extract import read_document
from extract.ir import Document, ReaderError, Table
from extract.pdf import read_pdf
from extract.settings import DEFAULT_SETTINGS, ReadSettings
from extract.sniff import sniff
from normalize.parser import parse_document
from piao.sandbox import Limits, SandboxError, run_limited

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
RAW_2023 = REPO / "data" / "raw" / "cazzago-san-martino-piao-2023-2025.pdf"
SHARED = REPO.parent / "shared"
HOSTILE = SHARED / "corpus" / "hostile"
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
        # Word, LibreOffice, Chrome (HTML) exports and scans of the same plans; real
        # plans as published (absent on a machine without the shared folders).
        # The image-only scans (d-scan, h-scan) have no text layer to compare.
        *(p for p in (SHARED / "devset" / "docs").glob("*.pdf") if "scan" not in p.stem),
        *(SHARED / "realdocs").glob("*.pdf"),
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


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: str(p.relative_to(REPO.parent)))
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


def test_pdfium_is_the_default() -> None:
    assert DEFAULT_SETTINGS.pdf_backend == "pdfium"
    pdf = FIXTURES / "pdf_reader" / "schedule.pdf"
    no_ocr = dataclasses.replace(DEFAULT_SETTINGS, ocr=False)
    assert _elements(read_pdf(pdf, no_ocr)) == _elements(_read(pdf, "pdfium"))


def _hostile_pdfs() -> list[Path]:
    manifest = HOSTILE / "MANIFEST.csv"
    if not manifest.is_file():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        files = [HOSTILE / row["file"] for row in csv.DictReader(fh)]
    # Only what reaches a backend: a .p7m, a DOCX, an HTML page or a file without any
    # PDF header is told apart (or refused) by the sniffer, whatever the backend.
    return [f for f in files if _sniffed(f) == "pdf"]


def _sniffed(path: Path) -> str:
    try:
        return sniff(path.read_bytes(), path.name).kind
    except ReaderError as err:
        return err.kind


def _outcome(path: Path, backend: str) -> tuple:
    """What a run records: read (with the failed pages and their error kinds), or the
    document's error kind."""
    doc = read_pdf(path, ReadSettings(pdf_backend=backend, ocr=False))
    return ("read", len(doc.pages),
            tuple((p.number, (p.error or "").split(":")[0]) for p in doc.pages if p.error))


def _sandboxed(path: Path, backend: str) -> tuple:
    try:
        return run_limited(_outcome, path, backend, limits=Limits(time_s=60, memory_mb=1024))
    except ReaderError as err:
        return ("failed", err.kind)
    except SandboxError as err:
        return ("stopped", err.kind)


@pytest.mark.skipif(not _hostile_pdfs(), reason=f"hostile corpus not found at {HOSTILE}")
@pytest.mark.parametrize("pdf", _hostile_pdfs(), ids=lambda p: p.name)
def test_same_outcome_on_hostile_files(pdf: Path) -> None:
    """Same status and error kind on every hostile PDF: a page with no /Contents and no
    /MediaBox fails on both, a content stream only pdfminer cannot decode fails the
    document on both, a decompression bomb is out of memory on both."""
    assert _sandboxed(pdf, "pdfium") == _sandboxed(pdf, "pdfplumber")


def test_the_page_without_contents_or_mediabox_fails_on_both() -> None:
    pdf = HOSTILE / "qpdf-page-no-content.pdf"
    if not pdf.is_file():
        pytest.skip(f"hostile corpus not found at {HOSTILE}")
    for backend in ("pdfplumber", "pdfium"):
        assert _sandboxed(pdf, backend) == ("read", 3, ((2, "corrupt"),)), backend
