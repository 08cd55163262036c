"""Consistency checks on a parsed plan: `run_checks(plan) -> list[Finding]`.

Each check is a small function registered with a stable code, a severity and a
one-line description in Italian and English (see `registry.py`); the modules
group them by subject:

- `weights`  — weight tables: totals, missing tables, transversal weights per area;
- `cards`    — cards vs weight rows (missing either side, different titles), mandatory fields;
- `people`   — staff shares per card, names not in the staff tables;
- `schedule` — grid years, phase numbering, unscheduled phases, marks after a deadline;
- `areas`    — one area printed under different names.

The normaliser's notes become findings too (`parser.<code>`, see `notes.py`), so
`run_checks` returns everything the findings table and the reports show. Each
distinct problem is reported once (per table, card, programming year, phase or
name), never once per month cell or per repeated row.
"""

from __future__ import annotations

import logging

from normalize.records import Plan
from piao.checks import areas, cards, codes, people, schedule, weights  # noqa: F401 - register the checks
from piao.checks.context import Context
from piao.checks.notes import note_findings
from piao.checks.registry import (
    CHECK_FAILED,
    REGISTRY,
    SEVERITIES,
    CheckSpec,
    Finding,
    check,
    describe,
)

log = logging.getLogger("piao.checks")


def run_checks(plan: Plan, *, notes: bool = True) -> list[Finding]:
    """All registered checks on `plan` (plus the parser's notes unless notes=False).

    A check that raises does not stop the others: it becomes a `checks.failed`
    finding (warning) naming the check and the error, and the traceback is logged."""
    ctx = Context(plan)
    found: list[Finding] = note_findings(plan) if notes else []
    for spec in REGISTRY.values():
        try:
            found.extend(spec.fn(ctx, spec.emitter()))
        except Exception as e:  # noqa: BLE001 - one broken check must not lose the others
            log.exception("check %s failed", spec.code)
            found.append(
                Finding(
                    check_code=CHECK_FAILED,
                    severity="warning",
                    message=f"Controllo {spec.code} non eseguito: {type(e).__name__}: {e}",
                    message_en=f"Check {spec.code} not run: {type(e).__name__}: {e}",
                    found=spec.code,
                )
            )
    return found


def catalogue(lang: str = "it") -> list[tuple[str, str, str]]:
    """(code, severity, description) of every registered check, in registry order."""
    return [(s.code, s.severity, s.description(lang)) for s in REGISTRY.values()]


__all__ = [
    "run_checks",
    "catalogue",
    "check",
    "describe",
    "Finding",
    "CheckSpec",
    "REGISTRY",
    "SEVERITIES",
    "note_findings",
]
