"""Objectives written as prose blocks rather than labelled cards.

Many small comuni print, under each unit's heading and its responsible, blocks such as

    DESCRIZIONE OBIETTIVO 1
    RISPETTO PREVISIONE PUBBLICAZIONI …          ← the title, in capitals
    Pieno rispetto delle previsioni …            ← the description
    Descrizione fase | Previsione Scadenza Fase  ← an optional phase table
    Ricognizione dei dati …  | 31.12.2026

A block starts at its marker ("DESCRIZIONE OBIETTIVO n", or a paragraph "OBIETTIVO n –
Title" not followed by card labels) and runs to the next marker or unit heading. Its
phases carry the schedule as printed and the deadline read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize import labels as L
from normalize.areas import AreaContext, looks_like_heading
from normalize.cards import unique_key
from normalize.records import Note, Objective, Phase, Plan
from normalize.rows import Row
from normalize.schedule import joined
from normalize.text import fold, parse_date, squash

_QUALIFIER = r"(?:\s+(?:GESTIONALE|OPERATIVO|SPECIFICO|DI\s+PERFORMANCE|ANNUALE|STRATEGICO|INDIVIDUALE))?"
_NUMBER = r"\s*(?:N\s*[.°º]?|NR\.?|NUMERO)?\s*(\d{1,2}(?:\.\d{1,2})?)(?![\d/])"
# "DESCRIZIONE OBIETTIVO 1", "DESCRIZIONE DELL'OBIETTIVO N. 2", "SCHEDA OBIETTIVO 3"
MARKER = re.compile(r"^(?:DESCRIZIONE\s+(?:DELL\s*'\s*)?|SCHEDA\s+)OB+IETTIVO" + _QUALIFIER + _NUMBER)
# "OBIETTIVO 1 – Title" / "OBIETTIVO GESTIONALE N. 2: Title" as a paragraph of its own
TITLED = re.compile(r"^OB+IETTIVO" + _QUALIFIER + _NUMBER + r"\s*[-–—:.]\s*\S")
# a phase table's header: what is done, and when ("Previsione scadenza fase", "Tempi")
PHASE_WHAT = re.compile(r"^(?:DESCRIZIONE\s+(?:DELLA\s+|DELLE\s+)?)?(?:FAS[EI]|ATTIVITA|AZION[EI])\b")
PHASE_WHEN = re.compile(
    r"^(?:PREVISION[EI]\s+)?(?:SCADENZ[AE]|TEMPI(?:STICA)?|TERMIN[EI]|DATA|ENTRO|TEMPO|PERIODO)\b"
)
_TITLE_DASH = re.compile(r"^(.{6,160}?)\s+[-–—]\s+(\S.*)$", re.DOTALL)


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


@dataclass
class _Block:
    number: str
    area: str
    area_slug: str
    responsible: str
    rows: list[Row] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    phases: list[tuple[str, str, Row]] = field(default_factory=list)
    in_phases: bool = False


class NarrativeReader:
    def __init__(self, plan: Plan, area: AreaContext, used_keys: set[str]):
        self.plan = plan
        self.area = area
        self.used_keys = used_keys
        self.block: _Block | None = None

    def _marker(self, row: Row, below: Row | None) -> tuple[str, str] | None:
        """(number, rest of the marker's text) when the row opens a block."""
        if not row.filled:
            return None
        text = row.filled[0].text
        f = fold(text)
        if (m := MARKER.match(f)) and len(row.filled) == 1:
            return m.group(1), text[_raw_end(text, m.end()):]
        if row.is_text and (m := TITLED.match(f)) and not _card_follows(below):
            return m.group(1), text[_raw_end(text, m.end()):]
        return None

    def take(self, row: Row, below: Row | None) -> bool:
        """True when the row is part of a narrative objective (and read)."""
        if (hit := self._marker(row, below)) is not None:
            self.close()
            a = self.area
            self.block = _Block(hit[0], a.name, a.slug, a.responsible)
            self.block.rows.append(row)
            self.block.lines += [ln for ln in hit[1].split("\n")]
            return True
        b = self.block
        if b is None:
            return False
        if row.is_text:
            text = row.cells[0].text
            if looks_like_heading(row, text) and not b.in_phases:
                self.close()  # a unit heading, "OBIETTIVI:", a section title
                return False
            b.lines.append(text)
            b.rows.append(row)
            return True
        cells = row.filled
        if not cells:
            return True
        if L.match_label(cells[0].text) is not None and len(cells) > 1:
            self.close()  # a labelled card begins
            return False
        if len(cells) >= 2 and PHASE_WHAT.match(fold(cells[0].text)) \
                and PHASE_WHEN.match(fold(cells[-1].text)):
            b.in_phases = True
            return True
        if b.in_phases and len(cells) >= 2:
            b.phases.append((cells[0].text, cells[-1].text, row))
            return True
        b.rows.append(row)
        b.lines += [c.text for c in cells]
        return True

    def close(self) -> None:
        b, self.block = self.block, None
        if b is None:
            return
        title, description, guessed = _title_and_description(b.lines)
        key = unique_key(b.area_slug, b.number, self.used_keys)
        self.used_keys.add(key)
        first = b.rows[0]
        pages = [r.page for r in b.rows + [p[2] for p in b.phases] if r.page is not None]
        obj = Objective(
            objective_key=key, area=b.area, area_slug=b.area_slug, number=b.number,
            is_transversal=False, title=title, template="narrative", description=description,
            responsible=b.responsible, area_responsible=b.responsible,
            page_first=min(pages) if pages else None, page_last=max(pages) if pages else None,
            line=first.line, bbox=first.bbox,
        )
        obj.missing_fields = [f for f in ("title", "responsible") if not getattr(obj, f)]
        self.plan.objectives.append(obj)
        if guessed:
            self.plan.notes.append(Note(
                "title_guessed", "no title line: the first sentence of the block taken as title",
                key, first.page, first.line,
            ))
        year = self.plan.period_start
        for seq, (what, when, row) in enumerate(b.phases, start=1):
            schedule = squash(when)
            deadline = parse_date(schedule, year)
            self.plan.phases.append(Phase(
                objective_key=key, plan_year=deadline.year if deadline else year, year_index=1,
                year_label_raw="", grid_year_raw="", grid_year=None, seq=seq, phase_no="",
                description=squash(what), services="", schedule_text=schedule,
                deadline=deadline, page=row.page, line=row.line, bbox=row.bbox,
            ))


def _title_and_description(lines: list[str]) -> tuple[str, str, bool]:
    """The title is the block's first line in capitals, or the capitals before " - "; else
    its first sentence (a guess, said by a note)."""
    parts = [squash(ln) for ln in lines if squash(ln)]
    if not parts:
        return "", "", False
    if _capitals(parts[0]):
        return parts[0], joined(parts[1:]), False
    if (m := _TITLE_DASH.match(parts[0])) and _capitals(m.group(1)):
        return squash(m.group(1)), joined([m.group(2), *parts[1:]]), False
    sentence = re.split(r"(?<=[.;:])\s", parts[0], maxsplit=1)[0]
    return sentence.rstrip(".;:"), joined(parts), True


def _raw_end(raw: str, folded_end: int) -> int:
    """Where a match on the folded text ends in the raw text (folding keeps non-space count)."""
    want = len(fold(raw)[:folded_end].replace(" ", ""))
    seen = 0
    for i, ch in enumerate(raw):
        if seen >= want:
            return i
        if not ch.isspace():
            seen += 1
    return len(raw)


def _card_follows(below: Row | None) -> bool:
    return below is not None and bool(below.filled) and L.match_label(below.filled[0].text) is not None
