"""Running text of a PDF page (the characters outside tables) → paragraph TextBlocks.

Characters are grouped into lines by their vertical centre (rotated text, by
its horizontal centre: each rotated line is a block of its own), lines into
paragraphs by spacing and style: a paragraph ends where the gap to the next
line is larger than the paragraph's own line spacing, or where weight, size or
horizontal position change (a bold heading above body text is its own block).
Line breaks inside a paragraph are kept as "\n": the raw text stays as printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pdfplumber.utils import cluster_objects

from extract.chars_text import chars_text
from extract.ir import TextBlock
from extract.pdf_backend import Char
from extract.pdf_fonts import all_bold, direction, is_upright, typical_size, visible

# Characters whose vertical centres are this close (points) sit on one line.
LINE_TOLERANCE = 3.0
# A gap of at least this many font sizes between lines is a blank line: new paragraph.
BLANK_LINE_GAP = 1.0
# Extra spacing (in font sizes) over the paragraph's own line gap that starts a new one.
PARAGRAPH_EXTRA_GAP = 0.3
# Font sizes differing by more than this (points) belong to different blocks.
PARAGRAPH_SIZE_TOLERANCE = 1.0
# Along a rotated line, a gap wider than this many font sizes between two characters is a
# word space the file did not write as a character.
ROTATED_WORD_GAP_EM = 0.25


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    bold: bool
    size: float
    upright: bool = True


def _lines(chars: list[Char]) -> list[_Line]:
    upright = [c for c in chars if is_upright(c)]
    rotated = [c for c in chars if not is_upright(c)]
    groups = [
        *((g, True) for g in cluster_objects(upright, _v_mid, LINE_TOLERANCE)),
        *((g, False) for g in cluster_objects(rotated, _h_mid, LINE_TOLERANCE)),
    ]
    out = []
    for group, straight in groups:
        shown = visible(group)
        if not shown:
            continue
        out.append(
            _Line(
                text=chars_text(group) if straight else _rotated_text(group),
                x0=min(c["x0"] for c in shown),
                top=min(c["top"] for c in shown),
                x1=max(c["x1"] for c in shown),
                bottom=max(c["bottom"] for c in shown),
                bold=all_bold(shown),
                size=typical_size(shown) or 0.0,
                upright=straight,
            )
        )
    out.sort(key=lambda line: (line.top, line.x0))
    return out


def _rotated_text(chars: list[Char]) -> str:
    """A rotated line's text in reading order: its characters along their baseline's
    direction (a stamp printed up the margin reads bottom to top), spaces as written,
    and one where the gap along the line is a word's."""
    dx, dy = direction(chars[0])

    def along(c: Char) -> tuple[float, float]:
        ends = [x * dx + y * dy for x in (c["x0"], c["x1"]) for y in (c["top"], c["bottom"])]
        return min(ends), max(ends)

    ordered = sorted(chars, key=along)
    out: list[str] = []
    last_end: float | None = None
    for c in ordered:
        start, end = along(c)
        size = float(c.get("size") or 0.0)
        if (last_end is not None and start - last_end > ROTATED_WORD_GAP_EM * size
                and out and out[-1] != " " and c["text"] != " "):
            out.append(" ")
        out.append(c["text"])
        last_end = end
    return "".join(out).strip()


def _v_mid(c: Char) -> float:
    return (c["top"] + c["bottom"]) / 2


def _h_mid(c: Char) -> float:
    return (c["x0"] + c["x1"]) / 2


def _starts_paragraph(prev: _Line, line: _Line, block_gap: float | None) -> bool:
    if not (prev.upright and line.upright):
        return True
    size = max(min(prev.size, line.size), 1.0)
    gap = line.top - prev.bottom
    if prev.bold != line.bold or abs(prev.size - line.size) > PARAGRAPH_SIZE_TOLERANCE:
        return True
    if line.x0 > prev.x1 or line.x1 < prev.x0:  # side by side, not one below the other
        return True
    if gap >= BLANK_LINE_GAP * size or gap < -LINE_TOLERANCE:
        return True
    return block_gap is not None and gap > block_gap + PARAGRAPH_EXTRA_GAP * size


def text_blocks(chars: list[Char], page: int) -> list[TextBlock]:
    blocks: list[list[_Line]] = []
    block_gap: float | None = None  # line gap inside the current block, once known
    for line in _lines(chars):
        if blocks and not _starts_paragraph(blocks[-1][-1], line, block_gap):
            if block_gap is None:
                block_gap = line.top - blocks[-1][-1].bottom
            blocks[-1].append(line)
        else:
            blocks.append([line])
            block_gap = None
    return [_block(lines, page) for lines in blocks]


def _block(lines: list[_Line], page: int) -> TextBlock:
    sizes = sorted(line.size for line in lines)
    return TextBlock(
        text="\n".join(line.text for line in lines),
        page=page,
        bbox=(
            round(min(line.x0 for line in lines), 2),
            round(min(line.top for line in lines), 2),
            round(max(line.x1 for line in lines), 2),
            round(max(line.bottom for line in lines), 2),
        ),
        bold=all(line.bold for line in lines),
        size=sizes[len(sizes) // 2] or None,
    )
