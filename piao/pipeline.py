"""One source document → all its dataset files.

`process_document` never raises for a bad document: whatever goes wrong while
reading, parsing or checking it becomes a documents row with status
"failed", a one-line `error` and a stable `error_kind`; the traceback goes to
the `piao` logger (the CLI sends it to `<out>/piao.log`). A batch runner (serial
now, a process pool later) only has to call it once per file.

Reading and parsing are `piao.read.read_plan`: in a forked child under a time and
memory limit (piao/sandbox.py), so a decompression bomb or a parser loop costs one
document, not the run. The reader's warnings become findings (`reader.*`, info).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.settings import ReadSettings
from normalize.codes import entity_codes
from normalize.records import Plan
from piao import dataset
from piao.checks import note_findings, run_checks
from piao.checks.reader import reader_findings
from piao.read import ReadResult, StageError, clip, failed, piao_settings, read_plan
from piao.report.files import report_files, write_document_report
from piao.schemas import SCHEMA_VERSION, TABLES, DocumentRow, Finding, SchemaError
from piao.version import __version__

log = logging.getLogger("piao.pipeline")

DOC_ID_HEX = 16

# Plan attribute holding each domain table's records.
_PLAN_TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff", "outputs",
                "indicators", "entity")


@dataclass(frozen=True)
class Options:
    """Processing settings. `documents.options_hash` is made of those that change what
    is written: run_checks and the reading settings marked output (backend, OCR); the
    limits only decide when to give up."""

    run_checks: bool = True
    isolate: bool = True  # read and parse in a child process under read's limits
    read: ReadSettings = field(default_factory=piao_settings)

    def digest(self) -> str:
        hashed: dict[str, Any] = {"run_checks": self.run_checks, **self.read.output_fields()}
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
    timings: dict[str, float] = field(default_factory=dict)  # "read", "parse"… → seconds
    traceback: str | None = None  # for logs only, never written to the datasets

    def as_json(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("traceback")
        return d


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
    plan: Plan | None = None
    timings: dict[str, float] = {}
    read = read_plan(path, options.read, isolate=options.isolate)
    timings.update(read.timings)
    if read.read and read.plan is not None:
        plan = read.plan
        _fill_row(row, read, plan)
        partition = dataset.Partition.of(plan.ente_slug, plan.period_start, plan.period_end)
        try:
            for t in _PLAN_TABLES:
                tables[t] = list(getattr(plan, t))
            t_checks = time.perf_counter()
            # run_checks reports the normaliser's notes too; without checks, the notes alone
            found = run_checks(plan) if options.run_checks else note_findings(plan)
            tables["findings"] = [*reader_findings(read.warnings, read.ocr_cells), *found]
            timings["checks"] = round(time.perf_counter() - t_checks, 3)
        except Exception as e:  # noqa: BLE001 - a bad document must never stop the run
            tb = _fail(row, path, StageError.wrap("checks", e))
            tables = {t: [] for t in tables}
    else:
        row.status, row.error, row.error_kind = "failed", read.error, read.error_kind
        row.format = read.format or row.format
        tb = read.traceback

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
        timings=timings, traceback=tb,
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
    files = report_files(target.dir, target.stem)
    return files.html, files.md


def _write_report(target: ReportTarget, plan: Plan | None, findings: list[Finding],
                  row: DocumentRow, doc_id: str, path: Path) -> ReportResult:
    """The document's report files; a failure here costs the report, not the datasets."""
    meta = {**dataclasses.asdict(row), "doc_id": doc_id}
    try:
        files = write_document_report(plan, findings, meta, target.dir, target.stem, target.lang)
    except Exception as e:
        log.exception("%s: cannot write the report", path)
        return ReportResult(error=clip(f"{type(e).__name__}: {e}"))
    return ReportResult(str(files.html), str(files.md))


def _fill_row(row: DocumentRow, x: ReadResult, plan: Plan) -> None:
    row.format, row.pages, row.tables = x.format or row.format, x.pages, x.tables
    row.failed_pages, row.signer, row.read_mode = x.failed_pages, x.signer, x.read_mode
    row.ocr_pages, row.ocr_layer_pages = x.ocr_pages, x.ocr_layer_pages
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
    row.status, row.error, row.error_kind = x.status, x.error, x.error_kind


def _fail(row: DocumentRow, path: Path, e: StageError) -> str:
    """Mark the row failed with a one-line error; log and return the traceback."""
    result = failed(path, e)
    row.status, row.error, row.error_kind = "failed", result.error, result.error_kind
    return result.traceback or ""


def _suffix_format(path: Path) -> str:
    """The format a file claims by name, used when it could not be read."""
    suffixes = [s.lower().lstrip(".") for s in path.suffixes]
    return suffixes[-1] if suffixes else ""
