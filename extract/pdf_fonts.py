"""Font facts the PDF reader reads off character names and sizes."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

from extract.pdf_backend import Char

# Weight words as they appear in PostScript names: "ABCDEF+Calibri-Bold",
# "Arial,Bold", "TimesNewRomanPS-BoldMT", "Arial-Black", "Montserrat-SemiBold".
_BOLD_NAME = re.compile(r"bold|black|heavy", re.IGNORECASE)


def is_bold_font(fontname: str | None) -> bool:
    if not fontname:
        return False
    # The subset tag before "+" is six random capitals: never read weight from it.
    return bool(_BOLD_NAME.search(fontname.split("+", 1)[-1]))


def visible(chars: Iterable[Char]) -> list[Char]:
    return [c for c in chars if c["text"].strip()]


def all_bold(chars: Iterable[Char]) -> bool:
    """True when there is visible text and every visible character is bold."""
    shown = visible(chars)
    return bool(shown) and all(is_bold_font(c.get("fontname")) for c in shown)


def typical_size(chars: Iterable[Char]) -> float | None:
    sizes = [float(c["size"]) for c in visible(chars) if c.get("size")]
    return round(statistics.median(sizes), 1) if sizes else None
