"""One page's objects → its elements in reading order: ruled tables, else borderless ones,
and the running text around them.

Shared by the text path (extract/pdf.py) and the OCR path (extract/ocr.py, whose scans
become the same page objects), so neither imports the other.
"""

from __future__ import annotations

from extract.ir import Element
from extract.pdf_backend import PageObjects
from extract.pdf_borderless import borderless_tables
from extract.pdf_grid import page_tables
from extract.pdf_text import text_blocks
from extract.settings import ColumnVocabulary


def read_page(objects: PageObjects, vocab: ColumnVocabulary) -> list[Element]:
    """The page's elements in reading order; `vocab` is the caller's knowledge of the
    tables' columns (a month header in a borderless table)."""
    box = (0.0, 0.0, objects.width or 0.0, objects.height or 0.0)
    tables, loose = page_tables(objects.edges, objects.chars, objects.fills, objects.number, box)
    if not tables:  # no ruled table: text laid out in columns may be a borderless one
        tables, loose = borderless_tables(loose, objects.number, vocab)
    elements: list[Element] = [*tables, *text_blocks(loose, objects.number)]
    elements.sort(key=lambda e: (e.bbox[1], e.bbox[0]) if e.bbox else (0.0, 0.0))
    return elements
