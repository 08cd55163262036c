"""A scanned page as an image: straightened, its table rules found and erased, its ink measured.

A scan has no vector rules and no text layer. What the PDF reader's table
finder needs (extract/pdf_grid.py) are ruling edges in points; here they come
from the pixels: the page is rendered, turned back by the skew a crooked sheet
gets on the scanner glass, and the long straight runs of dark pixels are the
rules (OpenCV morphology: an opening with a long thin kernel keeps only what
is at least that long in that direction). The rules are then painted white
before OCR: tesseract reads a rule next to a mark as "|", "[" or "I" and glues
the marks of a month row into one word, which would put them in no cell at all.

Coordinates: the deskewed image, in points (pixels / `scale`), origin top-left.
That frame differs from the scanned page's by the skew angle (recorded per page),
by at most a few points at the page corners for the fraction of a degree of a
hand-fed sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.ir import BBox

# Skew search: sheets on a flatbed or in a feeder sit within a few degrees.
MAX_SKEW = 5.0
COARSE_STEP, FINE_STEP = 0.1, 0.01
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
# The ink of a cell is measured this far (points) inside its border, so that what is left
# of an erased rule is not counted.
INK_MARGIN_PT = 2.0


@dataclass
class ScanImage:
    number: int  # 1-based page of the source PDF
    scale: float  # pixels per point
    skew: float  # degrees the page was turned back by (counter-clockwise positive)
    clean: np.ndarray  # deskewed grayscale page with the rules painted white: what OCR reads
    edges: list[dict]  # rules as pdfplumber-style edges, in points
    ink: np.ndarray  # dark pixels of `clean` (bool), dust removed

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
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


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
    when they are level. Searched on a half-size image, coarse then fine.
    """
    small = cv2.resize(binary, (binary.shape[1] // 2, binary.shape[0] // 2),
                       interpolation=cv2.INTER_AREA).astype(np.float32)
    h, w = small.shape

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(small, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
        return float(np.square(np.diff(turned.sum(axis=1))).sum())

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
    """Components (by label) thin enough to be rules; label 0 is the background."""
    thickness = stats[:, cv2.CC_STAT_HEIGHT if orientation == "h" else cv2.CC_STAT_WIDTH]
    keep = thickness <= MAX_RULE_THICKNESS_PT * scale
    keep[0] = False
    return keep


def find_rules(binary: np.ndarray, scale: float) -> tuple[list[dict], np.ndarray]:
    """The table rules of a deskewed binary page: pdfplumber edges (points) and their mask.

    A rule counts only where it meets a rule of the other direction: table borders
    cross, while a long letter stroke, an underline or a separator line stands alone
    (and must not be erased from the text, nor could it make a cell).
    """
    h_labels, h_stats = _runs(binary, "h", scale)
    v_labels, v_stats = _runs(binary, "v", scale)
    h_keep, v_keep = _thin(h_stats, "h", scale), _thin(v_stats, "v", scale)
    touch = np.ones((max(3, round(RULE_GAP_PT * scale)),) * 2, np.uint8)
    h_mask = cv2.dilate(h_keep[h_labels].astype(np.uint8), touch)
    v_mask = cv2.dilate(v_keep[v_labels].astype(np.uint8), touch)
    meet = (h_mask & v_mask).astype(bool)
    edges: list[dict] = []
    rules = np.zeros(binary.shape, bool)
    for orientation, labels, stats, keep in (("h", h_labels, h_stats, h_keep),
                                             ("v", v_labels, v_stats, v_keep)):
        crossing = np.zeros(len(stats), bool)
        crossing[np.unique(labels[meet])] = True
        keep = keep & crossing
        rules |= keep[labels]
        edges += [_edge(s, orientation, scale) for s in stats[keep]]
    return edges, rules


def _edge(stat: np.ndarray, orientation: str, scale: float) -> dict:
    """A component's box as a pdfplumber edge, centred on the rule's thickness."""
    x, y, w, h = (float(v) for v in stat[:4])
    if orientation == "h":
        x0, x1 = x / scale, (x + w) / scale
        top = bottom = (y + h / 2) / scale
    else:
        x0 = x1 = (x + w / 2) / scale
        top, bottom = y / scale, (y + h) / scale
    return {"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def without_specks(binary: np.ndarray, scale: float) -> np.ndarray:
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > SPECK_MAX_PT2 * scale * scale
    keep[0] = False  # the background label
    return keep[labels]


def scan_image(gray: np.ndarray, number: int, scale: float) -> ScanImage:
    """A rendered scanned page (grayscale, `scale` pixels per point) made ready for OCR."""
    skew = estimate_skew(dark_pixels(gray))
    straight = rotate(gray, skew)
    binary = dark_pixels(straight)
    edges, rules = find_rules(binary, scale)
    # Paint the rules white with a pixel of halo (anti-aliasing, JPEG ringing).
    rules = cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    clean = white_paper(straight, binary)
    clean[rules] = 255
    ink = without_specks(np.where(rules, 0, binary).astype(np.uint8), scale)
    return ScanImage(number, scale, skew, clean, edges, ink)
