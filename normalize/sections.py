"""Recognisers for the plan's non-card tables and context lines: weight tables,
staff tables, output tables, health-indicator tables, entity card, area headings.

Each recogniser looks at a row (folded text) and says what it is; the parser keeps
the state. Header spellings are data here, like the card labels.
"""

from __future__ import annotations

import re

from normalize.rows import Row
from normalize.text import fold, slug

WEIGHT_HEADER = re.compile(r"^(NR?\.?|N°|NUM\.?)\s*\|\s*(OBIETTIVO|DENOMINAZIONE)\b.*\|\s*PESO")
STAFF_HEADER = re.compile(r"CATEGORIA.*\|\s*(COGNOME|NOME)")
OUTPUT_HEADER = re.compile(r"^PRODOTT[IO](/OUTPUT)?\b|^OUTPUT\b")
INDICATOR_HEADER = re.compile(r"^INDICATOR[EI]\s*\|\s*VALORE")
TOTAL_ROW = re.compile(r"^TOTALE\b")
INDICATOR_SECTION = re.compile(r"^(3\.\d+\.\d+)\s*[-–]?\s*(.*)$")
ENTITY_SECTION = re.compile(r"SCHEDA\s+ANAGRAFICA")
STAFF_CAPTION = re.compile(r"^PERSONALE\s+ASSEGNATO", re.I)
TRANSVERSAL_HEADING = re.compile(r"OBIETTIVI\s+TRASVERSALI")
PERIOD = re.compile(r"\b(20\d\d)\s*[-/–]\s*(20\d\d)\b")
APPROVAL = re.compile(r"^\s*APPROVAT[OA]\s+CON\s+(.+)$", re.I)
END_OF_PERFORMANCE = re.compile(r"^SEZIONE\s+[2-9]\.[3-9]|^SEZIONE\s+[3-9]\b")

# Words that do not tell one area from another ("AREA ECONOMICO FINANZIARIA" is "FINANZIARIA").
_AREA_NOISE = {
    "AREA",
    "ECONOMICO",
    "ECONOMICA",
    "SERVIZI",
    "SERVIZIO",
    "SETTORE",
    "UFFICIO",
    "DI",
    "E",
    "ALLA",
    "DEL",
    "DELLA",
}


def row_key(row: Row) -> str:
    """The row's folded cell texts joined by " | ": what header patterns match against."""
    return " | ".join(fold(c.text) for c in row.filled)


def area_tokens(name: str) -> frozenset[str]:
    words = set(re.findall(r"[A-Z]+", fold(name)))
    return frozenset(words - _AREA_NOISE) or frozenset(words)


class AreaNames:
    """Canonical slug per area: names whose distinctive words nest are the same area.

    "AREA FINANZIARIA" (weight table) and "AREA ECONOMICO FINANZIARIA" (section) share
    the slug of the first name met; both names stay on the records as printed."""

    def __init__(self) -> None:
        self._known: list[tuple[frozenset[str], str]] = []

    def slug(self, name: str) -> str:
        toks = area_tokens(name)
        for known, s in self._known:
            if toks <= known or known <= toks:
                return s
        s = slug(" ".join(w for w in fold(name).split() if w != "AREA")) or "area"
        self._known.append((toks, s))
        return s


def area_heading(text: str) -> str | None:
    """ "AREA POLIZIA LOCALE" → the heading as printed; long sentences are not headings."""
    t = text.strip().rstrip(":")
    f = fold(t)
    if f.startswith("AREA ") and len(t) <= 60 and "RESPONSABILE" not in f:
        return t
    return None
