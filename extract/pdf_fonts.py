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


# Off-diagonal terms of a character's matrix smaller than this share of its diagonal are
# float noise: cos 90° = 6e-17 makes pdfminer call a line turned by 90° upright.
_TURN_NOISE = 1e-6


def is_upright(char: Char) -> bool:
    """Set on a horizontal baseline, left to right. pdfminer's own `upright` says so of
    text turned by exactly 90° (its test a·d > 0 passes on 6e-17 · 6e-17), so the
    matrix decides where the backend gives one."""
    matrix = char.get("matrix")
    if matrix is None:
        return bool(char.get("upright", True))
    a, b, c, d = matrix[:4]
    return a > 0 and d > 0 and abs(b) + abs(c) <= _TURN_NOISE * (a + d)


def direction(char: Char) -> tuple[float, float]:
    """The direction a character's baseline runs, on the page (x right, y down)."""
    matrix = char.get("matrix")
    if matrix is None:
        return (1.0, 0.0)
    a, b = matrix[0], matrix[1]
    norm = (a * a + b * b) ** 0.5 or 1.0
    return (a / norm, -b / norm)  # PDF y grows upwards, the page's downwards
