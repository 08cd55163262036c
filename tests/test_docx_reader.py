"""DOCX reader: merged cells, nested tables, shading, bold, headings, broken files.

Expected values are read by eye from the documents themselves: the hostile
corpus files (/work/shared/corpus/hostile, their XML), the seed Markdown for
the cards of tests/fixtures/cards.docx (line numbers quoted), and the small
documents built here with python-docx where a property is set explicitly.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from extract.docx import read_docx
from extract.ir import ReaderError, Table

REPO = Path(__file__).resolve().parents[1]
HOSTILE = REPO.parent / "shared" / "corpus" / "hostile"
FIXTURES = REPO / "tests" / "fixtures"


def hostile(name: str) -> Path:
    path = HOSTILE / name
    if not path.exists():
        pytest.skip(f"hostile corpus file not found: {path}")
    return path


def spans(table: Table) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells}


def assert_tiles(table: Table) -> None:
    """Every grid position is covered by exactly one cell (no overlap, no hole)."""
    seen: dict[tuple[int, int], object] = {}
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in seen, f"({r},{c}) covered twice"
                seen[(r, c)] = cell
    assert len(seen) == table.n_rows * table.n_cols


# --------------------------------------------------------------------------- hostile corpus


def test_grid_span_and_vertical_merge_give_one_cell_per_tc():
    doc = read_docx(hostile("python-docx-tbl-cell-access.docx"))
    plain, hspan, vspan, block = list(doc.tables())
    assert spans(plain) == {(r, c, 1, 1, str(3 * r + c + 1)) for r in range(3) for c in range(3)}
    # row 2: <w:tc gridSpan=2>4</w:tc><w:tc>6</w:tc>
    assert spans(hspan) == {
        (0, 0, 1, 1, "1"), (0, 1, 1, 1, "2"), (0, 2, 1, 1, "3"),
        (1, 0, 1, 2, "4"), (1, 2, 1, 1, "6"),
        (2, 0, 1, 1, "7"), (2, 1, 1, 1, "8"), (2, 2, 1, 1, "9"),
    }
    # "5" vMerge=restart over the empty vMerge (continue) cell below it
    assert spans(vspan) == {
        (0, 0, 1, 1, "1"), (0, 1, 1, 1, "2"), (0, 2, 1, 1, "3"),
        (1, 0, 1, 1, "4"), (1, 1, 2, 1, "5"), (1, 2, 1, 1, "6"),
        (2, 0, 1, 1, "7"), (2, 2, 1, 1, "9"),
    }
    # "4" gridSpan=2 + vMerge=restart, continued by a gridSpan=2 vMerge cell
    assert spans(block) == {
        (0, 0, 1, 1, "1"), (0, 1, 1, 1, "2"), (0, 2, 1, 1, "3"),
        (1, 0, 2, 2, "4"), (1, 2, 1, 1, "6"), (2, 2, 1, 1, "9"),
    }
    for table in (plain, hspan, vspan, block):
        assert (table.n_rows, table.n_cols) == (3, 3)
        assert_tiles(table)
        assert table.page is None and table.bbox is None
    assert doc.pages == [] and doc.format == "docx"


def test_merged_and_nested_tables_in_order():
    doc = read_docx(hostile("synthetic-merged-and-nested-tables.docx"))
    kinds = [(e.kind, e.text if e.kind == "text" else (e.n_rows, e.n_cols)) for e in doc.elements]
    assert kinds == [
        ("text", "Tabella con celle unite e tabella annidata"),
        ("text", "Paragrafo prima della tabella."),
        ("table", (4, 4)),
        ("table", (2, 2)),  # nested in cell r1c3
        ("table", (1, 2)),  # nested in the nested table's cell (1,1)
        ("text", "Paragrafo dopo la tabella. Importo: € 1.234,56"),
    ]
    outer, inner, deepest = list(doc.tables())
    assert spans(outer) == {
        (0, 0, 1, 4, "Intestazione unita (4 colonne)"),
        (1, 0, 3, 1, "Unita verticalmente (3 righe)"),
        (1, 1, 1, 1, "r1c1"), (1, 2, 1, 1, "r1c2"),
        (1, 3, 1, 1, "r1c3"),  # the nested tables' text stays out of this cell
        (2, 1, 2, 2, "Blocco 2x2"), (2, 3, 1, 1, "r2c3"),
        (3, 3, 1, 1, "r3c3"),
    }
    assert_tiles(outer)
    assert spans(inner) == {(0, 0, 1, 1, "annidata 0,0"), (0, 1, 1, 1, "annidata 0,1"),
                            (1, 0, 1, 1, "annidata 1,0"), (1, 1, 1, 1, "annidata 1,1")}
    assert spans(deepest) == {(0, 0, 1, 1, "livello 3 a"), (0, 1, 1, 1, "livello 3 b")}
    assert doc.meta["nested_tables"] == [
        {"table": 1, "parent": 0, "row": 1, "col": 3},
        {"table": 2, "parent": 1, "row": 1, "col": 1},
    ]
    heading = doc.elements[0]
    assert heading.heading == 1 and heading.bold  # bold comes from the Heading1 style
    assert doc.elements[1].heading == 0


def test_paragraphs_and_tables_interleaved_with_a_nested_table():
    doc = read_docx(hostile("python-docx-blk-paras-and-tables.docx"))
    summary = []
    for e in doc.elements:
        summary.append(e.text if e.kind == "text" else [c.text for c in e.cells])
    assert summary == [
        ["", "", "", ""],
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        ["Text before\nText after"],  # the table between the two paragraphs is nested
        ["Table", "Between"],
        "Donec semper facilisis metus finibus malesuada.",
        [""],
    ]


def test_styles_part_missing_is_read_with_defaults():
    doc = read_docx(hostile("python-docx-sty-having-no-styles-part.docx"))
    assert doc.elements == []  # the body holds one empty paragraph only
    assert doc.warnings == []


def test_heading_bold_and_size_inherited_from_style():
    doc = read_docx(hostile("python-docx-test.docx"))
    title, body = doc.elements
    assert (title.text, title.heading, title.bold, title.size) == ("python-docx was here!", 1, True, 16.0)
    assert (body.text, body.heading, body.bold) == ("python-docx was here too!", 0, False)


def test_truncated_zip():
    with pytest.raises(ReaderError) as err:
        read_docx(hostile("python-docx-test-truncated.docx"))
    assert err.value.kind == "truncated"
    assert "central directory" in str(err.value)


def test_word_97_binary_renamed_docx():
    with pytest.raises(ReaderError) as err:
        read_docx(hostile("textract-raw_text-doc-renamed.docx"))
    assert err.value.kind == "doc_binary"
    assert ".doc" in str(err.value)


def test_docx_named_pdf_is_read_by_content():
    doc = read_docx(hostile("python-docx-test-docx-renamed.pdf"))
    assert [e.text for e in doc.elements] == ["python-docx was here!", "python-docx was here too!"]


# --------------------------------------------------------------------------- damaged copies of a real file


def _rezip(source: bytes, *, drop: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != drop:
                zout.writestr(info.filename, zin.read(info.filename))
    return out.getvalue()


def test_damaged_packages_get_specific_errors():
    good = hostile("python-docx-test.docx").read_bytes()
    info = zipfile.ZipFile(io.BytesIO(good)).getinfo("word/document.xml")
    data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    bad_crc = bytearray(good)
    bad_crc[data_start + 20:data_start + 28] = b"\0" * 8  # garble the deflate stream

    cases = {
        b"": "empty",
        _rezip(good, drop="word/document.xml"): "missing_part",
        _rezip(good, drop="[Content_Types].xml"): "not_docx",
        bytes(bad_crc): "corrupt",
        b"%PDF-1.7\n...": "not_docx",
        b"plain text, not a document": "not_docx",
    }
    for data, kind in cases.items():
        with pytest.raises(ReaderError) as err:
            read_docx(data, name="damaged.docx")
        assert err.value.kind == kind, (kind, str(err.value))


def test_missing_file():
    with pytest.raises(ReaderError) as err:
        read_docx(REPO / "no-such-file.docx")
    assert err.value.kind == "not_found"


# --------------------------------------------------------------------------- bold, shading, headings set explicitly


def _built_docx() -> bytes:
    """A small document whose formatting is set run by run (python-docx writes it)."""
    doc = new_document()
    label = doc.styles.add_style("Etichetta", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = doc.styles["Normal"]
    label.font.bold = True
    derived = doc.styles.add_style("Etichetta piccola", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = label  # bold only through basedOn
    titolo = doc.styles.add_style("Titolo 2", WD_STYLE_TYPE.PARAGRAPH)  # Italian Word's name
    titolo.base_style = doc.styles["Normal"]

    doc.add_paragraph("PESATURA OBIETTIVI ANNO 2023", style="Titolo 2")
    doc.add_paragraph("MISSIONE", style="Etichetta piccola")
    p = doc.add_paragraph()
    p.add_run("DENOMINAZIONE:").bold = True
    p.add_run(" Gestione notifiche arretrate")
    override = doc.add_paragraph(style="Etichetta")
    override.add_run("non grassetto").bold = False  # direct formatting beats the style

    table = doc.add_table(rows=1, cols=5)
    cells = table.rows[0].cells
    cells[0].paragraphs[0].add_run("OBIETTIVO N. 7").bold = True
    cells[0].paragraphs[0].add_run("   ")  # a blank run does not spoil "all bold"
    cells[1].paragraphs[0].add_run("DENOMINAZIONE:").bold = True
    cells[1].paragraphs[0].add_run(" Ausilio")
    cells[1].add_paragraph("seconda riga")
    for cell, (val, color, fill) in zip(cells[2:], [
        ("clear", "auto", "BFBFBF"), ("clear", "auto", "FFFFFF"), ("solid", "FF0000", "auto"),
    ]):
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), val)
        shd.set(qn("w:color"), color)
        shd.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shd)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_bold_headings_and_shading_as_set():
    doc = read_docx(_built_docx(), name="built.docx")
    texts = list(doc.texts())
    assert [(t.text, t.heading, t.bold) for t in texts] == [
        ("PESATURA OBIETTIVI ANNO 2023", 2, False),
        ("MISSIONE", 0, True),
        ("DENOMINAZIONE: Gestione notifiche arretrate", 0, False),
        ("non grassetto", 0, False),
    ]
    (table,) = doc.tables()
    number, title, grey, white, solid = sorted(table.cells, key=lambda c: c.col)
    assert number.bold and number.text == "OBIETTIVO N. 7   "
    assert not title.bold and title.text == "DENOMINAZIONE: Ausilio\nseconda riga"
    assert (grey.filled, grey.fill_color) == (True, "#bfbfbf")
    assert (white.filled, white.fill_color) == (False, None)
    assert (solid.filled, solid.fill_color) == (True, "#ff0000")


# --------------------------------------------------------------------------- the Word-like fixture


@pytest.fixture(scope="module")
def cards():
    return read_docx(FIXTURES / "cards.docx")


@pytest.fixture(scope="module")
def cards_shaded():
    return read_docx(FIXTURES / "cards-shaded.docx")


def table_with(doc, needle: str, n_cols: int | None = None) -> Table:
    found = [t for t in doc.tables() if any(needle in c.text for c in t.cells)
             and (n_cols is None or t.n_cols == n_cols)]
    assert len(found) == 1, f"{len(found)} tables contain {needle!r}"
    return found[0]


def card_with(doc, needle: str) -> Table:
    """The objective card (15 grid columns) holding `needle`; weight tables repeat titles."""
    return table_with(doc, needle, n_cols=15)


def month_row(table: Table, phase_text: str) -> list[str]:
    """Texts of months 1..12 of the phase row whose description starts with `phase_text`."""
    grid = table.grid()
    for r, row in enumerate(grid):
        if row[1] is not None and row[1].row == r and row[1].text.startswith(phase_text):
            return [row[c].text if row[c] is not None else "" for c in range(3, 15)]
    raise AssertionError(f"no phase row starting {phase_text!r}")


def test_card_structure_spans(cards):
    # Polizia Locale 1 (seed lines 875-891)
    t = card_with(cards, "Mantenere efficiente il sistema di VDS")
    assert (t.n_cols, t.page, t.bbox) == (15, None, None)
    assert_tiles(t)
    by_text = {c.text: c for c in t.cells}
    number = by_text["OBIETTIVO N. 1"]
    assert (number.col, number.rowspan, number.colspan, number.bold) == (0, 2, 1, True)
    assert by_text["MISSIONE"].bold
    value = by_text["3 – ORDINE PUBBLICO E SICUREZZA"]
    assert (value.col, value.colspan, value.bold) == (1, 14, False)
    grid_head = by_text["CRONOPROGRAMMA 2023"]
    assert (grid_head.col, grid_head.colspan, grid_head.rowspan) == (3, 12, 1)
    for header, col in (("N°", 0), ("ATTIVITÀ/FASI", 1), ("ALTRI SERVIZI COINVOLTI", 2)):
        assert (by_text[header].col, by_text[header].rowspan) == (col, 2)
    months = [c for c in t.cells if c.row == grid_head.row + 1]
    assert [(c.col, c.text) for c in sorted(months, key=lambda c: c.col)] == [
        (2 + m, str(m)) for m in range(1, 13)]
    year = by_text["ANNO DI PROGRAMMAZIONE 2023"]
    assert (year.col, year.colspan, year.bold) == (0, 15, True)
    indicators = next(c for c in t.cells if c.text.startswith("INDICATORI DI RISULTATO:"))
    assert (indicators.colspan, indicators.bold) == (15, False)  # label bold, value plain
    assert t.rows()[-1][0].text == (
        "RELAZIONE DEL RESPONSABILE SULLO STATO DI AVANZAMENTO DELL'OBIETTIVO:")


def test_card_marks_as_printed(cards):
    pl1 = card_with(cards, "Mantenere efficiente il sistema di VDS")
    # seed line 884: x in months 3, 7, 10, 12; lines 885-886: x all year
    assert month_row(pl1, "Coadiuvare l'UTC") == [
        "", "", "x", "", "", "", "x", "", "", "x", "", "x"]
    assert month_row(pl1, "Segnalare") == ["x"] * 12
    # seed line 632: * * x X X X X X X from April
    sp4 = card_with(cards, "DIGITALIZZAZIONE ARCHIVIO")
    assert month_row(sp4, "Scansione e digitalizzazione") == [
        "", "", "", "*", "*", "x", "X", "X", "X", "X", "X", "X"]
    # seed line 1113: February and March
    fin9 = card_with(cards, "RISCOSSIONE COATTIVA TRAMITE AdER")
    assert month_row(fin9, "Generazione e trasmissione") == [
        "", "X", "X", "", "", "", "", "", "", "", "", ""]


def test_schedule_text_spans_the_months(cards):
    ag5 = card_with(cards, "Gestione sportello dedicato alla Comunità Energetica")
    rule = next(c for c in ag5.cells if c.text == "entro il 31/12/2023")
    assert (rule.col, rule.colspan) == (3, 12)
    fin18 = card_with(cards, "Valorizzazione professionalità interne")
    rule = next(c for c in fin18.cells if c.text == "Tutto l'anno")
    assert (rule.col, rule.colspan) == (3, 12)


def test_second_programming_year_and_irregular_labels(cards):
    ag1 = card_with(cards, "Predisposizione e esecuzione delle operazioni di estumulazione")
    texts = [c.text for c in sorted(ag1.cells, key=lambda c: (c.row, c.col))]
    assert "SECONDO ANNO DI PROGRAMMAZIONE 2024" in texts
    assert texts.count("CRONOPROGRAMMA 2023") == 2  # the second grid is headed 2023 too
    # the closing rows are printed once per year (seed lines 380-386 and 398-401)
    assert sum(t.startswith("INDICATORI DI RISULTATO:") for t in texts) == 2
    assert "RISORSE UMANE ASSEGNATE: Silvia Leorati (40%), Gloria Martinelli (60%)." in texts
    fin12 = card_with(cards, "Predisposizione documenti contabili")
    assert any(c.text == "CRONOPROGRAMMA 202" for c in fin12.cells)
    sp6 = card_with(cards, "BROCHURE DI GUIDA RAPIDA")
    assert any(c.text == "OBIETTIVO OPERATIVI DUP" and c.bold for c in sp6.cells)
    ag6 = card_with(cards, "Gestione notifiche arretrate (anni 2022-2023)")
    assert ag6.rows()[-1][0].text.endswith("DELL'OBBIETTIVO:")
    # Tecnica 5 prints no closing rows and the phase number 14 twice (seed 1547, 1552)
    tec5 = card_with(cards, "Appalti manutenzioni varie")
    numbers = [c.text for c in tec5.cells if c.col == 0 and c.text.isdigit()]
    assert numbers.count("14") == 2 and len(numbers) == 20
    assert not any(c.text.startswith("INDICATORI") for c in tec5.cells)


def test_multiline_cells_keep_paragraphs_as_lines(cards):
    ag1 = card_with(cards, "Predisposizione e esecuzione delle operazioni di estumulazione")
    phase = next(c for c in ag1.cells if c.text.startswith("Predisposizione degli elenchi definitivi")
                 and "30.04.2024" in c.text)
    lines = phase.text.split("\n")
    assert len(lines) == 4
    assert lines[1].startswith("• Aggiornamento del programma")


def test_weight_tables_and_headings(cards):
    headings = {t.text: t.heading for t in cards.texts() if t.heading}
    assert headings["PESATURA OBIETTIVI ANNO 2023"] == 2
    assert headings["3.1.3 Obiettivi per il miglioramento della salute finanziaria"] == 3
    fin = table_with(cards, "AREA FINANZIARIA")
    rows = [[c.text for c in row] for row in fin.rows()]
    assert rows[0] == ["", "AREA FINANZIARIA", "Responsabile: Bozza Angelo"]
    assert rows[1] == ["NR.", "Obiettivo", "Peso %"]
    assert rows[-1] == ["", "TOTALE", "100"]
    assert all(c.bold for c in fin.rows()[-1][1:])
    # seed lines 214-240: the printed weights add up to 103
    assert sum(int(r[2]) for r in rows[2:-1]) == 103
    assert not any(c.filled for t in cards.tables() for c in t.cells)


def test_shaded_months(cards_shaded):
    pl3 = card_with(cards_shaded, "Coadiuvarne il servizio di Protezione Civile")
    grid = pl3.grid()
    # seed lines 917-921: phase 2 in August-September, phase 3 October-December
    expected = {"Stabilire il fabbisogno": {8, 9}, "Programmare l'acquisto": {10, 11, 12}}
    for r, row in enumerate(grid):
        for start, months in expected.items():
            if row[1] is not None and row[1].text.startswith(start):
                filled = {c - 2 for c in range(3, 15) if row[c].filled}
                assert filled == months
                assert all(row[c].text == "" for c in range(3, 15))
                assert {row[c].fill_color for c in range(3, 15) if row[c].filled} == {"#bfbfbf"}
