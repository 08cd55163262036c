"""Weight tables (PESATURA OBIETTIVI): totals, and the transversal objectives' weights."""

from __future__ import annotations

from collections.abc import Iterator

from piao.checks.context import Context, card_key_of
from piao.checks.registry import Emit, Finding, check
from piao.checks.text import num

# Weights are whole percentages in practice; anything closer than this is equal.
_TOLERANCE = 0.01


@check(
    "weights.total_mismatch",
    "error",
    it="I pesi di una tabella di pesatura non sommano al TOTALE dichiarato",
    en="The weights of a weight table do not add up to its declared TOTAL",
)
def total_mismatch(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for slug, rows in ctx.area_tables.items():
        declared = rows[0].declared_total
        weights = [w.weight for w in rows if w.weight is not None]
        if declared is None or not weights:
            continue
        total = sum(weights)
        if abs(total - declared) <= _TOLERANCE:
            continue
        last = rows[-1]  # the TOTALE row is printed right after the last row
        area = rows[0].area
        yield emit(
            it=f"{area}: i pesi delle {len(weights)} righe sommano a {num(total)}, "
            f"ma il TOTALE dichiarato è {num(declared)}",
            en=f"{area}: the {len(weights)} rows' weights add up to {num(total)}, "
            f"but the declared TOTAL is {num(declared)}",
            area_slug=slug,
            expected=num(declared),
            found=num(total),
            page=last.page,
            line=last.line,
        )


@check(
    "weights.missing_table",
    "info",
    it="Un'area con schede obiettivo non ha una tabella di pesatura",
    en="An area with objective cards has no weight table",
)
def missing_table(ctx: Context, emit: Emit) -> Iterator[Finding]:
    if not ctx.area_tables:
        return  # a plan without any weight table: nothing to compare, not a finding per area
    seen: set[str] = set()
    for o in ctx.plan.objectives:
        if o.is_transversal or o.area_slug in ctx.area_tables or o.area_slug in seen:
            continue
        seen.add(o.area_slug)
        yield emit(
            it=f"{o.area}: nessuna tabella di pesatura per le schede di quest'area",
            en=f"{o.area}: no weight table for this area's cards",
            area_slug=o.area_slug,
            page=o.page_first,
            line=o.line,
        )


@check(
    "weights.transversal_differs",
    "info",
    it="Un obiettivo trasversale ha in un'area un peso diverso da quello della tabella trasversale",
    en="A transversal objective is weighted in an area differently than in the transversal table",
)
def transversal_differs(ctx: Context, emit: Emit) -> Iterator[Finding]:
    reference = {card_key_of(w): w for w in ctx.transversal_table if w.weight is not None}
    differing: dict[str, list] = {}
    for rows in ctx.area_tables.values():
        for w in rows:
            ref = reference.get(card_key_of(w))
            if ref is None or w.weight is None or abs(w.weight - ref.weight) <= _TOLERANCE:
                continue
            differing.setdefault(card_key_of(w), []).append(w)
    for key, rows in differing.items():
        ref = reference[key]
        listed = "; ".join(f"{w.area} {num(w.weight)}" for w in rows)
        areas_it = "un'area" if len(rows) == 1 else f"{len(rows)} aree"
        areas_en = "one area" if len(rows) == 1 else f"{len(rows)} areas"
        yield emit(
            it=f"Obiettivo {ref.number}: peso {num(ref.weight)} nella tabella degli obiettivi "
            f"trasversali, diverso in {areas_it} ({listed})",
            en=f"Objective {ref.number}: weight {num(ref.weight)} in the transversal objectives' "
            f"table, different in {areas_en} ({listed})",
            objective_key=key,
            expected=num(ref.weight),
            found=listed,
            page=rows[0].page,
            line=rows[0].line,
        )
