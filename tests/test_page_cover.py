"""Pages read by what covers them (extract/page_cover.py), not by whether they have text.

Fixtures: tests/fixtures/scanned/build_covered.py. The stamped pages are page 3 of
cards-scanned.pdf (card affari-generali/1 with both cronoprogramma grids) with a protocol
stamp laid over the image as real text; their twin is that page without the stamp, read
by the same OCR: the records must be the same, and the stamp kept as its own text.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extract import ocr
from extract.ir import Table
from extract.page_cover import OCR, OCR_LAYER, TEXT, PageCover, read_mode
from extract.pdf import read_pdf
from extract.settings import ReadSettings
from normalize import parse_document
from normalize.columns import PIAO_COLUMNS

PIAO = ReadSettings(columns=PIAO_COLUMNS)
SCANS = Path(__file__).resolve().parent / "fixtures" / "scanned"
STAMP = "COMUNE DI PROVA - XYZ123 - REG_UFF_PROT - 0004242 - Ingresso - 02/05/2023 - 09:41"

needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None,
                               reason="tesseract-ocr, tesseract-ocr-ita not installed")


def _page(path: Path, number: int) -> bytes:
    src, out = pdfium.PdfDocument(str(path)), pdfium.PdfDocument.new()
    out.import_pages(src, [number - 1])
    buf = io.BytesIO()
    out.save(buf)
    out.close()
    src.close()
    return buf.getvalue()


def _records(plan):
    return (
        [(o.objective_key, o.title, o.responsible) for o in plan.objectives],
        [(p.objective_key, p.year_index, p.seq, p.phase_no, p.description) for p in plan.phases],
        sorted((m.objective_key, m.year_index, m.seq, m.month, m.marked) for m in plan.schedule),
        plan.ente,
    )


@pytest.fixture(scope="module")
def unstamped():
    doc = read_pdf(_page(SCANS / "cards-scanned.pdf", 3), PIAO, name="scan-page-3.pdf")
    return doc, parse_document(doc)


def test_thresholds_decide_by_cover_not_by_text() -> None:
    # a scan under a stamp line; the same under a typed page's worth of text; a letterhead
    assert read_mode(PageCover(image=1.0, text=0.007, hidden_text=0.0)) == OCR
    assert read_mode(PageCover(image=1.0, text=0.2, hidden_text=0.0)) == TEXT
    assert read_mode(PageCover(image=0.1, text=0.001, hidden_text=0.0)) == TEXT
    assert read_mode(PageCover(image=1.0, text=0.0, hidden_text=0.2)) == OCR_LAYER


@needs_ocr
@pytest.mark.parametrize("name", ["stamped-vertical.pdf", "stamped-horizontal.pdf"])
def test_stamped_scan_reads_as_the_scan_without_the_stamp(name, unstamped) -> None:
    twin_doc, twin = unstamped
    doc = read_pdf(SCANS / name, PIAO)
    assert [p.read_mode for p in doc.pages] == [OCR]
    assert doc.meta["read_mode"] == "ocr" and doc.meta["ocr_pages"] == [1]
    plan = parse_document(doc)
    assert twin.objectives and _records(plan) == _records(twin)
    # the stamp is kept as printed, as one text block of its own, never a table
    assert [t.text for t in doc.texts() if "REG_UFF_PROT" in t.text] == [STAMP]
    assert not any("REG_UFF_PROT" in c.text for t in doc.tables() for c in t.cells)
    assert plan.ente != "COMUNE DI PROVA"  # the stamp's entity is not the plan's
    assert len(list(doc.tables())) == len(list(twin_doc.tables()))


def test_stamped_scan_without_ocr_is_not_passed_off_as_read() -> None:
    """Without OCR the stamp is all there is: the page says it needs OCR."""
    doc = read_pdf(SCANS / "stamped-vertical.pdf", ReadSettings(ocr=False))
    assert [t.text for t in doc.texts()] == [STAMP]
    assert any("is a scan under a few lines of text" in w and "OCR needed" in w
               for w in doc.warnings)


def test_letterhead_and_background_pages_stay_text(monkeypatch) -> None:
    """A full-width letterhead band (page 1) and a full-page background picture under
    the text (page 2) are not scans: read from the text layer, OCR never called."""
    monkeypatch.setattr(ocr, "read_scanned_pages",
                        lambda *a, **k: pytest.fail("OCR ran on a born-digital page"))
    doc = read_pdf(SCANS / "letterhead.pdf", PIAO)
    assert [p.read_mode for p in doc.pages] == [TEXT, TEXT]
    assert doc.meta["read_mode"] == "text" and doc.meta["ocr_pages"] == []
    plain = parse_document(read_pdf(_page(SCANS.parent / "cards.pdf", 3), PIAO))
    plan = parse_document(doc)
    assert len(plan.weights) == 2 * len(plain.weights) and plain.weights


def test_ocr_layer_is_read_from_the_layer_without_tesseract(monkeypatch) -> None:
    """OCRmyPDF's invisible text over the scan is read as it is: Tesseract never runs."""
    monkeypatch.setattr(ocr, "read_scanned_pages",
                        lambda *a, **k: pytest.fail("OCR ran on a page with an OCR layer"))
    doc = read_pdf(SCANS / "ocr-layer.pdf", PIAO)
    assert [p.read_mode for p in doc.pages] == [OCR_LAYER]
    assert doc.meta["read_mode"] == "ocr"
    assert (doc.meta["ocr_pages"], doc.meta["ocr_layer_pages"]) == ([], [1])
    assert any("OCR text layer: read from that layer, no OCR run" in w for w in doc.warnings)
    assert any("OBIETTIVO" in t.text for t in doc.texts())  # the layer's words, not nothing


def test_a_framed_margin_line_is_text_not_a_table() -> None:
    """The stamp's thin frame is a one-cell ruled box: without OCR the page keeps the
    stamp as a line of text, never a one-cell table."""
    doc = read_pdf(SCANS / "stamped-vertical.pdf", ReadSettings(ocr=False))
    assert not [e for e in doc.elements if isinstance(e, Table)]
