"""Objective cards: the draft the parser fills row by row, and the records it becomes.

A draft collects labelled values (in whatever order and shape the document prints
them) and the cronoprogramma blocks of the card; `card_records` turns a finished
draft into the objective, its phases, its month-by-month schedule and the people
assigned to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize import labels as L
from normalize.people import split_people
from normalize.records import Assignment, Note, Objective, Phase, ScheduleMark
from normalize.rows import Row
from normalize.schedule import Grid, deadline_of, joined
from normalize.text import squash

TRANSVERSAL_AREA = "Obiettivi trasversali a tutte le aree"
TRANSVERSAL_SLUG = "trasversali"

_NUMBER_AND_TITLE = re.compile(r"^(\S+?)[.:]?\s*[-–—:]\s*(\S.*)$")
# "1.1 Digitalizzazione del protocollo": a title after the number with only a space
# between, as a header row prints them when its two cells read as one (a scanned header
# printed white on a dark fill shows no rule between them). The number has a digit and
# the title starts with a capital: "3 bis" is a number.
_NUMBER_SPACE_TITLE = re.compile(r"^(\S*\d\S*?)[.:]?\s+([A-ZÀ-Ý]\S*(?:\s+\S+)+)$")


def number_and_title(value: str) -> tuple[str, str]:
    """ "AG1 – Title" or "1.1 Title" → (number, title); ("AG1", "") without a title."""
    value = squash(value)
    m = _NUMBER_AND_TITLE.match(value) or _NUMBER_SPACE_TITLE.match(value)
    return (m.group(1), m.group(2)) if m else (value, "")

# Labels a card repeats for each programming year; later years' values are kept apart.
PER_YEAR = ("result_indicators", "human_resources", "financial_resources", "progress_report")
# where CardDraft.fields keeps the value of a label with no column of its own: "other/NOTE"
OTHER = "other/"


@dataclass
class CardDraft:
    area: str
    area_slug: str
    first_note: int = 0  # index of the first parser note raised while this card was open
    fields: dict[str, list[str]] = field(default_factory=dict)
    year_fields: dict[str, list[str]] = field(default_factory=dict)  # "2:human_resources" → …
    labels_raw: dict[str, str] = field(default_factory=dict)
    grids: list[Grid] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    last_field: str | None = None
    last_target: str | None = None
    year: tuple[int, int | None, str] | None = None  # pending "ANNO DI PROGRAMMAZIONE" label
    # the title printed beside the number ("OBIETTIVO N. 3 – Title", "OBIETTIVO N. 3 | Title"):
    # the card's title where no DENOMINAZIONE label prints one
    title_row: str = ""
    title_row_at: Row | None = None

    @property
    def year_index(self) -> int:
        return self.grids[-1].year_index if self.grids else 1

    def put(self, name: str, label_raw: str, value: str) -> None:
        """A labelled value; a label repeated for a later programming year goes apart, and
        a label with no column of its own ("other") is kept under its printed self."""
        target = name
        if name in PER_YEAR and name in self.fields and self.year_index > 1:
            target = f"{self.year_index}:{name}"
        elif name == "other":
            target = OTHER + label_raw
        self.last_field, self.last_target = name, target
        if name != "other":
            self.labels_raw.setdefault(name, label_raw)
        self.extend(value)

    @staticmethod
    def token_of(value: str) -> str:
        """ "AG1 – Attività di base" → "AG1"; "01.01" → "01.01"."""
        parts = squash(value).split()
        return parts[0].rstrip(".:–-") if parts else ""

    def number_token(self) -> str:
        return self.token_of(self.get("number"))

    def put_number(self, label_raw: str, value: str) -> None:
        """OBIETTIVO N. with its value; a title after the number ("AG1 – Title") is kept."""
        token = self.token_of(value)
        if token and token == self.number_token() or self.same_title(value):
            self.last_field = self.last_target = "number"
            return  # the number printed again (title row, then an OBIETTIVO N. row)
        number, title = number_and_title(value)
        if title and not self.title_row:
            self.title_row = title
            value = number
        self.put("number", label_raw, value)

    def same_title(self, value: str) -> bool:
        """Is `value` ("1.4 Title") this card's number and title printed again, with the
        number misread ("14")? A card's header row is repeated at the top of the page it
        continues on, and OCR drops the point of "1.4" more easily than it rereads a
        whole title the same."""
        number, title = number_and_title(value)
        mine = self.title_row or squash(self.get("title"))
        return bool(title and mine and self.number_token()) and title.casefold() == mine.casefold()

    def extend(self, value: str) -> None:
        """More text for the value last put (a paragraph or row that continues it)."""
        if self.last_target is None:
            return
        store = self.year_fields if self.last_target[:1].isdigit() else self.fields
        store.setdefault(self.last_target, [])
        if value:
            store[self.last_target].append(value)

    def get(self, name: str) -> str:
        return joined(self.fields.get(name, []))


@dataclass
class CardRecords:
    objective: Objective
    phases: list[Phase]
    schedule: list[ScheduleMark]
    assignments: list[Assignment]
    notes: list[Note]


def code_and_name(raw: str) -> tuple[int | None, str]:
    """ "12 Diritti sociali…" / "3 – ORDINE PUBBLICO" → (12, "Diritti sociali…")."""
    s = squash(raw)
    # the label is sometimes repeated before the code: "Programma 3 - Rifiuti"
    m = re.match(r"^(?:(?:missione|programma)\s+)?(\d{1,2})\s*[-–—.:]?\s*(.*)$", s, re.I)
    if not m:
        return None, s
    return int(m.group(1)), m.group(2).strip()


def unique_key(area_slug: str, number: str, used: set[str]) -> str:
    """ "<area>/<number>"; a number met again where no area tells the cards apart (numbering
    that restarts in each unheaded section) gets the section's ordinal: "area-2/1"."""
    base = area_slug or "area"
    key, k = f"{base}/{number}", 1
    while key in used:
        k += 1
        key = f"{base}-{k}/{number}"
    return key


def card_records(card: CardDraft, used_keys: set[str] = frozenset()) -> CardRecords | None:
    """The records of a finished card; None for a draft without OBIETTIVO N. (not a card)."""
    number = card.number_token()
    if not number:
        return None
    transversal = number.upper().endswith("T") and number[:-1].isdigit()
    area, area_slug = (
        (TRANSVERSAL_AREA, TRANSVERSAL_SLUG) if transversal else (card.area, card.area_slug)
    )
    key = unique_key(area_slug, number, used_keys)
    labels_raw = dict(card.labels_raw)
    if card.title_row and not card.get("title"):
        labels_raw.setdefault("title", "")  # a title printed with no label of its own
    pages = [r.page for r in card.rows if r.page is not None]
    lines = [r.line for r in card.rows if r.line is not None]
    mcode, mname = code_and_name(card.get("missione"))
    pcode, pname = code_and_name(card.get("programma"))
    obj = Objective(
        objective_key=key,
        area=area,
        area_slug=area_slug,
        number=number,
        is_transversal=transversal,
        title=squash(card.get("title")) or card.title_row,
        description=card.get("description"),
        missione_raw=card.get("missione"),
        missione_code=mcode,
        missione=mname,
        programma_raw=card.get("programma"),
        programma_code=pcode,
        programma=pname,
        dup_objective=card.get("dup_objective"),
        responsible=squash(card.get("responsible")),
        result_indicators=card.get("result_indicators"),
        human_resources=card.get("human_resources"),
        financial_resources=card.get("financial_resources"),
        progress_report=card.get("progress_report"),
        objective_type=squash(card.get("objective_type")),
        labels_raw=labels_raw,
        later_years={k: joined(v) for k, v in card.year_fields.items()},
        other_fields={k[len(OTHER):]: joined(v) for k, v in card.fields.items()
                      if k.startswith(OTHER)},
        missing_fields=[
            f for f in L.MANDATORY
            if not card.get(f).strip() and not (f == "title" and card.title_row)
        ],
        page_first=min(pages) if pages else None,
        page_last=max(pages) if pages else None,
        line=min(lines) if lines else None,
        bbox=card.rows[0].bbox if card.rows else None,
    )
    records = CardRecords(obj, [], [], [], [])
    _add_schedule(records, card)
    for raw, person, share, group in split_people(obj.human_resources):
        records.assignments.append(
            Assignment(key, raw, person, share, group, page=obj.page_first, line=obj.line)
        )
    return records


def _note(check: str, message: str, key: str, row: Row | None) -> Note:
    return Note(check, message, key, row.page if row else None, row.line if row else None)


def _add_schedule(records: CardRecords, card: CardDraft) -> None:
    """One phase row per activity per programming year, and its twelve months."""
    key = records.objective.objective_key
    for grid in card.grids:
        if grid.header is None and grid.phases:
            records.notes.append(
                _note(
                    "grid_without_months",
                    "cronoprogramma without a month header row",
                    key,
                    grid.phases[0].rows[0],
                )
            )
        for seq, ph in enumerate(grid.phases, start=1):
            first = ph.rows[0] if ph.rows else None
            records.phases.append(
                Phase(
                    objective_key=key,
                    plan_year=grid.plan_year,
                    year_index=grid.year_index,
                    year_label_raw=grid.year_label_raw,
                    grid_year_raw=grid.grid_year_raw,
                    grid_year=grid.grid_year,
                    seq=seq,
                    phase_no=ph.phase_no,
                    description=joined(ph.description),
                    services=joined(ph.services),
                    schedule_text=joined(ph.schedule_text),
                    deadline=deadline_of(ph, grid.plan_year or grid.grid_year),
                    page=first.page if first else None,
                    line=first.line if first else None,
                    bbox=first.bbox if first else None,
                )
            )
            for month in range(1, 13):
                mark, cell = ph.marks.get(month, ("", None))
                records.schedule.append(
                    ScheduleMark(
                        key,
                        grid.plan_year,
                        grid.year_index,
                        seq,
                        month,
                        marked=bool(mark),
                        mark=mark,
                        span=ph.spans.get(month, ""),
                        page=cell.page if cell else None,
                        line=cell.line if cell else None,
                        bbox=cell.bbox if cell else None,
                    )
                )
            records.notes += [_note(check, msg, key, first) for check, msg in ph.notes]
