"""Diff two documents and write the table and the reports: what `piao diff OLD NEW` runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extract.settings import ReadSettings
from normalize.records import Plan
from piao.atomic import write_text_atomic
from piao.diff.changes import Change
from piao.diff.compare import PlanDiff, compare_plans
from piao.diff.labels import check_lang
from piao.diff.report import build_report
from piao.diff.report_html import render_html
from piao.diff.report_md import render_markdown
from piao.diff.table import DiffContext, write_diff
from piao.read import ReadResult, read_plan

FORMATS = ("parquet", "html", "md")
DEFAULT_OUT = Path("reports")


class DocumentsUnreadable(Exception):
    """One or both documents could not be read (`results`: the failed reads)."""

    def __init__(self, results: list[ReadResult]):
        super().__init__("; ".join(f"{r.path}: {r.error} ({r.error_kind})" for r in results))
        self.results = results


def compare_documents(old_path: str | Path, new_path: str | Path,
                      settings: ReadSettings | None = None) -> PlanDiff:
    """Read both documents the way `piao run` does (sandbox, limits), then compare them.

    Raises DocumentsUnreadable when either cannot be read."""
    reads = [read_plan(p, settings) for p in (old_path, new_path)]
    unreadable = [r for r in reads if not r.read or r.plan is None]
    if unreadable:
        raise DocumentsUnreadable(unreadable)
    old, new = (r.plan for r in reads)
    assert old is not None and new is not None
    return compare_plans(old, new, old_source=Path(old_path).name, new_source=Path(new_path).name)


@dataclass
class DiffOutputs:
    changes: list[Change]
    files: dict[str, Path] = field(default_factory=dict)  # format → path written


def run_diff(old_path: str | Path, new_path: str | Path, out_dir: str | Path = DEFAULT_OUT, *,
             lang: str = "it", formats: tuple[str, ...] = FORMATS,
             settings: ReadSettings | None = None) -> DiffOutputs:
    """Diff OLD against NEW; write `<out_dir>/diff-<ente>-<old period>-vs-<new period>.{parquet,html,md}`.

    Raises DocumentsUnreadable when a document cannot be read, ValueError for an
    unknown language or format.
    """
    check_lang(lang)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {', '.join(FORMATS)}")
    diff = compare_documents(old_path, new_path, settings)
    return write_outputs(diff, out_dir, lang=lang, formats=formats,
                         sources=(str(old_path), str(new_path)))


def write_outputs(diff: PlanDiff, out_dir: str | Path, *, lang: str = "it",
                  formats: tuple[str, ...] = FORMATS, sources: tuple[str, str] | None = None) -> DiffOutputs:
    out = Path(out_dir)
    old, new = diff.old.plan, diff.new.plan
    context = DiffContext(
        ente=new.ente_slug or old.ente_slug,
        old_period=_period(old), new_period=_period(new),
        old_source=sources[0] if sources else diff.old_source,
        new_source=sources[1] if sources else diff.new_source,
    )
    stem = output_stem(context, diff)
    result = DiffOutputs(changes=diff.changes)
    if "parquet" in formats:
        result.files["parquet"] = write_diff(diff.changes, out / f"{stem}.parquet", context)
    if "html" in formats or "md" in formats:
        report = build_report(diff, lang=lang)
        if "html" in formats:
            result.files["html"] = write_text_atomic(out / f"{stem}.html", render_html(report))
        if "md" in formats:
            result.files["md"] = write_text_atomic(out / f"{stem}.md", render_markdown(report))
    return result


def _period(plan: Plan) -> str:
    return f"{plan.period_start}-{plan.period_end}" if plan.period_start and plan.period_end else ""


def output_stem(context: DiffContext, diff: PlanDiff) -> str:
    """"diff-cazzago-san-martino-2023-2025-vs-2024-2026"; file stems where the plan lacks them."""
    old = context.old_period or Path(diff.old_source).stem
    new = context.new_period or Path(diff.new_source).stem
    parts = ["diff", context.ente, f"{old}-vs-{new}"]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(p for p in parts if p)).strip("-")

