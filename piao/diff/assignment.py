"""Optimal one-to-one matching (the Hungarian algorithm), no scipy needed.

The matrices are small (one area's cards, one card's phases: at most a few
dozen rows), so the classic O(n²·m) shortest-augmenting-path formulation in
pure Python costs well under a millisecond per area, and spares the project a
~40 MB dependency for one function.
"""

from __future__ import annotations

from collections.abc import Sequence


def min_cost_assignment(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row → column pairs of minimum total cost; every row of the smaller side is assigned.

    Works on rectangular matrices (the larger side keeps unassigned members).
    Returns (row, col) pairs sorted by row.
    """
    n = len(cost)
    m = len(cost[0]) if n else 0
    if n == 0 or m == 0:
        return []
    if any(len(r) != m for r in cost):
        raise ValueError("cost matrix rows differ in length")
    if n > m:  # the algorithm assigns every row: make rows the smaller side
        transposed = [[cost[i][j] for i in range(n)] for j in range(m)]
        return sorted((i, j) for j, i in min_cost_assignment(transposed))

    inf = float("inf")
    # Potentials u (rows), v (columns); p[j] = row (1-based) assigned to column j;
    # column 0 is a virtual start column. See e.g. Burkard, Dell'Amico, Martello,
    # "Assignment Problems" (2009), §4.4.
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:  # augment along the path back to the virtual column
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return sorted((p[j] - 1, j - 1) for j in range(1, m + 1) if p[j])


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
