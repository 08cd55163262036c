"""The `piao` command line: `piao run` (documents → datasets), `piao inspect` (one file's IR)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from piao.version import __version__

if TYPE_CHECKING:  # the pipeline pulls in pyarrow/pandas: not needed for --help
    from rich.console import Console

    from extract.settings import ReadSettings
    from piao.pipeline import DocResult
    from piao.read import ReadResult

# What a folder walk picks up; a file named explicitly is always processed
# (the readers sniff the bytes, not the name).
INPUT_SUFFIXES = (".pdf", ".p7m", ".docx", ".odt", ".doc", ".rtf", ".md")
DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/clean")
LOG_NAME = "piao.log"

EXIT_OK, EXIT_FAILED_DOCS, EXIT_USAGE = 0, 1, 2

_STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red", "skipped": "dim",
                 "duplicate": "dim"}


def _is_candidate(p: Path) -> bool:
    # Skip hidden files and the lock files Word ("~$x.docx") and LibreOffice leave behind.
    name = p.name
    return p.is_file() and not name.startswith((".", "~$")) and p.suffix.lower() in INPUT_SUFFIXES


def collect_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(files to process, inputs that do not exist); folders are walked recursively, sorted."""
    files: list[Path] = []
    missing: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if _is_candidate(f))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(p)
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, missing


def _totals(results: Sequence[DocResult]) -> dict:
    return {
        "documents": len(results),
        "status": dict(Counter(r.status for r in results)),
        "pages": sum(r.pages or 0 for r in results),
        "cards": sum(r.cards or 0 for r in results),
        "weights": sum(r.counts.get("weights", 0) for r in results),
        "findings": sum(r.findings for r in results),
        "seconds": round(sum(r.seconds for r in results), 3),
    }


def _print_summary(results: Sequence[DocResult], out: Path, console: Console,
                   wall: float | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    took = f" in {wall:.1f} s" if wall is not None else ""
    table = Table(title=f"piao run → {out}{took}", show_footer=True)
    tot = _totals(results)
    status_txt = ", ".join(f"{n} {s}" for s, n in sorted(tot["status"].items()))
    table.add_column("document", footer=f"{tot['documents']} documents", overflow="fold")
    table.add_column("status", footer=status_txt)
    for key in ("pages", "cards", "weights", "findings"):
        table.add_column(key, justify="right", footer=str(tot[key]))
    table.add_column("seconds", justify="right", footer=f"{tot['seconds']:.1f}")
    for r in results:
        read = r.status in ("ok", "partial")  # counts of a failed document are not news
        table.add_row(
            Text(Path(r.path).name),
            Text(r.status, style=_STATUS_STYLE.get(r.status, "")),
            _num(r.pages), _num(r.cards),
            _num(r.counts.get("weights") if read else None),
            _num(r.findings if read else None),
            f"{r.seconds:.1f}",
        )
    console.print(table)
    for r in results:
        if r.error:
            console.print(Text(f"{Path(r.path).name}: {r.status}: {r.error}",
                               style=_STATUS_STYLE.get(r.status, "")))


def _positive_int(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _num(v: int | None) -> str:
    return "" if v is None else str(v)


def _log_to(out: Path) -> logging.Handler:
    """Tracebacks of failed documents, and the warnings parsing libraries log about
    damaged files, go to <out>/piao.log instead of through the progress lines."""
    out.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(out / LOG_NAME, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger("piao").setLevel(logging.INFO)
    return handler


def default_reports(out: Path) -> Path:
    """`reports/` beside the dataset folder: data/clean → data/reports."""
    return (out.parent if out.name else out.resolve().parent) / "reports"


def cmd_run(args: argparse.Namespace) -> int:
    from rich.console import Console

    err = Console(stderr=True)
    inputs = [Path(p) for p in args.inputs] or [DEFAULT_INPUT]
    files, missing = collect_inputs(inputs)
    for m in missing:
        err.print(f"[red]piao run: no such file or folder: {m}[/red]")
    if missing:
        return EXIT_USAGE
    if not files:
        err.print(f"piao run: no documents ({', '.join(INPUT_SUFFIXES)}) in "
                  f"{', '.join(map(str, inputs))}")
        return EXIT_USAGE
    out = Path(args.out)
    reports = Path(args.reports) if args.reports else default_reports(out)
    handler = _log_to(out)
    show_progress = not (args.quiet or args.json)

    # A live bar only on a terminal; a log (stdout or stderr redirected) gets one line
    # per document instead, which a bar would garble with control codes.
    live = show_progress and err.is_terminal and sys.stdout.isatty()
    done = 0

    def line(r: DocResult) -> None:
        nonlocal done
        done += 1
        err.print(f"[{done}/{len(files)}] {Path(r.path).name}: "
                  f"[{_STATUS_STYLE.get(r.status, '')}]{r.status}[/] ({r.seconds:.1f} s)",
                  highlight=False)

    from piao.batch import run_batch
    from piao.pipeline import Options

    options = Options(read=_settings(args))
    t0 = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            on_plan, on_result = None, (line if show_progress else None)
            if live:
                from piao.progress import BatchProgress

                bar = stack.enter_context(BatchProgress(err))
                on_plan, on_result = bar.plan, bar.result
            results = run_batch(files, out, options=options, jobs=args.jobs, force=args.force,
                                executor=args.executor, scheduler=args.scheduler,
                                on_plan=on_plan, on_result=on_result,
                                reports_dir=reports, lang=args.lang)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    wall = time.perf_counter() - t0

    if args.json:
        print(json.dumps({"out": str(out), "reports": str(reports),
                          "documents": [r.as_json() for r in results],
                          "totals": {**_totals(results), "wall_seconds": round(wall, 3)}},
                         ensure_ascii=False, indent=2))
    elif args.quiet:
        tot = _totals(results)
        status = ", ".join(f"{n} {s}" for s, n in sorted(tot["status"].items()))
        print(f"{tot['documents']} documents ({status}), {tot['cards']} cards → {out} "
              f"in {wall:.1f} s")
    else:
        console = Console()
        if not console.is_terminal:  # a log file: do not fold file names at 80 columns
            console = Console(width=max(100, max(len(Path(r.path).name) for r in results) + 60))
        _print_summary(results, out, console, wall)
        console.print(f"reports: {reports / 'index.html'}", highlight=False)
    return EXIT_FAILED_DOCS if any(r.status == "failed" for r in results) else EXIT_OK


def _settings(args: argparse.Namespace) -> ReadSettings:
    """The reading settings the command line chose (PIAO vocabulary, sandbox limits)."""
    from piao.read import piao_settings

    return piao_settings(pdf_backend=args.pdf_backend, ocr=not args.no_ocr,
                         ocr_language=args.ocr_lang)


def _read_one(command: str, file: str, settings: ReadSettings, *,
              layout: bool = False) -> ReadResult | int:
    """The document of a one-file command, read like `piao run` reads it (sandbox, limits),
    or the exit code after saying why not."""
    from piao.read import read_plan

    path = Path(file)
    if not path.is_file():
        print(f"piao {command}: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    result = read_plan(path, settings, parse=not layout, keep_layout=layout)
    if not result.read:
        print(f"piao {command}: cannot read {path}: {result.error} ({result.error_kind})",
              file=sys.stderr)
        return EXIT_FAILED_DOCS
    return result


def cmd_inspect(args: argparse.Namespace) -> int:
    from extract.inspect import format_document

    read = _read_one("inspect", args.file, _settings(args), layout=True)
    if isinstance(read, int):
        return read
    assert read.layout is not None
    print(format_document(read.layout, args.page))
    if args.png:
        return _inspect_png(args, read.layout)
    return EXIT_OK


def _inspect_png(args: argparse.Namespace, doc) -> int:
    """`--png OUT.png`: the page drawn with what the readers found on it."""
    from extract.inspect_png import write_page_png

    if doc.format != "pdf":
        print(f"piao inspect: --png draws PDF pages; {args.file} is {doc.format.upper()}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        counts = write_page_png(Path(args.file), doc, args.page or 1, Path(args.png))
    except (ValueError, OSError) as exc:
        print(f"piao inspect: cannot draw page {args.page or 1}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    drawn = ", ".join(f"{n} {k}" for k, n in counts.items())
    print(f"page {args.page or 1} drawn to {args.png}: {drawn}", file=sys.stderr)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Rebuild the consistency report of one document (HTML + Markdown)."""
    from piao.checks import run_checks
    from piao.checks.reader import reader_findings
    from piao.pipeline import DOC_ID_HEX, file_sha256
    from piao.report import write_document_report

    read = _read_one("report", args.doc, _settings(args))
    if isinstance(read, int):
        return read
    assert read.plan is not None
    path, plan = Path(args.doc), read.plan
    findings = [*reader_findings(read.warnings, read.ocr_cells), *run_checks(plan)]
    meta = {"doc_id": file_sha256(path)[:DOC_ID_HEX], "source_path": str(path),
            "file_name": path.name, "format": read.format, "pages": read.pages,
            "ente_name": plan.ente, "period_start": plan.period_start,
            "period_end": plan.period_end, "status": read.status, "error": read.error}
    files = write_document_report(plan, findings, meta, Path(args.out), path.name, args.lang)
    print(f"{len(findings)} findings\n  html: {files.html}\n  md: {files.md}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from piao.diff.datasets import DatasetDiffError, compare_datasets
    from piao.diff.run import DocumentsUnreadable, run_diff, write_outputs

    try:
        if args.ente:  # OLD and NEW are periods of one entity in the datasets
            diff = compare_datasets(args.clean, args.ente, args.old, args.new,
                                    old_doc_id=args.old_doc, new_doc_id=args.new_doc)
            result = write_outputs(diff, args.out, lang=args.lang)
        else:
            for f in (args.old, args.new):
                if not Path(f).is_file():
                    print(f"piao diff: no such file: {f}", file=sys.stderr)
                    return EXIT_USAGE
            result = run_diff(args.old, args.new, args.out, lang=args.lang,
                              settings=_settings(args))
    except DocumentsUnreadable as e:
        for r in e.results:
            print(f"piao diff: cannot read {r.path}: {r.error} ({r.error_kind})", file=sys.stderr)
        return EXIT_FAILED_DOCS
    except DatasetDiffError as e:
        print(f"piao diff: {e}", file=sys.stderr)
        return EXIT_USAGE
    kinds: dict[str, int] = {}
    for c in result.changes:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    summary = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "no change"
    print(f"{len(result.changes)} changes ({summary})")
    for fmt, path in result.files.items():
        print(f"  {fmt}: {path}")
    return EXIT_OK


def _reading_options(parser: argparse.ArgumentParser) -> None:
    """How documents are read; the same on every command that reads one."""
    from extract.settings import DEFAULT_SETTINGS, PDF_BACKENDS

    group = parser.add_argument_group("reading")
    group.add_argument("--pdf-backend", choices=PDF_BACKENDS, default=DEFAULT_SETTINGS.pdf_backend,
                       help="library that reads the PDF page objects (default %(default)s; "
                       "pdfplumber is the reference pdfium is held to, about half as fast)")
    group.add_argument("--no-ocr", action="store_true",
                       help="do not OCR pages that are only images (scans): they stay unread, "
                       "with a warning")
    group.add_argument("--ocr-lang", default="ita", metavar="LANG",
                       help="Tesseract language(s) for OCR, e.g. ita+eng (default %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="piao",
        description="Read Italian PIAO plans (PDF, .pdf.p7m, DOCX, Markdown) into Parquet datasets.",
    )
    p.add_argument("--version", action="version", version=f"piao {__version__}")
    sub = p.add_subparsers(dest="command", title="commands", metavar="COMMAND", required=True)

    run = sub.add_parser(
        "run",
        help="read documents into Parquet datasets and print a summary",
        description="Read documents into the Parquet datasets under --out, one file per "
        "(table, document); a document that cannot be read gets a documents row with "
        "status=failed and the run goes on. Tracebacks go to <out>/piao.log.",
        epilog="Exit status: 0 all documents ok or partial, 1 some document failed, "
        "2 bad arguments or no documents found.",
    )
    run.add_argument("inputs", nargs="*", metavar="INPUT",
                     help=f"files or folders (searched recursively for {' '.join(INPUT_SUFFIXES)}); "
                     f"default {DEFAULT_INPUT}")
    run.add_argument("--out", default=str(DEFAULT_OUT), metavar="DIR",
                     help=f"dataset folder (default {DEFAULT_OUT})")
    run.add_argument("--reports", metavar="DIR",
                     help="where each document's consistency report (<file name>.html and .md) "
                     "and the batch index (index.html, index.md) go (default: reports/ beside "
                     "--out, e.g. data/reports)")
    run.add_argument("--lang", choices=("it", "en"), default="it", help="report language")
    run.add_argument("--quiet", action="store_true", help="print only the totals line")
    run.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    run.add_argument("-j", "--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                     help="documents processed at once, each in its own worker process "
                     "(default: the number of CPUs, %(default)s here)")
    run.add_argument("--force", action="store_true",
                     help="redo documents already in the datasets with the same bytes, tool "
                     "version and options (skipped as unchanged otherwise)")
    run.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="local process pool (default) or dask.distributed")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="dask scheduler address (with --executor dask; default: a local "
                     "cluster of N worker processes)")
    _reading_options(run)
    run.set_defaults(func=cmd_run)

    ins = sub.add_parser(
        "inspect",
        help="print the layout (text blocks and tables) read from one file",
        description="Print what the readers see in one file: pages, text blocks and tables "
        "with their cells, in reading order.",
    )
    ins.add_argument("file", metavar="FILE")
    ins.add_argument("--page", type=int, metavar="N", help="only page N (1-based)")
    _reading_options(ins)
    ins.add_argument("--png", metavar="OUT.png",
                     help="also draw page N (default 1) of a PDF with the tables, cells, spans, "
                     "marks and text blocks found on it: blue tables, green cells, orange "
                     "spanning cells, red marks, purple text blocks")
    ins.set_defaults(func=cmd_inspect)

    rep = sub.add_parser(
        "report",
        help="check one document and write its consistency report (HTML + Markdown)",
        description="Read one document, run the consistency checks and write "
        "<out>/<file name>.html and .md (Italian by default).",
    )
    rep.add_argument("doc", metavar="DOC")
    rep.add_argument("--out", default="reports", metavar="DIR", help="report folder (default reports)")
    rep.add_argument("--lang", choices=("it", "en"), default="it", help="report language")
    _reading_options(rep)
    rep.set_defaults(func=cmd_report)

    dif = sub.add_parser(
        "diff",
        help="compare two plan years: objectives added, dropped, renamed, re-weighted, re-scheduled",
        description="Match the objectives of two plans area by area (title and content "
        "similarity, one-to-one, robust to renumbering) and write the changes as a Parquet "
        "table and an HTML + Markdown report.",
    )
    dif.add_argument("old", metavar="OLD",
                     help="the earlier plan (PDF, .p7m, DOCX or Markdown), or with --ente its "
                     "period in the datasets (e.g. 2023-2025)")
    dif.add_argument("new", metavar="NEW", help="the later plan, or with --ente its period")
    dif.add_argument("--ente", metavar="SLUG",
                     help="compare two periods of this entity from the datasets (--clean)")
    dif.add_argument("--clean", default=str(DEFAULT_OUT), metavar="DIR",
                     help=f"dataset folder for --ente (default {DEFAULT_OUT})")
    dif.add_argument("--old-doc", metavar="DOC_ID",
                     help="with --ente: which document of the old period, when there are several")
    dif.add_argument("--new-doc", metavar="DOC_ID", help="the same for the new period")
    dif.add_argument("--out", default="reports", metavar="DIR", help="report folder (default reports)")
    dif.add_argument("--lang", choices=("it", "en"), default="it", help="report language")
    _reading_options(dif)
    dif.set_defaults(func=cmd_diff)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # `piao inspect big.pdf | head`: the reader left; stop quietly, as cat would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED_DOCS


if __name__ == "__main__":
    raise SystemExit(main())
