"""Small text helpers for the checks: number and list formatting, title folding, deadlines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from normalize.months import MONTH_ABBREVIATIONS, MONTH_NAMES
from normalize.text import fold, parse_date, squash

MONTHS_IT = MONTH_ABBREVIATIONS
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def num(x: float | None) -> str:
    """103.0 → "103", 33.5 → "33.5": what a person reads in the document."""
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def runs(values: Sequence[str]) -> str:
    """Phase numbers as a short list: 1..18, 14, 19 → "1–18, 14, 19" (runs of 3+ collapsed)."""
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while (
            j + 1 < len(values)
            and values[j].isdigit()
            and values[j + 1].isdigit()
            and int(values[j + 1]) == int(values[j]) + 1
        ):
            j += 1
        out.append(f"{values[i]}–{values[j]}" if j - i >= 2 else ", ".join(values[i : j + 1]))
        i = j + 1
    return ", ".join(out)


def months(ms: Iterable[int], lang: str = "it") -> str:
    names = MONTHS_EN if lang == "en" else MONTHS_IT
    return ", ".join(names[m - 1] for m in ms)


def fold_title(text: str) -> str:
    """Title compared without case, accents, quotes or punctuation:
    "Realizzazione Progetto “Accoglienza”" and "REALIZZAZIONE PROGETTO "ACCOGLIENZA"" are equal."""
    return squash(re.sub(r"[^\w\s]", " ", fold(text)))


def clip(text: str, n: int = 90) -> str:
    s = squash(text)
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# ------------------------------------------------------------------ deadlines

_MONTH_WORDS = "|".join(MONTH_NAMES)
# A date announced as a limit: "entro il 30/06/2023", "entro 31.05.2024", "entro il
# 30 settembre 2023", "fine lavori 31/10", "entro e non oltre il …", "scadenza …".
# Dates not announced as a limit ("Report finale al 31/12/2023", "nel periodo da
# aprile a giugno") are not deadlines.
_DEADLINE = re.compile(
    r"\b(?:entro(?:\s+e\s+non\s+oltre)?|fine\s+lavori|scadenza|termine\s+ultimo)\b"
    r"(?:\s+(?:il|la|del|della|data|giorno))*\s*:?\s*"
    r"(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?\b"
    r"|\d{1,2}\s+(?:" + _MONTH_WORDS + r")(?:\s+\d{4})?\b)",
    re.I,
)
# "Servizio attivo entro il 31/05/2023" sets when something must *start*: marks
# after that date are the service running, not a late activity (seed: Affari
# Generali 7, activated by May, scheduled April-December).
_START_WORDS = re.compile(
    r"\b(?:attiv[oaie]|attivat[oaie]|attivazione|avvi[oa]|avviat[oaie]|operativ[oaie])\s*$", re.I
)


def deadlines(text: str, year: int | None) -> list[dt.date]:
    """End dates the text sets ("entro il …"), a date without year taken in `year`."""
    out = []
    for m in _DEADLINE.finditer(text or ""):
        if _START_WORDS.search(text[: m.start()]):
            continue
        d = parse_date(m.group("date"), default_year=year)
        if d is not None:
            out.append(d)
    return out


def latest_deadline(text: str, year: int | None) -> dt.date | None:
    """The phase's (or card's) limit: a phase listing several sub-tasks, each with its own
    "entro", ends with the last of them."""
    found = deadlines(text, year)
    return max(found) if found else None
