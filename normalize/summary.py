"""Objectives listed in a summary table, one per row, as a PIAO's sottosezione 2.2 prints
them: MISSIONE | PROGRAMMA | OBIETTIVI DI PERFORMANCE | TIPOLOGIA DI OBIETTIVO (or the
unit responsible for it). Cells wrap over several lines, and a converter may cut a
wrapped cell into rows of its own: a row with no objective text continues the one above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.ir import Cell
from normalize.cards import code_and_name, unique_key
from normalize.records import Objective, Plan
from normalize.rows import Row
from normalize.schedule import joined
from normalize.text import fold, squash

_COLUMNS: dict[str, re.Pattern] = {
    "missione": re.compile(r"^MISSION[EI]$"),
    "programma": re.compile(r"^PROGRAMM[AI]$"),
    "objective": re.compile(
        r"^(?:OB+IETTIV[OI])(?:\s+(?:DI\s+PERFORMANCE|OPERATIV[OI]|GESTIONAL[IE]|STRATEGIC[OI]|ANNUAL[IE]|SPECIFIC[OI]))?$"
    ),
    "type": re.compile(r"^TIPOLOGIA(?:\s+DI\s+OB+IETTIVO|\s+OB+IETTIVO)?$|^TIPO$"),
    "unit": re.compile(
        r"^(?:SETTORE|SERVIZIO|AREA|UFFICIO|STRUTTURA|U\.?O\.?|CENTRO\s+DI\s+RESPONSABILITA)"
        r"(?:\s+(?:RESPONSABILE|COMPETENTE|DI\s+RIFERIMENTO))?$|^RESPONSABILE$"
    ),
}


@dataclass(frozen=True)
class _Column:
    col: int
    colspan: int
    x0: float | None
    x1: float | None

    def holds(self, cell: Cell, same_table: bool) -> bool:
        """By the grid column within the header's table; by x position on a later page,
        whose table a reader may have cut into other grid columns."""
        if not same_table and cell.bbox and self.x0 is not None:
            middle = (cell.bbox[0] + cell.bbox[2]) / 2
            return self.x0 <= middle < self.x1
        return self.col <= cell.col < self.col + self.colspan


def _columns(row: Row) -> dict[str, _Column] | None:
    cols: dict[str, _Column] = {}
    for c in row.filled:
        f = fold(c.text).rstrip(":")
        kind = next((k for k, p in _COLUMNS.items() if p.match(f)), None)
        if kind is None or kind in cols:
            return None
        x0, x1 = (c.bbox[0], c.bbox[2]) if c.bbox else (None, None)
        cols[kind] = _Column(c.col, c.colspan, x0, x1)
    # the objectives column and at least one budget or unit column: an objectives list
    return cols if "objective" in cols and len(cols) >= 3 else None


_STRAY_LINE = 60  # characters


class SummaryReader:
    def __init__(self, plan: Plan, used_keys: set[str]):
        self.plan = plan
        self.used_keys = used_keys
        self.cols: dict[str, _Column] | None = None
        self.table = None  # the header's table
        self.rows: list[dict[str, list[str]]] = []
        self.at: list[Row] = []

    @property
    def open(self) -> bool:
        return self.cols is not None

    def start(self, row: Row) -> bool:
        if row.is_text or (cols := _columns(row)) is None:
            return False
        self.close()
        self.cols, self.table = cols, row.table
        return True

    def continues(self, row: Row, below: Row | None) -> bool:
        """A line between two pages of the table — a cell's text the reader left outside
        the grid, a caption — is passed over while the table goes on: the next row is one
        of its rows, or the line is too short to be the prose that follows a table."""
        if not self.open:
            return False
        if below is not None and not below.is_text and len(below.filled) >= len(self.cols) - 1:
            return True
        return not row.heading and len(row.text) <= _STRAY_LINE

    def _texts(self, row: Row) -> dict[str, str]:
        out = {}
        same = row.table is self.table
        for kind, column in self.cols.items():
            cell = next((c for c in row.filled if column.holds(c, same)), None)
            if cell is not None:
                out[kind] = cell.text
        return out

    def take(self, row: Row) -> bool:
        if _columns(row) is not None:
            return True  # the header repeated on the next page
        texts = self._texts(row)
        if not texts:
            return False
        # a new objective has its own text and at least one other column; the objective's
        # text alone is its wrapped cell cut into a row of its own
        if ("objective" in texts and len(texts) > 1) or not self.rows:
            self.rows.append({k: [v] for k, v in texts.items()})
            self.at.append(row)
        else:  # a wrapped cell cut into a row of its own
            for k, v in texts.items():
                self.rows[-1].setdefault(k, []).append(v)
        return True

    def close(self) -> None:
        if self.cols is None:
            return
        for n, (cells, row) in enumerate(zip(self.rows, self.at), start=1):
            title = squash(joined(cells.get("objective", [])))
            if not title:
                continue
            missione = squash(joined(cells.get("missione", [])))
            programma = squash(joined(cells.get("programma", [])))
            mcode, mname = code_and_name(missione)
            pcode, pname = code_and_name(programma)
            key = unique_key("sintesi", str(n), self.used_keys)
            self.used_keys.add(key)
            self.plan.objectives.append(Objective(
                objective_key=key, area=squash(joined(cells.get("unit", []))), area_slug="",
                number=str(n), is_transversal=False, title=title, template="summary",
                missione_raw=missione, missione_code=mcode, missione=mname,
                programma_raw=programma, programma_code=pcode, programma=pname,
                objective_type=squash(joined(cells.get("type", []))),
                page_first=row.page, page_last=row.page, line=row.line, bbox=row.bbox,
            ))
        self.cols, self.rows, self.at = None, [], []
