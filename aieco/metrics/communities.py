"""Communities: Louvain (NetworkX) with the modularity of the partition found."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Communities:
    """A partition of the nodes, its modularity, and each node's community index."""

    groups: list[set[str]]
    modularity: float

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
    groups = sorted((set(g) for g in found), key=lambda g: (-len(g), min(map(str, g))))
    score = nx.community.modularity(U, groups, weight=weight, resolution=resolution)
    return Communities(groups, float(score))
