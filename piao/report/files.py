"""Report files on disk: one document's report pair and the batch index.

`piao report DOC` and `piao run` both write a document's report through
`write_document_report`, so the two commands give the same files. Files are
written atomically (`piao/atomic.py`: temp file in the same folder, then `os.replace`), so a
reader, or a run killed half-way, never leaves a half-written report behind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from piao.atomic import write_text_atomic

INDEX_STEM = "index"


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    md: Path

    def exist(self) -> bool:
        return self.html.is_file() and self.md.is_file()


def report_files(reports_dir: Path | str, stem: str) -> ReportFiles:
    base = Path(reports_dir) / stem
    return ReportFiles(Path(f"{base}.html"), Path(f"{base}.md"))


def report_stems(documents: Iterable[tuple[str, str]]) -> dict[str, str]:
    """doc_id → report file stem, from (doc_id, file_name) pairs.

    The stem is the file name (`plan.pdf` → `plan.pdf.html`), as `piao report` writes
    it; when different documents share a file name (every town calls its plan
    "PIAO 2023-2025.pdf"), each of them gets `<file name>.<doc_id>` instead, so
    no report overwrites another's. Deterministic in the set of documents.
    """
    pairs = {(doc_id, name) for doc_id, name in documents}
    clashes = Counter(name for _, name in pairs)
    return {doc_id: name if clashes[name] == 1 else f"{name}.{doc_id}" for doc_id, name in pairs}


def write_document_report(plan: Any, findings: Iterable[Any], doc_meta: Any, reports_dir: Path | str,
                          stem: str, lang: str = "it") -> ReportFiles:
    """`<reports_dir>/<stem>.html` and `.md`: the consistency report of one document."""
    from piao.report.html import render_report_html
    from piao.report.markdown import render_report_markdown
    from piao.report.model import build_report

    report = build_report(plan, list(findings), doc_meta, lang)  # built once, laid out twice
    files = report_files(reports_dir, stem)
    write_text_atomic(files.html, render_report_html(report))
    write_text_atomic(files.md, render_report_markdown(report))
    return files


def write_batch_index(out: Path | str, reports_dir: Path | str, lang: str = "it") -> ReportFiles:
    """`<reports_dir>/index.html` and `.md`: the batch summary of every document in the
    datasets under `out`, each linked to its report when that report exists."""
    from piao import dataset
    from piao.report.batch import render_batch_summary

    reports = Path(reports_dir)
    documents = dataset.read_table(out, "documents")
    findings = dataset.read_table(out, "findings")
    stems = report_stems(zip(documents["doc_id"], documents["file_name"]))
    links: Mapping[str, str] = {
        doc_id: quote(report_files(reports, stem).html.name)  # relative: the index sits beside them
        for doc_id, stem in stems.items() if report_files(reports, stem).exist()
    }
    html, md = render_batch_summary(documents, findings, lang, links=links)
    files = report_files(reports, INDEX_STEM)
    write_text_atomic(files.html, html)
    write_text_atomic(files.md, md)
    return files
