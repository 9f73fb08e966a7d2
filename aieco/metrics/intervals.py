"""Intervals on counts: how far a corridor's count of researchers can be trusted.

A talent corridor's count ``n`` is the number of distinct researchers OpenAlex shows moving
A → B. Which researchers publish, and are disambiguated well enough to be followed, is a sample:
the same corridor counted on another draw of researchers would give another ``n``. Resampling
researchers (a bootstrap over them) makes ``n`` binomial, and, for a corridor holding a small
share of all researchers, Poisson. aieco reports the **exact Poisson interval** (Garwood, 1936):

    low = χ²(α/2; 2n) / 2,   high = χ²(1 − α/2; 2n + 2) / 2

with α = 0.05 by default, and marks corridors of fewer than :data:`SMALL_COUNT` researchers as
*small*: one researcher more or less changes them by a fifth or more.

Examples
--------
>>> [round(x, 3) for x in count_interval(0)], [round(x, 3) for x in count_interval(10)]
([0.0, 3.689], [4.795, 18.39])
"""

from __future__ import annotations

from collections.abc import Iterable

#: Corridors of fewer researchers than this are marked small.
SMALL_COUNT = 5


def count_interval(n: float, *, level: float = 0.95) -> tuple[float, float]:
    """The exact Poisson interval of a count ``n`` at confidence ``level``."""
    from scipy.stats import chi2

    if n < 0:
        raise ValueError(f"a count cannot be negative, got {n}")
    alpha = 1.0 - level
    low = 0.0 if n == 0 else float(chi2.ppf(alpha / 2, 2 * n) / 2)
    high = float(chi2.ppf(1 - alpha / 2, 2 * n + 2) / 2)
    return low, high


def count_intervals(counts: Iterable[float], *, level: float = 0.95) -> list[tuple[float, float]]:
    """:func:`count_interval` of each count (vectorised)."""
    import numpy as np
    from scipy.stats import chi2

    n = np.asarray(list(counts), dtype=float)
    if (n < 0).any():
        raise ValueError("a count cannot be negative")
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        low = np.where(n == 0, 0.0, chi2.ppf(alpha / 2, 2 * n) / 2)
    high = chi2.ppf(1 - alpha / 2, 2 * n + 2) / 2
    return [(float(a), float(b)) for a, b in zip(low, high, strict=True)]
