"""The real seed (converter Markdown of the Cazzago San Martino PIAO 2023-2025) → records.

Every expected value below was read by eye from
../shared/seeds/cazzago-san-martino-piao-2023-2025.md (line numbers in comments),
not copied from the program's output.
"""

from __future__ import annotations

from collections import Counter

import pytest


def _obj(plan, key):
    hits = [o for o in plan.objectives if o.objective_key == key]
    assert len(hits) == 1, f"{key}: {len(hits)} cards"
    return hits[0]


def _months(plan, key, year_index=1):
    """{seq: "XX....", …} for one card's programming year: the grid as printed."""
    out: dict[int, list[str]] = {}
    for s in plan.schedule:
        if s.objective_key == key and s.year_index == year_index:
            out.setdefault(s.seq, ["."] * 12)[s.month - 1] = s.mark[0] if s.mark else "."
    return {k: "".join(v) for k, v in out.items()}


def test_card_counts_per_area(seed_plan):
    counts = Counter(o.area_slug for o in seed_plan.objectives)
    assert counts == {"trasversali": 4, "affari-generali": 7, "servizi-alla-persona": 10,
                      "polizia-locale": 3, "finanziaria": 24, "tecnica": 21}
    assert sum(o.is_transversal for o in seed_plan.objectives) == 4


def test_entity_period_and_act(seed_plan):
    assert seed_plan.ente == "Comune di Cazzago San Martino"
    assert seed_plan.ente_slug == "cazzago-san-martino"
    assert (seed_plan.period_start, seed_plan.period_end) == (2023, 2025)
    assert seed_plan.approval_act == "DGC n. 44 del 19/04/2023"
    fields = {e.field: e.value for e in seed_plan.entity}
    assert fields["Codice Istat"] == "017046"  # leading zero kept: an identifier, not a number
    assert fields["Abitanti al 31/12/2022"] == "10.724"
    assert fields["Sindaco"] == "Dott. Fabrizio Scuri"


def test_card_affari_generali_1_field_by_field(seed_plan):  # seed lines 365-404
    o = _obj(seed_plan, "affari-generali/1")
    assert o.area == "AREA AFFARI GENERALI"
    assert (o.missione_code, o.missione) == (12, "Diritti sociali, politiche sociali e famiglia")
    assert (o.programma_code, o.programma) == (9, "Servizio necroscopico e cimiteriale")
    assert o.dup_objective == "OPERAZIONI CIMITERIALI"
    assert o.responsible == "Dott.ssa Eleonora Manfredini"
    assert o.title.startswith("Predisposizione e esecuzione delle operazioni di estumulazione")
    assert o.title.endswith("in scadenza nell'anno 2020 e 2021")
    assert o.description.startswith("L'Ufficio Servizi Demografici e Cimiteriali procede")
    assert o.human_resources == "Gloria Martinelli (60%), Silvia Leorati (40%)"
    assert o.financial_resources == "si rinvia al P.E.G. finanziario"
    # the second programming year repeats the labels: kept apart, not appended
    assert o.later_years["2:human_resources"] == "Silvia Leorati (40%), Gloria Martinelli (60%)."
    assert o.later_years["2:result_indicators"].endswith("entro il 30.06.2024.")


def test_card_per_area_field_by_field(seed_plan):
    sp1 = _obj(seed_plan, "servizi-alla-persona/1")  # seed 566-590
    assert (sp1.missione_code, sp1.programma_code) == (12, 5)
    assert sp1.programma == "Interventi per le famiglie"
    assert sp1.title == 'REALIZZAZIONE PROGETTO "ACCOGLIENZA" SUL TEMA DELL’AFFIDO'  # typographic ’ kept
    assert sp1.result_indicators.endswith("Report finale al 31/12/2023")  # paragraph continues label
    pl1 = _obj(seed_plan, "polizia-locale/1")  # seed 873-891
    assert (pl1.missione_code, pl1.missione) == (3, "ORDINE PUBBLICO E SICUREZZA")
    assert (pl1.programma_code, pl1.programma) == (2, "SISTEMA INTEGRATO DI SICUREZZA URBANA")
    assert pl1.responsible == "Commissario Capo dr. Marco ROMANO"
    assert pl1.financial_resources == "nessuna risorsa direttamente collegata"
    f9 = _obj(seed_plan, "finanziaria/9")  # seed 1104-1117
    assert (f9.missione_code, f9.missione) == (1, "Servizi istituzionali, generali e di gestione")
    assert (f9.programma_code, f9.programma) == (4, "Gestione delle entrate tributarie e servizi fiscali")
    assert f9.dup_objective.startswith("Dare Seguito all'attività di contrasto all'evasione fiscale")
    assert f9.responsible == "Dott. Angelo Bozza"
    assert f9.title == "RISCOSSIONE COATTIVA TRAMITE AdER"
    assert f9.description == "" and "description" in f9.missing_fields  # label, nothing after it
    assert f9.result_indicators.startswith("Generazione e trasmissione dei ruoli all'Agenzia")
    assert f9.financial_resources == "vedi Peg finanziario"
    f10 = _obj(seed_plan, "finanziaria/10")  # "Programma 3 - Rifiuti" (seed 1120)
    assert (f10.programma_code, f10.programma) == (3, "Rifiuti")
    t7 = _obj(seed_plan, "tecnica/7")  # seed 1580-1600
    assert (t7.missione_code, t7.missione) == (1, "Servizi Istituzionali Generali e di Gestione")
    assert (t7.programma_code, t7.programma) == (5, "Gestione dei Beni Demaniali e Patrimoniali")
    assert t7.responsible == "Arch. Cesare Ghilardi"
    assert t7.labels_raw["title"] == "DENOMINAZIONE"  # printed without its colon
    assert t7.title.startswith("Edificio comunale in via Verdi ex centro diurno")
    assert t7.description == ("Attivazione Di Un Incarico Professionale Finalizzato Alla Perizia "
                              "Statica Per La Parte A Cascina.")
    assert t7.result_indicators.endswith("entro il 31/07/2023")
    assert t7.human_resources == "100% Arch. Cesare Ghilardi"
    sp3 = _obj(seed_plan, "servizi-alla-persona/3")  # OBIETTIVO OPERATIVI DUP (seed 610)
    assert sp3.labels_raw["dup_objective"] == "OBIETTIVO OPERATIVI DUP"
    assert sp3.dup_objective.startswith("Mantenimento di una condizione di vita autonoma")
    f23 = _obj(seed_plan, "finanziaria/23")  # no DENOMINAZIONE label at all (seed 1347)
    assert f23.title == "Avvio attività Comunità Energetica Rinnovabile"
    ag6 = _obj(seed_plan, "affari-generali/6")  # RELAZIONE … DELL'OBBIETTIVO (seed 488)
    assert "OBBIETTIVO" in ag6.labels_raw["progress_report"]


def test_transversal_cards(seed_plan):
    t = _obj(seed_plan, "trasversali/3T")
    assert t.title == "Digitalizzazione attività e servizi"
    assert (t.programma_code, t.programma) == (8, "Statistica e sistemi informativi")
    assert t.responsible == "Segretario - Responsabili di Area"


SCHEDULES = {
    # key, year index: {seq: months as printed}; X/x marks, t = text rule across the grid
    ("trasversali/1T", 1): {1: "XXXXXXXXXXXX"},
    # 7 X cells after 6 empty ones, the 7th in an unlabelled column right of "12": the
    # converter split the last month column, so the marks are July..December
    ("trasversali/2T", 1): {1: "......XXXXXX"},
    ("trasversali/3T", 1): {1: "............"},  # "entro il 31/12/2023"
    ("affari-generali/1", 1): {1: "XXXXXXXXXXXX"},  # month header printed 1..11 only
    ("affari-generali/1", 2): {1: "XXXXXX......"},  # SECONDO ANNO, grid headed 2023
    ("affari-generali/4", 1): {1: "XXXXXX......"},
    ("affari-generali/7", 1): {1: "...XXXXXXXXX"},
    ("servizi-alla-persona/10", 1): {1: "..XXXX......"},
    ("polizia-locale/1", 1): {1: "..x...x..x.x", 2: "xxxxxxxxxxxx", 3: "xxxxxxxxxxxx"},
    ("polizia-locale/3", 1): {1: "XXXXXX......", 2: ".......XX...", 3: ".........XXX",
                              4: ".......XXXXX", 5: "XXXXXXXXXXXX"},
    ("finanziaria/1", 1): {1: "XXXXXXXXXXXX", 2: "XXXXXXXXXXXX"},
    ("finanziaria/2", 1): {1: "...XXX.....X", 2: "...XXX......"},
    ("finanziaria/18", 1): {1: "tttttttttttt"},  # "Tutto l'anno"
    ("finanziaria/23", 1): {1: "...X........", 2: "....XXXXXX..", 3: "...XXXXXXXXX"},
    ("tecnica/4", 1): {1: "............", 2: "............", 3: "..XXXXXXXXXX"},
}


@pytest.mark.parametrize("key,year", sorted(SCHEDULES))
def test_schedules_month_by_month(seed_plan, key, year):
    assert _months(seed_plan, key, year) == SCHEDULES[(key, year)]


def test_phase_details(seed_plan):
    ph = {(p.objective_key, p.year_index, p.seq): p for p in seed_plan.phases}
    p = ph[("trasversali/3T", 1, 1)]
    assert p.schedule_text == "entro il 31/12/2023" and str(p.deadline) == "2023-12-31"
    p = ph[("affari-generali/1", 2, 1)]
    assert (p.plan_year, p.grid_year, p.year_label_raw) == (2024, 2023, "SECONDO ANNO DI PROGRAMMAZIONE 2024")
    assert p.services == "SERVIZI DEMOGRAFICI\nE CIMITERIALI"  # row carried over a page break
    assert "entro il 30.06.2024" in p.description
    p = ph[("finanziaria/12", 1, 1)]
    assert (p.grid_year_raw, p.grid_year) == ("CRONOPROGRAMMA 202", None)
    p = ph[("finanziaria/22", 2, 1)]  # month numbers glued onto the phase row (seed 1333)
    assert p.phase_no == "1" and p.services == "SERVIZIO INFORMATICO"
    assert str(p.deadline) == "2024-05-31"
    numbers = [p.phase_no for p in seed_plan.phases if p.objective_key == "tecnica/5"]
    assert numbers[-3:] == ["18", "14", "19"]  # printed out of order (seed 1553-1555)
    assert [p.phase_no for p in seed_plan.phases if p.objective_key == "finanziaria/23"] == ["1", "2", "1"]
    assert seed_plan.phases and all(len([s for s in seed_plan.schedule if (s.objective_key, s.year_index, s.seq)
                                        == (p.objective_key, p.year_index, p.seq)]) == 12
                                   for p in seed_plan.phases[:20])


WEIGHTS = {  # seed lines 195-301: number → weight, per area table, then the TOTALE row
    "affari-generali": ([20, 15, 5, 10, 5, 5, 5] + [10, 8, 10, 7], 100),
    "finanziaria": ([5] * 11 + [3, 3, 2, 3, 2, 2, 3, 3, 3, 2, 2] + [5, 5, 5, 5], 100),
    "servizi-alla-persona": ([10, 10, 10, 5, 5, 5, 5, 5, 5, 5] + [12, 8, 10, 5], 100),
    "tecnica": ([4, 3, 3, 3, 3, 3, 2, 4, 3, 3, 1, 2, 3, 3, 3, 3, 3, 3, 2, 4, 4] + [10, 8, 10, 10], 100),
    "polizia-locale": ([25, 25, 10] + [10, 10, 10, 10], 100),
}


@pytest.mark.parametrize("area", sorted(WEIGHTS))
def test_weight_tables(seed_plan, area):
    rows = [w for w in seed_plan.weights if w.table_kind == "area" and w.area_slug == area]
    weights, total = WEIGHTS[area]
    assert [w.weight for w in rows] == weights
    assert {w.declared_total for w in rows} == {total}
    assert [w.number for w in rows][-4:] == ["1T", "2T", "3T", "4T"]


def test_weight_table_totals_and_headers(seed_plan):
    area_rows = [w for w in seed_plan.weights if w.table_kind == "area"]
    assert len(area_rows) == 83
    fin = [w for w in area_rows if w.area_slug == "finanziaria"]
    assert sum(w.weight for w in fin) == 103  # under a TOTALE of 100
    assert {w.area for w in fin} == {"AREA FINANZIARIA"}  # the section calls it ECONOMICO FINANZIARIA
    assert {w.responsible for w in fin} == {"Bozza Angelo"}
    tec = [w for w in area_rows if w.area_slug == "tecnica"]
    assert {w.responsible for w in tec} == {"Cesare Ghilardi"}
    transversal = [(w.number, w.weight) for w in seed_plan.weights if w.table_kind == "transversal"]
    assert transversal == [("1T", 8), ("2T", 5), ("3T", 10), ("4T", 7)]


def test_staff(seed_plan):
    assert len(seed_plan.staff) == 32
    assert Counter(s.area_slug for s in seed_plan.staff) == {
        "affari-generali": 5, "servizi-alla-persona": 5, "polizia-locale": 8, "finanziaria": 8, "tecnica": 6}
    ortenzia = next(s for s in seed_plan.staff if s.name == "ORTENZIA GISOTTI")
    assert (ortenzia.category, ortenzia.weekly_hours, ortenzia.profile) == (
        "B1", 30, "Collaboratore Amministrativo – Protocollo")
    civil = [s for s in seed_plan.staff if "Protezione Civile" in s.section]
    assert [(s.name, s.weekly_hours) for s in civil] == [("Marco ROMANO", 2), ("Francesco CANGELOSI", 11)]


def test_assignments(seed_plan):
    by_key: dict[str, list] = {}
    for a in seed_plan.assignments:
        by_key.setdefault(a.objective_key, []).append(a)
    assert [(a.person, a.share_pct) for a in by_key["affari-generali/3"]] == [
        ("Marcella Archetti", 50), ("Ortensia Gisotti", 50)]
    ortensia = by_key["affari-generali/3"][1]
    assert ortensia.staff_match == "ORTENZIA GISOTTI" and ortensia.staff_score < 100
    assert [(a.person, a.share_pct) for a in by_key["finanziaria/9"]] == [
        ("Cella Sabrina", 33), ("Maestrini Gianluca", 33), ("Scalvini Silvana", 33)]
    assert [(a.person, a.share_pct) for a in by_key["polizia-locale/1"]] == [
        ("Marco ROMANO", 100), ("Giovanni CANDALICE", 100), ("Francesco CANGELOSI", 50)]
    assert [(a.person, a.is_group) for a in by_key["trasversali/1T"]] == [
        ("Tutti i dipendenti", True), ("Segretario Generale", True)]
    sp1 = [(a.person, a.share_pct) for a in by_key["servizi-alla-persona/1"]]
    assert sp1 == [("Sara Lazzaroni", 80), ("Paola Danesi", 20), ("Marcella Vitali", None)]
    masperi = [a for a in seed_plan.assignments if a.person == "Masperi"]
    assert masperi and {a.staff_match for a in masperi} == {"Maspero Manuela"}
    assert all(a.staff_score < 100 for a in masperi)


def test_outputs(seed_plan):
    out = {(o.area_slug, o.product): o for o in seed_plan.outputs}
    o = out[("affari-generali", "N. lampade votive gestite")]
    assert (o.expected_raw, o.expected) == ("ca. 2500", 2500)
    o = out[("affari-generali", "N. certificazioni varie")]
    assert (o.expected_raw, o.expected) == ("n.d.", None)
    o = out[("affari-generali", "N. carte d'identità")]
    assert o.expected == 1200 and o.expected_label == "Q attesa 2023"
    o = out[("polizia-locale", "Educazione stradale")]
    assert (o.expected_raw, o.expected) == ("10 ore", 10)
    assert o.dup_objective.startswith("Attività di Polizia stradale e Polizia Amministrativa")
    o = out[("servizi-alla-persona", "N. ISCRIZIONI SERVIZIO PRE-SCUOLA")]
    assert (o.expected_raw, o.expected) == ("SERVIZIO NON ATTIVO", None)


def test_indicators(seed_plan):
    ind = {i.indicator: i for i in seed_plan.indicators}
    v = ind["Velocità di pagamento della spesa corrente per i residui"]
    assert v.dimension == "finanziaria"
    assert [v.baseline, v.target_1, v.target_2, v.target_3] == [72, 75, 80, 80]
    assert v.baseline_raw == "72%"
    t = ind["Totale ore fruite per corsi di formazione"]
    assert (t.dimension, t.baseline_raw, t.baseline) == ("professionale", "306,50", 306.5)
    assert Counter(i.dimension for i in seed_plan.indicators) == {
        "digitale": 8, "finanziaria": 5, "professionale": 2}


def test_outputs_take_the_dup_objective_of_their_own_area_only(seed_plan):
    # Polizia Locale's output tables sit under cardless MISSIONE/DUP headers (seed 792-870);
    # the Finanziaria outputs that follow (seed 945) have no such header.
    fin = [o for o in seed_plan.outputs if o.area_slug == "finanziaria"]
    assert fin and {o.dup_objective for o in fin} == {""}
    pl = {o.dup_objective[:40] for o in seed_plan.outputs if o.area_slug == "polizia-locale"}
    assert len(pl) == 4
