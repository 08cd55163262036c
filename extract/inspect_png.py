"""What `piao inspect FILE --page N --png OUT.png` draws: the page with what piao found on it.

The page is rendered (pypdfium2) and the IR's geometry is drawn over it, the way
pdfplumber's `page.to_image()` debugging does: a user whose layout reads wrong sees at
once whether a table was missed, a column boundary is off, a merged cell was split or a
month mark landed in the wrong column. Boxes are IR bboxes (PDF points, top-left origin);
on scanned pages they are on the straightened page, so a skewed scan shows them slightly
off its printed lines (the skew is in `meta ocr_skew`).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from extract.ir import BBox, Cell, Document, Table, TextBlock

SCALE = 2.0  # pixels per PDF point: small print stays legible
# Overlay colours (RGB), chosen to occur in no ordinary page: tests look for them.
TABLE = (0, 90, 255)  # a table's outline
CELL = (0, 170, 0)  # a cell
SPAN = (255, 140, 0)  # a cell spanning rows or columns
MARK = (230, 0, 40)  # a month mark: shaded cell, "X"-like text, or ink on a scan
TEXT = (170, 0, 170)  # a text block outside tables
MARK_ALPHA = 90  # the mark fill lets the cell's content show through
# Ink (square points) in an empty scanned cell drawn as a mark: the normaliser's threshold
# (normalize/schedule.py INK_MARK_MIN), repeated because extract may not import normalize.
INK_MARK = 5.0
MARK_TEXTS = {"X", "x", "*", "●", "•", "■", "✓"}


def _is_mark(cell: Cell) -> bool:
    text = cell.text.strip()
    return (cell.filled and not text) or text in MARK_TEXTS \
        or ((cell.ink or 0) >= INK_MARK and not text)


def _px(box: BBox, scale: float) -> tuple[float, float, float, float]:
    return (box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale)


def render_page(source: Path, number: int, scale: float = SCALE) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    try:
        if not 1 <= number <= len(pdf):
            raise ValueError(f"page {number} does not exist: the file has {len(pdf)} pages")
        return pdf[number - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def draw_overlay(image: Image.Image, doc: Document, number: int, scale: float = SCALE) -> dict:
    """Draw page `number`'s elements onto `image`; returns how many of each were drawn."""
    counts = {"tables": 0, "cells": 0, "spans": 0, "marks": 0, "texts": 0}
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    fill = ImageDraw.Draw(layer)
    pen = ImageDraw.Draw(image)
    for el in doc.elements:
        if isinstance(el, TextBlock) and el.page == number and el.bbox:
            pen.rectangle(_px(el.bbox, scale), outline=TEXT, width=1)
            counts["texts"] += 1
        elif isinstance(el, Table) and number in el.pages:
            _draw_table(el, number, scale, pen, fill, counts)
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))
    return counts


def _draw_table(table: Table, number: int, scale: float, pen: ImageDraw.ImageDraw,
                fill: ImageDraw.ImageDraw, counts: dict) -> None:
    cells = [c for c in table.cells if c.bbox and (c.page == number or c.page is None)]
    for c in cells:
        assert c.bbox is not None
        box = _px(c.bbox, scale)
        if _is_mark(c):
            fill.rectangle(box, fill=(*MARK, MARK_ALPHA))
            counts["marks"] += 1
        spans = c.rowspan > 1 or c.colspan > 1
        pen.rectangle(box, outline=SPAN if spans else CELL, width=2 if spans else 1)
        counts["spans" if spans else "cells"] += 1
    # the outline of the part on this page (a joined table's bbox is its first page's)
    if cells:
        boxes = [c.bbox for c in cells if c.bbox]
        outline = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes))
        pen.rectangle(_px(outline, scale), outline=TABLE, width=3)
        counts["tables"] += 1


def write_page_png(source: Path, doc: Document, number: int, out: Path,
                   scale: float = SCALE) -> dict:
    """Render page `number` of the PDF `source` with `doc`'s elements drawn over it."""
    image = render_page(source, number, scale)
    counts = draw_overlay(image, doc, number, scale)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, format="PNG")
    return counts
