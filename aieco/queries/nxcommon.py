"""Graph helpers shared by the NetworkX forms of the queries.

They spell out, for NetworkX, the same conventions the Cypher texts use:

* an *entity* is any node but a Source or an Observation;
* *relationships* are all edges but the derived ``ABOUT``/``RELATIVE_TO``;
* *containment* is ``LOCATED_IN`` and ``HEADQUARTERED_IN``; an entity belongs to a place
  when a containment path of at most ``MEMBER_HOPS`` edges leads from it to the place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

import networkx as nx

from aieco.graph.schema import DERIVED_RELS, NodeType

DERIVED = frozenset(r.value for r in DERIVED_RELS)
NON_ENTITY = frozenset({NodeType.SOURCE.value, NodeType.OBSERVATION.value})
CONTAINMENT = frozenset({"LOCATED_IN", "HEADQUARTERED_IN"})
MEMBER_HOPS = 4
PLACE_HOPS = 4


def is_entity(G: nx.MultiDiGraph, node: str) -> bool:
    """Neither a Source nor an Observation."""
    return G.nodes[node]["type"] not in NON_ENTITY


def entities(G: nx.MultiDiGraph) -> Iterator[str]:
    """Every entity node."""
    return (n for n, t in G.nodes(data="type") if t not in NON_ENTITY)


def relationships(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every non-derived edge, as (from, to, key, attributes)."""
    for u, v, k, a in G.edges(keys=True, data=True):
        if a["type"] not in DERIVED:
            yield u, v, k, a


def name(G: nx.MultiDiGraph, node: str | None) -> str | None:
    """A node's English name (or title, or id)."""
    if node is None:
        return None
    attrs = G.nodes[node]
    return str(attrs.get("name_en") or attrs.get("title") or node)


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


def degrees(G: nx.MultiDiGraph, direction: str = "total") -> dict[str, int]:
    """Degree of every entity over non-derived relationships (multi-edges count each)."""
    deg = dict.fromkeys(entities(G), 0)
    for u, v, _, _ in relationships(G):
        if direction in ("out", "total"):
            deg[u] += 1
        if direction in ("in", "total"):
            deg[v] += 1
    return deg


def entity_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected graph of entities joined by any non-derived relationship."""
    H = nx.Graph()
    H.add_nodes_from(entities(G))
    H.add_edges_from((u, v) for u, v, _, _ in relationships(G))
    return H
