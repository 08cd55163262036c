"""Card rows whose rule a scan lost (or a converter merged): the next row's label inside
this row's value, or two labels stacked in one label cell over their two value rows."""

from __future__ import annotations

from extract.ir import Cell, Document, Table
from normalize import parse_document


def _card(*rows: tuple[Cell, ...]) -> Document:
    cells = [c for row in rows for c in row]
    table = Table(cells, n_rows=max(c.row + c.rowspan for c in cells), n_cols=2, pages=[1])
    return Document("plan.pdf", "pdf", elements=[table])


def test_a_label_inside_the_value_above_starts_its_own_field() -> None:
    doc = _card(
        (Cell(0, 0, "OBIETTIVO N."), Cell(0, 1, "1.1 Protocollo informatico")),
        (Cell(1, 0, "PROGRAMMA"),
         Cell(1, 1, "2 Segreteria generale\nOBIETTIVO STRATEGICO DUP .\nComune digitale")),
        (Cell(2, 0, "RESPONSABILE DEL SERVIZIO"), Cell(2, 1, "Dott.ssa Chiara Molteni")),
    )
    [o] = parse_document(doc).objectives
    assert o.programma_raw == "2 Segreteria generale"
    assert o.dup_objective == "Comune digitale"
    assert o.responsible == "Dott.ssa Chiara Molteni"


def test_labels_stacked_in_one_cell_take_the_value_rows_beside_them_in_order() -> None:
    doc = _card(
        (Cell(0, 0, "OBIETTIVO N."), Cell(0, 1, "1.4 Iscrizioni on-line")),
        (Cell(1, 0, "PROGRAMMA"), Cell(1, 1, "6 Servizi ausiliari all'istruzione")),
        (Cell(2, 0, "OBIETTIVO STRATEGICO DUP\nRESPONSABILE DEL SERVIZIO", rowspan=2),
         Cell(2, 1, "Scuola e servizi per le famiglie")),
        (Cell(3, 1, "Dott.ssa Chiara Molteni"),),
        (Cell(4, 0, "RISORSE FINANZIARIE"), Cell(4, 1, "Cap. 1450")),
    )
    [o] = parse_document(doc).objectives
    assert o.programma_raw == "6 Servizi ausiliari all'istruzione"
    assert o.dup_objective == "Scuola e servizi per le famiglie"
    assert o.responsible == "Dott.ssa Chiara Molteni"
    assert o.financial_resources == "Cap. 1450"


def test_a_value_that_only_mentions_a_label_word_is_left_whole() -> None:
    doc = _card(
        (Cell(0, 0, "OBIETTIVO N."), Cell(0, 1, "2 Archivio")),
        (Cell(1, 0, "DESCRIZIONE"),
         Cell(1, 1, "Riordino dell'archivio\nsentito il Responsabile del servizio")),
    )
    [o] = parse_document(doc).objectives
    assert o.description == "Riordino dell'archivio\nsentito il Responsabile del servizio"


def test_a_value_ending_on_a_word_that_can_label_keeps_it() -> None:
    """"… dei fruitori di tale\nservizio." ends a description: one word, in running case,
    is the value's own. So is "SERVIZIO" alone in capitals."""
    for last in ("servizio.", "SERVIZIO", "Responsabile del servizio"):
        doc = _card(
            (Cell(0, 0, "OBIETTIVO N."), Cell(0, 1, "7 Sportello")),
            (Cell(1, 0, "DESCRIZIONE"), Cell(1, 1, f"Il benessere dei fruitori di tale\n{last}")),
        )
        [o] = parse_document(doc).objectives
        assert o.description == f"Il benessere dei fruitori di tale\n{last}"
