"""Scanned PDF pages (images, no text layer) → the layout IR, through OCRmyPDF + Tesseract.

OCR is an optional extra: the binaries `ocrmypdf` and `tesseract` (with Italian) must be
on PATH. Without them a scanned page is an explicit error (kind "scanned_no_ocr"), never
an empty page.

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
   there are moved back into their cell. Both kinds of page go through one OCRmyPDF run,
   and everything is read back from its text layer with pdfplumber.
3. Each cell of a scanned table records its ink (`Cell.ink`, the dark area inside its
   border in square points, dust removed): a lone "X" that Tesseract drops or misreads
   is still a mark, and the normaliser says so honestly (mark kind "ink").
4. Cells of columns whose header says what they hold (numbers, weights, month marks)
   and whose reading is not such a token are read again one by one with only the
   column's characters allowed (extract/ocr_cells.py): "ST" becomes "3T" there.

`Document.meta` gets `read_mode` ("ocr"), `ocr_confidence` (mean Tesseract word
confidence, 0…100, from the hOCR OCRmyPDF writes), `ocr_pages`, `ocr_skew` and
`ocr_cells` (each cell read again: page, box, before, after, confidence, kept).
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from extract.ir import BBox, Element, ReaderError, Table
from extract.ocr_cells import reread_typed_cells
from extract.pdf_backend import Char, PageObjects
from extract.pdf_grid import find_table_boxes
from extract.pdf_page import read_page
from extract.scan_image import ScanImage, scan_image
from extract.settings import NO_COLUMNS, ColumnVocabulary, OcrStart

OCR_MISSING = "OCR not available: install tesseract-ocr, tesseract-ocr-ita and ocrmypdf"
LANGUAGE = "ita"  # the default; ReadSettings.ocr_language chooses
BINARIES = ("ocrmypdf", "tesseract")
# Scans are read at their own resolution, within these bounds (dpi): below 150 Tesseract
# loses small print, above 300 it only gets slower.
MIN_DPI, MAX_DPI, DEFAULT_DPI = 150, 300, 200
# Wall-time budget of the OCRmyPDF run, per page sent to it (seconds).
TIMEOUT_PER_PAGE_S = 60
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
    paths = [shutil.which(b) for b in BINARIES]
    if None in paths:
        return OCR_MISSING
    missing = set(language.split("+")) - _languages(paths[1])  # type: ignore[arg-type]
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
                       on_start: OcrStart | None = None) -> OcrPages:
    """Read pages `numbers` (1-based) of the PDF `data` by OCR in Tesseract `language`;
    `columns` types the table columns whose cells are read again (extract/ocr_cells.py);
    `on_start(pages)` is told before the slow part starts. Raises ReaderError."""
    reason = unavailable(language)
    if reason:
        raise ReaderError("scanned_no_ocr", reason)
    if on_start is not None:
        on_start(len(numbers))
    inputs = [_prepare(page, number) for number, page in _rendered(data, numbers)]
    with tempfile.TemporaryDirectory(prefix="piao-ocr-") as tmp:
        work = Path(tmp)
        layout = _write_input(inputs, work / "in.pdf")
        _run_ocrmypdf(work / "in.pdf", work / "out.pdf", work, len(layout), language)
        confidence = _mean_confidence(work)
        chars = _read_chars(work / "out.pdf", layout, inputs)
    elements = {}
    for inp in inputs:
        scan = inp.scan
        objects = PageObjects(
            number=scan.number, width=scan.width, height=scan.height, rotation=0,
            chars=chars[scan.number], edges=scan.edges, fills=[], image_count=1,
        )
        elements[scan.number] = _with_ink(_without_specks(read_page(objects, columns)), scan)
    rereads = reread_typed_cells(elements, {i.scan.number: i.scan for i in inputs}, language,
                                 columns)
    return OcrPages(
        elements=elements,
        confidence=confidence,
        skew={i.scan.number: i.scan.skew for i in inputs},
        cells=[r.as_meta() for r in rereads],
    )


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
            yield number, (np.ascontiguousarray(gray), dpi / 72)
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
    return pages


@dataclass
class _InputPage:
    number: int  # source page
    tiles: list[_Tile] | None  # None: the page itself; else a tile page of it


def _write_input(inputs: list[_OcrInput], path: Path) -> list[_InputPage]:
    """One image-only PDF: each scanned page, then its tile pages. Returns what each is.

    Every page has the scanned page's size in points; a tile page has TILE_ZOOM times
    its resolution. Lossless images: the OCR sees the pixels we cleaned, not JPEG
    ringing around them.
    """
    out = pdfium.PdfDocument.new()
    layout = []
    try:
        for inp in inputs:
            dpi = inp.scan.scale * 72
            pages = [(inp.page_image, dpi, None)]
            pages += [(image, dpi * TILE_ZOOM, tiles) for image, tiles in inp.tile_pages]
            for image, resolution, tiles in pages:
                buf = io.BytesIO()
                Image.fromarray(image, mode="L").save(buf, "PDF", resolution=resolution)
                single = pdfium.PdfDocument(buf.getvalue())
                out.import_pages(single)
                single.close()
                layout.append(_InputPage(inp.scan.number, tiles))
        out.save(str(path))
    finally:
        out.close()
    return layout


def _run_ocrmypdf(src: Path, dst: Path, work: Path, pages: int, language: str) -> None:
    cmd = [
        "ocrmypdf", "--quiet", "-l", language,
        "--output-type", "pdf",  # no PDF/A conversion: we only read the text layer back
        "--pdf-renderer", "hocr",  # its hOCR files carry the word confidences
        "--optimize", "0",
        "--tesseract-pagesegmode", PAGE_SEGMENTATION,
        "--tesseract-timeout", str(TIMEOUT_PER_PAGE_S),
        "--keep-temporary-files",  # the hOCR, in TMPDIR = our own temporary folder
        str(src), str(dst),
    ]
    # One OpenMP thread per Tesseract: ocrmypdf already runs a Tesseract per core, and
    # threads spinning against each other on a shared 2-core machine made a page take
    # four times as long (measured: a 300 dpi page 15 s with threads, 3.8 s without).
    env = {**os.environ, "TMPDIR": str(work), "OMP_THREAD_LIMIT": "1"}
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False,
                           timeout=TIMEOUT_PER_PAGE_S * max(pages, 1) + 60)
    except subprocess.TimeoutExpired as exc:
        raise ReaderError("ocr_failed", f"OCR took longer than {exc.timeout:.0f} s") from exc
    if r.returncode != 0 or not dst.exists():
        last = (r.stderr.strip().splitlines() or ["no message"])[-1][:200]
        raise ReaderError("ocr_failed", f"OCR failed (ocrmypdf exit {r.returncode}): {last}")


_WORD_CONFIDENCE = re.compile(r"class=['\"]ocrx_word['\"][^>]*?x_wconf (\d+)")


def _mean_confidence(work: Path) -> float | None:
    scores = [int(m) for f in work.rglob("*.hocr")
              for m in _WORD_CONFIDENCE.findall(f.read_text(errors="replace"))]
    return round(sum(scores) / len(scores), 1) if scores else None


def _read_chars(path: Path, layout: list[_InputPage],
                inputs: list[_OcrInput]) -> dict[int, list[Char]]:
    """Characters of the OCR text layer per source page; those read on a tile page are
    moved back into the cell they were cut from."""
    out: dict[int, list[Char]] = {i.scan.number: [] for i in inputs}
    with pdfplumber.open(path) as pdf:
        for what, page in zip(layout, pdf.pages, strict=True):
            chars = list(page.chars)  # spaces included: they separate the words
            if what.tiles is None:
                out[what.number].extend(chars)
            else:
                out[what.number].extend(_back_to_cells(chars, what.tiles))
            page.close()
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
