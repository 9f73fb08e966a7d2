"""Exports for other tools that draw: GEXF for Gephi (with time), GeoJSON for GIS tools.

* **GEXF 1.3** (:func:`write_gexf`): entities and hand-written relationships with typed
  attributes; an entity or relationship with years carries them as its spell (``start`` =
  ``period_start`` or ``year``, ``end`` = ``period_end``), so Gephi's timeline shows the ecosystem
  as of a year; each node has its type's colour from the views' palette.
* **GeoJSON** (RFC 7946, :func:`write_geojson`): entities with coordinates as Points, organisations,
  sites and people at the coordinates of the nearest place that has them (the property
  ``coordinates_of`` says which), and every relationship between two such entities as a
  LineString ([longitude, latitude], WGS 84).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from aieco.atomic import atomic_path, write_text
from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import DERIVED_RELS, ENTITY_TYPES, LIST_FIELDS, PLACE_LEVELS
from aieco.viz.style import node_style

#: Every format ``aieco export`` writes (the graph's own three, and these two).
ExportFormatAll = Literal["json", "graphml", "csv", "gexf", "geojson"]

_ENTITIES = frozenset(t.value for t in ENTITY_TYPES)
_DERIVED = frozenset(r.value for r in DERIVED_RELS)


def _plain(key: str, value: Any) -> Any:
    if key in LIST_FIELDS or isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return value


def _spell(attrs: dict[str, Any]) -> dict[str, int]:
    start = attrs.get("period_start", attrs.get("year"))
    end = attrs.get("period_end")
    out = {}
    if start is not None:
        out["start"] = int(start)
    if end is not None:
        out["end"] = int(end)
    return out


def _rgb(hex_color: str) -> dict[str, Any]:
    value = hex_color.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": 1.0}


def gexf_graph(eg: EcosystemGraph) -> nx.MultiDiGraph:
    """The graph as GEXF wants it: entities, relationships, spells and colours."""
    H = nx.MultiDiGraph()
    for node, attrs in eg.G.nodes(data=True):
        if attrs.get("type") not in _ENTITIES:
            continue
        data = {k: _plain(k, v) for k, v in attrs.items() if v is not None}
        data["label"] = str(attrs.get("name_en") or node)
        data["viz"] = {"color": _rgb(node_style(str(attrs["type"])).color)}
        H.add_node(node, **data, **_spell(attrs))
    for u, v, key, attrs in eg.G.edges(keys=True, data=True):
        if attrs.get("type") in _DERIVED or u not in H or v not in H:
            continue
        data = {k: _plain(k, x) for k, x in attrs.items() if x is not None}
        if attrs.get("count") is not None or attrs.get("share") is not None:
            data["weight"] = float(attrs.get("count") or attrs.get("share") or 1.0)
        H.add_edge(u, v, key=key, **data, **_spell(attrs))
    return H


def write_gexf(eg: EcosystemGraph, path: str | Path, *, force: bool = False) -> Path:
    """Write GEXF 1.3 (dynamic where the data have years)."""
    with atomic_path(path, force=force) as tmp:
        nx.write_gexf(gexf_graph(eg), tmp, version="1.3")
    return Path(path)


def _located(eg: EcosystemGraph) -> dict[str, tuple[float, float, str]]:
    G = eg.G
    own = {
        n: (float(a["lon"]), float(a["lat"]), n) for n, a in G.nodes(data=True) if a.get("lat") is not None
    }
    out = dict(own)
    for node, kind in G.nodes(data="type"):
        if node in out or kind not in _ENTITIES:
            continue
        for level in PLACE_LEVELS:
            place = place_at_level(G, node, level)
            if place in own:
                out[node] = own[place]
                break
    return out


def geojson_collection(eg: EcosystemGraph) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of located entities and the relationships between them."""
    G = eg.G
    where = _located(eg)
    features: list[dict[str, Any]] = []
    for node, (lon, lat, of) in sorted(where.items()):
        attrs = G.nodes[node]
        props = {"id": node, **{k: _plain(k, v) for k, v in attrs.items() if v is not None}}
        props["coordinates_of"] = of
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}
        )
    for u, v, key, attrs in G.edges(keys=True, data=True):
        if attrs.get("type") in _DERIVED or u not in where or v not in where or where[u][:2] == where[v][:2]:
            continue
        props = {
            "id": key,
            "from": u,
            "to": v,
            **{k: _plain(k, x) for k, x in attrs.items() if x is not None},
        }
        line = [[where[u][0], where[u][1]], [where[v][0], where[v][1]]]
        features.append(
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": line}, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(eg: EcosystemGraph, path: str | Path, *, force: bool = False) -> Path:
    """Write RFC 7946 GeoJSON (UTF-8, coordinates as [longitude, latitude])."""
    text = json.dumps(geojson_collection(eg), ensure_ascii=False, allow_nan=False, default=str)
    return write_text(path, text + "\n", force=force)
