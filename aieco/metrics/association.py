"""Collaboration strength once size is accounted for: the association strength.

Two large organisations co-author often because both publish a lot; raw co-occurrence counts
rank big pairs first. The **association strength** (van Eck and Waltman, "How to normalize
co-occurrence data?", JASIST 60(8), 2009; the normalisation VOSviewer applies by default) divides
a pair's co-occurrences by the product of the two totals:

    AS(i, j) = 2m · c_ij / (s_i · s_j)

where ``c_ij`` is the pair's weight, ``s_i`` the total weight of ``i``'s links and ``m`` the total
weight of all links. The factor ``2m`` makes 1 the value expected if links were drawn at random
in proportion to the totals: above 1, a pair works together more than their sizes predict.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_weighted_edges_from([("A", "B", 4), ("A", "C", 1), ("B", "C", 1)])
>>> {k: round(v, 3) for k, v in association_strength(G).items()}  # m = 6; s = 5, 5, 2
{('A', 'B'): 1.92, ('A', 'C'): 1.2, ('B', 'C'): 1.2}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import networkx as nx


def collaboration_links(G: nx.MultiDiGraph, *, keep: Callable[[Any], bool] | None = None) -> nx.MultiGraph:
    """The graph's ``COLLABORATES_WITH`` relationships as an undirected multigraph weighted by joint
    works (a relationship's ``count``, else 1); with ``keep``, only those whose two ends it keeps."""
    links = nx.MultiGraph()
    for u, v, a in G.edges(data=True):
        if a.get("type") == "COLLABORATES_WITH" and (keep is None or (keep(u) and keep(v))):
            links.add_edge(u, v, weight=float(a.get("count") or 1.0))
    return links


def pair_weights(G: nx.Graph, *, weight: str = "weight") -> dict[tuple[Any, Any], float]:
    """Each linked pair's total weight (undirected, parallel edges added, self-loops left out),
    keyed ``(u, v)`` in the order first met."""
    total: dict[frozenset[Any], float] = defaultdict(float)
    order: dict[frozenset[Any], tuple[Any, Any]] = {}
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        key = frozenset((u, v))
        total[key] += float(data.get(weight, 1.0) or 0.0)
        order.setdefault(key, (u, v))
    return {order[key]: c for key, c in total.items()}


def association_strength(G: nx.Graph, *, weight: str = "weight") -> dict[tuple[Any, Any], float]:
    """The association strength of every linked pair (undirected; parallel edges add up).

    Parameters
    ----------
    G
        A graph or multigraph; directions are ignored, self-loops left out.
    weight
        The edge attribute holding the co-occurrence count (missing: 1).

    Returns
    -------
    ``{(u, v): AS}`` for each pair linked in ``G`` (``u``, ``v`` in the order first met).
    """
    pairs = pair_weights(G, weight=weight)
    total: dict[Any, float] = defaultdict(float)
    for (u, v), c in pairs.items():
        total[u] += c
        total[v] += c
    m = sum(pairs.values())
    return {
        (u, v): 2 * m * c / (total[u] * total[v]) if total[u] and total[v] else 0.0
        for (u, v), c in pairs.items()
    }
