"""What the PDF reader needs from a PDF library, per page, and the pdfplumber backend.

The reader (extract/pdf.py) never touches a PDF library directly: it asks a
backend for the raw objects of each page — characters, ruling edges, filled
rectangles — and builds the IR from those. pdfplumber (on pdfminer) is the
reference backend. A faster backend (pypdfium2 reads the same objects at a
fraction of the cost) only has to yield the same `PageObjects`.

Object shapes follow pdfplumber's conventions so that its pure geometry and
text helpers (table finding from edges, word/line assembly) can be reused on
any backend's output:
  - char: mapping with text, x0, x1, top, bottom, fontname, size, upright
  - edge: mapping with x0, x1, top, bottom, width, height, orientation ("h"/"v")
Coordinates are PDF points, origin top-left.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from extract.ir import BBox

Char = Mapping[str, Any]
Edge = Mapping[str, Any]

# A fill lighter than this in every RGB channel is paper, not shading.
_WHITE_LEVEL = 0.97


@dataclass
class FilledRect:
    bbox: BBox
    color: str | None  # "#rrggbb"; None when the fill is a pattern or unknown colour space


@dataclass
class PageObjects:
    number: int  # 1-based
    width: float | None
    height: float | None
    rotation: int
    chars: list[Char]
    edges: list[Edge]  # ruling lines and rectangle sides: the table finder's input
    fills: list[FilledRect]  # non-white filled rectangles (cell shading candidates)
    image_count: int = 0


@dataclass
class PageFailure:
    """A page the backend could not read; the reader records it and goes on."""

    number: int
    error: BaseException
    width: float | None = None
    height: float | None = None
    rotation: int = 0


class PdfBackend(Protocol):
    def metadata(self) -> dict[str, str]: ...

    def pages(self) -> Iterator[PageObjects | PageFailure]: ...

    def close(self) -> None: ...


def color_to_hex(color: Any) -> str | None:
    """pdfminer colour tuple (gray, RGB or CMYK, components 0..1) → "#rrggbb"."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color:
        return None
    try:
        comps = [float(c) for c in color]
    except (TypeError, ValueError):  # pattern names and the like
        return None
    if len(comps) == 1:
        r = g = b = comps[0]
    elif len(comps) == 3:
        r, g, b = comps
    elif len(comps) == 4:
        c, m, y, k = comps
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return None
    clamp = [min(1.0, max(0.0, v)) for v in (r, g, b)]
    return "#" + "".join(f"{round(v * 255):02x}" for v in clamp)


def is_white(hex_color: str | None) -> bool:
    if hex_color is None:
        return False
    level = int(_WHITE_LEVEL * 255)
    return all(int(hex_color[i : i + 2], 16) >= level for i in (1, 3, 5))


@dataclass
class PdfplumberBackend:
    """Reference backend. `source` is a path or the file's bytes."""

    source: str | Path | bytes
    password: str = ""
    _pdf: Any = field(default=None, init=False, repr=False)
    _opened: list[Any] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        import pdfplumber  # imported here: the backend is the only place that needs it

        src = io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source
        self._pdf = pdfplumber.open(src, password=self.password)

    def metadata(self) -> dict[str, str]:
        """Producer/Creator: which tool exported the PDF explains most layout quirks."""
        info = self._pdf.metadata or {}
        return {
            key.lower(): str(info[key])[:200]
            for key in ("Producer", "Creator")
            if isinstance(info.get(key), (str, bytes)) and info.get(key)
        }

    def pages(self) -> Iterator[PageObjects | PageFailure]:
        from pdfminer.pdfpage import PDFPage

        # pdfplumber's `pdf.pages` builds every Page up front, so one page without a
        # /MediaBox sinks the whole document; building them one by one keeps the others.
        doctop = 0.0
        for number, page_obj in enumerate(PDFPage.create_pages(self._pdf.doc), start=1):
            page = self.page(page_obj, number, doctop)
            if isinstance(page, PageFailure):
                yield page
                continue
            try:
                doctop += float(page.height)
            except MemoryError:
                raise
            except Exception as exc:  # a broken /MediaBox: this page only
                yield PageFailure(number, exc, *_safe_geometry(page))
                page.close()
                continue
            try:
                yield self.objects(page)
            finally:
                # Frees pdfminer's layout objects: 407 → 50 MB on an 85-page plan.
                page.close()

    def page(self, page_obj: Any, number: int, doctop: float) -> Any:
        """pdfplumber's Page for one node of the page tree (no content read yet), or the
        page's failure."""
        from pdfplumber.page import Page

        try:
            page = Page(self._pdf, page_obj, page_number=number, initial_doctop=doctop)
        except MemoryError:
            raise
        except Exception as exc:
            return PageFailure(number, exc)
        self._opened.append(page)
        return page

    def objects(self, page: Any) -> PageObjects | PageFailure:
        """The page's objects (this interprets its content), or the page's failure."""
        try:
            return self._objects(page)
        except MemoryError:
            raise
        except Exception as exc:  # one bad page must not sink the document
            return PageFailure(page.page_number, exc, *_safe_geometry(page))

    def close(self) -> None:
        # Hand pdfplumber the pages we built (its own cache attribute), so that its
        # close() does not walk the page tree again — it may be what is broken.
        self._pdf._pages = self._opened
        self._pdf.close()

    @staticmethod
    def _objects(page: Any) -> PageObjects:
        width, height, rotation = _safe_geometry(page)
        fills = []
        for r in page.rects:
            if not r.get("fill"):
                continue
            color = color_to_hex(r.get("non_stroking_color"))
            if is_white(color):
                continue
            fills.append(FilledRect((r["x0"], r["top"], r["x1"], r["bottom"]), color))
        return PageObjects(
            number=page.page_number,
            width=width,
            height=height,
            rotation=rotation,
            chars=page.chars,
            edges=page.edges,
            fills=fills,
            image_count=len(page.images),
        )

    def __enter__(self) -> PdfplumberBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _safe_geometry(page: Any) -> tuple[float | None, float | None, int]:
    try:
        return float(page.width), float(page.height), int(page.rotation or 0) % 360
    except Exception:  # a broken /MediaBox or /Rotate: geometry unknown, text may still be fine
        return None, None, 0
