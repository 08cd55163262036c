"""The Markdown reader on the real seed and on converter HTML tables."""

from __future__ import annotations

from extract.ir import Table
from extract.markdown import read_markdown

from conftest import SEED_MD


def test_seed_tables_load_without_loss():
    doc = read_markdown(SEED_MD)
    lines = SEED_MD.read_text(encoding="utf-8").splitlines()
    tab_lines = {i + 1: ln for i, ln in enumerate(lines) if "\t" in ln and ln.strip()}
    seen: dict[int, int] = {}
    for t in doc.tables():
        for c in t.cells:
            seen[c.line] = seen.get(c.line, 0) + 1
    # every tab-separated line of the seed is a table row, with one cell per tab field
    assert set(seen) == set(tab_lines)
    assert all(seen[n] == tab_lines[n].count("\t") + 1 for n in tab_lines)


def test_seed_markup_and_structure():
    doc = read_markdown(SEED_MD)
    headings = [b.text for b in doc.texts() if b.heading]
    assert "PIANO DELLA PERFORMANCE/P.E.G. 2023/2025" in headings
    assert "PREMESSA" in headings  # "## *PREMESSA*": emphasis markup removed
    weights = next(t for t in doc.tables() if t.line == 197)  # PESATURA, Affari Generali
    grid = weights.text_grid()
    assert grid[0][1] == "AREA AFFARI GENERALI" and grid[0][2] == "Responsabile: Eleonora Manfredini"
    assert weights.rows()[0][1].bold  # <b>AREA AFFARI GENERALI</b>
    assert grid[1] == ["NR.", "Obiettivo", "Peso%"]
    # a row carried over a page break (first cell empty) continues its table (seed 140-143)
    card = next(t for t in doc.tables() if t.line == 139)
    assert card.text_grid()[3][1].startswith("l'aggiornamento delle pubblicazioni;")
    # <li> items become lines, typographic quotes and accents stay
    row = card.text_grid()[2]
    assert row[1].split("\n")[1] == "• l’esatto adempimento degli obblighi di pubblicazione e"
    assert row[1].startswith("Costante aggiornamento di “Amministrazione Trasparente”")


def test_html_table_spans(tmp_path):
    md = tmp_path / "t.md"
    md.write_text(
        "# Titolo\n\n"
        "<table><tr><th rowspan=2>N°</th><th colspan=3>CRONOPROGRAMMA 2023</th></tr>\n"
        "<tr><td>1</td><td>2</td><td>3</td></tr>\n"
        "<tr><td>1</td><td>X</td><td></td><td><b>x</b></td></tr></table>\n\n"
        "**Responsabile: Dott.ssa Rossi**\n",
        encoding="utf-8",
    )
    doc = read_markdown(md)
    (t,) = [e for e in doc.elements if isinstance(e, Table)]
    assert (t.n_rows, t.n_cols) == (3, 4)
    head = t.rows()[0]
    assert (head[0].rowspan, head[1].colspan, head[1].col) == (2, 3, 1)
    assert t.text_grid()[1] == ["", "1", "2", "3"]
    assert t.text_grid()[2] == ["1", "X", "", "x"]
    assert t.rows()[2][3].bold and head[0].bold
    assert [b.text for b in doc.texts()] == ["Titolo", "Responsabile: Dott.ssa Rossi"]
    assert list(doc.texts())[1].bold
