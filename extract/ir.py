"""The layout IR: what every reader produces and the normaliser consumes.

The IR knows pages, text and tables, nothing about PIAO. A document is a flat
list of elements in reading order (text blocks and tables); every element and
every cell carries the page it was read from and, where the source has
geometry, its bounding box in PDF points (x0, top, x1, bottom; origin top-left,
the pdfplumber convention). Markdown input has no pages: its elements carry
the source line instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Union

BBox = tuple[float, float, float, float]


class ReaderError(Exception):
    """A document that cannot be read, with a message a user can act on.

    `kind` is a stable machine-readable code (e.g. "encrypted", "not_pdf",
    "truncated", "doc_binary", "empty", "scanned_no_ocr", "corrupt").
    """

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple:
        # Exceptions unpickle as cls(*self.args) = cls(message), which fails for our
        # two-argument __init__: keep both so the error survives a worker process.
        return (type(self), (self.kind, self.message))


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox | None = None
    page: int | None = None
    line: int | None = None
    filled: bool = False
    fill_color: str | None = None  # "#rrggbb" where known
    bold: bool = False  # every visible character of the cell is bold
    # Scanned pages only: dark area inside the cell's border (square points, dust
    # removed), the evidence of a mark OCR did not read. None where there was a text layer.
    ink: float | None = None
    # Scanned pages only: the lowest Tesseract confidence (0…100) of the words read in it
    # (a cell read again: that reading's). None where there was a text layer.
    confidence: float | None = None

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass
class Table:
    cells: list[Cell]
    n_rows: int
    n_cols: int
    pages: list[int | None] = field(default_factory=list)
    bbox: BBox | None = None  # on the first page
    line: int | None = None
    col_edges: list[float] | None = None  # x positions of column boundaries (PDF)
    ruled: bool = True  # False when columns were inferred from whitespace

    kind = "table"

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None

    def grid(self) -> list[list[Cell | None]]:
        """Rows × columns; a spanning cell appears at every position it covers."""
        g: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    g[r][k] = c
        return g

    def rows(self) -> list[list[Cell]]:
        """Origin cells of each row, left to right (spanned positions not repeated)."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out

    def text_grid(self) -> list[list[str]]:
        """Cell texts at origin positions, "" elsewhere (what DOCX/PDF parity compares)."""
        g = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            g[c.row][c.col] = c.text
        return g


@dataclass
class TextBlock:
    text: str
    page: int | None = None
    bbox: BBox | None = None
    bold: bool = False
    size: float | None = None
    heading: int = 0  # 0 = body text, 1.. = heading level where the source says so
    line: int | None = None
    confidence: float | None = None  # as Cell.confidence

    kind = "text"


Element = Union[TextBlock, Table]


@dataclass
class PageInfo:
    number: int  # 1-based
    width: float | None = None
    height: float | None = None
    rotation: int = 0
    has_text: bool = True
    error: str | None = None  # the page could not be read; the rest of the document was
    # How its text was read: "text" (the text layer), "ocr" (the scan by OCR, its few
    # text-layer lines kept apart) or "ocr_layer" (a scan's own invisible OCR text layer)
    read_mode: str = "text"


@dataclass
class Document:
    source: str
    format: str  # "pdf", "docx", "md"
    elements: list[Element] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)
    meta: dict = field(default_factory=dict)  # e.g. signer subject, OCR confidence
    warnings: list[str] = field(default_factory=list)

    def tables(self) -> Iterator[Table]:
        return (e for e in self.elements if isinstance(e, Table))

    def texts(self) -> Iterator[TextBlock]:
        return (e for e in self.elements if isinstance(e, TextBlock))

    @property
    def failed_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.error]
