"""What each place holds and how it connects: the indicators of the ecosystem report, the place
typology and composite indexes.

Per place at a level (city, region, country), from the graph alone:

=======================  ==========================================================================
``organisations``        companies, universities, labs and government bodies located or
                         headquartered in it (containment, up to 4 hops)
``companies``            of which companies
``universities_labs``    of which universities and research labs
``sites``                parks and compute centres in it
``models``               AI models developed by its organisations (``DEVELOPS``), or located in it
``org_pagerank``         its organisations' PageRank on the organisation network, added up
``talent_in``,           distinct researchers arriving, leaving, and the difference (counted flows,
``talent_out``,          :func:`aieco.metrics.corridors.circulation`)
``talent_net``
``collaborations``       collaboration and partnership relationships touching its organisations
                         (a relationship's ``count`` when given, else 1)
``listings``             places in rankings and lists: the place's own and its members' listings
                         (``LISTED_IN``, ``MEMBER_OF`` a ranking)
=======================  ==========================================================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from aieco.graph.containment import members_by_place
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import ORG_VALUES, NodeType
from aieco.metrics.corridors import circulation

INDICATORS: tuple[str, ...] = (
    "organisations",
    "companies",
    "universities_labs",
    "sites",
    "models",
    "org_pagerank",
    "talent_in",
    "talent_out",
    "talent_net",
    "collaborations",
    "listings",
)
_SITES = frozenset({NodeType.PARK.value, NodeType.COMPUTE_CENTER.value})
_LINKS = frozenset({"COLLABORATES_WITH", "PARTNERS_WITH"})


def place_indicators(
    eg: EcosystemGraph, level: str = "City", *, org_scores: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """One row per place of ``level`` holding an organisation or a counted flow (see the module).

    ``org_scores`` are the organisations' scores to add up (PageRank on the organisation
    network in the ecosystem report); without, ``org_pagerank`` is 0.
    """
    G = eg.G
    members = members_by_place(G, level)
    home: dict[str, set[str]] = defaultdict(set)
    for place, held in members.items():
        for node in held:
            home[node].add(place)
        home[place].add(place)
    rows: dict[str, dict[str, float]] = {}

    def row(place: str) -> dict[str, float]:
        return rows.setdefault(place, dict.fromkeys(INDICATORS, 0.0))

    for place, held in members.items():
        for node in held:
            kind = G.nodes[node].get("type")
            if kind in ORG_VALUES:
                r = row(place)
                r["organisations"] += 1
                r["companies"] += kind == NodeType.COMPANY.value
                r["universities_labs"] += kind in (NodeType.UNIVERSITY.value, NodeType.RESEARCH_LAB.value)
                r["org_pagerank"] += float((org_scores or {}).get(node, 0.0))
            elif kind in _SITES:
                row(place)["sites"] += 1
    models: dict[str, set[str]] = defaultdict(set)
    for u, v, kind in G.edges(data="type"):
        if kind == "DEVELOPS" and G.nodes[v].get("type") == NodeType.AI_MODEL.value:
            for place in home.get(u, ()):
                models[place].add(v)
    for place, held in members.items():
        for node in held:
            if G.nodes[node].get("type") == NodeType.AI_MODEL.value:
                models[place].add(node)
    for place, found in models.items():
        row(place)["models"] = float(len(found))
    for u, v, a in G.edges(data=True):
        if a.get("type") in _LINKS:
            weight = float(a.get("count") or 1.0)
            for place in home.get(u, set()) | home.get(v, set()):
                if place in members:
                    row(place)["collaborations"] += weight
    for u, v, kind in G.edges(data="type"):
        if kind in ("LISTED_IN", "MEMBER_OF") and G.nodes[v].get("type") == NodeType.RANKING.value:
            for place in home.get(u, ()):
                if place in members:
                    row(place)["listings"] += 1
    for place, (arriving, leaving) in circulation(eg, level).items():
        if place in members:
            r = row(place)
            r["talent_in"], r["talent_out"], r["talent_net"] = arriving, leaving, arriving - leaving
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(INDICATORS))
    frame.index.name = "place"
    return frame.sort_index()


def model_year(attrs: Mapping[str, object]) -> int | None:
    """The year a model was released: its ``date``'s year, else its ``year``."""
    date = attrs.get("date")
    if date:
        return int(str(date)[:4])
    year = attrs.get("year")
    return int(str(year)) if year is not None else None


def models_by_year(eg: EcosystemGraph, level: str) -> dict[str, dict[int, float]]:
    """Per place at ``level``: AI models released each year by organisations it holds (each
    model once per place and year), for the rising table."""
    from aieco.graph.containment import place_at_level

    G = eg.G
    held: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for d, m, kind in G.edges(data="type"):
        if kind != "DEVELOPS" or G.nodes[m].get("type") != NodeType.AI_MODEL.value:
            continue
        year = model_year(G.nodes[m])
        place = d if G.nodes[d].get("type") == level else place_at_level(G, d, level)
        if place and year is not None:
            held[place][year].add(m)
    return {place: {y: float(len(ms)) for y, ms in years.items()} for place, years in held.items()}


def joint_works_by_year(eg: EcosystemGraph, level: str) -> dict[str, dict[int, float]]:
    """Per place at ``level``: works its organisations co-authored with another organisation, each
    year (``COLLABORATES_WITH`` counts; a pair with both ends in the place counts once). The graph
    holds joint works, not every work an organisation published."""
    from aieco.graph.containment import place_at_level

    G = eg.G
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for u, v, a in G.edges(data=True):
        if a.get("type") != "COLLABORATES_WITH" or a.get("year") is None:
            continue
        places = {p for p in (place_at_level(G, u, level), place_at_level(G, v, level)) if p}
        for place in places:
            out[place][int(a["year"])] += float(a.get("count") or 1.0)
    return {place: dict(years) for place, years in out.items()}
