"""A plan seen card by card: each objective with its phases, month grids, weights and people.

The records of a `Plan` are flat tables keyed by `objective_key`; a diff
compares whole cards, so this module gathers every card's rows once. Weight
rows are tied to cards by (area, printed number) *within one document* — the
weight table and the card print the same number even when they word the title
differently — so matching across documents never relies on numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from normalize.records import Objective, Plan, Weight
from normalize.text import fold

MONTHS_PER_YEAR = 12
MARKED, UNMARKED = "X", "."

# Card values compared as text, in the order a report lists them.
TEXT_FIELDS: tuple[str, ...] = (
    "description", "missione", "programma", "dup_objective", "responsible",
    "result_indicators", "financial_resources", "progress_report",
)
PHASE_TEXT_FIELDS: tuple[str, ...] = ("description", "services", "schedule_text")


def squash(text: str | None) -> str:
    """Whitespace runs (layout line breaks) collapsed; everything else kept."""
    return re.sub(r"\s+", " ", text or "").strip()


# A line that ends on a word's hyphen ("ISTRUZIONE-" / "CULTURA") comes back from a
# PDF as "ISTRUZIONE- CULTURA" once line breaks are spaces, while a converter that
# saw the unwrapped text prints "ISTRUZIONE-CULTURA": layout, not wording.
_WRAPPED_HYPHEN = re.compile(r"(?<=\w)-\s+(?=\w)")


def comparable(text: str | None) -> str:
    """The form two texts are compared in: squashed, and joined after a wrapped hyphen.

    Reported values stay `squash`ed only; this is for equality tests.
    """
    return _WRAPPED_HYPHEN.sub("-", squash(text))


def number_text(value: float | None, raw: str) -> str:
    """A weight as an analyst reads it: "20", "2.5"; the raw text when it did not parse."""
    if value is None:
        return squash(raw)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class PhaseRow:
    year_index: int
    seq: int
    plan_year: int | None
    description: str
    services: str
    schedule_text: str
    months: str  # twelve characters, MARKED / UNMARKED

    def text(self, name: str) -> str:
        return getattr(self, name)


@dataclass
class WeightRef:
    """One weight-table row of a card: the slot says which table."""

    slot: str  # "" = the card's own table, else the area slug of the area table
    value: str  # number_text of the weight
    row: Weight


@dataclass
class Card:
    objective: Objective
    position: int  # order of the card in its document
    phases: list[PhaseRow] = field(default_factory=list)
    weights: dict[str, WeightRef] = field(default_factory=dict)
    people: tuple[tuple[str, float | None, bool], ...] = ()  # sorted (folded name, share, group)

    @property
    def key(self) -> str:
        return self.objective.objective_key

    @property
    def area(self) -> str:
        return self.objective.area_slug

    def value(self, name: str) -> str:
        """A card text field as compared (squashed); missione/programma as printed."""
        o = self.objective
        if name == "missione":
            return squash(o.missione_raw) or _coded(o.missione_code, o.missione)
        if name == "programma":
            return squash(o.programma_raw) or _coded(o.programma_code, o.programma)
        return squash(getattr(o, name))

    def years(self) -> list[int]:
        return sorted({p.year_index for p in self.phases})

    def phases_of(self, year_index: int) -> list[PhaseRow]:
        return [p for p in self.phases if p.year_index == year_index]

    def phases_text(self) -> str:
        return " ".join(p.description for p in self.phases)


def _coded(code: int | None, name: str) -> str:
    return squash(" ".join(part for part in (str(code) if code is not None else "", name) if part))


@dataclass
class PlanCards:
    plan: Plan
    cards: list[Card]
    orphan_weights: list[Weight]  # weight rows no card of the document prints that number for

    def by_area(self) -> dict[str, list[Card]]:
        out: dict[str, list[Card]] = {}
        for c in self.cards:
            out.setdefault(c.area, []).append(c)
        return out

    def area_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for c in self.cards:
            names.setdefault(c.area, c.objective.area)
        for w in self.plan.weights:
            names.setdefault(w.area_slug, w.area)
        return names


def plan_cards(plan: Plan) -> PlanCards:
    months: dict[tuple[str, int, int], list[str]] = defaultdict(lambda: [UNMARKED] * MONTHS_PER_YEAR)
    for s in plan.schedule:
        if s.marked and 1 <= s.month <= MONTHS_PER_YEAR:
            months[(s.objective_key, s.year_index, s.seq)][s.month - 1] = MARKED
    phases: dict[str, list[PhaseRow]] = defaultdict(list)
    for p in plan.phases:
        phases[p.objective_key].append(PhaseRow(
            year_index=p.year_index, seq=p.seq, plan_year=p.plan_year,
            description=squash(p.description), services=squash(p.services),
            schedule_text=squash(p.schedule_text),
            months="".join(months[(p.objective_key, p.year_index, p.seq)]),
        ))
    people: dict[str, list[tuple[str, float | None, bool]]] = defaultdict(list)
    for a in plan.assignments:
        people[a.objective_key].append((fold(a.person), a.share_pct, a.is_group))

    cards = [
        Card(objective=o, position=i,
             phases=sorted(phases.get(o.objective_key, []), key=lambda r: (r.year_index, r.seq)),
             people=tuple(sorted(people.get(o.objective_key, []), key=_person_sort_key)))
        for i, o in enumerate(plan.objectives)
    ]
    orphans = _attach_weights(cards, plan.weights)
    return PlanCards(plan=plan, cards=cards, orphan_weights=orphans)


def _person_sort_key(p: tuple[str, float | None, bool]) -> tuple:
    return (p[0], -1.0 if p[1] is None else p[1], p[2])


def _attach_weights(cards: list[Card], weights: list[Weight]) -> list[Weight]:
    """Give each card its weight rows; return the rows no card claims."""
    own: dict[tuple[str, str], Card] = {}  # (table area slug, number) → card
    transversal: dict[str, Card] = {}
    for c in cards:
        if c.objective.is_transversal:
            transversal.setdefault(c.objective.number, c)
        else:
            own.setdefault((c.area, c.objective.number), c)
    orphans: list[Weight] = []
    for w in weights:
        if w.table_kind == "transversal":
            card, slot = transversal.get(w.number), ""
        else:
            card, slot = own.get((w.area_slug, w.number)), ""
            if card is None and w.number in transversal:  # 1T..4T weighed in an area table
                card, slot = transversal[w.number], w.area_slug
        if card is None or slot in card.weights:  # a second row for the same slot: not ours to guess
            orphans.append(w)
            continue
        card.weights[slot] = WeightRef(slot=slot, value=number_text(w.weight, w.weight_raw), row=w)
    return orphans
