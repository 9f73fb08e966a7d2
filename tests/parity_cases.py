"""Parameter sets for the engine-parity test: the catalogue's own examples on the bundled data,
and sets chosen from a synthetic graph's structure. Every case must return rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.queries import CATALOGUE

#: Queries whose answer on a synthetic graph is empty by construction, and why.
SYNTHETIC_EMPTY = {
    "data_quality": "synthetic facts all carry a source, no conflicts and no figures to add up",
}
SYNTHETIC_SIZE, SYNTHETIC_SEED = 400, 5


def synthetic_graph() -> EcosystemGraph:
    return aieco.graph_from_synthetic(SYNTHETIC_SIZE, seed=SYNTHETIC_SEED)


def bundled_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(name, dict(p)) for name, q in sorted(CATALOGUE.items()) for p in ({}, *q.examples)]


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
