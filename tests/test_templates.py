"""Card and weight-table templates other than the sample's, written as a converter writes
Markdown (one table row per line, cells separated by tabs): the vocabulary of other
comuni's plans (CODICE OBIETTIVO, TITOLO OBIETTIVO, RESPONSABILE DEL SERVIZIO, FINALITÀ,
INDICATORI DI PERFORMANCE, PERSONALE COINVOLTO, RISORSE ECONOMICHE), weights printed as
"20%", "12,5" or "X", a weight table before or after its cards, and numbering that restarts
where no heading names the area.
"""

from __future__ import annotations

from extract import read_document
from normalize import labels as L
from normalize import parse_document
from normalize.schedule import grid_year_of

CARD = """CODICE OBIETTIVO\t{n}
TITOLO OBIETTIVO\t{title}
RESPONSABILE DEL SERVIZIO\tIng. Mario Rossi
FINALITÀ\tRipristino e cura
INDICATORI DI PERFORMANCE\tkm rifatti
PERSONALE COINVOLTO\tBianchi L. 60% – Verdi P. 40%
RISORSE ECONOMICHE\tCap. 2000
"""


def _plan(tmp_path, text: str):
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8")
    return parse_document(read_document(path))


def test_weights_before_the_cards_in_other_spellings(tmp_path):
    plan = _plan(tmp_path, "\n".join([
        "# COMUNE DI VALLEVERDE", "", "PIANO DETTAGLIATO DEGLI OBIETTIVI 2025-2027", "",
        "## SETTORE TECNICO", "", "Responsabile: Ing. Mario Rossi", "",
        "Cod.\tDescrizione obiettivo\tPeso (%)",
        "T1\tManutenzione delle strade comunali\t20%",
        "T2\tPiano neve\t12,5",
        "T3\tAdempimenti anticorruzione\tX",
        "TOTALE\t\t32,5", "",
        CARD.format(n="T1", title="Manutenzione delle strade comunali"),
    ]))
    assert [(w.number, w.weight_raw, w.weight) for w in plan.weights] == [
        ("T1", "20%", 20.0), ("T2", "12,5", 12.5), ("T3", "X", None)]
    assert {(w.area, w.responsible, w.declared_total) for w in plan.weights} == {
        ("SETTORE TECNICO", "Ing. Mario Rossi", 32.5)}
    [card] = plan.objectives
    assert card.area_slug == plan.weights[0].area_slug  # the card meets its weight row
    assert (card.number, card.title) == ("T1", "Manutenzione delle strade comunali")
    assert card.responsible == "Ing. Mario Rossi" and card.description == "Ripristino e cura"
    assert card.result_indicators == "km rifatti" and card.financial_resources == "Cap. 2000"
    assert [(a.person.rstrip("."), a.share_pct) for a in plan.assignments] == [
        ("Bianchi L", 60.0), ("Verdi P", 40.0)]
    assert (plan.period_start, plan.period_end) == (2025, 2027)


def _weights_after_card(tmp_path, heading: str, card: str, *table: str):
    """A card under `heading`, then a PESATURA section holding the weight table `table`."""
    return _plan(tmp_path, "\n".join([
        heading, "", card, "## PESATURA DEGLI OBIETTIVI", "", *table, "TOTALE\t\t100"]))


def test_weight_table_after_the_cards_with_its_unit_row(tmp_path):
    plan = _weights_after_card(
        tmp_path, "## UNITÀ ORGANIZZATIVA SERVIZI DEMOGRAFICI",
        CARD.format(n="1", title="Anagrafe digitale"),
        "UNITÀ ORGANIZZATIVA SERVIZI DEMOGRAFICI\tResponsabile: Dott.ssa Anna Neri",
        "N.\tDENOMINAZIONE\tPESO",
        "1\tAnagrafe digitale\t100",
    )
    [w] = plan.weights
    assert (w.area, w.responsible, w.number, w.weight) == (
        "UNITÀ ORGANIZZATIVA SERVIZI DEMOGRAFICI", "Dott.ssa Anna Neri", "1", 100.0)
    [card] = plan.objectives
    assert card.area == "UNITÀ ORGANIZZATIVA SERVIZI DEMOGRAFICI"
    assert card.area_slug == w.area_slug
    assert card.area_responsible == "Dott.ssa Anna Neri"


def test_a_unit_cell_with_its_responsible_on_the_next_line(tmp_path):
    """A weight table whose unit cell spans its rows and names the responsible under the
    unit ("SERVIZIO TECNICO / Resp.: Geom. Cetti"), the colon read by OCR as a point."""
    for resp in ("Resp.: Geom. Paolo Cetti", "Resp.. Geom. Paolo Cetti",
                 "Responsabile; Geom. Paolo Cetti"):
        plan = _weights_after_card(
            tmp_path, "## SERVIZIO TECNICO", CARD.format(n="3.1", title="Strade"),
            "SERVIZIO\tN.\tOBIETTIVO\tPESO (%)",
            f"SERVIZIO TECNICO {resp}\t3.1\tStrade\t100",
        )
        [w] = plan.weights
        assert (w.area, w.responsible, w.number, w.weight) == (
            "SERVIZIO TECNICO", "Geom. Paolo Cetti", "3.1", 100.0), resp


def test_numbering_restarting_without_an_area_never_collides(tmp_path):
    plan = _plan(tmp_path, "\n\n".join([
        CARD.format(n="1", title="Primo della prima sezione"),
        CARD.format(n="2", title="Secondo della prima sezione"),
        "Le schede che seguono riguardano la seconda sezione.",
        CARD.format(n="1", title="Primo della seconda sezione"),
    ]))
    keys = [o.objective_key for o in plan.objectives]
    assert len(keys) == 3 and len(set(keys)) == 3
    unknown = [n for n in plan.notes if n.check == "area_unknown"]
    assert len(unknown) == 3 and all(n.severity == "warning" for n in unknown)
    assert {n.objective_key for n in unknown} == set(keys)


def test_a_document_without_objectives_says_what_it_saw(tmp_path):
    plan = _plan(tmp_path, "# COMUNE DI VALLEVERDE\n\nRelazione del revisore sul rendiconto.\n\n"
                 "Voce\tImporto\nEntrate\t100\nSpese\t90\n")
    assert plan.objectives == []
    [note] = [n for n in plan.notes if n.check == "no_objectives"]
    assert note.severity == "warning"
    assert "1 tables, none with objective labels" in note.message


def _phases(plan):
    by_seq = {}
    for m in plan.schedule:
        if m.marked:
            by_seq.setdefault(m.seq, []).append(m.month)
    return [(p.phase_no, p.description, by_seq.get(p.seq, [])) for p in plan.phases]


def _card_with_grid(tmp_path, heading: str, months: list[str], *phases: str):
    """A card whose phase table is headed `heading`, its month row `months`."""
    return _plan(tmp_path, "\n".join([
        CARD.format(n="4", title="Piano neve"), heading, "\t\t" + "\t".join(months), *phases]))


def test_schedule_headed_by_other_words(tmp_path):
    plan = _card_with_grid(
        tmp_path, "N.\tFASI DI ATTUAZIONE\tTEMPI DI REALIZZAZIONE 2025",
        [str(m) for m in range(1, 13)],
        "1\tGara per lo sgombero\tX\tX",
        "2\tServizio attivo" + "\t" * 10 + "X\tX\tX",  # months 10-12
    )
    assert _phases(plan) == [("1", "Gara per lo sgombero", [1, 2]),
                             ("2", "Servizio attivo", [10, 11, 12])]
    assert {p.plan_year for p in plan.phases} == {2025}


def test_month_columns_with_no_schedule_label(tmp_path):
    months = "\t".join("G F M A M G L A S O N D".split())
    plan = _plan(tmp_path, "\n".join([
        CARD.format(n="5", title="Sportello digitale"),
        f"N.\tAZIONI\t{months}",
        "1\tAttivazione\tX\tX\tX",
    ]))
    assert _phases(plan) == [("1", "Attivazione", [1, 2, 3])]


def test_more_card_spellings_plans_print(tmp_path):
    """Other templates' labels for the same fields: OB. N., OBIETTIVO DI PERFORMANCE,
    DESCRIZIONE ANALITICA, INCARICATO DI E.Q. (the post-2023 name of the P.O.), INDICATORE
    DI OUTCOME / MODALITÀ DI VERIFICA, GRUPPO DI LAVORO, and a schedule headed
    CRONO-PROGRAMMA over a STEP column."""
    months = "\t".join(str(m) for m in range(1, 13))
    plan = _plan(tmp_path, "\n".join([
        "OB. N.\t7",
        "OBIETTIVO DI PERFORMANCE\tRiordino dell'archivio storico",
        "INCARICATO DI E.Q.\tDott.ssa Anna Neri",
        "DESCRIZIONE ANALITICA\tInventario e schedatura dei fondi",
        "MODALITÀ DI VERIFICA\tInventario pubblicato entro il 30/11",
        "GRUPPO DI LAVORO\tRossi M. 50% – Bianchi L. 50%",
        "N.\tSTEP\tCRONO-PROGRAMMA 2025",
        f"\t\t{months}",
        "1\tSchedatura\tX\tX\tX",
    ]))
    assert [o.number for o in plan.objectives] == ["7"]
    o = plan.objectives[0]
    assert (o.title, o.responsible) == ("Riordino dell'archivio storico", "Dott.ssa Anna Neri")
    assert o.description == "Inventario e schedatura dei fondi"
    assert o.result_indicators == "Inventario pubblicato entro il 30/11"
    assert o.human_resources == "Rossi M. 50% – Bianchi L. 50%"
    assert _phases(plan) == [("1", "Schedatura", [1, 2, 3])]


def test_phases_numbered_as_ordinals_and_a_header_read_by_position(tmp_path):
    """Phases numbered "1°", "2°" or "a)" each start a phase (a short mark in the N°
    column is a number as printed, not description text); a month header with labels
    that do not read (a scan's "30" for 3, "l" for 1, one lost) is read by position when
    most of its twelve labels name their month in place."""
    plan = _card_with_grid(
        tmp_path, "N°\tFASI\tCRONOPROGRAMMA 2025",
        ["l", "2", "30", "4", "5", "", "7", "8", "9", "10", "11", "12"],
        "1°\tRicognizione\tX\tX",
        "2°\tScarto" + "\t" * 3 + "X\tX",  # months 3-4
        "a)\tVersamento" + "\t" * 12 + "X",  # month 12
    )
    assert _phases(plan) == [("1°", "Ricognizione", [1, 2]), ("2°", "Scarto", [3, 4]),
                             ("a)", "Versamento", [12])]


def test_a_phase_row_whose_services_cell_reads_like_a_label_stays_a_phase(tmp_path):
    """The SERVIZI COINVOLTI cell of a phase row names a unit ("SERVIZIO: Personale",
    "Settore Tecnico"), the very words that label a card's unit row: under an open
    schedule a row numbered in the N° column is a phase, whatever its cells say."""
    months = "\t".join(str(m) for m in range(1, 13))
    plan = _plan(tmp_path, "\n".join([
        CARD.format(n="4", title="Piano neve"),
        "N°\tFASI\tSERVIZI COINVOLTI\tCRONOPROGRAMMA 2025",
        f"\t\t\t{months}",
        "1\tRicognizione\tSERVIZIO: Personale\tX\tX",
        "2\tScarto\tSETTORE TECNICO\t\t\tX",
        "3\tVersamento\tServizio personale" + "\t" * 12 + "X",
    ]))
    assert _phases(plan) == [("1", "Ricognizione", [1, 2]), ("2", "Scarto", [3]),
                             ("3", "Versamento", [12])]
    assert [p.services for p in plan.phases] == [
        "SERVIZIO: Personale", "SETTORE TECNICO", "Servizio personale"]
    assert [o.number for o in plan.objectives] == ["4"]


def test_weight_rows_that_read_badly_keep_the_table_going(tmp_path):
    """A scan's weight table: the unit row's responsible does not read, the number
    header is "NR..", one code reads "SPS" and another "3.3:". The unit is the cell named
    like a unit, every row is kept (the odd code as printed, so the checks can say no
    card has it), and a trailing colon is no part of a code."""
    plan = _weights_after_card(
        tmp_path, "## SERVIZI SOCIALI", CARD.format(n="SP7", title="Centro estivo"),
        "SETTORE SERVIZI ALLA PERSONA\tRESRORRSAziO DEIA",
        "NR..\tObiettivo\tPeso %",
        "SP4\tSportello\t21",
        "SPS\tCentro diurno\t21",
        "SP7\tCentro estivo\t17",
        "3.3:\tTrasporto\t41",
    )
    assert [(w.area, w.number, w.weight) for w in plan.weights] == [
        ("SETTORE SERVIZI ALLA PERSONA", n, v)
        for n, v in (("SP4", 21.0), ("SPS", 21.0), ("SP7", 17.0), ("3.3", 41.0))]
    assert {w.responsible for w in plan.weights} == {""}


def test_month_labels_merged_into_one_cell_are_spread_over_the_month_columns():
    """A scanned grid whose rules between the month labels were lost: the header row
    holds one cell "1|2|]3|4]|…" over the twelve month columns. The labels are read
    from its words and the months laid evenly across it, so each mark below finds its
    month by its box. (Boxes need a PDF page: the IR is written out here, as the PDF
    reader would give it.)"""
    from extract.ir import Cell, Document, Table

    x0, w = 200.0, 20.0  # month columns 3..14, 20 pt each

    def month_cell(row, month, text):
        return Cell(row, 2 + month, text, bbox=(x0 + w * (month - 1), row * 20.0,
                                                 x0 + w * month, row * 20.0 + 20), page=1)

    cells = [
        Cell(0, 0, "OBIETTIVO N. 4", colspan=15, page=1, bbox=(0, 0, 440, 20)),
        Cell(1, 0, "DENOMINAZIONE", page=1, bbox=(0, 20, 50, 40)),
        Cell(1, 1, "Archivio digitale", colspan=14, page=1, bbox=(50, 20, 440, 40)),
        Cell(2, 0, "N°", rowspan=2, page=1, bbox=(0, 40, 50, 80)),
        Cell(2, 1, "FASI", rowspan=2, page=1, bbox=(50, 40, 150, 80)),
        Cell(2, 2, "SERVIZI", rowspan=2, page=1, bbox=(150, 40, 200, 80)),
        Cell(2, 3, "CRONOPROGRAMMA 2025", colspan=12, page=1, bbox=(200, 40, 440, 60)),
        Cell(3, 3, "1|2|]3|4]|5]|]6]|7]|8| 9 ]|10|11]| 12", colspan=12, page=1,
             bbox=(200, 60, 440, 80)),
        Cell(4, 0, "1", page=1, bbox=(0, 80, 50, 100)),
        Cell(4, 1, "Scansione", page=1, bbox=(50, 80, 150, 100)),
        Cell(4, 2, "", page=1, bbox=(150, 80, 200, 100)),
        *(month_cell(4, m, "X" if m in (2, 3) else "") for m in range(1, 13)),
    ]
    doc = Document("grid.pdf", "pdf", [Table(cells, n_rows=5, n_cols=15, pages=[1])])
    plan = parse_document(doc)
    assert _phases(plan) == [("1", "Scansione", [2, 3])]


def test_a_card_number_label_with_a_comma_for_its_point(tmp_path):
    """ "OBIETTIVO N, 01.02": a comma where the point is (a scan, a typo) is still the
    card's number label."""
    plan = _plan(tmp_path, CARD.replace("CODICE OBIETTIVO", "OBIETTIVO N,").format(
        n="01.02", title="Paghe"))
    assert [(o.number, o.title) for o in plan.objectives] == [("01.02", "Paghe")]


def test_a_cell_wrapped_at_a_compound_hyphen_reads_as_one_word():
    """A PDF cell that wraps at the hyphen of "on-line" or "sotto-sezione" holds the
    word whole, as the DOCX or ODT it was exported from does; other line breaks stay."""
    from extract.ir import Cell, Document, Table

    rows = [("OBIETTIVO N.", "9"), ("DENOMINAZIONE", "Iscrizioni"),
            ("DESCRIZIONE", "Modulo di iscrizione on-\nline per le sotto-\nsezioni\ndel sito")]
    cells = [Cell(r, c, text, page=1) for r, row in enumerate(rows) for c, text in enumerate(row)]
    plan = parse_document(Document("card.pdf", "pdf", [Table(cells, n_rows=3, n_cols=2)]))
    [o] = plan.objectives
    assert o.description == "Modulo di iscrizione on-line per le sotto-sezioni\ndel sito"


def test_a_schedule_year_with_a_speck_after_it_is_still_its_year() -> None:
    """A scan reads a speck after "CRONOPROGRAMMA 2022" as "." or "_": the year stands;
    a year cut short ("202") or run into other digits is no year."""
    assert [grid_year_of(t) for t in ("CRONOPROGRAMMA 2022", "CRONOPROGRAMMA 2022 .",
                                      "TEMPI 2025_")] == [2022, 2022, 2025]
    assert grid_year_of("CRONOPROGRAMMA 202") is None
    assert grid_year_of("CRONOPROGRAMMA 20221") is None


def test_labels_with_no_column_of_their_own_end_the_value_above_them(tmp_path):
    """RISORSE STRUMENTALI, STAKEHOLDER, ASSESSORE DI RIFERIMENTO, NOTE and PESO are labels
    other templates print on a card: each ends the field above it and is kept, as
    printed, in other_fields. TIPOLOGIA OBIETTIVO is the card's type; INDICATORI DI
    ATTIVITÀ, CONTENUTO and DIPENDENTI ASSEGNATI are spellings of known fields."""
    plan = _plan(tmp_path, "\n".join([
        "OBIETTIVO N.\t3",
        "TITOLO\tSportello unico digitale",
        "TIPOLOGIA OBIETTIVO\tDi sviluppo",
        "ASSESSORE DI RIFERIMENTO\tAss. Carla Bruni",
        "RESPONSABILE\tDott. Luca Neri",
        "CONTENUTO:\tUn solo punto di accesso per le istanze",
        "STAKEHOLDER\tCittadini e imprese",
        "INDICATORI DI ATTIVITÀ\tIstanze gestite online",
        "DIPENDENTI ASSEGNATI\tRossi M. 50% – Bianchi L. 50%",
        "RISORSE STRUMENTALI\tPC e scanner",
        "PESO\t20",
        "NOTE:\tIn collaborazione con l'Unione",
    ]))
    [o] = plan.objectives
    assert (o.title, o.objective_type, o.responsible) == (
        "Sportello unico digitale", "Di sviluppo", "Dott. Luca Neri")
    assert o.description == "Un solo punto di accesso per le istanze"
    assert o.result_indicators == "Istanze gestite online"
    assert o.human_resources == "Rossi M. 50% – Bianchi L. 50%"
    assert o.other_fields == {
        "ASSESSORE DI RIFERIMENTO": "Ass. Carla Bruni", "STAKEHOLDER": "Cittadini e imprese",
        "RISORSE STRUMENTALI": "PC e scanner", "PESO": "20",
        "NOTE": "In collaborazione con l'Unione"}
    assert [(a.person.rstrip("."), a.share_pct) for a in plan.assignments] == [
        ("Rossi M", 50.0), ("Bianchi L", 50.0)]


def test_a_value_cell_starting_like_such_a_label_stays_in_its_value(tmp_path):
    """Beyond a row's first cell those labels count only as the whole cell: a value that
    opens with "Destinatari:" is the value."""
    plan = _plan(tmp_path, "\n".join([
        CARD.format(n="8", title="Centro estivo"),
        "DESCRIZIONE\tDestinatari: i ragazzi dai 6 ai 14 anni",
    ]))
    [o] = plan.objectives
    assert o.description == "Ripristino e cura\nDestinatari: i ragazzi dai 6 ai 14 anni"
    assert o.other_fields == {}


def test_a_cronogramma_and_a_deadline_column(tmp_path):
    """CRONOGRAMMA (as many plans spell it) heads the months; a phase table whose schedule
    column is a date column (SCADENZA) gives each phase its date as schedule text, and a
    DESCRIZIONE DEGLI INTERVENTI column is the phases' own."""
    plan = _card_with_grid(
        tmp_path, "N.\tINTERVENTI\tCRONOGRAMMA 2025", [str(m) for m in range(1, 13)],
        "1\tRilievo\tX\tX")
    assert _phases(plan) == [("1", "Rilievo", [1, 2])]
    assert {p.plan_year for p in plan.phases} == {2025}
    plan = _plan(tmp_path, "\n".join([
        CARD.format(n="9", title="Archivio"),
        "N.\tDESCRIZIONE DEGLI INTERVENTI\tSCADENZA",
        "1\tScarto degli atti\t30/06/2025",
        "2\tInventario\t31/12/2025",
    ]))
    assert [(p.phase_no, p.description, p.schedule_text) for p in plan.phases] == [
        ("1", "Scarto degli atti", "30/06/2025"), ("2", "Inventario", "31/12/2025")]
    [o] = plan.objectives
    assert o.financial_resources == "Cap. 2000"  # the phase table did not run on into it


def test_a_number_label_naming_the_kind_of_objective(tmp_path):
    """"OBIETTIVO OPERATIVO N. 2", "OBIETTIVO DI PERFORMANCE N. 3" number their cards;
    "OBIETTIVO STRATEGICO N. 1" heads the DUP line over them and numbers none."""
    plan = _plan(tmp_path, "\n".join([
        "OBIETTIVO OPERATIVO N.\t2",
        "DENOMINAZIONE\tRevisione del regolamento edilizio",
        "RESPONSABILE\tArch. Paola Verdi",
        "",
        "OBIETTIVO DI PERFORMANCE N.\t3",
        "DENOMINAZIONE\tPiano del verde",
        "RESPONSABILE\tArch. Paola Verdi",
    ]))
    assert [(o.number, o.title) for o in plan.objectives] == [
        ("2", "Revisione del regolamento edilizio"), ("3", "Piano del verde")]
    assert {o.labels_raw["number"] for o in plan.objectives} == {
        "OBIETTIVO OPERATIVO N.", "OBIETTIVO DI PERFORMANCE N."}
    assert L.match_label("OBIETTIVO STRATEGICO N. 1") is None


def test_a_weight_table_with_columns_beside_its_weights(tmp_path):
    """A weight table headed in other words (AREA/SETTORE, DESCRIZIONE DEGLI OBIETTIVI,
    PUNTI) and carrying columns of its own (INDICATORE, NOTE) is still a weight table;
    those columns' cells are no part of its rows."""
    plan = _weights_after_card(
        tmp_path, "## SETTORE TECNICO", CARD.format(n="T1", title="Manutenzione strade"),
        "AREA/SETTORE\tN.\tDESCRIZIONE DEGLI OBIETTIVI\tINDICATORE\tPUNTI\tNOTE",
        "SETTORE TECNICO\tT1\tManutenzione strade\tkm rifatti\t60\t",
        "\tT2\tPiano neve\tinterventi\t40\tcon la Protezione civile",
    )
    assert [(w.number, w.title, w.weight) for w in plan.weights] == [
        ("T1", "Manutenzione strade", 60.0), ("T2", "Piano neve", 40.0)]
    assert {w.declared_total for w in plan.weights} == {100.0}
