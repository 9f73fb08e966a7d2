"""The geographic view: cities at their coordinates, organisations around their city, and talent
flows drawn as a flow map.

At world zoom each city is a proportional symbol (its size grows with what it holds) at a
minimum size on screen, the organisations around it are folded into it, and a city whose symbol
would cover a more central one's is folded into that one; zooming in spreads them out again
(the page decides, frame by frame, from the zoom at which each ring fits: ``spread_at``).
Talent flows are painted by the page as curved arrows between the places holding their ends,
their width proportional to the researchers (or the share) they carry.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache
from typing import Any

import numpy as np

from aieco.errors import ViewError
from aieco.graph.containment import members_of, place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import PLACE_LEVELS, PLACE_TYPES, NodeType, RelType
from aieco.viz.builder import (
    DEFAULT_MAX_NODES,
    SizeBy,
    check_max_nodes,
    entities_of,
    keep_top,
    start_view,
    view_scores,
)
from aieco.viz.elements import label_of
from aieco.viz.layout import GEO_RADIUS, GEO_SCALE, geo_positions, separate
from aieco.viz.network import EcosystemNetwork, ViewMeta
from aieco.viz.outlines import outline_paths
from aieco.viz.talent_view import rolled_up_flows

_PLACE_VALUES = frozenset(t.value for t in PLACE_TYPES)
#: Preset frames of the map: name -> (lon0, lat0, lon1, lat1).
FRAMES: dict[str, tuple[float, float, float, float]] = {
    "World": (-170.0, -50.0, 180.0, 72.0),
    "United States": (-125.0, 24.0, -66.0, 50.0),
    "China": (73.0, 18.0, 135.0, 54.0),
    "Europe": (-11.0, 35.0, 32.0, 61.0),
}
#: The widest flow on the map, in screen pixels (widths are proportional to counts).
FLOW_WIDTH = 14.0


def geographic(
    eg: EcosystemGraph,
    *,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> EcosystemNetwork:
    """Cities at their coordinates, with organisations, sites and people around their city.

    Positions are fixed (physics off), in the Equal Earth projection, over country, US state
    and Chinese province outlines drawn in the same projection (see :mod:`aieco.viz.outlines`), so panning
    and zooming keep the map and the network together. Talent flows are drawn between the
    cities (or, without one, the states or countries) holding their two ends.
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
            "headquartered in, folded into it when zoomed out (a larger symbol holds more). "
            "Talent flows are purple arrows, their width proportional to the researchers they carry. "
            "Drag to pan, scroll to zoom."
        ),
        stats={"cities placed": len(located), "around them": f"{len(kept) - len(located):,}"},
    )
    if unplaced:
        meta.notices.append(
            f"{unplaced} entities have no place with a position (no city, state or country they are "
            "located in); they are left out of this view."
        )
    net, b = start_view(eg, meta, kept, total, scores, size_by)
    centres: dict[str, tuple[float, float]] = {}
    for city in located:
        centres[city] = positions[city]
    for place, (x, y, _) in anchors.items():
        if place in kept:
            centres[place] = (x, y)
    rings = {
        h: sorted((n for n in ms if n in kept), key=lambda n: (-scores.get(n, 0.0), n))
        for h, ms in around.items()
    }
    held = {h: len(rings.get(h, [])) for h in centres}
    # a place's symbol on screen at world zoom: 4 px, growing with the square root of what it holds
    min_px = {h: round(min(4.0 + 1.8 * math.sqrt(held[h]), 16.0), 1) for h in centres}
    member_xy, member_size, home_of = _rings(
        rings, centres, {n: min(b.size(n, base=5, span=16), 21) for r in rings.values() for n in r}
    )
    for city in located:
        x, y = centres[city]
        b.entity(city, x=x, y=y, physics=False, size=max(b.size(city), 14))
    for place, (x, y, n_cities) in anchors.items():
        if place in kept:
            b.entity(
                place,
                x=x,
                y=y,
                physics=False,
                size=12,
                note=f"drawn at the centre of its {n_cities} placed city(ies); it has no single point",
            )
    for node, (x, y) in member_xy.items():
        b.entity(node, x=x, y=y, physics=False, size=member_size[node], home=home_of[node])
    b.relations_among({n for n in kept if net.has_node(n)}, types=_NOT_FLOWS)
    places = sorted(centres, key=lambda h: (-max(float(net.node_map[h]["size"]), min_px[h] * 3), h))
    net.extras["geo"] = {
        "places": places,
        "min_px": min_px,
        "spread_at": _spread_at(centres, member_xy, member_size, home_of, min_px),
    }
    flows, off_map = _flow_map(eg, centres)
    net.extras["flows"] = flows
    if off_map:
        meta.notices.append(
            f"{off_map:,} talent flow(s) have an end with no position on the map (no city with "
            "coordinates in or around it); they are not drawn."
        )
    if flows:
        meta.stats["talent corridors on the map"] = sum(1 for f in flows if f["all"])
    net.extras["frames"] = _frames()
    lons = [float(G.nodes[n]["lon"]) for n in located]
    lats = [float(G.nodes[n]["lat"]) for n in located]
    margin = 12.0
    net.outlines = outline_paths(
        (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin), scale=GEO_RADIUS
    )
    return net


_NOT_FLOWS = frozenset(r.value for r in RelType if r is not RelType.TALENT_FLOW)


def _rings(
    rings: dict[str, list[str]], centres: dict[str, tuple[float, float]], sizes: dict[str, float]
) -> tuple[dict[str, tuple[float, float]], dict[str, float], dict[str, str]]:
    """Organisations on rings around their place, then pushed off each other and off every place
    (places do not move)."""
    ids: list[str] = list(centres)
    xy: list[tuple[float, float]] = [centres[h] for h in ids]
    radii: list[float] = [14.0] * len(ids)
    home_of: dict[str, str] = {}
    for home, ring in rings.items():
        if home not in centres:
            continue
        x, y = centres[home]
        radius = 26 + 9 * math.sqrt(len(ring))
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / max(len(ring), 1)
            ids.append(node)
            xy.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
            radii.append(sizes[node])
            home_of[node] = home
    fixed = np.array([i < len(centres) for i in range(len(ids))])
    moved = separate(np.array(xy, dtype=float), np.array(radii), gap=4.0, fixed=fixed)
    out = {
        node: (round(float(moved[i, 0]), 1), round(float(moved[i, 1]), 1))
        for i, node in enumerate(ids)
        if node in home_of
    }
    return out, {n: round(sizes[n], 2) for n in home_of}, home_of


def _spread_at(
    centres: dict[str, tuple[float, float]],
    member_xy: dict[str, tuple[float, float]],
    member_size: dict[str, float],
    home_of: dict[str, str],
    min_px: dict[str, float],
) -> dict[str, float]:
    """The zoom from which each place's ring is drawn: no place's symbol (at its minimum screen
    size) reaches an organisation of the ring from there on."""
    from scipy.spatial import cKDTree

    if not member_xy:
        return {}
    places = list(centres)
    tree = cKDTree(np.array([centres[p] for p in places]))
    need: dict[str, float] = {}
    k = min(8, len(places))
    for node, (x, y) in member_xy.items():
        dist, idx = tree.query((x, y), k=k)
        for d, i in zip(np.atleast_1d(dist), np.atleast_1d(idx), strict=True):
            room = float(d) - member_size[node] - 2.0
            scale = min_px[places[int(i)]] / room if room > 0 else 50.0
            need[home_of[node]] = max(need.get(home_of[node], 0.0), scale)
    return {h: round(s, 4) for h, s in need.items()}


def _flow_map(
    eg: EcosystemGraph, centres: dict[str, tuple[float, float]]
) -> tuple[list[dict[str, Any]], int]:
    """Talent flows between the positioned places holding their ends, twice: one arrow a
    corridor over every year (``all``: distinct researchers over the whole period) and one a
    corridor and year (the year slider picks them). Shares stay separate flows. Widths are
    proportional to the count on one scale for both."""
    G = eg.G
    raw = [(u, v, a) for u, v, a in G.edges(data=True) if a.get("type") == RelType.TALENT_FLOW.value]
    if not raw:
        return [], 0

    @cache  # each end is asked three times: every year, each year, and whether it is on the map
    def place_of(node: str) -> str | None:
        """The node if it has a position, else the nearest positioned place holding it (never a
        finer one: a country does not become the region of Europe)."""
        if node in centres:
            return node
        kind = str(G.nodes[node].get("type"))
        levels = PLACE_LEVELS[PLACE_LEVELS.index(kind) + 1 :] if kind in PLACE_LEVELS else PLACE_LEVELS
        for level in levels:
            p = place_at_level(G, node, level)
            if p in centres:
                return p
        return None

    timeless = [(u, v, {k: x for k, x in a.items() if k != "year"}) for u, v, a in raw]
    overall = rolled_up_flows(eg, timeless, "City", place_of=place_of)
    yearly = rolled_up_flows(eg, raw, "City", place_of=place_of)
    counts = [float(a["count"]) for _, _, a in overall if a.get("count") is not None]
    top = max(counts, default=1.0) or 1.0
    out = [_flow(G, centres, u, v, a, top, every_year=True) for u, v, a in overall]
    out += [_flow(G, centres, u, v, a, top, every_year=False) for u, v, a in yearly]
    out.sort(key=lambda f: (not f["all"], -float(f.get("count", f.get("share", 0.0)))))
    unplaced = sum(1 for u, v, _ in raw if place_of(u) is None or place_of(v) is None)
    return out, unplaced


def _flow(
    G: Any,
    centres: dict[str, tuple[float, float]],
    u: str,
    v: str,
    a: dict[str, Any],
    top: float,
    *,
    every_year: bool,
) -> dict[str, Any]:
    (x0, y0), (x1, y1) = centres[u], centres[v]
    flow: dict[str, Any] = {"from": u, "to": v, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "all": every_year}
    what = f"{label_of(G.nodes[u], u)} → {label_of(G.nodes[v], v)}"
    if a.get("count") is not None:
        count = float(a["count"])
        flow |= {"count": count, "width": round(max(FLOW_WIDTH * count / top, 1.0), 3)}
        what += f": {count:,.0f} researcher(s)"
    else:
        share = float(a.get("share") or 0.0)
        flow |= {"share": share, "width": round(max(FLOW_WIDTH * share, 1.0), 3), "dashes": True}
        what += f": {share:.0%} share"
    year = a.get("year")
    if year is not None:
        flow |= {"start": int(year), "end": int(year)}
        what += f" ({int(year)})"
    elif every_year and a.get("count") is not None:
        what += " (every year the data give)"
    flow["title"] = what + (f" · source: {a['source']}" if a.get("source") else "")
    return flow


def _frames() -> list[dict[str, Any]]:
    """The preset frames as canvas boxes (the projection of each box's edge)."""
    out = []
    for name, (lon0, lat0, lon1, lat1) in FRAMES.items():
        steps = [i / 8 for i in range(9)]
        edge = [(lon0 + (lon1 - lon0) * t, lat) for t in steps for lat in (lat0, lat1)]
        edge += [(lon, lat0 + (lat1 - lat0) * t) for t in steps for lon in (lon0, lon1)]
        xy = list(geo_positions({str(i): p for i, p in enumerate(edge)}).values())
        xs, ys = [p[0] for p in xy], [p[1] for p in xy]
        out.append({"name": name, "x0": min(xs), "y0": min(ys), "x1": max(xs), "y1": max(ys)})
    return out
