"""A scanned page as an image: straightened, its table rules found and erased, its ink measured.

A scan has no vector rules and no text layer. What the PDF reader's table
finder needs (extract/pdf_grid.py) are ruling edges in points; here they come
from the pixels: the page is rendered, turned back by the skew a crooked sheet
gets on the scanner glass, and the long straight runs of dark pixels are the
rules (OpenCV morphology: an opening with a long thin kernel keeps only what
is at least that long in that direction). The rules are then painted white
before OCR: tesseract reads a rule next to a mark as "|", "[" or "I" and glues
the marks of a month row into one word, which would put them in no cell at all.

Office scans add their own troubles, each handled from how it looks in the pixels:
a sheet fed sideways is turned upright first (extract/scan_orientation.py); a dark
fill (a header row printed white on a colour) is found on the page's tone, its
outline becomes rules and its letters are turned dark on white for OCR; on a 1-bit
page (photocopier: no grey levels, shadings dithered to dots) rules are measured at
a more lenient threshold and lone dust and dither dots are painted out of the text
OCR reads; a rule that a photocopier or a stamp broke is mended where its gap ends
on nothing (a gap between two rules across is a merged cell and stays).

Coordinates: the deskewed (and turned upright) image, in points (pixels / `scale`), origin top-left.
That frame differs from the scanned page's by the skew angle (recorded per page),
by at most a few points at the page corners for the fraction of a degree of a
hand-fed sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.ir import BBox
from extract.scan_orientation import upright_turns

PixelBox = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels, end exclusive

# Skew search: sheets on a flatbed or in a feeder sit within a few degrees.
MAX_SKEW = 5.0
COARSE_STEP, FINE_STEP = 0.1, 0.01
# Upright strips the skew search cuts the page into: narrow enough that a strip's own
# lines, tilted by the largest skew, stay within a pixel or two across it.
SKEW_STRIPS = 32
# A rule is a straight dark run at least this long (points). Shorter than the narrowest
# table cell (a month column, ~20 pt) and row (~13 pt), longer than any stroke of a
# letter at body sizes (an "l" at 12 pt is ~9 pt tall).
MIN_RULE_PT = 11.0
# Thicker than this (points) is not a rule but a dark fill or a black scanner margin.
MAX_RULE_THICKNESS_PT = 3.0
# Gaps (points) closed along a rule before it is measured: a thin printed line breaks up
# under scanner noise and JPEG.
RULE_GAP_PT = 1.5
# Dark specks smaller than this (square points) are dust and sensor noise, not ink: the
# smallest mark anyone writes (a "." is ~1 pt²; an "x" at 8 pt is ~6 pt²) is larger.
SPECK_MAX_PT2 = 1.5
# A rule broken by the scan (a photocopier drops stretches of a thin line, a stamp's ink
# breaks it up) is mended over gaps up to this long (points): pieces of one line whose
# ends are this close are one rule, and a rule that stops this short of a rule across
# it, with nothing there, is taken to meet it (table rules end on rules). A gap that
# stops on a rule across at both ends is a merged cell and stays open, however short.
RULE_BREAK_PT = 18.0
# Pieces of one rule lie within this distance (points) of one line across their length;
# so do an end and the rule it meets (pdfplumber's own snapping tolerance).
RULE_ALIGN_PT = 1.5
RULE_MEET_PT = 3.0
# A page scanned 1-bit (a photocopier, a fax) has most of its ink pure black even as
# rendered (the renderer's resampling greys only the edges of the strokes); a grey scan,
# however dark its print, has almost none (measured: 1-bit pages 58-75% of the ink
# pixels at 0, grey JPEG pages at most 5%).
BILEVEL_MIN_BLACK = 0.3
# Dust is painted out of the page OCR reads when it is a blot no larger than this (square
# points) ...
DUST_MAX_PT2 = 3.0
# ... roughly round (its box no more than this many times longer than wide: a hyphen or a
# dash, which can stand alone in a cell, is longer) ...
DUST_MAX_ELONGATION = 2.0
# ... and no other ink within this distance (points): the dot of an "i", a full stop or a
# comma sits less than a point from its letters, the next word ~2.5 pt away. Tesseract
# reads lone dust as punctuation or accented capitals ("È", "°") glued to the nearest line,
# and on a 1-bit page the dither of a light cell shading is a field of such dots.
DUST_ISOLATION_PT = 2.0
# The ink of a cell is measured this far (points) inside its border, so that what is left
# of an erased rule is not counted.
INK_MARGIN_PT = 2.0
# Dark fills (a table's header row printed white on a dark colour) are found on the page's
# tone, the scan blurred by this much (points): a photocopier prints a fill as a dither of
# dots, which only averaged over about a point reads as the grey it stands for.
FILL_BLUR_PT = 1.0
# A fill is dark over squares this wide (points): wider than a rule is thick
# (MAX_RULE_THICKNESS_PT), so that no rule and no stroke of a letter is one.
FILL_CORE_PT = 4.0
# ... and at least this long and tall (points): a table row is ~13 pt tall, while a bullet
# "●", a filled "X" or a blot of a stamp's ink is a few points across.
FILL_MIN_PT = 10.0
# Share of its box a fill covers (the rest: the letters printed white on it). A stamp's
# ring or a signature's strokes cover far less of their box.
FILL_MIN_SHARE = 0.7
# A fill with this share of light pixels inside it holds text printed white (reverse
# video), which is turned dark on white for OCR; a solid fill (a month shaded as a mark)
# has almost none and stays ink.
REVERSE_MIN_LIGHT = 0.03
# Reverse-video text is read on the scan blurred by this much (points): enough to merge a
# photocopier's dots into a tone, little enough to keep 9 pt letters apart.
REVERSE_BLUR_PT = 0.4


@dataclass
class ScanImage:
    number: int  # 1-based page of the source PDF
    scale: float  # pixels per point
    skew: float  # degrees the page was turned back by (counter-clockwise positive)
    clean: np.ndarray  # deskewed grayscale page with the rules painted white: what OCR reads
    edges: list[dict]  # rules as pdfplumber-style edges, in points
    ink: np.ndarray  # dark pixels of `clean` (bool), dust removed
    turns: int = 0  # quarter turns counter-clockwise that put a sideways sheet upright
    # `clean` with lone dust painted out too: what OCR reads as running text. The small
    # cells are cut from `clean` itself: their few strokes are read as tiles, where
    # Tesseract was measured to read worse with the specks gone than with them.
    page: np.ndarray | None = None

    @property
    def width(self) -> float:
        return self.clean.shape[1] / self.scale

    @property
    def height(self) -> float:
        return self.clean.shape[0] / self.scale

    def _inner(self, bbox: BBox) -> tuple[int, int, int, int]:
        """Pixel box INK_MARGIN_PT inside `bbox` (points)."""
        m = INK_MARGIN_PT
        x0, top, x1, bottom = (round(v * self.scale) for v in (bbox[0] + m, bbox[1] + m,
                                                               bbox[2] - m, bbox[3] - m))
        return max(x0, 0), max(top, 0), x1, bottom

    def ink_area(self, bbox: BBox) -> float:
        """Dark area (square points) inside `bbox`, INK_MARGIN_PT inside its border.

        An area, not a share of the cell: the same "X" in a one-line cell and in a
        phase row ten lines tall is the same evidence of a mark."""
        x0, top, x1, bottom = self._inner(bbox)
        return float(np.count_nonzero(self.ink[top:bottom, x0:x1])) / self.scale**2

    def ink_box(self, bbox: BBox) -> BBox | None:
        """The box (points) around the ink inside `bbox`, or None when there is none."""
        x0, top, x1, bottom = self._inner(bbox)
        area = self.ink[top:bottom, x0:x1]
        if not area.size or not area.any():
            return None
        rows, cols = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
        s = self.scale
        return ((x0 + cols[0]) / s, (top + rows[0]) / s,
                (x0 + cols[-1] + 1) / s, (top + rows[-1] + 1) / s)


def dark_pixels(gray: np.ndarray) -> np.ndarray:
    """Ink vs paper by Otsu's threshold (a scan's brightness varies from device to device)."""
    return _otsu(gray)[1]


def _otsu(gray: np.ndarray) -> tuple[float, np.ndarray]:
    threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return float(threshold), binary


def rule_pixels(gray: np.ndarray, threshold: float) -> np.ndarray:
    """Pixels dark enough to be part of a rule on a straightened 1-bit scan: darker than
    halfway from the ink threshold to the paper's tone (the page's median: most of a
    page is paper).

    More than Otsu's ink: a rule a pixel thin, straightened from the staircase a skewed
    sheet leaves in a 1-bit scan, is spread over two rows at half its darkness, and at
    Otsu's threshold it would fall apart into pieces shorter than MIN_RULE_PT. (A grey
    scan keeps its rules whole at Otsu's threshold, and there the wider mask would only
    erase more around the rules.)"""
    paper = float(np.median(gray))
    return np.where(gray < (threshold + max(paper, threshold)) / 2, 255, 0).astype(np.uint8)


def is_bilevel(gray: np.ndarray) -> bool:
    """Was this rendered page scanned 1-bit? (see BILEVEL_MIN_BLACK)"""
    ink = gray < 128
    black = np.count_nonzero(gray == 0)
    return bool(ink.any()) and black >= BILEVEL_MIN_BLACK * np.count_nonzero(ink)


def white_paper(gray: np.ndarray, binary: np.ndarray) -> np.ndarray:
    """Paper pixels set to pure white, ink kept in its shades of gray.

    Tesseract binarises each region by itself: on a stretch of nearly blank paper its
    threshold falls inside the scanner noise, and the noise becomes a cloud of specks
    that it reads as letters around a lone "X" or "7".
    """
    return np.where(binary > 0, gray, 255).astype(np.uint8)


def estimate_skew(binary: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's lines horizontal.

    Projection profile: text lines and rules make the row sums of the ink sharpest
    when they are level. Searched on a half-size image, coarse then fine. The page is
    not turned for each angle tried: it is cut into SKEW_STRIPS upright strips whose
    row sums are taken once, and turning by a few degrees moves a strip at x (from the
    middle) by -x·sin(angle) rows, so each angle's profile is the strips' profiles
    shifted and added (seven times cheaper than turning the image 120 times, and within
    0.05° of it on every scan of the tests and the development set).
    """
    small = cv2.resize(binary, (binary.shape[1] // 2, binary.shape[0] // 2),
                       interpolation=cv2.INTER_AREA).astype(np.float32)
    h, w = small.shape
    edges = np.linspace(0, w, SKEW_STRIPS + 1).astype(int)
    profiles = [small[:, a:b].sum(axis=1) for a, b in zip(edges, edges[1:])]
    middles = (edges[:-1] + edges[1:]) / 2 - w / 2
    rows = np.arange(h, dtype=np.float64)

    def sharpness(angle: float) -> float:
        shifts = -middles * np.sin(np.radians(angle))
        level = sum(np.interp(rows, rows + s, p, left=0, right=0)
                    for s, p in zip(shifts, profiles))
        return float(np.square(np.diff(level)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + COARSE_STEP / 2, COARSE_STEP), key=sharpness)
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    return round(float(max(fine, key=sharpness)), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < FINE_STEP:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def _runs(binary: np.ndarray, orientation: str, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Connected straight runs of one orientation: (labels, stats) of the components.

    Opening first keeps only runs at least MIN_RULE_PT long, so letters never merge
    into a run; the closing after it only re-joins pieces of a rule broken by noise.
    """
    length = max(3, round(MIN_RULE_PT * scale))
    gap = max(1, round(RULE_GAP_PT * scale))
    along = (length, 1) if orientation == "h" else (1, length)
    bridge = (gap, 1) if orientation == "h" else (1, gap)
    rect = cv2.MORPH_RECT
    runs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(rect, along))
    runs = cv2.morphologyEx(runs, cv2.MORPH_CLOSE, cv2.getStructuringElement(rect, bridge))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    return labels, stats


def _thin(stats: np.ndarray, orientation: str, scale: float) -> np.ndarray:
    """Components (by label) thin enough to be rules; label 0 is the background.

    Thickness is the mean across the run (area / length), not its box: a blot of a
    stamp's or a pen's ink on the rule, or the step a rule makes where the sheet was not
    quite straight, widens the box of the whole rule but not its mean."""
    length = stats[:, cv2.CC_STAT_WIDTH if orientation == "h" else cv2.CC_STAT_HEIGHT]
    thickness = stats[:, cv2.CC_STAT_AREA] / np.maximum(length, 1)
    keep = thickness <= MAX_RULE_THICKNESS_PT * scale
    keep[0] = False
    return keep


def find_rules(binary: np.ndarray, scale: float,
               fills: list[PixelBox] = ()) -> tuple[list[dict], np.ndarray]:
    """The table rules of a deskewed binary page: pdfplumber edges (points) and their mask.

    A rule counts only where it meets a rule of the other direction: table borders
    cross, while a long letter stroke, an underline or a separator line stands alone
    (and must not be erased from the text, nor could it make a cell).

    `fills` (dark filled boxes, pixels) are cut out before the runs are measured, else a
    rule running into a fill is as thick as the fill and no rule at all; each fill's
    outline is a rule of its own (as a filled rectangle's sides are in a born-digital PDF)
    and the rules that end on it meet it.
    """
    pad = max(1, round(RULE_GAP_PT * scale))
    outlines = np.zeros(binary.shape, np.uint8)
    if fills:
        binary = binary.copy()
        for x0, y0, x1, y1 in fills:
            binary[max(y0 - pad, 0):y1 + pad, max(x0 - pad, 0):x1 + pad] = 0
            cv2.rectangle(outlines, (x0, y0), (x1 - 1, y1 - 1), 1, pad)
    h_labels, h_stats = _runs(binary, "h", scale)
    v_labels, v_stats = _runs(binary, "v", scale)
    h_keep, v_keep = _thin(h_stats, "h", scale), _thin(v_stats, "v", scale)
    touch = np.ones((max(3, round(RULE_GAP_PT * scale)),) * 2, np.uint8)
    h_mask = cv2.dilate(h_keep[h_labels].astype(np.uint8), touch)
    v_mask = cv2.dilate(v_keep[v_labels].astype(np.uint8), touch)
    outlines = cv2.dilate(outlines, touch)
    edges: list[dict] = []
    rules = np.zeros(binary.shape, bool)
    for orientation, labels, stats, keep, other in (("h", h_labels, h_stats, h_keep, v_mask),
                                                    ("v", v_labels, v_stats, v_keep, h_mask)):
        meet = ((other | outlines) & (h_mask if orientation == "h" else v_mask)).astype(bool)
        crossing = np.zeros(len(stats), bool)
        crossing[np.unique(labels[meet])] = True
        keep = keep & crossing
        blotted = stats[:, cv2.CC_STAT_HEIGHT if orientation == "h" else cv2.CC_STAT_WIDTH] \
            > MAX_RULE_THICKNESS_PT * scale  # thin on the mean, not across its box
        rules |= keep[labels] | outlines.astype(bool)
        edges += [_edge(stats[k], orientation, scale,
                        _centre(labels, stats[k], k, orientation) if blotted[k] else None)
                  for k in np.flatnonzero(keep)]
    for x0, y0, x1, y1 in fills:
        for stat, orientation in (((x0, y0, x1 - x0, 1), "h"), ((x0, y1 - 1, x1 - x0, 1), "h"),
                                  ((x0, y0, 1, y1 - y0), "v"), ((x1 - 1, y0, 1, y1 - y0), "v")):
            edges.append(_edge(np.array(stat), orientation, scale))
    return edges, rules


def mended(edges: list[dict]) -> list[dict]:
    """The rules with the breaks a scan leaves in them mended (see RULE_BREAK_PT)."""
    h = [e for e in edges if e["orientation"] == "h"]
    v = [e for e in edges if e["orientation"] == "v"]
    h, v = _joined(h, v, "h"), _joined(v, h, "v")
    return [_extended(e, v, "h") for e in h] + [_extended(e, h, "v") for e in v]


def _span(e: dict, orientation: str) -> tuple[float, float, float]:
    """(position across, start, end along) of an edge of `orientation`."""
    if orientation == "h":
        return e["top"], e["x0"], e["x1"]
    return e["x0"], e["top"], e["bottom"]


def _line(orientation: str, at: float, start: float, end: float) -> dict:
    if orientation == "h":
        x0, x1, top, bottom = start, end, at, at
    else:
        x0, x1, top, bottom = at, at, start, end
    return {"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def _crossings(at: float, across: list[dict], orientation: str) -> list[float]:
    """Positions (along a line at `at` of `orientation`) where rules across it cross it."""
    other = "v" if orientation == "h" else "h"
    return [pos for pos, a0, a1 in (_span(a, other) for a in across)
            if a0 - RULE_MEET_PT <= at <= a1 + RULE_MEET_PT]


def _meets(x: float, crossings: list[float]) -> bool:
    return any(abs(pos - x) <= RULE_MEET_PT for pos in crossings)


def _joined(edges: list[dict], across: list[dict], orientation: str) -> list[dict]:
    """Pieces of one line (within RULE_ALIGN_PT across, RULE_BREAK_PT apart) joined where
    the gap is a break: a gap both of whose ends stop on a rule across is a merged cell
    the rule does not run through, as printed."""
    out: list[list[float]] = []  # at, start, end, length (the weight of `at`)
    for at, start, end in sorted((_span(e, orientation) for e in edges),
                                 key=lambda t: (round(t[0] / RULE_ALIGN_PT), t[1])):
        for piece in reversed(out[-8:]):  # pieces of nearby lines, in the order sorted
            if abs(piece[0] - at) > RULE_ALIGN_PT or start - piece[2] > RULE_BREAK_PT \
                    or end < piece[1] - RULE_BREAK_PT:
                continue
            # the gap between the two, whichever comes first along the line
            gap = (piece[2], start) if start >= piece[2] else (end, piece[1])
            if gap[1] - gap[0] > RULE_MEET_PT:  # a real gap: is it a break?
                crossings = _crossings(at, across, orientation)
                if _meets(gap[0], crossings) and _meets(gap[1], crossings):
                    continue
            weight = piece[3] + (end - start)
            piece[0] = (piece[0] * piece[3] + at * (end - start)) / max(weight, 1e-9)
            piece[1], piece[2], piece[3] = min(piece[1], start), max(piece[2], end), weight
            break
        else:
            out.append([at, start, end, end - start])
    return [_line(orientation, at, start, end) for at, start, end, _ in out]


def _extended(e: dict, across: list[dict], orientation: str) -> dict:
    """`e` with each end that meets no rule across it carried on to the nearest rule
    across it within RULE_BREAK_PT."""
    at, start, end = _span(e, orientation)
    crossing = _crossings(at, across, orientation)
    if not _meets(start, crossing):
        before = [pos for pos in crossing if start - RULE_BREAK_PT <= pos < start]
        start = max(before, default=start)
    if not _meets(end, crossing):
        after = [pos for pos in crossing if end < pos <= end + RULE_BREAK_PT]
        end = min(after, default=end)
    return _line(orientation, at, start, end)


def dark_fills(gray: np.ndarray, threshold: float, scale: float) -> list[PixelBox]:
    """Boxes (pixels) of the dark filled rectangles of a deskewed page: darker than
    `threshold` on the page's tone over squares FILL_CORE_PT wide, at least FILL_MIN_PT
    each way, and covering FILL_MIN_SHARE of their box."""
    tone = cv2.GaussianBlur(gray, (0, 0), FILL_BLUR_PT * scale)
    dark = (tone < threshold).astype(np.uint8)
    core = max(3, round(FILL_CORE_PT * scale))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((core, core), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    least = FILL_MIN_PT * scale
    return [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, area in stats[1:]
            if w >= least and h >= least and area >= FILL_MIN_SHARE * w * h]


def reverse_fills(gray: np.ndarray, fills: list[PixelBox], threshold: float,
                  scale: float) -> np.ndarray:
    """The page with the text printed white on its dark fills turned dark on white.

    Tesseract reads dark letters on light paper; on a dark fill the letters are what is
    light. A fill without light inside (a solid shaded cell) is left dark: it is ink."""
    if not fills:
        return gray
    out = gray.copy()
    soft = cv2.GaussianBlur(gray, (0, 0), REVERSE_BLUR_PT * scale)
    for x0, y0, x1, y1 in fills:
        box = soft[y0:y1, x0:x1]
        # Letters against the fill by the fill's own threshold: the page's lies between
        # paper and ink, and would cut the letters thin where a fill is mid-gray.
        light = box >= min(threshold, _otsu(box)[0])
        if np.count_nonzero(light) >= REVERSE_MIN_LIGHT * box.size:
            # The fill itself becomes paper: a gray band left behind would be read as a
            # dark background again by Tesseract's own binarisation.
            out[y0:y1, x0:x1] = np.where(light, 255 - box, 255)
    return out


def _centre(labels: np.ndarray, stat: np.ndarray, label: int, orientation: str) -> float:
    """Where (pixels, across the run) a rule with a blot on it runs: its fullest row
    (column), half a pixel in; the blot does not move it as it moves the box's centre.
    (A clean rule is placed at its box's centre: its thickness is its box's.)"""
    x, y, w, h = (int(v) for v in stat[:4])
    mine = labels[y:y + h, x:x + w] == label
    if orientation == "h":
        return y + float(np.argmax(mine.sum(axis=1))) + 0.5
    return x + float(np.argmax(mine.sum(axis=0))) + 0.5


def _edge(stat: np.ndarray, orientation: str, scale: float,
          centre: float | None = None) -> dict:
    """A component's box as a pdfplumber edge, at `centre` (pixels across the run;
    default the box's middle)."""
    x, y, w, h = (float(v) for v in stat[:4])
    if orientation == "h":
        x0, x1 = x / scale, (x + w) / scale
        top = bottom = (y + h / 2 if centre is None else centre) / scale
    else:
        x0 = x1 = (x + w / 2 if centre is None else centre) / scale
        top, bottom = y / scale, (y + h) / scale
    return {"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def without_specks(binary: np.ndarray, scale: float) -> np.ndarray:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > SPECK_MAX_PT2 * scale * scale
    keep[0] = False  # the background label
    return keep[labels]


def without_dust(gray: np.ndarray, binary: np.ndarray, scale: float) -> np.ndarray:
    """The page with the lone specks of dust (see DUST_MAX_PT2) painted white."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    small = ((stats[:, cv2.CC_STAT_AREA] <= DUST_MAX_PT2 * scale * scale)
             & (np.maximum(w, h) <= DUST_MAX_ELONGATION * np.maximum(np.minimum(w, h), 1)))
    small[0] = False
    if not small.any():
        return gray
    # Ink within DUST_ISOLATION_PT of each other merges when every blot grows by half of
    # it: a speck is lone when its grown blot holds no other (the two halves of a '“'
    # keep each other, as a full stop keeps its letter).
    reach = max(1, round(DUST_ISOLATION_PT * scale))
    grown = cv2.dilate((labels > 0).astype(np.uint8), np.ones((reach, reach), np.uint8))
    _, groups = cv2.connectedComponents(grown, connectivity=8)
    first = np.zeros(count, np.int64)  # each component's group, from one of its pixels
    ys, xs = stats[1:, cv2.CC_STAT_TOP], stats[1:, cv2.CC_STAT_LEFT]
    # the box's first row holds a pixel of the component; take the leftmost of them
    for k, (y, x) in enumerate(zip(ys, xs), start=1):
        row = labels[y, x:x + w[k]] == k
        first[k] = groups[y, x + int(np.argmax(row))]
    sizes = np.bincount(first[1:], minlength=groups.max() + 1)
    dust = small & (sizes[first] == 1)
    out = gray.copy()
    out[dust[labels]] = 255
    return out


def scan_image(gray: np.ndarray, number: int, scale: float) -> ScanImage:
    """A rendered scanned page (grayscale, `scale` pixels per point) made ready for OCR."""
    bilevel = is_bilevel(gray)
    binary = dark_pixels(gray)
    turns = upright_turns(gray, binary, scale)
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, turns))
        binary = np.ascontiguousarray(np.rot90(binary, turns))
    skew = estimate_skew(binary)
    straight = rotate(gray, skew)
    threshold, _ = _otsu(straight)
    fills = dark_fills(straight, threshold, scale)
    straight = reverse_fills(straight, fills, threshold, scale)
    binary = dark_pixels(straight)
    edges, rules = find_rules(rule_pixels(straight, threshold) if bilevel else binary, scale,
                              fills)
    edges = mended(edges)
    # Paint the rules white with a pixel of halo (anti-aliasing, JPEG ringing).
    rules = cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    clean = white_paper(straight, binary)
    clean[rules] = 255
    page = without_dust(clean, np.where(rules, 0, binary).astype(np.uint8), scale)
    ink = without_specks(np.where(rules, 0, binary).astype(np.uint8), scale)
    return ScanImage(number, scale, skew, clean, edges, ink, turns, page)
