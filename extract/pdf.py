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
from extract.pdf_backend import PageFailure, PageObjects, PdfBackend, PdfplumberBackend
from extract.pdf_borderless import join_borderless
from extract.pdf_page import read_page
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
        with reader_errors(data=data):
            doc.meta.update(_metadata(pdf))
            pages = pdf.pages()
            scanned: list[int] = []
            while True:
                try:
                    item = next(pages)
                except StopIteration:
                    break
                if _add_page(doc, item, data, settings.columns):
                    scanned.append(item.number)
    finally:
        try:
            pdf.close()
        except Exception:  # closing a damaged file must not mask the real error
            pass

    _check_readable(doc)
    doc.meta["read_mode"] = "text"
    if scanned and settings.ocr:
        _read_scanned(doc, data, scanned, settings, on_ocr_start)
    elif scanned:
        doc.warnings += [f"page {n} has no text layer, only images (scanned?): OCR needed"
                         for n in scanned]
    join_borderless(doc)
    join_continued_tables(doc)
    return doc


def _add_page(doc: Document, item: PageObjects | PageFailure, data: bytes,
              vocab: ColumnVocabulary) -> bool:
    """Add the page's elements; True when it is a scan (images, no text) to be OCRed."""
    if isinstance(item, PageFailure):
        _fail_page(doc, item.number, item.error, data, item.width, item.height, item.rotation)
        return False
    info = PageInfo(
        number=item.number,
        width=item.width,
        height=item.height,
        rotation=item.rotation,
        has_text=any(c["text"].strip() for c in item.chars),
    )
    try:
        elements = read_page(item, vocab)
    except MemoryError:
        raise
    except Exception as exc:  # damaged geometry (NaN, huge values) on this page only
        _fail_page(doc, item.number, exc, data, item.width, item.height, item.rotation)
        return False
    doc.pages.append(info)
    doc.elements.extend(elements)
    return not info.has_text and bool(item.image_count)


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
                                        settings.columns, on_ocr_start)
    except ReaderError as err:
        if set(readable) <= set(numbers):
            raise
        for page in doc.pages:
            if page.number in numbers:
                page.error = f"{err.kind}: {err.message}"
        doc.warnings += [f"page {n} could not be read: {err.message}" for n in numbers]
        return
    doc.elements = [e for e in doc.elements if e.page not in result.elements]
    for elements in result.elements.values():
        doc.elements.extend(elements)
    doc.elements.sort(key=lambda e: e.page or 0)  # stable: reading order within a page
    doc.meta.update(
        read_mode="ocr",
        ocr_confidence=result.confidence,
        ocr_pages=sorted(result.elements),
        ocr_skew=result.skew,
        ocr_cells=result.cells,
    )
    doc.warnings.append(
        f"pages {', '.join(map(str, sorted(result.elements)))} have no text layer: read by "
        f"OCR (mean word confidence {result.confidence}); boxes are on the straightened page"
    )


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
