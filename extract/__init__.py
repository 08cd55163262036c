"""Format readers → the layout IR. `read_document` picks the reader from the file's bytes.

Dispatch is by sniffed content (extract/sniff.py), never by extension alone:
a .p7m is unwrapped and its content dispatched again (signer subjects go to
`Document.meta["signer"]`), a gzip-encoded download is decompressed (bounded)
and dispatched again, a DOCX named .pdf is read as a DOCX. Whatever a library
raises on a damaged file comes out as a ReaderError with a specific message.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import reader_errors
from extract.ir import Document, ReaderError
from extract.settings import DEFAULT_SETTINGS, OcrStart, ReadSettings
from extract.sniff import Sniffed, sniff

# A downloaded document is tens of MB at most; more than this from a gzip stream is a bomb.
MAX_GUNZIPPED_BYTES = 512 * 1024 * 1024
# gzip inside p7m inside gzip...: real files wrap once or twice.
MAX_WRAPPINGS = 6


@dataclass
class _Context:
    source: str  # the file the user gave us: every Document reports this
    path: Path | None  # set while `data` is still that file's own bytes
    settings: ReadSettings
    on_ocr_start: OcrStart | None
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    depth: int = 0


def read_document(path: str | Path, settings: ReadSettings = DEFAULT_SETTINGS, *,
                  on_ocr_start: OcrStart | None = None) -> Document:
    """Read a PDF, signed .p7m, DOCX, ODT, .doc/.rtf (via LibreOffice) or converter Markdown
    file into the IR.

    `on_ocr_start(pages)` is called before OCR reads that many scanned pages (a caller
    under a time limit extends it there)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError("unreadable", f"cannot read {path}: {exc.strerror or exc}") from exc
    return _dispatch(data, path.name, _Context(str(path), path, settings, on_ocr_start))


def _dispatch(data: bytes, name: str, ctx: _Context) -> Document:
    if ctx.depth > MAX_WRAPPINGS:
        raise ReaderError("corrupt", f"more than {MAX_WRAPPINGS} nested envelopes/compressions")
    sniffed = sniff(data, name)
    if sniffed.warning:
        ctx.warnings.append(sniffed.warning)

    if sniffed.kind == "p7m":
        return _read_p7m(data, name, ctx)
    if sniffed.kind == "gzip":
        return _read_gzip(data, name, ctx)

    fmt = {"pdf": "pdf", "docx": "docx", "md": "md", "odt": "odt", "doc": "doc",
           "rtf": "rtf"}[sniffed.kind]
    with reader_errors(data=data, fmt=fmt):
        doc = _READERS[fmt](data, name, ctx, sniffed)
    doc.source = ctx.source
    doc.meta.update(ctx.meta)
    doc.warnings[:0] = [w for w in ctx.warnings if w not in doc.warnings]
    return doc


def _read_p7m(data: bytes, name: str, ctx: _Context) -> Document:
    from extract.p7m import unwrap_p7m

    unwrapped = unwrap_p7m(data)
    ctx.meta.setdefault("signers", []).extend(unwrapped.signers)
    ctx.meta["signer"] = "; ".join(ctx.meta["signers"])
    ctx.meta["envelopes"] = ctx.meta.get("envelopes", 0) + unwrapped.layers
    inner = _strip_suffix(name, ".p7m")
    return _dispatch(unwrapped.content, inner, _inner(ctx))


def _read_gzip(data: bytes, name: str, ctx: _Context) -> Document:
    # Streamed with a cap: a few KB of gzip can claim gigabytes.
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        content = inflater.decompress(data, MAX_GUNZIPPED_BYTES)
    except zlib.error as exc:
        raise ReaderError("corrupt", f"damaged gzip-compressed file ({exc})") from exc
    if inflater.unconsumed_tail:
        raise ReaderError(
            "too_large",
            f"gzip-compressed file inflates to more than {MAX_GUNZIPPED_BYTES >> 20} MB",
        )
    if not inflater.eof:
        raise ReaderError("truncated", "gzip-compressed file is truncated")
    ctx.warnings.append("the file was gzip-compressed (saved with Content-Encoding: gzip?)")
    return _dispatch(content, _strip_suffix(name, ".gz"), _inner(ctx))


def _inner(ctx: _Context) -> _Context:
    return _Context(ctx.source, None, ctx.settings, ctx.on_ocr_start, ctx.warnings, ctx.meta,
                    ctx.depth + 1)


def _strip_suffix(name: str, suffix: str) -> str:
    return name[: -len(suffix)] if name.lower().endswith(suffix) else name


def _read_pdf(data: bytes, name: str, ctx: _Context, sniffed: Sniffed) -> Document:
    from extract.pdf import read_pdf_data

    # sniffed already: its warning is in ctx.warnings; xref offsets count from the header
    return read_pdf_data(data[sniffed.offset :], ctx.source, ctx.settings, ctx.on_ocr_start)


def _read_docx(data: bytes, name: str, ctx: _Context, _sniffed: Sniffed) -> Document:
    from extract.docx import read_docx  # written concurrently: imported when needed

    return read_docx(ctx.path) if ctx.path else read_docx(data, name=name)


def _read_markdown(data: bytes, name: str, ctx: _Context, _sniffed: Sniffed) -> Document:
    from extract.markdown import read_markdown

    return read_markdown(ctx.path) if ctx.path else read_markdown(data, name=name)


def _read_odt(data: bytes, name: str, ctx: _Context, _sniffed: Sniffed) -> Document:
    from extract.odt import read_odt

    return read_odt(data, name=name)


def _read_legacy(data: bytes, name: str, ctx: _Context, sniffed: Sniffed) -> Document:
    from extract.legacy import read_legacy  # .doc/.rtf through LibreOffice

    return read_legacy(data, sniffed.kind, name=name)


_READERS = {"pdf": _read_pdf, "docx": _read_docx, "md": _read_markdown, "odt": _read_odt,
            "doc": _read_legacy, "rtf": _read_legacy}

__all__ = ["Document", "ReadSettings", "ReaderError", "read_document"]
