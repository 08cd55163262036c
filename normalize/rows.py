"""The IR flattened into one stream of rows, the unit the PIAO parser reads.

A card reaches us as one Word table, as several tables cut by page breaks, or as
tables interleaved with paragraphs (converters turn some rows into paragraphs).
Reading rows instead of tables makes all of those look alike: a table row is its
origin cells left to right; a paragraph line is a row of one cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from extract.ir import BBox, Cell, Document, Table, TextBlock
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
        yield Row(cells, table=table, first_of_table=(k == 0))


def iter_rows(doc: Document) -> Iterator[Row]:
    for el in doc.elements:
        if isinstance(el, Table):
            yield from _table_rows(el)
        else:
            yield from _text_rows(el)


_DIGITS = re.compile(r"\d+")


def running_lines(rows: list[Row]) -> set[str]:
    """Folded paragraph lines printed on most pages (running headers and footers, with their
    page numbers): page furniture, not content. A document without pages has none."""
    pages_of: dict[str, set[int]] = {}
    lines_of: dict[str, set[str]] = {}
    pages: set[int] = set()
    for r in rows:
        if r.page is not None:
            pages.add(r.page)
        if not r.is_text or r.page is None:
            continue
        line = fold(r.cells[0].text)
        shape = _DIGITS.sub("#", line)
        if len(shape) < 8:
            continue  # a bare page number is handled where it is met
        pages_of.setdefault(shape, set()).add(r.page)
        lines_of.setdefault(shape, set()).add(line)
    if len(pages) < 3:
        return set()
    need = max(3, len(pages) // 2)
    return {line for shape, ps in pages_of.items() if len(ps) >= need for line in lines_of[shape]}
