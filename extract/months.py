"""Italian month names and initials, as printed in table headers and running text.

Vocabulary only: the OCR cell re-reader (`extract/ocr_cells.py`) uses it to tell a
row of month labels, and the PIAO normaliser (`normalize/schedule.py`, `text.py`)
and the checks to read months and dates. It lives in `extract/` because extract may
not import normalize, while normalize and piao may import extract.
"""

from __future__ import annotations

MONTH_NAMES = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
               "settembre", "ottobre", "novembre", "dicembre")
MONTH_INITIALS = "GFMAMGLASOND"  # one letter per month, January first, as headers print them


def month_of_name(label: str) -> int | None:
    """1…12 for a month name or its start of three letters or more, any case ("Gen",
    "SETT", "gennaio"); None for anything else, a word that only starts like a month
    ("GENERALE") included. Spaces and accents are the caller's to remove."""
    word = label.lower()
    if len(word) < 3 or not word.isalpha():
        return None
    return next((n for n, name in enumerate(MONTH_NAMES, 1) if name.startswith(word)), None)


def month_at(label: str, position: int) -> int | None:
    """The month a header label names when it is the `position`-th (0-based) of a run of
    month labels: a number "1"…"12", the month's initial ("G", "F", … — ambiguous alone,
    so it counts only in its place), or a name or its start ("Gen", "SETT")."""
    word = label.strip().rstrip(".").lower()
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    if len(word) == 1:
        return position + 1 if position < 12 and word.upper() == MONTH_INITIALS[position] else None
    return month_of_name(word)


def is_month_run(labels: list[str]) -> bool:
    """Whether `labels` are the twelve months in order, as a schedule header prints them."""
    return len(labels) == 12 and all(month_at(t, i) == i + 1 for i, t in enumerate(labels))
