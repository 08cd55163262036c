"""A document's consistency report as one self-contained HTML page (inline CSS, no assets)."""

from __future__ import annotations

from html import escape
from typing import Any

from normalize.records import Plan
from piao.report.i18n import n_findings, severity_label, tr
from piao.report.model import AreaSection, DocReport, HeatRow, Item, build_report

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --line:#d0d7de; --bg:#ffffff; --soft:#f6f8fa;
  --error:#b42318; --warning:#9a5b00; --info:#175cd3; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 60px; }
h1 { font-size: 26px; margin: 0 0 2px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 6px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); text-transform: uppercase;
  letter-spacing: .04em; }
.subtitle { color: var(--muted); font-size: 17px; margin: 0 0 18px; }
a { color: #0b57d0; text-decoration: none; } a:hover { text-decoration: underline; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: 13px; }
td { font-size: 14px; }
table.meta { width: auto; min-width: 50%; } table.meta th { width: 13em; }
.cards { display: flex; gap: 12px; margin: 10px 0 16px; flex-wrap: wrap; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 6px;
  padding: 8px 16px; min-width: 150px; }
.card .n { font-size: 26px; font-weight: 700; display: block; }
.card.error { border-left-color: var(--error); } .card.error .n { color: var(--error); }
.card.warning { border-left-color: var(--warning); } .card.warning .n { color: var(--warning); }
.card.info { border-left-color: var(--info); } .card.info .n { color: var(--info); }
.sev { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px;
  font-weight: 600; color: #fff; white-space: nowrap; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); }
.sev.info { background: var(--info); }
code { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  background: var(--soft); padding: 1px 4px; border-radius: 4px; }
tr.zero td { color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.where { white-space: nowrap; color: var(--muted); font-size: 13px; }
td.val { font-size: 13px; max-width: 260px; overflow-wrap: anywhere; }
nav ul { columns: 2; margin: 6px 0; padding-left: 20px; }
.objtitle { color: var(--muted); font-weight: 400; }
table.heat { width: auto; }
table.heat td.m, table.heat th.m { width: 34px; min-width: 34px; text-align: center;
  padding: 4px 2px; }
table.heat td.m { font-size: 12px; font-weight: 600; }
table.heat td.obj { white-space: nowrap; }
table.heat td.title { max-width: 330px; font-size: 13px; }
table.heat td.txt { font-size: 12.5px; color: var(--muted); max-width: 220px; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 8px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  tr { break-inside: avoid; } }
"""


def _e(s: Any) -> str:
    return escape("" if s is None else str(s))


def severity_badge(lang: str, severity: str) -> str:
    return f'<span class="sev {_e(severity)}">{_e(severity_label(lang, severity))}</span>'


def _items_table(r: DocReport, items: list[Item]) -> str:
    lang = r.lang
    head = (
        "<tr>"
        + "".join(
            f"<th>{tr(lang, k)}</th>" for k in ("severity", "message", "expected", "found", "where")
        )
        + "</tr>"
    )
    rows = [
        f'<tr class="finding" data-check="{_e(i.check)}" data-severity="{_e(i.severity)}">'
        f"<td>{severity_badge(lang, i.severity)}</td>"
        f"<td>{_e(i.message)}<br><code>{_e(i.check)}</code></td>"
        f'<td class="val">{_e(i.expected)}</td><td class="val">{_e(i.found)}</td>'
        f'<td class="where">{_e(i.where(lang))}</td></tr>'
        for i in items
    ]
    return f'<table class="findings">{head}{"".join(rows)}</table>'


def _heat_cell(count: int, phases: int, month: str) -> str:
    if not count:
        return f'<td class="m" data-count="0" title="{_e(month)}: 0"></td>'
    share = count / max(phases, 1)
    alpha = 0.25 + 0.75 * min(share, 1.0)  # one phase of many still shows
    color = "#ffffff" if alpha >= 0.75 else "#0b2a5b"  # contrast: white only on dark
    return (
        f'<td class="m" data-count="{count}" title="{_e(month)}: {count}/{phases}" '
        f'style="background: rgba(23, 92, 211, {alpha:.2f}); color: {color}">{count}</td>'
    )


def _heatmap(r: DocReport, rows: list[HeatRow], slug: str) -> str:
    lang = r.lang
    if not rows:
        return f'<p class="note">{tr(lang, "no_schedule")}</p>'
    head = (
        f"<tr><th>{tr(lang, 'objective')}</th><th>{tr(lang, 'title')}</th>"
        f'<th class="num">{tr(lang, "phases")}</th>'
        + "".join(f'<th class="m">{_e(m)}</th>' for m in r.months)
        + f"<th>{tr(lang, 'text_rule')}</th></tr>"
    )
    body = []
    for h in rows:
        label = f'<a href="#{_e(h.anchor)}">{_e(h.label)}</a>' if h.anchor else _e(h.label)
        cells = "".join(_heat_cell(c, h.phases, m) for c, m in zip(h.counts, r.months, strict=True))
        body.append(
            f'<tr data-key="{_e(h.key)}" data-label="{_e(h.label)}"><td class="obj">{label}</td>'
            f'<td class="title">{_e(h.title)}</td><td class="num">{h.phases}</td>{cells}'
            f'<td class="txt">{_e("; ".join(h.texts))}</td></tr>'
        )
    return (
        f'<p class="note">{tr(lang, "schedule_note")}</p>'
        f'<table class="heat" data-area="{_e(slug)}">{head}{"".join(body)}</table>'
    )


def _area(r: DocReport, a: AreaSection) -> str:
    lang = r.lang
    out = [
        f'<section class="area" id="{_e(a.anchor)}" data-area="{_e(a.slug)}">',
        f'<h2>{_e(a.name)} <span class="objtitle">· {n_findings(lang, a.count)}</span></h2>',
    ]
    if a.area_items:
        out += [f"<h3>{tr(lang, 'area_findings')}</h3>", _items_table(r, a.area_items)]
    for o in a.objectives:
        out += [
            f'<section class="objective" id="{_e(o.anchor)}" data-key="{_e(o.key)}">',
            f"<h3>{tr(lang, 'objective')} {_e(o.number)} "
            f'<span class="objtitle">— {_e(o.title)}</span></h3>',
            _items_table(r, o.items),
            "</section>",
        ]
    if not a.count:
        out.append(f'<p class="note">{tr(lang, "no_findings")}</p>')
    out += [f"<h4>{tr(lang, 'schedule')}</h4>", _heatmap(r, a.heatmap, a.slug), "</section>"]
    return "\n".join(out)


def _summary(r: DocReport) -> str:
    lang = r.lang
    cards = "".join(
        f'<div class="card {s}" data-severity="{s}"><span class="n">{n}</span>{tr(lang, s)}</div>'
        for s, n in r.severity_counts.items()
    )
    head = (
        f"<tr><th>{tr(lang, 'check')}</th><th>{tr(lang, 'severity')}</th>"
        f'<th>{tr(lang, "description")}</th><th class="num">{tr(lang, "count")}</th></tr>'
    )
    rows = "".join(
        f'<tr class="{"zero" if not s.count else ""}" data-check="{_e(s.check)}" '
        f'data-count="{s.count}"><td><code>{_e(s.check)}</code></td>'
        f"<td>{severity_badge(lang, s.severity)}</td><td>{_e(s.description)}</td>"
        f'<td class="num">{s.count}</td></tr>'
        for s in r.summary
    )
    return (
        f'<section id="summary"><h2>{tr(lang, "summary")}</h2><div class="cards">{cards}</div>'
        f'<table class="summary">{head}{rows}</table></section>'
    )


def render_report_html(r: DocReport) -> str:
    lang = r.lang
    meta = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in r.meta)
    nav = "".join(
        f'<li><a href="#{_e(a.anchor)}">{_e(a.name)}</a> ({a.count})</li>' for a in r.areas
    )
    doc_items = (
        f'<section id="document"><h2>{tr(lang, "doc_findings")}</h2>'
        f"{_items_table(r, r.doc_items)}</section>"
        if r.doc_items
        else ""
    )
    body = "\n".join(_area(r, a) for a in r.areas)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(r.title)} — {_e(r.subtitle)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>{_e(r.title)}</h1>
<p class="subtitle">{_e(r.subtitle)}</p>
<table class="meta">{meta}</table>
{_summary(r)}
<nav><h2>{tr(lang, "contents")}</h2><ul>{nav}</ul></nav>
{doc_items}
{body}
<footer>{tr(lang, "generated_by")}</footer>
</main>
</body>
</html>
"""


def render_html(plan: Plan, findings: Any, doc_meta: Any = None, lang: str = "it") -> str:
    """One document's consistency report: summary per check, findings by area and
    objective with page/line, and per area the objectives × months schedule heat-map."""
    return render_report_html(build_report(plan, findings, doc_meta, lang))
