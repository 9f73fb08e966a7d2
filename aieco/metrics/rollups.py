"""Roll node scores up to places (city, region, country) and to node types.

A member counts toward every place of a level it belongs to through containment
(:func:`aieco.graph.containment.members_by_place`); places themselves are not their own members.

Examples
--------
>>> import aieco
>>> eg = aieco.graph_from_bundled()
>>> scores = dict.fromkeys(eg.entity_ids(), 1.0)
>>> rollup_places(eg, scores, level="City", how="sum")["hefei"] >= 3
True
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from statistics import fmean
from typing import Literal

from aieco.graph.containment import members_by_place
from aieco.graph.ecosystem import EcosystemGraph

How = Literal["sum", "mean", "max"]


def _aggregate(values: list[float], how: How) -> float:
    if how == "sum":
        return math.fsum(values)  # exact: members' order does not change it
    if how == "mean":
        return float(fmean(values))
    return float(max(values))


def rollup_places(
    eg: EcosystemGraph,
    scores: Mapping[str, float],
    *,
    level: str = "City",
    how: How = "sum",
    members: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, float]:
    """Aggregate members' scores for every place of ``level`` that has scored members.

    Parameters
    ----------
    members
        ``members_by_place(eg.G, levels)`` with ``level`` among the levels, when the caller rolls
        several scores up (found once instead of once per call); its places of other levels
        are left out.
    """
    if members is None:
        members = members_by_place(eg.G, level)
    nodes = eg.G.nodes
    out: dict[str, float] = {}
    for place, inside in members.items():
        if nodes[place]["type"] != level:
            continue
        values = [scores[m] for m in inside if m in scores]
        if values:
            out[place] = _aggregate(values, how)
    return out


def rollup_types(eg: EcosystemGraph, scores: Mapping[str, float], *, how: How = "mean") -> dict[str, float]:
    """Aggregate scores by node type."""
    groups: dict[str, list[float]] = defaultdict(list)
    for node, value in scores.items():
        groups[eg.G.nodes[node]["type"]].append(value)
    return {kind: _aggregate(values, how) for kind, values in sorted(groups.items())}
