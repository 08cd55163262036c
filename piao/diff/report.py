"""What the diff report says, independent of its format (report_md.py, report_html.py draw it).

One section per area: the cards that changed (number, title, each change as
"before → after", long texts as a word diff), the weight-table rows that moved
with the table's sums before and after, and every moved, added or dropped phase
as two month grids, the old year over the new one.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from normalize.records import Plan
from piao.diff import changes as ch
from piao.diff.cards import Card, PhaseRow, squash
from piao.diff.changes import Change
from piao.diff.compare import PlanDiff
from piao.diff.labels import check_lang, field_label, text

# Values longer than this are shown as a word diff, not as two full texts.
LONG_VALUE = 80
# Words of unchanged text kept around each changed stretch of a word diff.
DIFF_CONTEXT_WORDS = 6


@dataclass
class Segment:
    op: str  # "same", "old" (dropped words), "new" (added words), "gap" (unchanged words left out)
    text: str


@dataclass
class Line:
    label: str
    old: str | None
    new: str | None
    word_diff: list[Segment] | None = None  # set for long texts instead of old/new in full


@dataclass
class GridRow:
    label: str  # the year ("2023") or the phase ("2. Stabilire il fabbisogno…")
    states: list[str]  # per month: ON, OFF, or how it changed (see grid_states)
    note: str = ""  # a schedule written as text across the grid ("entro il 31/12/2023")


@dataclass
class Grid:
    caption: str
    rows: list[GridRow]


@dataclass
class CardEntry:
    status: str  # "added", "removed", "changed"
    number: str  # "7", or "7 → 6"
    title: str
    similarity: float | None
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)


@dataclass
class WeightLine:
    number: str
    title: str
    old: str | None
    new: str | None


@dataclass
class WeightTable:
    caption: str
    lines: list[WeightLine]
    old_sum: str
    new_sum: str
    old_declared: str
    new_declared: str


@dataclass
class AreaSection:
    slug: str
    name: str
    counts: Counter
    cards: list[CardEntry]
    weights: list[WeightTable]
    renumbered_only: list[str] = field(default_factory=list)  # "17 → 16 · title" of cards with no other change


@dataclass
class Report:
    lang: str
    title: str
    header: list[tuple[str, str, str]]  # (label, before, after)
    counts: Counter
    areas: list[AreaSection]


def build_report(diff: PlanDiff, *, lang: str = "it") -> Report:
    check_lang(lang)
    old, new = diff.old.plan, diff.new.plan
    names = {**diff.old.area_names(), **diff.new.area_names()}
    by_card: dict[tuple[str | None, str | None], list[Change]] = {}
    for c in diff.changes:
        by_card.setdefault((c.old_key, c.new_key), []).append(c)
    weights = _weight_tables(diff, names, lang)

    areas: list[AreaSection] = []
    for slug, pairs in diff.areas:
        entries, renumbered = [], []
        for pair in pairs:
            keys = (pair.old.key if pair.old else None, pair.new.key if pair.new else None)
            if keys not in by_card:
                continue
            entry = _card_entry(pair.old, pair.new, pair.score, by_card[keys], lang, names)
            # A cascade of renumbered cards after a dropped one is one line, not ten sections.
            if all(c.kind == ch.RENUMBERED for c in by_card[keys]):
                renumbered.append(f"{entry.number} · {_clip(entry.title, 70)}")
            else:
                entries.append(entry)
        area_changes = [c for c in diff.changes if c.area == slug]
        tables = weights.get(slug, [])
        if entries or tables or area_changes:
            areas.append(AreaSection(slug, names.get(slug, slug), Counter(c.kind for c in area_changes),
                                     entries, tables, renumbered))
    header = [
        (text(lang, "entity"), old.ente, new.ente),
        (text(lang, "period"), _period(old), _period(new)),
        (text(lang, "approval_act"), old.approval_act, new.approval_act),
        (text(lang, "source"), diff.old_source, diff.new_source),
        (text(lang, "cards"), str(len(old.objectives)), str(len(new.objectives))),
    ]
    ente = new.ente or old.ente
    title = f"{text(lang, 'title')}: {ente} {_period(old)} → {_period(new)}".replace("  ", " ")
    return Report(lang, title, header, Counter(c.kind for c in diff.changes), areas)


def _period(plan: Plan) -> str:
    if plan.period_start and plan.period_end:
        return f"{plan.period_start}-{plan.period_end}"
    return "?"


# --------------------------------------------------------------------------- cards


def _card_entry(old: Card | None, new: Card | None, score: float | None, changes: list[Change],
                lang: str, names: dict[str, str]) -> CardEntry:
    card = new or old
    assert card is not None
    if old and new and old.objective.number != new.objective.number:
        number = f"{old.objective.number} → {new.objective.number}"
    else:
        number = card.objective.number
    status = "added" if old is None else "removed" if new is None else "changed"
    entry = CardEntry(status, number, squash(card.objective.title), None if score is None else round(score, 1))
    if status != "changed":
        entry.lines += _card_outline(card, status, lang)
        entry.grids += _card_grids(card, lang)
        return entry
    old_phases = {(p.year_index, p.seq): p for p in old.phases}
    new_phases = {(p.year_index, p.seq): p for p in new.phases}
    for c in sorted(changes, key=_phase_order):
        if c.kind in (ch.RESCHEDULED, ch.PHASE_ADDED, ch.PHASE_REMOVED):
            entry.grids.append(_phase_grid(old_phases.get((c.year_index, c.old_seq)),
                                           new_phases.get((c.year_index, c.new_seq)), lang))
            continue
        label = field_label(lang, c.field or "", names)
        if c.field and c.field.startswith(ch.PHASE_FIELD_PREFIX):
            label = f"{_phase_name(c, lang)}: {label}"
        entry.lines.append(_line(label, c.old_value, c.new_value))
    return entry


def _phase_order(c: Change) -> tuple:
    """Card-level changes first (as found), then phases in printed order (sort is stable)."""
    if c.year_index is None:
        return (0, 0, 0.0)
    # a dropped row goes just before the row that took its place
    seq = c.new_seq if c.new_seq is not None else (c.old_seq or 0) - 0.5
    return (1, c.year_index, seq)


def _card_outline(card: Card, status: str, lang: str) -> list[Line]:
    """What an added or dropped card is about: responsible, description, weight."""
    o = card.objective
    values = ((text(lang, "responsible"), squash(o.responsible)),
              (text(lang, "description"), _clip(squash(o.description))),
              (text(lang, "weight"), card.weights[""].value if "" in card.weights else ""))
    return [Line(label, None, value) if status == "added" else Line(label, value, None)
            for label, value in values if value]


def _clip(value: str, limit: int = 240) -> str:
    return value if len(value) <= limit else value[: limit - 1].rsplit(" ", 1)[0] + " …"


def _phase_name(c: Change, lang: str) -> str:
    seq = c.new_seq if c.new_seq is not None else c.old_seq
    return text(lang, "phase_of_year").format(seq=seq, year=c.year_index)


def _line(label: str, old: str | None, new: str | None) -> Line:
    if old and new and max(len(old), len(new)) > LONG_VALUE:
        return Line(label, old, new, word_diff(old, new))
    return Line(label, old, new)


def word_diff(old: str, new: str, context: int = DIFF_CONTEXT_WORDS) -> list[Segment]:
    """Changed words with a little unchanged text around them; the rest becomes "gap"."""
    a, b = old.split(), new.split()
    out: list[Segment] = []
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            words = a[i1:i2]
            first, last = n == 0, n == len(ops) - 1
            keep_head = [] if first else words[:context]
            keep_tail = [] if last else words[-context:]
            if len(words) <= len(keep_head) + len(keep_tail) + 1:
                out.append(Segment("same", " ".join(words)))
                continue
            if keep_head:
                out.append(Segment("same", " ".join(keep_head)))
            out.append(Segment("gap", "…"))
            if keep_tail:
                out.append(Segment("same", " ".join(keep_tail)))
            continue
        if i2 > i1:
            out.append(Segment("old", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("new", " ".join(b[j1:j2])))
    return out


def _phase_grid(old: PhaseRow | None, new: PhaseRow | None, lang: str) -> Grid:
    """One phase that moved, appeared or went: its old row over its new row."""
    phase = new or old
    assert phase is not None
    caption = f"{text(lang, 'phase')} {phase.seq}"
    if old and new and old.seq != new.seq:
        caption = f"{text(lang, 'phase')} {old.seq} → {new.seq}"
    if old is None or new is None:
        caption += f" ({text(lang, 'phase_new' if old is None else 'phase_gone')})"
    caption += f": {_clip(phase.description, 120)}"
    old_states, new_states = grid_states(old.months if old else None, new.months if new else None)
    rows = []
    if old and old_states is not None:
        rows.append(GridRow(_year(old), old_states, old.schedule_text))
    if new and new_states is not None:
        rows.append(GridRow(_year(new), new_states, new.schedule_text))
    return Grid(caption, rows)


def _card_grids(card: Card, lang: str) -> list[Grid]:
    """An added or dropped card's schedule: one grid per programming year, a row per phase."""
    grids = []
    for year in card.years():
        phases = card.phases_of(year)
        rows = [GridRow(f"{p.seq}. {_clip(p.description, 60)}", grid_states(p.months, None)[0] or [],
                        p.schedule_text) for p in phases]
        grids.append(Grid(f"{text(lang, 'schedule')} {_year(phases[0])}", rows))
    return grids


def _year(p: PhaseRow | None) -> str:
    if p is None:
        return ""
    return str(p.plan_year) if p.plan_year else f"{p.year_index}°"


# --------------------------------------------------------------------------- weights


def _weight_tables(diff: PlanDiff, names: dict[str, str], lang: str) -> dict[str, list[WeightTable]]:
    """Per area slug: the rows of its weight table(s) that differ, with the sums."""
    lines: dict[tuple[str, str], list[WeightLine]] = {}
    for _, pairs in diff.areas:
        for pair in pairs:
            slots = set(pair.old.weights if pair.old else {}) | set(pair.new.weights if pair.new else {})
            for slot in sorted(slots):
                w_old = pair.old.weights.get(slot) if pair.old else None
                w_new = pair.new.weights.get(slot) if pair.new else None
                ref = w_new or w_old
                old_v, new_v = (w_old.value if w_old else None), (w_new.value if w_new else None)
                if old_v == new_v:
                    continue
                number = ref.row.number
                if w_old and w_new and w_old.row.number != w_new.row.number:
                    number = f"{w_old.row.number} → {w_new.row.number}"
                lines.setdefault((ref.row.table_kind, ref.row.area_slug), []).append(
                    WeightLine(number, _clip(squash(ref.row.title), 120), old_v, new_v))
    card_keys = {card.key for card in diff.old.cards} | {card.key for card in diff.new.cards}
    for c in diff.changes:  # weight rows no card claims
        if c.kind == ch.REWEIGHTED and c.old_key not in card_keys and c.new_key not in card_keys:
            number = " → ".join(k.split("/", 1)[1] for k in (c.old_key, c.new_key) if k)
            lines.setdefault(("area", c.area), []).append(
                WeightLine(number, text(lang, "unmatched_weight"), c.old_value, c.new_value))

    out: dict[str, list[WeightTable]] = {}
    for (table, area), rows in lines.items():
        olds = [w for w in diff.old.plan.weights if (w.table_kind, w.area_slug) == (table, area)]
        news = [w for w in diff.new.plan.weights if (w.table_kind, w.area_slug) == (table, area)]
        owner = "trasversali" if table == "transversal" else area
        out.setdefault(owner, []).append(WeightTable(
            caption=f"{text(lang, 'weights')}: {names.get(area, area)}",
            lines=rows, old_sum=_sum(olds), new_sum=_sum(news),
            old_declared=olds[0].declared_total_raw if olds else "",
            new_declared=news[0].declared_total_raw if news else ""))
    return out


def _sum(rows) -> str:
    values = [w.weight for w in rows if w.weight is not None]
    if not values:
        return ""
    total = sum(values)
    return str(int(total)) if float(total).is_integer() else f"{total:g}"


# --------------------------------------------------------------------------- month grids

ON, OFF, ADDED_MONTH, DROPPED_MONTH, GONE_MONTH = "on", "off", "added", "dropped", "gone"


def grid_states(old: str | None, new: str | None) -> tuple[list[str] | None, list[str] | None]:
    """Per month, for the old and new rows: on/off, or how it changed.

    Old row: "dropped" = marked before, not any more. New row: "added" = newly
    marked, "gone" = empty now but marked before.
    """
    old_states = new_states = None
    if old is not None:
        old_states = [(DROPPED_MONTH if new is not None and new[i] != "X" else ON) if m == "X" else OFF
                      for i, m in enumerate(old)]
    if new is not None:
        new_states = []
        for i, m in enumerate(new):
            before = old[i] == "X" if old is not None else None
            if m == "X":
                new_states.append(ADDED_MONTH if before is False else ON)
            else:
                new_states.append(GONE_MONTH if before else OFF)
    return old_states, new_states
