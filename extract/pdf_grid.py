"""Ruled tables of one PDF page: cell boxes → IR cells with spans, text, bold and shading.

Tables are found from ruling edges (lines and rectangle sides) with
pdfplumber's lines strategy, run on the backend's edges rather than on a
pdfplumber page, so any backend can feed it. Each table's grid is the set of
its distinct (clustered) x and y cell boundaries; a cell's row/col/rowspan/
colspan are the grid lines its box covers, so merged cells span what they
visibly span. Text is assigned by geometry: a character belongs to the cell
whose box contains its centre — never to "the n-th cell of the row", which is
how X marks end up in the wrong month.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import obj_to_bbox

from extract.chars_text import chars_text
from extract.ir import BBox, Cell, Table
from extract.pdf_backend import Char, Edge, FilledRect
from extract.pdf_borderless import page_lines
from extract.pdf_fonts import all_bold

# Grid lines closer than this (points) are one line; pdfplumber has already
# snapped edges within 3 pt, so this only absorbs rounding.
EDGE_TOLERANCE = 1.5
# A filled rectangle shades a cell when it covers at least this share of it.
FILL_COVERAGE = 0.5
# Rectangles thinner than this are borders (Word draws rules as thin filled rects).
MIN_FILL_SIDE = 2.5
# A fill covering this share of the whole table is its background, not a cell's shading.
BACKGROUND_SHARE = 0.9
# A stand-alone ruled box larger than this share of the page is a page border.
LONE_BOX_MAX_PAGE_SHARE = 0.6

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class _EdgeSource:
    """The two attributes pdfplumber's TableFinder reads from a page (lines strategy)."""

    edges: list[Edge]
    bbox: BBox


def find_table_boxes(edges: list[Edge], page_bbox: BBox) -> tuple[list[list[BBox]], list[BBox]]:
    """Cell boxes of each ruled table on the page (pdfplumber lines strategy), and the
    ruled boxes that stand alone.

    pdfplumber drops one-cell tables; we return them apart (see `page_tables`),
    because a card's last row pushed alone onto the next page is exactly that, and
    losing it as a table breaks the card apart.
    """
    if not edges:
        return [], []
    cells = _LinesFinder(_EdgeSource(edges, page_bbox), _TABLE_SETTINGS).cells
    tables = [group for group in cells_to_tables(cells) if group]
    grouped = {box for boxes in tables for box in boxes}
    return tables, [box for box in cells if box not in grouped]


class _LinesFinder(TableFinder):
    """pdfplumber's TableFinder up to its cells: its edges and intersections, and the
    cells its `intersections_to_cells` finds, in its order, by its rule, found faster
    (`_cells`). The tables are grouped from the cells by the caller."""

    # no super().__init__(): it would search the cells the slow way
    def __init__(self, page: _EdgeSource, settings: dict) -> None:
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance,
            self.settings.intersection_y_tolerance)
        self.cells = _cells(self.intersections)


def _cells(intersections: dict) -> list[BBox]:
    """pdfplumber's `intersections_to_cells`, the same loops in the same order: for each
    point, the first point below and the first to its right whose edges connect to it,
    and the corner that closes the box. pdfplumber builds two sets of edge boxes for
    every pair of points it tries and scans every later point for each point, a fifth of
    the reader's time on the sample; here each point's sets are built once, and the
    points below and to the right are looked up by column and by row."""
    points = sorted(intersections)
    v = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    h = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in points:  # in sorted order, so each list is too
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)

    def connects(p1: tuple, p2: tuple) -> bool:
        return bool((p1[0] == p2[0] and not v[p1].isdisjoint(v[p2]))
                    or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2])))

    def after(line: list, p: tuple) -> list:
        return line[bisect.bisect_right(line, p):]

    def smallest(pt: tuple) -> BBox | None:
        for below in after(by_x[pt[0]], pt):
            if not connects(pt, below):
                continue
            for right in after(by_y[pt[1]], pt):
                corner = (right[0], below[1])
                if connects(pt, right) and corner in intersections \
                        and connects(corner, right) and connects(corner, below):
                    return (pt[0], pt[1], corner[0], corner[1])
        return None

    return [box for pt in points if (box := smallest(pt)) is not None]


def cluster_positions(values: Iterable[float], tol: float = EDGE_TOLERANCE) -> list[float]:
    """Distinct positions: sorted values merged when closer than `tol` (chained)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def nearest_index(positions: list[float], value: float) -> int:
    i = bisect.bisect_left(positions, value)
    if i == 0:
        return 0
    if i == len(positions):
        return len(positions) - 1
    return i if positions[i] - value < value - positions[i - 1] else i - 1


@dataclass
class TableLayout:
    """A table's grid before its text is known; collects the characters it owns."""

    page: int
    boxes: list[BBox]
    xs: list[float] = field(init=False)
    ys: list[float] = field(init=False)
    cells: list[Cell] = field(init=False)
    chars: list[list[Char]] = field(init=False)
    _owner: dict[tuple[int, int], int] = field(init=False)
    _grid: np.ndarray = field(init=False)  # (row, col) → index of the owning cell, or -1

    def __post_init__(self) -> None:
        self.xs = cluster_positions([v for b in self.boxes for v in (b[0], b[2])])
        self.ys = cluster_positions([v for b in self.boxes for v in (b[1], b[3])])
        self.cells, self.chars, self._owner = [], [], {}
        for box in sorted(self.boxes, key=lambda b: (b[1], b[0])):
            c0, c1 = nearest_index(self.xs, box[0]), nearest_index(self.xs, box[2])
            r0, r1 = nearest_index(self.ys, box[1]), nearest_index(self.ys, box[3])
            if c1 <= c0 or r1 <= r0:
                continue  # degenerate box narrower than the clustering tolerance
            if any((r, c) in self._owner for r in range(r0, r1) for c in range(c0, c1)):
                continue  # overlapping box (nested frame); the first, smaller-top one wins
            idx = len(self.cells)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self._owner[(r, c)] = idx
            self.cells.append(
                Cell(
                    row=r0,
                    col=c0,
                    text="",
                    rowspan=r1 - r0,
                    colspan=c1 - c0,
                    bbox=tuple(round(v, 2) for v in box),  # type: ignore[arg-type]
                    page=self.page,
                )
            )
            self.chars.append([])
        self._grid = np.full((max(len(self.ys) - 1, 0), max(len(self.xs) - 1, 0)), -1, np.int64)
        for (r, c), idx in self._owner.items():
            self._grid[r, c] = idx

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def claim(self, chars: list[Char], hx: np.ndarray, vy: np.ndarray, free: np.ndarray) -> None:
        """Give each free character (`free`, by index into `chars`; `hx`, `vy` their
        centres, see `centres`) to the cell containing its centre, in page order, and
        mark it taken. Done for all of a page's characters at once: a per-character
        loop over the tables was a tenth of the reader's time."""
        xs, ys = self.xs, self.ys
        ks = np.flatnonzero(free & (hx >= xs[0]) & (hx < xs[-1]) & (vy >= ys[0]) & (vy < ys[-1]))
        if not ks.size:
            return
        cols = np.searchsorted(xs, hx[ks], side="right") - 1
        rows = np.searchsorted(ys, vy[ks], side="right") - 1
        owners = self._grid[rows, cols]
        owned = owners >= 0
        for k, idx in zip(ks[owned].tolist(), owners[owned].tolist()):
            self.chars[idx].append(chars[k])
        free[ks[owned]] = False

    def contains(self, other: TableLayout) -> bool:
        a, b = self.bbox, other.bbox
        return a != b and a[0] <= b[0] and a[1] <= b[1] and a[2] >= b[2] and a[3] >= b[3]

    def split_header_band(self) -> None:
        """A first row ruled as one band across the table (a header printed on a dark
        fill: no rule shows between its labels), whose text stands in pieces each over
        one column below, every column with its own, is one header cell per column. A
        title across the table fills no column each, or runs over their boundaries."""
        first = self.cells[0] if self.cells else None
        n_cols = len(self.xs) - 1
        if (first is None or first.row != 0 or first.rowspan != 1 or first.colspan != n_cols
                or n_cols < 2 or len(self.ys) < 3):
            return
        columns: list[list[Char]] = [[] for _ in range(n_cols)]
        for line in page_lines(self.chars[0], self.page):
            for seg in line.segments:
                c0 = bisect.bisect_right(self.xs, seg.x0 + EDGE_TOLERANCE) - 1
                c1 = bisect.bisect_left(self.xs, seg.x1 - EDGE_TOLERANCE)
                if c1 - c0 != 1:
                    return  # a piece of text across a column boundary
                columns[c0] += [ch for ch in self.chars[0]
                                if self.xs[c0] <= (ch["x0"] + ch["x1"]) / 2 < self.xs[c0 + 1]]
        if not all(columns):
            return
        top, bottom = first.bbox[1], first.bbox[3]  # type: ignore[index]
        heads = [Cell(row=0, col=c, text="", bbox=(round(self.xs[c], 2), top,
                                                   round(self.xs[c + 1], 2), bottom),
                      page=self.page) for c in range(n_cols)]
        self.cells[0:1], self.chars[0:1] = heads, [list({id(ch): ch for ch in col}.values())
                                                  for col in columns]

    def to_table(self, fills: list[FilledRect]) -> Table:
        self.split_header_band()
        shading = self._cell_fills(fills)
        for cell, chars, fill in zip(self.cells, self.chars, shading):
            # Same text assembly as pdfplumber's Table.extract(): lines kept as "\n".
            cell.text = chars_text(chars)
            cell.bold = all_bold(chars)
            if fill is not None:
                cell.filled, cell.fill_color = True, fill.color
        return Table(
            cells=self.cells,
            n_rows=len(self.ys) - 1,
            n_cols=len(self.xs) - 1,
            pages=[self.page],
            bbox=tuple(round(v, 2) for v in self.bbox),  # type: ignore[arg-type]
            col_edges=[round(x, 2) for x in self.xs],
        )

    def _cell_fills(self, fills: list[FilledRect]) -> list[FilledRect | None]:
        tx0, ttop, tx1, tbottom = self.bbox
        table_area = (tx1 - tx0) * (tbottom - ttop)
        candidates = [
            f
            for f in fills
            if min(f.bbox[2] - f.bbox[0], f.bbox[3] - f.bbox[1]) >= MIN_FILL_SIDE
            and _overlap(f.bbox, self.bbox) > 0
            and (
                len(self.cells) == 1 or _overlap(f.bbox, self.bbox) < BACKGROUND_SHARE * table_area
            )
        ]
        out: list[FilledRect | None] = []
        for cell in self.cells:
            box = cell.bbox
            assert box is not None
            area = (box[2] - box[0]) * (box[3] - box[1])
            best, best_area, covered = None, 0.0, 0.0
            for f in candidates:
                a = _overlap(f.bbox, box)
                covered += a
                if a > best_area:
                    best, best_area = f, a
            out.append(best if area > 0 and covered >= FILL_COVERAGE * area else None)
        return out


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _same_box(a: BBox, b: BBox, tol: float = 2.0) -> bool:
    return all(abs(u - v) <= tol for u, v in zip(a, b))


def _lone_box_is_cell(box: BBox, fills: list[FilledRect], page_bbox: BBox) -> bool:
    """Whether a stand-alone ruled box is a one-cell table rather than decoration.

    Not a cell: a shaded paragraph (its box is exactly one filled rectangle) or a
    page border (it covers most of the page).
    """
    page_area = (page_bbox[2] - page_bbox[0]) * (page_bbox[3] - page_bbox[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    if page_area > 0 and area > LONE_BOX_MAX_PAGE_SHARE * page_area:
        return False
    return not any(_same_box(box, f.bbox) for f in fills)


def _is_shading(t: TableLayout, fills: list[FilledRect], tables: list[TableLayout]) -> bool:
    """A "grid" inside another table whose every box is a filled rectangle: the per-line
    paragraph shading Word draws inside a coloured cell, not a table of its own."""
    return any(o is not t and o.contains(t) for o in tables) and all(
        any(_same_box(box, f.bbox) for f in fills) for box in t.boxes
    )


def centres(chars: list[Char]) -> tuple[np.ndarray, np.ndarray]:
    """The characters' centres, x and y (for TableLayout.claim)."""
    if not chars:
        return np.empty(0), np.empty(0)
    box = np.array([(c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars], dtype=np.float64)
    return (box[:, 0] + box[:, 1]) / 2, (box[:, 2] + box[:, 3]) / 2


def page_tables(
    edges: list[Edge], chars: list[Char], fills: list[FilledRect], page: int, page_bbox: BBox
) -> tuple[list[Table], list[Char]]:
    """The page's ruled tables, and the characters that fall in none of their cells."""
    grids, lone = find_table_boxes(edges, page_bbox)
    tables = [t for t in (TableLayout(page, boxes) for boxes in grids) if t.cells]
    tables = [t for t in tables if not _is_shading(t, fills, tables)]
    singles = [
        t
        for t in (
            TableLayout(page, [box]) for box in lone if _lone_box_is_cell(box, fills, page_bbox)
        )
        if t.cells
    ]
    # A lone box around other tables is a frame, one inside a table is a checkbox or
    # similar decoration: neither is a table of its own.
    singles = [
        s
        for s in singles
        if not any(s.contains(t) or t.contains(s) for t in tables)
        and not any(s.contains(o) for o in singles if o is not s)
    ]
    layouts = tables + singles
    # Innermost first: a table nested in another's cell keeps its own text.
    by_area = sorted(layouts, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))
    hx, vy = centres(chars)
    free = np.ones(len(chars), dtype=bool)
    for t in by_area:
        t.claim(chars, hx, vy, free)
    rest = [ch for ch, left in zip(chars, free.tolist()) if left]
    # An empty lone box (a form field, a drawn square) carries nothing.
    layouts = tables + [s for s in singles if any(c["text"].strip() for c in s.chars[0])]
    layouts.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return [t.to_table(fills) for t in layouts], rest
