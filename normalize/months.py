"""Italian month names and initials, as printed in table headers and running text.

The one month vocabulary of the package: the normaliser reads month headers and dates
with it (`normalize/schedule.py`, `text.py`), the checks and reports print months with
it, and the OCR cell re-reader is handed it through `normalize/columns.py` (extract/
knows no Italian words of its own).
"""

from __future__ import annotations

MONTH_NAMES = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
               "settembre", "ottobre", "novembre", "dicembre")
MONTH_INITIALS = "GFMAMGLASOND"  # one letter per month, January first, as headers print them
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)  # "gen" … "dic"


def month_of_name(label: str) -> int | None:
    """1…12 for a month name or its start of three letters or more, any case ("Gen",
    "SETT", "gennaio"); None for anything else, a word that only starts like a month
    ("GENERALE") included. Spaces and accents are the caller's to remove."""
    word = label.lower()
    if len(word) < 3 or not word.isalpha():
        return None
    return next((n for n, name in enumerate(MONTH_NAMES, 1) if name.startswith(word)), None)
