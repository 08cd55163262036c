"""Cronoprogramma: grid years, phase numbering, unscheduled phases, marks after a deadline.

Every check here reports once per programming year of a card (a "block") or once
per phase, never once per month cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from normalize.records import Objective, Phase
from piao.checks.context import Context
from piao.checks.registry import Emit, Finding, check
from piao.checks.text import clip, latest_deadline, months, runs


def _year_label(p: Phase) -> str:
    return p.year_label_raw or f"anno {p.year_index}"


@check(
    "schedule.grid_year_mismatch",
    "warning",
    it="L'anno del cronoprogramma è diverso dall'anno di programmazione del blocco",
    en="The schedule grid's year differs from the block's programming year",
)
def grid_year_mismatch(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for (key, _), phases in ctx.blocks.items():
        p = phases[0]
        if p.grid_year is None or p.plan_year is None or p.grid_year == p.plan_year:
            continue
        yield emit(
            it=f'"{p.grid_year_raw}" sotto "{_year_label(p)}": il cronoprogramma porta '
            f"l'anno {p.grid_year} invece di {p.plan_year}",
            en=f'"{p.grid_year_raw}" under "{_year_label(p)}": the grid is headed '
            f"{p.grid_year} instead of {p.plan_year}",
            objective_key=key,
            expected=str(p.plan_year),
            found=p.grid_year_raw,
            page=p.page,
            line=p.line,
        )


@check(
    "schedule.grid_year_truncated",
    "info",
    it="L'anno del cronoprogramma è stampato troncato (preso dall'anno di programmazione)",
    en="The schedule grid's year is printed truncated (taken from the programming year)",
)
def grid_year_truncated(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for (key, _), phases in ctx.blocks.items():
        p = phases[0]
        if p.grid_year is not None or not p.grid_year_raw.strip():
            continue
        yield emit(
            it=f'Intestazione "{p.grid_year_raw}" senza un anno completo; '
            f"anno di programmazione {p.plan_year or '?'}",
            en=f'Grid header "{p.grid_year_raw}" without a complete year; '
            f"programming year {p.plan_year or '?'}",
            objective_key=key,
            expected=str(p.plan_year) if p.plan_year else None,
            found=p.grid_year_raw,
            page=p.page,
            line=p.line,
        )


@check(
    "phases.numbering",
    "warning",
    it="Numeri di fase duplicati, mancanti o fuori ordine",
    en="Phase numbers duplicated, missing or out of order",
)
def numbering(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for (key, _), phases in ctx.blocks.items():
        printed = [p.phase_no.strip().rstrip(".") for p in phases]
        # Unnumbered or lettered phases ("", "a)") carry no order to check.
        if not all(n.isdigit() for n in printed):
            continue
        expected = [str(i) for i in range(1, len(printed) + 1)]
        if [str(int(n)) for n in printed] == expected:
            continue
        dup = sorted({n for n in printed if printed.count(n) > 1}, key=int)
        missing = [n for n in expected if n not in printed]
        what_it, what_en = [], []
        if dup:
            what_it.append(f"duplicati {', '.join(dup)}")
            what_en.append(f"duplicated {', '.join(dup)}")
        if missing:
            what_it.append(f"mancanti {', '.join(missing)}")
            what_en.append(f"missing {', '.join(missing)}")
        if not what_it:
            what_it.append("fuori ordine")
            what_en.append("out of order")
        first_bad = next(
            p for p, n, e in zip(phases, printed, expected, strict=True) if str(int(n)) != e
        )
        yield emit(
            it=f"Fasi numerate {runs(printed)} ({'; '.join(what_it)})",
            en=f"Phases numbered {runs(printed)} ({'; '.join(what_en)})",
            objective_key=key,
            expected=runs(expected),
            found=runs(printed),
            page=first_bad.page,
            line=first_bad.line,
        )


@check(
    "phases.unscheduled",
    "warning",
    it="Fasi senza alcun mese segnato e senza indicazione di tempo nel cronoprogramma",
    en="Phases with no month marked and no timing written in the schedule grid",
)
def unscheduled(ctx: Context, emit: Emit) -> Iterator[Finding]:
    for (key, _), phases in ctx.blocks.items():
        empty = [p for p in phases if not ctx.phase_marks(p) and not p.schedule_text.strip()]
        if not empty:
            continue
        labels = [p.phase_no or f"#{p.seq}" for p in empty]
        yield emit(
            it=f"{len(empty)} fasi su {len(phases)} senza mesi segnati: {runs(labels)}",
            en=f"{len(empty)} of {len(phases)} phases without marked months: {runs(labels)}",
            objective_key=key,
            expected=None,
            found=runs(labels),
            page=empty[0].page,
            line=empty[0].line,
        )


def _indicators_of(card: Objective | None, year_index: int) -> str:
    if card is None:
        return ""
    if year_index == 1:
        return card.result_indicators
    return card.later_years.get(f"{year_index}:result_indicators", "")


@check(
    "schedule.after_deadline",
    "warning",
    it="Mesi segnati dopo una scadenza che la scheda stessa indica",
    en="Months marked after a deadline the card itself states",
)
def after_deadline(ctx: Context, emit: Emit) -> Iterator[Finding]:
    """A phase's deadline is the last "entro …" of its own text (description or the text
    across the grid); a phase without one takes the card's INDICATORI DI RISULTATO
    deadline for that programming year. A month counts as late when it starts after
    the deadline (a mark in July is not late for "entro il 15/07")."""
    for (key, year_index), phases in ctx.blocks.items():
        card = ctx.cards.get(key)
        for p in phases:
            year = p.plan_year or p.grid_year or ctx.plan.period_start
            if year is None:
                continue
            own = latest_deadline(f"{p.description}\n{p.schedule_text}", year)
            deadline = own or latest_deadline(_indicators_of(card, year_index), year)
            if deadline is None or deadline.year != year:
                continue
            late = [s for s in ctx.phase_marks(p) if dt.date(year, s.month, 1) > deadline]
            if not late:
                continue
            where_it = "nella fase" if own else "negli indicatori di risultato"
            where_en = "in the phase" if own else "in the result indicators"
            ms = [s.month for s in late]
            yield emit(
                it=f"Fase {p.phase_no or p.seq} ({clip(p.description, 50)}): segnati "
                f"{months(ms)} dopo la scadenza {deadline:%d/%m/%Y} indicata {where_it}",
                en=f"Phase {p.phase_no or p.seq} ({clip(p.description, 50)}): {months(ms, 'en')} "
                f"marked after the deadline {deadline:%d/%m/%Y} stated {where_en}",
                objective_key=key,
                expected=f"entro {deadline:%d/%m/%Y}",
                found=months(ms),
                page=late[0].page if late[0].page is not None else p.page,
                line=late[0].line if late[0].line is not None else p.line,
            )
