"""Tables continued across a page break, joined back into one IR Table.

Word splits a long table at the page end and, with "repeat header row", draws
the header again on the next page. A reader sees two tables; the document has
one. A table at the top of page n+1 continues the table at the bottom of page
n when nothing but running headers/footers lies between them and their column
boundaries agree: one set of edges contains the other (within a tolerance),
because a continuation often lacks the extra splits of the card's first rows.
Two separate tables of the same template look just like that; the empty
paragraph Word puts between them gives them away (see TextArea).

Works on IR Tables and PageInfo only (no PDF objects), so any reader with page
geometry can reuse it. Cells keep their own page and bbox; the joined table
lists every page it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.ir import BBox, Document, Element, Table, TextBlock

# Column edges of a table and of its continuation on the next page are the same within
# this (points): looser than pdf_grid's rule clustering, the page may sit elsewhere.
CONTINUATION_EDGE_TOLERANCE = 3.0
# Running headers/footers live in this share of the page height at the top/bottom.
MARGIN_SHARE = 0.12
# The left and right margins: this share of the page width on either side. Body text
# starts 2 cm (57 pt) or more in from an A4 page's edge; a records system's stamp runs
# up the outer 1-1.5 cm.
SIDE_MARGIN_SHARE = 0.08
# A table "at the bottom" reaches below this share of its page; "at the top" starts above 1 - it.
BOTTOM_SHARE = 0.70
MAX_HEADER_ROWS = 3
# Layout slack (points) when comparing with the text area (see TextArea): less than
# the line an empty paragraph takes.
FIT_TOLERANCE = 5.0
# Pages of one layout needed before its text area is trusted.
MIN_PAGES_FOR_LAYOUT = 3


def _covers(big: list[float], small: list[float], tol: float) -> bool:
    return all(any(abs(s - b) <= tol for b in big) for s in small)


def edges_compatible(
    a: list[float] | None, b: list[float] | None, tol: float = CONTINUATION_EDGE_TOLERANCE
) -> bool:
    if not a or not b or len(a) < 2 or len(b) < 2:
        return False
    if abs(a[0] - b[0]) > tol or abs(a[-1] - b[-1]) > tol:
        return False
    return _covers(a, b, tol) or _covers(b, a, tol)


def _union(a: list[float], b: list[float], tol: float) -> list[float]:
    out = list(a)
    for x in b:
        if not any(abs(x - y) <= tol for y in out):
            out.append(x)
    return sorted(out)


def _remap_columns(table: Table, edges: list[float], tol: float) -> None:
    """Re-index the table's columns onto a finer set of edges that contains its own."""
    old = table.col_edges or []
    if len(old) == len(edges):
        return
    index = [min(range(len(edges)), key=lambda i: abs(edges[i] - x)) for x in old]
    for cell in table.cells:
        start, end = index[cell.col], index[min(cell.col + cell.colspan, len(old) - 1)]
        cell.col, cell.colspan = start, max(1, end - start)
    table.col_edges = list(edges)
    table.n_cols = len(edges) - 1


def _row_signature(table: Table, row: int) -> frozenset[tuple[int, int, int, str]]:
    return frozenset(
        (c.col, c.colspan, c.rowspan, " ".join(c.text.split())) for c in table.cells if c.row == row
    )


def _repeated_header_rows(first: Table, cont: Table) -> int:
    """How many leading rows of `cont` repeat the leading rows of `first` (0 if none)."""
    for k in range(min(MAX_HEADER_ROWS, first.n_rows, cont.n_rows - 1), 0, -1):
        sigs = [_row_signature(cont, r) for r in range(k)]
        if sigs != [_row_signature(first, r) for r in range(k)]:
            continue
        if not any(text for sig in sigs for *_, text in sig):
            continue
        # Only a header row repeats: every written cell bold. Two cards of the same
        # mission start with identical "MISSIONE | 12 Diritti sociali…" rows, which
        # are data, not a header to drop.
        if not all(c.bold for c in cont.cells if c.row < k and not c.empty):
            continue
        # The header block must be self-contained: no cell spanning down into the body.
        if any(c.row < k < c.row + c.rowspan for c in cont.cells):
            continue
        return k
    return 0


def append_continuation(first: Table, cont: Table,
                        tol: float = CONTINUATION_EDGE_TOLERANCE) -> None:
    """Append `cont` (the next page's part) to `first`, dropping a repeated header."""
    edges = _union(first.col_edges or [], cont.col_edges or [], tol)
    _remap_columns(first, edges, tol)
    _remap_columns(cont, edges, tol)
    skip = _repeated_header_rows(first, cont)
    offset = first.n_rows - skip
    for cell in cont.cells:
        if cell.row >= skip:
            cell.row += offset
            first.cells.append(cell)
    first.n_rows += cont.n_rows - skip
    for page in cont.pages:
        if page not in first.pages:
            first.pages.append(page)


def _bottom_on(table: Table, page: int | None) -> float | None:
    bottoms = [c.bbox[3] for c in table.cells if c.page == page and c.bbox]
    return max(bottoms) if bottoms else None


def in_side_margin(bbox: BBox, width: float | None) -> bool:
    """The box lies wholly in the page's left or right margin."""
    return bool(width) and (bbox[2] <= SIDE_MARGIN_SHARE * width
                            or bbox[0] >= (1 - SIDE_MARGIN_SHARE) * width)


def in_running_margin(el: Element, heights: dict[int, float], page_before: int, page_after: int,
               widths: dict[int, float] | None = None) -> bool:
    """Running header/footer text between the two parts of a table, or a line in a side
    margin of either page (a stamp running up the margin)."""
    if not isinstance(el, TextBlock) or el.bbox is None or el.page not in heights:
        return False
    if el.page in (page_before, page_after) and in_side_margin(el.bbox, (widths or {}).get(el.page)):
        return True
    h = heights[el.page]
    if el.page == page_before:
        return el.bbox[1] >= (1 - MARGIN_SHARE) * h
    if el.page == page_after:
        return el.bbox[3] <= MARGIN_SHARE * h
    return False


@dataclass
class TextArea:
    """Where ruled tables start and end on the pages of each page layout (height).

    Word requires an empty paragraph between two tables. It prints nothing but
    takes a line, which tells a new table from a continuation: when it goes to
    the new page, the next table starts a line below the top of the text area
    (a continuation starts right at it); when it stays on the old page, the
    first table ends with room to spare — room in which Word would have put the
    next row had the table continued. Body tables never cross the margins, so
    the highest and lowest table edges of a layout mark its text area; tables
    wholly inside the header/footer zones (a logo table in the page header) do
    not count.
    """

    top: dict[int, float] = field(default_factory=dict)  # page -> top of the text area
    bottom: dict[int, float] = field(default_factory=dict)  # page -> bottom of the text area

    @classmethod
    def of(cls, doc: Document, heights: dict[int, float]) -> TextArea:
        spans: dict[int, list[tuple[float, float]]] = {}  # page -> (top, bottom) of table parts
        for table in doc.tables():
            parts: dict[int, list[float]] = {}
            for c in table.cells:
                if c.bbox and c.page in heights:
                    part = parts.setdefault(c.page, [c.bbox[1], c.bbox[3]])
                    part[0], part[1] = min(part[0], c.bbox[1]), max(part[1], c.bbox[3])
            for page, (top, bottom) in parts.items():
                h = heights[page]
                if bottom <= MARGIN_SHARE * h or top >= (1 - MARGIN_SHARE) * h:
                    continue  # a table in the running header or footer
                spans.setdefault(page, []).append((top, bottom))
        layouts: dict[int, list[int]] = {}
        for page in spans:
            layouts.setdefault(round(heights[page]), []).append(page)
        area = cls()
        for pages in layouts.values():
            if len(pages) < MIN_PAGES_FOR_LAYOUT:
                continue
            top = min(t for p in pages for t, _ in spans[p])
            bottom = max(b for p in pages for _, b in spans[p])
            for page, h in heights.items():
                if round(h) == round(heights[pages[0]]):
                    area.top[page], area.bottom[page] = top, bottom
        return area


def _first_row_height(table: Table, row: int) -> float | None:
    heights = [
        c.bbox[3] - c.bbox[1] for c in table.cells if c.row == row and c.rowspan == 1 and c.bbox
    ]
    return max(heights) if heights else None


def _room_was_left(first: Table, cont: Table, bottom: float, area: TextArea, page: int) -> bool:
    """The next page's first row would have fitted under `first`: Word would have put it there."""
    limit = area.bottom.get(page)
    if limit is None:
        return False
    row = _repeated_header_rows(first, cont)  # a repeated header is not what was pushed over
    height = _first_row_height(cont, row)
    return height is not None and height + FIT_TOLERANCE < limit - bottom


def continues(
    first: Table,
    cont: Table,
    between: list[Element],
    heights: dict[int, float],
    area: TextArea | None = None,
    widths: dict[int, float] | None = None,
) -> bool:
    last_page = first.pages[-1] if first.pages else None
    if last_page is None or cont.page != last_page + 1 or cont.bbox is None:
        return False
    h_last, h_next = heights.get(last_page), heights.get(cont.page)
    bottom = _bottom_on(first, last_page)
    if not h_last or not h_next or bottom is None:
        return False
    if bottom < BOTTOM_SHARE * h_last or cont.bbox[1] > (1 - BOTTOM_SHARE) * h_next:
        return False
    if not all(in_running_margin(el, heights, last_page, cont.page, widths) for el in between):
        return False
    if not edges_compatible(first.col_edges, cont.col_edges):
        return False
    if area is not None:
        top = area.top.get(cont.page)
        if top is not None and cont.bbox[1] > top + FIT_TOLERANCE:
            return False  # an empty paragraph came first on the new page: a new table
        if _room_was_left(first, cont, bottom, area, last_page):
            return False
    return True


def join_continued_tables(doc: Document) -> int:
    """Join page-break continuations in `doc.elements` in place; returns how many were joined."""
    heights = {p.number: p.height for p in doc.pages if p.height}
    widths = {p.number: p.width for p in doc.pages if p.width}
    area = TextArea.of(doc, heights)
    out: list[Element] = []
    last_table: int | None = None  # index in `out` of the most recent table
    joined = 0
    for el in doc.elements:
        if isinstance(el, Table) and last_table is not None:
            first = out[last_table]
            assert isinstance(first, Table)
            if continues(first, el, out[last_table + 1 :], heights, area, widths):
                append_continuation(first, el)
                joined += 1
                continue
        out.append(el)
        if isinstance(el, Table):
            last_table = len(out) - 1
    doc.elements = out
    return joined
