"""A table's header printed on a dark band, no rule between its labels (a scan of a
coloured header, an HTML table styled as one band): one header cell per column below."""

from __future__ import annotations

import numpy as np

from extract.pdf_grid import TableLayout, centres

XS = (40.0, 160.0, 200.0, 480.0, 550.0)  # SERVIZIO | N. | OBIETTIVO | PESO (%)


def _char(text: str, x0: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 5.0, "top": top, "bottom": top + 9.0,
            "doctop": top, "upright": True, "size": 9.0, "height": 9.0, "width": 5.0,
            "fontname": "Arial-BoldMT"}


def _word(text: str, x0: float, top: float) -> list[dict]:
    return [_char(ch, x0 + 5.0 * k, top) for k, ch in enumerate(text) if ch != " "]


def _table(header: list[tuple[str, float]]):
    band = [(XS[0], 90.0, XS[-1], 105.0)]
    body = [(a, top, b, top + 15.0) for top in (105.0, 120.0) for a, b in zip(XS, XS[1:])]
    layout = TableLayout(1, band + body)
    chars = [ch for text, x0 in header for ch in _word(text, x0, 93.0)]
    for top, row in ((108.0, ("SERVIZIO TECNICO", "1.1", "Manutenzione", "40")),
                     (123.0, ("", "1.2", "Illuminazione", "60"))):
        chars += [ch for x0, text in zip(XS, row) for ch in _word(text, x0 + 4.0, top)]
    free = np.ones(len(chars), dtype=bool)
    layout.claim(chars, *centres(chars), free)
    assert not free.any()  # every character in a cell
    return layout.to_table([])


def test_labels_over_their_columns_become_one_header_cell_each() -> None:
    t = _table([("SERVIZIO", 70.0), ("N.", 172.0), ("OBIETTIVO", 310.0), ("PESO", 500.0)])
    head = sorted((c for c in t.cells if c.row == 0), key=lambda c: c.col)
    assert [(c.col, c.colspan, c.text) for c in head] == [
        (0, 1, "SERVIZIO"), (1, 1, "N."), (2, 1, "OBIETTIVO"), (3, 1, "PESO")]
    assert [c.bbox for c in head] == [(a, 90.0, b, 105.0) for a, b in zip(XS, XS[1:])]
    assert [c.text for c in t.cells if c.row == 1] == ["SERVIZIO TECNICO", "1.1",
                                                      "Manutenzione", "40"]


def test_a_title_across_the_table_stays_one_cell() -> None:
    across = _table([("PESATURA DEGLI OBIETTIVI DEL SERVIZIO", 120.0)])  # runs over rules
    few = _table([("SERVIZIO", 70.0), ("PESO", 500.0)])  # columns without a label
    for t in (across, few):
        [head] = [c for c in t.cells if c.row == 0]
        assert head.colspan == 4
