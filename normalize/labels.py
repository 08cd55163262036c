"""Card labels as data: each field of an objective card and the spellings seen in the wild.

A new card template is a new synonym here, not a new parser. Patterns are matched
against `text.fold()`-ed cell text (upper case, no accents, straight quotes) at the
start of a cell; the label may end with ":" and the value may follow in the same cell
or in the next cells of the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.text import fold, squash


@dataclass(frozen=True)
class Label:
    field: str
    pattern: re.Pattern
    whole_cell: bool = False  # the label must be the whole cell text (value in the next cell)
    mandatory: bool = True


def _p(rx: str) -> re.Pattern:
    return re.compile(r"^\s*(?:" + rx + r")\s*:?\s*", re.I)


CARD_LABELS: tuple[Label, ...] = (
    Label("missione", _p(r"MISSIONE"), whole_cell=True),
    Label("programma", _p(r"PROGRAMMA"), whole_cell=True),
    Label(
        "dup_objective", _p(r"OB+IETTIVO\s+OPERATIV[OI]\s+(?:DEL\s+)?D\.?U\.?P\.?"), whole_cell=True
    ),
    Label("responsible", _p(r"RESPONSABILE|DIRIGENTE"), whole_cell=True),
    Label("number", _p(r"OB+IETTIVO\s+(?:N\s*[°.º]?|NR\.?|NUM(?:ERO)?\.?)\s*(?=\S)")),
    Label("title", _p(r"DENOMINAZIONE|OGGETTO|TITOLO")),
    Label("description", _p(r"DESCRIZIONE(?:\s+SINTETICA)?(?:\s+DEI\s+CONTENUTI)?")),
    Label("result_indicators", _p(r"INDICATORI\s+DI\s+RISULTATO|INDICATORE\s+DI\s+RISULTATO")),
    Label("human_resources", _p(r"RISORSE\s+UMANE(?:\s+ASSEGNATE)?")),
    Label("financial_resources", _p(r"RISORSE\s+FINANZIARIE(?:\s+COLLEGATE)?")),
    Label(
        "progress_report",
        _p(
            r"RELAZIONE\s+DEL\s+RESPONSABILE(?:\s+SULLO\s+STATO\s+DI\s+AVANZAMENTO)?(?:\s+DELL\s*'\s*(?:OB+IETTIVO|OGGETTO))?"
        ),
        mandatory=False,
    ),
)

# The spelling most cards print, trailing colon stripped (the convention of
# Objective.labels_raw): what a renderer prints when a card says nothing else.
STANDARD_LABELS: dict[str, str] = {
    "missione": "MISSIONE",
    "programma": "PROGRAMMA",
    "dup_objective": "OBIETTIVO OPERATIVO DUP",
    "responsible": "RESPONSABILE",
    "number": "OBIETTIVO N.",
    "title": "DENOMINAZIONE",
    "description": "DESCRIZIONE SINTETICA DEI CONTENUTI",
    "result_indicators": "INDICATORI DI RISULTATO",
    "human_resources": "RISORSE UMANE ASSEGNATE",
    "financial_resources": "RISORSE FINANZIARIE COLLEGATE",
    "progress_report": "RELAZIONE DEL RESPONSABILE SULLO STATO DI AVANZAMENTO DELL'OBIETTIVO",
}

# Fields whose absence from a card is reported (RELAZIONE is filled in later in the year).
MANDATORY = tuple(lb.field for lb in CARD_LABELS if lb.mandatory)


def match_label(text: str) -> tuple[Label, str, str] | None:
    """(label, label as printed, rest of the cell) when the cell starts with a card label."""
    folded = fold(text)
    for lb in CARD_LABELS:
        m = lb.pattern.match(folded)
        if not m:
            continue
        rest_folded = folded[m.end() :]
        if lb.whole_cell and rest_folded and not re.match(r"^[:\-–]", folded[m.end() - 1 :]):
            # "PROGRAMMA" must stand alone (or end with ":"): "Programmare …" is not a label
            if not folded[: m.end()].rstrip().endswith(":"):
                continue
        # map the folded match length back onto the raw text (folding keeps length except
        # for collapsed whitespace, so cut by counting non-space characters)
        cut = _raw_cut(text, folded[: m.end()])
        return lb, squash(text[:cut]).rstrip(":").strip(), text[cut:].strip()
    return None


def _raw_cut(raw: str, folded_prefix: str) -> int:
    want = sum(1 for ch in folded_prefix if not ch.isspace())
    seen = 0
    for i, ch in enumerate(raw):
        if seen >= want and not ch.isspace():
            return i
        if not ch.isspace():
            seen += 1
    return len(raw)


YEAR_LABEL = re.compile(
    r"^(?:(PRIMO|SECONDO|TERZO|I|II|III)\s*(?:°\s*)?)?ANNO\s+DI\s+PROGRAMMAZIONE\s*:?\s*(\d{4})?",
    re.I,
)
_ORDINALS = {"PRIMO": 1, "I": 1, "SECONDO": 2, "II": 2, "TERZO": 3, "III": 3}


def match_year_label(text: str) -> tuple[int, int | None] | None:
    """(year index, year) for "SECONDO ANNO DI PROGRAMMAZIONE 2024" and the like."""
    m = YEAR_LABEL.match(fold(text))
    if not m:
        return None
    return _ORDINALS.get((m.group(1) or "PRIMO").upper(), 1), int(m.group(2)) if m.group(
        2
    ) else None


GRID_HEADER = re.compile(r"^CRONOPROGRAMMA\b\s*(?:ANNO\s*)?(\d*)", re.I)
RESPONSIBLE_LINE = re.compile(r"^(?:RESPONSABILE|DIRIGENTE)\s*:\s*(.+)$", re.I | re.S)
