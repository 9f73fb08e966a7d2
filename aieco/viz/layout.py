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


#: Canvas units per node along the side of a precomputed layout (its side grows with sqrt(n)).
LAYOUT_SPACING = 90.0


def precomputed_positions(
    nodes: list[str], edges: list[tuple[str, str]], *, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """A force-directed layout computed in Python, in canvas units (y downwards).

    igraph's Fruchterman–Reingold (with its grid above 1,000 nodes) when the ``fast`` extra is
    installed: 0.5 s for 5,000 entities and 1.5 s for 20,000 on 2 cores; else NetworkX's spring
    layout. The page then draws at once with physics off, instead of simulating forces in the
    browser for minutes.
    """
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in edges if u != v})
    try:
        import igraph
    except ImportError:
        igraph = None
    if igraph is not None:
        import random

        state = random.getstate()
        random.seed(seed)  # igraph draws from Python's random module
        try:
            g = igraph.Graph(n=len(nodes), edges=pairs)
            coords = [tuple(c) for c in g.layout_fruchterman_reingold(niter=300, grid="auto")]
        finally:
            random.setstate(state)
    else:
        H = nx.Graph()
        H.add_nodes_from(range(len(nodes)))
        H.add_edges_from(pairs)
        pos = nx.spring_layout(H, seed=seed, iterations=50 if len(nodes) <= 2000 else 25)
        coords = [tuple(pos[i]) for i in range(len(nodes))]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = LAYOUT_SPACING * math.sqrt(len(nodes)) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        n: (round((c[0] - cx) * scale, 1), round((c[1] - cy) * scale, 1))
        for n, c in zip(nodes, coords, strict=True)
    }


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
