"""The `piao` command line: `piao run` (documents → datasets), `piao inspect` (one file's IR)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from piao.version import __version__

if TYPE_CHECKING:  # the pipeline pulls in pyarrow/pandas: not needed for --help
    from rich.console import Console

    from piao.pipeline import DocResult, Options

# What a folder walk picks up; a file named explicitly is always processed
# (the readers sniff the bytes, not the name).
INPUT_SUFFIXES = (".pdf", ".p7m", ".docx", ".doc", ".md")
DEFAULT_INPUT = Path("data/raw")
DEFAULT_OUT = Path("data/clean")
LOG_NAME = "piao.log"

EXIT_OK, EXIT_FAILED_DOCS, EXIT_USAGE = 0, 1, 2

_STATUS_STYLE = {"ok": "green", "partial": "yellow", "failed": "red", "skipped": "dim"}


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


def run_documents(
    files: Sequence[Path],
    out: Path,
    *,
    options: Options | None = None,
    on_result: Callable[[int, int, DocResult], None] | None = None,
) -> list[DocResult]:
    """Process files one after the other; a duplicate (same bytes) is skipped, not rewritten.

    Hashing first costs one extra read of each file (far below parsing cost)
    and lets two paths to the same bytes be reported instead of racing for
    the same doc_id files. A parallel runner can reuse this shape with
    `process_document` submitted to an executor.
    """
    from piao.pipeline import DOC_ID_HEX, DocResult, Options, file_sha256, process_document

    opts = options if options is not None else Options()
    results: list[DocResult] = []
    first_path: dict[str, Path] = {}
    for i, path in enumerate(files, 1):
        try:
            digest = file_sha256(path)
        except OSError as e:
            res = DocResult(str(path), None, "failed", error=f"cannot read file: {e.strerror or e}",
                            error_kind="unreadable")
        else:
            if digest in first_path:
                res = DocResult(str(path), digest[:DOC_ID_HEX], "skipped",
                                error=f"same content as {first_path[digest]}", error_kind="duplicate")
            else:
                first_path[digest] = path
                res = process_document(path, out, options=opts, sha256=digest)
        results.append(res)
        if on_result:
            on_result(i, len(files), res)
    return results


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


def _print_summary(results: Sequence[DocResult], out: Path, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"piao run → {out}", show_footer=True)
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
    handler = _log_to(out)
    show_progress = not (args.quiet or args.json)

    def progress(i: int, n: int, r: DocResult) -> None:
        err.print(f"[{i}/{n}] {Path(r.path).name}: "
                  f"[{_STATUS_STYLE.get(r.status, '')}]{r.status}[/] ({r.seconds:.1f} s)",
                  highlight=False)

    try:
        results = run_documents(files, out, on_result=progress if show_progress else None)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()

    if args.json:
        print(json.dumps({"out": str(out), "documents": [r.as_json() for r in results],
                          "totals": _totals(results)}, ensure_ascii=False, indent=2))
    elif args.quiet:
        tot = _totals(results)
        status = ", ".join(f"{n} {s}" for s, n in sorted(tot["status"].items()))
        print(f"{tot['documents']} documents ({status}), {tot['cards']} cards → {out}")
    else:
        console = Console()
        if not console.is_terminal:  # a log file: do not fold file names at 80 columns
            console = Console(width=max(100, max(len(Path(r.path).name) for r in results) + 60))
        _print_summary(results, out, console)
    return EXIT_FAILED_DOCS if any(r.status == "failed" for r in results) else EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    from extract import read_document
    from extract.inspect import format_document
    from extract.ir import ReaderError

    path = Path(args.file)
    if not path.is_file():
        print(f"piao inspect: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    try:
        doc = read_document(path)
    except ReaderError as e:
        print(f"piao inspect: cannot read {path}: {e.message} ({e.kind})", file=sys.stderr)
        return EXIT_FAILED_DOCS
    print(format_document(doc, args.page))
    return EXIT_OK


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
    run.add_argument("--quiet", action="store_true", help="print only the totals line")
    run.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    run.set_defaults(func=cmd_run)

    ins = sub.add_parser(
        "inspect",
        help="print the layout (text blocks and tables) read from one file",
        description="Print what the readers see in one file: pages, text blocks and tables "
        "with their cells, in reading order.",
    )
    ins.add_argument("file", metavar="FILE")
    ins.add_argument("--page", type=int, metavar="N", help="only page N (1-based)")
    ins.set_defaults(func=cmd_inspect)
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
