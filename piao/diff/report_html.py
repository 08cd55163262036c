"""The diff report as one self-contained HTML page (inline CSS, no scripts)."""

from __future__ import annotations

from html import escape

from piao.diff.changes import KINDS
from piao.diff.labels import kind_label, month_letters, text
from piao.diff.report import OFF, CardEntry, Grid, Line, Report, WeightTable

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:72rem;margin:2rem auto;
     padding:0 1rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:2px solid #ccc;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0 .8rem}
th,td{border:1px solid #bbb;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right}table.summary th{font-size:.8rem}
.status{font-size:.85rem;color:#555;font-weight:normal}
.added-card h3{color:#1a6b2b}.removed-card h3{color:#a12622;text-decoration:line-through}
del{background:#fbe0e0;color:#8a1f1b}ins{background:#dcf3df;color:#15561f;text-decoration:none}
.gap{color:#888}
table.grid td{width:1.3rem;text-align:center;padding:.1rem}
table.grid td.year{width:auto;text-align:left;font-weight:bold}table.grid td.note{width:auto;font-style:italic}
td.on{background:#9fb8d9}td.added{background:#4caf50;color:#fff}
td.dropped{background:#e57373;color:#fff}td.gone{background:#fbe0e0}
.legend{font-size:.85rem;color:#555}.caption{margin:.6rem 0 .1rem}
"""

_GRID_CELL = {"on": "X", "dropped": "X", "added": "X", "gone": "", "off": ""}  # state → text


def render_html(report: Report) -> str:
    lang = report.lang
    body = [f"<h1>{escape(report.title)}</h1>", _header(report)]
    body.append(f"<h2>{escape(text(lang, 'summary'))}</h2>")
    if not report.areas:
        body.append(f"<p>{escape(text(lang, 'no_changes'))}</p>")
    else:
        body.append(_summary(report))
        if any(e.grids for a in report.areas for e in a.cards):
            body.append(f'<p class="legend">{escape(text(lang, "schedules"))}: '
                        f'{escape(text(lang, "legend"))}</p>')
    for area in report.areas:
        body.append(f'<h2 id="{escape(area.slug)}">{escape(area.name)}</h2>')
        if not area.cards and not area.weights and not area.renumbered_only:
            body.append(f"<p>{escape(text(lang, 'area_no_changes'))}</p>")
        body += [_card(e, lang) for e in area.cards]
        if area.renumbered_only:
            body.append(f"<p><b>{escape(text(lang, 'renumbered_only'))}:</b> "
                        + "; ".join(escape(x) for x in area.renumbered_only) + "</p>")
        body += [_weights(t, lang) for t in area.weights]
    body.append(f'<p class="legend">{escape(text(lang, "generated"))}</p>')
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _row(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def _header(report: Report) -> str:
    lang = report.lang
    rows = [_row(["", escape(text(lang, "old")), escape(text(lang, "new"))], "th")]
    rows += [_row([f"<b>{escape(label)}</b>", escape(a), escape(b)]) for label, a, b in report.header]
    return "<table>" + "".join(rows) + "</table>"


def _summary(report: Report) -> str:
    lang = report.lang
    kinds = [k for k in KINDS if report.counts[k]]
    rows = [_row([escape(text(lang, "area"))] + [escape(kind_label(lang, k)) for k in kinds]
                 + [escape(text(lang, "total"))], "th")]
    for a in report.areas:
        cells = [f'<a href="#{escape(a.slug)}">{escape(a.name)}</a>']
        cells += [str(a.counts[k] or "") for k in kinds] + [str(sum(a.counts.values()))]
        rows.append(_row(cells))
    rows.append(_row([f"<b>{escape(text(lang, 'total'))}</b>"]
                     + [f"<b>{report.counts[k]}</b>" for k in kinds]
                     + [f"<b>{sum(report.counts.values())}</b>"]))
    return '<table class="summary">' + "".join(rows) + "</table>"


def _card(entry: CardEntry, lang: str) -> str:
    status = escape(text(lang, f"status_{entry.status}"))
    if entry.similarity is not None and entry.similarity < 100:
        status += f", {escape(text(lang, 'similarity'))} {entry.similarity:g}"
    out = [f'<section class="{entry.status}-card">',
           f"<h3>{escape(text(lang, 'objective'))} {escape(entry.number)} · {escape(entry.title)} "
           f'<span class="status">({status})</span></h3>']
    if entry.lines:
        out.append("<ul>" + "".join(f"<li>{_line(line)}</li>" for line in entry.lines) + "</ul>")
    out += [_grid(g, lang) for g in entry.grids]
    out.append("</section>")
    return "\n".join(out)


def _line(line: Line) -> str:
    label = f"<b>{escape(line.label)}</b>: "
    if line.word_diff is not None:
        parts = []
        for seg in line.word_diff:
            if seg.op == "old":
                parts.append(f"<del>{escape(seg.text)}</del>")
            elif seg.op == "new":
                parts.append(f"<ins>{escape(seg.text)}</ins>")
            elif seg.op == "gap":
                parts.append(f'<span class="gap">{escape(seg.text)}</span>')
            else:
                parts.append(escape(seg.text))
        return label + " ".join(parts)
    if line.old is None:
        return label + f"<ins>{escape(line.new or '')}</ins>"
    if line.new is None:
        return label + f"<del>{escape(line.old)}</del>"
    old = f"<del>{escape(line.old)}</del>" if line.old else "∅"
    new = f"<ins>{escape(line.new)}</ins>" if line.new else "∅"
    return f"{label}{old} → {new}"


def _grid(grid: Grid, lang: str) -> str:
    rows = [_row([""] + month_letters(lang), "th")]
    for row in grid.rows:
        if row.note and all(s == OFF for s in row.states):  # a text rule instead of marks
            cells = f'<td class="note" colspan="{len(row.states)}">{escape(row.note)}</td>'
            label = escape(row.label)
        else:
            cells = "".join(f'<td class="{s}">{_GRID_CELL[s]}</td>' for s in row.states)
            label = escape(row.label) + (f' <span class="gap">({escape(row.note)})</span>' if row.note else "")
        rows.append(f'<tr><td class="year">{label}</td>{cells}</tr>')
    return (f'<p class="caption">{escape(grid.caption)}</p>'
            f'<table class="grid">{"".join(rows)}</table>')


def _weights(table: WeightTable, lang: str) -> str:
    rows = [_row([escape(text(lang, k)) for k in ("number", "objective", "old", "new")], "th")]
    for w in table.lines:
        rows.append(f"<tr><td>{escape(w.number)}</td><td>{escape(w.title)}</td>"
                    f'<td class="num">{escape(w.old or "–")}</td><td class="num">{escape(w.new or "–")}</td></tr>')
    totals = [("weights_sum", table.old_sum, table.new_sum)]
    if table.old_declared or table.new_declared:
        totals.append(("declared_total", table.old_declared, table.new_declared))
    for key, old, new in totals:
        rows.append(f"<tr><td></td><td><b>{escape(text(lang, key))}</b></td>"
                    f'<td class="num">{escape(old)}</td><td class="num">{escape(new)}</td></tr>')
    return f"<h3>{escape(table.caption)}</h3><table>{''.join(rows)}</table>"
