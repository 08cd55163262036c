"""Facts about the document as a whole: the entity, the plan period, the approval act, and
what to say when nothing in it reads as an objective."""

from __future__ import annotations

import re

from extract.ir import Document, Table
from normalize import labels as L
from normalize.records import Note, Plan
from normalize.rows import Row
from normalize.text import fold, slug, squash

_TITLE_MAX = 160  # a title line, not a paragraph that mentions a plan
_ENTE_MAX_WORDS = 8
# where an entity name stops inside a longer line: a document word, a number, a dash
_ENTE_END = re.compile(
    r"\s+(?:[-–—|(]|\d|PIAO\b|PIANO\b|CONTO\b|BILANCIO\b|P\.?E\.?G\b|P\.?D\.?O\b|RENDICONTO\b"
    r"|RELAZIONE\b|DELIBERA|ALLEGATO\b|PROVINCIA\b|PROV\.)",
    re.IGNORECASE,
)


def _ente_of(text: str) -> str | None:
    """ "COMUNE DI BESNATE" → itself; a line that only starts with the entity and goes on
    with other words is not the entity line."""
    t = squash(text)
    if not L.ENTE_LINE.match(fold(t)) or any(ch.isdigit() for ch in t):
        return None
    if len(t.split()) > _ENTE_MAX_WORDS or t.endswith((".", ";", ",")):
        return None
    return t


def _ente_prefix(text: str) -> str | None:
    """The entity a running header starts with: "COMUNE DI AVELLA CONTO DEL BILANCIO 2025…"."""
    t = squash(text)
    if not L.ENTE_LINE.match(fold(t)):
        return None
    m = _ENTE_END.search(t)
    name = t[: m.start()] if m else t
    return name if 2 <= len(name.split()) <= _ENTE_MAX_WORDS else None


class DocumentFacts:
    """Entity, period and approval act from the title lines (first found wins)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.single_year: int | None = None
        self.running_ente: str | None = None

    def running_lines(self, lines: set[str]) -> None:
        """Keep the entity a running header names, for a document that prints it nowhere else."""
        for line in sorted(lines):
            if (name := _ente_prefix(line)) is not None:
                self.running_ente = name
                return

    def line(self, text: str, folded: str) -> None:
        plan = self.plan
        if not plan.ente and (ente := _ente_of(text)):
            plan.ente = ente
        if plan.period_start is None and len(text) <= _TITLE_MAX and L.PLAN_TITLE.search(folded):
            if m := L.PERIOD.search(folded):
                plan.period_start, plan.period_end = int(m.group(1)), int(m.group(2))
            elif self.single_year is None and (m := L.SINGLE_YEAR.search(folded)):
                self.single_year = int(m.group(1))  # "… DEGLI OBIETTIVI ANNO 2026"
        if not plan.approval_act and (m := L.APPROVAL.match(text)):
            plan.approval_act = squash(m.group(1))

    def finish(self) -> None:
        plan = self.plan
        if plan.period_start is None and self.single_year is not None:
            plan.period_start = plan.period_end = self.single_year
        if not plan.ente and self.running_ente:
            plan.ente = self.running_ente
            plan.notes.append(Note(
                "ente_from_running_header",
                f"the entity is printed only in the running header: {self.running_ente!r}",
            ))
        if plan.ente and not plan.ente_slug:
            plan.ente_slug = slug(re.sub(r"(?i)^(comune|citt[aà])\s+(di|del|della|d')\s*", "",
                                         plan.ente))


_CARD_ONLY = ("number", "dup_objective", "result_indicators", "human_resources", "progress_report")


def nothing_recognised(doc: Document, rows: list[Row], plan: Plan) -> Note:
    """The warning for a document where no objective was recognised: what was seen instead."""
    tables = sum(1 for el in doc.elements if isinstance(el, Table))
    # MISSIONE, PROGRAMMA, TITOLO, DENOMINAZIONE head every budget table: only the labels
    # no other kind of document prints say it is about objectives
    labelled = sum(
        1 for r in rows
        if not r.is_text and r.filled and (hit := L.match_label(r.filled[0].text))
        and hit[0].field in _CARD_ONLY
    )
    seen = [f"{tables} tables, " + (f"{labelled} rows with card labels but no complete card"
                                    if labelled else "none with objective labels")]
    seen += [f"{len(v)} {k}" for k, v in (("weight rows", plan.weights), ("staff rows", plan.staff),
                                          ("indicator rows", plan.indicators)) if v]
    seen.append(f"{sum(1 for r in rows if r.is_text)} lines of text")
    content = plan.weights or plan.staff or labelled
    verdict = "" if content else ": it holds no performance content (cards, weights, staff)"
    return Note("no_objectives", f"no objective recognised ({'; '.join(seen)}){verdict}",
                severity="warning")
