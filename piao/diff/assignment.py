"""Optimal one-to-one matching: scipy's `linear_sum_assignment` on plain score lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment


def min_cost_assignment(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row → column pairs of minimum total cost; every row of the smaller side is assigned.

    Works on rectangular matrices (the larger side keeps unassigned members).
    Returns (row, col) pairs sorted by row.
    """
    if not cost or not cost[0]:
        return []
    if any(len(r) != len(cost[0]) for r in cost):
        raise ValueError("cost matrix rows differ in length")
    rows, cols = linear_sum_assignment(np.asarray(cost, dtype=float))
    return sorted(zip(rows.tolist(), cols.tolist(), strict=True))


def match_above(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int]]:
    """Pairs maximising the total score, using only pairs scoring at least `threshold`.

    A pair below the threshold is worth exactly as much as leaving both sides
    unmatched, so the optimiser never bends good pairs to make room for a poor
    one; pairs it still assigns below the threshold are dropped.
    """
    # +1 so a pair exactly at the threshold is worth more than no pair.
    benefit = [[(s - threshold + 1.0) if s >= threshold else 0.0 for s in row] for row in scores]
    pairs = min_cost_assignment([[-b for b in row] for row in benefit])
    return [(i, j) for i, j in pairs if scores[i][j] >= threshold]
