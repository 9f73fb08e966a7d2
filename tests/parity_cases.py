"""Parameter sets for the engine-parity test: the catalogue's own examples on the bundled data,
and sets chosen from a synthetic graph's structure. Every case must return rows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.queries import CATALOGUE

#: Queries whose answer on a synthetic graph is empty by construction, and why.
SYNTHETIC_EMPTY = {
    "data_quality": "synthetic facts all carry a source, no conflicts and no figures to add up",
    "talent_retention": "synthetic graphs record no stayed/left counts (only OpenAlex pulls do)",
}
#: Queries with nothing to count in the bundled data (they run on OpenAlex-derived data instead).
BUNDLED_EMPTY = {
    "talent_corridors": "the bundled flows are shares, not researcher counts",
    "talent_circulation": "the bundled flows are shares, not researcher counts",
    "talent_retention": "the bundled data record no stayed/left counts",
    "collaboration_strength": "the seeds state no co-authorship",
    "rising_talent": "the bundled flows are shares, not researcher counts",
}
#: Queries run on the OpenAlex fixture's tables (on top of the bundled data), with their cases.
OPENALEX_QUERIES = (
    "talent_flows",
    "talent_net_inflow",
    "talent_corridors",
    "talent_circulation",
    "talent_retention",
    "collaboration_strength",
    "rising_talent",
)
SYNTHETIC_SIZE, SYNTHETIC_SEED = 400, 5


def synthetic_graph() -> EcosystemGraph:
    return aieco.graph_from_synthetic(SYNTHETIC_SIZE, seed=SYNTHETIC_SEED)


def bundled_cases() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, dict(p))
        for name, q in sorted(CATALOGUE.items())
        if name not in BUNDLED_EMPTY
        for p in ({}, *q.examples)
    ]


def openalex_graph(folder: Path) -> EcosystemGraph:
    """The OpenAlex fixture (AI records) as aieco tables, loaded on top of the bundled data."""
    from aieco.loaders.openalex import OpenAlexFilters, pull_openalex_snapshot
    from tests.openalex_fixture import write_snapshot

    pull = pull_openalex_snapshot(write_snapshot(folder / "snapshot"), filters=OpenAlexFilters(ai_only=True))
    pull.write(folder / "tables")
    return aieco.graph_from_bundled(extra=[folder / "tables"])


#: OpenAlex cases other than the defaults and examples: six researchers hold no burst by
#: Kleinberg's defaults; a gentler automaton finds one.
OPENALEX_CHOSEN: dict[str, list[dict[str, Any]]] = {
    "rising_talent": [{"level": "entity", "s": 1.5, "gamma": 0.5}]
}


def openalex_cases() -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, dict(p))
        for name in OPENALEX_QUERIES
        for p in OPENALEX_CHOSEN.get(name, [{}, *CATALOGUE[name].examples])
    ]


def synthetic_cases(eg: EcosystemGraph) -> list[tuple[str, dict[str, Any]]]:
    """Defaults, with the entity parameters pointed at entities the synthetic graph has."""
    G = eg.G
    edges = [(u, v, t) for u, v, t in G.edges(data="type")]
    members = Counter(v for _, v, t in edges if t == "HEADQUARTERED_IN")
    ranked = Counter(v for _, v, t in edges if t in ("LISTED_IN", "MEMBER_OF"))
    degree = Counter(u for u, _, t in edges if t == "PARTNERS_WITH")
    spun = sorted(u for u, _, t in edges if t == "SPUN_OFF_FROM")
    company = max(degree, key=lambda n: (degree[n], n))
    home = next(v for u, v, t in edges if u == company and t == "HEADQUARTERED_IN")
    region = next(v for u, v, t in edges if u == home and t == "LOCATED_IN")
    chosen: dict[str, list[dict[str, Any]]] = {
        "city_ecosystem": [{"city": max(members, key=lambda n: (members[n], n))}],
        "concentration": [{"ranking": max(ranked, key=lambda n: (ranked[n], n)), "level": "Region"}],
        "entity_profile": [{"entity": company}],
        "ranking_geography": [{"ranking": max(ranked, key=lambda n: (ranked[n], n)), "level": "Country"}],
        "shortest_path": [{"source": company, "target": region}],
        "spinoff_lineage": [{"company": spun[0]}],
        "talent_net_inflow": [{}, {"min_flows": 2}],
    }
    return [
        (name, params)
        for name in sorted(CATALOGUE)
        if name not in SYNTHETIC_EMPTY
        for params in chosen.get(name, [{}])
    ]
