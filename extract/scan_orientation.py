"""Which way up a scanned page is: a sheet fed sideways is turned upright before it is read.

Two questions, answered two ways:

1. Is the page sideways? From the shape of its text lines, in the pixels: the letters of a
   line, smeared along the line by a few points, join into blobs far longer than they are
   tall. On an upright page such blobs lie horizontally, on a sideways page they stand
   vertically. Ruling lines do not count (they are thinner than a line of text), and
   neither do pictures (too tall), so a table page is judged by the text in its cells.
   This costs a few hundredths of a second and is asked of every page.
2. Which of the two sideways turns puts it upright? Line shapes cannot tell a page turned
   a quarter clockwise from one turned counter-clockwise; the glyphs can. Tesseract's
   orientation detection (`--psm 0`, the `osd` data) is asked, only for a page found
   sideways. A page upside down is not looked for: a sheet is fed the wrong way round far
   less often than a landscape sheet sideways, and every page would pay for the check.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import cv2
import numpy as np

# Letters are smeared along their line by this much (points): more than the gap between
# the letters and words of body text (a word space is ~2.5 pt at 10 pt), less than
# the gap between two lines (leading minus cap height: ~3.5 pt at 10 pt single-spaced).
LINE_SMEAR_PT = 3.0
# A smeared line of text is this tall (points): from a 6 pt footnote's x-height to an 18 pt
# heading with its ascenders. Thinner is a rule, taller a picture or a block of ink.
LINE_MIN_PT, LINE_MAX_PT = 3.0, 20.0
# ... and at least this many times longer than tall: two letters side by side already are.
LINE_ELONGATION = 4
# A page is sideways when its vertical text lines outnumber its horizontal ones this many
# times, and there are at least SIDEWAYS_MIN_LINES of them. (Measured on the development
# scans: upright pages 14-217 horizontal against 0-3 vertical; the sideways one 1 against
# 136: the margin is wide.)
SIDEWAYS_RATIO = 3
SIDEWAYS_MIN_LINES = 10
# Tesseract's orientation detection gives up after this long (seconds).
OSD_TIMEOUT_S = 30
# When Tesseract cannot say which way round (not installed, no `osd` data, no answer), the
# page is turned a quarter counter-clockwise: a landscape print on portrait paper is
# put in the feeder with its top to the left more often than to the right (the
# way the printer drivers default, "rotate 90° counter-clockwise"), and a page turned
# the wrong way is read no worse than one left sideways.
DEFAULT_TURNS = 1

_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)


def text_lines(binary: np.ndarray, scale: float, orientation: str) -> int:
    """How many text-line blobs of one orientation ("h", "v") the binary page holds."""
    smear = max(3, round(LINE_SMEAR_PT * scale))
    kernel = np.ones((1, smear) if orientation == "h" else (smear, 1), np.uint8)
    blobs = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    _, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    along, across = (w, h) if orientation == "h" else (h, w)
    lines = ((across >= LINE_MIN_PT * scale) & (across <= LINE_MAX_PT * scale)
             & (along >= LINE_ELONGATION * across))
    return int(np.count_nonzero(lines))


def is_sideways(binary: np.ndarray, scale: float) -> bool:
    """Does the text of this binary page (ink > 0, `scale` pixels per point) run vertically?"""
    vertical = text_lines(binary, scale, "v")
    return (vertical >= SIDEWAYS_MIN_LINES
            and vertical >= SIDEWAYS_RATIO * text_lines(binary, scale, "h"))


def sideways_turns(gray: np.ndarray) -> int:
    """Quarter turns counter-clockwise (numpy.rot90's k: 1 or 3) that put a sideways page
    upright, as Tesseract's orientation detection sees its glyphs; DEFAULT_TURNS when it
    cannot tell."""
    tesseract = shutil.which("tesseract")
    ok, png = cv2.imencode(".png", gray)
    if tesseract is None or not ok:
        return DEFAULT_TURNS
    try:
        r = subprocess.run([tesseract, "stdin", "stdout", "--psm", "0"], input=png.tobytes(),
                           capture_output=True, check=False, timeout=OSD_TIMEOUT_S,
                           env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except (OSError, subprocess.SubprocessError):
        return DEFAULT_TURNS
    m = _ROTATE.search(r.stdout.decode(errors="replace"))
    # "Rotate: R" is the clockwise turn that makes the page upright; a quarter clockwise
    # is three counter-clockwise. An answer of 0 or 180 contradicts the line shapes: the
    # glyphs were not read well enough to trust it.
    clockwise = int(m.group(1)) if m else None
    return {90: 3, 270: 1}.get(clockwise, DEFAULT_TURNS)  # type: ignore[arg-type]


def upright_turns(gray: np.ndarray, binary: np.ndarray, scale: float) -> int:
    """Quarter turns counter-clockwise (numpy.rot90's k) that put the scanned page upright:
    0 for a page whose text already runs horizontally."""
    return sideways_turns(gray) if is_sideways(binary, scale) else 0
