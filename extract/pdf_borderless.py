"""Borderless tables: columns and rows inferred from where the text sits, not from rules.

Writer and Word export tables with invisible borders as text alone: no line, no
rectangle, just characters laid out in columns. On a page without ruled tables
this module looks for such layouts and rebuilds IR Tables (`ruled=False`):

- lines: characters clustered by vertical centre; a line is cut into
  *segments* where the gap between two characters is wider than a word space
  (text of two cells is at least two cell paddings apart);
- blocks: consecutive lines with no blank line between them and one font size;
  a block is a table when at least two of its lines have two segments or more;
- columns: the gaps between the segments of the block's multi-column lines
  (three segments or more, else two), narrowest first: a gap narrower than the
  known separators becomes one, a gap that overlaps exactly one tightens it, a
  gap that spans several (text left out between two marks) adds nothing;
- cells: a segment starts in the column whose left separator it begins past
  (separator middle) and runs over the separators it wholly crosses; one that
  spans two columns or more is centred or left-aligned over merged cells, so it
  takes the empty columns beside it in its row ("CRONOPROGRAMMA 2024" over the
  month columns);
- rows: Word sets every cell's first line at the row's top, with no space
  between rows. A line continues the row above when each of its segments
  continues the text of the same cell on the previous line: its first word
  would not have fitted there (the line wrapped) and it does not start in bold
  under regular text (a new labelled paragraph). Anything else starts a row,
  and so does a page break.

Rows and columns are guesses by nature: the reader says so in a Document warning,
and stays away from pages with any ruled table. A table cut by a page break is
rebuilt from both parts' lines (`join_borderless`), so the parts share columns.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from itertools import pairwise

from pdfplumber.utils import cluster_objects

from extract.ir import Cell as IRCell
from extract.ir import Document, Element, Table
from extract.join import BOTTOM_SHARE, in_running_margin
from extract.pdf_backend import Char
from extract.pdf_fonts import is_bold_font, is_upright
from extract.pdf_text import text_blocks
from extract.settings import ColumnVocabulary

WARNING = "borderless table: columns inferred from whitespace"

# Characters whose vertical centres are this close (points) sit on one line.
LINE_TOLERANCE = 3.0
# A gap wider than this (points) between two characters separates two cells' text;
# a word space in 9-10 pt text is 2.5 pt, two cell paddings are 4 pt or more.
SEGMENT_GAP = 4.0
# Justified running text (see _is_justified): at least this many word gaps after the
# first, none wider than this many font sizes (a stretched word space stays under an em;
# month and number columns sit two ems apart or more), the widest at most this many
# font sizes wider than the median (one line is stretched evenly; OCR word boxes add
# ~1 pt of jitter).
JUSTIFIED_MIN_GAPS = 3
# A gap at most this much wider (points) than the widest word space inside the pieces of
# a line is a word space too (one line is stretched evenly, up to a point of rounding).
JUSTIFIED_GAP_SLACK = 1.0
# A gap between two characters wider than this many font sizes is a word space.
WORD_GAP_EM = 0.15
JUSTIFIED_MAX_GAP_EM = 1.2
JUSTIFIED_GAP_SPREAD_EM = 0.5
# A blank line: a gap between two lines wider than this share of the font size.
BLOCK_GAP_SHARE = 0.95
# A table whose rows are padded apart more than a blank line goes on past such a gap, up
# to this share of the font size, while the lines below keep its columns.
ROW_GAP_SHARE = 2.0
# Fonts differing by more than this (points) are different blocks (body text vs table).
SIZE_TOLERANCE = 0.6
# Room kept free at a cell's right edge (twice the cell padding, roughly): how far left
# of the next column's text a line of this column must stop.
CELL_PADDING = 4.0
# Two parts of one table start their text at the same x (points).
JOIN_TOLERANCE = 3.0
# Text starting within this (points) of where other lines start is aligned with them.
STOP_TOLERANCE = 1.0
# A character starting this close (points) to a column's text start begins that cell.
CUT_TOLERANCE = 0.6
# A column boundary holds when at most this share of the text starting in the column
# crosses it; text crossing a boundary that holds has overflowed its cell.
OVERFLOW_SHARE = 1 / 3
# A word this short under a month header is a mark ("X", "*"), one per month.
MARK_MAX_CHARS = 2
# A wrapped line of a right-aligned or centred cell ends (or centres) within this
# (points) of the line above it.
WRAP_ALIGN_TOLERANCE = 1.5
# Rows padded apart: a line this much (points, or this share of the font size if more)
# further below the line above than the block's tightest line spacing starts a new row.
ROW_PAD = 1.0
ROW_PAD_SHARE = 0.12


@dataclass
class Segment:
    """Characters of one line belonging to one cell."""

    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    bold_first: bool
    bold_last: bool
    first_word: float  # width of the first word: does it fit at the end of the line above?
    space: float  # width of a space in this font size

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars).strip()


@dataclass
class Line:
    segments: list[Segment]
    page: int
    size: float

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)


@dataclass
class Separator:
    """The free band between two columns: no text of a multi-column line enters it."""

    lo: float
    hi: float

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2


@dataclass
class BorderlessTable(Table):
    """A borderless table while the document is read: keeps its lines and the column
    vocabulary it was read with, to be rebuilt whole when a page break cut it."""

    lines: list[Line] = field(default_factory=list)
    vocab: ColumnVocabulary = field(default_factory=ColumnVocabulary)
    # a row or two in columns at the top of a page, too few to be a table alone: kept
    # only as the continuation of a table the page break cut, else read as text again
    tentative: bool = False
    source: list[Char] = field(default_factory=list)  # a tentative one's characters, spaces too


# --------------------------------------------------------------------------- lines


def _groups(chars: list[Char]) -> list[list[Char]]:
    """The line's characters cut where the gap is wider than a word space."""
    shown = sorted(chars, key=lambda c: c["x0"])
    groups: list[list[Char]] = []
    last_x1: float | None = None
    for ch in shown:
        if not ch["text"].strip():
            continue  # spaces are gaps; a cell's text never starts with one
        if last_x1 is None or ch["x0"] - last_x1 > SEGMENT_GAP:
            groups.append([])
        groups[-1].append(ch)
        last_x1 = ch["x1"]
    return groups


def _is_justified(groups: list[list[Char]]) -> bool:
    """A line of justified running text, cut apart where justification stretched its word
    spaces past SEGMENT_GAP (or where OCR placed its words by their ink): a table row's
    gaps are cell paddings and column widths, wider than its words' spaces and unlike one
    another. Either the gaps are no wider than the word spaces inside the pieces, or there
    are many of them, word-sized and all alike. The first gap may be wider (a bullet)."""
    gaps = [b[0]["x0"] - a[-1]["x1"] for a, b in zip(groups, groups[1:])]
    if not gaps:
        return False
    size = statistics.median(float(c.get("size") or 0) for g in groups for c in g) or 9.0
    spaces = [gap for g in groups for gap in _word_gaps(g, size)]
    if spaces and max(gaps) <= max(spaces) + JUSTIFIED_GAP_SLACK:
        return True
    rest = gaps[1:]
    # the widest gaps against the usual one, not the narrowest: a glyph OCR lost leaves a
    # narrower gap inside a word ("dall art.14" for "dall'art.14")
    return (len(rest) >= JUSTIFIED_MIN_GAPS and max(rest) <= JUSTIFIED_MAX_GAP_EM * size
            and max(rest) - statistics.median(rest) <= JUSTIFIED_GAP_SPREAD_EM * size)


def _word_gaps(chars: list[Char], size: float) -> list[float]:
    """The gaps between the words of one piece of a line (wider than WORD_GAP_EM)."""
    gaps = (b["x0"] - a["x1"] for a, b in zip(chars, chars[1:]))
    return [gap for gap in gaps if gap > WORD_GAP_EM * size]


def _segments(chars: list[Char]) -> list[Segment]:
    groups = _groups(chars)
    if _is_justified(groups):
        groups = [[ch for g in groups for ch in g]]
    return [_segment(g) for g in groups]


def _segment(g: list[Char]) -> Segment:
    size = statistics.median(float(c.get("size") or 0) for c in g) or 9.0
    word_end = next((i for i in range(1, len(g))
                     if g[i]["x0"] - g[i - 1]["x1"] > WORD_GAP_EM * size), len(g))
    return Segment(
        chars=_with_spaces(g, size), x0=g[0]["x0"], x1=g[-1]["x1"],
        top=min(c["top"] for c in g), bottom=max(c["bottom"] for c in g),
        bold_first=is_bold_font(g[0].get("fontname")),
        bold_last=is_bold_font(g[-1].get("fontname")),
        first_word=g[word_end - 1]["x1"] - g[0]["x0"], space=0.278 * size)


def _words(seg: Segment) -> list[Segment]:
    """The segment cut at its word spaces, one segment per word."""
    out: list[list[Char]] = [[]]
    for ch in seg.chars:
        if ch["text"].strip():
            out[-1].append(ch)
        elif out[-1]:
            out.append([])
    return [_segment(g) for g in out if g]


def _word_start(prev: str, ch: str) -> bool:
    """Whether `ch` may start a word glued to `prev`: not inside a word of letters, where
    the only break a reader can see is a capital after a small letter."""
    return not (prev.isalpha() and ch.isalpha()) or (prev.islower() and ch.isupper())


def _with_spaces(chars: list[Char], size: float) -> list[Char]:
    """The segment's characters with a space wherever a word gap is (PDFs often omit them)."""
    out: list[Char] = []
    for ch in chars:
        if out and ch["x0"] - out[-1]["x1"] > WORD_GAP_EM * size:
            out.append({**out[-1], "text": " "})
        out.append(ch)
    return out


def page_lines(chars: list[Char], page: int) -> list[Line]:
    upright = [c for c in chars if is_upright(c) and c["text"].strip()]
    lines = []
    for group in cluster_objects(upright, lambda c: (c["top"] + c["bottom"]) / 2, LINE_TOLERANCE):
        segs = _segments(group)
        if segs:
            size = statistics.median(float(c.get("size") or 0) for c in group)
            lines.append(Line(segs, page, size))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            prev = blocks[-1][-1]
            gap = line.top - prev.bottom
            if gap <= BLOCK_GAP_SHARE * max(line.size, prev.size) \
                    and abs(line.size - prev.size) <= SIZE_TOLERANCE:
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def _aligned_runs(blocks: list[list[Line]]) -> list[list[Line]]:
    """Blocks joined where a table's rows are padded wider than a blank line: a block
    right below a tabular one, in its font size, each of whose lines holds two cells or
    more that start or end where the table's cells do, is more rows of that table."""
    out: list[list[Line]] = []
    for block in blocks:
        if out and _keeps_columns(out[-1], block) and _is_tabular(out[-1]):
            out[-1] = out[-1] + block
        else:
            out.append(block)
    return out


def _keeps_columns(table: list[Line], block: list[Line]) -> bool:
    last, first = table[-1], block[0]
    if first.top - last.bottom > ROW_GAP_SHARE * max(first.size, last.size) \
            or abs(first.size - last.size) > SIZE_TOLERANCE:
        return False
    return _in_its_columns(table, block)


def _in_its_columns(table: list[Line], block: list[Line]) -> bool:
    """Whether each line of `block` holds two cells or more, each starting or ending where
    a cell of `table` does."""
    starts = [s.x0 for ln in table for s in ln.segments]
    ends = [s.x1 for ln in table for s in ln.segments]

    def aligned(seg: Segment) -> bool:
        return any(abs(seg.x0 - x) <= STOP_TOLERANCE for x in starts) \
            or any(abs(seg.x1 - x) <= STOP_TOLERANCE for x in ends)

    return all(len(ln.segments) >= 2 and all(aligned(s) for s in ln.segments) for ln in block)


def _is_tabular(block: list[Line]) -> bool:
    multi = [ln for ln in block if len(ln.segments) >= 2]
    if len(multi) < 2:
        return False
    # A table of contents (title … page number) is laid out in columns too, but it is
    # running text with numbers beside it, not a table.
    # (A justified paragraph's lines were made one segment each: see _is_justified.)
    return not all(len(ln.segments) == 2 and ln.segments[1].text.isdigit() for ln in multi)


# --------------------------------------------------------------------------- columns


def infer_separators(lines: list[Line]) -> list[Separator]:
    """Column separators of a block, from the gaps of its multi-column lines."""
    wide = [ln for ln in lines if len(ln.segments) >= 3]
    reference = wide if len(wide) >= 2 else [ln for ln in lines if len(ln.segments) >= 2]
    gaps = [(a.x1, b.x0) for ln in reference for a, b in zip(ln.segments, ln.segments[1:])]
    seps: list[Separator] = []
    for lo, hi in sorted(gaps, key=lambda g: g[1] - g[0]):
        hit = [s for s in seps if lo < s.hi and s.lo < hi]
        if not hit:
            seps.append(Separator(lo, hi))
        elif len(hit) == 1:
            hit[0].lo, hit[0].hi = max(hit[0].lo, lo), min(hit[0].hi, hi)
    return sorted(seps, key=lambda s: s.lo)


@dataclass
class _Placed:
    seg: Segment
    start: int
    end: int  # last column covered
    page: int = 0


@dataclass
class Columns:
    """A block's columns: separators, and where text starts and ends in each column."""

    seps: list[Separator]
    left: float  # where the leftmost text starts
    right: float  # where the rightmost text ends
    # Boundaries of the twelve month columns (13 x positions) when the block has a month
    # header: they come from the header's labels, not from the marks under them.
    months: list[float] | None = None
    stops: list[float] = field(default_factory=list)  # x where several lines' text starts
    # per column but the last: whether the text starting in it stops short of the next
    # column on most lines (the boundary holds across rows, so crossing it is overflow)
    holds: list[bool] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return len(self.seps) + 1

    def bounds(self) -> list[float]:
        """Column boundaries: the block's edges and the separators' middles."""
        return [self.left - CELL_PADDING / 2, *(s.mid for s in self.seps),
                self.right + CELL_PADDING / 2]

    def text_start(self, col: int) -> float:
        return self.left if col == 0 else self.seps[col - 1].hi

    def text_limit(self, col: int) -> float:
        """How far right a line of text in `col` (its last covered column) may reach."""
        return (self.seps[col].hi if col < len(self.seps) else self.right + CELL_PADDING) \
            - CELL_PADDING

    def place(self, seg: Segment) -> _Placed:
        if self.months and (col := self._month_of_mark(seg)) is not None:
            return _Placed(seg, col, col)
        start = sum(1 for s in self.seps if seg.x0 >= s.mid)
        end = sum(1 for s in self.seps if seg.x1 > s.hi)
        return _Placed(seg, start, max(start, end))

    def is_stop(self, x: float) -> bool:
        """Whether other lines of the block start their text at `x` too: text aligned
        with theirs is left-aligned, not centred (a value column that is no grid column)."""
        return any(abs(x - stop) <= STOP_TOLERANCE for stop in self.stops)

    def _month_of_mark(self, seg: Segment) -> int | None:
        """The column of a mark ("X", "*") under the month header: the month its centre
        falls in, since a mark drawn a little wide must not reach into the next month."""
        assert self.months is not None
        width = (self.months[-1] - self.months[0]) / 12
        centre = (seg.x0 + seg.x1) / 2
        if seg.x1 - seg.x0 > 1.5 * width or not self.months[0] <= centre < self.months[-1]:
            return None
        k = next(i for i in range(12) if centre < self.months[i + 1])
        first = sum(1 for s in self.seps if s.mid <= self.months[0] + 0.01)
        return first + k

    def split(self, segments: list[Segment]) -> list[Segment]:
        """Segments cut where they hold the text of two cells.

        Text that overflows its cell runs into the next one with no gap
        ("sottoscrizioneSERVIZI"): a segment is cut where one of its characters starts
        exactly at a column's text start that other lines share. Marks of adjacent
        months printed close together ("X X X") read as one segment: under a month
        header such a segment is cut into its words, one per month."""
        out: list[Segment] = []
        for seg in segments:
            for part in self._cut_at_columns(seg):
                words = _words(part) if self.months else [part]
                marks = len(words) > 1 and all(len(w.text) <= MARK_MAX_CHARS for w in words) \
                    and self.months is not None and part.x1 > self.months[0]
                out.extend(words if marks else [part])
        return out

    def _cut_at_columns(self, seg: Segment) -> list[Segment]:
        # only text that starts a column of its own overflows into the next column
        col = next((k for k in range(self.n_cols)
                    if abs(seg.x0 - self.text_start(k)) <= STOP_TOLERANCE), None)
        if col is None or col >= len(self.seps) or not self.holds[col]:
            return [seg]
        nxt = self.seps[col].hi
        starts = [nxt] if seg.x0 + 1 < nxt < seg.x1 - 1 and self.is_stop(nxt) else []
        if not starts:
            return [seg]
        shown = [c for c in seg.chars if c["text"].strip()]
        groups: list[list[Char]] = [[]]
        for prev, ch in zip([None, *shown], shown):
            if prev is not None and _word_start(prev["text"], ch["text"]) \
                    and any(abs(ch["x0"] - x) <= CUT_TOLERANCE
                            and prev["x1"] <= ch["x0"] + CUT_TOLERANCE for x in starts):
                groups.append([])
            groups[-1].append(ch)
        return [_segment(g) for g in groups] if len(groups) > 1 else [seg]

    def spread(self, line: list[_Placed]) -> None:
        """Text spanning columns sits in a merged cell: it takes the empty columns beside it.

        Left-aligned text keeps its first column and runs to the next cell; centred text
        takes the run of columns whose middle is nearest its own."""
        line.sort(key=lambda p: (p.start, p.seg.x0))
        bounds = self.bounds()
        for i, p in enumerate(line):
            nxt = line[i + 1].start if i + 1 < len(line) else self.n_cols
            lo = (line[i - 1].end + 1) if i else 0
            if p.end > p.start and lo <= p.start:
                if abs(p.seg.x0 - self.text_start(p.start)) <= 1.0 or self.is_stop(p.seg.x0):
                    p.end = max(p.end, nxt - 1)
                else:
                    p.start, p.end = self._centred_run(p, lo, nxt - 1, bounds)
            p.end = max(p.start, min(p.end, nxt - 1))


    @staticmethod
    def _centred_run(p: _Placed, lo: int, hi: int, bounds: list[float]) -> tuple[int, int]:
        """The widest run of columns around `p` whose middle is (near enough) its centre.

        Boundaries next to centred text are only known to within the gap around it,
        hence the slack: a tenth of the run's width."""
        centre = (p.seg.x0 + p.seg.x1) / 2
        runs = sorted(((a, b) for a in range(lo, p.start + 1) for b in range(p.end, hi + 1)),
                      key=lambda ab: ab[0] - ab[1])
        for a, b in runs:
            width = bounds[b + 1] - bounds[a]
            if abs((bounds[a] + bounds[b + 1]) / 2 - centre) <= 0.1 * width:
                return a, b
        return p.start, p.end


def month_bounds(line: Line, vocab: ColumnVocabulary) -> list[float] | None:
    """The 13 boundaries of the month columns when `line` holds a month header, twelve
    labels the caller's vocabulary reads as the months in order (`1 … 12`,
    `G F M A M G L A S O N D`, `Gen … Dic`): halfway between label centres, the outer
    ones half a column beyond the first and last label."""
    words = [w for s in line.segments for w in _words(s)]
    for i in range(len(words) - 11):
        run = words[i:i + 12]
        if vocab.is_month_run([w.text for w in run]):
            centres = [(w.x0 + w.x1) / 2 for w in run]
            inner = [(a + b) / 2 for a, b in pairwise(centres)]
            return [2 * centres[0] - inner[0], *inner, 2 * centres[-1] - inner[-1]]
    return None


def infer_columns(lines: list[Line], vocab: ColumnVocabulary) -> Columns | None:
    seps = infer_separators(lines)
    months = next((b for ln in lines if (b := month_bounds(ln, vocab))), None)
    if months:
        # The header fixes the month columns: separators found among the marks (gaps
        # between two X's) give way to them.
        seps = [s for s in seps if s.hi < months[0]] + [Separator(b, b) for b in months[:-1]] \
            + [s for s in seps if s.lo > months[-1]]
    if not seps:
        return None
    right = max(s.x1 for ln in lines for s in ln.segments)
    if months:
        right = max(right, months[-1] - CELL_PADDING / 2)
    cols = Columns(seps, min(s.x0 for ln in lines for s in ln.segments), right, months,
                   _stops(lines))
    segs = [s for ln in lines for s in ln.segments]
    for k, sep in enumerate(seps):
        mine = [s for s in segs if abs(s.x0 - cols.text_start(k)) <= STOP_TOLERANCE]
        crossing = sum(1 for s in mine if s.x1 > sep.hi)
        cols.holds.append(bool(mine) and crossing <= OVERFLOW_SHARE * len(mine))
    return cols


def _stops(lines: list[Line]) -> list[float]:
    """Left edges shared by segments of three lines or more (tab stops, value columns)."""
    starts = sorted(s.x0 for ln in lines for s in ln.segments)
    groups: list[list[float]] = []
    for x in starts:
        if groups and x - groups[-1][-1] <= STOP_TOLERANCE:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [g[0] for g in groups if len(g) >= 3]


# --------------------------------------------------------------------------- rows


def _continues(seg: _Placed, above: list[_Placed], cols: Columns) -> bool:
    """Whether `seg` wraps the text of the same cell on the line above."""
    same = next((p for p in above if p.start == seg.start), None)
    if same is None:
        return False
    if seg.seg.bold_first and not same.seg.bold_last:
        return False  # a bold label under regular text: a new labelled paragraph
    # The last text of a line may sit in a cell merged to the right edge ("MISSIONE |
    # value"): its line could have run that far. Erring wide splits a wrapped line into
    # two rows, which a reader of rows can join; erring narrow would merge two rows.
    last = same is above[-1]
    limit = cols.text_limit(cols.n_cols - 1 if last else same.end)
    return same.seg.x1 + seg.seg.space + seg.seg.first_word > limit


def row_break_pitch(lines: list[Line]) -> float | None:
    """The line pitch above which a line starts a new row, where rows are padded apart.

    Writers that print a table without rules often leave padding between rows: a wrapped
    line then follows at the font's leading and a new row further down. None where no
    pitch stands out from the tightest one (Word: rows touch, the text must tell)."""
    pitches = [b.top - a.top for a, b in pairwise(lines) if a.page == b.page]
    if len(pitches) < 2:
        return None
    size = statistics.median(ln.size for ln in lines) or 9.0
    limit = min(p for p in pitches) + max(ROW_PAD, ROW_PAD_SHARE * size)
    return limit if any(p > limit for p in pitches) else None


def _rows(lines: list[Line], cols: Columns) -> list[list[list[_Placed]]]:
    """Lines grouped into rows; each line as its placed segments."""
    rows: list[list[list[_Placed]]] = []
    above: list[_Placed] = []
    prev: Line | None = None
    pitch = row_break_pitch(lines)
    for line in lines:
        placed = [cols.place(s) for s in cols.split(line.segments)]
        cols.spread(placed)
        for p in placed:
            p.page = line.page
        if not rows or prev is None or line.page != prev.page:
            new_row = True
        elif pitch is not None:
            new_row = line.top - prev.top > pitch
        else:
            new_row = not all(_continues(p, above, cols) for p in placed)
        if new_row:
            rows.append([])
        rows[-1].append(placed)
        above, prev = placed, line
    return rows


# --------------------------------------------------------------------------- table


def build_table(lines: list[Line], vocab: ColumnVocabulary) -> BorderlessTable | None:
    cols = infer_columns(lines, vocab)
    if cols is None:
        return None
    bounds = cols.bounds()
    cells: list[IRCell] = []
    for r, row in enumerate(_rows(lines, cols)):
        _rejoin_wraps(row)
        by_start: dict[int, list[_Placed]] = {}
        for placed in row:
            for p in placed:
                by_start.setdefault(p.start, []).append(p)
        # a later line may start a cell inside an earlier line's span: the span yields
        starts = sorted(by_start)
        for i, start in enumerate(starts):
            parts = by_start[start]
            end = max(p.end for p in parts)
            if i + 1 < len(starts):
                end = min(end, starts[i + 1] - 1)
            segs = [p.seg for p in parts]
            page = parts[0].page
            cells.append(IRCell(
                row=r, col=start, colspan=end - start + 1,
                text="\n".join(_line_texts(segs)),
                bbox=(round(bounds[start], 2), round(min(s.top for s in segs), 2),
                      round(bounds[end + 1], 2), round(max(s.bottom for s in segs), 2)),
                page=page,
                bold=all(is_bold_font(c.get("fontname")) for s in segs for c in s.chars
                         if c["text"].strip())))
    n_rows = max((c.row for c in cells), default=-1) + 1
    first_page = lines[0].page
    on_first = [c.bbox for c in cells if c.page == first_page and c.bbox]
    bbox = (round(bounds[0], 2), min(b[1] for b in on_first),
            round(bounds[-1], 2), max(b[3] for b in on_first))
    pages = sorted({ln.page for ln in lines})
    # col_edges stay None: inferred boundaries must not drive the ruled-table join
    return BorderlessTable(cells=cells, n_rows=n_rows, n_cols=cols.n_cols, pages=pages,
                           bbox=bbox, col_edges=None, ruled=False, lines=list(lines),
                           vocab=vocab)


def _rejoin_wraps(row: list[list[_Placed]]) -> None:
    """A right-aligned or centred cell that wraps ("Responsabile: Dott. Antonio" over
    "Cossu") puts its next line inside the columns its first line spans, flush with its
    right edge or centred under it, which would start a cell of its own there: it is the
    same cell, so it takes the span of the line above."""
    for above, line in zip(row, row[1:]):
        for p in line:
            q = next((q for q in above if q.start < p.start <= q.end), None)
            if q is not None and (
                    abs(p.seg.x1 - q.seg.x1) <= WRAP_ALIGN_TOLERANCE
                    or abs(p.seg.x0 + p.seg.x1 - q.seg.x0 - q.seg.x1) <= 2 * WRAP_ALIGN_TOLERANCE):
                p.start, p.end = q.start, q.end


def _line_texts(segs: list[Segment]) -> list[str]:
    """Segment texts, one line each, in reading order (segments of one line joined)."""
    out: dict[float, list[Segment]] = {}
    for s in sorted(segs, key=lambda s: (s.top, s.x0)):
        key = next((k for k in out if abs(k - s.top) <= LINE_TOLERANCE), s.top)
        out.setdefault(key, []).append(s)
    return [" ".join(s.text for s in group) for _, group in sorted(out.items())]


def borderless_tables(chars: list[Char], page: int, vocab: ColumnVocabulary,
                      height: float | None = None) -> tuple[list[Table], list[Char]]:
    """Tables laid out by whitespace on a page without rules, and the characters outside
    them. `vocab` tells a month header (its columns fix the marks' months); `height`, the
    page's, lets the first lines of the page continue a table cut by the page break."""
    tables: list[Table] = []
    taken: set[int] = set()
    blocks = _aligned_runs(_blocks(page_lines(chars, page)))
    opening = _opening_blocks(blocks, height)
    for block in blocks:
        tentative = any(block is b for b in opening) and not _is_tabular(block)
        if not (tentative or _is_tabular(block)):
            continue
        table = build_table(block, vocab)
        if table is None:
            continue
        tables.append(table)
        taken.update(id(c) for ln in block for s in ln.segments for c in s.chars)
        if tentative:
            top, bottom = block[0].top, block[-1].bottom
            table.tentative = True
            table.source = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            taken.update(id(c) for c in table.source)
    return tables, [c for c in chars if id(c) not in taken]


# A running header laid out in columns ("Comune di …    pag. 3") may come first: the
# rows a page break cut off are looked for among this many blocks at the page's top.
OPENING_BLOCKS = 2


def _opening_blocks(blocks: list[list[Line]], height: float | None) -> list[list[Line]]:
    """The blocks the page opens with, high on the page, every line of which holds two
    cells or more: maybe the rest of a table the page break cut (join_borderless decides)."""
    out: list[list[Line]] = []
    for block in blocks[:OPENING_BLOCKS]:
        if not height or block[0].top > (1 - BOTTOM_SHARE) * height \
                or not all(len(ln.segments) >= 2 for ln in block):
            break
        out.append(block)
    return out


# --------------------------------------------------------------------------- document


def _part_bottom(table: BorderlessTable) -> float:
    return max(ln.bottom for ln in table.lines if ln.page == table.pages[-1])


def _continues_part(first: BorderlessTable, cont: BorderlessTable, between: list[Element],
                    heights: dict[int, float], widths: dict[int, float]) -> bool:
    last = first.pages[-1]
    if cont.pages[0] != last + 1 or last not in heights or cont.pages[0] not in heights:
        return False
    if _part_bottom(first) < BOTTOM_SHARE * heights[last]:
        return False
    if cont.lines[0].top > (1 - BOTTOM_SHARE) * heights[cont.pages[0]]:
        return False
    # running headers and footers (extract/join.py's rule for ruled tables) and opening
    # rows that continued nothing may sit between the parts
    between = [el for el in between
               if not in_running_margin(el, heights, last, cont.pages[0], widths)
               and not (isinstance(el, BorderlessTable) and el.tentative)]
    if between:
        return False  # text between the parts: a heading or paragraph, a new table follows
    left_a = min(s.x0 for ln in first.lines for s in ln.segments)
    left_b = min(s.x0 for ln in cont.lines for s in ln.segments)
    if cont.tentative and not _in_its_columns(first.lines, cont.lines):
        return False  # a line or two in columns of their own: not this table's rows
    return abs(left_a - left_b) <= JOIN_TOLERANCE


def join_borderless(doc: Document) -> int:
    """Rebuild borderless tables cut by a page break as one; add the Document warning.

    Returns how many parts were joined. Leaves plain IR Tables behind."""
    heights = {p.number: p.height for p in doc.pages if p.height}
    widths = {p.number: p.width for p in doc.pages if p.width}
    out: list[Element] = []
    last: int | None = None
    joined = 0
    for el in doc.elements:
        if isinstance(el, BorderlessTable) and last is not None:
            first = out[last]
            assert isinstance(first, BorderlessTable)
            if _continues_part(first, el, out[last + 1:], heights, widths):
                merged = build_table(first.lines + el.lines, first.vocab)
                if merged is not None:
                    out[last] = merged
                    joined += 1
                    continue
        out.append(el)
        if isinstance(el, BorderlessTable) and el.tentative and last is not None:
            continue  # opening rows that continued nothing: the table above may go on
        if isinstance(el, Table):
            last = len(out) - 1 if isinstance(el, BorderlessTable) else None
    doc.elements = [e for el in out for e in _settled(el)]
    if any(not t.ruled for t in doc.tables()) and WARNING not in doc.warnings:
        doc.warnings.append(WARNING)
    return joined


def _settled(el: Element) -> list[Element]:
    """A borderless table as a plain IR Table; an opening row that continued nothing as
    the text it is."""
    if not isinstance(el, BorderlessTable):
        return [el]
    if el.tentative:
        return list(text_blocks(el.source, el.pages[0]))
    return [_plain(el)]


def _plain(table: BorderlessTable) -> Table:
    return Table(cells=table.cells, n_rows=table.n_rows, n_cols=table.n_cols, pages=table.pages,
                 bbox=table.bbox, line=table.line, col_edges=table.col_edges, ruled=False)
