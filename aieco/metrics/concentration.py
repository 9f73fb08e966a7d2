"""Concentration of a quantity over places: top-N share, HHI, Gini and the Lorenz curve."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def concentration_stats(weights: list[float], top_n: int) -> dict[str, float | None]:
    """Top-N share, Herfindahl–Hirschman index and Gini coefficient of positive weights.

    >>> s = concentration_stats([35, 4, 2, 1], 1)
    >>> round(s["top_n_share"], 4), round(s["hhi"], 4), round(s["gini"], 4)
    (0.8333, 0.7063, 0.619)
    """
    total = float(sum(weights))
    n = len(weights)
    if n == 0 or total == 0:
        return {"total": total, "top_n_share": None, "hhi": None, "gini": None}
    ordered = sorted(weights, reverse=True)
    # Σ_i Σ_j |w_i − w_j| = 2 Σ_k (2k − n − 1) w_(k), w_(k) ascending: O(n log n), not O(n²)
    pair_sum = 2 * math.fsum((2 * k - n - 1) * w for k, w in enumerate(reversed(ordered), start=1))
    return {
        "total": total,
        "top_n_share": sum(ordered[:top_n]) / total,
        "hhi": sum((w / total) ** 2 for w in weights),
        "gini": pair_sum / (2 * n * total),
    }


def lorenz_curve(weights: Sequence[float]) -> list[tuple[float, float]]:
    """Points of the Lorenz curve: (share of places, share of the total), smallest first.

    >>> lorenz_curve([1, 1, 2])
    [(0.0, 0.0), (0.3333333333333333, 0.25), (0.6666666666666666, 0.5), (1.0, 1.0)]
    """
    ordered = sorted(float(w) for w in weights)
    total = sum(ordered)
    n = len(ordered)
    points = [(0.0, 0.0)]
    running = 0.0
    for i, w in enumerate(ordered, start=1):
        running += w
        points.append((i / n, running / total if total else 0.0))
    return points


def concentration(values: Mapping[str, float], *, top_n: int = 1) -> dict[str, float | None]:
    """Concentration statistics of a place → quantity mapping (see :func:`concentration_stats`)."""
    return concentration_stats([float(v) for v in values.values()], top_n)
