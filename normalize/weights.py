"""Weight tables (pesatura obiettivi), in the forms plans print them.

A header row names its columns — a number (`NR.`, `N.`, `Cod.`), the objective
(`Obiettivo`, `DENOMINAZIONE`, `Descrizione obiettivo`) and the weight (`Peso %`,
`PESO (%)`, `Ponderazione`), sometimes the unit (`SERVIZIO`, its cell spanning the unit's
rows) — and rows are read by those columns, so the order and the number of columns do
not matter. The unit comes from a row above the header ("AFFARI GENERALI | Responsabile:
Rossi"), from the unit column, or from the area being read; a TOTALE row closes a unit.
A weight printed as "X" (a pre-requisite objective) stays as text, with no number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from normalize import labels as L
from normalize.areas import AreaContext, responsible_of, split_responsible
from normalize.cards import TRANSVERSAL_AREA, TRANSVERSAL_SLUG
from normalize.records import Weight
from normalize.rows import Row
from normalize.text import fold, parse_number, squash


def header_columns(row: Row) -> dict[str, tuple[int, int]] | None:
    """Column kind → (first grid column, span) when the row is a weight table's header."""
    if row.is_text or L.grid_header(row.filled) is not None:
        return None
    cols: dict[str, tuple[int, int]] = {}
    for c in row.filled:
        f = fold(c.text).rstrip(":")
        if L.WEIGHT_SIDE_COLUMN.match(f):
            continue
        kind = next((k for k, p in L.WEIGHT_COLUMNS.items() if p.match(f)), None)
        if kind is None or kind in cols:
            return None  # a header of other columns ("ATTIVITÀ/FASI | Peso | …") is not one
        cols[kind] = (c.col, c.colspan)
    return cols if "title" in cols and "weight" in cols else None


def area_row(row: Row, below: Row | None) -> tuple[str, str] | None:
    """(unit, responsible) of a row such as "AFFARI GENERALI | Responsabile: Rossi" right
    above a weight table's header."""
    texts = [squash(c.text) for c in row.filled]
    if row.is_text or below is None or not 1 <= len(texts) <= 3 or header_columns(below) is None:
        return None
    resp = next((r for t in texts if (r := responsible_of(t))), "")
    names = [t for t in texts if not responsible_of(t)]
    if len(names) > 1:  # a responsible that does not read: the unit is the one named so
        names = [t for t in names if L.UNIT_HEADING.match(fold(t))] or names
    if len(names) != 1 or len(names[0]) > 120:
        return None
    return names[0], resp


@dataclass
class _Scope:
    table: str
    area: str
    slug: str
    responsible: str
    rows: list[Weight] = field(default_factory=list)


# A number cell that is no code ("SPS", a scan's SP5) still numbers its row when the row
# has a weight: kept as printed, the checks then say no card has that number.
ODD_CODE_MAX_CHARS = 6


def _odd_code(number: str, weight: str) -> bool:
    return 0 < len(number) <= ODD_CODE_MAX_CHARS and " " not in number \
        and parse_number(weight) is not None


class WeightReader:
    """Reads one weight table from its header to its end, row by row."""

    def __init__(self, areas: AreaContext, out: list[Weight]):
        self.areas = areas
        self.out = out
        self.cols: dict[str, tuple[int, int]] | None = None
        self.pending: tuple[str, str] | None = None  # unit named above the next header
        self.scope: _Scope | None = None

    @property
    def open(self) -> bool:
        return self.cols is not None

    def announce(self, unit: str, responsible: str) -> None:
        self.pending = (unit, responsible)

    def start(self, cols: dict[str, tuple[int, int]]) -> None:
        self.cols = cols
        if self.pending is not None:
            unit, resp = self.pending
            self.scope = _Scope("area", unit, self.areas.names.slug(unit), resp)
        elif self.areas.slug == TRANSVERSAL_SLUG:
            self.scope = _Scope("transversal", TRANSVERSAL_AREA, TRANSVERSAL_SLUG, "")
        else:
            a = self.areas
            self.scope = _Scope("area", a.name, a.slug, a.responsible)
        self.pending = None

    def close(self) -> None:
        self.cols, self.scope = None, None

    def _cell(self, row: Row, kind: str):
        if self.cols is None or kind not in self.cols:
            return None
        lo, span = self.cols[kind]
        return next((c for c in row.cells if lo <= c.col < lo + span and not c.empty), None)

    def take(self, row: Row) -> bool:
        """Read the row; False when it is not part of the table (the table has ended)."""
        texts = [squash(c.text) for c in row.filled]
        if not texts:
            return True
        if header_columns(row) is not None:
            return True  # the header repeated on the next page
        unit = self._cell(row, "area")
        if unit is not None and not L.TOTAL_ROW.match(fold(unit.text)):
            name, resp = split_responsible(unit.text)
            self.scope = _Scope("area", name, self.areas.names.slug(name), resp)
        if L.TOTAL_ROW.match(fold(texts[0])):
            weight = self._cell(row, "weight")
            total_raw = squash(weight.text) if weight is not None else texts[-1]
            total_raw = total_raw if total_raw != texts[0] else ""
            for w in self.scope.rows:
                w.declared_total_raw, w.declared_total = total_raw, parse_number(total_raw)
            self.scope.rows = []
            if "area" not in self.cols:
                self.close()  # one unit per table: the table ends at its TOTALE
            return True
        number = self._cell(row, "number")
        title = self._cell(row, "title")
        weight = self._cell(row, "weight")
        number_text = squash(number.text) if number is not None else ""
        raw = squash(weight.text) if weight is not None else ""
        if title is None or not (L.WEIGHT_CODE.match(number_text) or _odd_code(number_text, raw)):
            return len(row.filled) <= 1  # a blank or caption row inside the table
        s = self.scope
        w = Weight(
            s.table, s.area, s.slug, s.responsible, number_text.replace(" ", "").rstrip(".):"),
            squash(title.text), raw, parse_number(raw), "", None, row.page, row.line, row.bbox,
        )
        s.rows.append(w)
        self.out.append(w)
        return True
