"""Check that a graph (however it was made) obeys the schema.

Loaders validate records before they become a graph; this checks a graph that was made
another way (the synthetic generator, a pull from Neo4j) against the same rules.
"""

from __future__ import annotations

import networkx as nx

from aieco.errors import Problem
from aieco.graph.schema import ENTITY_TYPES, REL_SPECS, NodeType, RelType


def validate_graph(G: nx.MultiDiGraph, *, origin: str = "<graph>") -> list[Problem]:
    """Return every schema violation in ``G`` (empty when it is valid).

    Checks node and relationship types, required names and sources, allowed endpoint
    types, and weights on weighted relationships. Rows are 1-based node, then edge, positions.

    >>> import aieco
    >>> validate_graph(aieco.graph_from_synthetic(100, seed=3).G)
    []
    """
    problems: list[Problem] = []
    node_types = {t.value: t for t in NodeType}
    rel_types = {r.value: r for r in RelType}
    entity_values = {t.value for t in ENTITY_TYPES}
    for row, (node, attrs) in enumerate(G.nodes(data=True), start=1):
        kind = attrs.get("type")
        if kind not in node_types:
            problems.append(Problem(origin, row, "type", f"node {node!r}: unknown type {kind!r}"))
            continue
        if kind in entity_values and not attrs.get("name_en"):
            problems.append(Problem(origin, row, "name_en", f"node {node!r} has no name"))
        if kind != NodeType.SOURCE.value and attrs.get("source") not in G:
            problems.append(Problem(origin, row, "source", f"node {node!r} cites no known source"))
    for row, (u, v, attrs) in enumerate(G.edges(data=True), start=1):
        rel = rel_types.get(attrs.get("type", ""))
        where = f"edge {u!r}->{v!r}"
        if rel is None:
            problems.append(Problem(origin, row, "type", f"{where}: unknown type {attrs.get('type')!r}"))
            continue
        spec = REL_SPECS[rel]
        src, dst = node_types.get(G.nodes[u].get("type", "")), node_types.get(G.nodes[v].get("type", ""))
        if src not in spec.sources:
            problems.append(Problem(origin, row, "from", f"{where}: {rel.value} cannot start at {src}"))
        if dst not in spec.targets:
            problems.append(Problem(origin, row, "to", f"{where}: {rel.value} cannot end at {dst}"))
        if spec.needs_weight and attrs.get("share") is None and attrs.get("count") is None:
            problems.append(Problem(origin, row, "share", f"{where}: {rel.value} needs a weight"))
        if attrs.get("source") not in G:
            problems.append(Problem(origin, row, "source", f"{where} cites no known source"))
    return problems
