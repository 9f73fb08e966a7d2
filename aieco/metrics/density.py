"""Ecosystem density per city: size, type diversity, internal density, openness.

For a city ``c`` with members ``M`` (entities with a containment path to it) and ``S = M ∪ {c}``:

* ``entities`` = |M|, ``types`` = number of entity types in M;
* ``diversity`` = Shannon entropy (natural log) of the type shares in M;
* ``internal_links`` = relationships with both ends in S, ``outside_links`` = with exactly
  one end in S (containment and derived edges are not links);
* ``density`` = internal_links / (|S| (|S| − 1)); ``outside_share`` = outside / all links.

The ``ecosystem_density`` query's Cypher text computes the same definitions.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from aieco.graph.containment import CONTAINMENT, members_by_place
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import DERIVED_RELS

_NOT_LINKS = CONTAINMENT | {r.value for r in DERIVED_RELS}


def shannon_entropy(counts: Counter[str] | dict[str, int]) -> float:
    """Entropy (natural log) of the shares given by counts.

    >>> round(shannon_entropy({"a": 1, "b": 1}), 6), shannon_entropy({"a": 5})
    (0.693147, 0.0)
    """
    n = sum(counts.values())
    return 0.0 - sum((k / n) * math.log(k / n) for k in counts.values() if k) if n else 0.0


def city_density(
    eg: EcosystemGraph,
    *,
    min_entities: int = 1,
    as_of: int | None = None,
    members: Mapping[str, Mapping[str, int]] | None = None,
) -> list[dict[str, Any]]:
    """One row per city with at least ``min_entities`` members (unsorted).

    One pass over the links: each node knows the cities it belongs to (itself, for a city),
    and a link counts as internal to every city holding both ends and as outside for every city
    holding one end only. Time O(links + memberships), not O(cities × links). ``members`` is
    ``members_by_place(eg.G, levels)`` with "City" among the levels, when the caller has it.
    """
    from aieco.graph.projection import valid_in

    G = eg.G
    cities = [n for n, t in G.nodes(data="type") if t == "City"]
    kept: dict[str, list[str]] = {}  # each city's members valid in as_of
    homes: dict[str, set[str]] = defaultdict(set)
    by_city = members if members is not None else members_by_place(G, "City")
    for c in cities:
        inside = [m for m in by_city[c] if as_of is None or valid_in(G.nodes[m], as_of)]
        kept[c] = inside
        homes[c].add(c)
        for m in inside:
            homes[m].add(c)
    internal: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for u, v, a in G.edges(data=True):
        if a["type"] in _NOT_LINKS or (as_of is not None and not valid_in(a, as_of)):
            continue
        hu, hv = homes.get(u, set()), homes.get(v, set())
        if not hu and not hv:
            continue
        internal.update(hu & hv)
        outside.update(hu ^ hv)
    rows = []
    for c in cities:
        n = len(kept[c])
        if n < min_entities:
            continue
        counts = Counter(G.nodes[m]["type"] for m in kept[c])
        size = n + 1
        inner, out = internal[c], outside[c]
        rows.append(
            {
                "city": c,
                "name": G.nodes[c].get("name_en", c),
                "entities": n,
                "types": len(counts),
                "diversity": shannon_entropy(counts),
                "internal_links": inner,
                "outside_links": out,
                "density": inner / (size * (size - 1)) if size > 1 else 0.0,
                "outside_share": out / (inner + out) if inner + out else 0.0,
            }
        )
    return rows
