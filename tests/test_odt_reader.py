"""The ODT reader: a plan saved as .odt by LibreOffice reads like its Word original.

tests/fixtures/converted/cards*.odt were saved by LibreOffice from cards*.docx
(tests/fixtures/converted/build.py): same tables, spans, bold and shaded cells, so the
IR and every record must be the DOCX's. The development set's real ODT is compared
with its PDF twin where the devset is present.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import comparable_rows

from extract import read_document
from extract.docx import read_docx
from extract.ir import ReaderError
from extract.odt import read_odt
from extract.sniff import sniff
from normalize import parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONVERTED = FIXTURES / "converted"
DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "docs"
RECORD_TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff", "outputs",
                 "indicators", "entity")


def _ir(doc) -> list[tuple]:
    out = []
    for e in doc.elements:
        if e.kind == "text":
            out.append(("text", e.text, e.bold, e.size, e.heading))
        else:
            out.append(("table", e.n_rows, e.n_cols, sorted(
                (c.row, c.col, c.rowspan, c.colspan, c.text, c.bold, c.filled, c.fill_color)
                for c in e.cells)))
    return out


@pytest.mark.parametrize("stem", ["cards", "cards-shaded"])
def test_odt_gives_the_docx_ir(stem):
    odt = read_document(CONVERTED / f"{stem}.odt")
    docx = read_docx(FIXTURES / f"{stem}.docx")
    assert odt.format == "odt" and odt.pages == [] and not odt.warnings
    assert _ir(odt) == _ir(docx)


@pytest.mark.parametrize("stem", ["cards", "cards-shaded"])
def test_odt_gives_the_docx_records(stem):
    odt = parse_document(read_document(CONVERTED / f"{stem}.odt"))
    docx = parse_document(read_docx(FIXTURES / f"{stem}.docx"))
    assert len(odt.objectives) == 12
    for table in RECORD_TABLES:
        assert comparable_rows(odt, table) == comparable_rows(docx, table), table
    assert (odt.ente, odt.period_start, odt.period_end) == (docx.ente, docx.period_start,
                                                            docx.period_end)


def test_shaded_months_are_filled_cells():
    odt = read_odt(CONVERTED / "cards-shaded.odt")
    fills = {c.fill_color for t in odt.tables() for c in t.cells if c.filled}
    assert fills and all(f.startswith("#") and len(f) == 7 for f in fills)
    assert not any(c.text.strip() for t in odt.tables() for c in t.cells if c.filled
                   and c.fill_color == "#bfbfbf")  # the months are marked by shade alone


def test_sniffed_by_content_not_name():
    data = (CONVERTED / "cards.odt").read_bytes()
    assert sniff(data, "piano.pdf").kind == "odt"
    assert read_document_bytes(data, "piano.pdf").format == "odt"


def read_document_bytes(data: bytes, name: str):
    from extract import _Context, _dispatch
    from extract.settings import DEFAULT_SETTINGS

    return _dispatch(data, name, _Context(name, None, DEFAULT_SETTINGS, None))


def _odt(body: str) -> bytes:
    """A minimal ODT package around `body` (office:text content), as Writer lays it out."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">'
        '<office:automatic-styles>'
        '<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
        '<style:style style:name="Grey" style:family="table-cell">'
        '<style:table-cell-properties fo:background-color="#D9D9D9"/></style:style>'
        '<style:style style:name="None" style:family="table-cell">'
        '<style:table-cell-properties fo:background-color="transparent"/></style:style>'
        '</office:automatic-styles>'
        f'<office:body><office:text>{body}</office:text></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return buf.getvalue()


def test_white_space_spaces_tabs_and_breaks():
    doc = read_odt(_odt(
        '<text:p>\n   Obiettivo<text:s text:c="2"/>n.\n 1<text:tab/>entro'
        '<text:line-break/>il 31/12</text:p>'
        '<text:h text:outline-level="2"><text:span text:style-name="B">AREA  FINANZIARIA</text:span></text:h>'))
    first, heading = doc.elements
    assert first.text == "Obiettivo  n. 1\tentro\nil 31/12" and not first.bold
    assert (heading.text, heading.heading, heading.bold) == ("AREA FINANZIARIA", 2, True)


def test_header_rows_spans_repeats_and_shading():
    doc = read_odt(_odt(
        '<table:table><table:table-column table:number-columns-repeated="4"/>'
        '<table:table-header-rows><table:table-row>'
        '<table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2">'
        '<text:p>N.</text:p></table:table-cell><table:covered-table-cell/>'
        '<table:table-cell table:number-columns-spanned="2"><text:p>CRONO</text:p></table:table-cell>'
        '<table:covered-table-cell/></table:table-row></table:table-header-rows>'
        '<table:table-row><table:covered-table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell table:style-name="Grey"/><table:table-cell table:style-name="None">'
        '<text:p>X</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="2">'
        '<table:table-cell table:number-columns-repeated="4"><text:p>-</text:p></table:table-cell>'
        '</table:table-row></table:table>'))
    (table,) = doc.tables()
    assert (table.n_rows, table.n_cols) == (4, 4)
    cells = {(c.row, c.col): c for c in table.cells}
    assert (cells[0, 0].rowspan, cells[0, 0].colspan, cells[0, 2].colspan) == (2, 2, 2)
    assert (cells[1, 2].filled, cells[1, 2].fill_color, cells[1, 3].filled) == (True, "#d9d9d9", False)
    assert sorted(k for k in cells if k[0] >= 2) == [(r, c) for r in (2, 3) for c in range(4)]
    assert not doc.warnings


def test_text_in_a_covered_cell_is_reported_not_read():
    doc = read_odt(_odt(
        '<table:table><table:table-row><table:table-cell table:number-columns-spanned="2">'
        '<text:p>A</text:p></table:table-cell><table:covered-table-cell><text:p>hidden</text:p>'
        '</table:covered-table-cell></table:table-row></table:table>'))
    (table,) = doc.tables()
    assert [c.text for c in table.cells] == ["A"]
    assert "hidden" in doc.warnings[0]


@pytest.mark.parametrize("data, kind", [
    (b"", "empty"),
    ((CONVERTED / "cards.odt").read_bytes()[:20000], "truncated"),
])
def test_damaged_packages(data, kind):
    with pytest.raises(ReaderError) as err:
        read_odt(data)
    assert err.value.kind == kind


def test_other_opendocument_kinds_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(ReaderError) as err:
        sniff(buf.getvalue(), "plan.ods")
    assert err.value.kind == "unsupported" and "spreadsheet" in err.value.message


@pytest.mark.skipif(not (DEVSET / "porlezza-pdo-2022.f-odt.odt").exists(), reason="devset not found")
def test_devset_odt_has_the_tables_of_its_pdf_twin():
    """The real ODT of the development set against its PDF export: same tables, same first
    row, same number of cards. (The PDF splits two rows at a page break into two: the ODT
    has the row whole, so row counts are not compared.)"""
    from test_docx_pdf_parity import squeeze

    odt = read_document(DEVSET / "porlezza-pdo-2022.f-odt.odt")
    pdf = read_document(DEVSET / "porlezza-pdo-2022.f-odt.pdf")
    o_tables, p_tables = list(odt.tables()), list(pdf.tables())
    assert len(o_tables) == len(p_tables) == 14
    for o, p in zip(o_tables, p_tables):
        assert o.n_cols == p.n_cols
        first = lambda t: [squeeze(c.text) for c in t.rows()[0]]
        assert first(o) == first(p)
    assert len(parse_document(odt).objectives) == len(parse_document(pdf).objectives) == 10
