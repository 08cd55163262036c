"""Objectives listed in a summary table, one per row, as a PIAO's sottosezione 2.2 prints
them: MISSIONE | PROGRAMMA | OBIETTIVI DI PERFORMANCE | TIPOLOGIA DI OBIETTIVO (or the
unit responsible for it). Cells wrap over several lines, and a converter may cut a
wrapped cell into rows of its own: a row with no objective text continues the one above.
"""

from __future__ import annotations

import re

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


def _columns(row: Row) -> dict[str, tuple[int, int]] | None:
    cols: dict[str, tuple[int, int]] = {}
    for c in row.filled:
        f = fold(c.text).rstrip(":")
        kind = next((k for k, p in _COLUMNS.items() if p.match(f)), None)
        if kind is None or kind in cols:
            return None
        cols[kind] = (c.col, c.colspan)
    # the objectives column and at least one budget or unit column: an objectives list
    return cols if "objective" in cols and len(cols) >= 3 else None


class SummaryReader:
    def __init__(self, plan: Plan, used_keys: set[str]):
        self.plan = plan
        self.used_keys = used_keys
        self.cols: dict[str, tuple[int, int]] | None = None
        self.rows: list[dict[str, list[str]]] = []
        self.at: list[Row] = []

    @property
    def open(self) -> bool:
        return self.cols is not None

    def start(self, row: Row) -> bool:
        if row.is_text or (cols := _columns(row)) is None:
            return False
        self.close()
        self.cols = cols
        return True

    def _texts(self, row: Row) -> dict[str, str]:
        out = {}
        for kind, (lo, span) in self.cols.items():
            cell = next((c for c in row.cells if lo <= c.col < lo + span and not c.empty), None)
            if cell is not None:
                out[kind] = cell.text
        return out

    def take(self, row: Row) -> bool:
        if _columns(row) is not None:
            return True  # the header repeated on the next page
        texts = self._texts(row)
        if not texts:
            return False
        if "objective" in texts or not self.rows:
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
