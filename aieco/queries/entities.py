"""Queries about single entities: profile, degree, paths, models, lineage."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import ENTITY_TYPES
from aieco.queries.base import Param, Query, as_frame
from aieco.queries.nxcommon import DERIVED, degrees, entity_graph, name, place_at_level, relationships

ENTITY_TYPE_CHOICES = ("", *sorted(t.value for t in ENTITY_TYPES))


def _profile(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, e = eg.G, p["entity"]
    rows = []
    if e in G:
        for u, v, _, a in relationships(G):
            if e not in (u, v):
                continue
            other, direction = (v, "out") if u == e else (u, "in")
            rows.append(
                {
                    "direction": direction,
                    "relation": a["type"],
                    "neighbour": other,
                    "neighbour_type": G.nodes[other]["type"],
                    "neighbour_name": name(G, other),
                    "year": a.get("year"),
                    "source": a.get("source"),
                }
            )
    return as_frame(rows, PROFILE.columns)


PROFILE = Query(
    name="entity_profile",
    question="What is this entity connected to, by which relation, and on whose word?",
    params=(Param("entity", "entity", "iflytek", "Entity id (see `aieco search`)."),),
    columns=("direction", "relation", "neighbour", "neighbour_type", "neighbour_name", "year", "source"),
    order_by=(("direction", False), ("relation", True), ("neighbour", True)),
    networkx=_profile,
    examples=({"entity": "shenzhen"},),
)


def _top_degree(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    deg = degrees(G, p["direction"])
    rows = [
        {"id": n, "type": G.nodes[n]["type"], "name": name(G, n), "degree": d}
        for n, d in deg.items()
        if not p["type"] or G.nodes[n]["type"] == p["type"]
    ]
    rows.sort(key=lambda r: (-r["degree"], r["id"]))
    return as_frame(rows[: p["top"]], TOP_DEGREE.columns)


TOP_DEGREE = Query(
    name="top_by_degree",
    question="Which entities have the most relationships (in, out or in total)?",
    params=(
        Param("direction", "choice", "total", "in, out or total.", choices=("in", "out", "total")),
        Param("type", "choice", "", "Only this entity type (empty: all).", choices=ENTITY_TYPE_CHOICES),
        Param("top", "int", 20, "How many rows.", minimum=1),
    ),
    columns=("id", "type", "name", "degree"),
    order_by=(("degree", False), ("id", True)),
    networkx=_top_degree,
    examples=(
        {"direction": "in", "type": "City", "top": 10},
        {"direction": "out", "type": "Company", "top": 5},
    ),
)


def _shortest_path(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    H = entity_graph(G)
    s, t = p["source"], p["target"]
    if s not in H or t not in H:
        return as_frame([], SHORTEST_PATH.columns)
    try:
        path = min(nx.all_shortest_paths(H, s, t))
    except nx.NetworkXNoPath:
        return as_frame([], SHORTEST_PATH.columns)
    if len(path) - 1 > 15:
        return as_frame([], SHORTEST_PATH.columns)
    rows = []
    for i, node in enumerate(path):
        relation = None
        if i + 1 < len(path):
            nxt = path[i + 1]
            both = [
                *G.get_edge_data(node, nxt, default={}).values(),
                *G.get_edge_data(nxt, node, default={}).values(),
            ]
            relation = min(a["type"] for a in both if a["type"] not in DERIVED)
        rows.append(
            {
                "step": i,
                "id": node,
                "type": G.nodes[node]["type"],
                "name": name(G, node),
                "relation": relation,
            }
        )
    return as_frame(rows, SHORTEST_PATH.columns)


SHORTEST_PATH = Query(
    name="shortest_path",
    question="How are two entities connected, by the fewest relationships (up to 15)?",
    params=(
        Param("source", "entity", "iflytek", "Start entity id."),
        Param("target", "entity", "openai", "End entity id."),
    ),
    columns=("step", "id", "type", "name", "relation"),
    order_by=(("step", True),),
    networkx=_shortest_path,
    examples=({"source": "hefei", "target": "stanford"}, {"source": "intel", "target": "shockley-semi"}),
)


def _models(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for u, v, _, a in relationships(G):
        if a["type"] != "DEVELOPS" or (p["developer_type"] and G.nodes[u]["type"] != p["developer_type"]):
            continue
        rows.append(
            {
                "model": v,
                "model_name": name(G, v),
                "developer": u,
                "developer_name": name(G, u),
                "developer_type": G.nodes[u]["type"],
                "city": place_at_level(G, u, "City"),
            }
        )
    return as_frame(rows, MODELS.columns)


MODELS = Query(
    name="models_by_company",
    question="Which AI models does each developer ship, and from which city?",
    params=(
        Param(
            "developer_type",
            "choice",
            "",
            "Only developers of this type (empty: all).",
            choices=ENTITY_TYPE_CHOICES,
        ),
    ),
    columns=("model", "model_name", "developer", "developer_name", "developer_type", "city"),
    order_by=(("developer", True), ("model", True)),
    networkx=_models,
    examples=({"developer_type": "Company"},),
)


def _lineage(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, c = eg.G, p["company"]
    if c not in G:
        return as_frame([], LINEAGE.columns)
    rows = [{"id": c, "name": name(G, c), "generation": 0}]

    def parents(n: str) -> list[str]:
        return [v for _, v, t in G.out_edges(n, data="type") if t == "SPUN_OFF_FROM"]

    def children(n: str) -> list[str]:
        return [u for u, _, t in G.in_edges(n, data="type") if t == "SPUN_OFF_FROM"]

    for sign, step in ((1, parents), (-1, children)):
        seen = {c: 0}
        queue = deque([c])
        while queue:
            n = queue.popleft()
            if seen[n] == 10:
                continue
            for m in step(n):
                if m not in seen:
                    seen[m] = seen[n] + 1
                    queue.append(m)
                    rows.append({"id": m, "name": name(G, m), "generation": sign * seen[m]})
    return as_frame(rows, LINEAGE.columns)


LINEAGE = Query(
    name="spinoff_lineage",
    question="Which companies did this one spin off from, and which spun off from it (generations)?",
    params=(Param("company", "entity", "intel", "Company id."),),
    columns=("id", "name", "generation"),
    order_by=(("generation", False), ("id", True)),
    networkx=_lineage,
    examples=({"company": "paypal"}, {"company": "shockley-semi"}),
)

QUERIES = (PROFILE, TOP_DEGREE, SHORTEST_PATH, MODELS, LINEAGE)
