"""Projections: the simple graph a metric runs on, chosen explicitly and recorded.

An ecosystem graph is a typed multigraph; centrality needs a simple graph. A
:class:`Projection` says which entity types and relationship types count, whether direction
matters, which edge property (if any) is the weight, and an optional ``as_of`` year. Parallel
relationships collapse into one edge whose weight is the sum of theirs (1 each when unweighted).

Examples
--------
>>> import aieco
>>> eg = aieco.graph_from_bundled()
>>> H = project(eg, Projection(node_types=frozenset({"City", "Region", "Country"})))
>>> H.has_edge("hefei", "anhui")
True
>>> "iflytek" in H
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.graph.schema import DERIVED_RELS, ENTITY_TYPES, ORG_PROJECTION_TYPES, PLACE_TYPES


def valid_in(attrs: Mapping[str, Any], year: int) -> bool:
    """Tell whether a fact holds in ``year``: it started by then and had not ended.

    Facts without dates always hold.

    >>> valid_in({"year": 2017}, 2016), valid_in({"period_start": 2018, "period_end": 2025}, 2020)
    (False, True)
    """
    start = attrs.get("period_start", attrs.get("year"))
    if start is not None and start > year:
        return False
    end = attrs.get("period_end")
    return not (end is not None and end < year)


def valid_years(attrs: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The first and last year a fact holds (``None``: open), by the rule of :func:`valid_in`.

    >>> valid_years({"year": 2017}), valid_years({"period_start": 2018, "period_end": 2025}), valid_years({})
    ((2017, None), (2018, 2025), (None, None))
    """
    start = attrs.get("period_start", attrs.get("year"))
    end = attrs.get("period_end")
    return (None if start is None else int(start)), (None if end is None else int(end))


def graph_as_of(eg: EcosystemGraph, year: int) -> EcosystemGraph:
    """The ecosystem as of ``year``: entities, observations and relationships valid then.

    Sources stay; a relationship stays when it is valid and both its ends stay. The rule is
    the metrics' (:func:`valid_in`), so a view ``--as-of`` a year shows what a report
    ``--as-of`` that year measures.

    >>> import aieco
    >>> eg = aieco.graph_from_bundled()
    >>> then = graph_as_of(eg, 2016)
    >>> "open-platforms-2017" in then, "hefei" in then
    (False, True)
    """
    G = eg.G
    keep = [n for n, a in G.nodes(data=True) if a["type"] == "Source" or valid_in(a, year)]
    H = G.subgraph(keep).copy()
    H.remove_edges_from([(u, v, k) for u, v, k, a in H.edges(keys=True, data=True) if not valid_in(a, year)])
    H.graph = {**G.graph, "as_of": year}
    return EcosystemGraph(H)


@dataclass(frozen=True)
class Projection:
    """Which part of the ecosystem graph a metric sees.

    Attributes
    ----------
    node_types
        Entity types kept (``None``: every entity type).
    rel_types
        Relationship types kept (``None``: every hand-written type; derived ones never count).
    directed
        Keep direction (a DiGraph) or not (a Graph).
    weight
        Edge property summed into ``weight`` (e.g. ``"count"``, ``"share"``); a relationship
        without it weighs 1. ``None``: every relationship weighs 1.
    as_of
        Keep only entities and relationships valid in this year (see :func:`valid_in`).
    """

    node_types: frozenset[str] | None = None
    rel_types: frozenset[str] | None = None
    directed: bool = False
    weight: str | None = None
    as_of: int | None = None
    name: str = field(default="all entities, all relationships, undirected", compare=False)

    def describe(self) -> dict[str, Any]:
        """A plain description, written into reports and results."""
        return {
            "name": self.name,
            "node_types": sorted(self.node_types) if self.node_types else "all entity types",
            "rel_types": sorted(self.rel_types) if self.rel_types else "all hand-written relationship types",
            "directed": self.directed,
            "weight": self.weight or "unweighted (each relationship counts 1)",
            "as_of": self.as_of,
        }


#: The names of the projections offered on the command line.
ProjectionName = Literal["all", "organisations", "places", "directed", "talent"]
#: Named projections offered on the command line.
PROJECTIONS: dict[ProjectionName, Projection] = {
    "all": Projection(),
    "organisations": Projection(
        node_types=frozenset(t.value for t in ORG_PROJECTION_TYPES),
        name="organisations, people and models; all relationships, undirected",
    ),
    "places": Projection(
        node_types=frozenset(t.value for t in PLACE_TYPES),
        name="places only; all relationships, undirected",
    ),
    "directed": Projection(directed=True, name="all entities, all relationships, directed"),
    "talent": Projection(
        rel_types=frozenset({"TALENT_FLOW"}),
        directed=True,
        weight="count",
        name="talent flows, directed, weighted by count",
    ),
}


def project(eg: EcosystemGraph, projection: Projection = Projection()) -> nx.Graph:
    """Build the simple graph a projection describes (a DiGraph when directed)."""
    with paused_gc():  # a million edges' worth of new dicts, no cycles (see aieco.graph.gcpause)
        return _project(eg, projection)


def _project(eg: EcosystemGraph, projection: Projection) -> nx.Graph:
    G = eg.G
    entity_values = {t.value for t in ENTITY_TYPES}
    derived = {r.value for r in DERIVED_RELS}
    keep_types = projection.node_types or entity_values
    H: nx.Graph = nx.DiGraph() if projection.directed else nx.Graph()
    for node, attrs in G.nodes(data=True):
        kind = attrs["type"]
        in_time = projection.as_of is None or valid_in(attrs, projection.as_of)
        if kind in keep_types and kind in entity_values and in_time:
            H.add_node(node, type=kind)
    kept = H._node  # membership only
    # H's own adjacency dicts, filled as add_edge would fill them (without its per-edge
    # bookkeeping: three times faster at a million edges); parallel edges add up their weights
    succ, pred = (H._succ, H._pred) if projection.directed else (H._adj, H._adj)
    rel_types, as_of, weight = projection.rel_types, projection.as_of, projection.weight
    for u, neighbours in G.adjacency():  # the multigraph's own dicts: {v: {key: attrs}}
        if u not in kept:
            continue
        out = succ[u]
        for v, by_key in neighbours.items():
            if v not in kept:
                continue
            for attrs in by_key.values():
                kind = attrs["type"]
                if kind in derived or (rel_types and kind not in rel_types):
                    continue
                if as_of is not None and not valid_in(attrs, as_of):
                    continue
                w = attrs.get(weight) if weight else None
                w = 1.0 if w is None else float(w)
                data = out.get(v)
                if data is None:
                    out[v] = pred[v][u] = {"weight": w}
                else:
                    data["weight"] += w
    H.__networkx_cache__.clear()  # the edges went in beside add_edge: drop what NetworkX cached
    H.graph["projection"] = projection.describe()
    return H
