"""Many documents → datasets, in parallel, resumable.

`run_batch` hashes every file first (one cheap read each), then decides per
file: a second path to the same bytes is not read again but gets a documents row
of its own, status "duplicate", pointing at the first (piao/duplicates.py); a file whose
documents row already exists with the same sha256, tool version and options
hash, and did not fail, is skipped as "unchanged" (unless `force`). The rest
go to an executor that calls `process_document` once per file:

- "local": a fork-based ProcessPoolExecutor with `jobs` workers (in-process when
  jobs == 1). Each task still reads and parses inside its own sandbox child,
  so the per-document time and memory limits hold as in a serial run.
- "dask": the same task on dask.distributed, a LocalCluster of `jobs` worker
  processes or the scheduler at `scheduler`.

Because the documents file is written last by `dataset.write_document`, a run
killed half-way leaves only complete documents behind; the rerun skips them
and redoes the rest, and the datasets come out as an uninterrupted run's.

With `reports_dir`, each task also writes its document's consistency report
there (from the plan and findings it already has: nothing is read twice), an
unchanged document is skipped only if its report is there too, and the run
ends with `index.html`/`index.md` over every document in the datasets.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.tesseract import available_jobs
from piao.duplicates import duplicate_doc_id, write_duplicate
from piao.pipeline import (
    DOC_ID_HEX,
    DocResult,
    Options,
    ReportTarget,
    file_sha256,
    process_document,
)
from piao.read import preload_imports
from piao.version import __version__

EXECUTORS = ("local", "dask")

OnResult = Callable[[DocResult], None]


@dataclass(frozen=True)
class Task:
    """One file to process, in input order."""

    index: int
    path: Path
    sha256: str
    report: ReportTarget | None = None


@dataclass(frozen=True)
class BatchPlan:
    """What a run will do: results already known (skips, unreadable files) and tasks."""

    known: dict[int, DocResult]
    tasks: list[Task]
    total: int
    # (copy, its sha256, the first path with those bytes): rows written after the tasks
    duplicates: list[tuple[Path, str, Path]] = dataclasses.field(default_factory=list)


def default_jobs() -> int:
    return os.cpu_count() or 1


def previous_runs(out: Path) -> dict[str, dict[str, Any]]:
    """sha256 → the existing documents row (as a dict) under `out`."""
    from piao import dataset

    if not (Path(out) / "documents").is_dir():
        return {}
    df = dataset.read_table(out, "documents")
    # a duplicate's row shares its sha256 with the document it repeats: not a run of it
    return {row["sha256"]: row for row in df.to_dict("records") if row["status"] != "duplicate"}


def plan_batch(files: Sequence[Path], out: Path, *, options: Options, force: bool = False,
               reports_dir: Path | None = None, lang: str = "it") -> BatchPlan:
    known: dict[int, DocResult] = {}
    duplicates: list[tuple[Path, str, Path]] = []
    first_path: dict[str, tuple[int, Path]] = {}
    previous = previous_runs(out)
    done = {} if force else previous
    opts_hash = options.digest()
    for i, path in enumerate(files):
        try:
            digest = file_sha256(path)
        except OSError as e:
            known[i] = DocResult(str(path), None, "failed",
                                 error=f"cannot read file: {e.strerror or e}", error_kind="unreadable")
            continue
        if digest in first_path:
            original = first_path[digest][1]
            known[i] = DocResult(str(path), duplicate_doc_id(digest, path), "duplicate",
                                 error=f"same content as {original}", error_kind="duplicate")
            duplicates.append((path, digest, original))
            continue
        first_path[digest] = (i, path)

    stems = _report_stems(previous, first_path) if reports_dir is not None else {}
    tasks: list[Task] = []
    for digest, (i, path) in first_path.items():
        target = (ReportTarget(Path(reports_dir), stems[digest[:DOC_ID_HEX]], lang)
                  if reports_dir is not None else None)
        prev = done.get(digest)
        if prev is not None and _unchanged(prev, opts_hash) and _report_there(target, prev):
            known[i] = _skipped_unchanged(path, digest, prev)
            continue
        tasks.append(Task(i, path, digest, target))
    tasks.sort(key=lambda t: t.index)
    return BatchPlan(known, tasks, len(files), duplicates)


def _report_stems(previous: dict[str, dict[str, Any]],
                  batch: dict[str, tuple[int, Path]]) -> dict[str, str]:
    """doc_id → report stem over the documents the datasets will hold after the run (the
    same set `write_batch_index` sees then, so the index links what the tasks write)."""
    from piao.report.files import report_stems

    names = {sha[:DOC_ID_HEX]: row["file_name"] for sha, row in previous.items()}
    names.update({sha[:DOC_ID_HEX]: path.name for sha, (_, path) in batch.items()})
    return report_stems(names.items())


def _report_there(target: ReportTarget | None, prev: dict[str, Any]) -> bool:
    """An unchanged document is done when its report is there too (a failed one has none)."""
    from piao.report.files import report_files

    if target is None or prev.get("status") not in ("ok", "partial"):
        return True
    return report_files(target.dir, target.stem).exist()


def _unchanged(prev: dict[str, Any], options_hash: str) -> bool:
    # A failed document is retried: the failure may have been the tool's, fixed since.
    return (prev.get("tool_version") == __version__ and prev.get("options_hash") == options_hash
            and prev.get("status") not in ("failed", None))


def _skipped_unchanged(path: Path, digest: str, prev: dict[str, Any]) -> DocResult:
    def _int(v: Any) -> int | None:
        return None if v is None or v != v else int(v)  # NaN from pandas means missing

    when = prev.get("processed_at")
    since = f" since {when:%Y-%m-%d %H:%M}" if hasattr(when, "strftime") else ""
    return DocResult(str(path), digest[:DOC_ID_HEX], "skipped", pages=_int(prev.get("pages")),
                     cards=_int(prev.get("cards")), error=f"unchanged{since} ({prev.get('status')})",
                     error_kind="unchanged")


def run_batch(
    files: Sequence[Path],
    out: Path,
    *,
    options: Options | None = None,
    jobs: int | None = None,
    force: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    on_plan: Callable[[BatchPlan], None] | None = None,
    on_result: OnResult | None = None,
    reports_dir: Path | None = None,
    lang: str = "it",
) -> list[DocResult]:
    """Results in input order; `on_result` is called as each one is known (skips first).

    With `reports_dir`: each document's report `<reports_dir>/<file name>.html|.md` and,
    at the end, the batch index `<reports_dir>/index.html|.md` (language `lang`)."""
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; expected one of {EXECUTORS}")
    opts = options if options is not None else Options()
    n = max(1, jobs or default_jobs())
    plan = plan_batch(files, out, options=opts, force=force, reports_dir=reports_dir, lang=lang)
    if on_plan:
        on_plan(plan)
    results: dict[int, DocResult] = dict(plan.known)
    for i in sorted(plan.known):
        if on_result:
            on_result(plan.known[i])
    if plan.tasks:
        run = _run_dask if executor == "dask" else _run_local
        if not scheduler:
            opts = _sharing_cores(opts, min(n, len(plan.tasks)))
        for index, res in run(plan.tasks, Path(out), opts, n, scheduler):
            results[index] = res
            if on_result:
                on_result(res)
    # after the tasks: a copy's row repeats its original's, which now exists
    for path, digest, original in plan.duplicates:
        write_duplicate(Path(out), path, digest, original, tool_version=__version__,
                        options_hash=opts.digest())
    if reports_dir is not None:
        from piao.report.files import write_batch_index

        write_batch_index(out, reports_dir, lang)
    return [results[i] for i in range(plan.total)]


def _sharing_cores(options: Options, workers: int) -> Options:
    """Each of `workers` local workers OCRs with its share of the cores: a lone scan
    gets them all, a batch of scans does not start a Tesseract per core per worker.
    (On a remote cluster each worker keeps the cores of its own machine.)"""
    if options.read.ocr_jobs:
        return options
    share = max(1, available_jobs() // max(workers, 1))
    return dataclasses.replace(options, read=dataclasses.replace(options.read, ocr_jobs=share))


def _process(task: Task, out: Path, options: Options) -> tuple[int, DocResult]:
    return task.index, process_document(task.path, out, options=options, sha256=task.sha256,
                                        report=task.report)


def _run_local(tasks: list[Task], out: Path, options: Options, jobs: int,
               _scheduler: str | None) -> Iterator[tuple[int, DocResult]]:
    # fork: workers and the sandbox child of each document inherit the imported
    # pipeline instead of importing the readers again (~0.15-1 s each time).
    preload_imports()
    if jobs == 1 or len(tasks) == 1:
        for t in tasks:  # no pool to start: the sandbox child still isolates the parsing
            yield _process(t, out, options)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)),
                             mp_context=mp.get_context("fork")) as pool:
        pending: set[Future] = {pool.submit(_process, t, out, options) for t in tasks}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                yield f.result()


def _dask_task(task: Task, out: str, options: Options) -> tuple[int, DocResult]:
    # dask runs tasks in daemonic processes, and a daemonic process may not start
    # children; the per-document sandbox is one, and it is what keeps the time and
    # memory limits, so the flag is lifted for this worker. The sandbox kills its
    # child at the deadline itself, which is what the daemon flag would guard.
    proc = mp.current_process()
    if proc._config.get("daemon"):  # type: ignore[attr-defined]
        proc._config["daemon"] = False  # type: ignore[attr-defined]
    preload_imports()  # once per worker (then a no-op): its sandbox children inherit them
    return _process(task, Path(out), options)


def _absolute(task: Task) -> Task:
    if task.report is None:
        return task
    return dataclasses.replace(task, report=dataclasses.replace(task.report,
                                                                dir=task.report.dir.resolve()))


def _run_dask(tasks: list[Task], out: Path, options: Options, jobs: int,
              scheduler: str | None) -> Iterator[tuple[int, DocResult]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - depends on the install
        raise RuntimeError("--executor dask needs dask.distributed: pip install 'piao[dask]'") from e

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=min(jobs, len(tasks)), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        # Absolute paths: a remote worker's working directory is not ours.
        futures = [client.submit(_dask_task, _absolute(t), str(Path(out).resolve()), options,
                                 pure=False, key=f"piao-{t.sha256[:DOC_ID_HEX]}-{t.index}")
                   for t in tasks]
        for f in as_completed(futures):
            yield f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
