"""Scanned plans read by OCR give the records of the Word-exported original.

The fixture tests/fixtures/scanned/cards-scanned.pdf is pages 3-5 of
tests/fixtures/cards.pdf printed to pixels, turned by 0.5-0.9°, with sensor noise
and dust, as JPEG images without any text layer (see its build.py). Its twin is
the same three pages of cards.pdf read from their text layer: every expectation
below is the twin's value, never the OCR reader's own.

What must agree:
- EXACTLY: objective keys, which months of which phase are marked, the numbers of
  the staff table, the phases' numbers, the weight tables row by row (numbers, weights,
  declared totals) -- lone tokens in narrow cells ("3T", "11", a phase number "1") are
  the reason extract/ocr_cells.py re-reads typed columns;
- free text (titles, descriptions, responsible, phases' text): rapidfuzz ratio ≥ 90
  on whitespace-collapsed text. OCR confuses a few characters in a paragraph
  ("peri" for "per i", "—" for "–"); 90 allows ~1 wrong character in 10 and still
  fails on a wrong or truncated field (those score far lower).
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from rapidfuzz import fuzz

from extract import ocr, ocr_cells
from extract.ir import Cell, ReaderError, Table
from extract.pdf import read_pdf
from extract.settings import ReadSettings
from normalize import parse_document
from normalize.columns import PIAO_COLUMNS
from normalize.text import squash

# What the pipeline reads with: the PIAO column vocabulary for the cells OCR reads again.
PIAO = ReadSettings(columns=PIAO_COLUMNS)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCANNED = FIXTURES / "scanned" / "cards-scanned.pdf"
ORIGINAL = FIXTURES / "cards.pdf"
PAGES = (3, 4, 5)  # of cards.pdf; the ones tests/fixtures/scanned/build.py scans
FREE_TEXT_MIN_RATIO = 90

needs_ocr = pytest.mark.skipif(
    ocr.unavailable() is not None,
    reason="tesseract-ocr, tesseract-ocr-ita not installed (.ci/run installs them)",
)


def _pages_of(path: Path, pages: tuple[int, ...]) -> bytes:
    src, out = pdfium.PdfDocument(str(path)), pdfium.PdfDocument.new()
    try:
        out.import_pages(src, [p - 1 for p in pages])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


@pytest.fixture(scope="module")
def twin():
    return parse_document(read_pdf(_pages_of(ORIGINAL, PAGES), name="cards-pages.pdf"))


@pytest.fixture(scope="module")
def scanned_doc():
    return read_pdf(SCANNED, PIAO)  # the OCR run (~15 s) happens once for the module


@pytest.fixture(scope="module")
def scanned(scanned_doc):
    return parse_document(scanned_doc)


def test_fixture_is_a_real_scan() -> None:
    """No text layer at all: what the OCR path reads is made by OCR, nothing else."""
    doc = read_pdf(SCANNED, ReadSettings(ocr=False))
    assert [p.has_text for p in doc.pages] == [False] * len(PAGES)
    assert not doc.elements and doc.meta["read_mode"] == "text"
    assert SCANNED.stat().st_size < 1_500_000


@needs_ocr
def test_read_mode_and_confidence(scanned_doc) -> None:
    assert scanned_doc.meta["read_mode"] == "ocr"
    assert scanned_doc.meta["ocr_pages"] == [1, 2, 3]
    assert 50 <= scanned_doc.meta["ocr_confidence"] <= 100
    # the build script turned the pages by +0.7, -0.5, +0.9 degrees
    skew = scanned_doc.meta["ocr_skew"]
    assert [round(-skew[p], 1) for p in (1, 2, 3)] == [0.7, -0.5, 0.9]
    assert any("OCR" in w for w in scanned_doc.warnings)


@needs_ocr
def test_objective_keys_exactly(twin, scanned) -> None:
    assert [o.objective_key for o in scanned.objectives] == [
        o.objective_key for o in twin.objectives
    ]
    assert twin.objectives  # the comparison is not vacuous


@needs_ocr
def test_marks_month_by_month_exactly(twin, scanned) -> None:
    def marked(plan):
        return sorted((m.objective_key, m.year_index, m.seq, m.month, m.marked)
                      for m in plan.schedule)

    assert marked(scanned) == marked(twin)
    assert sum(m.marked for m in twin.schedule) == 18  # 12 + 6 X marks on affari-generali/1
    # A mark OCR read is kept as read; one it missed or garbled is "ink", never a made-up X.
    assert {m.mark for m in scanned.schedule if m.marked} <= {"X", "x", "ink"}


@needs_ocr
def test_phases_numbers_exactly_and_text_closely(twin, scanned) -> None:
    def key(p):
        return p.objective_key, p.year_index, p.seq

    assert [key(p) for p in scanned.phases] == [key(p) for p in twin.phases]
    for a, b in zip(twin.phases, scanned.phases):
        assert (b.grid_year, b.plan_year, b.deadline) == (a.grid_year, a.plan_year, a.deadline)
        # a phase number OCR could not read is missing, never a different number
        assert b.phase_no in (a.phase_no, "")
        for field in ("description", "services", "schedule_text"):
            _close(getattr(a, field), getattr(b, field), f"{key(a)} {field}")


@needs_ocr
def test_objectives_free_text_closely(twin, scanned) -> None:
    for a, b in zip(twin.objectives, scanned.objectives):
        assert (b.missione_code, b.programma_code, b.missing_fields) == (
            a.missione_code, a.programma_code, a.missing_fields)
        for field in ("title", "description", "missione", "programma", "dup_objective",
                      "responsible", "result_indicators", "human_resources",
                      "financial_resources"):
            _close(getattr(a, field), getattr(b, field), f"{a.objective_key} {field}")


@needs_ocr
def test_staff_exactly(twin, scanned) -> None:
    def rows(plan):
        return [(s.category, s.name, s.weekly_hours) for s in plan.staff]

    assert rows(scanned) == rows(twin) and len(twin.staff) == 5


@needs_ocr
def test_weights_read_agree(twin, scanned) -> None:
    """Every weight row OCR produced is a row of the twin with the same weight."""
    expected = {(w.area_slug, w.number): w.weight for w in twin.weights}
    got = {(w.area_slug, w.number): w.weight for w in scanned.weights}
    assert all(expected.get(k) == v for k, v in got.items()), {
        k: (v, expected.get(k)) for k, v in got.items() if expected.get(k) != v}
    assert len(got) >= 0.9 * len(expected) and len(expected) == 32


@needs_ocr
def test_weights_exactly(twin, scanned) -> None:
    def rows(plan):
        return [(w.area_slug, w.number, w.weight, w.declared_total) for w in plan.weights]

    assert rows(scanned) == rows(twin)


@needs_ocr
def test_phase_numbers_exactly(twin, scanned) -> None:
    assert [p.phase_no for p in scanned.phases] == [p.phase_no for p in twin.phases]


def _close(expected: str, got: str, what: str) -> None:
    a, b = squash(expected), squash(got)
    if not a:
        assert not b, f"{what}: OCR found {b!r} where the original is empty"
        return
    score = fuzz.ratio(a, b)
    assert score >= FREE_TEXT_MIN_RATIO, f"{what}: ratio {score:.0f}\n  {a!r}\n  {b!r}"


def test_scan_without_ocr_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    """No tesseract on PATH: the scanned file fails with scanned_no_ocr."""
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no binaries at all
    assert ocr.unavailable() == ocr.OCR_MISSING
    with pytest.raises(ReaderError) as err:
        read_pdf(SCANNED, PIAO)
    assert err.value.kind == "scanned_no_ocr"
    assert err.value.message == (
        "OCR not available: install tesseract-ocr and tesseract-ocr-ita")


def test_scanned_page_among_text_pages_without_ocr_fails_that_page(tmp_path, monkeypatch):
    """Page 1 with a text layer is read; the scanned page 2 is a failed page, not empty."""
    text_page = pdfium.PdfDocument(_pages_of(ORIGINAL, (3,)))
    scan = pdfium.PdfDocument(str(SCANNED))
    text_page.import_pages(scan, [1])
    buf = io.BytesIO()
    text_page.save(buf)
    text_page.close()
    scan.close()
    monkeypatch.setenv("PATH", str(tmp_path))
    doc = read_pdf(buf.getvalue(), PIAO, name="mixed.pdf")
    assert doc.failed_pages == [2]
    assert doc.pages[1].error.startswith("scanned_no_ocr: OCR not available")
    assert {e.page for e in doc.elements} == {1} and doc.meta["read_mode"] == "text"


# --- cells re-read by column type (extract/ocr_cells.py) ---------------------------------


@needs_ocr
def test_rereads_are_recorded_and_applied(scanned_doc) -> None:
    """Every cell read again is in meta["ocr_cells"]; a kept reading is a token of its
    column's kind and is what the cell now says; a rejected one left the cell as read."""
    records = scanned_doc.meta["ocr_cells"]
    kinds = {k.name: k for k in ocr_cells.COLUMN_KINDS}
    cells = {(tuple(round(v, 1) for v in c.bbox), c.text)
             for t in scanned_doc.tables() for c in t.cells if c.bbox}
    # Cells the page's OCR misread ("È" for an objective number 2, "K" for an X) were put
    # right, in number columns and in month columns: a kept reading replaced one that
    # was no token of its column's kind (the exact tests above see the result).
    kept = [r for r in records if r["kept"]]
    assert {r["kind"] for r in kept} >= {"number", "mark"}
    assert not any(kinds[r["kind"]].holds(r["before"]) for r in kept)
    for r in records:
        now = r["after"] if r["kept"] else r["before"]
        assert (tuple(r["bbox"]), now) in cells, r
        assert not r["kept"] or kinds[r["kind"]].holds(r["after"])


def _cell(row: int, col: int, text: str, x0: float, width: float = 20.0, colspan: int = 1,
          ink: float = 10.0) -> Cell:
    return Cell(row, col, text, colspan=colspan, bbox=(x0, 10.0 * row, x0 + width, 10.0 * row + 10),
                page=1, ink=ink)


def _table(cells: list[Cell]) -> Table:
    n_rows = max(c.row for c in cells) + 1
    n_cols = max(c.col + c.colspan for c in cells)
    return Table(cells, n_rows, n_cols, pages=[1], bbox=(0.0, 0.0, 400.0, 10.0 * n_rows))


def _kinds(table: Table, carried=None) -> dict[str, str]:
    kinds, _ = ocr_cells.typed_cells(table, PIAO_COLUMNS, carried)
    return {f"{table.cells[k].row},{table.cells[k].col}": kind.name for k, kind in kinds.items()}


def test_weight_table_columns_typed_by_their_headers() -> None:
    t = _table([
        _cell(0, 0, "NR.", 0), _cell(0, 1, "Obiettivo", 20, 200), _cell(0, 2, "Peso %", 220, 60),
        _cell(1, 0, "di", 0), _cell(1, 1, "Installazione sensori", 20, 200), _cell(1, 2, "1", 220, 60),
        _cell(2, 0, "ST", 0), _cell(2, 1, "Digitalizzazione", 20, 200), _cell(2, 2, "10", 220, 60),
    ])
    assert _kinds(t) == {"1,0": "number", "1,2": "number", "2,0": "number", "2,2": "number"}
    # only what is not a number already is read again; the header cells never
    todo = [c.text for k, kind in ocr_cells.typed_cells(t, PIAO_COLUMNS)[0].items()
            if ocr_cells._worth_reading(c := t.cells[k], kind)]
    assert todo == ["di", "ST"]


def test_month_header_types_marks_and_a_section_row_ends_them() -> None:
    months = [_cell(1, 2 + m, str(m + 1), 100 + 20 * m) for m in range(12)]
    months[1] = _cell(1, 3, "", 120)  # the label "2" lost by OCR: still a month column
    t = _table([
        _cell(0, 0, "N°", 0, 40), _cell(0, 1, "ATTIVITÀ/FASI", 40, 60),
        _cell(0, 2, "CRONOPROGRAMMA 2023", 100, 240, colspan=12),
        *months,
        _cell(2, 0, "L", 0, 40), _cell(2, 1, "Predisposizione", 40, 60),
        _cell(2, 2, "XO", 100), _cell(2, 3, "", 120), _cell(2, 4, "X", 140),
        _cell(3, 0, "INDICATORI DI RISULTATO", 0, 340, colspan=14),
        _cell(4, 0, "MISSIONE", 0, 40),
    ])
    kinds = _kinds(t)
    assert kinds["2,0"] == "number" and kinds["1,3"] == "number"  # the lost label, read again
    assert {kinds[f"2,{c}"] for c in (2, 3, 4)} == {"mark"}
    assert "4,0" not in kinds and "2,1" not in kinds and "1,2" not in kinds


def test_small_numbers_in_a_data_row_are_no_month_header() -> None:
    t = _table([_cell(0, 0, "1", 0), _cell(0, 1, "4", 20), _cell(0, 2, "9", 40),
                _cell(1, 0, "X", 0), _cell(1, 1, "ab", 20), _cell(1, 2, "c", 40)])
    assert ocr_cells._month_header(t.rows()[0], PIAO_COLUMNS) == ([], [])
    assert "1,1" not in _kinds(t)


def test_headerless_continuation_typed_by_content_or_by_the_page_before() -> None:
    rows = [("2T", "Attuazione misure", "8"), ("ST", "Digitalizzazione", "10"),
            ("4T", "Piano di formazione", "5")]
    t = _table([_cell(r, c, text, (0, 20, 220)[c], (20, 200, 60)[c])
                for r, row in enumerate(rows) for c, text in enumerate(row)])
    assert _kinds(t)["1,0"] == "number" and "1,1" not in _kinds(t)
    one_row = _table([_cell(0, 0, "1", 0, 40), _cell(0, 1, "XO", 100), _cell(0, 2, "O_", 120)])
    assert _kinds(one_row) == {}  # one row says nothing about its columns by itself
    carried = [ocr_cells.OpenColumn(99.0, 121.0, ocr_cells.MARK),
               ocr_cells.OpenColumn(121.0, 139.0, ocr_cells.MARK)]
    assert _kinds(one_row, carried) == {"0,1": "mark", "0,2": "mark"}


def test_a_column_whose_header_ocr_misread_is_typed_by_its_nearly_numeric_cells() -> None:
    """"N°" read as "Ne" types nothing; the column below still holds phase numbers, one
    read plainly and the others with a speck or the cell's rule read with them ("2°",
    "3|"): it is a number column and those cells are read again. One clean number alone
    among words does not type a column."""
    col0 = ["Ne", "1", "2°", "3°|"]
    t = _table([_cell(r, c, text, (0, 40)[c], (40, 200)[c])
                for r, row in enumerate(zip(col0, ["ATTIVITÀ/FASI", "Migrazione", "Avvio",
                                                   "Invio flussi"]))
                for c, text in enumerate(row)])
    kinds = _kinds(t)
    assert {kinds.get(f"{r},0") for r in (1, 2, 3)} == {"number"} and "1,1" not in kinds
    todo = [t.cells[k].text for k, kind in ocr_cells.typed_cells(t, PIAO_COLUMNS)[0].items()
            if ocr_cells._worth_reading(t.cells[k], kind)]
    assert "2°" in todo and "3°|" in todo and "1" not in todo
    specks_only = _table([_cell(r, 0, text, 0, 40) for r, text in enumerate(["Ne", "2°", "3|"])])
    assert _kinds(specks_only) == {}  # no cell reads as a number plainly
    words = _table([_cell(r, 0, text, 0, 40)
                    for r, text in enumerate(["Fase", "1", "Avvio", "Chiusura"])])
    assert _kinds(words) == {}


def test_a_reading_replaces_the_first_only_when_plausible() -> None:
    assert ocr_cells._plausible("ST", "3T", 0.0)  # same glyph count, whatever the score
    assert ocr_cells._plausible("3 s", "3", 90.0)
    assert not ocr_cells._plausible("vedi", "0", 90.0)  # words are no misread number
    assert ocr_cells._plausible("", "X", 85.0) and not ocr_cells._plausible("", "X", 20.0)
    assert not ocr_cells.NUMBER.holds("-") and not ocr_cells.MARK.holds("-")
    # a speck of dust read before the token is no part of it; a dash alone stays a dash
    assert ocr_cells._without_leading_specks(". 1.3") == "1.3"
    assert ocr_cells._without_leading_specks("·50") == "50"
    assert ocr_cells._without_leading_specks("-") == "-"


# --- how sure OCR was, per row (normalize/confidence.py) -----------------------------------


@needs_ocr
def test_rows_read_by_ocr_say_how_sure_ocr_was(scanned, twin) -> None:
    """Every phase, weight and staff row of the scan has the lowest word confidence of
    its box (0…100); the same rows read from the text layer have none."""
    for table in ("phases", "weights", "staff", "objectives"):
        scanned_rows, twin_rows = getattr(scanned, table), getattr(twin, table)
        assert scanned_rows and twin_rows
        assert all(r.ocr_confidence is not None and 0 <= r.ocr_confidence <= 100
                   for r in scanned_rows), table
        assert all(r.ocr_confidence is None for r in twin_rows), table
    marks = [m for m in scanned.schedule if m.marked and m.mark != "ink"]
    assert marks and all(m.ocr_confidence is not None for m in marks)


@needs_ocr
def test_a_cells_confidence_is_its_least_sure_word(scanned_doc) -> None:
    rereads = {tuple(r["bbox"]): r for r in scanned_doc.meta["ocr_cells"] if r["kept"]}
    cells = [c for t in scanned_doc.tables() for c in t.cells if c.text.strip()]
    assert cells and all(c.confidence is not None for c in cells)
    for c in cells:
        kept = rereads.get(tuple(round(v, 1) for v in c.bbox))
        if kept:  # a cell read again is as sure as that reading
            assert c.confidence == kept["confidence"]
    assert min(c.confidence for c in cells) < 90 <= max(c.confidence for c in cells)
