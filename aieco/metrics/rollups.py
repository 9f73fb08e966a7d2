"""Roll node scores up to places (city, region, country) and to node types.

A member counts toward every place of a level it belongs to through containment
(:func:`aieco.graph.containment.members_of`); places themselves are not their own members.

Examples
--------
>>> import aieco
>>> eg = aieco.graph_from_bundled()
>>> scores = dict.fromkeys(eg.entity_ids(), 1.0)
>>> rollup_places(eg, scores, level="City", how="sum")["hefei"] >= 3
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from statistics import fmean
from typing import Literal

from aieco.graph.containment import members_of
from aieco.graph.ecosystem import EcosystemGraph

How = Literal["sum", "mean", "max"]


def _aggregate(values: list[float], how: How) -> float:
    if how == "sum":
        return float(sum(values))
    if how == "mean":
        return float(fmean(values))
    return float(max(values))


def rollup_places(
    eg: EcosystemGraph, scores: Mapping[str, float], *, level: str = "City", how: How = "sum"
) -> dict[str, float]:
    """Aggregate members' scores for every place of ``level`` that has scored members."""
    out: dict[str, float] = {}
    for place, kind in eg.G.nodes(data="type"):
        if kind != level:
            continue
        values = [scores[m] for m in members_of(eg.G, place) if m in scores]
        if values:
            out[place] = _aggregate(values, how)
    return out


def rollup_types(eg: EcosystemGraph, scores: Mapping[str, float], *, how: How = "mean") -> dict[str, float]:
    """Aggregate scores by node type."""
    groups: dict[str, list[float]] = defaultdict(list)
    for node, value in scores.items():
        groups[eg.G.nodes[node]["type"]].append(value)
    return {kind: _aggregate(values, how) for kind, values in sorted(groups.items())}
