"""Queries about places: ecosystems, density, concentration, roll-ups, infrastructure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import PLACE_LEVELS
from aieco.metrics.concentration import concentration_stats
from aieco.metrics.density import city_density
from aieco.metrics.indicators import model_year
from aieco.queries.base import Param, Query, as_frame
from aieco.queries.entities import ENTITY_TYPE_CHOICES
from aieco.queries.nxcommon import degrees, members_of, name, place_at_level

LEVELS = PLACE_LEVELS
_LEVEL = Param("level", "choice", "City", "Place level: City, Region or Country.", choices=LEVELS)


def _city_ecosystem(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, c = eg.G, p["city"]
    if c not in G:
        return as_frame([], CITY_ECOSYSTEM.columns)
    rows = [
        {
            "id": n,
            "type": G.nodes[n]["type"],
            "name": name(G, n),
            "hops": h,
            "source": G.nodes[n].get("source"),
        }
        for n, h in members_of(G, c).items()
    ]
    return as_frame(rows, CITY_ECOSYSTEM.columns)


CITY_ECOSYSTEM = Query(
    name="city_ecosystem",
    question="What is located in this place (directly, or in its parks and districts), by type, and on "
    "which source's word (a recipe's tables: what the region holds from each source)?",
    params=(Param("city", "entity", "shenzhen", "Place id (usually a City)."),),
    columns=("id", "type", "name", "hops", "source"),
    order_by=(("type", True), ("id", True)),
    networkx=_city_ecosystem,
    examples=({"city": "shanghai"}, {"city": "bay-area"}),
)


def _density(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    rows = city_density(eg, min_entities=p["min_entities"])
    rows.sort(key=lambda r: (-r["entities"], -r["types"], r["city"]))
    return as_frame(rows[: p["top"]], DENSITY.columns)


DENSITY = Query(
    name="ecosystem_density",
    question="Which cities have the densest, most diverse AI ecosystems, and how open are they?",
    params=(
        Param("top", "int", 20, "How many cities.", minimum=1),
        Param("min_entities", "int", 1, "Only cities with at least this many entities.", minimum=1),
    ),
    columns=(
        "city",
        "name",
        "entities",
        "types",
        "diversity",
        "internal_links",
        "outside_links",
        "density",
        "outside_share",
    ),
    order_by=(("entities", False), ("types", False), ("city", True)),
    networkx=_density,
    examples=({"top": 5, "min_entities": 3},),
)


def _members(G: Any, ranking: str) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    for u, _, a in G.in_edges(ranking, data=True):
        if a["type"] in ("LISTED_IN", "MEMBER_OF"):
            weights[u] += a["count"] if a.get("count") is not None else 1
    return weights


def _concentration(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, k = eg.G, p["ranking"]
    if k not in G:
        return as_frame([], CONCENTRATION.columns)
    per_place: dict[str, float] = defaultdict(float)
    unplaced = 0
    members = _members(G, k)
    for m, w in members.items():
        place = place_at_level(G, m, p["level"])
        if place is None:
            unplaced += 1
        else:
            per_place[place] += w
    stats = concentration_stats(list(per_place.values()), p["top_n"])
    row = {
        "ranking": k,
        "level": p["level"],
        "members": len(members),
        "unplaced": unplaced,
        "places": len(per_place),
        **stats,
    }
    return as_frame([row], CONCENTRATION.columns)


CONCENTRATION = Query(
    name="concentration",
    question="How concentrated are a ranking's members over places (top-N share, HHI, Gini)?",
    params=(
        Param(
            "ranking",
            "entity",
            "forbes-ai50-2023",
            "Ranking or group id; members weigh their count (else 1).",
        ),
        Param("level", "choice", "Region", "Place level: City, Region or Country.", choices=LEVELS),
        Param("top_n", "int", 1, "N of the top-N share.", minimum=1),
    ),
    columns=("ranking", "level", "members", "unplaced", "places", "total", "top_n_share", "hhi", "gini"),
    order_by=(("ranking", True),),
    networkx=_concentration,
    examples=(
        {"ranking": "open-platforms-2019", "level": "City", "top_n": 2},
        {"ranking": "llm-std-group", "level": "City", "top_n": 1},
    ),
)


def _ranking_geography(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, k = eg.G, p["ranking"]
    rows = []
    if k in G:
        for u, _, a in G.in_edges(k, data=True):
            if a["type"] not in ("LISTED_IN", "MEMBER_OF"):
                continue
            place = place_at_level(G, u, p["level"])
            rows.append(
                {
                    "member": u,
                    "member_name": name(G, u),
                    "member_type": G.nodes[u]["type"],
                    "rank": a.get("rank"),
                    "count": a.get("count"),
                    "role": a.get("role"),
                    "year": a.get("year"),
                    "place": place,
                    "place_name": name(G, place),
                }
            )
    return as_frame(rows, RANKING_GEOGRAPHY.columns)


RANKING_GEOGRAPHY = Query(
    name="ranking_geography",
    question="Where are the members of a ranking or group (their city, region or country)?",
    params=(Param("ranking", "entity", "open-platforms-2017", "Ranking or group id."), _LEVEL),
    columns=("member", "member_name", "member_type", "rank", "count", "role", "year", "place", "place_name"),
    order_by=(("rank", True), ("member", True)),
    networkx=_ranking_geography,
    examples=({"ranking": "forbes-ai50-2023", "level": "Country"}, {"ranking": "open-platforms-2019"}),
)


def _places(G: Any, level: str) -> list[str]:
    return [n for n, t in G.nodes(data="type") if t == level]


def _degree_rollup(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    deg = degrees(G, "total")
    rows: list[dict[str, Any]] = []
    for place in _places(G, p["level"]):
        members = list(members_of(G, place))
        if not members:
            continue
        values = [deg[m] for m in members]
        rows.append(
            {
                "place": place,
                "name": name(G, place),
                "members": len(values),
                "degree_sum": sum(values),
                "degree_mean": sum(values) / len(values),
                "degree_max": max(values),
            }
        )
    rows.sort(key=lambda r: (-r["degree_sum"], r["place"]))
    return as_frame(rows[: p["top"]], DEGREE_ROLLUP.columns)


DEGREE_ROLLUP = Query(
    name="place_degree_rollup",
    question="Which places hold the best-connected entities (sum, mean and max of members' degree)?",
    params=(_LEVEL, Param("top", "int", 20, "How many places.", minimum=1)),
    columns=("place", "name", "members", "degree_sum", "degree_mean", "degree_max"),
    order_by=(("degree_sum", False), ("place", True)),
    networkx=_degree_rollup,
    examples=({"level": "Country", "top": 5},),
)


def _compute(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    found: dict[str | None, list[str]] = defaultdict(list)
    for n, t in G.nodes(data="type"):
        if t == "ComputeCenter":
            found[place_at_level(G, n, p["level"])].append(n)
    rows = [
        {"place": place, "name": name(G, place), "compute_centres": len(ids), "ids": "|".join(sorted(ids))}
        for place, ids in found.items()
    ]
    return as_frame(rows, COMPUTE.columns)


COMPUTE = Query(
    name="compute_by_place",
    question="Where are the compute centres (by city, region or country)?",
    params=(_LEVEL,),
    columns=("place", "name", "compute_centres", "ids"),
    order_by=(("compute_centres", False), ("place", True)),
    networkx=_compute,
    examples=({"level": "Country"},),
)


def _talent_engine(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows: list[dict[str, Any]] = []
    for c in _places(G, p["level"]):
        kinds = Counter(G.nodes[m]["type"] for m in members_of(G, c))
        uni, co, lab = kinds["University"], kinds["Company"], kinds["ResearchLab"]
        if uni + co + lab == 0:
            continue
        rows.append(
            {
                "place": c,
                "name": name(G, c),
                "universities": uni,
                "research_labs": lab,
                "companies": co,
                "companies_per_university": co / uni if uni else None,
            }
        )
    rows.sort(key=lambda r: (-r["universities"], -r["companies"], r["place"]))
    return as_frame(rows[: p["top"]], TALENT_ENGINE.columns)


TALENT_ENGINE = Query(
    name="talent_engine",
    question="Which places pair universities and labs with companies (the talent engine)?",
    params=(_LEVEL, Param("top", "int", 20, "How many places.", minimum=1)),
    columns=("place", "name", "universities", "research_labs", "companies", "companies_per_university"),
    order_by=(("universities", False), ("companies", False), ("place", True)),
    networkx=_talent_engine,
    examples=({"level": "Region", "top": 10},),
)


def _place_rollup(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for place, t in G.nodes(data="type"):
        if t not in LEVELS:
            continue
        count = sum(1 for m in members_of(G, place) if G.nodes[m]["type"] == p["type"])
        if count:
            rows.append({"place": place, "place_type": t, "name": name(G, place), "count": count})
    return as_frame(rows, PLACE_ROLLUP.columns)


PLACE_ROLLUP = Query(
    name="place_rollup",
    question="How many entities of a type does each city, region and country hold (rolled up)?",
    params=(Param("type", "choice", "Company", "Entity type to count.", choices=ENTITY_TYPE_CHOICES[1:]),),
    columns=("place", "place_type", "name", "count"),
    order_by=(("count", False), ("place", True)),
    networkx=_place_rollup,
    examples=({"type": "University"}, {"type": "ComputeCenter"}),
)


def _models_by_place(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, level = eg.G, p["level"]
    held: dict[str, set[str]] = defaultdict(set)
    for d, m, t in G.edges(data="type"):
        if t != "DEVELOPS" or G.nodes[m].get("type") != "AIModel":
            continue
        place = d if G.nodes[d].get("type") == level else place_at_level(G, d, level)
        if place:
            held[place].add(m)
    rows: list[dict[str, Any]] = []
    for place, models in held.items():
        years = [y for y in (model_year(G.nodes[m]) for m in models) if y is not None]
        rows.append(
            {
                "place": place,
                "name": name(G, place),
                "models": len(models),
                "first_year": min(years, default=None),
                "last_year": max(years, default=None),
            }
        )
    rows.sort(key=lambda r: (-r["models"], r["place"]))
    return as_frame(rows[: p["top"]], MODELS_BY_PLACE.columns)


MODELS_BY_PLACE = Query(
    name="models_by_place",
    question="Which cities, regions or countries develop the most AI models (each model once per place)?",
    params=(
        Param("level", "choice", "Country", "Place level: City, Region or Country.", choices=LEVELS),
        Param("top", "int", 20, "At most this many places.", minimum=1),
    ),
    columns=("place", "name", "models", "first_year", "last_year"),
    order_by=(("models", False), ("place", True)),
    networkx=_models_by_place,
    examples=({"level": "City"},),
)

QUERIES = (
    MODELS_BY_PLACE,
    CITY_ECOSYSTEM,
    DENSITY,
    CONCENTRATION,
    RANKING_GEOGRAPHY,
    DEGREE_ROLLUP,
    COMPUTE,
    TALENT_ENGINE,
    PLACE_ROLLUP,
)
