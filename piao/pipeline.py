"""One source document → all its dataset files.

`process_document` never raises for a bad document: whatever goes wrong while
reading, parsing or checking it becomes a documents row with status
"failed", a one-line `error` and a stable `error_kind`; the traceback goes to
the `piao` logger (the CLI sends it to `<out>/piao.log`). A batch runner (serial
now, a process pool later) only has to call it once per file.

Reading and parsing run in a forked child under a time and memory limit
(piao/sandbox.py): a decompression bomb or a parser loop costs one document,
not the run. Only the plan and a few facts about the IR travel back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib
import json
import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normalize.codes import entity_codes
from piao import dataset
from piao.sandbox import Limits
from piao.schemas import SCHEMA_VERSION, TABLES, DocumentRow, Finding, SchemaError
from piao.version import __version__

log = logging.getLogger("piao.pipeline")

DOC_ID_HEX = 16
_ERROR_MAX = 500

# Plan attribute holding each domain table's records.
_PLAN_TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff", "outputs",
                "indicators", "entity")


@dataclass(frozen=True)
class Options:
    """Processing settings. Fields with metadata output=True change what is written and
    make up `documents.options_hash`; the limits only decide when to give up."""

    run_checks: bool = field(default=True, metadata={"output": True})
    isolate: bool = True  # read and parse in a child process under the limits below
    time_limit_s: float = 600.0  # an 85-page plan reads in ~5 s; 600 s is a hung parser
    # Pages without a text layer are OCRed at a few seconds each (an 85-page scan ~5 min):
    # the reader asks for this much more per such page before OCR starts, up to the cap.
    ocr_time_per_page_s: float = 10.0
    time_limit_max_s: float = 3600.0
    memory_limit_mb: int = 2048  # address space the child may add (pdfplumber peaks ~400 MB)

    def limits(self) -> Limits:
        return Limits(time_s=self.time_limit_s, memory_mb=self.memory_limit_mb,
                      max_time_s=max(self.time_limit_s, self.time_limit_max_s))

    def digest(self) -> str:
        hashed = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                  if f.metadata.get("output")}
        # Rows written under another schema lack columns: not "unchanged" for a rerun.
        hashed["schema_version"] = SCHEMA_VERSION
        return hashlib.sha256(json.dumps(hashed, sort_keys=True).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ReportTarget:
    """Where a document's consistency report goes: `<dir>/<stem>.html` and `.md`."""

    dir: Path
    stem: str
    lang: str = "it"


@dataclass
class DocResult:
    """What a runner needs to report on one document (the documents row has the rest)."""

    path: str
    doc_id: str | None
    status: str
    pages: int | None = None
    cards: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # rows written per table
    findings: int = 0
    seconds: float = 0.0
    error: str | None = None
    error_kind: str | None = None
    failed_pages: list[int] = field(default_factory=list)
    report: str | None = None  # the HTML report written for the document
    report_error: str | None = None  # why the report could not be written (datasets are fine)
    traceback: str | None = None  # for logs only, never written to the datasets

    def as_json(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("traceback")
        return d


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
class _Extracted:
    """What the child process sends back: facts about the IR, and the plan."""

    format: str
    pages: int | None
    tables: int
    failed_pages: list[int]
    page_error: str | None  # the first failed page's error
    signer: str | None
    read_mode: str
    ocr_confidence: float | None
    plan: Any


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def process_document(
    path: Path | str, out_dir: Path | str, *, options: Options = Options(), sha256: str | None = None,
    report: ReportTarget | None = None,
) -> DocResult:
    """Read, parse and check one document and write every table for it, and its
    consistency report when `report` says where (a document that was read: ok or partial).

    `sha256` may be passed by a runner that already hashed the file (to find
    duplicates before processing).
    """
    t0 = time.perf_counter()
    path, out = Path(path), Path(out_dir)
    processed_at = dt.datetime.now(dt.UTC)
    try:
        digest = sha256 or file_sha256(path)
        size = path.stat().st_size
    except OSError as e:
        # Without the bytes there is no doc_id, hence no row to write.
        return DocResult(str(path), None, "failed", error=f"cannot read file: {e.strerror or e}",
                         error_kind="unreadable", seconds=time.perf_counter() - t0)
    doc_id = digest[:DOC_ID_HEX]
    row = DocumentRow(
        sha256=digest, source_path=str(path), file_name=path.name, format=_suffix_format(path),
        size_bytes=size, status="ok", tool_version=__version__, options_hash=options.digest(),
        processed_at=processed_at, seconds=0.0,
    )
    tables: dict[str, list[Any]] = {t: [] for t in TABLES if t != "documents"}
    partition = dataset.Partition()
    tb: str | None = None
    plan: Any = None
    try:
        extracted = _extract_isolated(path, options) if options.isolate else extract_and_parse(path)
        plan = extracted.plan
        _fill_row(row, extracted)
        partition = dataset.Partition.of(plan.ente_slug, plan.period_start, plan.period_end)
        for t in _PLAN_TABLES:
            tables[t] = list(getattr(plan, t))
        from piao.checks import note_findings, run_checks

        # run_checks reports the normaliser's notes too; without checks, the notes alone
        tables["findings"] = (_stage("checks", run_checks, plan) if options.run_checks
                              else note_findings(plan))
    except Exception as e:  # noqa: BLE001 - a bad document must never stop the run
        tb = _fail(row, path, e)
        tables = {t: [] for t in tables}  # a failed document contributes no domain rows

    # The report goes before the datasets: the documents file, written last, marks the
    # document done for a rerun, and done includes its report.
    written = ReportResult()
    if report is not None and row.status in ("ok", "partial"):
        row.seconds = time.perf_counter() - t0
        written = _write_report(report, plan, tables["findings"], row, doc_id, path)
    elif report is not None:  # a failed document has no report; drop one of an earlier run
        ReportResult(*map(str, _report_paths(report))).removed()
    try:
        row.seconds = time.perf_counter() - t0
        dataset.write_document(out, doc_id, partition, {**tables, "documents": [row]})
    except SchemaError as e:
        # The records broke their schema: keep the documents row, drop the rows (and the
        # report, which showed them).
        tb = _fail(row, path, StageError.wrap("write", e))
        tables = {t: [] for t in tables}
        written = written.removed()
        row.seconds = time.perf_counter() - t0
        dataset.write_document(out, doc_id, partition, {**tables, "documents": [row]})
    except OSError as e:
        log.error("%s: cannot write datasets", path, exc_info=True)
        return DocResult(str(path), doc_id, "failed", error=f"cannot write datasets: {e}",
                         error_kind="write", seconds=time.perf_counter() - t0,
                         traceback=traceback.format_exc())

    return DocResult(
        path=str(path), doc_id=doc_id, status=row.status, pages=row.pages, cards=row.cards,
        counts={t: len(rows) for t, rows in tables.items()}, findings=len(tables["findings"]),
        seconds=row.seconds, error=row.error, error_kind=row.error_kind,
        failed_pages=list(row.failed_pages), report=written.html, report_error=written.error,
        traceback=tb,
    )


@dataclass(frozen=True)
class ReportResult:
    html: str | None = None
    md: str | None = None
    error: str | None = None

    def removed(self) -> ReportResult:
        for p in (self.html, self.md):
            if p:
                Path(p).unlink(missing_ok=True)
        return ReportResult(error=self.error)


def _report_paths(target: ReportTarget) -> tuple[Path, Path]:
    from piao.report.files import report_files

    files = report_files(target.dir, target.stem)
    return files.html, files.md


def _write_report(target: ReportTarget, plan: Any, findings: list[Finding], row: DocumentRow,
                  doc_id: str, path: Path) -> ReportResult:
    """The document's report files; a failure here costs the report, not the datasets."""
    from piao.report.files import write_document_report

    meta = {**dataclasses.asdict(row), "doc_id": doc_id}
    try:
        files = write_document_report(plan, findings, meta, target.dir, target.stem, target.lang)
    except Exception as e:
        log.exception("%s: cannot write the report", path)
        return ReportResult(error=_clip(f"{type(e).__name__}: {e}"))
    return ReportResult(str(files.html), str(files.md))


def extract_and_parse(path: Path, ocr_time_per_page_s: float = 0.0) -> _Extracted:
    """read_document + parse_document; ReaderError passes, anything else becomes a StageError.

    In a sandbox worker, the time limit grows by `ocr_time_per_page_s` per page the
    reader is about to OCR (told before OCR starts, extract/ocr_budget.py)."""
    from extract.ocr_budget import on_ocr_start
    from piao.sandbox import extend_time

    read_document = _stage("import", _import, "extract", "read_document")

    def more_time(pages: int) -> None:
        granted = extend_time(pages * ocr_time_per_page_s)
        if granted is not None:
            log.info("%s: %d page(s) to OCR, time limit now %.0f s", path, pages, granted)

    with on_ocr_start(more_time):
        doc = _stage("read", read_document, path)
    parse_document = _stage("import", _import, "normalize", "parse_document")
    plan = _stage("parse", parse_document, doc)
    failed = list(doc.failed_pages)
    return _Extracted(
        format=doc.format,
        pages=len(doc.pages) or None,
        tables=sum(1 for _ in doc.tables()),
        failed_pages=failed,
        page_error=next((p.error for p in doc.pages if p.error), None),
        signer=_signer(doc.meta),
        read_mode=doc.meta.get("read_mode") or "text",
        ocr_confidence=_number(doc.meta.get("ocr_confidence")),
        plan=plan,
    )


def _extract_isolated(path: Path, options: Options) -> _Extracted:
    from piao.sandbox import SandboxError, run_limited

    preload_readers()
    try:
        return run_limited(extract_and_parse, path, options.ocr_time_per_page_s,
                           limits=options.limits())
    except SandboxError as e:
        raise StageError("read", "SandboxError", e.message, "", kind=e.kind) from e


def preload_readers() -> None:
    """Import the readers and the parser now, before a fork, so every child (sandbox or
    batch worker) inherits them instead of importing them again (~1 s each time)."""
    for module in ("extract", "extract.pdf", "extract.docx", "extract.odt", "extract.markdown",
                   "normalize"):
        _stage("import", importlib.import_module, module)


def _fill_row(row: DocumentRow, x: _Extracted) -> None:
    plan = x.plan
    row.format, row.pages, row.tables = x.format, x.pages, x.tables
    row.failed_pages, row.signer, row.read_mode = x.failed_pages, x.signer, x.read_mode
    row.ente_name = plan.ente or None
    row.ente_slug = plan.ente_slug or None
    row.period_start = plan.period_start
    row.period_end = plan.period_end
    row.approval_act = plan.approval_act or None
    codes = entity_codes(plan.entity)  # join keys to the registries; malformed ones: a check
    row.istat_code, row.codice_fiscale = codes.istat_code, codes.codice_fiscale
    row.ipa_code, row.ipa_code_kind = codes.ipa_code, codes.ipa_code_kind
    row.cards = len(plan.objectives)
    row.templates = plan.templates()
    if plan.objectives:
        complete = sum(1 for o in plan.objectives if not o.missing_fields)
        row.cards_complete_share = complete / len(plan.objectives)
    row.ocr_confidence = x.ocr_confidence
    if x.failed_pages:
        pages = ", ".join(map(str, x.failed_pages))
        row.status, row.error_kind = "partial", "pages"
        row.error = _clip(f"page(s) {pages} could not be read: {x.page_error}")
    else:
        row.status = "ok"


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


def _stage(stage: str, fn: Any, *args: Any) -> Any:
    """Call fn, turning an unexpected exception into a StageError (ReaderError passes as is)."""
    from extract.ir import ReaderError

    try:
        return fn(*args)
    except (ReaderError, StageError):
        raise
    except Exception as e:
        raise StageError.wrap(stage, e) from e


def _import(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _fail(row: DocumentRow, path: Path, e: Exception) -> str:
    """Mark the row failed with a one-line error; log and return the traceback."""
    from extract.ir import ReaderError

    row.status = "failed"
    if isinstance(e, ReaderError):
        row.error, row.error_kind = _clip(e.message), e.kind
        log.warning("%s: %s (%s)", path, e.message, e.kind)
        # raised in the sandbox child: its traceback travelled as text
        return getattr(e, "child_traceback", None) or "".join(traceback.format_exception(e))
    if not isinstance(e, StageError):
        e = StageError.wrap("pipeline", e)
    row.error, row.error_kind = _clip(str(e)), e.kind
    log.error("%s: %s\n%s", path, row.error, e.tb)
    return e.tb


def _clip(s: str) -> str:
    return s if len(s) <= _ERROR_MAX else s[: _ERROR_MAX - 1] + "…"


def _suffix_format(path: Path) -> str:
    """The format a file claims by name, used when it could not be read."""
    suffixes = [s.lower().lstrip(".") for s in path.suffixes]
    return suffixes[-1] if suffixes else ""
