"""Table cells of a scanned page read again one by one, with the characters their column allows.

Tesseract reads a lone token in a table cell through its language model: an
objective number "3T" comes out as "ST", "11" as "di", a phase number "1" as
"L", an "X" as "XO". Where a column's header says what the column holds (a
number column "NR." or "N°", a weight column "Peso %", the month columns under
a cronoprogramma's month labels), each cell of it whose reading is not a token of
that kind is cut out of the page and read again on its own, as a single text line
(Tesseract `--psm 7`) restricted to the column's characters -- and, because a
whitelist sometimes makes Tesseract return nothing for a glyph it reads plainly,
also without restriction, still alone.

What Tesseract read stays unless one of these readings is itself a whole token of
the column's kind with about as many letters and digits as the first reading:
nothing is made up, and a cell neither re-reading makes sense of keeps its first
reading (the normaliser then says so). A cell the page read found empty takes a
new reading only when Tesseract is sure of it. Every cell read again is recorded
(`Document.meta["ocr_cells"]`: before, after, confidence, kept). A column with no header on the page (a table continued from a page that is not
in the file) is typed by its own cells, when most of them already read as one kind.

The column kinds are data here (COLUMN_KINDS); which header texts name them is the
caller's knowledge (`ColumnVocabulary`, extract/settings.py; the PIAO one is
normalize/columns.py): extract knows tables, not PIAO.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import cv2
import numpy as np

from extract.ir import Cell, Element, ReaderError, Table
from extract.scan_image import ScanImage
from extract.settings import ColumnVocabulary
from extract.tesseract import Picture, read_images


@dataclass(frozen=True)
class ColumnKind:
    name: str
    alphabet: str  # the characters Tesseract may read in a cell of the column
    token: re.Pattern[str]  # a cell's whole text (spaces removed) when it reads right
    # ... and when it reads as a token of the kind with a speck or a rule read with it
    # ("2°", "3|" in a column of phase numbers)
    misread: re.Pattern[str]

    def holds(self, text: str) -> bool:
        return bool(self.token.fullmatch(_compact(text)))

    def nearly_holds(self, text: str) -> bool:
        return bool(self.misread.fullmatch(_compact(text))) or self.holds(text)


# Numbers, weights and hours: "7", "12", "3T", "1.2", "25%", "10,5". The dash is in the
# alphabet, not in the token: a "-" printed for "none" is read as a dash (and the cell
# keeps its first reading) rather than forced into the digit it looks most like.
NUMBER = ColumnKind("number", "0123456789T.,%-",
                    re.compile(r"\d{1,3}(?:[.,]\d{1,3})?T?\.?%?"), re.compile(r"\d\S{0,3}"))
# Month marks; the dash as above (a dash is no mark, see normalize/schedule.py MARKS).
MARK = ColumnKind("mark", "Xx*-", re.compile(r"[Xx*]{1,2}"), re.compile(r"[Xx*]\S?"))
COLUMN_KINDS = (NUMBER, MARK)

# Month columns are typed by a row of month labels: "1" … "12" (read here: numbers
# standing where their value says), or labels the vocabulary reads as months (names,
# initials by position) or periods (quarters, semesters).
# Fewer labels than this in a row are not a month header (periods: semesters are 2).
MIN_MONTH_LABELS = 3
MIN_PERIOD_LABELS = 2

# A cell is read again only when its first reading is this short (characters, spaces
# removed): a misread token is a few characters, a longer text is not a lone token.
MAX_TOKEN_CHARS = 4
# Ink (square points) below which a cell holds nothing to read again.
MIN_REREAD_INK = 2.0
# Letters and digits a constrained reading may add or drop against the first one.
MAX_LENGTH_CHANGE = 1
# Confidence (0…100) a constrained reading needs where the page read found nothing.
MIN_NEW_CONFIDENCE = 50.0
# The cell's ink is cut out with this much white around it (points), enlarged
# ZOOM times and set on a white margin: Tesseract's line finder needs the margin. (At
# twice the size a 10 pt "3T" scanned at 200 dpi still read "T" under the whitelist.)
PAD, ZOOM, MARGIN = 4.0, 3, 12.0
CELL_PAGE_SEGMENTATION = "7"  # a single text line


@dataclass
class Reread:
    """One cell read again: where, what the page read said, what the cell read alone said."""

    page: int
    bbox: tuple[float, float, float, float]
    kind: str
    before: str
    after: str  # the reading kept, else the whitelisted one ("" when it read nothing)
    confidence: float | None  # Tesseract's mean word confidence (0…100) for `after`
    # "whitelist": `after` replaced `before`, read with the column's characters only;
    # "alone": replaced it, read without a whitelist but on its own; "": `before` stays.
    way: str

    @property
    def kept(self) -> bool:
        return bool(self.way)

    def as_meta(self) -> dict:
        return {"page": self.page, "bbox": [round(v, 1) for v in self.bbox], "kind": self.kind,
                "before": self.before, "after": self.after, "confidence": self.confidence,
                "kept": self.kept, "way": self.way}


def reread_typed_cells(elements: dict[int, list[Element]], scans: dict[int, ScanImage],
                       language: str, columns: ColumnVocabulary, jobs: int = 1) -> list[Reread]:
    """Read again the cells of typed columns whose reading is not a token of their kind;
    replace the cell text where the new reading is one (`jobs` Tesseract processes).
    Returns what was read."""
    todo: dict[ColumnKind, list[tuple[Table, int, ScanImage]]] = {}
    carried: list[OpenColumn] = []
    for number in sorted(elements):
        tables = [e for e in elements[number] if isinstance(e, Table)]
        if number - 1 not in elements:  # only a table on the page before can continue here
            carried = []
        for k, table in enumerate(tables):
            kinds, still_open = typed_cells(table, columns, carried if k == 0 else [])
            for index, kind in kinds.items():
                if _worth_reading(table.cells[index], kind):
                    todo.setdefault(kind, []).append((table, index, scans[number]))
            carried = still_open
    # Every cell is read twice: whitelisted with its column kind's alphabet (one run per
    # kind), and free (one run for all the cells). All these runs at once, `jobs` at a
    # time, each one Tesseract over its crops (the model loads once per run).
    crops = {kind: [_crop(table.cells[i], scan) for table, i, scan in cells]
             for kind, cells in todo.items()}
    runs = [(crops[kind], kind.alphabet) for kind in todo]
    runs.append(([crop for kind in todo for crop in crops[kind]], None))
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(runs)))) as pool:
        *whitelisted, free_all = pool.map(lambda run: _read_cells(*run, language), runs)
    frees = iter(free_all)
    done: list[Reread] = []
    for (kind, cells), constrained in zip(todo.items(), whitelisted, strict=True):
        free = [next(frees) for _ in cells]
        for (table, index, scan), *readings in zip(cells, constrained, free, strict=True):
            cell = table.cells[index]
            # The whitelisted reading first; Tesseract sometimes returns nothing under a
            # whitelist for a glyph it reads plainly on its own (a lone "4"), so the
            # cell's own unconstrained reading is the second choice. Both are Tesseract's.
            trimmed = [(_without_leading_specks(text), conf) for text, conf in readings]
            chosen = next(((text, conf, way) for (text, conf), way in zip(trimmed, WAYS)
                           if kind.holds(text) and _plausible(cell.text, text, conf)), None)
            text, conf, way = chosen or (*readings[0], "")
            done.append(Reread(scan.number, cell.bbox, kind.name, cell.text, text,  # type: ignore[arg-type]
                               conf, way))
            if chosen:  # spaces inside a token ("3 T") are not part of it
                table.cells[index] = replace(cell, text=_compact(text), confidence=conf)
    return done


WAYS = ("whitelist", "alone")  # how a kept reading was made: see Reread.way


@dataclass(frozen=True)
class OpenColumn:
    """A typed column still open at the end of a table, for its continuation on the next
    page: x offsets (points) from the table's left edge, which survive the sheet sitting
    a little elsewhere on the scanner glass."""

    x0: float
    x1: float
    kind: ColumnKind

    def matches(self, cell: Cell, left: float) -> bool:
        if cell.bbox is None:
            return False
        x0, x1 = cell.bbox[0] - left, cell.bbox[2] - left
        overlap = min(x1, self.x1) - max(x0, self.x0)
        return overlap >= SAME_COLUMN_SHARE * max(x1 - x0, self.x1 - self.x0)


# A cell continues a column of the page before when it covers this share of it (and it
# of the cell): a column one cell wider or narrower covers half or less.
SAME_COLUMN_SHARE = 0.8


def typed_cells(table: Table, columns: ColumnVocabulary, carried: list[OpenColumn] | None = None
                ) -> tuple[dict[int, ColumnKind], list[OpenColumn]]:
    """Index in table.cells → kind, for every body cell of a typed column; and the typed
    columns still open at the table's end.

    Walking the rows top down: a header cell (one of `columns.number_headers`, or a label
    of a month-header row) opens a typed column over its exact grid columns; the cells
    below with that extent are its body, until a row-wide cell (a card's next section)
    crosses it. A table continued from the page before starts with the columns open
    there (`carried`), matched by position, until its first header or section row.
    Columns that no header typed are typed by their cells (`_typed_by_content`).
    """
    index = {id(c): k for k, c in enumerate(table.cells)}
    left = table.bbox[0] if table.bbox else 0.0
    open_columns: dict[tuple[int, int], ColumnKind] = {}
    boxes: dict[tuple[int, int], tuple[float, float]] = {}
    headed: set[tuple[int, int]] = set()
    carrying = list(carried or [])
    out: dict[int, ColumnKind] = {}
    labels: set[int] = set()  # header cells, which vote on no column's content
    for row in table.rows():
        month_cells, unread = _month_header(row, columns)
        months = set(map(id, month_cells))
        out.update((index[id(c)], NUMBER) for c in unread)
        for cell in row:
            extent = (cell.col, cell.colspan)
            if cell.bbox:
                boxes.setdefault(extent, (cell.bbox[0] - left, cell.bbox[2] - left))
            kind = MARK if id(cell) in months else (
                NUMBER if _fold(cell.text) in columns.number_headers else None)
            if kind is not None:
                open_columns[extent] = kind
                headed.add(extent)
                labels.add(id(cell))
                carrying = []
            elif cell.col == 0 and cell.colspan > 1:  # a section row ends the columns it crosses
                for col, span in list(open_columns):
                    if col < cell.colspan:
                        del open_columns[(col, span)]
                carrying = []
            elif extent not in open_columns and (
                    carry := next((c for c in carrying if c.matches(cell, left)), None)):
                open_columns[extent] = carry.kind
                headed.add(extent)
            if kind is None and extent in open_columns:
                out[index[id(cell)]] = open_columns[extent]
    still_open = [OpenColumn(*boxes[e], kind) for e, kind in open_columns.items() if e in boxes]
    return {**_typed_by_content(table, headed, labels), **out}, still_open


def _typed_by_content(table: Table, headed: set[tuple[int, int]],
                      labels: set[int]) -> dict[int, ColumnKind]:
    """Cells of the one-column-wide columns no header typed, whose cells mostly (more
    than half of those with text, and at least two) already read as one kind, or nearly
    (a speck read with the token), one at least exactly: a header OCR misread ("Ne" for
    "N°") leaves its column to be typed so. Header cells (`labels`, by id) are not
    content: month numbers would make a column numeric."""
    columns: dict[int, list[int]] = {}
    for k, c in enumerate(table.cells):
        if c.colspan == 1 and (c.col, 1) not in headed and id(c) not in labels:
            columns.setdefault(c.col, []).append(k)
    out: dict[int, ColumnKind] = {}
    for members in columns.values():
        texts = [table.cells[k].text for k in members if not table.cells[k].empty]
        for kind in COLUMN_KINDS:
            near = sum(kind.nearly_holds(t) for t in texts)
            if near >= 2 and 2 * near > len(texts) and any(kind.holds(t) for t in texts):
                out.update(dict.fromkeys(members, kind))
                break
    return out


def _month_header(row: list[Cell], columns: ColumnVocabulary) -> tuple[list[Cell], list[Cell]]:
    """The header cells of the month columns when `row` is a month header (else none),
    and those of them that should hold a month number but do not read as one.

    Numbers must stand where their value says (1, 2, 3 … one cell apart), not be any
    three small numbers in a row of data; a label OCR lost leaves its cell in the run
    ("1 | | 3 | 4"): the cell is still a month column, and its label is read again."""
    digits = [(k, int(_fold(c.text).rstrip("."))) for k, c in enumerate(row)
              if _fold(c.text).rstrip(".").isdigit()]
    if len(digits) >= MIN_MONTH_LABELS:
        (k0, v0), (k1, v1) = digits[0], digits[-1]
        if 1 <= v0 and v1 <= 12 and all(v - v0 == k - k0 for k, v in digits):
            run = [c for c in row[k0 : k1 + 1] if c.colspan == 1]
            # the first labels misread ("L1_" for "1"): the cells before, as wide as a month
            before = row[max(k0 - (v0 - 1), 0) : k0]
            if len(before) == v0 - 1 and all(_as_wide(c, run) for c in before):
                run = before + run
            return run, [c for c in run if not NUMBER.holds(c.text)]
    # numbers that are no such run are no month header: only words from here on
    labelled = [c for c in row if not c.empty and _fold(c.text).rstrip(".").isalpha()]
    # "GEN", "SETT", "GENNAIO" (a position past December: a name, never an initial)
    names = [c for c in labelled if columns.month_of_label(c.text, 12) is not None]
    if len(names) >= MIN_MONTH_LABELS:
        return names, []
    initials = [c for c in labelled if len(_fold(c.text)) == 1]
    if len(initials) >= MIN_MONTH_LABELS and _months_in_order(initials, columns):
        return initials, []
    periods = [c for c in row if not c.empty and columns.period_of_label(c.text)]
    return (periods, []) if len(periods) >= MIN_PERIOD_LABELS else ([], [])


def _months_in_order(initials: list[Cell], columns: ColumnVocabulary) -> bool:
    """The letters are the initials of consecutive months ("L A S O N D" from July too)."""
    return any(all(columns.month_of_label(c.text, start + k) == start + k + 1
                   for k, c in enumerate(initials))
               for start in range(12 - len(initials) + 1))


def _as_wide(cell: Cell, months: list[Cell]) -> bool:
    widths = sorted(c.bbox[2] - c.bbox[0] for c in months if c.bbox)
    if cell.bbox is None or cell.colspan != 1 or not widths:
        return False
    usual = widths[len(widths) // 2]
    return abs((cell.bbox[2] - cell.bbox[0]) - usual) <= SAME_WIDTH_SHARE * usual


# A cell is as wide as the month columns when its width is within this share of theirs.
SAME_WIDTH_SHARE = 0.25


def _plausible(before: str, after: str, confidence: float | None) -> bool:
    """A constrained reading may replace the first one when it has about as many letters
    and digits (a misread token keeps its glyph count: "ST" for "3T", "di" for "11";
    "vedi" is not a number read wrong), or, in a cell where the page read found none,
    when Tesseract is sure of it."""
    glyphs = _alnum(before)
    if not glyphs:  # nothing, or only specks read as punctuation (".", "°")
        return (confidence or 0.0) >= MIN_NEW_CONFIDENCE
    return abs(_alnum(after) - glyphs) <= MAX_LENGTH_CHANGE


def _worth_reading(cell: Cell, kind: ColumnKind) -> bool:
    return (cell.bbox is not None and (cell.ink or 0) >= MIN_REREAD_INK
            and not kind.holds(cell.text)
            and len(_compact(cell.text)) <= MAX_TOKEN_CHARS)


def _crop(cell: Cell, scan: ScanImage) -> Picture:
    """The cell's ink on the cleaned page, padded, enlarged, on a white margin."""
    assert cell.bbox is not None
    ink = scan.ink_box(cell.bbox) or cell.bbox
    x0, top = max(cell.bbox[0], ink[0] - PAD), max(cell.bbox[1], ink[1] - PAD)
    x1, bottom = min(cell.bbox[2], ink[2] + PAD), min(cell.bbox[3], ink[3] + PAD)
    s = scan.scale
    part = scan.clean[round(top * s): round(bottom * s), round(x0 * s): round(x1 * s)]
    part = cv2.resize(part, None, fx=ZOOM, fy=ZOOM, interpolation=cv2.INTER_CUBIC)
    m = round(MARGIN * s * ZOOM)
    part = cv2.copyMakeBorder(part, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
    return Picture(np.ascontiguousarray(part), s * 72 * ZOOM)


def _read_cells(pictures: list[Picture], alphabet: str | None,
                language: str) -> list[tuple[str, float | None]]:
    """Each picture read as one text line with `alphabet` (None: no whitelist):
    (text, mean word confidence) per picture, in order. Raises nothing: a failed run
    reads nothing, and every cell keeps its first reading."""
    try:
        read = read_images(pictures, language, CELL_PAGE_SEGMENTATION, alphabet)
    except ReaderError:
        read = [[] for _ in pictures]
    return [(" ".join(w.text for w in words),
             round(sum(w.confidence for w in words) / len(words), 1) if words else None)
            for words in read]


def _without_leading_specks(text: str) -> str:
    """The reading without the signs before its first letter or digit: no token starts
    with a "." or a "'", a speck of dust beside the cell's ink does ('. 1.3')."""
    compact = _compact(text)
    start = next((k for k, ch in enumerate(compact) if ch.isalnum()), len(compact))
    return compact[start:] if start < len(compact) else text


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in t if not unicodedata.combining(ch) and not ch.isspace()).upper()


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _compact(text: str) -> str:
    return "".join(text.split())
