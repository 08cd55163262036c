"""What a file really is, from its bytes — not from its extension.

Municipal websites serve HTML error pages as "piano.pdf", Word 97 files as
".docx", gzip-encoded responses saved as-is, and signed envelopes (.p7m) whose
PDF sits verbatim inside the DER so that a lenient PDF parser "opens" them by
accident. `sniff` returns the kind the dispatcher should read, or raises a
ReaderError naming what the file actually is.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from extract.ir import ReaderError

# Acrobat accepts the header anywhere in the first 1024 bytes (junk before it is common).
PDF_HEADER_WINDOW = 1024
_PDF_HEADER = re.compile(rb"%PDF-\d")
# A headerless PDF still shows object syntax early on.
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC = b"\x1f\x8b"
_IMAGE_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)

# DER-encoded OIDs (tag 06, length 09) of CMS content types.
OID_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
OID_ENVELOPED_DATA = bytes.fromhex("06092a864886f70d010703")
_CMS_WINDOW = 64  # the content-type OID sits right after the outer SEQUENCE header
_BASE64_TEXT = re.compile(rb"^[A-Za-z0-9+/=\s]+$")
PEM_ARMOUR = re.compile(rb"-----(BEGIN|END)[^-]*-----")

TEXT_EXTENSIONS = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "pdf", "docx", "odt", "doc", "rtf", "p7m", "gzip", "md"
    offset: int = 0  # bytes of junk before the PDF header
    warning: str | None = None  # something the reader should pass on to the user


def _what_expected(name: str | None) -> str:
    suffix = PurePath(name or "").suffix.lower()
    return {
        ".docx": "DOCX",
        ".odt": "ODT",
        ".rtf": "RTF document",
        ".doc": "Word document",
        ".md": "Markdown file",
        ".p7m": "signed PDF",
    }.get(suffix, "PDF")


def pdf_header_offset(data: bytes) -> int | None:
    m = _PDF_HEADER.search(data[: PDF_HEADER_WINDOW + 8])
    return m.start() if m else None


def cms_encoding(data: bytes) -> str | None:
    """ "der" or "base64" when `data` is a CMS SignedData envelope (.p7m), else None."""
    if data[:1] == b"\x30" and OID_SIGNED_DATA in data[:_CMS_WINDOW]:
        return "der"
    decoded = decode_base64_prefix(data)
    if decoded is not None and decoded[:1] == b"\x30" and OID_SIGNED_DATA in decoded[:_CMS_WINDOW]:
        return "base64"
    return None


def decode_base64_prefix(data: bytes, chars: int = 256) -> bytes | None:
    head = PEM_ARMOUR.sub(b"", data[: chars * 2])
    if not head.strip() or not _BASE64_TEXT.match(head):
        return None
    compact = b"".join(head.split())
    compact = compact[: len(compact) // 4 * 4]
    try:
        return base64.b64decode(compact, validate=False)
    except (binascii.Error, ValueError):
        return None


def _html_title(text: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    return " ".join(m.group(1).split())[:80] if m and m.group(1).strip() else None


def _looks_like_html(head: bytes) -> str | None:
    """The page title (or "") when the bytes are an HTML page, else None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").decode("latin-1").lower()
    if text.startswith(("<!doctype html", "<html")) or re.search(r"<(html|head|body)[\s>]", text):
        return _html_title(head.decode("utf-8", "replace")) or ""
    return None


def _sniff_zip(data: bytes, name: str | None) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except zipfile.BadZipFile as exc:
        what = (
            "DOCX" if b"word/" in data[:65536] or _what_expected(name) == "DOCX" else "ZIP archive"
        )
        if "central directory" in str(exc).lower() or "not a zip file" in str(exc).lower():
            raise ReaderError(
                "truncated",
                f"{what} is truncated or damaged: the ZIP central directory is missing "
                "(file cut short during download?)",
            ) from exc
        raise ReaderError("corrupt", f"{what} is damaged: {exc}") from exc
    if "word/document.xml" in names:
        return Sniffed("docx")
    if mimetype.strip() == "application/vnd.oasis.opendocument.text":
        return Sniffed("odt")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        kind = mimetype.rsplit(".", 1)[-1]
        raise ReaderError("unsupported", f"OpenDocument {kind} (ODF), not a text document: "
                          "save it as PDF, DOCX or ODT first")
    if any(n.startswith("xl/") for n in names):
        raise ReaderError("unsupported", "Excel workbook (.xlsx), not a PDF or DOCX")
    if any(n.startswith("ppt/") for n in names):
        raise ReaderError("unsupported", "PowerPoint presentation (.pptx), not a PDF or DOCX")
    inner = sorted(n for n in names if not n.endswith("/"))
    listing = ", ".join(inner[:3]) + (", …" if len(inner) > 3 else "")
    raise ReaderError(
        "unsupported",
        f"ZIP archive, not a document: extract it first (contains {listing or 'nothing'})",
    )


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")  # OLE2 directory entry names are UTF-16


def _sniff_ole2(data: bytes) -> Sniffed:
    if _utf16("EncryptedPackage") in data:
        raise ReaderError("encrypted", "password required: password-protected Office document")
    if _utf16("WordDocument") in data:
        return Sniffed("doc")  # read through LibreOffice (extract/legacy.py)
    raise ReaderError(
        "unsupported",
        "legacy Microsoft Office binary file (OLE2, e.g. .xls/.ppt/.msg), not a PDF or DOCX",
    )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        # Windows editors still save cp1252; reject only undecodable control bytes.
        return not re.search(rb"[\x00-\x08\x0e-\x1f]", data[:8192])


def sniff(data: bytes, name: str | None = None) -> Sniffed:
    """The readable kind of `data`, or a ReaderError naming what it is instead.

    `name` (the file name) is only used for Markdown/text, which has no magic
    bytes, and to word messages ("not a PDF" vs "not a DOCX").
    """
    expected = _what_expected(name)
    if not data:
        raise ReaderError("empty", "empty file (0 bytes)")
    if not data.strip():
        raise ReaderError("empty", f"empty file ({len(data)} bytes of whitespace only)")

    # Magic numbers at offset 0 first: a DER envelope carries its PDF verbatim a few
    # dozen bytes in, so a header search alone would take a .p7m for a PDF.
    if data.startswith(_ZIP_MAGICS):
        return _sniff_zip(data, name)
    if data.startswith(_OLE2_MAGIC):
        return _sniff_ole2(data)
    if data.startswith(_GZIP_MAGIC):
        return Sniffed("gzip")
    if data[:1] == b"\x30" and OID_ENVELOPED_DATA in data[:_CMS_WINDOW]:
        raise ReaderError(
            "encrypted",
            "encrypted CMS envelope (EnvelopedData): readable only with the recipient's key",
        )
    encoding = cms_encoding(data)
    if encoding is not None:
        return Sniffed(
            "p7m", warning=None if encoding == "der" else "signed envelope is Base64-encoded"
        )
    for magic, image in _IMAGE_MAGICS:
        if data.startswith(magic):
            raise ReaderError(
                "not_pdf", f"not a {expected}: a {image} image (a scan? convert it to PDF with OCR)"
            )

    offset = pdf_header_offset(data)
    if offset is not None:
        warning = f"{offset} bytes of junk before the %PDF header (ignored)" if offset else None
        return Sniffed("pdf", offset, warning)
    title = _looks_like_html(data[:2048])
    if title is not None:
        shown = f" titled “{title}”" if title else ""
        raise ReaderError(
            "not_pdf",
            f"not a {expected}: looks like HTML (a web page{shown}, probably an error page "
            "saved instead of the document)",
        )
    if data.lstrip().startswith(b"{\\rtf"):
        return Sniffed("rtf")  # read through LibreOffice (extract/legacy.py)

    suffix = PurePath(name or "").suffix.lower()
    if suffix in TEXT_EXTENSIONS and _is_text(data):
        return Sniffed("md")
    if _PDF_OBJECT.search(data[:PDF_HEADER_WINDOW]) and b"endobj" in data:
        # Object syntax without a header: lenient readers (and pdfminer) cope.
        return Sniffed("pdf", 0, "no %PDF header: read as a PDF anyway")

    start = data[:16].decode("latin-1")
    shown = "".join(ch if ch.isprintable() else "·" for ch in start)
    if expected == "PDF":
        raise ReaderError("not_pdf", f"not a PDF: no %PDF header (file starts with “{shown}”)")
    raise ReaderError(
        "unsupported", f"unrecognised file type for a {expected} (file starts with “{shown}”)"
    )
