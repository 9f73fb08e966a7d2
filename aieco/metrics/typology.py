"""Place typology: places grouped by what they hold and how they connect.

Like Brookings' grouping of US metros into "superstars", "early adopters" and the rest: each
place (city, region or country) gets indicators computed from the graph (:func:`place_indicators`),
the indicators are standardised (z-scores, so a count of companies and a net inflow weigh alike)
and grouped by Ward's hierarchical clustering (scipy). The number of groups, unless given, is the
one with the highest mean **silhouette** (Rousseeuw, 1987) among 2 … ``max_groups``: how much
closer each place is to its own group than to the next. Each group is described by its centroid:
the indicators where its mean is furthest above (or below) the average, in standard deviations.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"companies": [50, 48, 52, 2, 3, 1], "models": [9, 10, 11, 0, 1, 0]},
...                      index=["a", "b", "c", "x", "y", "z"])
>>> result = typology(frame)
>>> result.groups.groupby(result.groups).size().tolist(), result.k
([3, 3], 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aieco.errors import InvalidArgumentError


@dataclass(frozen=True)
class Typology:
    """Groups of places: each place's group (1 = the group with the highest mean score), the
    groups' centroids (z-scores), their descriptions, and how the number was chosen."""

    groups: pd.Series
    centroids: pd.DataFrame
    descriptions: dict[int, str]
    k: int
    silhouettes: dict[int, float]
    criterion: str


def silhouette(z: np.ndarray, labels: np.ndarray) -> float:
    """The mean silhouette of a grouping (Euclidean; a place alone in its group scores 0)."""
    d = np.linalg.norm(z[:, None, :] - z[None, :, :], axis=2)
    scores = []
    for i in range(len(z)):
        own = labels == labels[i]
        if own.sum() == 1:
            scores.append(0.0)
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == g].mean() for g in set(labels.tolist()) if g != labels[i])
        scores.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(scores))


def typology(frame: pd.DataFrame, *, groups: int | None = None, max_groups: int = 6) -> Typology:
    """Group places (rows) by their indicators (columns).

    Parameters
    ----------
    frame
        One row per place, numeric indicators; constant columns are dropped.
    groups
        The number of groups; without, the best mean silhouette among 2 … ``max_groups``.
    max_groups
        The largest number of groups tried.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    data = frame.astype(float).fillna(0.0)
    data = data.loc[:, data.std(ddof=0) > 0]
    n = len(data)
    if n < 3 or data.shape[1] == 0:
        raise InvalidArgumentError(f"a typology needs 3 places and a varying indicator; got {n} places")
    z = ((data - data.mean()) / data.std(ddof=0)).to_numpy()
    tree = linkage(z, method="ward")
    tried = {
        k: silhouette(z, fcluster(tree, k, criterion="maxclust"))
        for k in range(2, min(max_groups, n - 1) + 1)
    }
    if groups is not None:
        if not 1 <= groups <= n:
            raise InvalidArgumentError(f"groups must be between 1 and {n}; got {groups}")
        k, criterion = groups, "given"
    else:
        k = max(tried, key=lambda g: (round(tried[g], 9), -g))
        criterion = f"highest mean silhouette among 2–{max(tried)} groups ({tried[k]:.2f})"
    raw = fcluster(tree, k, criterion="maxclust")
    zf = pd.DataFrame(z, index=data.index, columns=data.columns)
    centroid = zf.groupby(raw).mean()
    # number the groups by their mean z-score, highest first
    order = centroid.mean(axis=1).sort_values(ascending=False).index.tolist()
    renumber = {old: new for new, old in enumerate(order, start=1)}
    labels = pd.Series([renumber[g] for g in raw], index=data.index, name="group")
    centroids = centroid.rename(index=renumber).sort_index().round(3)
    descriptions = {g: _describe(centroids.loc[g]) for g in centroids.index}
    return Typology(labels, centroids, descriptions, k, {g: round(s, 4) for g, s in tried.items()}, criterion)


def _describe(centre: pd.Series) -> str:
    """'companies +1.9 sd, models +1.7 sd' — the indicators that set the group apart."""
    strongest = centre.reindex(centre.abs().sort_values(ascending=False).index)[:3]
    parts = [f"{name} {value:+.1f} sd" for name, value in strongest.items() if abs(value) >= 0.25]
    return ", ".join(parts) or "close to the average on every indicator"
