"""Which old card is which new card, which old phase is which new phase.

Cards are matched within their area (area slug; the transversal 1T..4T cards
among themselves), phases within a matched card's programming year; both with
an optimal one-to-one assignment on the similarity scores, so one good match
never steals the partner of a better one. Position in the document only breaks
exact ties (two identical cards or phases), it never outweighs the wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from piao.diff.assignment import match_above
from piao.diff.cards import Card, PhaseRow, PlanCards
from piao.diff.similarity import MATCH_THRESHOLD, PHASE_THRESHOLD, card_similarity, phase_similarity

T = TypeVar("T")

# Far below any score step that matters (scores are 0..100): a tie-breaker only.
_POSITION_EPSILON = 1e-3


@dataclass
class Pair(Generic[T]):
    old: T | None
    new: T | None
    score: float | None  # None for an unmatched side


def match_items(old: Sequence[T], new: Sequence[T], score: Callable[[T, T], float],
                threshold: float) -> list[Pair[T]]:
    """Matched pairs (in new order), then old items left alone, then new items left alone."""
    scores = [[score(a, b) for b in new] for a in old]
    n, m = len(old), len(new)
    biased = [[s - _POSITION_EPSILON * abs(i / max(n, 1) - j / max(m, 1)) for j, s in enumerate(row)]
              for i, row in enumerate(scores)]
    pairs = [(i, j) for i, j in match_above(biased, threshold) if scores[i][j] >= threshold]
    matched_old = {i for i, _ in pairs}
    matched_new = {j for _, j in pairs}
    out = [Pair(old[i], new[j], scores[i][j]) for i, j in sorted(pairs, key=lambda p: p[1])]
    out += [Pair(a, None, None) for i, a in enumerate(old) if i not in matched_old]
    out += [Pair(None, b, None) for j, b in enumerate(new) if j not in matched_new]
    return out


def match_cards(old: PlanCards, new: PlanCards) -> list[tuple[str, list[Pair[Card]]]]:
    """(area slug, pairs) per area, areas in the new plan's order, then areas only the old has."""
    old_areas, new_areas = old.by_area(), new.by_area()
    areas = list(new_areas) + [a for a in old_areas if a not in new_areas]
    return [(area, match_items(old_areas.get(area, []), new_areas.get(area, []),
                               card_similarity, MATCH_THRESHOLD))
            for area in areas]


def match_phases(old: Card, new: Card) -> list[tuple[int, list[Pair[PhaseRow]]]]:
    """(year index, pairs) for every programming year either card has."""
    years = sorted(set(old.years()) | set(new.years()))
    return [(y, match_items(old.phases_of(y), new.phases_of(y), phase_similarity, PHASE_THRESHOLD))
            for y in years]
