"""PIAO parser: the row stream of a document → a `Plan` of typed records.

One pass over the rows with a little state (current area, open card, open
cronoprogramma, open table kind). What a row *is* is decided by its text against
the label and header tables in `labels.py` and `sections.py`; how a card is cut
into tables and paragraphs does not matter.
"""

from __future__ import annotations

import re

from extract.ir import Document
from normalize import labels as L
from normalize import sections as S
from normalize.cards import TRANSVERSAL_AREA, TRANSVERSAL_SLUG, CardDraft, card_records
from normalize.people import match_staff
from normalize.records import EntityField, Indicator, Note, Output, Plan, Staff, Weight
from normalize.rows import Row, iter_rows
from normalize.schedule import (
    Grid,
    grid_year_of,
    is_phase_number,
    joined,
    month_header,
    printed_months,
)
from normalize.text import fold, parse_number, slug, squash

_PAGE_NUMBER = re.compile(r"^(PAG(INA)?\.?\s*)?\d{1,4}(\s*(DI|/)\s*\d{1,4})?$")


class _Parser:
    def __init__(self, doc: Document):
        self.doc = doc
        self.plan = Plan()
        self.areas = S.AreaNames()
        self.area = ""
        self.area_slug = ""
        self.mode: str | None = None  # "weights" | "staff" | "outputs" | "indicators" | "entity"
        self.card: CardDraft | None = None
        self.staff_caption = ""
        self.indicator_section = ""
        self.weight_ctx: dict = {}
        self.last_dup = ""
        self.output_label = ""
        self.entity_next = False

    # ------------------------------------------------------------------ driver
    def run(self) -> Plan:
        for row in iter_rows(self.doc):
            if row.is_text:
                self.text_row(row)
            else:
                self.table_row(row)
        self.close_card()
        self.link_people()
        return self.plan

    def note(self, check: str, message: str, row: Row | None = None, key: str | None = None):
        self.plan.notes.append(
            Note(check, message, key, row.page if row else None, row.line if row else None)
        )

    def set_area(self, name: str) -> None:
        self.area, self.area_slug = name, self.areas.slug(name)
        self.staff_caption = ""
        self.last_dup = ""  # an area's outputs never belong to the previous area's DUP

    # ------------------------------------------------------------ text lines
    def text_row(self, row: Row) -> None:
        text = row.cells[0].text
        f = fold(text)
        if _PAGE_NUMBER.match(f):
            return  # a running page number between two halves of a card, not content
        if self.mode != "entity":
            self.mode = None  # staff/output/weight tables end at the first paragraph
        if self.card is not None and (y := L.match_year_label(text)):
            self.card.year = (*y, squash(text))
            self.card.rows.append(row)
            return
        self.document_facts(text, f)
        if S.ENTITY_SECTION.search(f):
            self.entity_next = True
        if "PESATURA" in f:
            self.close_card()
            self.mode = None
            return
        if S.TRANSVERSAL_HEADING.search(f):
            self.close_card()
            self.area, self.area_slug = TRANSVERSAL_AREA, TRANSVERSAL_SLUG
            return
        if S.END_OF_PERFORMANCE.match(f):
            self.close_card()
        if S.INDICATOR_SECTION.match(text.strip()):
            self.close_card()
            self.indicator_section = squash(text)
            self.mode = None
            return
        if (name := S.area_heading(text)) and not self.card_label(row, text):
            self.close_card()
            self.mode = None
            self.set_area(name)
            return
        if L.RESPONSIBLE_LINE.match(text.strip()) and not self.card:
            return  # "Responsabile: …" under an area heading; weight tables name it too
        if S.STAFF_CAPTION.match(text.strip()):
            self.close_card()
            self.staff_caption = squash(text).rstrip(":")
            self.mode = None
            return
        if row.heading:
            self.mode = None
            if self.card and self.card.fields.get("number"):
                self.close_card()
            return
        if self.card is not None:
            if self.card_label(row, text):
                return
            # a paragraph inside a card continues what came just before it
            if self.card.last_field == "phase" and self.card.grids and self.card.grids[-1].phases:
                self.card.grids[-1].phases[-1].description.append(text)
                self.card.rows.append(row)
            elif self.card.last_field:
                self.card.extend(text)
                self.card.rows.append(row)

    def document_facts(self, text: str, folded: str) -> None:
        """Entity, plan period and approval act from the title pages (first found wins)."""
        plan = self.plan
        if not plan.ente and folded.startswith("COMUNE DI "):
            plan.ente = squash(text.title() if text.isupper() else text)
        if (
            plan.period_start is None
            and ("PIAO" in folded or "TRIENNIO" in folded)
            and (m := S.PERIOD.search(folded))
        ):
            plan.period_start, plan.period_end = int(m.group(1)), int(m.group(2))
        if not plan.approval_act and (m := S.APPROVAL.match(text)):
            plan.approval_act = squash(m.group(1))

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
    def table_row(self, row: Row) -> None:
        key = S.row_key(row)
        if self.entity_next and row.first_of_table and len(row.cells) == 2:
            self.mode = "entity"
            self.entity_next = False
        if self.weight_area_row(row):
            return
        if S.WEIGHT_HEADER.match(key):
            self.close_card()
            self.mode = "weights"
            transversal = key.split(" | ")[1].startswith("DENOMINAZIONE")
            if transversal:
                self.weight_ctx = {
                    "table": "transversal",
                    "area": TRANSVERSAL_AREA,
                    "slug": TRANSVERSAL_SLUG,
                    "responsible": "",
                    "rows": [],
                }
            else:
                self.weight_ctx.update(table="area", rows=[])
            return
        if S.STAFF_HEADER.search(key):
            self.close_card()
            self.mode = "staff"
            return
        if S.OUTPUT_HEADER.match(key):
            self.mode = "outputs"
            self.close_card()  # a card without a number only names the outputs' DUP objective
            self.output_label = squash(row.filled[1].text) if len(row.filled) > 1 else ""
            return
        if S.INDICATOR_HEADER.match(key):
            self.close_card()
            self.mode = "indicators"
            return
        if self.mode == "weights" and self.weight_row(row, key):
            return
        if self.mode == "entity":
            if len(row.filled) >= 2:
                self.plan.entity.append(
                    EntityField(
                        squash(row.filled[0].text),
                        squash(" ".join(c.text for c in row.filled[1:])),
                        row.page,
                        row.line,
                    )
                )
                if fold(row.filled[0].text) == "DENOMINAZIONE":
                    self.plan.ente = squash(row.filled[1].text)
            return
        first = row.filled[0] if row.filled else None
        if first is not None and (
            L.match_label(first.text)
            or L.match_year_label(first.text)
            or L.GRID_HEADER.match(fold(first.text))
            or any(L.GRID_HEADER.match(fold(c.text)) for c in row.filled)
        ):
            self.mode = None
            self.card_row(row)
            return
        if self.mode == "staff":
            self.staff_row(row)
        elif self.mode == "outputs":
            self.output_row(row)
        elif self.mode == "indicators":
            self.indicator_row(row)
        elif self.card is not None:
            self.card_row(row)

    # ------------------------------------------------------------ cards
    def card_row(self, row: Row) -> None:
        cells = row.filled
        # year label row ("ANNO DI PROGRAMMAZIONE 2023" spanning the card)
        if len(cells) == 1 and (y := L.match_year_label(cells[0].text)):
            if self.card is not None:
                self.card.year = (*y, squash(cells[0].text))
                self.card.rows.append(row)
            return
        grid_cell = next((c for c in cells if L.GRID_HEADER.match(fold(c.text))), None)
        if grid_cell is not None and self.card is not None:
            self.open_grid(row, grid_cell)
            return
        i = 0
        consumed = False
        while i < len(cells):
            hit = L.match_label(cells[i].text)
            if hit is None:
                if (
                    consumed
                    and self.card
                    and self.card.last_field == "number"
                    and not self.card.fields.get("title")
                ):
                    # "OBIETTIVO N. 23 | Avvio attività …": the title without its label
                    self.card.put("title", "", cells[i].text)
                    self.note(
                        "label_missing",
                        "DENOMINAZIONE label missing: title taken from the "
                        "cell beside OBIETTIVO N.",
                        row,
                    )
                i += 1
                continue
            lb, raw, rest = hit
            consumed = True
            if lb.field == "missione" or (
                lb.field == "number" and self.card and self.card.fields.get("number")
            ):
                self.close_card()
            if self.card is None:
                self.card = CardDraft(self.area, self.area_slug, first_note=len(self.plan.notes))
            if lb.field == "number":
                self.card.put("number", raw, rest)
                i += 1
                continue
            value = rest
            j = i + 1
            if not value:  # value in the following cells, up to the next label
                vals = []
                while j < len(cells) and L.match_label(cells[j].text) is None:
                    vals.append(cells[j].text)
                    j += 1
                value = joined(vals)
            self.card.put(lb.field, raw, value)
            i = j
        if self.card is not None:
            self.card.rows.append(row)
            if not consumed:
                grid = self.card.grids[-1] if self.card.grids else None
                if grid is not None and self.card.last_field in ("phase", "grid"):
                    # the month row of the header; its left cells may hold the rest of a
                    # header label split by a page break ("SERVIZI" | "COINVOLTI")
                    no_phase = not any(
                        is_phase_number(c.text) for c in row.cells if c.col == grid.left_cols[0]
                    )
                    if (
                        grid.header is None
                        and no_phase
                        and (hdr := month_header(row, grid.first_month_col))
                    ):
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
                    self.card.last_field = self.card.last_target = "phase"
                elif self.card.last_field:
                    self.card.extend(joined([c.text for c in cells]))

    def open_grid(self, row: Row, grid_cell) -> None:
        card = self.card
        year = card.year or (1, None, "")
        if card.year is None:
            self.note(
                "year_label_missing", "cronoprogramma without an ANNO DI PROGRAMMAZIONE label", row
            )
        left = [c.col for c in row.cells if c.col < grid_cell.col]
        raw = squash(grid_cell.text)
        grid = Grid(
            year_index=year[0],
            plan_year=year[1],
            year_label_raw=year[2],
            grid_year_raw=raw,
            grid_year=grid_year_of(raw),
            first_month_col=grid_cell.col,
            left_cols=left or [0],
        )
        # months may sit in the same header row (single-row header)
        grid.header = month_header(row, grid_cell.col + 1) if len(row.filled) > 4 else None
        card.grids.append(grid)
        card.year = None
        card.last_field = card.last_target = "grid"
        card.rows.append(row)

    def close_card(self) -> None:
        card, self.card = self.card, None
        if card is None:
            return
        records = card_records(card)
        if records is None:  # a cardless MISSIONE/DUP header: it names the outputs below
            self.last_dup = card.get("dup_objective") or self.last_dup
            return
        key = records.objective.objective_key
        for n in self.plan.notes[card.first_note :]:
            n.objective_key = n.objective_key or key
        self.plan.objectives.append(records.objective)
        self.plan.phases += records.phases
        self.plan.schedule += records.schedule
        self.plan.assignments += records.assignments
        self.plan.notes += records.notes

    # ------------------------------------------------------------ other tables
    def weight_area_row(self, row: Row) -> bool:
        """ "AREA FINANZIARIA | Responsabile: Bozza Angelo" heading a weight table."""
        texts = [c.text for c in row.filled]
        area_cell = next((t for t in texts if S.area_heading(t)), None)
        resp = next((t for t in texts if L.RESPONSIBLE_LINE.match(t.strip())), None)
        if not area_cell or resp is None or len(texts) > 3:
            return False
        self.close_card()
        name = squash(area_cell)
        self.weight_ctx = {
            "area": name,
            "slug": self.areas.slug(name),
            "table": "area",
            "responsible": squash(L.RESPONSIBLE_LINE.match(resp.strip()).group(1)),
            "rows": [],
        }
        return True

    def weight_row(self, row: Row, key: str) -> bool:
        ctx = self.weight_ctx
        cells = row.filled
        texts = [c.text for c in cells]
        if S.TOTAL_ROW.match(key):
            total_raw = squash(texts[-1]) if len(texts) > 1 else ""
            for w in ctx.get("rows", []):
                w.declared_total_raw, w.declared_total = total_raw, parse_number(total_raw)
            self.mode = None
            return True
        if len(cells) < 2:
            return False
        number = squash(texts[0])
        if not re.match(r"^\d{1,2}\s*[A-Za-z]?$", number):
            return False
        weight_raw = squash(texts[-1]) if len(texts) >= 3 else ""
        title = squash(" ".join(texts[1:-1])) if len(texts) >= 3 else squash(texts[1])
        w = Weight(
            ctx.get("table", "area"),
            ctx.get("area", ""),
            ctx.get("slug", ""),
            ctx.get("responsible", ""),
            number.replace(" ", ""),
            title,
            weight_raw,
            parse_number(weight_raw),
            "",
            None,
            row.page,
            row.line,
            row.bbox,
        )
        ctx.setdefault("rows", []).append(w)
        self.plan.weights.append(w)
        return True

    def staff_row(self, row: Row) -> None:
        t = [squash(c.text) for c in row.cells]
        if len(row.filled) < 2:
            return
        t += [""] * (4 - len(t))
        self.plan.staff.append(
            Staff(
                self.area,
                self.area_slug,
                self.staff_caption,
                t[0],
                t[1],
                t[2],
                parse_number(t[2]),
                t[3],
                row.page,
                row.line,
                row.bbox,
            )
        )

    def output_row(self, row: Row) -> None:
        t = [squash(c.text) for c in row.cells] + ["", ""]
        if not t[0]:
            return
        self.plan.outputs.append(
            Output(
                self.area,
                self.area_slug,
                self.last_dup,
                t[0],
                self.output_label,
                t[1],
                parse_number(t[1]),
                t[2],
                parse_number(t[2]),
                row.page,
                row.line,
                row.bbox,
            )
        )

    def indicator_row(self, row: Row) -> None:
        t = [squash(c.text) for c in row.cells] + [""] * 5
        if not t[0]:
            return
        sec = self.indicator_section
        dim = re.search(r"SALUTE\s+(\w+)", fold(sec)) or re.search(r"(\w+)$", fold(sec) or "X")
        dimension = dim.group(1).lower() if dim else ""
        self.plan.indicators.append(
            Indicator(
                sec,
                dimension,
                t[0],
                t[1],
                parse_number(t[1]),
                t[2],
                parse_number(t[2]),
                t[3],
                parse_number(t[3]),
                t[4],
                parse_number(t[4]),
                row.page,
                row.line,
            )
        )

    # ------------------------------------------------------------ linking
    def link_people(self) -> None:
        by_area: dict[str, list[str]] = {}
        for s in self.plan.staff:
            by_area.setdefault(s.area_slug, []).append(s.name)
        everyone = [s.name for s in self.plan.staff]
        area_of = {o.objective_key: o.area_slug for o in self.plan.objectives}
        for a in self.plan.assignments:
            if a.is_group:
                continue
            names = by_area.get(area_of.get(a.objective_key, ""), []) or everyone
            a.staff_match, a.staff_score = match_staff(a.person, names)
            if a.staff_score is not None and a.staff_score < 100 and everyone is not names:
                other, score = match_staff(a.person, everyone)
                if score is not None and score > a.staff_score:
                    a.staff_match, a.staff_score = other, score
        if self.plan.ente and not self.plan.ente_slug:
            self.plan.ente_slug = slug(re.sub(r"(?i)^comune\s+di\s+", "", self.plan.ente))


def parse_document(doc: Document) -> Plan:
    """All PIAO records of one document (no I/O)."""
    plan = _Parser(doc).run()
    return plan


__all__ = ["parse_document"]
