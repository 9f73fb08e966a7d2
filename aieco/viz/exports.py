"""Exports for other tools that draw: GEXF for Gephi (with time), GeoJSON for GIS tools, JSON
for VOSviewer.

* **GEXF 1.3** (:func:`write_gexf`): entities and hand-written relationships with typed
  attributes; an entity or relationship with years carries them as its spell (``start`` =
  ``period_start`` or ``year``, ``end`` = ``period_end``), so Gephi's timeline shows the ecosystem
  as of a year; each node has its type's colour from the views' palette.
* **GeoJSON** (RFC 7946, :func:`write_geojson`): entities with coordinates as Points, organisations,
  sites and people at the coordinates of the nearest place that has them (the property
  ``coordinates_of`` says which), and every relationship between two such entities as a
  LineString ([longitude, latitude], WGS 84).
* **VOSviewer JSON** (:func:`write_vosviewer`), the format documented at
  https://app.vosviewer.com/docs/file-types/json-file-type/: one item per entity (label,
  ``description`` — HTML, escaped, with the entity's names in every script and the source it comes
  from with its quoted sentence —, ``url``, ``cluster`` — its community —, ``weights`` ``Links``
  and ``Total link strength``, ``scores`` ``Year`` where it has one), one link per pair of
  entities joined by hand-written relationships (``strength``: how many), and one cluster per
  community, labelled by its three most linked members; open it in VOSviewer Online.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from aieco.atomic import atomic_path, write_text
from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import EXPORT_FORMATS, export_graph
from aieco.graph.schema import DERIVED_RELS, ENTITY_TYPES, LIST_FIELDS, PLACE_LEVELS
from aieco.viz.style import node_style

#: Every format ``aieco export`` writes (the graph's own three, and these two).
ExportFormatAll = Literal["json", "graphml", "csv", "gexf", "geojson", "vosviewer"]

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


def vosviewer_network(eg: EcosystemGraph, *, seed: int = 0) -> dict[str, Any]:
    """The graph as a VOSviewer JSON object (see the module)."""
    from aieco.metrics.communities import communities
    from aieco.viz.elements import label_of, tooltip_html

    G = eg.G
    strength: dict[tuple[str, str], int] = {}
    for u, v, kind in G.edges(data="type"):
        if kind in _DERIVED or u == v or u not in G or G.nodes[u].get("type") not in _ENTITIES:
            continue
        if G.nodes[v].get("type") not in _ENTITIES:
            continue
        key = (u, v) if u < v else (v, u)
        strength[key] = strength.get(key, 0) + 1
    H = nx.Graph()
    H.add_nodes_from(n for n, t in G.nodes(data="type") if t in _ENTITIES)
    H.add_weighted_edges_from((u, v, w) for (u, v), w in strength.items())
    found = communities(H, seed=seed) if H.number_of_edges() else None
    groups = sorted(found.groups, key=lambda g: (-len(g), min(g))) if found else [set(H)]
    cluster = {n: min(i, 999) + 1 for i, group in enumerate(groups) for n in group}
    total = dict(H.degree(weight="weight"))
    items = []
    for n in sorted(H):
        attrs = G.nodes[n]
        item: dict[str, Any] = {
            "id": n,
            "label": label_of(attrs, n, limit=80),
            "description": tooltip_html(eg, n),
            "cluster": cluster[n],
            "weights": {"Links": H.degree(n), "Total link strength": total[n]},
        }
        url = attrs.get("url") or (G.nodes[attrs["source"]].get("url") if attrs.get("source") in G else None)
        if url:
            item["url"] = str(url)
        year = attrs.get("period_start", attrs.get("year"))
        if year is not None:
            item["scores"] = {"Year": int(year)}
        items.append(item)
    links = [{"source_id": u, "target_id": v, "strength": w} for (u, v), w in sorted(strength.items())]
    clusters = []
    for i, group in enumerate(groups[:999], start=1):
        top = sorted(group, key=lambda n: (-total.get(n, 0), n))[:3]
        clusters.append({"cluster": i, "label": ", ".join(label_of(G.nodes[n], n) for n in top)})
    return {"network": {"items": items, "links": links, "clusters": clusters}}


def write_vosviewer(eg: EcosystemGraph, path: str | Path, *, force: bool = False) -> Path:
    """Write the graph as VOSviewer JSON (whole, or not at all)."""
    text = json.dumps(vosviewer_network(eg), ensure_ascii=False, indent=1)
    return write_text(path, text + "\n", force=force)


def _own(fmt: str) -> Callable[[EcosystemGraph, Path, bool], list[Path]]:
    """The writer of one of the graph's own formats (:func:`aieco.graph.io.export_graph`)."""

    def write(eg: EcosystemGraph, out: Path, force: bool) -> list[Path]:
        return export_graph(eg, out, fmt=fmt, force=force)  # type: ignore[arg-type]

    return write


#: The one registry of export formats: each format's writer, ``(graph, out, force) -> files``.
EXPORTERS: dict[str, Callable[[EcosystemGraph, Path, bool], list[Path]]] = {
    **{fmt: _own(fmt) for fmt in EXPORT_FORMATS},
    "gexf": lambda eg, out, force: [write_gexf(eg, out, force=force)],
    "geojson": lambda eg, out, force: [write_geojson(eg, out, force=force)],
    "vosviewer": lambda eg, out, force: [write_vosviewer(eg, out, force=force)],
}


def export(eg: EcosystemGraph, out: str | Path, *, fmt: ExportFormatAll, force: bool = False) -> list[Path]:
    """Write the graph to ``out`` (a folder for ``csv``, else a file) in any format of
    :data:`EXPORTERS`; return the files written. ``aieco export`` and ``aieco neo4j pull --out``
    both write through here."""
    return EXPORTERS[fmt](eg, Path(out), force)
