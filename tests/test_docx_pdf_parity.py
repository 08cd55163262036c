"""DOCX ↔ PDF parity: the same Word tables read from the .docx and from its PDF export.

tests/fixtures/cards.docx and cards-shaded.docx were exported to PDF by
LibreOffice (tests/fixtures/build.py); both files are committed, LibreOffice
does not run here. The DOCX is the ground truth of the table structure (the
reader walks the `<w:tc>` elements), so the PDF reader must give back the same
tables: same count (page-split cards joined), same shape, same spans, same
texts, same bold cells, same shaded cells.

Text normalisation: cell texts are compared with ALL whitespace removed. The
PDF has a line break wherever a line wrapped inside its cell while the DOCX
has one only between paragraphs, and a wrap after a hyphen ("ISTRUZIONE-" /
"CULTURA") cannot be told from a space; every other character must match.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.docx import read_docx
from extract.ir import Cell, Document, Table
from extract.pdf import read_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEXT_MARKS = {"X", "x", "*"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=["cards", "cards-shaded"])
def pair(request) -> tuple[str, Document, Document]:
    stem = request.param
    return stem, read_docx(FIXTURES / f"{stem}.docx"), read_pdf(FIXTURES / f"{stem}.pdf")


@pytest.fixture(scope="module")
def cards() -> tuple[Document, Document]:
    return read_docx(FIXTURES / "cards.docx"), read_pdf(FIXTURES / "cards.pdf")


def _label(table: Table) -> str:
    first = min(table.cells, key=lambda c: (c.row, c.col), default=None)
    return squeeze(first.text)[:40] if first else "<empty>"


def table_differences(index: int, docx: Table, pdf: Table) -> list[str]:
    """Human-readable differences between the two readings of one table."""
    where = f"table {index} ({_label(docx)}…, PDF pages {pdf.pages})"
    if (docx.n_rows, docx.n_cols) != (pdf.n_rows, pdf.n_cols):
        out = [f"{where}: shape DOCX {docx.n_rows}x{docx.n_cols} vs PDF {pdf.n_rows}x{pdf.n_cols}"]
        d_rows, p_rows = docx.rows(), pdf.rows()
        for r in range(max(docx.n_rows, pdf.n_rows)):
            d = " | ".join(squeeze(c.text)[:20] for c in d_rows[r]) if r < len(d_rows) else "—"
            p = " | ".join(squeeze(c.text)[:20] for c in p_rows[r]) if r < len(p_rows) else "—"
            if d != p:
                out.append(f"    row {r}: DOCX [{d}]  PDF [{p}]")
                break
        return out
    out = []
    d_cells = {(c.row, c.col): c for c in docx.cells}
    p_cells = {(c.row, c.col): c for c in pdf.cells}
    for key in sorted(d_cells.keys() | p_cells.keys()):
        d, p = d_cells.get(key), p_cells.get(key)
        if d is None or p is None:
            present = d or p
            out.append(f"{where}: cell {key} only in {'DOCX' if d else 'PDF'}: {present.text[:40]!r} "
                       f"span {present.rowspan}x{present.colspan}")
            continue
        if (d.rowspan, d.colspan) != (p.rowspan, p.colspan):
            out.append(f"{where}: cell {key} span DOCX {d.rowspan}x{d.colspan} vs PDF {p.rowspan}x{p.colspan}")
        if squeeze(d.text) != squeeze(p.text):
            out.append(f"{where}: cell {key} text DOCX {d.text[:60]!r} vs PDF {p.text[:60]!r}")
        if d.bold != p.bold:
            out.append(f"{where}: cell {key} bold DOCX {d.bold} vs PDF {p.bold}: {d.text[:40]!r}")
        if (d.filled, d.fill_color) != (p.filled, p.fill_color):
            out.append(f"{where}: cell {key} fill DOCX {d.fill_color} vs PDF {p.fill_color}")
    return out


def test_same_tables(pair):
    stem, docx, pdf = pair
    d_tables, p_tables = list(docx.tables()), list(pdf.tables())
    problems = []
    if len(d_tables) != len(p_tables):
        problems.append(f"{stem}: {len(d_tables)} tables in the DOCX, {len(p_tables)} in the PDF")
    for index, (d, p) in enumerate(zip(d_tables, p_tables)):
        problems += table_differences(index, d, p)
    assert not problems, "\n".join(problems)


def _month_headers(table: Table) -> dict[int, dict[int, Cell]]:
    """Per row index: the month cells 1..12 of the grid header row at that row."""
    headers = {}
    for row in table.rows():
        months = {int(c.text): c for c in row if c.text.strip().isdigit() and c.colspan == 1}
        if sorted(months) == list(range(1, 13)):
            headers[row[0].row] = months
    return headers


def test_every_pdf_mark_lands_in_its_month_column(cards):
    """By geometry: the mark's box sits under the header cell of the month the DOCX puts it in."""
    docx, pdf = cards
    checked, problems = 0, []
    for d_table, p_table in zip(docx.tables(), pdf.tables()):
        headers = _month_headers(p_table)
        if not headers:
            continue
        d_cells = {(c.row, c.col): c for c in d_table.cells}
        for mark in p_table.cells:
            if mark.text.strip() not in TEXT_MARKS:
                continue
            header_row = max((r for r in headers if r < mark.row), default=None)
            assert header_row is not None, f"mark at row {mark.row} before any month header"
            assert mark.bbox is not None, f"mark at ({mark.row},{mark.col}) has no bbox"
            centre = (mark.bbox[0] + mark.bbox[2]) / 2
            under = [m for m, h in headers[header_row].items() if h.bbox[0] <= centre <= h.bbox[2]]
            source = d_cells.get((mark.row, mark.col))
            expected = source.col - 2 if source is not None and source.text == mark.text else None
            checked += 1
            if under != [expected]:
                problems.append(f"{_label(p_table)} row {mark.row}: {mark.text!r} under month(s) "
                                f"{under}, DOCX puts it in month {expected}")
    assert not problems, "\n".join(problems)
    # The fixture holds 286 marked months; a reader losing cards must not pass by checking nothing.
    assert checked >= 250, checked


def test_shaded_months_flagged_in_both_formats():
    docx = read_docx(FIXTURES / "cards-shaded.docx")
    pdf = read_pdf(FIXTURES / "cards-shaded.pdf")

    def shaded(doc: Document) -> list[set[tuple[int, int, str | None]]]:
        return [{(c.row, c.col, c.fill_color) for c in t.cells if c.filled} for t in doc.tables()]

    d_shaded, p_shaded = shaded(docx), shaded(pdf)
    assert sum(map(len, d_shaded)) >= 250  # every marked month of the fixture
    differences = [f"table {i}: only DOCX {sorted(d - p)[:6]} only PDF {sorted(p - d)[:6]}"
                   for i, (d, p) in enumerate(zip(d_shaded, p_shaded)) if d != p]
    assert len(d_shaded) == len(p_shaded) and not differences, "\n".join(differences)
    # shaded months carry no text in either format
    for doc in (docx, pdf):
        assert not [c.text for t in doc.tables() for c in t.cells if c.filled and c.text.strip()]


def test_page_split_card_comes_back_whole(cards):
    docx, pdf = cards

    def long_card(doc: Document) -> Table:
        (table,) = [t for t in doc.tables() if t.n_cols == 15
                    and any(c.text == "DENOMINAZIONE: Appalti manutenzioni varie" for c in t.cells)]
        return table

    d_card, p_card = long_card(docx), long_card(pdf)
    assert len(p_card.pages) == 2 and p_card.pages[1] == p_card.pages[0] + 1, p_card.pages
    assert (p_card.n_rows, p_card.n_cols) == (d_card.n_rows, d_card.n_cols)
    # its 20 phase rows (seed lines 1533-1553) are all there, none doubled at the break
    numbers = [c.text for c in p_card.cells if c.col == 0 and c.text.strip().isdigit()]
    assert numbers == [str(n) for n in range(1, 19)] + ["14", "19"]
    assert {c.page for c in p_card.cells} == set(p_card.pages)
