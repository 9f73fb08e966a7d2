"""Layouts: where nodes sit on the geographic view's canvas and in the dashboard's thumbnails."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx

from aieco.viz.outlines import equal_earth

if TYPE_CHECKING:
    from aieco.viz.network import EcosystemNetwork

#: Pixels per degree of latitude (at the equator) in the geographic view.
GEO_SCALE = 80.0
#: The sphere's radius in pixels: Equal Earth coordinates times this are canvas coordinates.
GEO_RADIUS = GEO_SCALE / equal_earth(0.0, 1.0)[1]


def geo_positions(coords: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Canvas (x, y) per node from (lon, lat), in the Equal Earth projection (y downwards)."""
    out = {}
    for node, (lon, lat) in coords.items():
        x, y = equal_earth(lon, lat)
        out[node] = (round(x * GEO_RADIUS, 1), round(-y * GEO_RADIUS, 1))
    return out


def layout(net: EcosystemNetwork, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions of the view's nodes: their fixed x/y if they have them, else a seeded layout.

    Canvas y grows downwards; the positions returned grow upwards, as in a plot.
    """
    fixed = {n["id"]: (float(n["x"]), -float(n["y"])) for n in net.nodes if "x" in n and "y" in n}
    if len(fixed) == len(net.nodes):
        return fixed
    H = nx.Graph()
    H.add_nodes_from(n["id"] for n in net.nodes)
    H.add_edges_from((e["from"], e["to"]) for e in net.edges)
    if net.hierarchical:
        for n in net.nodes:
            H.nodes[n["id"]]["layer"] = int(n.get("level", 0))
        pos = nx.multipartite_layout(H, subset_key="layer")
    else:
        k = 1.6 / math.sqrt(max(len(H), 1))
        pos = nx.spring_layout(H, seed=seed, k=k, iterations=80)
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}
