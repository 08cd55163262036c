"""Scanned PDF pages (images, no text layer) → the layout IR, through Tesseract.

OCR is an optional extra: the binary `tesseract` (with Italian) must be on PATH.
Without it a scanned page is an explicit error (kind "scanned_no_ocr"), never an
empty page.

How a scanned page is read (the text pass of extract/pdf.py found no characters):

1. The page is rendered at its scan resolution, straightened, and its table rules are
   found in the pixels and erased (extract/scan_image.py). The rules become pdfplumber
   edges, so the table grid, the spans and the cell each character belongs to come from
   exactly the code that reads born-digital PDFs (extract/pdf_grid.py via `read_page`).
2. Tesseract reads running text well and lone tokens in table cells badly: a month row
   "X   X   X" printed a cell apart becomes "KXOXOOX", a column of objective numbers
   one word "OUAWNFZ", because its line model sees one text line with odd gaps. So the
   small cells (month marks, numbers, weights) are cut out of the page and OCRed on a
   page of their own where each cell is a separate, well-spaced tile; the characters read
   there are moved back into their cell. Both kinds of page go to Tesseract as the
   pixels they are (extract/tesseract.py: no PDF in between, one process per core), and
   its words become characters, each with its word's confidence (`Char["confidence"]`).
3. Each cell of a scanned table records its ink (`Cell.ink`, the dark area inside its
   border in square points, dust removed): a lone "X" that Tesseract drops or misreads
   is still a mark, and the normaliser says so honestly (mark kind "ink").
4. Cells of columns whose header says what they hold (numbers, weights, month marks)
   and whose reading is not such a token are read again one by one with only the
   column's characters allowed (extract/ocr_cells.py): "ST" becomes "3T" there.

`Document.meta` gets `read_mode` ("ocr"), `ocr_confidence` (mean Tesseract word
confidence, 0…100), `ocr_pages`, `ocr_skew` and `ocr_cells` (each cell read
again: page, box, before, after, confidence, kept).
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
import pypdfium2 as pdfium

from extract.ir import BBox, Element, ReaderError, Table
from extract.ocr_cells import reread_typed_cells
from extract.pdf_backend import Char, PageObjects
from extract.pdf_grid import find_table_boxes
from extract.pdf_page import read_page
from extract.scan_image import ScanImage, scan_image
from extract.settings import NO_COLUMNS, ColumnVocabulary, OcrStart
from extract.tesseract import DARK, Picture, Word, available_jobs, read_images

OCR_MISSING = "OCR not available: install tesseract-ocr and tesseract-ocr-ita"
LANGUAGE = "ita"  # the default; ReadSettings.ocr_language chooses
# Scans are read at their own resolution, within these bounds (dpi): below 150 Tesseract
# loses small print, above 300 it only gets slower.
MIN_DPI, MAX_DPI, DEFAULT_DPI = 150, 300, 200
# Below this confidence (0…100) a word of signs alone, or a lone letter in running text,
# is a speck Tesseract read (on the development scans such specks read at 0 to 25, the
# dashes, dots and one-letter words printed there at 34 and more).
SPECK_CONFIDENCE = 30.0
# A page's running text is cut for parallel Tesseract runs within this share of its
# height around each even cut, at rows with no ink (extract/tesseract.py's DARK).
BAND_SLACK = 0.1
# The font name OCR characters carry: what the page printed is not known.
OCR_FONT = "OCR"
# "Small" cells are OCRed as tiles: a month column, a number or a weight column is
# narrower than this (points); the text columns of a card are several times wider.
SMALL_CELL_MAX_WIDTH = 80.0
# A tile is the cell's inked part with this much white around it (points).
TILE_PAD = 4.0
# Tiles are enlarged this many times: Tesseract reads a lone token far better at
# ~40 px capitals than at the ~20 px of 10 pt print scanned at 200 dpi.
TILE_ZOOM = 2
# A cell with less ink than this (square points) holds nothing worth OCRing.
MIN_TILE_INK = 2.0
# White space (points) between tile lines (more than a line gap, so that each table row
# is a line of its own) and between the tiles of a line (a wide word space: each cell's
# content stays a word of its own, but the line reads as a line of text).
TILE_GAP = 24.0
WORD_GAP = 8.0
# Cells whose tops are this close (points) are in one table row.
ROW_TOLERANCE = 2.0
# Tesseract page segmentation "a single uniform block of text": in the default automatic
# mode it drops a lone character on an otherwise empty page (a tile page), while on a
# full page of running text the result is the same line by line.
PAGE_SEGMENTATION = "6"


@functools.lru_cache(maxsize=4)
def _languages(tesseract: str) -> frozenset[str]:
    try:
        out = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True,
                             check=False, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def unavailable(language: str = LANGUAGE) -> str | None:
    """Why OCR cannot run here (the message for the user), or None when it can.

    Checked on PATH at every call, not at import: a batch can be started before the
    packages are installed, and a test can take them away.
    """
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return OCR_MISSING
    missing = set(language.split("+")) - _languages(tesseract)
    if missing == {LANGUAGE}:
        return OCR_MISSING
    if missing:
        return f"OCR not available: Tesseract has no language {'+'.join(sorted(missing))}"
    return None


@dataclass
class _Tile:
    """A small cell's content placed on a tile page: where it came from and where it sits."""

    cell: BBox  # on the scanned page (points)
    slot: BBox  # on the tile page (points)


@dataclass
class _OcrInput:
    scan: ScanImage
    page_image: np.ndarray  # the clean page with the tiled cells painted white
    tile_pages: list[tuple[np.ndarray, list[_Tile]]] = field(default_factory=list)


@dataclass
class OcrPages:
    elements: dict[int, list[Element]]  # source page number → its elements in reading order
    confidence: float | None  # mean word confidence (0…100) of everything Tesseract read
    skew: dict[int, float]  # source page number → degrees it was turned back by
    cells: list[dict] = field(default_factory=list)  # cells read again (ocr_cells.Reread)


def read_scanned_pages(data: bytes, numbers: list[int], language: str = LANGUAGE,
                       columns: ColumnVocabulary = NO_COLUMNS,
                       on_start: OcrStart | None = None, jobs: int = 0) -> OcrPages:
    """Read pages `numbers` (1-based) of the PDF `data` by OCR in Tesseract `language`;
    `columns` types the table columns whose cells are read again (extract/ocr_cells.py);
    `on_start(pages)` is told before the slow part starts; `jobs` Tesseract processes
    share the work (0: one per core this process may use). Raises ReaderError."""
    reason = unavailable(language)
    if reason:
        raise ReaderError("scanned_no_ocr", reason)
    if on_start is not None:
        on_start(len(numbers))
    jobs = jobs or available_jobs()
    inputs, scores, elements = [], [], {}
    # each page's tables are built as soon as it is read, while the later pages still are
    for inp, read in _ocr(data, numbers, language, jobs):
        inputs.append(inp)
        scores += [w.confidence for words in read for w in words]
        scan = inp.scan
        objects = PageObjects(
            number=scan.number, width=scan.width, height=scan.height, rotation=0,
            chars=_page_chars(inp, read), edges=scan.edges, fills=[], image_count=1,
        )
        elements[scan.number] = _with_confidence(
            _with_ink(_without_specks(read_page(objects, columns)), scan), objects.chars)
    confidence = round(sum(scores) / len(scores), 1) if scores else None
    rereads = reread_typed_cells(elements, {i.scan.number: i.scan for i in inputs}, language,
                                 columns, jobs)
    return OcrPages(
        elements=elements,
        confidence=confidence,
        skew={i.scan.number: i.scan.skew for i in inputs},
        cells=[r.as_meta() for r in rereads],
    )


def _ocr(data: bytes, numbers: list[int], language: str,
         jobs: int) -> Iterator[tuple[_OcrInput, list[list[Word]]]]:
    """Each page cleaned, with the words read on it, then on each of its tile pages, in
    page order as each is read.

    Each page is rendered and cleaned here (PDFium is not thread-safe, and the cleaning
    is mostly Python), and goes to `jobs` Tesseract processes as soon as it is ready:
    the next page is cleaned while the last is read. Every page but the last is read
    whole, while the pages after it keep the other cores busy; the last is cut into
    `jobs` bands at blank rows, so that no core idles at the end and a one-page scan is
    read on every core. (Banding the last `jobs` pages instead left a core idle for
    most of a page: the first bands of the second-to-last page queued the last page's
    behind them. On the 3-page scanned fixture: 3.8-4.1 s against 4.8-5.8 s, the same
    words.) A page's tile pages are read by the process that reads its last band (each
    process costs ~0.1 s of model loading)."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        submitted = []
        for k, (number, rendered) in enumerate(_rendered(data, numbers)):
            inp = _prepare(rendered, number)
            dpi = inp.scan.scale * 72
            cuts = _bands(inp.page_image, jobs if k == len(numbers) - 1 else 1)
            runs = [[Picture(inp.page_image[top:bottom], dpi)] for top, bottom in cuts]
            runs[-1] += [Picture(image, dpi * TILE_ZOOM) for image, _ in inp.tile_pages]
            futures = [pool.submit(read_images, run, language, PAGE_SEGMENTATION)
                       for run in runs]
            submitted.append((inp, [top for top, _ in cuts], futures))
        for inp, tops, futures in submitted:
            read = [f.result() for f in futures]
            yield inp, [[w.lowered(top) for top, words in zip(tops, read) for w in words[0]],
                        *read[-1][1:]]


def _page_chars(inp: _OcrInput, read: list[list[Word]]) -> list[Char]:
    """The characters read on the page and, moved back into their cells, on its tiles."""
    scale = 1 / inp.scan.scale  # points per pixel
    out = _chars([w for w in read[0] if _believed(w, tile=False)], scale)
    for (_, tiles), words in zip(inp.tile_pages, read[1:], strict=True):
        placed = _chars([w for w in words if _believed(w, tile=True)], scale / TILE_ZOOM)
        out += _back_to_cells(placed, tiles)
    return out


def _rendered(data: bytes, numbers: list[int]):
    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            dpi = _scan_dpi(page)
            _remove_text(page)
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            gray = bitmap.to_numpy()
            if gray.ndim == 3:
                gray = gray[..., 0]
            # a copy: the bitmap's memory is PDFium's, freed with it, and the page is
            # read on in another thread after this one has moved on
            yield number, (np.array(gray, dtype=np.uint8, order="C"), dpi / 72)
            page.close()
    finally:
        pdf.close()


def _remove_text(page: pdfium.PdfPage) -> None:
    """Take the page's text objects off before it is rendered: the lines a records system
    laid over the scan (a protocol stamp) are read from the text layer as they are; in the
    pixels OCR would read them again, badly (a vertical line becomes noise). Only the
    in-memory page changes: the document is never saved."""
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_TEXT:
            page.remove_obj(obj)


def _scan_dpi(page: pdfium.PdfPage) -> float:
    """The resolution of the page's largest image, as printed on the page."""
    width_pt = page.get_width()
    best = 0
    for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,)):
        px_w, _ = obj.get_px_size()
        left, _, right, _ = obj.get_bounds()
        if right > left and px_w > best:
            best = px_w
            dpi = px_w * 72 / (right - left)
    if not best or width_pt <= 0:
        return DEFAULT_DPI
    return float(min(MAX_DPI, max(MIN_DPI, round(dpi))))


def _prepare(rendered: tuple[np.ndarray, float], number: int) -> _OcrInput:
    gray, scale = rendered
    scan = scan_image(gray, number, scale)
    page_bbox = (0.0, 0.0, scan.width, scan.height)
    grids, lone = find_table_boxes(scan.edges, page_bbox)
    small = [
        box for box in {b for boxes in grids for b in boxes} | set(lone)
        if box[2] - box[0] <= SMALL_CELL_MAX_WIDTH and scan.ink_area(box) >= MIN_TILE_INK
    ]
    small.sort(key=lambda b: (b[1], b[0]))
    page_image = (scan.clean if scan.page is None else scan.page).copy()
    for box in small:
        x0, top, x1, bottom = _pixels(box, scale)
        page_image[top:bottom, x0:x1] = 255
    return _OcrInput(scan, page_image, _tile_pages(scan, small))


def _pixels(box: BBox, scale: float) -> tuple[int, int, int, int]:
    return tuple(round(v * scale) for v in box)  # type: ignore[return-value]


def _tile_rows(scan: ScanImage, boxes: list[BBox]) -> list[list[BBox]]:
    """The inked parts of the small cells, grouped by table row, left to right.

    All parts of a row share one vertical range (the row's ink, padded), so that on the
    tile page they stand on one baseline: an "X" keeps its height next to an "x".
    """
    rows: list[list[BBox]] = []
    for cell in sorted(boxes, key=lambda b: (round(b[1]), b[0])):
        if rows and abs(rows[-1][0][1] - cell[1]) <= ROW_TOLERANCE:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    out = []
    for row in rows:
        inks = [(c, scan.ink_box(c)) for c in row]
        inks = [(c, i) for c, i in inks if i is not None]
        if not inks:
            continue
        top = min(i[1] for _, i in inks) - TILE_PAD
        bottom = max(i[3] for _, i in inks) + TILE_PAD
        out.append([(max(c[0], i[0] - TILE_PAD), max(c[1], top),
                     min(c[2], i[2] + TILE_PAD), min(c[3], bottom)) for c, i in inks])
    return out


def _tile_pages(scan: ScanImage, boxes: list[BBox]) -> list[tuple[np.ndarray, list[_Tile]]]:
    """The small cells' ink, enlarged TILE_ZOOM times, one tile-page line per table row
    (tiles a word space apart, lines TILE_GAP apart), on pages of the scanned page's
    size, as many as needed."""
    pages: list[tuple[np.ndarray, list[_Tile]]] = []
    width, height = scan.width, scan.height
    px = scan.scale * TILE_ZOOM  # pixels per point on a tile page
    image: np.ndarray | None = None
    tiles: list[_Tile] = []
    y = TILE_GAP
    for row in _tile_rows(scan, boxes):
        x, line_height = TILE_GAP, max(b[3] - b[1] for b in row)
        for k, part in enumerate(row):
            w, h = part[2] - part[0], part[3] - part[1]
            if k and x + w + TILE_GAP > width:  # wrap a row too wide for the page
                x, y = TILE_GAP, y + line_height + TILE_GAP
            if image is None or y + line_height + TILE_GAP > height:  # next page
                if image is not None:
                    pages.append((image, tiles))
                image = np.full((round(height * px), round(width * px)), 255, np.uint8)
                tiles, x, y = [], TILE_GAP, TILE_GAP
            slot = (x, y, x + w, y + h)
            cx0, ctop, cx1, cbottom = _pixels(part, scan.scale)
            crop = cv2.resize(scan.clean[ctop:cbottom, cx0:cx1], None, fx=TILE_ZOOM,
                              fy=TILE_ZOOM, interpolation=cv2.INTER_CUBIC)
            sx0, stop = round(slot[0] * px), round(slot[1] * px)
            crop = crop[: image.shape[0] - stop, : image.shape[1] - sx0]
            image[stop : stop + crop.shape[0], sx0 : sx0 + crop.shape[1]] = crop
            tiles.append(_Tile(part, slot))
            x += w + WORD_GAP
        y += line_height + TILE_GAP
    if image is not None:
        pages.append((image, tiles))
    # A tile page ends below its last line and right of its widest: Tesseract's time
    # grows with the white it is given, and tiles fill a corner of an A4 canvas.
    return [(image[: round((max(t.slot[3] for t in tiles) + TILE_GAP) * px),
                   : round((max(t.slot[2] for t in tiles) + TILE_GAP) * px)], tiles)
            for image, tiles in pages]


def _bands(image: np.ndarray, count: int) -> list[tuple[int, int]]:
    """The page cut into `count` bands of about equal height (row ranges), each cut in
    the middle of the widest run of blank rows near its place: no text line is cut, so
    each band reads as the page would. Where no blank row is near, no cut."""
    height = image.shape[0]
    blank = ~(image < DARK).any(axis=1)
    cuts = [0]
    for k in range(1, count):
        lo, hi = round(height * (k / count - BAND_SLACK)), round(height * (k / count + BAND_SLACK))
        best, run_start, best_len = None, None, 0
        for y in range(max(lo, cuts[-1] + 1), min(hi, height)):
            if blank[y]:
                run_start = y if run_start is None else run_start
                if y - run_start + 1 > best_len:
                    best, best_len = (run_start + y) // 2, y - run_start + 1
            else:
                run_start = None
        if best is not None:
            cuts.append(best)
    return list(zip(cuts, [*cuts[1:], height]))


def _believed(word: Word, tile: bool) -> bool:
    """Not a speck read as a sign: a "." or "°" alone that Tesseract itself gives less
    than SPECK_CONFIDENCE is dust, and so is a lone letter on the page itself, where it
    is a word of running text ("e", "è") read surely or nothing. On a tile page a lone
    letter is the cell's whole content (an "X" read at 0 is still a mark): only signs
    are judged there."""
    letters = sum(ch.isalnum() for ch in word.text)
    return word.confidence >= SPECK_CONFIDENCE or letters > (0 if tile else 1)


def _closed_up(word: Word) -> list[tuple[str, float, float]]:
    """The word's letters, each reaching the next when the gap between them is narrower
    than a letter is tall: a word Tesseract read stays one word ("OBIETTIVO" in spaced
    capitals would split at a wider gap than a text layer ever has between its letters),
    while a "word" it ran over several cells' tiles ("1 2 3" read "123"), its letters
    far apart, keeps each letter in its own cell."""
    letters = list(word.letters)
    for k in range(len(letters) - 1):
        ch, x0, x1 = letters[k]
        if letters[k + 1][1] - x1 < word.ascent:
            letters[k] = (ch, x0, max(x1, letters[k + 1][1]))
    return letters


def _chars(words: list[Word], pt: float) -> list[Char]:
    """The words as characters on the page (points, `pt` per pixel), the way a text layer
    has them: each letter where Tesseract saw it, standing on its line's baseline, as
    tall as the line's letters (their height above the baseline is their size); a space
    fills the gap to the next word on the line, so that words stay words."""
    out: list[Char] = []
    for k, w in enumerate(words):
        top, bottom = (w.baseline - w.ascent) * pt, (w.baseline + w.descent) * pt
        size = max(w.ascent * pt, 1.0)
        glyphs = [(ch, a * pt, b * pt) for ch, a, b in _closed_up(w)]
        x1 = w.box[2] * pt
        after = words[k + 1] if k + 1 < len(words) else None
        if after is not None and after.line == w.line:
            # two words even where Tesseract's boxes overlap ("raggiungere" boxed over
            # the "i" after it): the space then stands where the next word starts
            start = min(x1, after.box[0] * pt)
            glyphs.append((" ", start, max(start, after.box[0] * pt)))
        out += [{"text": ch, "x0": a, "x1": b, "top": top, "bottom": bottom, "size": size,
                 "upright": True, "fontname": OCR_FONT, "confidence": w.confidence,
                 "doctop": top, "width": b - a, "height": bottom - top}
                for ch, a, b in glyphs]
    return out


def _back_to_cells(chars: list[Char], tiles: list[_Tile]) -> list[Char]:
    moved = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        tile = next((t for t in tiles if t.slot[0] <= cx < t.slot[2]
                     and t.slot[1] <= cy < t.slot[3]), None)
        if tile is None:  # read in the gap between tiles: noise
            continue
        dx, dy = tile.cell[0] - tile.slot[0], tile.cell[1] - tile.slot[1]
        moved.append({**ch, "x0": ch["x0"] + dx, "x1": ch["x1"] + dx,
                      "top": ch["top"] + dy, "bottom": ch["bottom"] + dy})
    return moved


# Running text with fewer letters or digits than this is Tesseract reading dust at the
# page margin or a picture (a '"' 300 pt tall on a photograph), not print.
MIN_BLOCK_ALNUM = 2


def _without_specks(elements: list[Element]) -> list[Element]:
    return [e for e in elements
            if isinstance(e, Table) or sum(ch.isalnum() for ch in e.text) >= MIN_BLOCK_ALNUM]


def _with_confidence(elements: list[Element], chars: list[Char]) -> list[Element]:
    """Each cell and text block gets the lowest confidence of the words read in it: one
    doubtful word is what an analyst must check, however sure the rest is."""
    # The characters' centres sorted top to bottom: each box looks only at its own rows
    # (a page has thousands of characters and hundreds of cells).
    read = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, c["confidence"])
                  for c in chars if not c["text"].isspace())
    ys = [y for y, _, _ in read]

    def lowest(box: BBox | None) -> float | None:
        if box is None:
            return None
        rows = read[bisect.bisect_left(ys, box[1]):bisect.bisect_right(ys, box[3])]
        inside = [conf for _, x, conf in rows if box[0] <= x <= box[2]]
        return min(inside) if inside else None

    for e in elements:
        if isinstance(e, Table):
            e.cells = [replace(c, confidence=lowest(c.bbox)) for c in e.cells]
        else:
            e.confidence = lowest(e.bbox)
    return elements


def _with_ink(elements: list[Element], scan: ScanImage) -> list[Element]:
    """Record each cell's ink; punctuation read in a cell with no ink at all (only dust,
    which scan_image removes from the ink) is Tesseract reading the dust: dropped."""
    for e in elements:
        if not isinstance(e, Table):
            continue
        for k, c in enumerate(e.cells):
            if c.bbox is None:
                continue
            ink = round(scan.ink_area(c.bbox), 1)
            dust = ink == 0 and not any(ch.isalnum() for ch in c.text)
            e.cells[k] = replace(c, ink=ink, text="" if dust else c.text)
    return elements
