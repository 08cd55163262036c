"""The IR flattened into one stream of rows, the unit the PIAO parser reads.

A card reaches us as one Word table, as several tables cut by page breaks, or as
tables interleaved with paragraphs (converters turn some rows into paragraphs).
Reading rows instead of tables makes all of those look alike: a table row is its
origin cells left to right; a paragraph line is a row of one cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

from extract.ir import BBox, Cell, Document, Table, TextBlock
from extract.join import MARGIN_SHARE
from normalize.text import fold


@dataclass
class Row:
    cells: list[Cell]  # origin cells, left to right
    table: Table | None = None  # None for a paragraph line
    heading: int = 0  # heading level of a paragraph line
    first_of_table: bool = False

    @property
    def is_text(self) -> bool:
        return self.table is None

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if not c.empty]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.filled)

    @property
    def page(self) -> int | None:
        return next((c.page for c in self.cells if c.page is not None), None)

    @property
    def line(self) -> int | None:
        return next((c.line for c in self.cells if c.line is not None), None)

    @property
    def bbox(self) -> BBox | None:
        boxes = [c.bbox for c in self.cells if c.bbox]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


# a year printed on the line after its label ("SECONDO ANNO DI PROGRAMMAZIONE\n2024")
_YEAR_ON_NEXT_LINE = re.compile(r"(PROGRAMMAZIONE|CRONOPROGRAMMA)\s*\n\s*(\d{4})", re.I)
_WRAPPED_AT_HYPHEN = re.compile(r"(?<=\w-)[ \t]*\n\s*")
_SEPARATOR_ROW = re.compile(r"^[\s\-:|]+$")


def _text_rows(block: TextBlock) -> Iterator[Row]:
    text = _YEAR_ON_NEXT_LINE.sub(r"\1 \2", block.text)
    text = _WRAPPED_AT_HYPHEN.sub("", text)  # "TRIENNIO 2023-⏎2025" is one line
    for line in text.split("\n"):
        if line.strip():
            cell = Cell(
                0,
                0,
                line.strip(),
                bbox=block.bbox,
                page=block.page,
                line=block.line,
                bold=block.bold,
            )
            yield Row([cell], heading=block.heading)


def _table_rows(table: Table) -> Iterator[Row]:
    for k, cells in enumerate(table.rows()):
        if not cells or all(c.empty for c in cells):
            continue
        if all(_SEPARATOR_ROW.match(c.text) or c.empty for c in cells):
            continue  # a Markdown "---|---" separator line
        # a cell's line wrapped at a compound's hyphen ("sotto-⏎sezioni", "on-⏎line") is
        # one word, as the same cell reads in the DOCX the PDF was made from
        cells = [replace(c, text=_WRAPPED_AT_HYPHEN.sub("", c.text)) if "-\n" in c.text else c
                 for c in cells]
        yield Row(cells, table=table, first_of_table=(k == 0))


def iter_rows(doc: Document) -> Iterator[Row]:
    for el in doc.elements:
        if isinstance(el, Table):
            yield from _table_rows(el)
        else:
            yield from _text_rows(el)


_DIGITS = re.compile(r"\d+")
# Running headers and footers are printed in the page's top and bottom margins
# (extract/join.py's MARGIN_SHARE of the page height): a line whose block starts below it
# and ends above the mirror share is body text however often it repeats (a card title
# "OBIETTIVO N. 01.02" on every page).


def _in_margin(row: Row, heights: dict[int, float]) -> bool:
    height = heights.get(row.page) if row.page is not None else None
    box = row.bbox
    if not height or box is None:
        return True  # no geometry (DOCX, Markdown): repetition alone decides
    return box[1] <= MARGIN_SHARE * height or box[3] >= (1 - MARGIN_SHARE) * height


def running_lines(rows: list[Row], heights: dict[int, float] | None = None) -> set[str]:
    """Folded paragraph lines printed on most pages in their margins (running headers and
    footers): page furniture, not content. A document without pages has none.
    `heights`: page number → height, where the reader knows it.

    A line counts when its text is the same on those pages, or when what changes is the
    page number: a number in it that runs with the page, give or take a constant offset
    (unnumbered cover pages). A card title repeated on every page ("OBIETTIVO N. 01.02")
    changes its number by card, not by page: it is content."""
    seen: dict[str, list[tuple[int, str]]] = {}  # shape → (page, folded line)
    pages: set[int] = set()
    for r in rows:
        if r.page is not None:
            pages.add(r.page)
        if not r.is_text or r.page is None or not _in_margin(r, heights or {}):
            continue
        line = fold(r.cells[0].text)
        shape = _DIGITS.sub("#", line)
        if len(shape) < 8:
            continue  # a bare page number is handled where it is met
        seen.setdefault(shape, []).append((r.page, line))
    if len(pages) < 3:
        return set()
    need = max(3, len(pages) // 2)
    out: set[str] = set()
    for hits in seen.values():
        if len({page for page, _ in hits}) < need:
            continue
        lines = {line for _, line in hits}
        if len(lines) == 1 or _pages_with_offset(hits) >= need:
            out |= lines
    return out


def _pages_with_offset(hits: list[tuple[int, str]]) -> int:
    """How many pages print a number that is their page number plus one same offset."""
    by_offset: dict[int, set[int]] = {}
    for page, line in hits:
        for n in _DIGITS.findall(line):
            by_offset.setdefault(int(n) - page, set()).add(page)
    return max((len(ps) for ps in by_offset.values()), default=0)
