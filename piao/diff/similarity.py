"""How alike two cards (or two phases) are, 0..100, from their wording only.

Numbers are deliberately not used: plans renumber their objectives every
year. The score is a weighted mean of rapidfuzz token-sort ratios over the
texts both cards have; a text missing on both sides carries no evidence and is
left out of the mean, a text present on one side only scores 0.

Thresholds, measured on the Cazzago San Martino 2023-2025 seed: the closest
two *different* objectives of one area score 67 (tecnica 16/17, "Formazione di
nuova pista ciclabile" / "… nuova piazza"), except a template family in the
financial area (Sportello IMU/TARI/CUP, Solleciti TARI/CUP: 83-92) whose
members differ by one tax name; a title reworded by a few words on an
otherwise unchanged card scores above 90. Below MATCH_THRESHOLD a pair is
"removed + added", not "renamed"; within a template family the optimal
one-to-one assignment, not the threshold, keeps members apart.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from normalize.text import fold
from piao.diff.cards import Card, PhaseRow

MATCH_THRESHOLD = 75.0
PHASE_THRESHOLD = 60.0

OBJECTIVE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("title", 0.40),
    ("description", 0.25),
    ("phases", 0.25),
    ("dup_objective", 0.10),  # shared by many cards of an area: weak evidence
)
PHASE_WEIGHTS: tuple[tuple[str, float], ...] = (("description", 0.85), ("services", 0.15))


def text_score(a: str, b: str) -> float | None:
    """None when both are empty (no evidence), else 0..100 on folded text."""
    fa, fb = fold(a), fold(b)
    if not fa and not fb:
        return None
    if not fa or not fb:
        return 0.0
    return fuzz.token_sort_ratio(fa, fb)


def weighted(parts: list[tuple[float | None, float]]) -> float:
    total = sum(w for s, w in parts if s is not None)
    if total == 0:
        return 0.0
    return sum(s * w for s, w in parts if s is not None) / total


def _card_text(card: Card, name: str) -> str:
    if name == "title":
        return card.objective.title
    if name == "phases":
        return card.phases_text()
    return card.value(name)


def card_similarity(a: Card, b: Card) -> float:
    return weighted([(text_score(_card_text(a, n), _card_text(b, n)), w) for n, w in OBJECTIVE_WEIGHTS])


def phase_similarity(a: PhaseRow, b: PhaseRow) -> float:
    return weighted([(text_score(a.text(n), b.text(n)), w) for n, w in PHASE_WEIGHTS])
