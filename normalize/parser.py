"""PIAO parser: the row stream of a document → a `Plan` of typed records.

One pass over the rows. Each kind of content has its reader — objective cards (here),
weight tables (`weights.py`), staff, output, indicator and entity tables (`tables.py`),
narrative objectives (`narrative.py`), summary tables (`summary.py`) — and the area the
rows belong to is kept apart from all of them (`areas.py`). What a row *is* is decided
by its text against the vocabularies in `labels.py`; how a card is cut into tables and
paragraphs does not matter.
"""

from __future__ import annotations

import re

from extract.ir import Document
from normalize import labels as L
from normalize.areas import AreaContext, area_heading, looks_like_heading, responsible_of
from normalize.cards import TRANSVERSAL_AREA, TRANSVERSAL_SLUG, CardDraft, card_records
from normalize.confidence import attach_ocr_confidence
from normalize.document import DocumentFacts, nothing_recognised
from normalize.misread_codes import repair_misread_codes
from normalize.narrative import NarrativeReader
from normalize.people import link_people
from normalize.records import Note, Plan
from normalize.rows import Row, iter_rows, running_lines
from normalize.schedule import (
    Grid,
    grid_year_of,
    is_phase_number,
    joined,
    month_header,
    printed_months,
)
from normalize.summary import SummaryReader
from normalize.tables import TableReaders
from normalize.text import fold, squash
from normalize.weights import WeightReader, area_row, header_columns

_PAGE_NUMBER = re.compile(r"^(PAG(INA)?\.?\s*)?\d{1,4}(\s*(DI|/)\s*\d{1,4})?$")
# fields a card can start with: another of them in an open card that already holds
# content is the next card (a title row above MISSIONE is the same card)
_UNIT_NAME_MAX = 100  # characters
_CONTENT = ("description", "result_indicators", "human_resources", "financial_resources")


class _Parser:
    def __init__(self, doc: Document):
        self.doc = doc
        self.plan = Plan()
        self.area = AreaContext()
        self.facts = DocumentFacts(self.plan)
        self.card: CardDraft | None = None
        self.used_keys: set[str] = set()  # objective keys given so far: never two alike
        self.weights = WeightReader(self.area, self.plan.weights)
        self.tables = TableReaders(self.plan, self.area)
        self.narrative = NarrativeReader(self.plan, self.area, self.used_keys)
        self.summary = SummaryReader(self.plan, self.used_keys)
        # labels stacked in one label cell over several value rows (see stacked_labels),
        # each waiting for the next row's value
        self.stacked: list[tuple[L.Label, str, str]] = []

    # ------------------------------------------------------------------ driver
    def run(self) -> Plan:
        rows = list(iter_rows(self.doc))
        heights = {p.number: p.height for p in self.doc.pages if p.height}
        running = running_lines(rows, heights)
        rows = [r for r in rows if not (r.is_text and fold(r.cells[0].text) in running)]
        self.facts.running_lines(running)
        for i, row in enumerate(rows):
            below = rows[i + 1] if i + 1 < len(rows) else None
            if row.is_text:
                self.text_row(row, below)
            else:
                self.table_row(row, below)
        self.close_card()
        self.narrative.close()
        self.summary.close()
        self.unit_responsibles()
        repair_misread_codes(self.plan, self.doc)
        link_people(self.plan)
        attach_ocr_confidence(self.plan, self.doc)
        self.facts.finish()
        if not self.plan.objectives:
            self.plan.notes.append(nothing_recognised(self.doc, rows, self.plan))
        return self.plan

    def note(self, check: str, message: str, row: Row | None = None, key: str | None = None,
             severity: str = "info"):
        self.plan.notes.append(
            Note(check, message, key, row.page if row else None, row.line if row else None,
                 severity)
        )

    def end_tables(self) -> None:
        self.weights.close()
        self.tables.close()
        self.summary.close()

    # ------------------------------------------------------------ text lines
    def text_row(self, row: Row, below: Row | None) -> None:
        text = row.cells[0].text
        f = fold(text)
        if _PAGE_NUMBER.match(f):
            return  # a running page number between two halves of a card, not content
        self.facts.line(text, f)
        if self.summary.continues(row, below):
            return
        if self.narrative.take(row, below):
            self.close_card()
            self.end_tables()
            return
        if not self.tables.entity_open or looks_like_heading(row, text):
            # staff/output/weight tables end at the first paragraph; the entity card (whose
            # rows a converter may interleave with paragraphs) at the next heading
            self.end_tables()
        if self.card is not None and (y := L.match_year_label(text)):
            self.card.year = (*y, squash(text))
            self.card.rows.append(row)
            return
        if L.ENTITY_SECTION.search(f):
            self.tables.expect_entity()
        if "PESATURA" in f:
            self.close_card()
            return
        if L.TRANSVERSAL_HEADING.search(f):
            self.close_card()
            self.area.enter(TRANSVERSAL_AREA, "", TRANSVERSAL_SLUG)
            return
        if L.END_OF_PERFORMANCE.match(f):
            self.close_card()
        if L.INDICATOR_SECTION.match(text.strip()):
            self.close_card()
            self.tables.indicator_section = squash(text)
            return
        if (heading := area_heading(row, below)) and not self.card_label(row, text):
            self.close_card()
            self.area.enter(*heading)
            self.tables.staff_caption = ""
            self.tables.last_dup = ""  # an area's outputs never belong to the previous DUP
            return
        if responsible_of(text) and not self.card:
            return  # "Responsabile: …" under an area heading; weight tables name it too
        if L.STAFF_CAPTION.match(text.strip()):
            self.close_card()
            self.tables.staff_caption = squash(text).rstrip(":")
            return
        if (hit := L.match_label(text)) is not None and hit[0].field == "number":
            # the card's title printed as a paragraph above its table ("OBIETTIVO N. AG1"):
            # it opens the card the table fills, exactly as a title row inside it would
            self.card_row(row)
            return
        if self.card is not None and self.card_label(row, text):
            return
        if row.heading or looks_like_heading(row, text):
            # a section title ends the card before it ("MONITORAGGIO"): what follows is
            # not its content, even where a reader cut prose into cells
            if self.card and self.card.fields.get("number"):
                self.close_card()
            if row.heading:
                return
        if self.card is not None:
            # a paragraph inside a card continues what came just before it
            if self.card.last_field == "phase" and self.card.grids and self.card.grids[-1].phases:
                self.card.grids[-1].phases[-1].description.append(text)
                self.card.rows.append(row)
            elif self.card.last_field:
                self.card.extend(text)
                self.card.rows.append(row)

    def card_label(self, row: Row, text: str) -> bool:
        """A paragraph holding a card label ("**RISORSE UMANE ASSEGNATE:** …")."""
        hit = L.match_label(text)
        if hit is None or self.card is None or hit[0].whole_cell:
            return False
        lb, raw, rest = hit
        self.card.put(lb.field, raw, rest)
        self.card.rows.append(row)
        return True

    # ------------------------------------------------------------ table rows
    def table_row(self, row: Row, below: Row | None) -> None:
        if self.narrative.take(row, below):
            self.close_card()
            return
        if self.summary.start(row):
            self.close_card()
            return
        if self.summary.open and self.summary.take(row):
            return
        if self.tables.entity_row(row):
            return
        if (unit := area_row(row, below)) is not None:
            self.close_card()
            self.weights.announce(*unit)
            return
        if (cols := header_columns(row)) is not None:
            self.close_card()
            self.tables.close()
            self.weights.start(cols)
            return
        if self.tables.header(row):
            self.close_card()
            self.weights.close()
            return
        if self.weights.open:
            if self.weights.take(row):
                return
            self.weights.close()
        first = row.filled[0] if row.filled else None
        if first is not None and (
            L.match_label(first.text)
            or L.match_year_label(first.text)
            or L.grid_header(row.filled) is not None
        ):
            self.tables.close()
            self.card_row(row)
            return
        if self.tables.take(row):
            return
        if self.card is not None:
            self.card_row(row)

    # ------------------------------------------------------------ cards
    def starts_new_card(self, field: str, value: str) -> bool:
        card = self.card
        if card is None:
            return False
        if field == "number":
            have = card.number_token()
            return bool(have) and have != CardDraft.token_of(value) and not card.same_title(value)
        if field == "missione":
            return bool(card.fields.get("missione")) or any(card.get(f) for f in _CONTENT) \
                or bool(card.grids)
        return False

    def card_row(self, row: Row) -> None:
        cells = row.filled
        # year label row ("ANNO DI PROGRAMMAZIONE 2023" spanning the card)
        if len(cells) == 1 and (y := L.match_year_label(cells[0].text)):
            if self.card is not None:
                self.card.year = (*y, squash(cells[0].text))
                self.card.rows.append(row)
            return
        grid_cell = L.grid_header(cells)
        if grid_cell is not None and self.card is not None:
            self.open_grid(row, grid_cell)
            return
        if self.card is not None and (first := self.months_without_label(row, cells)) is not None:
            self.open_grid(row, first, label=False)
            return
        if self.card is not None and self.in_phase_rows(row):
            # a phase row of an open schedule: a word of its cells that reads like a
            # label ("SERVIZIO:" in the SERVIZI COINVOLTI column) is the phase's content
            self.card.rows.append(row)
            self.grid_or_continuation(row, cells)
            return
        stacked, self.stacked = self.stacked, []
        if self.card is not None and stacked and self.label_of(cells, 0) is None:
            # the value row of a label stacked in the label cell above it
            lb, raw, _ = stacked[0]
            self.card.put(lb.field, raw, joined([c.text for c in cells]))
            self.card.rows.append(row)
            self.stacked = stacked[1:]
            return
        i = 0
        consumed = False
        while i < len(cells):
            hit = self.label_of(cells, i)
            if hit is None and i == 0 and (labels := stacked_labels(cells[0])):
                hit, self.stacked = labels[0], labels[1:]
            if hit is None:
                if consumed and self.card and self.card.last_field == "number" \
                        and not self.card.title_row:
                    # "OBIETTIVO N. 23 | Avvio attività …": the title without its label
                    self.card.title_row = squash(cells[i].text)
                    self.card.title_row_at = row
                i += 1
                continue
            lb, raw, rest = hit
            consumed = True
            value = rest
            j = i + 1
            if not value.strip(" .:-–"):  # value in the following cells, up to the next label
                vals = []
                while j < len(cells) and self.label_of(cells, j) is None:
                    vals.append(cells[j].text)
                    j += 1
                    if lb.field == "number":
                        break  # "OBIETTIVO N. | AG1 | title": the title is the next cell
                value = joined(vals)
            if self.starts_new_card(lb.field, value):
                self.close_card()
            if self.card is None:
                self.card = CardDraft(self.area.name, self.area.slug,
                                      first_note=len(self.plan.notes))
            if lb.field == "number":
                self.card.put_number(raw, value)
            else:
                for field, label_raw, part in labelled_parts(lb.field, raw, value):
                    self.card.put(field, label_raw, part)
            i = j
        if self.card is not None:
            self.card.rows.append(row)
            if not consumed:
                self.grid_or_continuation(row, cells)

    def label_of(self, cells, i: int) -> tuple[L.Label, str, str] | None:
        """The card label cell `i` of a row starts with. Inside an open card the labels of
        L.IN_CARD_LABELS count too when printed as labels are, with a capital ("utenti"
        opening a row is a value's wrapped end), and beyond the row's first cell only as
        the whole cell (a value cell may begin "Destinatari: …" or "Note:")."""
        hit = L.match_label(cells[i].text, other=self.card is not None)
        if hit is not None and hit[0] in L.IN_CARD_LABELS \
                and (not hit[1][:1].isupper() or (i > 0 and hit[2])):
            return None
        return hit

    def in_phase_rows(self, row: Row) -> bool:
        card = self.card
        grid = card.grids[-1] if card.grids else None
        return (grid is not None and grid.header is not None
                and card.last_field in ("phase", "grid") and grid.number_cell(row) is not None)

    def grid_or_continuation(self, row: Row, cells) -> None:
        card = self.card
        grid = card.grids[-1] if card.grids else None
        if grid is not None and card.last_field in ("phase", "grid"):
            # the month row of the header; its left cells may hold the rest of a
            # header label split by a page break ("SERVIZI" | "COINVOLTI")
            no_phase = not any(
                is_phase_number(c.text) for c in row.cells if c.col == grid.left_cols[0]
            )
            if grid.header is None and no_phase and (hdr := month_header(row, grid.first_month_col)):
                grid.header = hdr
                if (n := printed_months(row, grid.first_month_col)) < 12:
                    self.note(
                        "month_header_truncated",
                        f"month header printed 1..{n}: "
                        "the following columns taken as the next months",
                        row,
                    )
                return
            grid.add_row(row)
            card.last_field = card.last_target = "phase"
        elif card.last_field:
            card.extend(joined([c.text for c in cells]))

    def months_without_label(self, row: Row, cells):
        """The first month cell of a phase table's header that names no schedule column
        ("N. | FASI | G | F | M | … | D"): months right of a phase column."""
        for i, c in enumerate(cells):
            if i == 0 or not any(L.PHASE_COLUMN.match(fold(p.text)) for p in cells[:i]):
                continue
            header = month_header(row, c.col)
            if header is not None and printed_months(row, c.col) == 12:
                return c
        return None

    def open_grid(self, row: Row, grid_cell, label: bool = True) -> None:
        card = self.card
        year = card.year or (1, None, "")
        if card.year is None:
            self.note(
                "year_label_missing", "cronoprogramma without an ANNO DI PROGRAMMAZIONE label", row
            )
        left = [c.col for c in row.cells if c.col < grid_cell.col]
        raw = squash(grid_cell.text) if label else ""
        grid = Grid(
            year_index=year[0],
            # no year label: a single-year grid is the year it prints ("CRONOPROGRAMMA 2022")
            plan_year=year[1] if year[1] is not None or year[0] > 1 else grid_year_of(raw),
            year_label_raw=year[2],
            grid_year_raw=raw,
            grid_year=grid_year_of(raw),
            first_month_col=grid_cell.col,
            left_cols=left or [0],
        )
        # months may sit in the same header row (single-row header), or be the header
        first = grid_cell.col + 1 if label else grid_cell.col
        grid.header = month_header(row, first) if len(row.filled) > 4 else None
        card.grids.append(grid)
        card.year = None
        card.last_field = card.last_target = "grid"
        card.rows.append(row)

    def close_card(self) -> None:
        card, self.card = self.card, None
        if card is None:
            return
        if card.title_row and not card.get("title") and card.title_row_at is not None:
            self.note(
                "label_missing",
                "DENOMINAZIONE label missing: title taken from the cell beside OBIETTIVO N.",
                card.title_row_at,
            )
        unit = squash(card.get("unit"))
        if not card.area_slug and card.number_token() and 0 < len(unit) <= _UNIT_NAME_MAX:
            # the card's own SETTORE/SERVIZIO row, where no heading named its area (a long
            # "unit" is a distractor table's STRUTTURA column run on, never a name)
            card.area, card.area_slug = unit, self.area.names.slug(unit)
        records = card_records(card, self.used_keys)
        if records is None:  # a cardless MISSIONE/DUP header: it names the outputs below
            self.tables.last_dup = card.get("dup_objective") or self.tables.last_dup
            return
        obj = records.objective
        obj.area_responsible = self.area.responsible if card.area_slug == self.area.slug else ""
        key = obj.objective_key
        self.used_keys.add(key)
        for n in self.plan.notes[card.first_note :]:
            n.objective_key = n.objective_key or key
        if not obj.area_slug:
            self.plan.notes.append(Note(
                "area_unknown",
                f"objective {obj.number}: no section heading, card row or weight table names "
                f"its area; key {key} keeps it apart from cards of the same number",
                key, obj.page_first, obj.line, "warning",
            ))
        self.plan.objectives.append(obj)
        self.plan.phases += records.phases
        self.plan.schedule += records.schedule
        self.plan.assignments += records.assignments
        self.plan.notes += records.notes


    def unit_responsibles(self) -> None:
        """The responsible the weight table names for a unit is the one its objectives are
        assigned to; the heading's (kept at close) is the fallback."""
        by_area = {w.area_slug: w.responsible for w in self.plan.weights if w.responsible}
        for o in self.plan.objectives:
            o.area_responsible = by_area.get(o.area_slug) or o.area_responsible


def _label_line(line: str) -> tuple[L.Label, str, str] | None:
    """A line that is a card label alone, printed the way label cells are: in capitals,
    of two words or more ("OBIETTIVO STRATEGICO DUP", "RESPONSABILE DEL SERVIZIO"). One
    word in capitals ("SERVIZIO") or in running case ends values as often as it labels."""
    text = line.strip(L.SPECK_SIGNS)
    letters = [ch for ch in text if ch.isalpha()]
    if len(text.split()) < 2 or not letters or any(ch.islower() for ch in letters):
        return None
    hit = L.match_label(text, other=True)
    return hit if hit is not None and not hit[2].strip(L.SPECK_SIGNS) else None


def stacked_labels(cell) -> list[tuple[L.Label, str, str]]:
    """The labels of a label cell that holds several, one per line, over as many value
    rows ("OBIETTIVO STRATEGICO DUP / RESPONSABILE DEL SERVIZIO" where a scan lost the
    rule between them): each line a whole label, the cell spanning a row for each."""
    lines = [ln for ln in cell.text.split("\n") if ln.strip(L.SPECK_SIGNS)]
    if len(lines) < 2 or cell.rowspan < len(lines):
        return []
    hits = [_label_line(ln) for ln in lines]
    return [] if None in hits else hits  # type: ignore[return-value]


def labelled_parts(field: str, label_raw: str, value: str) -> list[tuple[str, str, str]]:
    """A card value cut where one of its lines is a card label alone: the rule between
    two rows lost (a scan's broken rule, a converter's merged cells) leaves the next
    row's label and value inside this value. (field, label as printed, text) each."""
    parts = [(field, label_raw, [])]
    for line in value.split("\n"):
        hit = _label_line(line)
        if hit is not None and hit[0].field not in ("number", field):
            parts.append((hit[0].field, hit[1], []))
        else:
            parts[-1][2].append(line)
    return [(f, raw, "\n".join(lines).strip()) for f, raw, lines in parts]


def parse_document(doc: Document) -> Plan:
    """All PIAO records of one document (no I/O)."""
    return _Parser(doc).run()


__all__ = ["parse_document"]
