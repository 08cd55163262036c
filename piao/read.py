"""One document read: file → layout IR → Plan, always under the sandbox's limits.

`read_plan` is the read path of every command (`piao run` through the pipeline,
`piao report`, `piao diff`, `piao inspect`): a hostile file costs the same bounded
time and memory whichever command meets it. It never raises for a bad document: a
file that cannot be read is a `ReadResult` with status "failed", a one-line error and
a stable kind; the traceback goes to the `piao` logger.

Reading and parsing run in a forked child (piao/sandbox.py); only the plan, the
reader's warnings and a few facts about the IR travel back (the IR itself only when
asked, for `piao inspect`). The reader tells, before OCR starts, how many pages it is
about to OCR; the child then asks the sandbox for that much more time.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import extract
from extract.ir import Document, ReaderError
from extract.settings import ReadSettings
from normalize import parse_document
from normalize.columns import PIAO_COLUMNS
from normalize.records import Plan
from piao.sandbox import Limits, SandboxError, extend_time, run_limited
from piao.schemas import SchemaError

log = logging.getLogger("piao.read")
T = TypeVar("T")

ERROR_MAX = 500  # characters of a one-line error


def piao_settings(**changes: Any) -> ReadSettings:
    """The reading settings of a PIAO: `changes` over the defaults, with the PIAO column
    vocabulary for the cells OCR reads again (normalize/columns.py)."""
    return ReadSettings(**{"columns": PIAO_COLUMNS, **changes})


def limits_of(settings: ReadSettings) -> Limits:
    return Limits(time_s=settings.time_limit_s, memory_mb=settings.memory_limit_mb,
                  max_time_s=max(settings.time_limit_s, settings.time_limit_max_s))


class StageError(Exception):
    """An unexpected exception in one stage, reduced to text so it crosses the sandbox."""

    def __init__(self, stage: str, type_name: str, message: str, tb: str, kind: str = "internal"):
        super().__init__(stage, type_name, message, tb, kind)
        self.stage, self.type_name, self.message, self.tb, self.kind = (
            stage, type_name, message, tb, kind)

    @classmethod
    def wrap(cls, stage: str, exc: BaseException) -> StageError:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        tb = "".join(traceback.format_exception(exc))
        if isinstance(exc, MemoryError):
            # Under the sandbox's address-space cap an oversized document shows up as a
            # MemoryError raised by whatever allocated last: a property of the file, not a bug.
            where = f" ({first_line})" if first_line else ""
            return cls(stage, "MemoryError", f"out of memory{where}", tb, "memory")
        kind = "schema" if isinstance(exc, SchemaError) else "internal"
        return cls(stage, type(exc).__name__, first_line, tb, kind)

    def __str__(self) -> str:
        if self.kind in ("memory", "timeout", "crashed"):
            return f"{self.stage} stopped: {self.message}"
        return f"{self.stage} failed: {self.type_name}: {self.message}".rstrip(": ")


@dataclass
class ReadResult:
    """What reading one document gave: its status, its plan (the records), what the
    reader was unsure of, and how long each stage took."""

    path: str
    status: str  # "ok", "partial" (some pages could not be read) or "failed"
    plan: Plan | None = None
    format: str | None = None  # as read: "pdf", "docx", "md"
    pages: int | None = None
    tables: int = 0
    failed_pages: list[int] = field(default_factory=list)
    signer: str | None = None
    read_mode: str = "text"  # "ocr" when every page was made by OCR, "mixed" when some were
    ocr_pages: list[int] = field(default_factory=list)  # pages OCRed in this read
    ocr_layer_pages: list[int] = field(default_factory=list)  # scans read from their OCR layer
    ocr_confidence: float | None = None
    ocr_cells: list[dict] = field(default_factory=list)  # cells OCR read again (ocr_cells.Reread)
    warnings: list[str] = field(default_factory=list)  # the reader's, in reading order
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds
    error: str | None = None  # one line; for "partial", which pages failed and why
    error_kind: str | None = None  # stable: a ReaderError kind, "timeout", "memory", "internal"…
    traceback: str | None = None  # for logs only
    layout: Document | None = None  # the IR, when asked for (piao inspect)

    @property
    def read(self) -> bool:
        return self.status in ("ok", "partial")


def read_plan(path: Path | str, settings: ReadSettings | None = None, *, isolate: bool = True,
              parse: bool = True, keep_layout: bool = False) -> ReadResult:
    """Read and parse one document under `settings`' limits (in a sandbox child unless
    `isolate` is False: for tests and debuggers). `parse=False` stops after reading
    (no plan); `keep_layout` sends the IR back too. Never raises for a bad document."""
    settings = settings or piao_settings()
    path = Path(path)
    t0 = time.perf_counter()
    try:
        if isolate:
            try:
                result = run_limited(_read, path, settings, parse, keep_layout,
                                     limits=limits_of(settings))
            except SandboxError as e:
                raise StageError("read", "SandboxError", e.message, "", kind=e.kind) from e
        else:
            result = _read(path, settings, parse, keep_layout)
    except Exception as e:  # noqa: BLE001 - a bad document must never stop the caller
        result = failed(path, e)
    result.timings["total"] = round(time.perf_counter() - t0, 3)
    return result


def _read(path: Path, settings: ReadSettings, parse: bool, keep_layout: bool) -> ReadResult:
    """In the child: read_document + parse_document. ReaderError passes; anything else
    becomes a StageError (its traceback as text, which crosses the pipe)."""
    def more_time(pages: int) -> None:
        granted = extend_time(pages * settings.ocr_time_per_page_s)
        if granted is not None:
            log.info("%s: %d page(s) to OCR, time limit now %.0f s", path, pages, granted)

    timings: dict[str, float] = {}
    t = time.perf_counter()
    doc = _stage("read", lambda: extract.read_document(path, settings, on_ocr_start=more_time))
    timings["read"] = round(time.perf_counter() - t, 3)
    plan = None
    if parse:
        t = time.perf_counter()
        plan = _stage("parse", lambda: parse_document(doc))
        timings["parse"] = round(time.perf_counter() - t, 3)
    failed_pages = list(doc.failed_pages)
    page_error = next((p.error for p in doc.pages if p.error), None)
    return ReadResult(
        path=str(path),
        status="partial" if failed_pages else "ok",
        plan=plan,
        format=doc.format,
        pages=len(doc.pages) or None,
        tables=sum(1 for _ in doc.tables()),
        failed_pages=failed_pages,
        signer=_signer(doc.meta),
        read_mode=doc.meta.get("read_mode") or "text",
        ocr_pages=list(doc.meta.get("ocr_pages") or []),
        ocr_layer_pages=list(doc.meta.get("ocr_layer_pages") or []),
        ocr_confidence=_number(doc.meta.get("ocr_confidence")),
        ocr_cells=list(doc.meta.get("ocr_cells") or []),
        warnings=list(doc.warnings),
        timings=timings,
        error=clip(f"page(s) {', '.join(map(str, failed_pages))} could not be read: "
                   f"{page_error}") if failed_pages else None,
        error_kind="pages" if failed_pages else None,
        layout=doc if keep_layout else None,
    )


def failed(path: Path, e: BaseException) -> ReadResult:
    """The failed result for exception `e`, logged with its traceback."""
    if isinstance(e, ReaderError):
        log.warning("%s: %s (%s)", path, e.message, e.kind)
        # raised in the sandbox child: its traceback travelled as text
        tb = getattr(e, "child_traceback", None) or "".join(traceback.format_exception(e))
        return ReadResult(str(path), "failed", error=clip(e.message), error_kind=e.kind,
                          traceback=tb)
    if not isinstance(e, StageError):
        e = StageError.wrap("pipeline", e)
    log.error("%s: %s\n%s", path, e, e.tb)
    return ReadResult(str(path), "failed", error=clip(str(e)), error_kind=e.kind, traceback=e.tb)


def preload_imports() -> None:
    """Import the readers now, before a fork, so every child (sandbox or batch worker)
    inherits them instead of importing them again (~1 s each time); and pandas, which
    pyarrow imports on its first `pa.array` (its check for pandas objects) when the first
    dataset is written: once here, not once in every worker (~0.3 s each)."""
    import pandas  # noqa: F401

    from extract import docx, markdown, odt, pdf, pdf_pdfium  # pdf_pdfium: the default backend

    del docx, markdown, odt, pdf, pdf_pdfium  # loaded into sys.modules is all that is needed


def _stage(stage: str, fn: Callable[[], T]) -> T:
    """Call fn, turning an unexpected exception into a StageError (ReaderError passes)."""
    try:
        return fn()
    except (ReaderError, StageError):
        raise
    except Exception as e:
        raise StageError.wrap(stage, e) from e


def _number(v: Any) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def _signer(meta: dict) -> str | None:
    """Signer subject(s) of a .p7m envelope, outer signer first."""
    if meta.get("signer"):
        return str(meta["signer"])
    return "; ".join(map(str, meta.get("signers") or [])) or None


def clip(s: str) -> str:
    return s if len(s) <= ERROR_MAX else s[: ERROR_MAX - 1] + "…"
