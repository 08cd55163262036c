"""Two plans → the list of changes: matching (matching.py) then field-by-field comparison.

Programming years are compared by their index in the card (first, second,
third year), not by calendar year: the 2024-2026 plan's first year (2024) is
compared with the 2023-2025 plan's first year (2023). That is the question an
analyst asks of two consecutive plans ("what does this year's plan schedule
differently from last year's?"), and it keeps the year shift every new plan
brings out of the diff. Year labels and grid years are therefore not compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from normalize.records import Plan, Weight
from piao.diff import changes as ch
from piao.diff.cards import (
    PHASE_TEXT_FIELDS, TEXT_FIELDS, Card, PlanCards, comparable, number_text, plan_cards, squash,
)
from piao.diff.changes import Change
from piao.diff.matching import Pair, match_cards, match_items, match_phases
from piao.diff.similarity import MATCH_THRESHOLD, text_score


@dataclass
class PlanDiff:
    """The changes with what a report needs to show them (both plans, the matches)."""

    old: PlanCards
    new: PlanCards
    areas: list[tuple[str, list[Pair[Card]]]]  # area slug → card pairs
    changes: list[Change]
    old_source: str = ""  # what the report calls each side (a file name, a doc_id)
    new_source: str = ""


def compare_plans(old: Plan, new: Plan, *, old_source: str = "", new_source: str = "") -> PlanDiff:
    old_cards, new_cards = plan_cards(old), plan_cards(new)
    areas = match_cards(old_cards, new_cards)
    changes: list[Change] = []
    for area, pairs in areas:
        for pair in pairs:
            changes += _card_changes(area, pair)
    changes += _orphan_weight_changes(old_cards.orphan_weights, new_cards.orphan_weights)
    return PlanDiff(old=old_cards, new=new_cards, areas=areas, changes=changes,
                    old_source=old_source, new_source=new_source)


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _card_changes(area: str, pair: Pair[Card]) -> list[Change]:
    a, b = pair.old, pair.new
    if a is None and b is not None:
        return [Change(ch.ADDED, area, new_key=b.key, new_value=squash(b.objective.title))]
    if b is None and a is not None:
        return [Change(ch.REMOVED, area, old_key=a.key, old_value=squash(a.objective.title))]
    assert a is not None and b is not None
    base = dict(area=area, old_key=a.key, new_key=b.key, similarity=_score(pair.score))
    return [Change(kind, field=field, old_value=old, new_value=new, **base)
            for kind, field, old, new in _card_differences(a, b)] + list(_phase_changes(a, b, base))


def _card_differences(a: Card, b: Card) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(kind, field, old value, new value) for each card-level difference."""
    if _differs(a.objective.number, b.objective.number):
        yield ch.RENUMBERED, ch.FIELD_NUMBER, a.objective.number, b.objective.number
    if _differs(a.objective.title, b.objective.title):
        yield ch.RENAMED, ch.FIELD_TITLE, squash(a.objective.title), squash(b.objective.title)
    for name in TEXT_FIELDS:
        if _differs(a.value(name), b.value(name)):
            yield ch.FIELD_CHANGED, name, a.value(name), b.value(name)
    later = sorted(set(a.objective.later_years) | set(b.objective.later_years))
    for key in later:
        old, new = squash(a.objective.later_years.get(key)), squash(b.objective.later_years.get(key))
        if _differs(old, new):
            yield ch.FIELD_CHANGED, key, old, new
    if _people_differ(a, b):
        yield (ch.REASSIGNED, ch.FIELD_HUMAN_RESOURCES,
               squash(a.objective.human_resources), squash(b.objective.human_resources))
    for slot in sorted(set(a.weights) | set(b.weights)):
        old_w, new_w = a.weights.get(slot), b.weights.get(slot)
        old_v = old_w.value if old_w else None
        new_v = new_w.value if new_w else None
        if old_v != new_v:
            yield ch.REWEIGHTED, ch.weight_field(slot or None), old_v, new_v


def _people_differ(a: Card, b: Card) -> bool:
    """People and shares as parsed; the raw text only when neither card names anyone.

    Order and punctuation of RISORSE UMANE ASSEGNATE are not a reassignment.
    """
    if a.people or b.people:
        return a.people != b.people
    return _differs(a.objective.human_resources, b.objective.human_resources)


def _differs(old: str | None, new: str | None) -> bool:
    return comparable(old) != comparable(new)


def _phase_changes(a: Card, b: Card, base: dict) -> Iterator[Change]:
    for year, pairs in match_phases(a, b):
        for p in pairs:
            if p.old is None and p.new is not None:
                yield Change(ch.PHASE_ADDED, year_index=year, new_seq=p.new.seq,
                             new_value=p.new.description, **base)
            elif p.new is None and p.old is not None:
                yield Change(ch.PHASE_REMOVED, year_index=year, old_seq=p.old.seq,
                             old_value=p.old.description, **base)
            elif p.old is not None and p.new is not None:
                where = dict(base, year_index=year, old_seq=p.old.seq, new_seq=p.new.seq,
                             similarity=_score(p.score))
                for name in PHASE_TEXT_FIELDS:
                    if _differs(p.old.text(name), p.new.text(name)):
                        yield Change(ch.FIELD_CHANGED, field=ch.PHASE_FIELD_PREFIX + name,
                                     old_value=p.old.text(name), new_value=p.new.text(name), **where)
                if p.old.months != p.new.months:
                    yield Change(ch.RESCHEDULED, field=ch.FIELD_SCHEDULE,
                                 old_value=p.old.months, new_value=p.new.months, **where)


def _orphan_weight_changes(old: list[Weight], new: list[Weight]) -> list[Change]:
    """Weight rows without a card (a number no card prints), matched by title per table.

    Their keys are "<area>/<number>" as the row prints them: no card carries them.
    """
    def group(rows: list[Weight]) -> dict[tuple[str, str], list[Weight]]:
        out: dict[tuple[str, str], list[Weight]] = {}
        for w in rows:
            out.setdefault((w.table_kind, w.area_slug), []).append(w)
        return out

    old_g, new_g = group(old), group(new)
    out: list[Change] = []
    for table, area in list(new_g) + [k for k in old_g if k not in new_g]:
        pairs = match_items(old_g.get((table, area), []), new_g.get((table, area), []),
                            lambda x, y: text_score(x.title, y.title) or 0.0, MATCH_THRESHOLD)
        for p in pairs:
            old_v = number_text(p.old.weight, p.old.weight_raw) if p.old else None
            new_v = number_text(p.new.weight, p.new.weight_raw) if p.new else None
            if old_v != new_v:
                out.append(Change(
                    ch.REWEIGHTED, area, field=ch.FIELD_WEIGHT,
                    old_key=f"{area}/{p.old.number}" if p.old else None,
                    new_key=f"{area}/{p.new.number}" if p.new else None,
                    old_value=old_v, new_value=new_v, similarity=_score(p.score)))
    return out
