"""PDF reader: a PDF → the layout IR (pages, text blocks, ruled tables), page by page.

Per page: ruled tables (extract/pdf_grid.py), the text outside them as
paragraphs (extract/pdf_text.py), both in reading order (top to bottom).
Then tables continued across page breaks are joined (extract/join.py).
A page that fails is recorded in `PageInfo.error` and the rest of the document
is still read; a document whose structure cannot be opened raises ReaderError.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extract.errors import is_memory_error, reader_errors, translate
from extract.ir import Document, PageInfo, ReaderError
from extract.join import join_continued_tables
from extract.page_cover import OCR, OCR_LAYER, TEXT, CoverProbe, PageCover, read_mode
from extract.pdf_backend import PageFailure, PageObjects, PdfBackend, PdfplumberBackend
from extract.pdf_borderless import join_borderless
from extract.pdf_page import read_page
from extract.pdf_text import text_blocks
from extract.settings import DEFAULT_SETTINGS, ColumnVocabulary, OcrStart, ReadSettings
from extract.sniff import sniff

BackendFactory = Callable[[bytes], PdfBackend]


def backend_factory(name: str) -> BackendFactory:
    """"pdfplumber" (the reference) or "pdfium" (same IR on every sample and fixture,
    several times faster; tests/test_pdf_backends.py holds it to that)."""
    if name == "pdfplumber":
        return PdfplumberBackend
    if name == "pdfium":
        from extract.pdf_pdfium import PdfiumBackend

        return PdfiumBackend
    raise ValueError(f"unknown PDF backend {name!r}: expected 'pdfplumber' or 'pdfium'")


def _load(source: str | Path | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "<bytes>"
    try:
        return Path(source).read_bytes(), str(source)
    except OSError as exc:
        raise ReaderError("unreadable", f"cannot read {source}: {exc.strerror or exc}") from exc


def read_pdf(
    source: str | Path | bytes,
    settings: ReadSettings = DEFAULT_SETTINGS,
    *,
    name: str | None = None,
    on_ocr_start: OcrStart | None = None,
) -> Document:
    """A PDF file or its bytes (junk before the header allowed) → the IR.

    `settings.pdf_backend` picks the backend (see `backend_factory`); `settings.ocr`
    reads pages that are only images (scans) by OCR (extract/ocr.py), else leaves them
    empty with a warning (for measuring the text path alone)."""
    data, default_name = _load(source)
    sniffed = sniff(data, name or default_name)
    if sniffed.kind != "pdf":
        raise ReaderError("not_pdf", f"not a PDF: the content is {sniffed.kind.upper()}")
    # xref offsets count from the header, so junk before it must go.
    doc = read_pdf_data(data[sniffed.offset :], name or default_name, settings, on_ocr_start)
    if sniffed.warning:
        doc.warnings.insert(0, sniffed.warning)
    return doc


def read_pdf_data(data: bytes, name: str, settings: ReadSettings,
                  on_ocr_start: OcrStart | None = None) -> Document:
    """PDF bytes already sniffed, starting at the header (what read_document hands over)."""
    backend = backend_factory(settings.pdf_backend)
    doc = Document(source=name, format="pdf")
    with reader_errors(data=data):
        pdf = backend(data)
    try:
        # Enumerating pages walks the page tree: loops and broken nodes fail here,
        # for the document as a whole.
        probe = CoverProbe(data)
        with reader_errors(data=data):
            doc.meta.update(_metadata(pdf))
            pages = pdf.pages()
            scanned: dict[int, str] = {}  # page → why it is read by OCR
            while True:
                try:
                    item = next(pages)
                except StopIteration:
                    break
                if (why := _add_page(doc, item, data, probe, settings.columns)) is not None:
                    scanned[item.number] = why
    finally:
        probe.close()
        try:
            pdf.close()
        except Exception:  # closing a damaged file must not mask the real error
            pass

    _check_readable(doc)
    if scanned and settings.ocr:
        _read_scanned(doc, data, list(scanned), settings, on_ocr_start)
    elif scanned:
        doc.warnings += [f"page {n} {why}: OCR needed" for n, why in scanned.items()]
    doc.meta.update(document_read_mode(doc))
    if doc.meta["ocr_layer_pages"]:
        doc.warnings.append(f"{_pages_are(doc.meta['ocr_layer_pages'])} with an OCR text "
                            "layer: read from that layer, no OCR run")
    join_borderless(doc)
    join_continued_tables(doc)
    return doc


def _add_page(doc: Document, item: PageObjects | PageFailure, data: bytes,
              probe: CoverProbe, vocab: ColumnVocabulary) -> str | None:
    """Add the page's elements; when it is a scan to be OCRed, why (for the warning)."""
    if isinstance(item, PageFailure):
        _fail_page(doc, item.number, item.error, data, item.width, item.height, item.rotation)
        return None
    info = PageInfo(
        number=item.number,
        width=item.width,
        height=item.height,
        rotation=item.rotation,
        has_text=any(c["text"].strip() for c in item.chars),
    )
    mode, why = _how_to_read(item, info.has_text, probe)
    try:
        # A scan's text layer is a line or two laid over the image (a protocol stamp):
        # running text of its own, never a table.
        elements = text_blocks(item.chars, item.number) if mode == OCR else read_page(item, vocab)
    except MemoryError:
        raise
    except Exception as exc:  # damaged geometry (NaN, huge values) on this page only
        _fail_page(doc, item.number, exc, data, item.width, item.height, item.rotation)
        return None
    if mode == OCR_LAYER:
        info.read_mode = OCR_LAYER
    doc.pages.append(info)
    doc.elements.extend(elements)
    return why if mode == OCR else None


def _how_to_read(item: PageObjects, has_text: bool, probe: CoverProbe) -> tuple[str, str]:
    """The page's read mode (page_cover.py) and, for a scan, why it is one."""
    if not item.image_count:
        return TEXT, ""
    if not has_text:
        return OCR, "has no text layer, only images (scanned?)"
    cover: PageCover | None = probe.cover(item.number)
    if cover is None:  # PDFium cannot measure it: the text layer, as it is
        return TEXT, ""
    return read_mode(cover), f"is a scan under a few lines of text ({cover.describe()})"


def document_read_mode(doc: Document) -> dict:
    """meta read_mode — "text", "ocr" (every page with content was made by OCR, here or
    in the file's own OCR layer) or "mixed" — and the pages of each OCR kind."""
    ocr = [p.number for p in doc.pages if p.read_mode == OCR]
    layer = [p.number for p in doc.pages if p.read_mode == OCR_LAYER]
    text = [p.number for p in doc.pages if p.read_mode == TEXT and p.has_text and not p.error]
    mode = TEXT if not (ocr or layer) else "mixed" if text else OCR
    return {"read_mode": mode, "ocr_pages": ocr, "ocr_layer_pages": layer}


def _read_scanned(doc: Document, data: bytes, numbers: list[int], settings: ReadSettings,
                  on_ocr_start: OcrStart | None) -> None:
    """Replace what the text pass found on scanned pages by what OCR reads there.

    No OCR on this machine: a document that is all scans fails with kind
    "scanned_no_ocr"; scans among text pages are failed pages (status partial).
    Never an empty page passed off as read.
    """
    from extract import ocr  # OpenCV and friends load only when a scan turns up

    readable = [p.number for p in doc.pages if not p.error]
    try:
        result = ocr.read_scanned_pages(data, numbers, settings.ocr_language,
                                        settings.columns, on_ocr_start, settings.ocr_jobs)
    except ReaderError as err:
        if set(readable) <= set(numbers):
            raise
        for page in doc.pages:
            if page.number in numbers:
                page.error = f"{err.kind}: {err.message}"
        doc.warnings += [f"page {n} could not be read: {err.message}" for n in numbers]
        return
    # The page's own text-layer lines (a stamp) stay, after what OCR read of the page: a
    # line laid over the scan never cuts into the page's own reading order.
    read = [e for elements in result.elements.values() for e in elements]
    ocr_made = {id(e) for e in read}
    doc.elements.extend(read)
    doc.elements.sort(key=lambda e: (e.page or 0, e.page in result.elements
                                     and id(e) not in ocr_made))  # stable
    for page in doc.pages:
        if page.number in result.elements:
            page.read_mode = OCR
    doc.meta.update(
        ocr_confidence=result.confidence,
        ocr_skew=result.skew,
        ocr_cells=result.cells,
    )
    doc.warnings.append(
        f"{_pages_are(sorted(result.elements))}: read by "
        f"OCR (mean word confidence {result.confidence}); boxes are on the straightened page"
    )


def _pages_are(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} is a scan"
    return f"pages {', '.join(map(str, numbers))} are scans"


def _fail_page(
    doc: Document,
    number: int,
    exc: BaseException,
    data: bytes,
    width: float | None,
    height: float | None,
    rotation: int,
) -> None:
    if is_memory_error(exc):
        raise MemoryError(f"page {number}") from exc
    err = translate(exc, data=data)
    doc.pages.append(
        PageInfo(
            number, width, height, rotation, has_text=False, error=f"{err.kind}: {err.message}"
        )
    )
    doc.warnings.append(f"page {number} could not be read: {err.message}")


def _check_readable(doc: Document) -> None:
    if not doc.pages:
        raise ReaderError("no_pages", "the PDF has no pages (empty or broken page tree)")
    if all(p.error for p in doc.pages):
        first = doc.pages[0].error or ""
        raise ReaderError("corrupt", f"no page of the PDF could be read ({first})")


def _metadata(pdf: PdfBackend) -> dict:
    meta = getattr(pdf, "metadata", None)
    return meta() if callable(meta) else {}
