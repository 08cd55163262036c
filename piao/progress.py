"""The live progress bar of `piao run`: documents and pages done, rate, ETA, failures."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

if TYPE_CHECKING:
    from piao.batch import BatchPlan
    from piao.pipeline import DocResult


class BatchProgress:
    """Context manager; `plan` sets the total, `result` advances one document."""

    def __init__(self, console: Console):
        self.pages = 0
        self.failed = 0
        self.processed = 0  # documents actually processed (not skipped): the rate's numerator
        self._t0 = time.perf_counter()
        self._progress = Progress(
            TextColumn("[bold]piao run"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("docs · {task.fields[pages]} pages · {task.fields[rate]} · "
                       "[red]{task.fields[failed]} failed[/red] · ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=True,  # the summary table replaces it
        )
        self._task = self._progress.add_task("run", total=None, pages=0, rate="", failed=0)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def plan(self, plan: BatchPlan) -> None:
        self._progress.update(self._task, total=plan.total)

    def result(self, r: DocResult) -> None:
        if r.status != "skipped":
            self.processed += 1
            self.pages += r.pages or 0
        self.failed += r.status == "failed"
        elapsed = max(time.perf_counter() - self._t0, 1e-9)
        rate = f"{self.pages / elapsed:.1f} pages/s, {self.processed / elapsed * 60:.1f} docs/min"
        self._progress.update(self._task, advance=1, pages=self.pages, rate=rate,
                              failed=self.failed)
