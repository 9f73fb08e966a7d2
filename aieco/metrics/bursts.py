"""Rising entities: bursts in yearly counts, by Kleinberg's two-state automaton.

Kleinberg (2002), "Bursty and Hierarchical Structure in Streams" (KDD '02; Data Mining and
Knowledge Discovery 7, 2003), section 4, "enumerating bursts" on batched data: each year ``t``
brings ``r_t`` events of an entity (works, researchers arriving, models released). A hidden
automaton is in a *base* state, emitting at the series' own rate, or a *burst* state emitting
``s`` times faster; entering the burst state costs ``γ · ln n`` (``n`` years), leaving it costs
nothing. The state sequence of least total cost (the Viterbi path) marks the burst years, and a
burst's **weight** is how much cheaper the burst state explains its years than the base state
(Kleinberg's measure of a burst's strength).

Two emission models, as in the paper:

* with ``totals`` (``d_t``: all events that year, e.g. every work in the data), **binomial**:
  rates ``p0 = Σr / Σd`` and ``p1 = s · p0`` (capped below 1), cost
  ``−ln[C(d_t, r_t) · p^r_t · (1 − p)^(d_t − r_t)]`` — a burst is a rise in the entity's *share*;
* without, **Poisson**: rates ``λ0 = mean(r)`` and ``λ1 = s · λ0``, cost ``−ln Pois(r_t; λ)`` — a
  rise in the count itself.

Years missing from the series count as 0 events (the series runs from its first to its last
year). The registry's Kleinberg packages are unmaintained; this is written from the paper.

Examples
--------
>>> [(b.start, b.end) for b in bursts({2016: 2, 2017: 2, 2018: 3, 2019: 14, 2020: 15, 2021: 2, 2022: 3})]
[(2019, 2020)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

#: The burst state's rate over the base state's (Kleinberg's ``s``).
DEFAULT_S = 2.0
#: The cost of entering a burst, in units of ``ln n`` (Kleinberg's ``γ``).
DEFAULT_GAMMA = 1.0


@dataclass(frozen=True)
class Burst:
    """A run of burst years: first and last year, and its weight (cost saved, in nats)."""

    start: int
    end: int
    weight: float


def _emission_costs(counts: list[int], totals: list[int] | None, s: float) -> tuple[list[float], list[float]]:
    n = len(counts)
    if totals is None:
        lam0 = sum(counts) / n
        lam1 = s * lam0

        def pois(r: int, lam: float) -> float:
            return lam - r * math.log(lam) + math.lgamma(r + 1)

        return [pois(r, lam0) for r in counts], [pois(r, lam1) for r in counts]
    p0 = min(sum(counts) / sum(totals), 0.9999)  # an entity that is all of the data: no share to gain
    p1 = min(s * p0, 0.9999)

    def binom(r: int, d: int, p: float) -> float:
        log_choose = math.lgamma(d + 1) - math.lgamma(r + 1) - math.lgamma(d - r + 1)
        return -(log_choose + r * math.log(p) + (d - r) * math.log1p(-p))

    return (
        [binom(r, d, p0) for r, d in zip(counts, totals, strict=True)],
        [binom(r, d, p1) for r, d in zip(counts, totals, strict=True)],
    )


def burst_states(
    counts: list[int],
    totals: list[int] | None = None,
    *,
    s: float = DEFAULT_S,
    gamma: float = DEFAULT_GAMMA,
) -> tuple[list[int], list[float], list[float]]:
    """The least-cost state of each batch (0 base, 1 burst), and the two states' costs per batch.

    The automaton starts in the base state. Raises ``ValueError`` on a negative count, a count
    above its total, or ``s`` ≤ 1.
    """
    if s <= 1:
        raise ValueError(f"s must be above 1 (the burst rate over the base rate); got {s}")
    if any(r < 0 for r in counts):
        raise ValueError("counts cannot be negative")
    if totals is not None and any(r > d for r, d in zip(counts, totals, strict=True)):
        raise ValueError("a count cannot exceed its year's total")
    n = len(counts)
    if n == 0 or sum(counts) == 0:
        return [0] * n, [0.0] * n, [0.0] * n
    c0, c1 = _emission_costs(counts, totals, s)
    up = gamma * math.log(n)
    # Viterbi over two states; back[t][j]: the state before t on the best path ending in j at t
    best = [c0[0], up + c1[0]]
    back: list[tuple[int, int]] = [(0, 0)]
    for t in range(1, n):
        to0 = (best[0], 0) if best[0] <= best[1] else (best[1], 1)  # leaving a burst is free
        to1 = (best[0] + up, 0) if best[0] + up < best[1] else (best[1], 1)
        best = [to0[0] + c0[t], to1[0] + c1[t]]
        back.append((to0[1], to1[1]))
    state = 0 if best[0] <= best[1] else 1
    path = [state]
    for t in range(n - 1, 0, -1):
        state = back[t][state]
        path.append(state)
    return path[::-1], c0, c1


def bursts(
    counts: Mapping[int, int],
    totals: Mapping[int, int] | None = None,
    *,
    s: float = DEFAULT_S,
    gamma: float = DEFAULT_GAMMA,
) -> list[Burst]:
    """The bursts of a yearly series (year → count), strongest first.

    Parameters
    ----------
    counts
        Events per year; years between the first and last missing from it count as 0.
    totals
        All events per year (binomial model); without, the Poisson model is used.
    s, gamma
        Kleinberg's rate ratio and transition cost.
    """
    if not counts:
        return []
    years = list(range(min(counts), max(counts) + 1))
    series = [int(counts.get(y, 0)) for y in years]
    total_series = None if totals is None else [int(totals.get(y, 0)) for y in years]
    path, c0, c1 = burst_states(series, total_series, s=s, gamma=gamma)
    found: list[Burst] = []
    t = 0
    while t < len(path):
        if path[t] == 1:
            end = t
            while end + 1 < len(path) and path[end + 1] == 1:
                end += 1
            weight = sum(c0[k] - c1[k] for k in range(t, end + 1))
            found.append(Burst(years[t], years[end], round(weight, 6)))
            t = end + 1
        else:
            t += 1
    return sorted(found, key=lambda b: (-b.weight, b.start))


def rising(
    yearly: Mapping[str, Mapping[int, float]], *, s: float = DEFAULT_S, gamma: float = DEFAULT_GAMMA
) -> list[dict[str, float | int | str]]:
    """The bursts of each entity's share of a yearly total, strongest first.

    ``yearly`` maps each entity (a place, an institution) to its counts per year; a year's total
    is the sum over every entity (binomial model). One row per burst: ``place``, ``burst_start``,
    ``burst_end``, ``weight``, ``arrivals_in_burst``, ``arrivals``, ``first_year``, ``last_year``.
    """
    totals: dict[int, float] = {}
    for years in yearly.values():
        for year, n in years.items():
            totals[year] = totals.get(year, 0.0) + float(n)
    rows: list[dict[str, float | int | str]] = []
    for place in sorted(yearly):
        series = {int(y): round(float(n)) for y, n in yearly[place].items()}
        if not series:
            continue
        span = range(min(series), max(series) + 1)
        for b in bursts(series, {y: round(totals.get(y, 0.0)) for y in span}, s=s, gamma=gamma):
            rows.append(
                {
                    "place": place,
                    "burst_start": b.start,
                    "burst_end": b.end,
                    "weight": round(b.weight, 3),
                    "arrivals_in_burst": sum(n for y, n in series.items() if b.start <= y <= b.end),
                    "arrivals": sum(series.values()),
                    "first_year": min(series),
                    "last_year": max(series),
                }
            )
    return sorted(rows, key=lambda r: (-float(r["weight"]), str(r["place"]), int(r["burst_start"])))
