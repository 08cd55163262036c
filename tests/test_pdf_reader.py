"""The PDF reader on a real LibreOffice export (tests/fixtures/pdf_reader/, built by build.py).

Expected values come from the fixture's source data (SCHEDULE_ROWS etc. in
build.py: what was typed into the Word document), never from the reader.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pdfplumber
import pytest

from extract.inspect import format_document
from extract.ir import Cell, Document, PageInfo, ReaderError, Table, TextBlock
from extract.join import join_continued_tables
from extract.pdf import read_pdf
from extract.settings import ReadSettings

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "pdf_reader"
PDF = FIXTURE_DIR / "schedule.pdf"
HOSTILE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hostile"


def _load_source():
    spec = importlib.util.spec_from_file_location("pdf_reader_fixture", FIXTURE_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


SRC = _load_source()
MONTH0 = 3  # grid column of month 1: N°, ATTIVITÀ/FASI, SERVIZI COINVOLTI come first


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_pdf(PDF)


@pytest.fixture(scope="module")
def schedule(doc: Document) -> Table:
    return next(t for t in doc.tables() if t.cells and t.text_grid()[0][0] == "N°")


@pytest.fixture(scope="module")
def weights(doc: Document) -> Table:
    return next(t for t in doc.tables() if t.text_grid()[0][0] == SRC.WEIGHT_HEADER[0])


def _cell(table: Table, row: int, col: int) -> Cell:
    cell = table.grid()[row][col]
    assert cell is not None, f"no cell at ({row}, {col})"
    return cell


def _data_row(table: Table, number: str) -> int:
    return next(c.row for c in table.cells if c.col == 0 and c.text == number and c.row >= 2)


def test_pages(doc: Document) -> None:
    assert [p.number for p in doc.pages] == [1, 2]
    for page in doc.pages:
        assert page.width == pytest.approx(595.3, abs=1) and page.height == pytest.approx(
            841.9, abs=1
        )
        assert page.has_text and page.error is None and page.rotation == 0
    assert doc.format == "pdf" and doc.source == str(PDF)


def test_schedule_spans(schedule: Table) -> None:
    assert (schedule.n_rows, schedule.n_cols) == (2 + len(SRC.SCHEDULE_ROWS), 15)
    header = _cell(schedule, 0, MONTH0)
    assert header.text == SRC.SCHEDULE_TITLE
    assert (header.row, header.col, header.rowspan, header.colspan) == (0, MONTH0, 1, 12)
    for col, label in enumerate(("N°", "ATTIVITÀ/FASI")):
        cell = _cell(schedule, 1, col)  # the vMerge continuation is the same cell
        assert cell.text == label and (cell.row, cell.rowspan, cell.colspan) == (0, 2, 1)
    assert " ".join(_cell(schedule, 0, 2).text.split()) == "SERVIZI COINVOLTI"
    for month in range(1, 13):
        cell = _cell(schedule, 1, MONTH0 + month - 1)
        assert cell.text == str(month) and (cell.rowspan, cell.colspan) == (1, 1)
    for number, text in SRC.SCHEDULE_TEXT.items():
        cell = _cell(schedule, _data_row(schedule, number), MONTH0)
        assert cell.text == text and cell.colspan == 12


def test_marks_land_in_their_month_by_geometry(schedule: Table) -> None:
    month_boxes = {m: _cell(schedule, 1, MONTH0 + m - 1).bbox for m in range(1, 13)}
    for number, _lines, _services, marks, _shaded in SRC.SCHEDULE_ROWS:
        row = _data_row(schedule, number)
        x_cells = [c for c in schedule.cells if c.row == row and c.text == "X"]
        assert sorted(c.col - MONTH0 + 1 for c in x_cells) == sorted(marks), f"row N° {number}"
        for c in x_cells:
            # The mark's box sits under its month header, not merely at the n-th position.
            month = c.col - MONTH0 + 1
            x_mid = (c.bbox[0] + c.bbox[2]) / 2
            assert month_boxes[month][0] < x_mid < month_boxes[month][2]
            assert c.page == 1 and c.colspan == 1


def test_shaded_cells(schedule: Table) -> None:
    expected = {
        (_data_row(schedule, number), MONTH0 + m - 1)
        for number, *_rest, shaded in SRC.SCHEDULE_ROWS
        for m in shaded
    }
    filled = {(c.row, c.col) for c in schedule.cells if c.filled}
    assert filled == expected and expected
    for row, col in expected:
        cell = _cell(schedule, row, col)
        assert cell.fill_color == "#" + SRC.SHADE.lower() and cell.text == ""


def test_bold_detection(schedule: Table, weights: Table) -> None:
    header_rows = [c for c in schedule.cells if c.row < 2]
    assert header_rows and all(c.bold for c in header_rows)
    body = [c for c in schedule.cells if c.row >= 2 and not c.empty]
    assert body and not any(c.bold for c in body)
    total = next(c for c in weights.cells if c.text == SRC.WEIGHT_TOTAL[1])
    assert total.bold and not _cell(weights, 1, 1).bold


def test_multiline_cell_keeps_line_breaks(schedule: Table) -> None:
    number, lines, services, *_ = SRC.SCHEDULE_ROWS[0]
    row = _data_row(schedule, number)
    assert _cell(schedule, row, 1).text == "\n".join(lines)
    assert _cell(schedule, row, 2).text == services
    # Wrapped by the column width: two printed lines, one value.
    wrapped = _cell(schedule, _data_row(schedule, "3"), 2)
    assert (
        wrapped.text.count("\n") == 1 and " ".join(wrapped.text.split()) == SRC.SCHEDULE_ROWS[2][2]
    )


def test_text_blocks_in_reading_order(doc: Document, schedule: Table, weights: Table) -> None:
    title = next(b for b in doc.texts() if b.text == SRC.TITLE)
    assert title.bold and title.size == pytest.approx(14, abs=0.5) and title.page == 1
    intro = next(b for b in doc.texts() if b.text.startswith("Il presente documento"))
    assert " ".join(intro.text.split()) == SRC.INTRO and not intro.bold
    assert intro.size == pytest.approx(10, abs=0.5)
    heading = next(b for b in doc.texts() if b.text == SRC.WEIGHTS_TITLE)
    assert heading.bold
    order = [id(e) for e in doc.elements]
    assert order.index(id(title)) < order.index(id(intro)) < order.index(id(schedule))
    assert order.index(id(schedule)) < order.index(id(heading)) < order.index(id(weights))
    footers = [b for b in doc.texts() if b.text == SRC.FOOTER]
    assert [b.page for b in footers] == [1, 2]


def test_table_split_across_page_break_is_joined(weights: Table) -> None:
    # The PDF really does repeat the header on page 2 (Word's "repeat header row").
    with pdfplumber.open(PDF) as pdf:
        raw = pdf.pages[1].find_tables()[0].extract()
    assert raw[0] == list(SRC.WEIGHT_HEADER)

    assert weights.pages == [1, 2]
    assert (weights.n_rows, weights.n_cols) == (1 + len(SRC.WEIGHT_ROWS) + 1, 3)
    assert weights.text_grid() == [
        list(SRC.WEIGHT_HEADER),
        *map(list, SRC.WEIGHT_ROWS),
        list(SRC.WEIGHT_TOTAL),
    ]
    pages = {c.page for c in weights.cells}
    assert pages == {1, 2}
    by_row = sorted(weights.cells, key=lambda c: (c.row, c.col))
    assert all(a.page <= b.page for a, b in zip(by_row, by_row[1:]))  # page 1 rows, then page 2
    first_on_2 = min((c for c in weights.cells if c.page == 2), key=lambda c: c.row)
    assert first_on_2.bbox[1] < 100  # its own bbox, at the top of page 2


def test_inspect_shows_spans_fills_and_bold(doc: Document) -> None:
    text = format_document(doc)
    assert "<-" in text and "^" in text and "▓" in text and "[b]" in text
    assert "pages 1,2" in text
    page2 = format_document(doc, page=2)
    assert SRC.TITLE not in page2 and SRC.WEIGHT_TOTAL[1] in page2


def _table(
    page: int, top: float, bottom: float, edges: list[float], rows: list[list[str]]
) -> Table:
    """A ruled table built by hand (one cell per edge interval) for join's own logic."""
    cells = []
    height = (bottom - top) / len(rows)
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            box = (edges[c], top + r * height, edges[c + 1], top + (r + 1) * height)
            cells.append(Cell(row=r, col=c, text=text, bbox=box, page=page))
    return Table(
        cells,
        len(rows),
        len(edges) - 1,
        [page],
        (edges[0], top, edges[-1], bottom),
        col_edges=edges,
    )


def test_join_maps_a_coarser_continuation_onto_the_finer_grid() -> None:
    first = _table(1, 500, 780, [40, 100, 300, 550], [["N", "Fase", "Note"], ["1", "a", "b"]])
    cont = _table(2, 60, 120, [40, 100, 550], [["2", "c"]])  # last two columns merged
    doc = Document("x.pdf", "pdf", [first, cont], [PageInfo(1, 595, 842), PageInfo(2, 595, 842)])
    assert join_continued_tables(doc) == 1
    assert doc.elements == [first] and first.pages == [1, 2] and first.n_rows == 3
    moved = [c for c in first.cells if c.page == 2]
    assert [(c.row, c.col, c.colspan, c.text) for c in moved] == [(2, 0, 1, "2"), (2, 1, 2, "c")]


def test_join_refuses_body_text_between_or_other_columns() -> None:
    pages = [PageInfo(1, 595, 842), PageInfo(2, 595, 842)]
    first = _table(1, 500, 780, [40, 100, 550], [["1", "a"]])
    text = TextBlock("Nuova sezione", page=2, bbox=(40, 110, 200, 122))  # below the header zone
    cont = _table(2, 130, 200, [40, 100, 550], [["2", "b"]])
    doc = Document("x.pdf", "pdf", [first, text, cont], pages)
    assert join_continued_tables(doc) == 0 and len(list(doc.tables())) == 2
    header = TextBlock("Comune di Prova", page=2, bbox=(40, 40, 200, 52))  # running header
    doc = Document("x.pdf", "pdf", [first, header, cont], pages)
    assert join_continued_tables(doc) == 1
    other = _table(2, 60, 120, [40, 250, 550], [["x", "y"]])
    doc = Document(
        "x.pdf", "pdf", [_table(1, 500, 780, [40, 100, 550], [["1", "a"]]), other], pages
    )
    assert join_continued_tables(doc) == 0


def _card(page: int, top: float, bottom: float) -> Table:
    """A two-column table: an 11 pt first row, the rest of the height in a second row."""
    edges, ys = [40.0, 100.0, 550.0], [top, top + 11, bottom]
    cells = [
        Cell(
            row=r,
            col=c,
            text=f"r{r}c{c}",
            bbox=(edges[c], ys[r], edges[c + 1], ys[r + 1]),
            page=page,
        )
        for r in range(2)
        for c in range(2)
    ]
    return Table(cells, 2, 2, [page], (edges[0], top, edges[-1], bottom), col_edges=edges)


def _three_pages(first_bottom: float, second_top: float) -> Document:
    """Same-template tables on three A4 pages; the text area runs from 57 to 783 pt."""
    pages = [PageInfo(n, 595, 842) for n in (1, 2, 3)]
    title = TextBlock("PIANO DELLA PERFORMANCE", page=1, bbox=(40, 57, 300, 71))
    elements = [title, _card(1, 500, first_bottom), _card(2, second_top, 783), _card(3, 57, 783)]
    return Document("x.pdf", "pdf", elements, pages)


def test_join_tells_the_next_table_from_a_continuation_by_the_empty_paragraph() -> None:
    # Word needs an empty paragraph between two tables; it prints nothing but takes a line.
    assert join_continued_tables(_three_pages(first_bottom=783, second_top=57)) == 2
    # It stayed on page 1: an 11 pt row would have fitted in the room left there.
    assert join_continued_tables(_three_pages(first_bottom=766, second_top=57)) == 1
    # It went to page 2: the table starts a line below the top of the text area.
    doc = _three_pages(first_bottom=783, second_top=74.5)
    assert join_continued_tables(doc) == 1 and [t.pages for t in doc.tables()] == [[1], [2, 3]]


@pytest.mark.skipif(not HOSTILE.is_dir(), reason=f"hostile corpus not found at {HOSTILE}")
def test_bad_page_is_recorded_and_the_rest_read() -> None:
    # qpdf's page-no-content.pdf: page 2 of 3 has no /Contents, /MediaBox or /Resources.
    doc = read_pdf(HOSTILE / "qpdf-page-no-content.pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.failed_pages == [2] and doc.pages[1].error
    assert {b.page for b in doc.texts()} == {1, 3}
    assert any("page 2" in w for w in doc.warnings)


@pytest.mark.skipif(not HOSTILE.is_dir(), reason=f"hostile corpus not found at {HOSTILE}")
def test_image_only_page_is_flagged() -> None:
    # with OCR off; the OCR path is tests/test_ocr.py
    doc = read_pdf(HOSTILE / "sample-files-grayscale-image.pdf", ReadSettings(ocr=False))
    assert doc.pages[0].has_text is False and doc.elements == []
    assert any("OCR" in w for w in doc.warnings)


def test_not_a_pdf_is_a_reader_error(tmp_path: Path) -> None:
    fake = tmp_path / "piano.pdf"
    fake.write_bytes(b"<html><head><title>Errore</title></head><body>404</body></html>")
    with pytest.raises(ReaderError) as err:
        read_pdf(fake)
    assert err.value.kind == "not_pdf" and "HTML" in err.value.message
