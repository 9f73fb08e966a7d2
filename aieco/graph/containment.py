"""Where things are: containment paths from entities up to cities, regions and countries.

*Containment* is ``LOCATED_IN`` and ``HEADQUARTERED_IN``. An entity belongs to a place when a
containment path of at most ``MEMBER_HOPS`` edges leads from it to the place (a compute
centre in a park in a city in a province: three hops to the province). The Cypher texts of
the query catalogue spell the same rule as ``[:LOCATED_IN|HEADQUARTERED_IN*1..4]``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import networkx as nx

from aieco.graph.schema import CONTAINMENT_RELS, PLACE_LEVELS

#: Containment relationship types, as the strings the graph holds.
CONTAINMENT = frozenset(r.value for r in CONTAINMENT_RELS)
MEMBER_HOPS = 4
PLACE_HOPS = 4
__all__ = [
    "CONTAINMENT",
    "MEMBER_HOPS",
    "PLACE_HOPS",
    "PLACE_LEVELS",
    "members_by_place",
    "members_of",
    "place_at_level",
]


def members_of(G: nx.MultiDiGraph, place: str, max_hops: int = MEMBER_HOPS) -> dict[str, int]:
    """Entities with a containment path to ``place``, with the length of the shortest one."""
    hops = {place: 0}
    queue = deque([place])
    while queue:
        node = queue.popleft()
        if hops[node] == max_hops:
            continue
        for u, _, t in G.in_edges(node, data="type"):
            if t in CONTAINMENT and u not in hops:
                hops[u] = hops[node] + 1
                queue.append(u)
    hops.pop(place)
    return hops


def members_by_place(
    G: nx.MultiDiGraph, level: str | Iterable[str], max_hops: int = MEMBER_HOPS
) -> dict[str, dict[str, int]]:
    """:func:`members_of` for every place of type ``level`` (or of any of several types) at once.

    One pass over the relationships keeps the containment ones, then a short upward search from
    each node that has one: O(relationships + memberships), where asking each place in turn walks
    every relationship of every place (a city's flows and partnerships too) once per place.

    >>> import aieco
    >>> G = aieco.graph_from_bundled().G
    >>> members_by_place(G, "City")["hefei"] == members_of(G, "hefei")
    True
    """
    up: dict[str, list[str]] = {}
    for u, v, t in G.edges(data="type"):
        if t in CONTAINMENT:
            up.setdefault(u, []).append(v)
    levels = {level} if isinstance(level, str) else set(level)
    out: dict[str, dict[str, int]] = {n: {} for n, t in G.nodes(data="type") if t in levels}
    for start in up:
        hops = {start: 0}
        frontier = [start]
        for depth in range(1, max_hops + 1):
            reached = []
            for node in frontier:
                for v in up.get(node, ()):
                    if v not in hops:
                        hops[v] = depth
                        reached.append(v)
            frontier = reached
        for place, depth in hops.items():
            if depth and place in out:
                out[place][start] = depth
    return out


def place_at_level(G: nx.MultiDiGraph, node: str, level: str, max_hops: int = PLACE_HOPS) -> str | None:
    """The nearest place of type ``level`` containing ``node`` (itself if it is one); ties by id."""
    if G.nodes[node]["type"] == level:
        return node
    seen = {node: 0}
    frontier = [node]
    for depth in range(1, max_hops + 1):
        nxt = []
        for cur in frontier:
            for _, v, t in G.out_edges(cur, data="type"):
                if t in CONTAINMENT and v not in seen:
                    seen[v] = depth
                    nxt.append(v)
        found = sorted(str(v) for v in nxt if G.nodes[v]["type"] == level)
        if found:
            return found[0]
        frontier = nxt
    return None
