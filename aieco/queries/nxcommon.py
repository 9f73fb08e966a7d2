"""Graph helpers shared by the NetworkX forms of the queries.

They spell out, for NetworkX, the same conventions the Cypher texts use:

* an *entity* is any node but a Source or an Observation;
* *relationships* are all edges but the derived ``ABOUT``/``RELATIVE_TO``;
* *containment* is ``LOCATED_IN`` and ``HEADQUARTERED_IN``; an entity belongs to a place
  when a containment path of at most ``MEMBER_HOPS`` edges leads from it to the place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from aieco.graph.containment import CONTAINMENT, MEMBER_HOPS, PLACE_HOPS, members_of, place_at_level
from aieco.graph.schema import DERIVED_RELS, NodeType

__all__ = [
    "CONTAINMENT",
    "DERIVED",
    "MEMBER_HOPS",
    "NON_ENTITY",
    "PLACE_HOPS",
    "degrees",
    "entities",
    "entity_graph",
    "is_entity",
    "members_of",
    "name",
    "place_at_level",
    "relationships",
]

DERIVED = frozenset(r.value for r in DERIVED_RELS)
NON_ENTITY = frozenset({NodeType.SOURCE.value, NodeType.OBSERVATION.value})


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
