"""Library exceptions → ReaderError with a message a user can act on.

pdfminer, zipfile, lxml and python-docx fail on damaged input with whatever
exception the broken structure happened to trigger (KeyError, TypeError,
"No /Root object!"...). A batch user needs to know what is wrong with the
file, so every such failure becomes a ReaderError with a stable `kind`. An
exception raised from our own code (not from a parsing library) is reported as
kind "internal": that is a bug to fix, not a bad file.
"""

from __future__ import annotations

import os
import sysconfig
import traceback
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extract.ir import ReaderError

# Our own packages: an unexpected exception raised from here is a bug, not a bad file.
_REPO = Path(__file__).resolve().parents[1]
_OWN_DIRS = tuple(str(_REPO / pkg) + os.sep for pkg in ("extract", "normalize", "piao"))
_STDLIB = sysconfig.get_paths()["stdlib"] + os.sep


def _root(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException(e): look inside."""
    while (
        type(exc).__name__ == "PdfminerException"
        and exc.args
        and isinstance(exc.args[0], BaseException)
    ):
        exc = exc.args[0]
    return exc


def is_memory_error(exc: BaseException) -> bool:
    return isinstance(_root(exc), MemoryError)


def _from_parser(exc: BaseException) -> bool:
    """Raised by a parsing library (bad input) rather than by our own code (a bug)?

    The innermost frame outside the standard library decides: pdfminer calling
    base64.a85decode on garbage is a bad file; our code calling int() on garbage
    is a bug in our code.
    """
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = os.path.abspath(frame.filename)
        if path.startswith(_STDLIB) and "site-packages" not in path:
            continue
        return not path.startswith(_OWN_DIRS)
    return True


def _short(exc: BaseException, limit: int = 160) -> str:
    text = str(exc).strip() or type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pdf_looks_truncated(data: bytes | None) -> bool:
    """No %%EOF marker near the end: the file was most likely cut short."""
    return data is not None and b"%%EOF" not in data[-2048:]


def translate(exc: BaseException, *, data: bytes | None = None, fmt: str = "pdf") -> ReaderError:
    """The ReaderError that tells the user what `exc` means for this file."""
    if isinstance(exc, ReaderError):
        return exc
    root = _root(exc)
    name = type(root).__name__
    label = fmt.upper()
    detail = _short(root)

    if name == "PDFPasswordIncorrect":
        return ReaderError(
            "encrypted", "password required: the PDF is protected with a user (open) password"
        )
    if name in ("PDFEncryptionError", "PDFTextExtractionNotAllowed"):
        return ReaderError(
            "encrypted",
            f"encrypted PDF that cannot be decrypted (unsupported or damaged encryption: {detail})",
        )
    if isinstance(root, RecursionError):
        return ReaderError(
            "corrupt", f"damaged {label}: circular or too deeply nested structure (reference loop)"
        )
    if isinstance(root, zipfile.BadZipFile) or name == "BadZipFile":
        return ReaderError(
            "truncated" if "central directory" in str(root).lower() else "corrupt",
            f"damaged {label}: the ZIP container cannot be read ({detail})",
        )
    if name in ("PSEOF", "PDFEOFError") or isinstance(root, EOFError):
        return ReaderError("truncated", f"{label} ends unexpectedly: the file is truncated")
    if fmt == "pdf" and name in ("PDFSyntaxError", "PDFNoValidXRef", "PSSyntaxError"):
        if pdf_looks_truncated(data):
            return ReaderError(
                "truncated",
                f"truncated PDF: no end-of-file marker and no readable structure ({detail})",
            )
        if "/Root" in str(root):
            return ReaderError(
                "corrupt", "damaged PDF: the document catalog (/Root) cannot be found"
            )
        return ReaderError("corrupt", f"damaged PDF: syntax error ({detail})")
    if name == "XMLSyntaxError":
        return ReaderError("corrupt", f"damaged {label}: invalid XML ({detail})")
    if _from_parser(root):
        return ReaderError("corrupt", f"damaged {label}: {name}: {detail}")
    return ReaderError(
        "internal", f"internal error while reading the {label} (a bug): {name}: {detail}"
    )


@contextmanager
def reader_errors(*, data: bytes | None = None, fmt: str = "pdf") -> Iterator[None]:
    """Turn any failure inside the block into a ReaderError (MemoryError passes through:
    the sandbox reports it as an exceeded memory limit)."""
    try:
        yield
    except (ReaderError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if is_memory_error(exc):  # wrapped by pdfplumber: unwrap so the limit is reported
            raise MemoryError(str(exc)) from exc
        raise translate(exc, data=data, fmt=fmt) from exc
