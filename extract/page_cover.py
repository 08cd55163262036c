"""What covers a PDF page — images, visible text, invisible text — and so how to read it.

A page is a scan when images cover most of it while its visible text covers little of it:
a records system's protocol stamp printed down the margin, a notice board's "copia
conforme" line, a page number. Whether the page has *some* text says nothing; the share of
the page each kind of object covers does. How each page is read:

- `text`: the text layer (born-digital pages, with or without a logo, a letterhead band
  or a background picture: their text covers a real share of the page);
- `ocr`: the images by OCR, the few text-layer lines kept as text blocks of their own;
- `ocr_layer`: a scan that already carries an invisible text layer (render mode 3, as
  OCRmyPDF or a scanner's software writes it) is read from that layer, no OCR run.

The shares are measured with PDFium on the page's objects (image placements and text
objects' boxes, through nested forms), the same for either PDF backend, so both read a
page the same way. Only pages with images and text are measured; the walk stops as soon
as the visible text alone makes the page a text page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extract.pdf_pdfium import _IDENTITY, _apply, _Matrix, _mul

TEXT, OCR, OCR_LAYER = "text", "ocr", "ocr_layer"

# Images covering at least this share of the page "cover most of it": a scanned page is
# one image over all of it (or strips adding up to it); a letterhead band or a logo
# covers a tenth.
SCAN_MIN_IMAGE_COVER = 0.5
# Visible text covering at most this share of the page is "a line or two": a protocol
# stamp down the margin covers ~1% of an A4 page, a horizontal stamp line ~1.5%, while
# a typed page covers 15-30% and even a short born-digital page (a heading and a
# paragraph) over 3%.
SCAN_MAX_TEXT_COVER = 0.03
# Invisible text covering at least this share of a scanned page is an OCR text layer
# (a couple of lines; a typed page's layer covers 10-30%), not a stray hidden label.
OCR_LAYER_MIN_COVER = 0.005
# Image union measured on a grid of this many cells a side: exact enough for a share.
_GRID = 200
# PDFium's text render modes that paint nothing: 3 invisible, 7 clip only.
_INVISIBLE_MODES = (3, 7)


@dataclass(frozen=True)
class PageCover:
    """Shares (0…1) of the page under images, under visible text, under invisible text."""

    image: float
    text: float
    hidden_text: float

    def describe(self) -> str:
        return (f"images cover {self.image:.0%} of the page, visible text "
                f"{self.text:.1%}, invisible text {self.hidden_text:.1%}")


def read_mode(cover: PageCover) -> str:
    """How a page with images and text is read, from what covers it."""
    if cover.image < SCAN_MIN_IMAGE_COVER or cover.text > SCAN_MAX_TEXT_COVER:
        return TEXT
    return OCR_LAYER if cover.hidden_text >= OCR_LAYER_MIN_COVER else OCR


class CoverProbe:
    """The document opened once by PDFium; `cover(n)` measures page n (1-based)."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self.raw = raw
        try:
            self.pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            self.pdf = None  # damaged beyond PDFium: pages fall back to the no-text rule

    def cover(self, number: int) -> PageCover | None:
        """What covers the page, or None when PDFium cannot tell (a damaged page)."""
        if self.pdf is None or not 0 < number <= len(self.pdf):
            return None
        try:
            page = self.pdf[number - 1]
        except Exception:  # noqa: BLE001 - the backend read this page its own way
            return None
        try:
            return _Walk(self.raw, page).cover()
        finally:
            page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


class _Walk:
    """One page's objects, walked through forms with their matrices."""

    def __init__(self, raw, page) -> None:
        self.raw = raw
        left, bottom, right, top = page.get_mediabox()
        self.box = (left, bottom, right, top)
        self.area = max((right - left) * (top - bottom), 1e-9)
        self.images = np.zeros((_GRID, _GRID), dtype=bool)
        self.text = self.hidden = 0.0
        self.page = page

    def cover(self) -> PageCover:
        raw = self.raw
        stack = [(raw.FPDFPage_GetObject(self.page.raw, i), _IDENTITY)
                 for i in range(raw.FPDFPage_CountObjects(self.page.raw))]
        while stack and self.text / self.area <= SCAN_MAX_TEXT_COVER:
            obj, parent = stack.pop()
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                inner = _mul(self._matrix(obj), parent)
                stack += [(raw.FPDFFormObj_GetObject(obj, i), inner)
                          for i in range(raw.FPDFFormObj_CountObjects(obj))]
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                # An image is the unit square through its matrix (and its forms').
                self._paint(_mul(self._matrix(obj), parent), (0.0, 0.0, 1.0, 1.0))
            elif kind == raw.FPDF_PAGEOBJ_TEXT:
                self._text(obj, parent)
        return PageCover(  # unrounded: a share just past a threshold is past it
            image=float(self.images.mean()),
            text=min(1.0, self.text / self.area),
            hidden_text=min(1.0, self.hidden / self.area),
        )

    def _matrix(self, obj) -> _Matrix:
        m = self.raw.FS_MATRIX()
        if not self.raw.FPDFPageObj_GetMatrix(obj, m):
            return _IDENTITY
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _bounds(self, obj) -> tuple[float, float, float, float] | None:
        import ctypes

        l, b, r, t = (ctypes.c_float() for _ in range(4))
        if not self.raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
            return None
        return l.value, b.value, r.value, t.value

    def _text(self, obj, parent: _Matrix) -> None:
        """Add the text object's box (in its form's space: through `parent`) to the
        visible or the invisible share."""
        bounds = self._bounds(obj)
        if bounds is None:
            return
        x0, y0, x1, y1 = _extent(parent, bounds)
        area = (x1 - x0) * (y1 - y0)
        if self.raw.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE_MODES:
            self.hidden += area
        else:
            self.text += area

    def _paint(self, matrix: _Matrix, square: tuple[float, float, float, float]) -> None:
        """Mark the grid cells under the box `square` placed by `matrix`."""
        left, bottom, right, top = self.box
        x0, y0, x1, y1 = _extent(matrix, square)
        w, h = right - left, top - bottom
        if w <= 0 or h <= 0:
            return
        c0, c1 = (int(np.clip(round((v - left) / w * _GRID), 0, _GRID)) for v in (x0, x1))
        r0, r1 = (int(np.clip(round((v - bottom) / h * _GRID), 0, _GRID)) for v in (y0, y1))
        self.images[r0:r1, c0:c1] = True


def _extent(matrix: _Matrix, box: tuple[float, float, float, float]
            ) -> tuple[float, float, float, float]:
    """The axis-aligned extent of `box` (x0, y0, x1, y1) through `matrix`."""
    x0, y0, x1, y1 = box
    pts = [_apply(matrix, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)
