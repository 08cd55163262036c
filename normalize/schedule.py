"""The cronoprogramma: month header, phase rows, and marks placed in months.

Marks are placed by geometry when the source has it (x-overlap with the month
header cells); converter Markdown has no geometry, so there a cell's grid column
is used, and a column with no month label right of a labelled one is taken as
part of it (converters split a spanning header cell into several columns).

Month headers are printed as digits ("1" … "12"), names ("Gen" … "Dic",
"gennaio" … "dicembre"), initials by position ("G F M A M G L A S O N D"), or by
period: quarters ("I trim." … "IV trim.") or semesters ("1° sem.", "2° sem."). A
period column stands for each of its months: a mark in it marks them all, and the
marks keep the period ("Q2", "S1") so a reader can tell them from month marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extract.ir import Cell
from normalize.months import MONTH_INITIALS, month_of_name
from normalize.rows import Row
from normalize.text import fold, parse_date, squash

# "I trim.", "1° trimestre", "II sem.", "2° semestre", "primo trimestre", "Q3" (folded)
_PERIOD = re.compile(
    r"^(?P<n>IV|I{1,3}|[1-4]|PRIMO|SECONDO|TERZO|QUARTO)\s*[°º^]?\s*"
    r"(?P<kind>TRIM|SEM)(?:ESTRE)?$|^Q(?P<q>[1-4])$")
_ORDINALS = {"I": 1, "II": 2, "III": 3, "IV": 4, "PRIMO": 1, "SECONDO": 2, "TERZO": 3, "QUARTO": 4}
PERIOD_MONTHS = {"Q": 3, "S": 6}  # span letter → months per period
MARKS = {"X", "x", "*", "●", "•", "✓", "✔", "XX"}
_ALL_YEAR = re.compile(r"TUTTO\s+L\s*'?\s*ANNO|INTERO\s+ANNO|INTERA\s+ANNUALITA", re.I)
# A short mark in the N° column ("a)", OCR's "l" for 1) numbers a phase up to this length.
PHASE_NO_MAX_CHARS = 3
# "1", "1.2", "3a", "2)", and the ordinal "3°" / "3º" many plans number their phases with
_PHASE_NO = re.compile(r"^\d{1,2}(?:[.,]\d{1,2})?[a-z]?[.)°º]?$")


def is_phase_number(text: str) -> bool:
    return bool(_PHASE_NO.match(text.strip()))


def month_of_label(text: str, position: int) -> int | None:
    """Month for a header cell: "1".."12", "Gen"/"gennaio", or a single initial by position."""
    t = fold(text).rstrip(".")
    if t.isdigit() and 1 <= int(t) <= 12:
        return int(t)
    # "Gen", "Sett", "gennaio"; a name wrapped inside a narrow column ("genna\nio") too.
    # A word that only starts like a month ("GENERALE") is none.
    if (month := month_of_name(t.replace(" ", ""))) is not None:
        return month
    if len(t) == 1 and position < 12 and MONTH_INITIALS[position] == t:
        return position + 1
    return None


def period_of_label(text: str) -> str | None:
    """ "I trim." → "Q1", "2° sem." → "S2": the period a header cell names, or None."""
    m = _PERIOD.match(fold(text).rstrip(".").strip())
    if m is None:
        return None
    if m.group("q"):
        return "Q" + m.group("q")
    n = m.group("n")
    index = int(n) if n.isdigit() else _ORDINALS[n]
    kind = "Q" if m.group("kind") == "TRIM" else "S"
    if index > 12 // PERIOD_MONTHS[kind]:
        return None
    return f"{kind}{index}"


@dataclass
class MonthColumn:
    month: int
    col: int
    colspan: int
    x0: float | None
    x1: float | None
    span: str = ""  # the period column ("Q1", "S2") this month is part of; "" for a month column


def period_header(cells: list[Cell]) -> list[MonthColumn] | None:
    """Months of a header printed by quarter or semester, every period in order, or None.

    Each period's months share its grid column; its box is cut in equal parts, one
    per month, so a cell is placed by x-overlap as in a month header."""
    spans = [period_of_label(c.text) for c in cells]
    if not spans or None in spans:
        return None
    kind = spans[0][0]
    size = PERIOD_MONTHS[kind]
    if spans != [f"{kind}{i}" for i in range(1, 12 // size + 1)]:
        return None
    months = []
    for period, c in zip(spans, cells):
        x0, x1 = c.bbox[0::2] if c.bbox else (None, None)
        for k in range(size):
            part = ((x1 - x0) / size) if x0 is not None and x1 is not None else None
            months.append(MonthColumn(len(months) + 1, c.col, c.colspan,
                                      x0 + part * k if part else None,
                                      x0 + part * (k + 1) if part else None, period))
    return months


# A month header read by position (`positional_month_header`): this many of its twelve
# labels must name their month in place.
HEADER_MIN_READABLE = 8


def positional_month_header(row: Row, first_col: int) -> list[MonthColumn] | None:
    """Twelve one-column cells side by side, most of which name their month in place: a
    header some of whose labels are unreadable (a scan's "30" for 3, a label lost), read
    by position. None unless the twelve cells are there."""
    cells = sorted((c for c in row.cells if c.col >= first_col), key=lambda c: c.col)
    if len(cells) != 12 or any(c.colspan != 1 for c in cells) \
            or [c.col for c in cells] != list(range(cells[0].col, cells[0].col + 12)):
        return None
    if sum(month_of_label(c.text, i) == i + 1 for i, c in enumerate(cells)) \
            < HEADER_MIN_READABLE:
        return None
    return [MonthColumn(i + 1, c.col, 1, *(c.bbox[0::2] if c.bbox else (None, None)))
            for i, c in enumerate(cells)]


# A month header whose labels landed in one cell or a few (a scan whose rules between
# them were lost reads "1|2|]3|4]|…"): it has about twelve words, and this many of them
# name their month in place. A row of marks or of phase text has no such run of numbers.
MERGED_HEADER_WORDS = range(10, 15)
MERGED_HEADER_MIN_READABLE = 6
MERGED_HEADER_MAX_CELLS = 3
_WORD = re.compile(r"[0-9A-Za-z]+")


def merged_month_header(row: Row, first_col: int) -> list[MonthColumn] | None:
    """The months of a header whose labels sit in one cell or a few, spread across the
    month columns: the row's month area cut in twelve equal columns, as a month grid is
    drawn. None unless its words are mostly the months in order."""
    cells = sorted((c for c in row.cells if c.col >= first_col), key=lambda c: c.col)
    filled = [c for c in cells if not c.empty]
    if not 1 <= len(filled) <= MERGED_HEADER_MAX_CELLS or not all(c.bbox for c in cells):
        return None
    words = [w for c in filled for w in _WORD.findall(c.text)]
    readable = sum(month_of_label(w, i) == i + 1 for i, w in enumerate(words))
    if len(words) not in MERGED_HEADER_WORDS or readable < MERGED_HEADER_MIN_READABLE:
        return None
    x0, x1 = min(c.bbox[0] for c in cells), max(c.bbox[2] for c in cells)
    width = (x1 - x0) / 12
    first = cells[0]
    return [MonthColumn(m, first.col, first.colspan, x0 + width * (m - 1), x0 + width * m)
            for m in range(1, 13)]


def month_header(row: Row, first_col: int) -> list[MonthColumn] | None:
    """The month columns of a header row (cells right of `first_col`), or None.

    A header printed short ("1 … 11", the last label lost) is completed with the
    columns that follow it; `truncated_header()` tells the parser so it can say."""
    cells = [c for c in row.cells if c.col >= first_col and not c.empty]
    if (periods := period_header(cells)) is not None:
        return periods
    if (placed := positional_month_header(row, first_col)) is not None:
        return placed
    if (merged := merged_month_header(row, first_col)) is not None:
        return merged
    months = []
    for i, c in enumerate(cells):
        m = month_of_label(c.text, i)
        if m is None:
            return None
        months.append(MonthColumn(m, c.col, c.colspan, *(c.bbox[0::2] if c.bbox else (None, None))))
    if len(months) < 6 or [m.month for m in months] != list(range(1, len(months) + 1)):
        return None
    last = months[-1]
    while len(months) < 12:
        width = (last.x1 - last.x0) if last.x0 is not None else None
        k = len(months) - len(cells) + 1
        months.append(MonthColumn(len(months) + 1, last.col + last.colspan * k, last.colspan,
                                  last.x0 + width * k if width else None,
                                  last.x1 + width * k if width else None))
    return months


def printed_months(row: Row, first_col: int) -> int:
    """How many months the header row prints (a period column prints all of its months)."""
    cells = [c for c in row.cells if c.col >= first_col and not c.empty]
    if period_header(cells) is not None or merged_month_header(row, first_col) is not None:
        return 12
    return len(cells)


def months_of_cell(cell: Cell, header: list[MonthColumn]) -> list[int]:
    """The months a grid cell covers: by x-overlap when both have boxes, else by column."""
    if cell.bbox and all(h.x0 is not None for h in header):
        x0, x1 = cell.bbox[0], cell.bbox[2]
        out = []
        for h in header:
            overlap = min(x1, h.x1) - max(x0, h.x0)
            if overlap > 0.5 * min(h.x1 - h.x0, x1 - x0):
                out.append(h.month)
        return out
    lo, hi = cell.col, cell.col + cell.colspan
    out = [h.month for h in header if h.col < hi and lo < h.col + h.colspan]
    if out:
        return out
    left = [h for h in header if h.col < lo]
    return [left[-1].month] if left else []


@dataclass
class PhaseDraft:
    phase_no: str
    description: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    schedule_text: list[str] = field(default_factory=list)
    marks: dict[int, tuple[str, Cell]] = field(default_factory=dict)
    spans: dict[int, str] = field(default_factory=dict)  # month → period column it came from
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (check, message)


@dataclass
class Grid:
    """One cronoprogramma block of a card: its year and its phase rows."""

    year_index: int
    plan_year: int | None
    year_label_raw: str
    grid_year_raw: str
    grid_year: int | None
    first_month_col: int
    left_cols: list[int]  # grid columns of N°, ATTIVITÀ/FASI, SERVIZI (as found)
    header: list[MonthColumn] | None = None
    phases: list[PhaseDraft] = field(default_factory=list)

    def add_row(self, row: Row) -> None:
        left = [c for c in row.cells if c.col < self.first_month_col]
        right = [c for c in row.cells if c.col >= self.first_month_col]
        if self.header is None or _is_header_echo(right, self.header):
            # a header row glued onto a phase row (converter) supplies the months
            hdr = month_header(Row(right), self.first_month_col) if right else None
            if hdr:
                self.header = hdr
                right = []
        texts = [c for c in left if not c.empty]
        is_number = self.number_cell(row) is not None
        no_cell = next((c for c in left if c.col == self.left_cols[0]), None)
        no_text = no_cell.text.strip() if no_cell else ""
        if not is_number and row.table is not None and not any(c.bbox for c in row.cells) \
                and no_cell is not None and len(no_text) > 15 and self.phases:
            # Markdown row carried over a page with its empty N° cell dropped:
            # every cell sits one column left of where it belongs.
            left = [_shifted(c) for c in left]
            right = [_shifted(c) for c in right]
            no_text = ""
        if is_number or (not self.phases and (texts or right)):
            self.phases.append(PhaseDraft(phase_no=no_text if is_number else ""))
        if not self.phases:
            return
        ph = self.phases[-1]
        ph.rows.append(row)
        for c in left:
            if c.empty or (is_number and c is no_cell):
                continue
            if c.col >= self.left_cols[-1] and len(self.left_cols) >= 3:
                ph.services.append(c.text)
            else:
                ph.description.append(c.text)
        for c in right:
            self._place(ph, c)

    def number_cell(self, row: Row) -> Cell | None:
        """The cell of the N° column when it numbers a new phase. The column holds
        numbers; a mark too short to be text there ("a)", or OCR's "l" / ">" / "200" for
        a 1, a 2) still numbers one when the row has text of its own, kept as printed."""
        left = [c for c in row.cells if c.col < self.first_month_col and not c.empty]
        no_cell = next((c for c in left if c.col == self.left_cols[0]), None)
        if no_cell is None:
            return None
        text = no_cell.text.strip()
        if _PHASE_NO.match(text) or (
                len(text) <= PHASE_NO_MAX_CHARS and any(c is not no_cell for c in left)):
            return no_cell
        return None

    def _place(self, ph: PhaseDraft, c: Cell) -> None:
        text = c.text.strip()
        months = months_of_cell(c, self.header) if self.header else []
        span = _period_of(months, self.header) if self.header else ""
        if _inked_mark(c, text, months):
            # A scanned cell one month wide with ink in it but no mark OCR could read
            # (nothing, or noise such as "XO"): a mark seen only as ink, kind "ink" —
            # never a made-up "X". Noise text stays in Cell.text, not in schedule_text.
            ph.marks.setdefault(months[0], ("ink", c))
            if text:
                ph.notes.append(
                    ("ink_mark", f"month {months[0]}: OCR read {text!r}; taken as a mark by its ink")
                )
            return
        if not text:
            if c.filled and months:
                for m in months:
                    ph.marks.setdefault(m, ("fill", c))
                    if span:
                        ph.spans.setdefault(m, span)
            return
        if text in MARKS and (len(months) == 1 or span):
            for m in months:
                ph.marks.setdefault(m, (text, c))
                if span:
                    ph.spans.setdefault(m, span)
            return
        if text in MARKS and not months:
            ph.notes.append(("mark_outside_grid", f"mark {text!r} outside the month columns"))
            return
        ph.schedule_text.append(text)
        if _ALL_YEAR.search(fold(text)):
            for m in range(1, 13):
                ph.marks.setdefault(m, ("text", c))


# Ink (square points, dust already removed by the reader) that makes a scanned month cell
# a mark: an "x" at 8 pt is ~6 pt², a printed "X" at 10 pt ~20 pt².
INK_MARK_MIN = 5.0
# OCR noise in a mark cell is a few characters ("XO", "O_", "»"); more is real text.
INK_NOISE_MAX_CHARS = 3


def _inked_mark(c: Cell, text: str, months: list[int]) -> bool:
    return (c.ink is not None and c.ink >= INK_MARK_MIN and len(months) == 1
            and text not in MARKS and len(text) <= INK_NOISE_MAX_CHARS)


def _period_of(months: list[int], header: list[MonthColumn]) -> str:
    """The period ("Q2") when `months` are exactly the months of one period column."""
    spans = {h.span for h in header if h.month in months}
    if len(spans) != 1 or "" in spans:
        return ""
    span = spans.pop()
    return span if sorted(months) == [h.month for h in header if h.span == span] else ""


def _is_header_echo(cells: list[Cell], header: list[MonthColumn]) -> bool:
    texts = [c.text.strip() for c in cells if not c.empty]
    return texts == [str(m) for m in range(1, 13)]


def _shifted(c: Cell) -> Cell:
    return replace(c, col=c.col + 1)


def deadline_of(ph: PhaseDraft, year: int | None):
    """The date of a text rule written across the grid ("entro il 31/12/2023")."""
    text = " ".join(ph.schedule_text)
    return parse_date(text, year) if text else None


def joined(parts: list[str]) -> str:
    return "\n".join(p for p in parts if p.strip())


def grid_year_of(raw: str) -> int | None:
    """The year a schedule header ends with ("CRONOPROGRAMMA 2022"), signs after it too:
    a scan's speck read as "." or "_" ("CRONOPROGRAMMA 2022 .")."""
    m = re.search(r"(?<!\d)(\d{4})[\W_]*$", squash(raw))
    return int(m.group(1)) if m else None
