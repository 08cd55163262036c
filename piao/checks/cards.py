"""Objective cards against the weight tables, and the cards' mandatory fields."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz

from piao.checks.context import TRANSVERSAL_SLUG, Context, card_key_of
from piao.checks.registry import Emit, Finding, check
from piao.checks.text import clip, fold_title, num

# Card title vs weight-table title, compared after fold_title (case, accents, quotes,
# punctuation ignored) with rapidfuzz's plain ratio (0-100). In the seed the 83
# weight rows with a card score either ≥ 95 or ≤ 85, nothing in between:
#   100    the same title (69 pairs, e.g. "Accertamenti Imu Tasi" / "ACCERTAMENTI IMU TASI");
#   95-99  the same title with a typo or an abbreviation: "pippi"/"PIPI" (SAP 2, 98),
#          "Coadiuvare"/"Coadiuvarne" (PL 3, 99), "Cazzago SM"/"CSM" (Fin 4, 96),
#          "della polizia nel palazzo comunale"/"della Polizia Locale" (Tec 13, 95);
#   ≤ 85   a different wording: words added or dropped ("Lavori di asfaltatura [su via
#          Crociate]", Tec 15, 72; "Piano del verde [- Attuazione]", Tec 4, 73) or another
#          title altogether (Tec 7, 47: "ex Cascina Sorriso: messa in sicurezza…" vs
#          "ex centro diurno per valutazione…").
# 90 sits in the middle of that gap: below it the two tables name the objective
# differently, which a reader has to reconcile by hand; above it they do not.
TITLE_THRESHOLD = 90.0


def _weight_rows(ctx: Context):
    yield from ctx.transversal_table
    for rows in ctx.area_tables.values():
        yield from rows


@check(
    "cards.missing_weight",
    "warning",
    it="Una scheda obiettivo non ha una riga nella tabella di pesatura della sua area",
    en="An objective card has no row in its area's weight table",
)
def missing_weight(ctx: Context, emit: Emit) -> Iterator[Finding]:
    weighted = {card_key_of(w) for w in _weight_rows(ctx)}
    for o in ctx.plan.objectives:
        has_table = (
            bool(ctx.transversal_table) if o.is_transversal else o.area_slug in ctx.area_tables
        )
        if not has_table or o.objective_key in weighted:
            continue  # an area without a weight table is weights.missing_table, once
        area = ctx.area_tables[o.area_slug][0].area if not o.is_transversal else ""
        table = (
            "tabella degli obiettivi trasversali"
            if o.is_transversal
            else f"tabella di pesatura di {area}"
        )
        table_en = (
            "transversal objectives' table" if o.is_transversal else f"weight table of {area}"
        )
        yield emit(
            it=f"Obiettivo {o.number} ({clip(o.title, 60)}): nessuna riga NR. {o.number} "
            f"nella {table}",
            en=f"Objective {o.number} ({clip(o.title, 60)}): no row NR. {o.number} "
            f"in the {table_en}",
            objective_key=o.objective_key,
            expected=f"NR. {o.number}",
            found=None,
            page=o.page_first,
            line=o.line,
        )


@check(
    "weights.missing_card",
    "warning",
    it="Una riga della tabella di pesatura non ha la scheda obiettivo corrispondente",
    en="A weight-table row has no matching objective card",
)
def missing_card(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for w in _weight_rows(ctx):
        key = card_key_of(w)
        if key in ctx.cards:
            continue
        yield emit(
            it=f"{w.area}: riga NR. {w.number} ({clip(w.title, 60)}, peso {w.weight_raw}) "
            f"senza una scheda obiettivo {w.number}",
            en=f"{w.area}: row NR. {w.number} ({clip(w.title, 60)}, weight {w.weight_raw}) "
            f"has no objective card {w.number}",
            objective_key=key,
            area_slug=w.area_slug if w.area_slug != TRANSVERSAL_SLUG else None,
            expected=f"scheda {key}",
            found=None,
            page=w.page,
            line=w.line,
        )


@check(
    "cards.title_mismatch",
    "warning",
    it="Il titolo della scheda è diverso da quello della tabella di pesatura",
    en="The card's title differs from the weight table's",
)
def title_mismatch(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for w in _weight_rows(ctx):
        card = ctx.cards.get(card_key_of(w))
        if card is None or not card.title or not w.title:
            continue
        score = fuzz.ratio(fold_title(card.title), fold_title(w.title))
        if score >= TITLE_THRESHOLD:
            continue
        yield emit(
            it=f"Obiettivo {card.number}: il titolo nella scheda è diverso da quello in {w.area} "
            f"(somiglianza {num(round(score))}/100)",
            en=f"Objective {card.number}: the card's title differs from the one in {w.area} "
            f"(similarity {num(round(score))}/100)",
            objective_key=card.objective_key,
            expected=w.title,
            found=card.title,
            page=card.page_first,
            line=card.line,
        )


# Card labels as the template prints them: what a reader looks for on the page.
FIELD_LABELS = {
    "missione": ("MISSIONE", "MISSIONE (mission)"),
    "programma": ("PROGRAMMA", "PROGRAMMA (programme)"),
    "dup_objective": ("OBIETTIVO OPERATIVO DUP", "OBIETTIVO OPERATIVO DUP (DUP objective)"),
    "responsible": ("RESPONSABILE", "RESPONSABILE (head)"),
    "number": ("OBIETTIVO N.", "OBIETTIVO N. (number)"),
    "title": ("DENOMINAZIONE", "DENOMINAZIONE (title)"),
    "description": (
        "DESCRIZIONE SINTETICA DEI CONTENUTI",
        "DESCRIZIONE SINTETICA DEI CONTENUTI (description)",
    ),
    "result_indicators": ("INDICATORI DI RISULTATO", "INDICATORI DI RISULTATO (result indicators)"),
    "human_resources": ("RISORSE UMANE ASSEGNATE", "RISORSE UMANE ASSEGNATE (staff)"),
    "financial_resources": (
        "RISORSE FINANZIARIE COLLEGATE",
        "RISORSE FINANZIARIE COLLEGATE (funds)",
    ),
}


@check(
    "cards.missing_fields",
    "warning",
    it="Un campo obbligatorio della scheda manca o è vuoto",
    en="A mandatory card field is missing or empty",
)
def missing_fields(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for o in ctx.plan.objectives:
        if not o.missing_fields:
            continue
        # labels_raw has the label when it was printed: then the value was empty
        state_it = [
            f"{FIELD_LABELS.get(f, (f, f))[0]}: {'vuoto' if f in o.labels_raw else 'assente'}"
            for f in o.missing_fields
        ]
        state_en = [
            f"{FIELD_LABELS.get(f, (f, f))[1]}: {'empty' if f in o.labels_raw else 'missing'}"
            for f in o.missing_fields
        ]
        yield emit(
            it=f"Obiettivo {o.number}: campi obbligatori mancanti o vuoti — {'; '.join(state_it)}",
            en=f"Objective {o.number}: mandatory fields missing or empty — {'; '.join(state_en)}",
            objective_key=o.objective_key,
            expected=None,
            found="; ".join(state_it),
            page=o.page_first,
            line=o.line,
        )
