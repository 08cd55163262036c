"""The normaliser's notes (guesses, things it could not place) as findings."""

from __future__ import annotations

from normalize.records import Note, Plan
from piao.checks.registry import NOTE_PREFIX, Finding, describe


def note_findings(plan: Plan) -> list[Finding]:
    """One finding per note, code "parser.<note check>", the note's own severity.

    Notes are written in English by the parser; the Italian message is the code's
    description with the English detail kept beside it."""
    return [_finding(n) for n in plan.notes]


def _finding(n: Note) -> Finding:
    code = NOTE_PREFIX + n.check
    it = describe(code, "it")
    key = n.objective_key
    return Finding(
        check_code=code,
        severity=n.severity or "info",
        message=f"{it} ({n.message})",
        objective_key=key,
        page=n.page,
        line=n.line,
        message_en=n.message,
        area_slug=key.split("/", 1)[0] if key and "/" in key else None,
    )
