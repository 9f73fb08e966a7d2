"""Talent corridors: counted flows moved to the places holding their ends, each researcher once.

A ``TALENT_FLOW`` that lists its researchers (OpenAlex pulls: pseudonymous keys) adds each of
them once per corridor, however many institution pairs or years they appear in; a flow with a
count alone (a published figure) adds its count; a flow given only as a share is left out.
Each corridor carries the exact Poisson interval of its count (:mod:`aieco.metrics.intervals`).

Examples
--------
>>> import networkx as nx
>>> from aieco.graph.ecosystem import EcosystemGraph
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from(["a", "b"], type="University")
>>> _ = G.add_edge("a", "b", type="TALENT_FLOW", count=2, year=2020, researchers=["k1", "k2"])
>>> _ = G.add_edge("a", "b", type="TALENT_FLOW", count=2, year=2021, researchers=["k2", "k3"])
>>> [(c.source, c.target, c.researchers, c.flows) for c in corridors(EcosystemGraph(G), "entity")]
[('a', 'b', 3.0, 2)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.metrics.intervals import SMALL_COUNT, count_interval


@dataclass
class Count:
    """Distinct researchers (listed keys) plus counts given without keys."""

    keys: set[str] = field(default_factory=set)
    unkeyed: float = 0.0

    def add(self, attrs: Mapping[str, Any]) -> None:
        if attrs.get("researchers"):
            self.keys.update(attrs["researchers"])
        else:
            self.unkeyed += float(attrs["count"])

    @property
    def n(self) -> float:
        return len(self.keys) + self.unkeyed


@dataclass(frozen=True)
class Corridor:
    """Researchers who moved from ``source`` to ``target`` (places at a level, or entities)."""

    source: str
    target: str
    researchers: float
    flows: int
    first_year: int | None
    last_year: int | None

    @property
    def interval(self) -> tuple[float, float]:
        """The 95 % interval of :attr:`researchers`."""
        return count_interval(self.researchers)

    @property
    def small(self) -> bool:
        """Fewer than :data:`~aieco.metrics.intervals.SMALL_COUNT` researchers."""
        return self.researchers < SMALL_COUNT


def mapped_flows(eg: EcosystemGraph, level: str) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """Counted flows as (place of the source, place of the target, attributes) at ``level``
    (``entity``: the ends themselves); flows inside one place drop out."""
    G = eg.G
    for u, v, a in G.edges(data=True):
        if a.get("type") != "TALENT_FLOW" or a.get("count") is None:
            continue
        pu = u if level == "entity" else place_at_level(G, u, level)
        pv = v if level == "entity" else place_at_level(G, v, level)
        if pu and pv and pu != pv:
            yield pu, pv, a


def corridors(eg: EcosystemGraph, level: str) -> list[Corridor]:
    """Every corridor at ``level``, most researchers first (ties by ends)."""
    acc: dict[tuple[str, str], tuple[Count, list[int]]] = {}
    flows: dict[tuple[str, str], int] = {}
    for u, v, a in mapped_flows(eg, level):
        count, years = acc.setdefault((u, v), (Count(), []))
        count.add(a)
        flows[(u, v)] = flows.get((u, v), 0) + 1
        if a.get("year") is not None:
            years.append(int(a["year"]))
    out = [
        Corridor(u, v, c.n, flows[(u, v)], min(years, default=None), max(years, default=None))
        for (u, v), (c, years) in acc.items()
    ]
    return sorted(out, key=lambda c: (-c.researchers, c.source, c.target))


def circulation(eg: EcosystemGraph, level: str) -> dict[str, tuple[float, float]]:
    """Per place: (distinct researchers arriving, distinct researchers leaving)."""
    acc: dict[str, tuple[Count, Count]] = {}
    for u, v, a in mapped_flows(eg, level):
        acc.setdefault(u, (Count(), Count()))[1].add(a)
        acc.setdefault(v, (Count(), Count()))[0].add(a)
    return {n: (ins.n, outs.n) for n, (ins, outs) in acc.items()}


def arrivals_by_year(eg: EcosystemGraph, level: str) -> dict[str, dict[int, float]]:
    """Per place and year: distinct researchers arriving (dated counted flows only)."""
    acc: dict[str, dict[int, Count]] = {}
    for _, v, a in mapped_flows(eg, level):
        if a.get("year") is not None:
            acc.setdefault(v, {}).setdefault(int(a["year"]), Count()).add(a)
    return {place: {year: c.n for year, c in years.items()} for place, years in acc.items()}
