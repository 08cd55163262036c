"""The organisational unit a card belongs to: section headings, their responsible, slugs.

Plans name their units in many ways — AREA, SETTORE, SERVIZIO, U.O., CENTRO DI
RESPONSABILITÀ, UFFICIO, DIREZIONE, RIPARTIZIONE, a numbered heading ("1 - SERVIZI
GENERALI E RISORSE UMANE") or a bare name ("AFFARI GENERALI") — and what tells a heading
from prose is its shape: a short line, no sentence, printed as a heading or in capitals,
and most often followed by the unit's responsible ("Responsabile: Rossi"). Headings come
from paragraphs only: a table (context figures, an organisation chart) never sets an area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize import labels as L
from normalize.rows import Row
from normalize.text import fold, slug, squash

# Words that do not tell one area from another ("AREA ECONOMICO FINANZIARIA" is "FINANZIARIA").
_AREA_NOISE = {
    "AREA", "ECONOMICO", "ECONOMICA", "SERVIZI", "SERVIZIO", "SETTORE", "UFFICIO",
    "DI", "E", "ALLA", "ALLE", "DEL", "DELLA", "DELLE", "DEI", "U", "O",
}  # fmt: skip

_MAX_HEADING = 100  # characters: a unit's name, not a sentence
_ENUMERATION = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[A-Z])\s*[-–—.)]\s+(?=\S)")


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


def responsible_of(text: str) -> str | None:
    """ "Responsabile: Rossi", "RESPONSABILE AVV. MARIO ROSSI", "Resp.: Dott. Bianchi" → the name."""
    m = L.RESPONSIBLE_LINE.match(text.strip())
    return squash(m.group(1)) if m else None


_RESPONSIBLE_MARKERS = ("RESPONSABILE", "RESP.", "DIRIGENTE", "REFERENTE")


def split_responsible(text: str) -> tuple[str, str]:
    """ "SERVIZIO TECNICO Resp.: Geom. Cetti" / "SETTORE X – Responsabile: Dott. Y" →
    (unit, responsible); (text, "") when the line names no responsible after the unit."""
    t = squash(text)
    f = t.upper()
    for marker in _RESPONSIBLE_MARKERS:
        at = f.find(marker)
        if at > 0 and (resp := responsible_of(t[at:])):
            return t[:at].strip(" -–—,;|"), resp
    return t, ""


def looks_like_heading(row: Row, text: str) -> bool:
    t = text.strip()
    if not t or len(t) > _MAX_HEADING or t.endswith((".", ";", ",")):
        return False
    letters = [ch for ch in t if ch.isalpha()]
    if len(letters) < 4:
        return False
    capitals = sum(ch.isupper() for ch in letters) / len(letters)
    return bool(row.heading or row.cells[0].bold or capitals > 0.7)


def unit_name(text: str) -> str:
    """The heading without its enumeration: "1 - SERVIZI GENERALI" → "SERVIZI GENERALI"."""
    return squash(_ENUMERATION.sub("", text.strip().rstrip(":")))


def area_heading(row: Row, next_row: Row | None) -> tuple[str, str] | None:
    """(area name as printed, its responsible or "") when the paragraph line is a unit heading.

    A line that starts with a unit word ("SETTORE TECNICO") is a heading by itself; any
    other heading-shaped line is one when the unit's responsible is printed right under it."""
    text, inline = split_responsible(row.cells[0].text)
    if not looks_like_heading(row, text) or L.match_label(text) or responsible_of(text):
        return None
    f = fold(text)
    if L.NOT_A_UNIT.match(f):
        return None
    below = next_row.cells[0].text if next_row is not None and next_row.is_text else ""
    responsible = inline or (responsible_of(below) if below else None)
    if L.UNIT_HEADING.match(fold(unit_name(text))) and "RESPONSABILE" not in f:
        return unit_name(text), responsible or ""
    if responsible is not None:
        return unit_name(text), responsible
    return None


@dataclass
class AreaContext:
    """The area the rows being read belong to, kept apart from what reads them."""

    names: AreaNames = field(default_factory=AreaNames)
    name: str = ""
    slug: str = ""
    responsible: str = ""

    def enter(self, name: str, responsible: str = "", slug_: str | None = None) -> None:
        self.name, self.responsible = name, responsible
        self.slug = slug_ if slug_ is not None else self.names.slug(name)
