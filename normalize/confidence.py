"""How sure OCR was of each record: the lowest word confidence inside the record's box.

A value read from a scan can be wrong in one letter ("li settore" for "Il settore", a
weight 35 read as 36) with nothing in the text to say so. Tesseract's own confidence in
each word is kept on the IR (`Cell.confidence`, `TextBlock.confidence`, extract/ocr.py);
here every record that has a box on an OCR-read page gets the lowest confidence of the
cells and text blocks inside that box (`ocr_confidence`, 0…100). Sorting a table by it
puts first the rows an analyst should check against the page. Records from a text layer,
and records with no box, keep None: nothing was guessed there.
"""

from __future__ import annotations

from collections.abc import Iterator

from extract.ir import BBox, Document, Table
from normalize.records import Plan

# A part of the page counts as inside a record's box when its centre is this close to
# it (points): a cell's box and its row's box differ by the width of a rule.
TOLERANCE = 1.0


def attach_ocr_confidence(plan: Plan, doc: Document) -> None:
    ocr_pages = {p.number for p in doc.pages if p.read_mode == "ocr"}
    if not ocr_pages:
        return
    parts: dict[int, list[tuple[BBox, float]]] = {}
    for page, box, confidence in _read_parts(doc):
        if page in ocr_pages:
            parts.setdefault(page, []).append((box, confidence))
    records = [*plan.objectives, *plan.phases, *plan.schedule, *plan.weights, *plan.staff,
               *plan.outputs]
    for rec in records:
        page = getattr(rec, "page", None) or getattr(rec, "page_first", None)
        if page in parts and rec.bbox is not None:
            inside = [c for box, c in parts[page] if _centre_in(box, rec.bbox)]
            rec.ocr_confidence = min(inside) if inside else None


def _read_parts(doc: Document) -> Iterator[tuple[int, BBox, float]]:
    """(page, box, confidence) of every cell and text block OCR read."""
    for e in doc.elements:
        cells = e.cells if isinstance(e, Table) else [e]
        for c in cells:
            page = c.page or e.page
            if c.confidence is not None and c.bbox is not None and page is not None:
                yield page, c.bbox, c.confidence


def _centre_in(part: BBox, box: BBox) -> bool:
    x, y = (part[0] + part[2]) / 2, (part[1] + part[3]) / 2
    return (box[0] - TOLERANCE <= x <= box[2] + TOLERANCE
            and box[1] - TOLERANCE <= y <= box[3] + TOLERANCE)
