"""The diff report as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

import re

from piao.diff.changes import KINDS
from piao.diff.labels import kind_label, month_letters, text
from piao.diff.report import (
    ADDED_MONTH, DROPPED_MONTH, GONE_MONTH, OFF, ON, CardEntry, Grid, Line, Report, WeightTable,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def esc(value: str | None) -> str:
    """Text from a document, safe in Markdown prose and table cells."""
    return _SPECIAL.sub(r"\\\1", value or "").replace("\n", " ")


def render_markdown(report: Report) -> str:
    lang = report.lang
    out = [f"# {esc(report.title)}", ""]
    out += _table(["", text(lang, "old"), text(lang, "new")],
                  [[f"**{esc(label)}**", esc(a), esc(b)] for label, a, b in report.header])
    out += ["", f"## {text(lang, 'summary')}", ""]
    if not report.areas:
        return "\n".join(out + [text(lang, "no_changes"), ""])
    kinds = [k for k in KINDS if report.counts[k]]
    rows = [[esc(a.name)] + [str(a.counts[k] or "") for k in kinds] + [str(sum(a.counts.values()))]
            for a in report.areas]
    rows.append([f"**{text(lang, 'total')}**"] + [f"**{report.counts[k]}**" for k in kinds]
                + [f"**{sum(report.counts.values())}**"])
    out += _table([text(lang, "area")] + [kind_label(lang, k) for k in kinds] + [text(lang, "total")], rows)
    if any(entry.grids for area in report.areas for entry in area.cards):
        out += ["", f"{text(lang, 'schedules')}: {text(lang, 'legend_md')}"]
    for area in report.areas:
        out += ["", f"## {esc(area.name)}", ""]
        if not area.cards and not area.weights and not area.renumbered_only:
            out += [text(lang, "area_no_changes")]
        for entry in area.cards:
            out += _card(entry, lang)
        if area.renumbered_only:
            out += [f"**{text(lang, 'renumbered_only')}:** " + "; ".join(map(esc, area.renumbered_only)), ""]
        for table in area.weights:
            out += _weights(table, lang)
    out += ["", f"*{text(lang, 'generated')}*", ""]
    return "\n".join(out)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + \
        ["| " + " | ".join(r) + " |" for r in rows]


def _card(entry: CardEntry, lang: str) -> list[str]:
    status = text(lang, f"status_{entry.status}")
    similarity = (f", {text(lang, 'similarity')} {entry.similarity:g}"
                  if entry.similarity is not None and entry.similarity < 100 else "")
    out = [f"### {text(lang, 'objective')} {esc(entry.number)} · {esc(entry.title)}", "",
           f"*{status}{similarity}*", ""]
    out += [_line(line) for line in entry.lines]
    if entry.lines:
        out.append("")
    for grid in entry.grids:
        out += _grid(grid, lang)
    return out


def _line(line: Line) -> str:
    if line.word_diff is not None:
        parts = []
        for seg in line.word_diff:
            if seg.op == "old":
                parts.append(f"~~{esc(seg.text)}~~")
            elif seg.op == "new":
                parts.append(f"**{esc(seg.text)}**")
            else:
                parts.append(esc(seg.text))
        return f"- {esc(line.label)}: " + " ".join(parts)
    if line.old is None:
        return f"- {esc(line.label)}: **{esc(line.new)}**"
    if line.new is None:
        return f"- {esc(line.label)}: ~~{esc(line.old)}~~"
    old = f"~~{esc(line.old)}~~" if line.old else "∅"
    new = f"**{esc(line.new)}**" if line.new else "∅"
    return f"- {esc(line.label)}: {old} → {new}"


# Markdown has no colour: a month marked in both rows is X, newly marked **X**,
# no longer marked "–" in the new row (the old row keeps its X).
_CELL = {ON: "X", DROPPED_MONTH: "X", ADDED_MONTH: "**X**", GONE_MONTH: "–", OFF: ""}


def _grid(grid: Grid, lang: str) -> list[str]:
    rows = [[esc(row.label + (f" ({row.note})" if row.note else ""))] + [_CELL[s] for s in row.states]
            for row in grid.rows]
    return [esc(grid.caption), ""] + _table([""] + month_letters(lang), rows) + [""]


def _weights(table: WeightTable, lang: str) -> list[str]:
    rows = [[esc(w.number), esc(w.title), esc(w.old) or "–", esc(w.new) or "–"] for w in table.lines]
    rows.append(["", f"**{text(lang, 'weights_sum')}**", esc(table.old_sum), esc(table.new_sum)])
    if table.old_declared or table.new_declared:
        rows.append(["", f"**{text(lang, 'declared_total')}**", esc(table.old_declared),
                     esc(table.new_declared)])
    return ["", f"### {esc(table.caption)}", ""] + _table(
        [text(lang, "number"), text(lang, "objective"), text(lang, "old"), text(lang, "new")], rows)
