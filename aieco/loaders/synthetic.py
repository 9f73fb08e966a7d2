"""Synthetic ecosystems of any size, for tests and benchmarks.

The generator gives graphs that satisfy the schema and have the shape of the real thing:

* places nest: cities are located in regions, regions in countries;
* city sizes are heavy-tailed (Pareto weights), and organisations are placed in cities in
  proportion to them, so a few hubs hold most organisations;
* organisations have heavy-tailed "fitness": partnerships, memberships and funding are
  drawn with probability proportional to it (most links between organisations stay in
  one city), so degrees are heavy-tailed;
* talent flows join the largest cities (and some organisations), weighted by a share and
  a count; observations record AI-company counts per city in 2016 and 2023.

Everything is drawn from one ``numpy`` generator seeded by ``seed``: the same arguments
give the same graph. The generator writes rows of aieco's four tables, and they go through the
loaders' one pipeline (:func:`aieco.loaders.pull.rows_to_graph`: the record models' checks, the
one graph builder), as a pull's rows do.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from aieco.errors import InvalidArgumentError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.graph.schema import NodeType, RelType
from aieco.loaders.pull import rows_to_graph

logger = logging.getLogger(__name__)

#: The smallest synthetic graph (places nest three deep and every type needs a few members).
MIN_SYNTHETIC_NODES = 20

#: Share of non-place entities given to each type.
_MIX: tuple[tuple[NodeType, float, str], ...] = (
    (NodeType.COMPANY, 0.55, "co"),
    (NodeType.UNIVERSITY, 0.07, "uni"),
    (NodeType.RESEARCH_LAB, 0.07, "lab"),
    (NodeType.GOVERNMENT_BODY, 0.04, "gov"),
    (NodeType.AI_MODEL, 0.08, "model"),
    (NodeType.PERSON, 0.08, "person"),
    (NodeType.PLAN, 0.03, "plan"),
    (NodeType.PARK, 0.03, "park"),
    (NodeType.COMPUTE_CENTER, 0.03, "dc"),
    (NodeType.RANKING, 0.02, "rank"),
)


@paused_gc()  # a million new edges and no cycles among them (see aieco.graph.gcpause)
def graph_from_synthetic(
    n_nodes: int,
    *,
    seed: int = 0,
    edges_per_node: float = 10.0,
    with_observations: bool = True,
) -> EcosystemGraph:
    """Generate a schema-valid synthetic ecosystem graph.

    Parameters
    ----------
    n_nodes
        How many entities to create (at least 20).
    seed
        Seed of the random generator; equal arguments give equal graphs.
    edges_per_node
        Target number of relationships per entity (10 gives 1M edges at 100k nodes).
    with_observations
        Add AI-company-count observations for every city (2016 and 2023).

    Returns
    -------
    The graph; every node and edge cites the synthetic source ``synthetic``.

    Examples
    --------
    >>> eg = graph_from_synthetic(200, seed=1)
    >>> eg.number_of_entities()
    200
    """
    if n_nodes < MIN_SYNTHETIC_NODES:
        raise InvalidArgumentError(
            f"a synthetic graph needs at least {MIN_SYNTHETIC_NODES} nodes; got {n_nodes}"
        )
    rng = np.random.default_rng(seed)
    src = "synthetic"
    url = f"aieco://synthetic?n_nodes={n_nodes}&seed={seed}"
    prov: dict[str, Any] = {"source": src}
    sources = [
        {"id": src, "title": f"aieco synthetic ecosystem (n_nodes={n_nodes}, seed={seed})", "url": url}
    ]
    nodes: dict[str, dict[str, Any]] = {}

    n_countries = int(np.clip(n_nodes // 5000, 2, 40))
    n_regions = int(max(n_countries * 2, n_nodes // 400))
    n_cities = int(max(n_regions, n_nodes // 40))
    n_rest = n_nodes - n_countries - n_regions - n_cities

    def add(prefix: str, kind: NodeType, count: int, **extra: Any) -> list[str]:
        ids = [f"{prefix}{i}" for i in range(count)]
        nodes.update(
            (node_id, {"id": node_id, "type": kind.value, "name_en": f"{kind.value} {i}", **prov, **extra})
            for i, node_id in enumerate(ids)
        )
        return ids

    countries = add("country", NodeType.COUNTRY, n_countries)
    regions = add("region", NodeType.REGION, n_regions)
    cities = add("city", NodeType.CITY, n_cities)
    for i, city in enumerate(cities):
        nodes[city]["lat"] = float(rng.uniform(-60, 70))
        nodes[city]["lon"] = float(rng.uniform(-180, 180))
        nodes[city]["coord_source"] = src  # drawn at random: the synthetic source is their source
        nodes[city]["name_zh_hans"] = f"城市{i}"

    edges: list[dict[str, Any]] = []

    def link(u: str, v: str, rel: RelType, **attrs: Any) -> None:
        edges.append({"id": f"e{len(edges)}", "from": u, "to": v, "type": rel.value, **prov, **attrs})

    region_country = rng.integers(0, n_countries, n_regions)
    region_country[:n_countries] = np.arange(n_countries)  # every country has a region
    for r, c in zip(regions, region_country, strict=True):
        link(r, countries[c], RelType.LOCATED_IN)
    city_region = rng.integers(0, n_regions, n_cities)
    city_region[:n_regions] = np.arange(n_regions)
    for c, r in zip(cities, city_region, strict=True):
        link(c, regions[r], RelType.LOCATED_IN)

    # Heavy-tailed city sizes: organisations cluster in a few hubs.
    city_w = rng.pareto(1.2, n_cities) + 1.0
    city_p = city_w / city_w.sum()

    kinds: dict[NodeType, list[str]] = {}
    counts = [max(1, int(n_rest * share)) for _, share, _ in _MIX]
    counts[0] += n_rest - sum(counts)  # companies absorb rounding
    for (kind, _, prefix), count in zip(_MIX, counts, strict=True):
        kinds[kind] = add(prefix, kind, count)

    home: dict[str, int] = {}
    orgs = [
        n
        for k in (NodeType.COMPANY, NodeType.UNIVERSITY, NodeType.RESEARCH_LAB, NodeType.GOVERNMENT_BODY)
        for n in kinds[k]
    ]
    sites = kinds[NodeType.PARK] + kinds[NodeType.COMPUTE_CENTER]
    for node_list, rel in (
        (orgs, RelType.HEADQUARTERED_IN),
        (sites, RelType.LOCATED_IN),
        (kinds[NodeType.PERSON], RelType.LOCATED_IN),
    ):
        where = rng.choice(n_cities, size=len(node_list), p=city_p)
        for node_id, c in zip(node_list, where, strict=True):
            home[node_id] = int(c)
            link(node_id, cities[c], rel)

    org_arr = np.array(orgs)
    fitness = rng.pareto(1.5, len(orgs)) + 1.0
    fit_p = fitness / fitness.sum()
    by_city: dict[int, list[int]] = {}
    for idx, node_id in enumerate(orgs):
        by_city.setdefault(home[node_id], []).append(idx)

    def pick_orgs(size: int) -> np.ndarray:
        return rng.choice(len(orgs), size=size, p=fit_p)

    # Structural links that every real ecosystem has.
    companies = kinds[NodeType.COMPANY]
    govs = kinds[NodeType.GOVERNMENT_BODY]
    makers = pick_orgs(len(kinds[NodeType.AI_MODEL])) % len(companies)
    for model, m in zip(kinds[NodeType.AI_MODEL], makers, strict=True):
        link(companies[int(m)], model, RelType.DEVELOPS)
    issuers = rng.integers(len(govs), size=len(kinds[NodeType.PLAN]))
    targets = rng.choice(n_cities, size=len(kinds[NodeType.PLAN]), p=city_p)
    for plan, g, c in zip(kinds[NodeType.PLAN], issuers, targets, strict=True):
        link(plan, govs[int(g)], RelType.ISSUED_BY)
        link(plan, cities[int(c)], RelType.TARGETS)
    employers = pick_orgs(len(kinds[NodeType.PERSON]))
    for person, o in zip(kinds[NodeType.PERSON], employers, strict=True):
        link(person, orgs[int(o)], RelType.WORKS_AT)
    operators = pick_orgs(len(sites))
    for site, o in zip(sites, operators, strict=True):
        link(orgs[int(o)], site, RelType.OPERATES)

    # The rest of the schema, a few of each, so that every relationship type occurs.
    labs = kinds[NodeType.RESEARCH_LAB]
    hosts_of_labs = companies + kinds[NodeType.UNIVERSITY]
    for lab, parent in zip(labs, rng.integers(len(hosts_of_labs), size=len(labs)), strict=True):
        link(lab, hosts_of_labs[int(parent)], RelType.PART_OF)
    n_few = max(2, len(companies) // 20)
    for child, parent in rng.integers(len(companies), size=(n_few, 2)):
        if child != parent:
            link(companies[int(child)], companies[int(parent)], RelType.SPUN_OFF_FROM)
    for company, ranking in zip(
        rng.integers(len(companies), size=n_few),
        rng.integers(len(kinds[NodeType.RANKING]), size=n_few),
        strict=True,
    ):
        link(companies[int(company)], kinds[NodeType.RANKING][int(ranking)], RelType.MEMBER_OF)
    for i, (person, o) in enumerate(zip(kinds[NodeType.PERSON], employers, strict=True)):
        if i % 3 < 2:
            link(person, orgs[int(o)], RelType.FOUNDED if i % 3 == 0 else RelType.LEADS)
    for a_idx, b_idx in rng.integers(len(orgs), size=(n_few, 2)):
        low, high = sorted((orgs[int(a_idx)], orgs[int(b_idx)]))
        if low != high:
            link(
                low,
                high,
                RelType.COLLABORATES_WITH,
                count=float(1 + int(a_idx) % 9),
                year=2016 + int(b_idx) % 8,
            )
    for park in kinds[NodeType.PARK]:
        mates = by_city.get(home[park], [])
        for idx in mates[:3]:
            link(park, orgs[idx], RelType.HOSTS)

    # Talent flows between hub cities.
    hubs = np.argsort(-city_w)[: max(5, n_cities // 20)]
    n_flows = max(10, n_nodes // 50)
    a = rng.choice(hubs, n_flows)
    b = rng.choice(hubs, n_flows)
    shares = rng.beta(1.2, 6.0, n_flows)
    for u, v, s in zip(a, b, shares, strict=True):
        if u != v:
            link(
                cities[u],
                cities[v],
                RelType.TALENT_FLOW,
                share=float(round(s, 4)),
                count=float(int(s * 1000)),
                year=int(rng.integers(2016, 2024)),
            )

    # Fill up to the target edge count with heavy-tailed, mostly local links.
    target = int(n_nodes * edges_per_node)
    remaining = max(0, target - len(edges))
    rankings = kinds[NodeType.RANKING]
    plans = kinds[NodeType.PLAN]
    rel_choice = rng.choice(5, size=remaining, p=[0.55, 0.15, 0.12, 0.10, 0.08])
    src_idx = pick_orgs(remaining)
    dst_idx = pick_orgs(remaining)
    local = rng.random(remaining) < 0.7
    extra = rng.integers(0, 1 << 30, remaining)
    for i in range(remaining):
        u = orgs[int(src_idx[i])]
        choice = int(rel_choice[i])
        if choice == 0:  # partnership, usually within the same city
            if local[i]:
                mates = by_city[home[u]]
                v = orgs[mates[int(extra[i]) % len(mates)]]
            else:
                v = orgs[int(dst_idx[i])]
            if v != u:
                link(u, v, RelType.PARTNERS_WITH, year=2016 + int(extra[i]) % 8)
        elif choice == 1:
            link(
                u,
                rankings[int(extra[i]) % len(rankings)],
                RelType.LISTED_IN,
                rank=1 + int(extra[i]) % 100,
                year=2016 + int(extra[i]) % 8,
            )
        elif choice == 2:
            link(plans[int(extra[i]) % len(plans)], u, RelType.SUPPORTS)
        elif choice == 3:
            funder = govs[int(extra[i]) % len(govs)]
            if funder != u:
                link(funder, u, RelType.FUNDS, year=2016 + int(extra[i]) % 8)
        else:
            v = org_arr[int(dst_idx[i])]
            if home[u] != home[str(v)]:
                link(
                    u,
                    str(v),
                    RelType.TALENT_FLOW,
                    count=float(1 + int(extra[i]) % 50),
                    year=2016 + int(extra[i]) % 8,
                )
    # a few plans take over earlier ones (no random draw: the stream above is unchanged)
    for later, earlier in zip(plans[1 : 1 + n_few], plans[:n_few], strict=False):
        link(later, earlier, RelType.SUCCEEDS)

    observations: list[dict[str, Any]] = []
    if with_observations:
        n_orgs_city = np.bincount([home[o] for o in companies], minlength=n_cities)
        for i, city in enumerate(cities):
            for year, factor in ((2016, 1.0), (2023, 1.0 + float(rng.gamma(2.0, 0.4)))):
                observations.append(
                    {
                        "id": f"obs-{city}-{year}",
                        "subject": city,
                        "indicator": "ai_related_company_count",
                        "value": float(round(n_orgs_city[i] * 100 * factor)),
                        "unit": "companies",
                        "kind": "actual",
                        "year": year,
                        **prov,
                    }
                )
    rows = {
        "sources": sources,
        "entities": list(nodes.values()),
        "relations": edges,
        "observations": observations,
    }
    eg = rows_to_graph(rows, url, name=f"synthetic-{n_nodes}-{seed}")
    eg.G.graph["files"] = []  # generated: no file was read
    eg.G.graph["synthetic"] = {"n_nodes": n_nodes, "seed": seed, "edges_per_node": edges_per_node}
    logger.info("synthetic graph: %d nodes, %d edges", eg.G.number_of_nodes(), eg.G.number_of_edges())
    return eg
