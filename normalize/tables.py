"""The plan's other tables: staff (personale assegnato), outputs (prodotti attesi), health
indicators (salute dell'ente) and the entity card (scheda anagrafica).

Each is recognised by its header row and read row by row until a paragraph or another
header ends it; the area the rows belong to comes from the area context.
"""

from __future__ import annotations

import re

from normalize import labels as L
from normalize.areas import AreaContext
from normalize.records import EntityField, Indicator, Output, Plan, Staff
from normalize.rows import Row
from normalize.text import fold, parse_number, squash


def row_key(row: Row) -> str:
    """The row's folded cell texts joined by " | ": what header patterns match against."""
    return " | ".join(fold(c.text) for c in row.filled)


def _texts(row: Row, n: int) -> list[str]:
    return [squash(c.text) for c in row.cells] + [""] * n


class TableReaders:
    def __init__(self, plan: Plan, area: AreaContext):
        self.plan = plan
        self.area = area
        self.kind: str | None = None  # "staff" | "outputs" | "indicators" | "entity"
        self.entity_next = False
        self.staff_caption = ""
        self.indicator_section = ""
        self.output_label = ""
        self.last_dup = ""  # the DUP objective a cardless MISSIONE/DUP header named

    @property
    def entity_open(self) -> bool:
        return self.kind == "entity"

    def close(self) -> None:
        self.kind = None

    def expect_entity(self) -> None:
        self.entity_next = True

    def entity_row(self, row: Row) -> bool:
        """A row of the registry card (two columns: label | value) after SCHEDA ANAGRAFICA."""
        if self.entity_next and row.first_of_table and len(row.cells) == 2:
            self.kind, self.entity_next = "entity", False
        if self.kind != "entity":
            return False
        if len(row.filled) >= 2:
            label = squash(row.filled[0].text)
            value = squash(" ".join(c.text for c in row.filled[1:]))
            self.plan.entity.append(EntityField(label, value, row.page, row.line))
            if fold(label).startswith("DENOMINAZIONE"):
                self.plan.ente = value
        return True

    def header(self, row: Row) -> bool:
        """A staff, output or indicator table starts here."""
        key = row_key(row)
        if L.STAFF_HEADER.search(key):
            self.kind = "staff"
        elif L.OUTPUT_HEADER.match(key):
            self.kind = "outputs"
            self.output_label = squash(row.filled[1].text) if len(row.filled) > 1 else ""
        elif L.INDICATOR_HEADER.match(key):
            self.kind = "indicators"
        else:
            return False
        return True

    def take(self, row: Row) -> bool:
        read = {"staff": self._staff, "outputs": self._output, "indicators": self._indicator}
        if self.kind not in read:
            return False
        read[self.kind](row)
        return True

    def _staff(self, row: Row) -> None:
        if len(row.filled) < 2:
            return
        t = _texts(row, 4)
        self.plan.staff.append(Staff(
            self.area.name, self.area.slug, self.staff_caption, t[0], t[1], t[2],
            parse_number(t[2]), t[3], row.page, row.line, row.bbox,
        ))

    def _output(self, row: Row) -> None:
        t = _texts(row, 2)
        if not t[0]:
            return
        self.plan.outputs.append(Output(
            self.area.name, self.area.slug, self.last_dup, t[0], self.output_label,
            t[1], parse_number(t[1]), t[2], parse_number(t[2]), row.page, row.line, row.bbox,
        ))

    def _indicator(self, row: Row) -> None:
        t = _texts(row, 5)
        if not t[0]:
            return
        sec = self.indicator_section
        dim = re.search(r"SALUTE\s+(\w+)", fold(sec)) or re.search(r"(\w+)$", fold(sec) or "X")
        self.plan.indicators.append(Indicator(
            sec, dim.group(1).lower() if dim else "", t[0],
            t[1], parse_number(t[1]), t[2], parse_number(t[2]),
            t[3], parse_number(t[3]), t[4], parse_number(t[4]), row.page, row.line,
        ))
