"""Small text helpers shared by the normaliser: folding, numbers, dates, slugs.

Raw text is never changed in place: these build *derived* values only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from normalize.months import MONTH_NAMES

_MONTHS_IT = {name: n for n, name in enumerate(MONTH_NAMES, 1)}  # "settembre" → 9


# The parser folds the same cell texts over and over (each vocabulary asks): cached.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Upper-case, accents and typographic quotes removed, whitespace collapsed: for matching."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", t).strip().upper()


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces (line breaks too); case and accents kept.

    A line that ends in a hyphen after a letter was wrapped at a compound's hyphen
    ("ISTRUZIONE-\nCULTURA"): the break is dropped, the hyphen kept."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=[^\W\d_]-)[ \t]*\n\s*", "", text)).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


_NUMBER = re.compile(
    r"^(?:ca\.?\s*|circa\s+|n\.\s*)?([+-]?\d{1,3}(?:\.\d{3})+|[+-]?\d+)(?:,(\d+))?\s*(%|[a-zà-ù .()]*\d{0,4}\)?)?$",
    re.I,
)


def parse_number(raw: str) -> float | None:
    """An Italian-formatted quantity: "1.200" → 1200, "29,80" → 29.8, "ca. 2500" → 2500,
    "10 ore" / "600 pratiche" / "81%" → the number; None for "n.d.", "//", "Si", ratios."""
    s = squash(raw)
    if not s:
        return None
    m = _NUMBER.match(s)
    if not m:
        return None
    whole = m.group(1).replace(".", "")
    frac = m.group(2)
    return float(f"{whole}.{frac}" if frac else whole)


_DATE_NUM = re.compile(r"\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?\b")
_DATE_WORD = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS_IT) + r")(?:\s+(\d{4}))?\b", re.I)


def parse_date(text: str, default_year: int | None = None) -> dt.date | None:
    """The first date in a text: "31/12/2023", "31.05.2024", "30 settembre 2023", "31/10"."""
    candidates = []
    for m in _DATE_NUM.finditer(text):
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        candidates.append((m.start(), d, mo, y))
    for m in _DATE_WORD.finditer(text):
        candidates.append((m.start(), int(m.group(1)), _MONTHS_IT[m.group(2).lower()], m.group(3)))
    for _, d, mo, y in sorted(candidates):
        year = int(y) if y else default_year
        if year is None:
            continue
        if year < 100:
            year += 2000
        try:
            return dt.date(year, mo, d)
        except ValueError:
            continue
    return None


def first_int(text: str) -> int | None:
    m = re.search(r"\d+", text)
    return int(m.group()) if m else None
