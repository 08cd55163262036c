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

from piao.report.batch import render_batch_summary
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
