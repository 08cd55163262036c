"""Batch summary across documents, from the documents and findings tables (pandas)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd

from piao.checks.registry import REGISTRY, SEVERITIES, describe
from piao.report.html import CSS, severity_badge
from piao.report.i18n import check_lang, severity_label, tr
from piao.report.markdown import Code, Link
from piao.report.markdown import table as md_table

STATUSES = ("ok", "partial", "failed", "skipped", "duplicate")


@dataclass
class DocLine:
    doc_id: str
    file: str
    link: str | None
    ente: str
    period: str
    status: str
    cards: str
    templates: str  # how the objectives are written ("card, narrative"); "" when none found
    counts: dict[str, int]


@dataclass
class CheckLine:
    check: str
    severity: str
    description: str
    findings: int
    documents: int


@dataclass
class Failed:
    file: str
    kind: str
    error: str


@dataclass
class BatchSummary:
    lang: str
    status_counts: dict[str, int]
    severity_counts: dict[str, int]
    checks: list[CheckLine]
    docs: list[DocLine]
    failed: list[Failed]


def _s(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return (
        df[name]
        if name in df.columns
        else pd.Series([None] * len(df), index=df.index, dtype=object)
    )


def build_summary(
    documents: pd.DataFrame,
    findings: pd.DataFrame,
    lang: str = "it",
    links: Mapping[str, str] | None = None,
) -> BatchSummary:
    lang = check_lang(lang)
    links = links or {}
    documents = documents if documents is not None else pd.DataFrame()
    findings = (
        findings if findings is not None else pd.DataFrame(columns=["doc_id", "check_code", "severity"])
    )
    status = _col(documents, "status").map(_s)
    status_counts = {s: int((status == s).sum()) for s in STATUSES}
    sev = _col(findings, "severity").map(_s)
    severity_counts = {s: int((sev == s).sum()) for s in SEVERITIES}

    per_doc: dict[str, dict[str, int]] = {}
    if len(findings):
        grouped = (
            findings.assign(_sev=sev).groupby([_col(findings, "doc_id").map(_s), "_sev"]).size()
        )
        for (doc, s), n in grouped.items():
            per_doc.setdefault(doc, {})[s] = int(n)

    checks: list[CheckLine] = []
    if len(findings):
        f = findings.assign(
            _check=_col(findings, "check_code").map(_s), _doc=_col(findings, "doc_id").map(_s), _sev=sev
        )
        for code, g in f.groupby("_check", sort=False):
            spec = REGISTRY.get(code)
            checks.append(
                CheckLine(
                    code,
                    spec.severity if spec else g["_sev"].iloc[0],
                    describe(code, lang),
                    len(g),
                    g["_doc"].nunique(),
                )
            )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    checks.sort(key=lambda c: (order.get(c.severity, 9), -c.findings, c.check))

    docs, failed = [], []
    for _, row in documents.iterrows():
        doc_id = _s(row.get("doc_id"))
        name = _s(row.get("file_name")) or _s(row.get("source_path")) or doc_id
        start, end = _s(row.get("period_start")), _s(row.get("period_end"))
        docs.append(
            DocLine(
                doc_id,
                name,
                links.get(doc_id),
                _s(row.get("ente_name")) or _s(row.get("ente_slug")),
                f"{start}–{end}" if start and end else "",
                _s(row.get("status")),
                _s(row.get("cards")),
                ", ".join(_templates(row.get("templates"))),
                {s: per_doc.get(doc_id, {}).get(s, 0) for s in SEVERITIES},
            )
        )
        if _s(row.get("status")) == "failed" or _s(row.get("error")):
            failed.append(Failed(name, _s(row.get("error_kind")), _s(row.get("error"))))
    docs.sort(key=lambda d: (-d.counts.get("error", 0), -d.counts.get("warning", 0), d.file))
    return BatchSummary(lang, status_counts, severity_counts, checks, docs, failed)


def _e(s: Any) -> str:
    return escape(_s(s))


def _file_cell(d: DocLine) -> str:
    return f'<a href="{_e(d.link)}">{_e(d.file)}</a>' if d.link else _e(d.file)


def _head(lang: str, keys: list[str], numeric: tuple[str, ...] = ()) -> str:
    cells = "".join(
        f'<th class="num">{tr(lang, k)}</th>' if k in numeric else f"<th>{tr(lang, k)}</th>"
        for k in keys
    )
    return f"<tr>{cells}</tr>"


def _html(b: BatchSummary) -> str:
    lang = b.lang
    status_cards = "".join(
        f'<div class="card" data-status="{s}"><span class="n">{n}</span>{s}</div>'
        for s, n in b.status_counts.items()
    )
    sev_cards = "".join(
        f'<div class="card {s}" data-severity="{s}"><span class="n">{n}</span>{tr(lang, s)}</div>'
        for s, n in b.severity_counts.items()
    )
    check_rows = "".join(
        f'<tr data-check="{_e(c.check)}"><td><code>{_e(c.check)}</code></td>'
        f"<td>{severity_badge(lang, c.severity)}</td><td>{_e(c.description)}</td>"
        f'<td class="num">{c.findings}</td><td class="num">{c.documents}</td></tr>'
        for c in b.checks
    )
    doc_rows = "".join(
        f'<tr data-doc="{_e(d.doc_id)}"><td>{_file_cell(d)}</td><td>{_e(d.ente)}</td>'
        f'<td>{_e(d.period)}</td><td>{_e(d.status)}</td><td class="num">{_e(d.cards)}</td>'
        f"<td>{_e(d.templates)}</td>"
        + "".join(f'<td class="num">{d.counts.get(s, 0)}</td>' for s in SEVERITIES)
        + "</tr>"
        for d in b.docs
    )
    failed = ""
    if b.failed:
        rows = "".join(
            f"<tr><td>{_e(f.file)}</td><td><code>{_e(f.kind)}</code></td><td>{_e(f.error)}</td></tr>"
            for f in b.failed
        )
        failed = (
            f'<section id="failed"><h2>{tr(lang, "failed_documents")}</h2><table>'
            f"{_head(lang, ['file', 'error_kind', 'error_message'])}{rows}</table></section>"
        )
    checks_head = _head(
        lang,
        ["check", "severity", "description", "count", "documents_affected"],
        ("count", "documents_affected"),
    )
    docs_head = _head(
        lang, ["file", "ente", "period", "status", "cards", "templates", *SEVERITIES],
        ("cards", *SEVERITIES),
    )
    total = sum(b.status_counts.values())
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{tr(lang, "batch_title")}</title><style>{CSS}</style></head>
<body><main>
<h1>{tr(lang, "batch_title")}</h1>
<section id="totals"><h2>{tr(lang, "documents")} ({total})</h2>
<div class="cards">{status_cards}</div><div class="cards">{sev_cards}</div></section>
<section id="checks"><h2>{tr(lang, "checks_run")}</h2>
<table class="summary">{checks_head}{check_rows}</table></section>
<section id="documents"><h2>{tr(lang, "documents")}</h2>
<table class="documents">{docs_head}{doc_rows}</table></section>
{failed}
<footer>{tr(lang, "generated_by")}</footer>
</main></body></html>
"""


def _md_href(link: str) -> str:
    """The Markdown index links to the Markdown twin of a document's HTML report."""
    return link[: -len(".html")] + ".md" if link.endswith(".html") else link


def _markdown(b: BatchSummary) -> str:
    lang = b.lang
    out = [
        f"# {tr(lang, 'batch_title')}",
        "",
        f"## {tr(lang, 'documents')} ({sum(b.status_counts.values())})",
        "",
    ]
    out += [" · ".join(f"**{n}** {s}" for s, n in b.status_counts.items()), ""]
    out += [" · ".join(f"**{n}** {tr(lang, s)}" for s, n in b.severity_counts.items()), ""]
    out += [f"## {tr(lang, 'checks_run')}", ""]
    out += md_table(
        [
            tr(lang, "check"),
            tr(lang, "severity"),
            tr(lang, "description"),
            tr(lang, "count"),
            tr(lang, "documents_affected"),
        ],
        [
            [
                Code(c.check),
                severity_label(lang, c.severity),
                c.description,
                c.findings,
                c.documents,
            ]
            for c in b.checks
        ],
        ["l", "l", "l", "r", "r"],
    )
    out += ["", f"## {tr(lang, 'documents')}", ""]
    out += md_table(
        [
            tr(lang, "file"),
            tr(lang, "ente"),
            tr(lang, "period"),
            tr(lang, "status"),
            tr(lang, "cards"),
            tr(lang, "templates"),
            *[tr(lang, s) for s in SEVERITIES],
        ],
        [
            [Link(d.file, _md_href(d.link)) if d.link else d.file, d.ente, d.period, d.status,
             d.cards, d.templates, *[d.counts.get(s, 0) for s in SEVERITIES]]
            for d in b.docs
        ],
        ["l", "l", "l", "l", "r", "l", "r", "r", "r"],
    )
    if b.failed:
        out += ["", f"## {tr(lang, 'failed_documents')}", ""]
        out += md_table(
            [tr(lang, "file"), tr(lang, "error_kind"), tr(lang, "error_message")],
            [[f.file, f.kind, f.error] for f in b.failed],
        )
    out += ["", "---", tr(lang, "generated_by"), ""]
    return "\n".join(out)


def render_batch_summary(
    documents_df: pd.DataFrame,
    findings_df: pd.DataFrame,
    lang: str = "it",
    *,
    links: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """(HTML, Markdown) summary of a batch: documents by status, findings per check with the
    number of documents affected, findings per document, and the documents that failed.
    `links` maps doc_id → href of that document's HTML report (e.g. "reports/<doc_id>.html");
    the Markdown links to the `.md` twin next to it."""
    b = build_summary(documents_df, findings_df, lang, links)
    return _html(b), _markdown(b)


def _templates(value) -> list[str]:
    """The documents.templates cell as a list (a numpy array when read back from Parquet)."""
    return [] if value is None or isinstance(value, float) else [str(v) for v in value]
