"""One page's objects → its elements in reading order: ruled tables, else borderless ones,
and the running text around them.

Shared by the text path (extract/pdf.py) and the OCR path (extract/ocr.py, whose scans
become the same page objects), so neither imports the other.
"""

from __future__ import annotations

from extract.ir import BBox, Element, Table
from extract.join import in_side_margin
from extract.pdf_backend import Char, PageObjects
from extract.pdf_borderless import borderless_tables
from extract.pdf_fonts import is_upright
from extract.pdf_grid import page_tables
from extract.pdf_text import text_blocks
from extract.settings import ColumnVocabulary


def read_page(objects: PageObjects, vocab: ColumnVocabulary) -> list[Element]:
    """The page's elements in reading order; `vocab` is the caller's knowledge of the
    tables' columns (a month header in a borderless table)."""
    box = (0.0, 0.0, objects.width or 0.0, objects.height or 0.0)
    tables, loose = page_tables(objects.edges, objects.chars, objects.fills, objects.number, box)
    tables, loose = _framed_lines_as_text(tables, loose, objects.chars, box)
    if not tables:  # no ruled table: text laid out in columns may be a borderless one
        tables, loose = borderless_tables(loose, objects.number, vocab, objects.height)
    elements: list[Element] = [*tables, *text_blocks(loose, objects.number)]
    elements.sort(key=lambda e: (e.bbox[1], e.bbox[0]) if e.bbox else (0.0, 0.0))
    return elements


def _framed_lines_as_text(tables: list[Table], loose: list[Char], chars: list[Char],
                          page_box: BBox) -> tuple[list[Table], list[Char]]:
    """A one-cell ruled box around a single line of text, in a side margin or turned
    (a protocol stamp in its frame), is that line of running text, not a table."""
    kept = []
    for table in tables:
        if not (table.n_rows == table.n_cols == 1 and table.bbox):
            kept.append(table)
            continue
        inside = _chars_in(chars, table.bbox)
        blocks = text_blocks(inside, 0)
        single = len(blocks) == 1 and "\n" not in blocks[0].text
        if single and (in_side_margin(table.bbox, page_box[2])
                       or not all(map(is_upright, inside))):
            loose = loose + inside
        else:
            kept.append(table)
    return kept, loose


def _chars_in(chars: list[Char], bbox: BBox) -> list[Char]:
    def centre_in(c: Char) -> bool:
        x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]

    return [c for c in chars if centre_in(c)]
