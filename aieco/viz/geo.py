"""The geographic view: cities at their coordinates, organisations around their city."""

from __future__ import annotations

import math
from collections import defaultdict

from aieco.errors import ViewError
from aieco.graph.containment import members_of, place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import PLACE_LEVELS, PLACE_TYPES, NodeType
from aieco.viz.builder import (
    DEFAULT_MAX_NODES,
    SizeBy,
    check_max_nodes,
    entities_of,
    keep_top,
    start_view,
    view_scores,
)
from aieco.viz.layout import GEO_RADIUS, GEO_SCALE, geo_positions
from aieco.viz.network import EcosystemNetwork, ViewMeta
from aieco.viz.outlines import outline_paths

_PLACE_VALUES = frozenset(t.value for t in PLACE_TYPES)


def geographic(
    eg: EcosystemGraph,
    *,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> EcosystemNetwork:
    """Cities at their coordinates, with organisations, sites and people around their city.

    Positions are fixed (physics off), in the Equal Earth projection, over country, US state
    and Chinese province outlines drawn in the same projection (see :mod:`aieco.viz.outlines`), so panning
    and zooming keep the map and the network together.
    """
    check_max_nodes(max_nodes)
    G = eg.G
    located = [n for n in entities_of(eg) if G.nodes[n].get("lat") is not None]
    if not located:
        raise ViewError("no entity in the graph has coordinates (lat/lon with a coord_source)")
    positions = geo_positions({n: (float(G.nodes[n]["lon"]), float(G.nodes[n]["lat"])) for n in located})
    # Regions and countries have no single point: they are drawn at the centre of their cities.
    anchors: dict[str, tuple[float, float, int]] = {}
    for place in entities_of(eg, [NodeType.REGION.value, NodeType.COUNTRY.value]):
        inside = [c for c in members_of(G, place) if c in positions]
        if inside:
            x = sum(positions[c][0] for c in inside) / len(inside)
            y = sum(positions[c][1] for c in inside) / len(inside)
            anchors[place] = (round(x, 1), round(y + 0.6 * GEO_SCALE, 1), len(inside))
    around: dict[str, list[str]] = defaultdict(list)
    unplaced = 0
    for node in entities_of(eg):
        if node in positions or node in anchors or G.nodes[node]["type"] in _PLACE_VALUES:
            continue
        home = next(
            (
                p
                for p in (place_at_level(G, node, level) for level in PLACE_LEVELS)
                if p and (p in positions or p in anchors)
            ),
            None,
        )
        if home:
            around[home].append(node)
        else:
            unplaced += 1
    scores = view_scores(eg, size_by)
    candidates = located + list(anchors) + [n for ns in around.values() for n in ns]
    kept, total = keep_top(candidates, scores, max_nodes, pinned=located)
    meta = ViewMeta(
        view="geo",
        title="Where the ecosystem sits: cities on the map",
        description=(
            "Cities at their longitude and latitude (coordinates from GeoNames, cited per city), on "
            "outlines of countries, US states and China's provinces (Natural Earth; US Census) in the "
            "Equal Earth projection; "
            "states, provinces and countries at the centre of their cities (hexagons, just below it); "
            "organisations, parks, compute centres and people around the place they are located or "
            "headquartered in. Drag to pan, scroll to zoom."
        ),
        stats={"cities placed": len(located), "around them": f"{len(kept) - len(located):,}"},
        physics=False,
    )
    if unplaced:
        meta.notices.append(
            f"{unplaced} entities have no place with a position (no city, state or country they are "
            "located in); they are left out of this view."
        )
    net, b = start_view(eg, meta, kept, total, scores, size_by)
    centres: dict[str, tuple[float, float]] = {}
    for city in located:
        x, y = positions[city]
        centres[city] = (x, y)
        b.entity(city, x=x, y=y, physics=False, size=max(b.size(city), 14))
    for place, (x, y, n_cities) in anchors.items():
        if place in kept:
            centres[place] = (x, y)
            b.entity(
                place,
                x=x,
                y=y,
                physics=False,
                size=12,
                note=f"drawn at the centre of its {n_cities} placed city(ies); it has no single point",
            )
    for home, members in around.items():
        if home not in centres:
            continue
        x, y = centres[home]
        ring = sorted((n for n in members if n in kept), key=lambda n: (-scores.get(n, 0.0), n))
        radius = 26 + 9 * math.sqrt(len(ring))
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / max(len(ring), 1)
            b.entity(
                node,
                x=round(x + radius * math.cos(angle), 1),
                y=round(y + radius * math.sin(angle), 1),
                physics=False,
                size=min(b.size(node, base=5, span=16), 21),
            )
    b.relations_among({n for n in kept if net.has_node(n)})
    lons = [float(G.nodes[n]["lon"]) for n in located]
    lats = [float(G.nodes[n]["lat"]) for n in located]
    margin = 12.0
    net.outlines = outline_paths(
        (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin), scale=GEO_RADIUS
    )
    return net
