"""The pypdfium2 backend: the same `PageObjects` as the pdfplumber backend, read by PDFium.

PDFium parses a page in C at a fraction of pdfminer's cost; this module only
re-shapes what it reports into pdfplumber's conventions (see pdf_backend.py),
so the table finder and text assembly downstream cannot tell the two apart:

  - chars: the text page's characters minus the ones PDFium generates itself
    (spaces and line breaks it infers); the box is pdfminer's: from the glyph
    origin, advance width wide, `size` tall, sitting on the font's descent;
  - paths: split into subpaths and classified exactly as pdfminer's
    `paint_path` does (line / axis-aligned rectangle / curve), then turned into
    edges as pdfplumber does (rectangle sides, curve segments);
  - coordinates: points, origin at the top-left of the MediaBox.

What PDFium would read differently from pdfminer is read by the pdfplumber backend
instead, document by document or page by page (see `PdfiumBackend`), so errors,
odd geometry and odd fonts stay exactly the reference ones.
"""

from __future__ import annotations

import ctypes
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from extract.pdf_backend import (
    Char,
    Edge,
    FilledRect,
    PageFailure,
    PageObjects,
    PdfplumberBackend,
    _safe_geometry,
    is_white,
)

_Point = tuple[float, float]
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# PDFium reports a hyphen that ends a line as U+0002 (its soft-hyphen marker).
_PDFIUM_HYPHEN = 0x02
_F32 = struct.Struct("f")


def _mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (PDF row-vector convention: p' = p·m·n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _decimal(v: float) -> float:
    """The shortest decimal that a float32 `v` stands for: PDFium keeps coordinates as
    float32, pdfminer parses the file's decimals as doubles; "458.475" must come out
    as the same double from both, or rounding to 0.01 pt parts them (458.47/458.48)."""
    for digits in (6, 7, 8):
        text = f"{v:.{digits}g}"
        if _F32.unpack(_F32.pack(float(text)))[0] == v:
            return float(text)
    return v


def _apply(m: _Matrix, x: float, y: float) -> _Point:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


@dataclass
class PdfiumBackend:
    """`source` is the file's bytes (or a path); `password` as for pdfplumber.

    The reference backend is opened too, but only its cheap part runs for every
    document: pdfminer's cross-reference and page-tree parse (~20 ms for a 37-page
    plan), and each page's geometry. That decides what PDFium may read:

      - the document as a whole, by the reference, when pdfminer cannot open it or
        walk its page tree (its error is the reference error), when PDFium cannot
        open it or had to rebuild its cross-reference table, or when the two count
        a different number of pages;
      - one page, by the reference, when pdfminer cannot build it (no /MediaBox and
        nothing inherited: a failed page, as the reference says), when it is rotated
        (pdfminer turns its coordinate system), when the two disagree on its size
        (a missing or inverted /MediaBox), when a form XObject on it has a /BBox or
        /Matrix pdfminer cannot compute with, or when PDFium finds nothing on it at
        all: a blank page costs the reference nothing, and a content stream PDFium
        silently dropped (bad filter, corrupt data) fails there as the reference fails.
    """

    source: Any
    password: str = ""
    _doc: Any = field(default=None, init=False, repr=False)
    _reference: PdfplumberBackend = field(init=False, repr=False)
    _whole: bool = field(default=False, init=False, repr=False)  # reference reads it all

    def __post_init__(self) -> None:
        import pypdfium2 as pdfium

        # First, as the reference backend would: its open errors are the reader's errors.
        self._reference = PdfplumberBackend(self.source, self.password)
        try:
            self._doc = pdfium.PdfDocument(self.source, password=self.password or None)
            # PDFium silently rebuilds a broken cross-reference table and may then find
            # pages pdfminer (rightly) refuses to invent: damaged files take the
            # reference path, so their outcome is the reference one.
            intact = bool(pdfium.raw.FPDF_DocumentHasValidCrossReferenceTable(self._doc.raw))
        except pdfium.PdfiumError:
            intact = False
        if not intact:
            self._close_doc()
            self._whole = True

    def metadata(self) -> dict[str, str]:
        return self._reference.metadata()  # pdfminer's Info dictionary, decoded its way

    def pages(self) -> Iterator[PageObjects | PageFailure]:
        if self._whole:
            yield from self._reference.pages()
            return
        from pdfminer.pdfpage import PDFPage

        # The whole page tree first: where pdfminer's walk fails, the reference fails
        # the document (read_pdf turns this exception into its ReaderError).
        tree = list(PDFPage.create_pages(self._reference._pdf.doc))
        if len(tree) != len(self._doc):
            self._close_doc()
            yield from self._reference.pages()
            return
        doctop = 0.0
        for number, page_obj in enumerate(tree, start=1):
            page = self._reference.page(page_obj, number, doctop)
            if isinstance(page, PageFailure):
                yield page
                continue
            width, height, rotation = _safe_geometry(page)
            try:
                doctop += float(page.height)
                item = self._read(number, page, width, height, rotation)
            except MemoryError:
                raise
            except Exception as exc:  # a broken /MediaBox: this page only, as the reference
                item = PageFailure(number, exc, width, height, rotation)
            finally:
                page.close()
            yield item

    def _read(
        self, number: int, page: Any, width: float | None, height: float | None, rotation: int
    ) -> PageObjects | PageFailure:
        """The page as PDFium reads it, or as the reference does when PDFium may not."""
        if rotation or width is None or height is None or _unusable_forms(page.page_obj):
            return self._reference.objects(page)
        _check_content_size(page.page_obj, number)
        try:
            fast = self._doc[number - 1]
        except MemoryError:
            raise
        except Exception:
            return self._reference.objects(page)
        try:
            reader = _PageReader(fast, number, page.initial_doctop)
            if not _same_size((reader.width, reader.height), (width, height)):
                return self._reference.objects(page)
            objects = reader.read()
        except _UseReference:
            return self._reference.objects(page)
        except MemoryError:
            raise
        except Exception as exc:  # one bad page must not sink the document
            return PageFailure(number, exc, width, height, rotation)
        finally:
            fast.close()
        if not (objects.chars or objects.edges or objects.fills or objects.image_count):
            return self._reference.objects(page)
        objects.width, objects.height = width, height  # pdfminer's doubles, not float32
        return objects

    def close(self) -> None:
        self._reference.close()
        self._close_doc()

    def _close_doc(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def __enter__(self) -> PdfiumBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _same_size(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Page sizes equal to float32 precision (PDFium keeps the MediaBox as float32)."""
    return all(abs(u - v) <= 1e-3 * max(1.0, abs(v)) for u, v in zip(a, b))


# A content stream is inflated by us first only when its compressed bytes could
# inflate to something dangerous (flate packs at most ~1000:1); past the cap it is a
# decompression bomb. PDFium aborts the process when an allocation fails, where
# pdfminer raises MemoryError: the bomb must be a MemoryError on both backends.
_BOMB_CHECK_RAW_BYTES = 64 * 1024
MAX_CONTENT_BYTES = 256 * 1024 * 1024
_INFLATE_CHUNK = 16 * 1024 * 1024


def _check_content_size(page_obj: Any, number: int) -> None:
    """MemoryError when a Flate content stream of the page inflates past MAX_CONTENT_BYTES."""
    import zlib

    from pdfminer.pdftypes import resolve1

    for stream in page_obj.contents or ():
        stream = resolve1(stream)
        raw = getattr(stream, "rawdata", None)
        if not raw or len(raw) < _BOMB_CHECK_RAW_BYTES:
            continue
        filters = resolve1(stream.get("Filter"))
        names = [getattr(resolve1(f), "name", None)
                 for f in (filters if isinstance(filters, list) else [filters])]
        if names[:1] != ["FlateDecode"]:
            continue
        inflater, total, data = zlib.decompressobj(), 0, raw
        try:
            while data and total <= MAX_CONTENT_BYTES:
                total += len(inflater.decompress(data, _INFLATE_CHUNK))
                data = inflater.unconsumed_tail
        except zlib.error:
            continue  # corrupt data: PDFium and pdfminer each meet it their own way
        if total > MAX_CONTENT_BYTES:
            raise MemoryError(
                f"page {number}: content stream inflates to more than "
                f"{MAX_CONTENT_BYTES >> 20} MB"
            )


def _unusable_forms(page_obj: Any, limit: int = 200) -> bool:
    """Whether the page uses what PDFium reads differently from pdfminer:

    - a form XObject whose /BBox or /Matrix holds something that is not a number (an
      indirect reference inside the array): pdfminer computes with it as it is and
      fails the page, PDFium resolves it;
    - a font whose glyph widths are not whole numbers (LibreOffice writes /Widths such
      as 610.84): PDFium keeps widths as integers, so every glyph after the first on a
      line drifts from where pdfminer places it (0.5 pt by the end of a line).

    Walks the resources of the page and of nested forms, each object once."""
    from pdfminer.pdftypes import PDFStream, resolve1

    seen: set[int] = set()
    stack = [getattr(page_obj, "resources", None)]
    try:
        while stack and len(seen) < limit:
            resources = resolve1(stack.pop())
            if not isinstance(resources, dict):
                continue
            fonts = resolve1(resources.get("Font"))
            for ref in (fonts.values() if isinstance(fonts, dict) else ()):
                key = getattr(ref, "objid", None) or id(ref)
                if key not in seen:
                    seen.add(key)
                    if _fractional_widths(resolve1(ref)):
                        return True
            xobjects = resolve1(resources.get("XObject"))
            if not isinstance(xobjects, dict):
                continue
            for ref in xobjects.values():
                key = getattr(ref, "objid", None) or id(ref)
                if key in seen:
                    continue
                seen.add(key)
                xobj = resolve1(ref)
                if not isinstance(xobj, PDFStream) or getattr(xobj.get("Subtype"), "name", None) != "Form":
                    continue
                for entry in ("BBox", "Matrix"):
                    values = resolve1(xobj.get(entry))
                    if values is not None and (
                        not isinstance(values, (list, tuple))
                        or not all(isinstance(v, (int, float)) for v in values)
                    ):
                        return True
                stack.append(xobj.get("Resources"))
    except MemoryError:
        raise
    except Exception:  # a broken resource tree: let the reference meet it
        return True
    return False


def _fractional_widths(font: Any) -> bool:
    """A simple font's /Widths, or a CID font's /W, with a width that is not whole."""
    from pdfminer.pdftypes import resolve1

    if not isinstance(font, dict):
        return False
    fonts = [font] + [resolve1(f) for f in (resolve1(font.get("DescendantFonts")) or [])]
    for f in fonts:
        if not isinstance(f, dict):
            continue
        for entry in ("Widths", "W"):
            values = resolve1(f.get(entry))
            stack = list(values) if isinstance(values, list) else []
            while stack:
                v = resolve1(stack.pop())
                if isinstance(v, list):
                    stack += v
                elif isinstance(v, float) and not v.is_integer():
                    return True
    return False


class _UseReference(Exception):  # a decision, not an error
    """PDFium's reading of this page would not be pdfminer's: the reference reads it."""


# A space PDFium generates where the gap between two characters of a line is narrower
# than this (pdfplumber's x_tolerance, points) stands for a space glyph of the file that
# PDFium did not report (a font that does not map it to Unicode, Chrome and Word 365
# exports): its boxes around it are then not pdfminer's either.
_SPACE_GAP = 3.0


class _PageReader:
    """One page's chars, edges, fills and image count, in pdfplumber's shapes."""

    def __init__(self, page: Any, number: int, doctop: float) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.page = page
        self.number = number
        self.doctop = doctop
        x0, y0, x1, y1 = page.get_mediabox()
        self.left, self.top_y = x0, y1
        self.width, self.height = x1 - x0, y1 - y0
        self.edges: list[Edge] = []
        self.fills: list[FilledRect] = []
        self.images = 0

    def read(self) -> PageObjects:
        chars = self._chars()
        raw = self.raw
        for i in range(raw.FPDFPage_CountObjects(self.page.raw)):
            self._object(raw.FPDFPage_GetObject(self.page.raw, i), _IDENTITY)
        return PageObjects(
            number=self.number,
            width=self.width,
            height=self.height,
            rotation=0,
            chars=chars,
            edges=self.edges,
            fills=self.fills,
            image_count=self.images,
        )

    # --- characters -------------------------------------------------------------

    def _chars(self) -> list[Char]:
        raw = self.raw
        textpage = self.page.get_textpage()
        tp = textpage.raw
        # Per text object (one font, size and matrix each in PDFium): name, descent for
        # the size, size. Asked once per object, not once per character.
        styles: dict[int, tuple[str, float, float]] = {}
        ox, oy = ctypes.c_double(), ctypes.c_double()
        box = raw.FS_RECTF()
        m = raw.FS_MATRIX()
        is_generated, get_unicode, get_origin, get_box, get_object = _per_char_calls()
        p_ox, p_oy, p_box = ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(box)
        tp_address = ctypes.cast(tp, ctypes.c_void_p).value
        left, top_y, doctop = self.left, self.top_y, self.doctop
        out: list[Char] = []
        space_pending, baseline = False, 0.0
        try:
            for i in range(raw.FPDFText_CountChars(tp)):
                code = get_unicode(tp_address, i)
                if is_generated(tp_address, i) != 0:  # PDFium's inferred spaces/breaks
                    space_pending = code == 0x20
                    continue
                if 0xDC00 <= code <= 0xDFFF and out and _high_surrogate(out[-1]["text"]):
                    # PDFium counts a character beyond the BMP as two (its UTF-16
                    # halves); pdfminer as the one character it is.
                    high = ord(out[-1]["text"])
                    out[-1]["text"] = chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
                    continue
                if code == _PDFIUM_HYPHEN:  # a "-" at a line end, as printed
                    code = ord("-")
                key = get_object(tp_address, i) or 0
                style = styles.get(key)
                if style is None:
                    obj = raw.FPDFText_GetTextObject(tp, i)
                    raw.FPDFText_GetMatrix(tp, i, m)
                    if not (m.a > 0 and m.d > 0 and abs(m.b) + abs(m.c) <= 1e-6 * (m.a + m.d)):
                        # Rotated (even by a float's cos 90° = 6e-17), skewed or mirrored
                        # text: pdfminer boxes it through its matrix, its own way.
                        raise _UseReference("text not set upright")
                    fontname, descent = self._font(obj)
                    size = raw.FPDFText_GetFontSize(tp, i)
                    style = styles[key] = (fontname, descent * size, size)
                fontname, descent, size = style
                get_origin(tp_address, i, p_ox, p_oy)
                get_box(tp_address, i, p_box)
                x0 = ox.value - left
                if (space_pending and out and abs(baseline - oy.value) < 0.01
                        and x0 - out[-1]["x1"] < _SPACE_GAP):
                        raise _UseReference("a space PDFium made up in place of the file's own")
                space_pending, baseline = False, oy.value
                x1 = x0 + (box.right - box.left)
                y0 = oy.value + descent
                top = top_y - (y0 + size)
                out.append(
                    {
                        "text": chr(code) if code else "",
                        "fontname": fontname,
                        "size": size,
                        "upright": True,
                        "x0": x0,
                        "x1": x1,
                        "top": top,
                        "bottom": top_y - y0,
                        "doctop": top + doctop,
                        "width": x1 - x0,
                        "height": size,
                    }
                )
        finally:
            textpage.close()
        return out

    def _font(self, text_obj: Any) -> tuple[str, float]:
        raw = self.raw
        font = raw.FPDFTextObj_GetFont(text_obj) if text_obj else None
        if not font:
            return "", 0.0
        buf = ctypes.create_string_buffer(256)
        raw.FPDFFont_GetBaseFontName(font, buf, len(buf))
        descent = ctypes.c_float()
        # Descent for a 1-point font: the per-char value is a multiple of the size.
        if not raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
            descent.value = 0.0
        return buf.value.decode("utf-8", "replace"), min(descent.value, -descent.value)

    # --- vector objects -----------------------------------------------------------

    def _object(self, obj: Any, parent: _Matrix) -> None:
        raw = self.raw
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            self.images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            matrix = _mul(self._matrix(obj), parent)
            for i in range(raw.FPDFFormObj_CountObjects(obj)):
                self._object(raw.FPDFFormObj_GetObject(obj, i), matrix)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            self._path(obj, _mul(self._matrix(obj), parent))

    def _matrix(self, obj: Any) -> _Matrix:
        m = self.raw.FS_MATRIX()
        if not self.raw.FPDFPageObj_GetMatrix(obj, m):
            return _IDENTITY
        return (
            _decimal(m.a), _decimal(m.b), _decimal(m.c), _decimal(m.d), _decimal(m.e), _decimal(m.f)
        )

    def _path(self, obj: Any, matrix: _Matrix) -> None:
        raw = self.raw
        fillmode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, fillmode, stroke)
        fill = fillmode.value != 0
        if not fill and not stroke.value:
            return  # a clipping path: pdfminer never sees it either
        # The path as pdfminer records it: one op letter per segment, "h" after a close.
        ops: list[str] = []
        pts: list[_Point] = []
        x, y = ctypes.c_float(), ctypes.c_float()
        bezier_points = 0
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_BEZIERTO:
                # PDFium lists a curve's two control points as segments of their own;
                # pdfminer keeps only each curve's end point.
                bezier_points += 1
                if bezier_points % 3:
                    continue
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            ops.append("m" if kind == raw.FPDF_SEGMENT_MOVETO else
                       "c" if kind == raw.FPDF_SEGMENT_BEZIERTO else "l")
            pts.append(self._to_page(_apply(matrix, _decimal(x.value), _decimal(y.value))))
            if raw.FPDFPathSegment_GetClose(seg):
                ops.append("h")
                pts.append(pts[_last_move(ops[:-1])])
        color = None
        if fill:
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            if raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
                color = f"#{r.value:02x}{g.value:02x}{b.value:02x}"
        shape = "".join(ops)
        for m in re.finditer(r"m[^m]*", shape):
            self._subpath(shape[m.start() : m.end()], pts[m.start() : m.end()], fill, color)

    def _to_page(self, p: _Point) -> _Point:
        return (p[0] - self.left, self.top_y - p[1])

    def _subpath(self, shape: str, pts: list[_Point], fill: bool, color: str | None) -> None:
        """pdfminer's classification of a painted subpath (converter.paint_path)."""
        if len(shape) <= 1:
            return
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        if shape in ("mlh", "ml"):
            (ax, ay), (bx, by) = pts[0], pts[1]
            self.edges.append(_edge(ax, ay, bx, by, "h" if ay == by else "v"))
        elif shape in ("mlllh", "mllll") and _is_rect(pts):
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            self.edges += [
                _edge(x0, top, x1, top, "h"),
                _edge(x0, bottom, x1, bottom, "h"),
                _edge(x0, top, x0, bottom, "v"),
                _edge(x1, top, x1, bottom, "v"),
            ]
            if fill and not is_white(color):
                self.fills.append(FilledRect((x0, top, x1, bottom), color))
        else:
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                orientation = "v" if ax == bx else ("h" if ay == by else None)
                self.edges.append(_edge(ax, ay, bx, by, orientation))


@cache
def _per_char_calls() -> tuple[Any, ...]:
    """The five PDFium calls made for every character, bound without pypdfium2's typed
    pointers (a handle is passed as a plain address, the text object comes back as
    one): ctypes converts typed pointers at ~1 µs a call, and a 37-page plan has
    120,000 characters."""
    from pypdfium2 import raw

    def bind(fn: Any, restype: Any, *argtypes: Any) -> Any:
        prototype = ctypes.CFUNCTYPE(restype, *argtypes)
        return prototype(ctypes.cast(fn, ctypes.c_void_p).value)

    handle, index = ctypes.c_void_p, ctypes.c_int
    p_double = ctypes.POINTER(ctypes.c_double)
    return (
        bind(raw.FPDFText_IsGenerated, ctypes.c_int, handle, index),
        bind(raw.FPDFText_GetUnicode, ctypes.c_uint, handle, index),
        bind(raw.FPDFText_GetCharOrigin, ctypes.c_int, handle, index, p_double, p_double),
        bind(raw.FPDFText_GetLooseCharBox, ctypes.c_int, handle, index,
             ctypes.POINTER(raw.FS_RECTF)),
        bind(raw.FPDFText_GetTextObject, ctypes.c_void_p, handle, index),
    )


def _high_surrogate(text: str) -> bool:
    return len(text) == 1 and 0xD800 <= ord(text) <= 0xDBFF


def _last_move(ops: list[str]) -> int:
    for i in range(len(ops) - 1, -1, -1):
        if ops[i] == "m":
            return i
    return 0


def _is_rect(pts: list[_Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
    closed = pts[0] == last
    square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )
    return closed and square


def _edge(ax: float, ay: float, bx: float, by: float, orientation: str | None) -> Edge:
    x0, x1, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }
