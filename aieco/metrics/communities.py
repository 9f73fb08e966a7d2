"""Communities: Leiden (igraph's, connected communities guaranteed; the default) or Louvain
(NetworkX), each with the modularity of the partition found.

Without igraph (the ``[fast]`` extra) :func:`communities` falls back to Louvain and says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from aieco.metrics.engines import has_igraph, igraph_module, to_igraph

CommunityMethod = Literal["leiden", "louvain"]


@dataclass(frozen=True)
class Communities:
    """A partition of the nodes, its modularity, and each node's community index."""

    groups: list[set[str]]
    modularity: float
    method: str = "louvain"

    def membership(self) -> dict[str, int]:
        """Node → community index (largest community is 0)."""
        return {node: i for i, group in enumerate(self.groups) for node in group}


def louvain(H: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weighted: bool = True) -> Communities:
    """Louvain communities of a projected graph (directed graphs are taken as undirected).

    >>> G = nx.barbell_graph(4, 0)   # two 4-cliques joined by one edge
    >>> c = louvain(G)
    >>> sorted(map(sorted, c.groups)), round(c.modularity, 4)
    ([[0, 1, 2, 3], [4, 5, 6, 7]], 0.4231)
    """
    U = H.to_undirected() if H.is_directed() else H
    if U.number_of_edges() == 0:
        return Communities([{n} for n in U], 0.0)
    weight = "weight" if weighted else None
    found = nx.community.louvain_communities(U, weight=weight, resolution=resolution, seed=seed)
    groups = _ordered([set(g) for g in found])
    score = nx.community.modularity(U, groups, weight=weight, resolution=resolution)
    return Communities(groups, float(score), "louvain")


def _ordered(found: list[set[str]]) -> list[set[str]]:
    return sorted(found, key=lambda g: (-len(g), min(map(str, g))))


def leiden(H: nx.Graph, *, seed: int = 0, resolution: float = 1.0, weighted: bool = True) -> Communities:
    """Leiden communities (igraph, modularity objective, iterated until stable).

    Every community Leiden returns is connected (the guarantee Louvain lacks).

    >>> G = nx.barbell_graph(4, 0)
    >>> c = leiden(G)
    >>> sorted(map(sorted, c.groups)), round(c.modularity, 4)
    ([[0, 1, 2, 3], [4, 5, 6, 7]], 0.4231)
    """
    ig = igraph_module()
    U = H.to_undirected() if H.is_directed() else H
    if U.number_of_edges() == 0:
        return Communities([{n} for n in U], 0.0, "leiden")
    g, nodes = to_igraph(U)
    weights = "weight" if weighted else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_leiden(
            objective_function="modularity", weights=weights, resolution=resolution, n_iterations=-1
        )
    finally:
        ig.set_random_number_generator(random)
    groups = _ordered([{nodes[i] for i in members} for members in found])
    score = g.modularity(found.membership, weights=weights, resolution=resolution, directed=False)
    return Communities(groups, float(score), "leiden")


def communities(
    H: nx.Graph, *, method: CommunityMethod = "leiden", seed: int = 0, weighted: bool = True
) -> Communities:
    """Communities by ``method``; Leiden needs igraph and falls back to Louvain without it."""
    if method == "leiden" and has_igraph():
        return leiden(H, seed=seed, weighted=weighted)
    return louvain(H, seed=seed, weighted=weighted)
