"""Tesseract over a list of images: the words it reads, with their boxes and confidences.

Every OCR reading of piao goes through `read_images`: the scanned pages and their tile
pages (extract/ocr.py) and the table cells read again (extract/ocr_cells.py). Tesseract
is run directly on the images piao has already rendered and cleaned, and its hOCR gives
each word's box, line, baseline and confidence: no page is rasterised twice, no PDF is
written and read back.

One call is one Tesseract process over a list file (the language model loads once), on
one OpenMP thread: the callers run one process per core (the pages of a scan, the
column kinds of the cells read again), and threads spinning against each other on
shared cores made a 300 dpi page take four times as long (measured: 15 s with threads,
3.8 s without).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
from PIL import Image

from extract.ir import ReaderError

_XHTML = "{http://www.w3.org/1999/xhtml}"

# Wall-time budget of one Tesseract process: this much to start, and this much per
# million pixels it reads (a 200 dpi A4 page is ~3.9 Mpx and reads in ~1 s alone).
TIMEOUT_START_S = 30.0
TIMEOUT_PER_MPX_S = 15.0

# A pixel darker than DARK (0 black … 255 white) is ink; a letter box less than
# LETTER_INK dark holds nothing printed (the thinnest glyph, a "." or an "l" in its own
# tight box, is a fifth dark or more).
DARK = 160
LETTER_INK = 0.02

PxBox = tuple[float, float, float, float]  # x0, top, x1, bottom in the image's pixels


@dataclass(frozen=True)
class Word:
    text: str
    box: PxBox
    line: PxBox  # the box of the text line the word is on
    baseline: float  # where the line's letters stand (y, pixels)
    # The line's letters reach this far above and below the baseline (pixels): from
    # Tesseract's model of the line's size, which a speck or a rule touching one word
    # does not stretch the way it stretches the line's box.
    ascent: float
    descent: float
    confidence: float  # Tesseract's, 0…100
    # Each letter and where Tesseract saw it (x0, x1 in pixels): a "word" that runs over
    # several table cells ("1 2 3" read as "120304") keeps each letter in its own cell.
    letters: tuple[tuple[str, float, float], ...]

    def lowered(self, dy: float) -> Word:
        """The word read on a band of a picture, placed on the whole picture."""
        def down(b: PxBox) -> PxBox:
            return (b[0], b[1] + dy, b[2], b[3] + dy)
        return replace(self, box=down(self.box), line=down(self.line),
                       baseline=self.baseline + dy)


@dataclass(frozen=True)
class Picture:
    """An image to read: grey pixels and the resolution they are at (dots per inch)."""

    pixels: np.ndarray
    dpi: float


def available_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def read_images(pictures: list[Picture], language: str, segmentation: str,
                whitelist: str | None = None) -> list[list[Word]]:
    """The words one Tesseract process reads on each picture, in its reading order, one
    list per picture. `segmentation` is Tesseract's --psm; `whitelist` the only
    characters it may read. Raises ReaderError("ocr_failed") when Tesseract fails or
    overruns."""
    if not pictures:
        return []
    with tempfile.TemporaryDirectory(prefix="piao-tesseract-") as tmp:
        work = Path(tmp)
        listing = work / "list.txt"
        with listing.open("w") as names:
            for k, picture in enumerate(pictures):
                # uncompressed TIFF: written and read at memory speed, and it has the dpi
                path = work / f"{k:05d}.tif"
                Image.fromarray(picture.pixels, mode="L").save(path, dpi=(picture.dpi,) * 2)
                names.write(f"{path}\n")
        # No second reading of each word in negative: piao has already turned light-on-dark
        # fills dark-on-light (extract/scan_image.py), and that reading costs a sixth of
        # Tesseract's time.
        cmd = ["-l", language, "--psm", segmentation, "-c", "hocr_char_boxes=1",
               "-c", "tessedit_do_invert=0"]
        if whitelist is not None:
            cmd += ["-c", f"tessedit_char_whitelist={whitelist}"]
        mpx = sum(p.pixels.size for p in pictures) / 1e6
        hocr = _tesseract(listing, cmd, TIMEOUT_START_S + TIMEOUT_PER_MPX_S * mpx)
    words: list[list[Word]] = [[] for _ in pictures]
    for k, read in _parse_hocr(hocr).items():
        words[k] = _on_ink(read, pictures[k].pixels)
    return words


def _on_ink(words: list[Word], pixels: np.ndarray) -> list[Word]:
    """The words without the letters that stand on blank paper. Tesseract's line model
    fills the gap between spaced-out glyphs with letters of its own ("X    X" comes out
    "XOOOX", the O's boxed over white): a letter under which less than LETTER_INK of
    the box is dark was not printed."""
    out = []
    for w in words:
        top, bottom = int(w.line[1]), int(w.line[3]) + 1
        kept = []
        for letter in w.letters:
            box = pixels[top:bottom, int(letter[1]):int(letter[2]) + 1]
            if box.size and np.count_nonzero(box < DARK) >= LETTER_INK * box.size:
                kept.append(letter)
        if len(kept) == len(w.letters):
            out.append(w)
        elif kept:
            out.append(replace(w, text="".join(t for t, _, _ in kept), letters=tuple(kept)))
    return out


def _tesseract(listing: Path, options: list[str], timeout: float) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        r = subprocess.run(["tesseract", str(listing), "stdout", *options, "hocr"],
                           capture_output=True, text=True, env=env, check=False,
                           timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ReaderError("ocr_failed", f"OCR took longer than {exc.timeout:.0f} s") from exc
    except OSError as exc:
        raise ReaderError("ocr_failed", f"OCR could not start: {exc}") from exc
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["no message"])[-1][:200]
        raise ReaderError("ocr_failed", f"OCR failed (tesseract exit {r.returncode}): {last}")
    return r.stdout


_TITLE_BOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_TITLE_LETTER_BOX = re.compile(r"x_bboxes (\d+) (\d+) (\d+) (\d+)")
_TITLE_BASELINE = re.compile(r"baseline (-?[\d.]+) (-?[\d.]+)")
_TITLE_CONFIDENCE = re.compile(r"x_wconf (-?[\d.]+)")
_TITLE_PAGE = re.compile(r"ppageno (\d+)")
_TITLE_SIZE = re.compile(r"x_size ([\d.]+)")
_TITLE_DESCENDERS = re.compile(r"x_descenders ([\d.]+)")
# hOCR classes of a text line (a heading or a caption is a line too)
_LINES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


def _parse_hocr(hocr: str) -> dict[int, list[Word]]:
    """Words per image (0-based, in the list file's order)."""
    out: dict[int, list[Word]] = {}
    if not hocr.strip():
        return out
    root = ElementTree.fromstring(hocr)
    for page in root.iter(f"{_XHTML}div"):
        if page.get("class") != "ocr_page":
            continue
        number = int(_TITLE_PAGE.search(page.get("title", "")).group(1))  # type: ignore[union-attr]
        words = out.setdefault(number, [])
        for line in page.iter(f"{_XHTML}span"):
            if line.get("class") not in _LINES:
                continue
            title = line.get("title", "")
            box = _box(title)
            slope_intercept = _TITLE_BASELINE.search(title)
            baseline = box[3] + (float(slope_intercept.group(2)) if slope_intercept else 0.0)
            size = _number(_TITLE_SIZE, title, box[3] - box[1])
            descent = min(_number(_TITLE_DESCENDERS, title, box[3] - baseline), size / 2)
            for word in line.iter(f"{_XHTML}span"):
                if word.get("class") != "ocrx_word":
                    continue
                word_box = _box(word.get("title", ""))
                letters = _letters(word, word_box)
                if letters:
                    words.append(Word("".join(t for t, _, _ in letters), word_box, box,
                                      baseline, size - descent, descent,
                                      _number(_TITLE_CONFIDENCE, word.get("title", ""), 0.0),
                                      letters))
    return out


def _letters(word: ElementTree.Element, box: PxBox) -> tuple[tuple[str, float, float], ...]:
    """The word's letters with their own boxes (hocr_char_boxes); without those, the
    letters of the word's text share its box. Spaces are no letters."""
    found = []
    for letter in word.iter(f"{_XHTML}span"):
        m = _TITLE_LETTER_BOX.search(letter.get("title", ""))
        text = (letter.text or "").strip()
        if letter.get("class") == "ocrx_cinfo" and m and text:
            found += _spread(text, float(m.group(1)), float(m.group(3)))
    if not found:
        return tuple(_spread("".join("".join(word.itertext()).split()), box[0], box[2]))
    # Tesseract's boxes can step back ("zione" with the z boxed over the a): no letter
    # starts before the one read before it, so that a word read in order keeps its
    # order whatever sorts its letters by x later.
    starts = itertools.accumulate((x0 for _, x0, _ in found), max)
    return tuple((t, a, max(a, x1)) for (t, _, x1), a in zip(found, starts))


def _spread(text: str, x0: float, x1: float) -> list[tuple[str, float, float]]:
    """The characters of `text` sharing x0…x1 evenly (a ligature "ﬁ" read as "fi")."""
    step = (x1 - x0) / max(len(text), 1)
    return [(ch, x0 + i * step, x0 + (i + 1) * step) for i, ch in enumerate(text)]


def _number(pattern: re.Pattern[str], title: str, default: float) -> float:
    m = pattern.search(title)
    return float(m.group(1)) if m else default


def _box(title: str) -> PxBox:
    m = _TITLE_BOX.search(title)
    return tuple(float(v) for v in m.groups()) if m else (0.0, 0.0, 0.0, 0.0)  # type: ignore[return-value]
