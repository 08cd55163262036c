"""Real published plans of the Comune di Avella (../shared/realdocs, see its README): the
narrative template, the PIAO's 2.2 summary table, and a document that is no plan.

Every expected value was read by eye from the PDF page named in the comment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from conftest import SHARED

from extract import read_document
from normalize import parse_document

REAL = SHARED / "realdocs"


@pytest.fixture(scope="module")
def performance():
    return parse_document(read_document(REAL / "avella-piano-performance-2026.pdf"))


@pytest.fixture(scope="module")
def piao():
    return parse_document(read_document(REAL / "avella-piao-2026-2028.pdf"))


def _obj(plan, area_prefix: str, number: str):
    return next(o for o in plan.objectives if o.area_slug.startswith(area_prefix)
                and o.number == number)


def test_performance_plan_entity_and_period(performance):
    assert performance.ente == "COMUNE DI AVELLA"  # p1, printed in capitals
    assert (performance.period_start, performance.period_end) == (2026, 2026)  # p4 "ANNO 2026"


def test_six_narrative_objectives_per_servizio(performance):
    # p5-p13: six servizi, "DESCRIZIONE OBIETTIVO 1" … "6" under each
    per_area = Counter(o.area for o in performance.objectives)
    assert per_area == {
        "SERVIZI GENERALI E RISORSE UMANE": 6,  # p5 "1 - SERVIZI GENERALI E RISORSE UMANE"
        "SERVIZI DEMOGRAFICI E STATISTICI E ALLA PERSONA": 6,  # p6
        "SERVIZI FINANZIARI": 6,  # p8
        "UFFICIO TECNICO - AMBIENTE": 6,  # p9 "4 – UFFICIO TECNICO - AMBIENTE"
        "TURISTICO E PROMOZIONE DEL TERRITORIO": 6,  # p11
        "CORPO DI POLIZIA MUNICIPALE": 6,  # p12
    }
    assert {o.template for o in performance.objectives} == {"narrative"}
    assert len({o.objective_key for o in performance.objectives}) == 36


def test_narrative_objectives_field_by_field(performance):
    o = _obj(performance, "servizi-generali", "1")  # p5
    assert o.title == "RISPETTO PREVISIONE PUBBLICAZIONI DI CUI AL D.LGS. N. 33/2013"
    assert o.responsible == "AVV. MASSIMILIANO SORRIENTO"
    assert o.description.startswith("Pieno rispetto delle previsioni di pubblicazione di dati")
    o = _obj(performance, "servizi-generali", "2")  # p5
    assert o.title == "TEMPESTIVITA’ DEI PAGAMENTI"
    assert o.description.startswith("Il legislatore, con l’art. 4 bis del D.L. n. 13/2023")
    o = _obj(performance, "servizi-finanziari", "1")  # p8
    assert o.title == "RISPETTO PREVISIONE PUBBLICAZIONI DI CUI AL D.LGS. N. 33/2013"
    assert o.responsible == "DOTT.SSA ELISABETTA NISI"
    o = _obj(performance, "corpo-di-polizia", "2")  # p12
    assert o.title == "TEMPESTIVITA’ DEI PAGAMENTI"
    assert o.responsible == "DOTT. FRANCESCO TAVASSO"
    o = _obj(performance, "servizi-demografici", "4")  # p7, no title line: first sentence
    assert o.title == "Accesso al fondo destinato al contributo dell’emergenza abitativa"
    assert o.responsible == "ARCH. GIUSEPPE CANONICO"


def test_phase_tables_with_deadlines(performance):
    for prefix in ("servizi-generali", "servizi-finanziari"):  # p5, p8
        key = _obj(performance, prefix, "1").objective_key
        phases = [p for p in performance.phases if p.objective_key == key]
        assert [p.schedule_text for p in phases] == [
            "31.12.2026", "Tutto l’anno fino al 31.12.2026", "Tutto l’anno fino al 31.12.2026"]
        assert {p.deadline for p in phases} == {dt.date(2026, 12, 31)}
        assert phases[1].description.startswith(
            "Trasmissione dei dati aggiornati al Responsabile della Trasparenza")
        assert phases[2].description.startswith("Attuazione delle misure previste nel PTPCT")
    # objectives without a phase table have no phases (p5 "DESCRIZIONE OBIETTIVO 2")
    key = _obj(performance, "servizi-generali", "2").objective_key
    assert not [p for p in performance.phases if p.objective_key == key]


def test_piao_summary_table_rows(piao):
    rows = [o for o in piao.objectives if o.template == "summary"]
    assert len(rows) == 21  # p14: 5 rows, p15: 8, p16: 7, p17: 1
    first = rows[0]  # p14, first row
    assert (first.missione_code, first.missione) == (1, "SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE")
    assert (first.programma_code, first.programma) == (2, "Segreteria Generale")
    assert first.title == "Rispetto Previsione Pubblicazioni di cui al D.lgs. n. 33/2013 e ss.mm.ii."
    assert first.objective_type == "TUTTI I SERVIZI"
    second = rows[1]  # p14, second row: the programma cell wraps over three lines
    assert second.programma == ("Servizi Finanziari: gestione economica, finanziaria, "
                                "programmazione e provveditorato")
    assert second.title == "Tempestività dei pagamenti"
    assert second.objective_type == "TUTTI I SERVIZI"
    sixth = rows[5]  # p15, first row: the objective cell wraps over six lines
    assert sixth.title.startswith("Attuazione della Direttiva del Ministro per la Pubblica "
                                  "Amministrazione del 14.01.2025")
    assert sixth.title.endswith("almeno 40 ore annue di formazione;")
    assert (sixth.programma_code, sixth.programma) == (10, "Risorse Umane")
    polizia = rows[11]  # p15, seventh row
    assert (polizia.missione_code, polizia.missione) == (3, "ORDINE PUBBLICO E SICUREZZA")
    assert polizia.programma == "Polizia locale e amministrativa"
    assert polizia.title == "Attivazione del servizio di riscossioni sanzioni C.d.S. ruolo coattivo"
    assert polizia.objective_type == "CORPO DI POLIZIA MUNICIPALE"
    last = rows[-1]  # p17, the only row
    assert (last.missione_code, last.programma_code) == (12, 6)
    assert last.title.startswith("Accesso al fondo destinato al contributo dell’emergenza abitativa")
    assert piao.ente == "COMUNE DI AVELLA"  # p5 registry card, DENOMINAZIONE ENTE
    assert (piao.period_start, piao.period_end) == (2026, 2028)  # p1 title


def test_indicator_report_holds_no_objectives():
    plan = parse_document(read_document(REAL / "avella-piano-indicatori-2025.pdf"))
    assert plan.objectives == [] and plan.weights == [] and plan.phases == []
    [warning] = [n for n in plan.notes if n.severity == "warning"]
    assert warning.check == "no_objectives"
    assert "none with objective labels" in warning.message
    assert "no performance content" in warning.message
    # the entity is printed only in the running header "COMUNE DI AVELLA CONTO DEL BILANCIO
    # 2025 Pagina 1 di 13" (every page): the entity alone is kept, never the header
    assert plan.ente == "COMUNE DI AVELLA" and plan.ente_slug == "avella"


SCAN = REAL / "avella-parere-revisore-fabbisogno-2026-2028-scan.pdf"


@pytest.fixture(scope="module")
def parere():
    from extract.inspect import format_document

    doc = read_document(SCAN)  # OCR of 4 pages, once for the module
    return doc, parse_document(doc), format_document(doc, page=1)


def test_scan_under_a_protocol_stamp_is_read_by_ocr(parere):
    doc, plan, page_one = parere
    assert [p.read_mode for p in doc.pages] == ["ocr"] * 4
    assert doc.meta["read_mode"] == "ocr" and doc.meta["ocr_pages"] == [1, 2, 3, 4]
    # words read by eye from each page (pdftoppm -r 100)
    text = "\n".join(t.text for t in doc.texts())
    assert "ORGANO DI REVISIONE" in page_one  # p1 heading "L'ORGANO DI REVISIONE"
    assert "FABBISOGNO DI PERSONALE" in page_one  # p1 OGGETTO: "…PIANO TRIENNALE DEL FABBISOGNO…"
    pages = {n: " ".join(t.text for t in doc.texts() if t.page == n) for n in (2, 3, 4)}
    assert "considerato" in pages[2] and "Circolare interministeriale" in pages[2]  # p2
    assert "PROCEDURA DA ATTIVARE" in pages[3]  # p3, the bulleted procedures
    assert "ANNO 2028" in pages[4] and "esprime" in pages[4]  # p4 heading; the verdict
    # the stamp down the left margin: kept as printed, once per page, never a table
    stamp = "COMUNE DI AVELLA - ACL8JP1 - REG_UFF_PROT - 0003119 - Ingresso - 17/03/2026 - 13:16"
    assert [t.page for t in doc.texts() if t.text == stamp] == [1, 2, 3, 4]
    assert "REG_UFF_PROT" in text
    assert not any("REG_UFF_PROT" in c.text for t in doc.tables() for c in t.cells)


def test_scan_under_a_stamp_holds_no_objectives(parere):
    _, plan, _ = parere
    assert plan.objectives == [] and plan.phases == []
    assert [n.check for n in plan.notes if n.severity == "warning"] == ["no_objectives"]
    assert plan.ente == "COMUNE DI AVELLA"  # p1 heading, printed above the title
