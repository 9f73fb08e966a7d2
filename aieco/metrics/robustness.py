"""Composite indexes and how robust their ranks are to the choices behind them.

An ecosystem index (a "top AI cities" list) is a weighted sum of normalised indicators; the
standing critique is that another weighting, or another normalisation, would change the order.
:func:`rank_robustness` answers it for any index a user defines: the ranks under the stated
weights and normalisation, and each entity's rank range over Monte Carlo draws (seeded) in which
every weight is scaled by a factor drawn uniformly in ``[1 − spread, 1 + spread]`` and the
normalisation is drawn from ``min-max``, ``z-score`` and ``rank`` (the OECD/JRC *Handbook on
Constructing Composite Indicators*, 2008, ch. 7, "uncertainty analysis", does the same). Pairs
whose order flips in at least ``tie_share`` of the draws are reported as ties the data cannot
separate.

An index can be written in TOML::

    normalisation = "minmax"
    [weights]
    companies = 0.5
    models = 0.3
    talent_net_inflow = 0.2

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"a": [10, 5, 4.9], "b": [10, 2, 2.1]}, index=["big", "x", "y"])
>>> out = rank_robustness(frame, {"a": 1, "b": 1}, draws=200, seed=1)
>>> [int(v) for v in out.loc["big", ["rank", "rank_min", "rank_max"]]]
[1, 1, 1]
>>> sorted(out.loc["x", "ties"].split("|")), sorted(out.loc["y", "ties"].split("|"))
(['y'], ['x'])
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from aieco.errors import InvalidArgumentError

Normalisation = Literal["minmax", "zscore", "rank"]
NORMALISATIONS: tuple[Normalisation, ...] = ("minmax", "zscore", "rank")


def normalise(frame: pd.DataFrame, how: Normalisation) -> pd.DataFrame:
    """Each column on one scale: ``minmax`` to [0, 1], ``zscore`` to mean 0 and sd 1, ``rank``
    to average ranks (a constant column becomes 0)."""
    if how == "minmax":
        span = frame.max() - frame.min()
        return ((frame - frame.min()) / span.where(span != 0, 1.0)).fillna(0.0)
    if how == "zscore":
        sd = frame.std(ddof=0)
        return ((frame - frame.mean()) / sd.where(sd != 0, 1.0)).fillna(0.0)
    if how == "rank":
        return frame.rank(method="average").fillna(0.0)
    raise InvalidArgumentError(f"unknown normalisation {how!r}; choose from {', '.join(NORMALISATIONS)}")


def composite_index(
    frame: pd.DataFrame, weights: Mapping[str, float], *, normalisation: Normalisation = "minmax"
) -> pd.Series:
    """The weighted sum of the normalised indicators (a negative weight: lower is better)."""
    missing = sorted(set(weights) - set(frame.columns))
    if missing:
        raise InvalidArgumentError(f"the index uses indicators the data do not have: {', '.join(missing)}")
    if not weights or not any(weights.values()):
        raise InvalidArgumentError("an index needs at least one indicator with a non-zero weight")
    columns = list(weights)
    scaled = normalise(frame[columns].astype(float), normalisation)
    return scaled.mul(pd.Series(weights, dtype=float)[columns], axis=1).sum(axis=1)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 for the highest score; equal scores share the best rank."""
    order = (-scores).argsort(kind="stable")
    ranks = np.empty(len(scores), dtype=int)
    ranks[order] = np.arange(1, len(scores) + 1)
    for i in range(1, len(order)):
        if scores[order[i]] == scores[order[i - 1]]:
            ranks[order[i]] = ranks[order[i - 1]]
    return ranks


def rank_robustness(
    frame: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    normalisation: Normalisation = "minmax",
    draws: int = 1000,
    spread: float = 0.5,
    normalisations: Sequence[Normalisation] = NORMALISATIONS,
    tie_share: float = 0.1,
    seed: int = 0,
) -> pd.DataFrame:
    """Ranks under the stated index and their range under perturbed weights and normalisations.

    Returns
    -------
    One row per entity, best first: ``score``, ``rank``, ``rank_min``, ``rank_max``, ``rank_p05``,
    ``rank_p95`` (over the draws), ``same_rank`` (share of draws keeping the stated rank) and
    ``ties`` (``|``-joined entities whose order against this one flips in ``tie_share`` of the
    draws or more).
    """
    if draws < 1:
        raise InvalidArgumentError(f"draws must be at least 1; got {draws}")
    if not 0 <= spread < 1:
        raise InvalidArgumentError(f"spread must be in [0, 1); got {spread}")
    score = composite_index(frame, weights, normalisation=normalisation)
    base = _ranks(score.to_numpy())
    rng = np.random.default_rng(seed)
    names = list(weights)
    w = np.array([float(weights[k]) for k in names])
    scaled = {how: normalise(frame[names].astype(float), how).to_numpy() for how in normalisations}
    n = len(frame)
    ranks = np.empty((draws, n), dtype=int)
    above = np.zeros((n, n), dtype=int)  # above[i, j]: draws with i ranked strictly before j
    for d in range(draws):
        factors = rng.uniform(1 - spread, 1 + spread, size=len(w))
        how = normalisations[int(rng.integers(len(normalisations)))]
        s = scaled[how] @ (w * factors)
        ranks[d] = _ranks(s)
        above += ranks[d][:, None] < ranks[d][None, :]
    stated_before = base[:, None] < base[None, :]
    flips = np.where(stated_before, draws - above, above) / draws  # share of draws against the stated order
    np.fill_diagonal(flips, 0.0)
    index = list(frame.index)
    out = pd.DataFrame(
        {
            "score": score.to_numpy(),
            "rank": base,
            "rank_min": ranks.min(axis=0),
            "rank_max": ranks.max(axis=0),
            "rank_p05": np.percentile(ranks, 5, axis=0, method="lower").astype(int),
            "rank_p95": np.percentile(ranks, 95, axis=0, method="higher").astype(int),
            "same_rank": (ranks == base[None, :]).mean(axis=0),
            "ties": [
                "|".join(str(index[j]) for j in np.flatnonzero(flips[i] >= tie_share)) for i in range(n)
            ],
        },
        index=frame.index,
    )
    return out.sort_values(["rank", "score"], ascending=[True, False])


def read_index(path: str | Path) -> tuple[dict[str, float], Normalisation]:
    """An index from a TOML file: its ``[weights]`` table and ``normalisation`` (default min-max)."""
    try:
        spec: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError(f"{path}: cannot read the index ({exc})") from None
    weights = spec.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise InvalidArgumentError(f"{path}: field 'weights' must be a table of indicator = weight")
    bad = [k for k, v in weights.items() if isinstance(v, bool) or not isinstance(v, int | float)]
    if bad:
        raise InvalidArgumentError(f"{path}: field 'weights.{bad[0]}' must be a number")
    how = spec.get("normalisation", "minmax")
    if how not in NORMALISATIONS:
        raise InvalidArgumentError(
            f"{path}: field 'normalisation' must be one of {', '.join(NORMALISATIONS)}"
        )
    return {str(k): float(v) for k, v in weights.items()}, how
