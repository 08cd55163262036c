"""A document's consistency report as Markdown: the HTML report's content, without colours."""

from __future__ import annotations

import re
from typing import Any

from normalize.records import Plan
from piao.report.i18n import n_findings, severity_label, tr
from piao.report.model import AreaSection, DocReport, HeatRow, Item, build_report


class Code(str):
    """A table value shown as inline code (check codes): no escaping but the pipe."""


class Link(str):
    """A table value shown as a link to `href` (a relative path or URL)."""

    href: str

    def __new__(cls, text: str, href: str) -> Link:
        obj = super().__new__(cls, text)
        obj.href = href
        return obj


def cell(s: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and markup characters escaped.

    Underscores are left alone: inside words they are not emphasis in CommonMark."""
    t = re.sub(r"\s+", " ", "" if s is None else str(s)).strip()
    if isinstance(s, Code):
        return "`" + t.replace("|", "\\|") + "`" if t else ""
    text = re.sub(r"([\\|*`<>\[\]])", r"\\\1", t)
    if isinstance(s, Link):  # href URL-quoted by the caller; a pipe would end the cell
        return f"[{text}]({s.href.replace('|', '%7C')})"
    return text


def table(header: list[str], rows: list[list[Any]], align: list[str] | None = None) -> list[str]:
    align = align or ["l"] * len(header)
    rule = ["---:" if a == "r" else ":---:" if a == "c" else "---" for a in align]
    out = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(rule) + " |"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out


def _items(r: DocReport, items: list[Item]) -> list[str]:
    lang = r.lang
    return table(
        [
            tr(lang, "severity"),
            tr(lang, "message"),
            tr(lang, "check"),
            tr(lang, "expected"),
            tr(lang, "found"),
            tr(lang, "where"),
        ],
        [
            [
                severity_label(lang, i.severity),
                i.message,
                Code(i.check),
                i.expected,
                i.found,
                i.where(lang),
            ]
            for i in items
        ],
    )


def _heatmap(r: DocReport, rows: list[HeatRow]) -> list[str]:
    lang = r.lang
    if not rows:
        return [tr(lang, "no_schedule")]
    header = [
        tr(lang, "objective"),
        tr(lang, "title"),
        tr(lang, "phases"),
        *r.months,
        tr(lang, "text_rule"),
    ]
    body = [
        [h.label, h.title, h.phases, *[c if c else "·" for c in h.counts], "; ".join(h.texts)]
        for h in rows
    ]
    return [
        tr(lang, "schedule_note_md"),
        "",
        *table(header, body, ["l", "l", "r", *["c"] * 12, "l"]),
    ]


def _area(r: DocReport, a: AreaSection) -> list[str]:
    lang = r.lang
    out = [f"## {cell(a.name)} ({n_findings(lang, a.count)})", ""]
    if a.area_items:
        out += [f"### {tr(lang, 'area_findings')}", "", *_items(r, a.area_items), ""]
    for o in a.objectives:
        out += [
            f"### {tr(lang, 'objective')} {cell(o.number)} — {cell(o.title)}",
            "",
            *_items(r, o.items),
            "",
        ]
    if not a.count:
        out += [tr(lang, "no_findings"), ""]
    out += [f"#### {tr(lang, 'schedule')}", "", *_heatmap(r, a.heatmap), ""]
    return out


def render_report_markdown(r: DocReport) -> str:
    lang = r.lang
    out = [f"# {cell(r.title)}", "", f"**{cell(r.subtitle)}**", ""]
    out += [*table([tr(lang, "document"), ""], [[k, v] for k, v in r.meta]), ""]
    out += [f"## {tr(lang, 'summary')}", ""]
    out += [" · ".join(f"**{n}** {tr(lang, s)}" for s, n in r.severity_counts.items()), ""]
    out += [
        *table(
            [tr(lang, "check"), tr(lang, "severity"), tr(lang, "description"), tr(lang, "count")],
            [
                [Code(s.check), severity_label(lang, s.severity), s.description, s.count]
                for s in r.summary
            ],
            ["l", "l", "l", "r"],
        ),
        "",
    ]
    if r.doc_items:
        out += [f"## {tr(lang, 'doc_findings')}", "", *_items(r, r.doc_items), ""]
    for a in r.areas:
        out += _area(r, a)
    out += ["---", tr(lang, "generated_by"), ""]
    return "\n".join(out)


def render_markdown(plan: Plan, findings: Any, doc_meta: Any = None, lang: str = "it") -> str:
    """The same report as `render_html`, as Markdown (heat-map cells hold the counts)."""
    return render_report_markdown(build_report(plan, findings, doc_meta, lang))
