"""Readable consistency reports: one document (HTML + Markdown) and a batch summary.

- `render_html(plan, findings, doc_meta, lang="it") -> str`: a self-contained HTML page
  (inline CSS, no external assets): summary per check, findings by area and objective
  with page/line, and per area an objectives × months schedule heat-map;
- `render_markdown(plan, findings, doc_meta, lang="it") -> str`: the same content;
- `render_batch_summary(documents_df, findings_df, lang) -> (html, md)`: across documents;
- `write_document_report(...)` and `write_batch_index(out, reports_dir, lang)`: the same,
  written to files (what `piao report` and `piao run` write).

Italian by default, English with lang="en".
"""

from piao.report.files import report_files, report_stems, write_batch_index, write_document_report
from piao.report.html import render_html
from piao.report.markdown import render_markdown
from piao.report.model import build_report

__all__ = [
    "build_report",
    "render_batch_summary",
    "render_html",
    "render_markdown",
    "report_files",
    "report_stems",
    "write_batch_index",
    "write_document_report",
]


def __getattr__(name: str):
    # The batch summary works on pandas frames: it is loaded when it is asked for, so
    # that writing one document's report (every `piao run`, every batch worker) does
    # not import pandas (~0.3 s and ~50 MB per process).
    if name == "render_batch_summary":
        from piao.report.batch import render_batch_summary

        return render_batch_summary
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
