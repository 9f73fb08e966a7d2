"""Layouts: where nodes sit on the geographic view's canvas and in the dashboard's thumbnails."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from aieco.viz.network import EcosystemNetwork

#: Pixels per degree of latitude in the geographic view.
GEO_SCALE = 80.0
#: Longitude gaps wider than this (degrees) are cut out of the geographic view.
GEO_GAP = 30.0


def geo_positions(coords: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float, str]]:
    """Canvas (x, y) per node, and the longitude band it falls in."""
    order = sorted(coords, key=lambda n: coords[n][0])
    bands: list[list[str]] = []
    for node in order:
        if bands and coords[node][0] - coords[bands[-1][-1]][0] <= GEO_GAP:
            bands[-1].append(node)
        else:
            bands.append([node])
    out: dict[str, tuple[float, float, str]] = {}
    x0 = 0.0
    for band in bands:
        lons = [coords[n][0] for n in band]
        lats = [coords[n][1] for n in band]
        squeeze = math.cos(math.radians(sum(lats) / len(lats)))
        name = f"{_deg(min(lons), 'E', 'W')}–{_deg(max(lons), 'E', 'W')}"
        for node in band:
            lon, lat = coords[node]
            out[node] = (
                round(x0 + (lon - min(lons)) * GEO_SCALE * squeeze, 1),
                round(-lat * GEO_SCALE, 1),
                name,
            )
        x0 += (max(lons) - min(lons)) * GEO_SCALE * squeeze + 12 * GEO_SCALE
    return out


def _deg(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.0f}°{pos if value >= 0 else neg}"


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
