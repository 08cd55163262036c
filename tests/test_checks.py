"""Consistency checks: every irregularity of the real seed found exactly once, where it is,
and nothing found in a consistent plan.

Expected values were read by eye from ../shared/seeds/cazzago-san-martino-piao-2023-2025.md
(seed line numbers in the comments), not copied from the program's output. Markdown
records carry the source line of the row they were read from: a card's findings point
at its first row (MISSIONE), a phase's at its row, a weight table's total at its last
row (the TOTALE row follows it).
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest

from piao.checks import REGISTRY, run_checks
from piao.checks.registry import CHECK_FAILED, SEVERITIES, Finding, check
from piao.checks.text import deadlines, fold_title, runs
from piao.schemas import Finding as FindingRow

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
if str(REPO) not in sys.path:  # tests.fixtures.* is imported as a package from the repository root
    sys.path.insert(0, str(REPO))

# check → {objective key (or area slug for area-level findings): seed line}
SEED = {
    # Finanziaria rows 1-22 and 1T-4T (seed 214-240) add up to 103 under TOTALE 100 (241)
    "weights.total_mismatch": {"finanziaria": 240},
    "weights.missing_table": {},
    # the registry card prints valid codes (seed 73-75)
    "codes.malformed": {},
    # cards 23 (seed 1343) and 24 (1360) have no row in the Finanziaria table (1-22 only)
    "cards.missing_weight": {"finanziaria/23": 1343, "finanziaria/24": 1360},
    "weights.missing_card": {},
    # weight table (seed 265-285) vs card titles: words added or dropped, or another title
    "cards.title_mismatch": {
        "tecnica/1": 1443,
        "tecnica/4": 1501,
        "tecnica/6": 1557,
        "tecnica/7": 1580,
        "tecnica/12": 1690,
        "tecnica/15": 1753,
        "tecnica/16": 1768,
        "tecnica/17": 1785,
        "tecnica/20": 1843,
    },
    # SAP 3 and Tec 5 end with their grid; DESCRIZIONE printed empty on Fin 5, 7, 8, 9, 10 and
    # Tec 11; Fin 20 has no RISORSE FINANZIARIE row (seed 1290-1291)
    "cards.missing_fields": {
        "servizi-alla-persona/3": 608,
        "finanziaria/5": 1036,
        "finanziaria/7": 1070,
        "finanziaria/8": 1087,
        "finanziaria/9": 1104,
        "finanziaria/10": 1119,
        "finanziaria/20": 1279,
        "tecnica/5": 1524,
        "tecnica/11": 1669,
    },
    "weights.transversal_differs": {
        "trasversali/1T": 206,
        "trasversali/2T": 207,
        "trasversali/3T": 239,
        "trasversali/4T": 240,
    },
    "shares.total_mismatch": {"finanziaria/9": 1104},  # 33% + 33% + 33% (seed 1115)
    "shares.per_person": {"polizia-locale/1": 875},  # 100% + 100% + 50% (seed 888)
    "people.not_in_staff": {"affari-generali/3": 418, "tecnica/4": 1501, "tecnica/15": 1753},
    "people.external": {"servizi-alla-persona/5": 639},  # twice: Pasini Alice, Riva Martina Maria
    "people.no_staff_table": {},
    # SECONDO ANNO 2024 grids headed CRONOPROGRAMMA 2023: AG 1 (seed 388-393), Fin 22 (1329-1334)
    "schedule.grid_year_mismatch": {"affari-generali/1": 393, "finanziaria/22": 1334},
    # "CRONOPROGRAMMA 202" (seed 1164, 1226, 1241); the phase rows follow two lines below
    "schedule.grid_year_truncated": {
        "finanziaria/12": 1166,
        "finanziaria/16": 1228,
        "finanziaria/17": 1243,
    },
    # Fin 3 prints 1, 3 (1013-1014); Fin 23 1, 2, 1 (1352-1354); Tec 5 …18, 14, 19 (1551-1553)
    "phases.numbering": {"finanziaria/3": 1014, "finanziaria/23": 1354, "tecnica/5": 1552},
    # Fin 24 phases 1, 3-6 (1369-1375) and Tec 4 phases 1-2 (1512-1513): no X, no text
    "phases.unscheduled": {"finanziaria/24": 1369, "tecnica/4": 1512},
    # Tec 7: "entro il 31/07/2023" (indicators), phase 2 marked Jun-Aug (seed 1592);
    # Tec 21: "fine lavori 31/10", phase 1 marked Feb-Dec (1867). Tec 20 also says
    # "fine lavori 31/10" but its marks stop in October (1852); AG 7 "Servizio attivo entro
    # il 31/05/2023" is a start date, its April-December marks are the service running.
    "schedule.after_deadline": {"tecnica/7": 1592, "tecnica/21": 1867},
    "areas.name_variants": {
        "finanziaria": 214
    },  # AREA FINANZIARIA (seed 212) / AREA ECONOMICO FINANZIARIA (928)
}
SEED_COUNTS = {"people.external": 2}  # findings per check where a key has more than one


def _key(f: Finding) -> str:
    return f.objective_key or f.area_slug or ""


@pytest.fixture(scope="module")
def seed_findings(seed_plan):
    return run_checks(seed_plan)


def _one(findings: list[Finding], check_code: str, key: str) -> Finding:
    hits = [f for f in findings if f.check_code == check_code and _key(f) == key]
    assert len(hits) == 1, f"{check_code} {key}: {len(hits)} findings"
    return hits[0]


def test_every_registered_check_is_pinned_on_the_seed():
    assert set(REGISTRY) == set(SEED)


@pytest.mark.parametrize("code", sorted(SEED))
def test_seed_findings_per_check(seed_findings, code):
    found = [f for f in seed_findings if f.check_code == code]
    counts = Counter(_key(f) for f in found)
    expected = SEED[code]
    assert set(counts) == set(expected)
    assert len(found) == SEED_COUNTS.get(code, len(expected))  # each distinct problem once
    for f in found:
        assert f.line == expected[_key(f)], f"{code} {_key(f)}: line {f.line}"
        assert f.page is None  # Markdown has no pages
        assert f.severity == REGISTRY[code].severity
        assert f.message and f.message_en and f.message != f.message_en


def test_seed_weights_total(seed_findings):
    f = _one(seed_findings, "weights.total_mismatch", "finanziaria")
    assert (f.severity, f.expected, f.found) == ("error", "100", "103")
    assert "AREA FINANZIARIA" in f.message


def test_seed_cards_without_weight_row(seed_findings):
    f = _one(seed_findings, "cards.missing_weight", "finanziaria/23")
    assert f.expected == "NR. 23" and "Avvio attività Comunità Energetica Rinnovabile" in f.message


def test_seed_title_mismatch(seed_findings):
    f = _one(seed_findings, "cards.title_mismatch", "tecnica/15")  # weight row seed 279, card 1757
    assert (f.expected, f.found) == (
        "Lavori di asfaltatura su via Crociate",
        "Lavori di asfaltatura",
    )
    f = _one(seed_findings, "cards.title_mismatch", "tecnica/7")  # seed 271, 1584
    assert f.expected.startswith("Edificio comunale in via Verdi (ex Cascina Sorriso)")
    assert f.found.startswith("Edificio comunale in via Verdi ex centro diurno")
    f = _one(seed_findings, "cards.title_mismatch", "tecnica/12")  # seed 276, 1694
    assert f.expected == "Torrente Longherone in comune di Cazzago san Martino, analisi del vincolo"
    assert f.found.startswith(
        "Interventi di mitigazione dei fenomeni alluvionali del torrente longherone"
    )
    assert "/100" in f.message  # the similarity score is reported
    # same title in another case or with other quotes is not a finding: SAP 1 (seed 247 / 572)
    assert not [
        x for x in seed_findings if x.check_code == "cards.title_mismatch" and x.area_slug != "tecnica"
    ]


def test_seed_missing_fields(seed_findings):
    f = _one(seed_findings, "cards.missing_fields", "finanziaria/20")
    assert f.found == "RISORSE FINANZIARIE COLLEGATE: assente"
    f = _one(seed_findings, "cards.missing_fields", "finanziaria/9")
    assert (
        f.found == "DESCRIZIONE SINTETICA DEI CONTENUTI: vuoto"
    )  # label printed, nothing after it
    f = _one(seed_findings, "cards.missing_fields", "tecnica/5")
    assert f.found == (
        "INDICATORI DI RISULTATO: assente; RISORSE UMANE ASSEGNATE: assente; "
        "RISORSE FINANZIARIE COLLEGATE: assente"
    )


def test_seed_shares(seed_findings):
    f = _one(seed_findings, "shares.total_mismatch", "finanziaria/9")
    assert (f.expected, f.found) == ("100", "33 + 33 + 33 = 99")
    f = _one(seed_findings, "shares.per_person", "polizia-locale/1")
    assert f.severity == "info"
    assert f.found == "Marco ROMANO 100%, Giovanni CANDALICE 100%, Francesco CANGELOSI 50%"


def test_seed_people(seed_findings):
    f = _one(seed_findings, "people.not_in_staff", "affari-generali/3")  # seed 429 vs 313
    assert (f.found, f.expected) == ("Ortensia Gisotti", "ORTENZIA GISOTTI")
    f = _one(seed_findings, "people.not_in_staff", "tecnica/4")  # seed 1518 … 1854 vs 1388
    assert f.expected == "Maspero Manuela"
    assert f.found == "Masperi; Manuela Masperi; Masperi Manuela; MASPERI"
    for n in (4, 6, 9, 10, 13, 14, 15, 16, 17, 18, 19, 20):
        assert f"tecnica/{n}," in f.message + ","
    f = _one(seed_findings, "people.not_in_staff", "tecnica/15")  # "Cesaere Ghilardi", seed 1764
    assert (f.found, f.expected) == ("Cesaere Ghilardi", "Cesare Ghilardi")
    # heads (Manfredini, Vitali, Romano, Bozza, Ghilardi), staff of another area ("Merola" on
    # Tec 11, seed 1684) and groups ("Tutti i dipendenti") are not reported
    reported = " ".join(x.found or "" for x in seed_findings if x.check_code.startswith("people."))
    for name in ("Vitali", "Bozza", "Romano", "Merola", "Tutti", "Manfredini"):
        assert name not in reported
    external = sorted(x.found for x in seed_findings if x.check_code == "people.external")
    assert external == [
        "Pasini Alice (Cooperativa Abibook)",
        "Riva Martina Maria (Servizio civile)",
    ]


def test_seed_schedule(seed_findings):
    f = _one(seed_findings, "schedule.grid_year_mismatch", "affari-generali/1")
    assert (f.expected, f.found) == ("2024", "CRONOPROGRAMMA 2023")
    f = _one(seed_findings, "schedule.grid_year_truncated", "finanziaria/12")
    assert (f.expected, f.found, f.severity) == ("2023", "CRONOPROGRAMMA 202", "info")
    assert _one(seed_findings, "phases.numbering", "finanziaria/3").found == "1, 3"
    assert _one(seed_findings, "phases.numbering", "finanziaria/23").found == "1, 2, 1"
    f = _one(seed_findings, "phases.numbering", "tecnica/5")
    assert (f.expected, f.found) == ("1–20", "1–18, 14, 19")
    assert _one(seed_findings, "phases.unscheduled", "finanziaria/24").found == "1, 3–6"
    assert _one(seed_findings, "phases.unscheduled", "tecnica/4").found == "1, 2"
    f = _one(seed_findings, "schedule.after_deadline", "tecnica/7")
    assert (f.expected, f.found) == ("entro 31/07/2023", "ago")
    f = _one(seed_findings, "schedule.after_deadline", "tecnica/21")
    assert (f.expected, f.found) == ("entro 31/10/2023", "nov, dic")


def test_seed_areas_and_transversal_weights(seed_findings):
    f = _one(seed_findings, "areas.name_variants", "finanziaria")
    assert f.expected == "AREA ECONOMICO FINANZIARIA" and "AREA FINANZIARIA" in f.found
    # transversal table (seed 123-126): 8, 5, 10, 7; 3T differs only in Finanziaria (5, seed 239)
    assert [
        _one(seed_findings, "weights.transversal_differs", f"trasversali/{n}T").expected
        for n in range(1, 5)
    ] == ["8", "5", "10", "7"]
    assert (
        _one(seed_findings, "weights.transversal_differs", "trasversali/3T").found
        == "AREA FINANZIARIA 5"
    )


def test_seed_notes_become_findings(seed_plan, seed_findings):
    notes = [f for f in seed_findings if f.check_code.startswith("parser.")]
    assert len(notes) == len(seed_plan.notes) > 0
    assert {(f.check_code, f.objective_key, f.line) for f in notes} == {
        ("parser." + n.check, n.objective_key, n.line) for n in seed_plan.notes
    }
    assert {f.severity for f in notes} <= set(SEVERITIES)
    assert not [f for f in seed_findings if f.check_code == CHECK_FAILED]


def test_findings_are_findings_table_rows(seed_findings):
    # the pipeline writes them as they are: they are piao.schemas.Finding rows
    assert all(isinstance(f, FindingRow) for f in seed_findings)
    assert all(f.expected is None or isinstance(f.expected, str) for f in seed_findings)
    assert all(f.found is None or isinstance(f.found, str) for f in seed_findings)


def test_findings_on_a_pdf_carry_pages():
    """cards.pdf (tests/fixtures/build.py): the seed's cards rendered as Word → PDF. Pages
    read with pdftotext: the Finanziaria weight table ends on page 2, Finanziaria 9's
    33% + 33% + 33% is on page 8, Tecnica 5's second phase "14" on page 10."""
    from extract import read_document
    from normalize import parse_document

    findings = run_checks(parse_document(read_document(FIXTURES / "cards.pdf")))
    assert _one(findings, "weights.total_mismatch", "finanziaria").page == 2
    assert _one(findings, "shares.total_mismatch", "finanziaria/9").page == 8
    f = _one(findings, "phases.numbering", "tecnica/5")
    assert (f.page, f.found) == (10, "1–18, 14, 19")
    assert all(f.line is None for f in findings)  # PDF input: pages, not lines


# ------------------------------------------------------------------ no false alarms


def test_hand_built_clean_plan_has_no_findings():
    from tests.fixtures.clean_plan import build_clean_plan

    assert run_checks(build_clean_plan()) == []


@pytest.fixture(scope="module")
def clean_docx_plan():
    from extract import read_document
    from normalize import parse_document

    return parse_document(read_document(FIXTURES / "clean.docx"))


@pytest.mark.parametrize("name", ["clean.docx", "clean.pdf"])
def test_clean_document_has_no_error_or_warning(name):
    """The consistent plan written the way offices write it (Word → PDF), read back."""
    from extract import read_document
    from normalize import parse_document

    plan = parse_document(read_document(FIXTURES / name))
    assert len(plan.objectives) == 8 and len(plan.assignments) == 17
    findings = run_checks(plan)
    assert [f for f in findings if f.severity in ("error", "warning")] == []
    assert findings == []  # not even a note


# ------------------------------------------------------------------ each check on its own


def _only(plan, code: str) -> Finding:
    """The single finding of `code`, and no other error or warning in the plan."""
    findings = run_checks(plan)
    hits = [f for f in findings if f.check_code == code]
    others = [f for f in findings if f.check_code != code and f.severity != "info"]
    assert len(hits) == 1 and not others, [(f.check_code, _key(f)) for f in findings]
    return hits[0]


@pytest.fixture()
def clean(clean_docx_plan):
    return copy.deepcopy(clean_docx_plan)


def _weight(plan, slug, number):
    return next(
        w for w in plan.weights if w.area_slug == slug and w.number == number and w.table_kind == "area"
    )


def _card(plan, key):
    return next(o for o in plan.objectives if o.objective_key == key)


def _phases(plan, key, year_index=1):
    return [p for p in plan.phases if p.objective_key == key and p.year_index == year_index]


def test_weights_total(clean):
    _weight(clean, "affari-generali", "1").weight = 35
    f = _only(clean, "weights.total_mismatch")
    assert (f.area_slug, f.expected, f.found) == ("affari-generali", "100", "105")


def test_card_without_weight_row(clean):
    clean.weights.remove(_weight(clean, "polizia-locale", "2"))
    for w in clean.weights:
        if w.area_slug == "polizia-locale":
            w.declared_total = 70
    f = _only(clean, "cards.missing_weight")
    assert f.objective_key == "polizia-locale/2"


def test_weight_row_without_card(clean):
    clean.objectives.remove(_card(clean, "polizia-locale/2"))
    f = _only(clean, "weights.missing_card")
    assert (
        f.objective_key == "polizia-locale/2"
        and "Potenziamento servizio di prossimità" in f.message
    )


def test_title_mismatch_and_folding(clean):
    card = _card(clean, "affari-generali/3")
    card.title = (
        "RIORDINO UFFICI – SISTEMAZIONE ARCHIVIO – “SCARTO MATERIALE”"  # same title, other print
    )
    assert run_checks(clean) == []
    card.title = "Digitalizzazione archivio"
    f = _only(clean, "cards.title_mismatch")
    assert (f.objective_key, f.found) == ("affari-generali/3", "Digitalizzazione archivio")
    assert f.expected == "Riordino uffici - sistemazione archivio - scarto materiale"


def test_missing_fields(clean):
    card = _card(clean, "polizia-locale/2")
    card.financial_resources, card.missing_fields = "", ["financial_resources"]
    card.labels_raw.pop("financial_resources", None)
    assert _only(clean, "cards.missing_fields").found == "RISORSE FINANZIARIE COLLEGATE: assente"


def test_shares(clean):
    a = next(
        a for a in clean.assignments if a.objective_key == "affari-generali/1" and a.share_pct == 40
    )
    a.share_pct = 30
    f = _only(clean, "shares.total_mismatch")
    assert (f.objective_key, f.found) == ("affari-generali/1", "60 + 30 = 90")
    a.share_pct = 40
    pl1 = [a for a in clean.assignments if a.objective_key == "polizia-locale/1"]
    for a, share in zip(pl1, (100, 100, 50), strict=True):
        a.share_pct = share
    f = _only(clean, "shares.per_person")
    assert f.objective_key == "polizia-locale/1" and f.severity == "info"


def test_people(clean):
    people = [a for a in clean.assignments if a.objective_key == "affari-generali/2"]
    people[1].person = "Silvia Leoratti"
    f = _only(clean, "people.not_in_staff")
    assert (f.found, f.expected) == ("Silvia Leoratti", "SILVIA LEORATI")
    people[1].person = "Mario Bianchi"  # nobody like him on the staff
    f = _only(clean, "people.not_in_staff")
    assert (f.found, f.expected) == ("Mario Bianchi", None)
    # another area's staff, an area head and a group are not absent
    for name in ("Erika TOTTOLI", "Eleonora Manfredini", "Cangelosi"):
        people[1].person = name
        assert run_checks(clean) == []
    people[1].person, people[1].person_raw = "Alice Pasini", "Alice Pasini (Cooperativa Abibook)"
    assert _only(clean, "people.external").found == "Alice Pasini (Cooperativa Abibook)"


def test_people_area_without_staff_table(clean):
    clean.staff = [s for s in clean.staff if s.area_slug != "polizia-locale"]
    f = _only(clean, "people.no_staff_table")
    assert f.area_slug == "polizia-locale"
    # "Romano", "Cangelosi" are not reported one by one: there is no table to compare with
    assert not [x for x in run_checks(clean) if x.check_code == "people.not_in_staff"]


def test_grid_years(clean):
    for p in _phases(clean, "affari-generali/1", 2):
        p.grid_year, p.grid_year_raw = 2023, "CRONOPROGRAMMA 2023"
    f = _only(clean, "schedule.grid_year_mismatch")
    assert (f.objective_key, f.expected, f.found) == (
        "affari-generali/1",
        "2024",
        "CRONOPROGRAMMA 2023",
    )
    for p in _phases(clean, "affari-generali/1", 2):
        p.grid_year, p.grid_year_raw = None, "CRONOPROGRAMMA 202"
    f = _only(clean, "schedule.grid_year_truncated")
    assert (f.expected, f.severity) == ("2024", "info")


def test_phase_numbering(clean):
    _phases(clean, "polizia-locale/3")[2].phase_no = "2"
    f = _only(clean, "phases.numbering")
    assert (f.objective_key, f.expected, f.found) == ("polizia-locale/3", "1–3", "1, 2, 2")


def test_unscheduled_phase(clean):
    phase = _phases(clean, "polizia-locale/3")[1]
    for s in clean.schedule:
        if (s.objective_key, s.year_index, s.seq) == (phase.objective_key, 1, phase.seq):
            s.marked, s.mark = False, ""
    f = _only(clean, "phases.unscheduled")
    assert (f.objective_key, f.found) == ("polizia-locale/3", "2")


def test_marks_after_deadline(clean):
    phase = _phases(clean, "polizia-locale/3")[0]  # marked January-June
    phase.description += " (entro il 31/05/2023)"
    f = _only(clean, "schedule.after_deadline")
    assert (f.objective_key, f.expected, f.found) == ("polizia-locale/3", "entro 31/05/2023", "giu")
    phase.description = phase.description.replace("entro il 31/05/2023", "entro il 30/06/2023")
    assert run_checks(clean) == []
    # a card-level deadline applies to phases without their own
    _card(clean, "polizia-locale/2").result_indicators = "fine lavori 30/09"
    f = _only(clean, "schedule.after_deadline")
    assert (f.objective_key, f.found) == ("polizia-locale/2", "ott, nov, dic")
    # a date by which something must start is not an end
    _card(clean, "polizia-locale/2").result_indicators = "Servizio attivo entro il 30/09/2023"
    assert run_checks(clean) == []


def test_second_year_deadline_uses_its_own_indicators(clean):
    card = _card(clean, "affari-generali/1")  # second year marked January-June 2024
    card.later_years["2:result_indicators"] = "Contratti stipulati entro il 30.04.2024."
    phase = _phases(clean, "affari-generali/1", 2)[0]
    phase.description = "Redazione e stipulazione dei nuovi contratti cimiteriali."
    f = _only(clean, "schedule.after_deadline")
    assert (f.expected, f.found) == ("entro 30/04/2024", "mag, giu")


def test_area_name_variants(clean):
    for w in clean.weights:
        if w.area_slug == "polizia-locale":
            w.area = "AREA POLIZIA LOCALE E PROTEZIONE CIVILE"
    f = _only(clean, "areas.name_variants")
    assert f.expected == "AREA POLIZIA LOCALE" and f.found.startswith(
        "AREA POLIZIA LOCALE E PROTEZIONE CIVILE"
    )


def test_transversal_weights(clean):
    _weight(clean, "affari-generali", "1T").weight = 15
    _weight(clean, "affari-generali", "1").weight = 25
    f = _only(clean, "weights.transversal_differs")
    assert (f.objective_key, f.expected, f.found) == (
        "trasversali/1T",
        "10",
        "AREA AFFARI GENERALI 15",
    )


def test_area_without_weight_table(clean):
    clean.weights = [w for w in clean.weights if w.area_slug != "polizia-locale"]
    f = _only(clean, "weights.missing_table")
    assert f.area_slug == "polizia-locale"


def test_a_failing_check_does_not_stop_the_others(clean, monkeypatch):
    import piao.checks as checks_pkg
    from piao.checks import registry

    monkeypatch.setattr(
        registry, "REGISTRY", dict(registry.REGISTRY)
    )  # the decorator registers here
    monkeypatch.setattr(checks_pkg, "REGISTRY", registry.REGISTRY)  # run_checks reads this

    @check("test.broken", "error", it="rotto", en="broken")
    def broken(ctx, emit):
        raise KeyError("boom")
        yield  # pragma: no cover

    _weight(clean, "affari-generali", "1").weight = 35
    findings = run_checks(clean)
    failed = [f for f in findings if f.check_code == CHECK_FAILED]
    assert len(failed) == 1 and failed[0].found == "test.broken" and "KeyError" in failed[0].message
    assert [f.check_code for f in findings if f.check_code != CHECK_FAILED] == ["weights.total_mismatch"]


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    "text,year,expected",
    [
        (
            "(entro il 30 settembre 2023); … (entro 31/12/2023 per i defunti)",
            2023,  # seed 380
            [dt.date(2023, 9, 30), dt.date(2023, 12, 31)],
        ),
        ("fine lavori 31/10", 2023, [dt.date(2023, 10, 31)]),  # seed 1855, no year printed
        ("entro il 31.05.2024", 2024, [dt.date(2024, 5, 31)]),  # seed 1336
        ("Servizio attivo entro il 31/05/2023", 2023, []),  # seed 497: a start date
        ("entro 10 giorni dalla scadenza", 2023, []),  # seed 1000: no date
        ("Report finale al 31/12/2023", 2023, []),  # not announced as a limit
    ],
)
def test_deadlines(text, year, expected):
    assert deadlines(text, year) == expected


def test_small_helpers():
    assert runs(["1", "2", "3", "4", "14", "5"]) == "1–4, 14, 5"
    assert runs(["1", "3"]) == "1, 3"
    assert fold_title("REALIZZAZIONE PROGETTO “ACCOGLIENZA”") == fold_title(
        'Realizzazione Progetto "Accoglienza"'
    )
