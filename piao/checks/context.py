"""What several checks look up in a plan, computed once per run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from normalize.cards import TRANSVERSAL_SLUG
from normalize.people import person_name
from normalize.records import Assignment, Objective, Phase, Plan, ScheduleMark, Weight

BlockKey = tuple[str, int]  # (objective_key, year_index): one programming year of a card


def card_key_of(weight: Weight) -> str:
    """The objective a weight row is about: "1T" rows of an area table are the transversal cards."""
    if weight.table_kind == "transversal" or weight.number.upper().endswith("T"):
        return f"{TRANSVERSAL_SLUG}/{weight.number.upper()}"
    return f"{weight.area_slug}/{weight.number}"


@dataclass
class Context:
    plan: Plan
    cards: dict[str, Objective] = field(init=False)

    def __post_init__(self) -> None:
        # Duplicate keys would be a parser bug; the first card wins, as in the datasets' joins.
        self.cards = {}
        for o in self.plan.objectives:
            self.cards.setdefault(o.objective_key, o)

    @cached_property
    def area_tables(self) -> dict[str, list[Weight]]:
        """Per-area weight tables (PESATURA OBIETTIVI), by area slug, rows in printed order."""
        out: dict[str, list[Weight]] = defaultdict(list)
        for w in self.plan.weights:
            if w.table_kind == "area":
                out[w.area_slug].append(w)
        return dict(out)

    @cached_property
    def transversal_table(self) -> list[Weight]:
        return [w for w in self.plan.weights if w.table_kind == "transversal"]

    @cached_property
    def assignments(self) -> dict[str, list[Assignment]]:
        out: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.plan.assignments:
            out[a.objective_key].append(a)
        return dict(out)

    @cached_property
    def blocks(self) -> dict[BlockKey, list[Phase]]:
        """Phases per programming year of a card, in printed order."""
        out: dict[BlockKey, list[Phase]] = defaultdict(list)
        for p in self.plan.phases:
            out[(p.objective_key, p.year_index)].append(p)
        for phases in out.values():
            phases.sort(key=lambda p: p.seq)
        return dict(out)

    @cached_property
    def marks(self) -> dict[tuple[str, int, int], list[ScheduleMark]]:
        """Marked months per phase: (objective_key, year_index, seq) → marks by month."""
        out: dict[tuple[str, int, int], list[ScheduleMark]] = defaultdict(list)
        for s in self.plan.schedule:
            if s.marked:
                out[(s.objective_key, s.year_index, s.seq)].append(s)
        for marks in out.values():
            marks.sort(key=lambda s: s.month)
        return dict(out)

    def phase_marks(self, phase: Phase) -> list[ScheduleMark]:
        return self.marks.get((phase.objective_key, phase.year_index, phase.seq), [])

    @cached_property
    def staff_by_area(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for s in self.plan.staff:
            if s.name not in out[s.area_slug]:
                out[s.area_slug].append(s.name)
        return dict(out)

    @cached_property
    def all_staff(self) -> list[str]:
        return list(dict.fromkeys(s.name for s in self.plan.staff))

    @cached_property
    def heads(self) -> list[str]:
        """Area heads (responsabili) as named by the weight tables and the cards' RESPONSABILE.

        They sign the cards but are often missing from their own area's staff table."""
        names = [w.responsible for w in self.plan.weights if w.responsible]
        names += [person_name(o.responsible) for o in self.plan.objectives if o.responsible]
        return list(dict.fromkeys(n for n in names if n))
