"""Talent and collaboration queries for analysts: corridors, circulation, retention, co-authorship.

Corridors and circulation move each counted ``TALENT_FLOW`` to the places at ``level`` holding
its two ends (``entity``: as the data give them) and count **distinct researchers**: a flow that
lists its researchers (OpenAlex pulls) adds each of them once per corridor, however many of its
institution pairs or years they appear in; a flow with a count alone (a published figure) adds
its count. Flows given only as a share do not add up and are left out (``talent_flows`` lists
them). Each corridor carries a 95 % interval on its count and is marked small under
:data:`~aieco.metrics.intervals.SMALL_COUNT` researchers (:mod:`aieco.metrics.intervals`). Retention reads the
``talent_stayed``/``talent_left`` counts that OpenAlex pulls record per place and year.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import PLACE_LEVELS
from aieco.metrics.bursts import rising
from aieco.metrics.corridors import arrivals_by_year, circulation, corridors
from aieco.metrics.intervals import SMALL_COUNT, count_intervals
from aieco.queries.base import Param, Query, as_frame
from aieco.queries.nxcommon import name, relationships

_LEVEL = Param(
    "level",
    "choice",
    "entity",
    "entity (as given), City, Region or Country.",
    choices=("entity", *PLACE_LEVELS),
)
_TOP = Param("top", "int", 20, "At most this many rows.", minimum=1)


def _with_interval(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    bounds = count_intervals(float(x) for x in frame[column])
    frame["low"] = [round(lo, 3) for lo, _ in bounds]
    frame["high"] = [round(hi, 3) for _, hi in bounds]
    frame["small"] = [bool(float(x) < SMALL_COUNT) for x in frame[column]]
    return frame


def _corridors(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = [
        {
            "from": c.source,
            "from_name": name(G, c.source),
            "to": c.target,
            "to_name": name(G, c.target),
            "researchers": c.researchers,
            "flows": c.flows,
            "first_year": c.first_year,
            "last_year": c.last_year,
        }
        for c in corridors(eg, p["level"])[: p["top"]]
    ]
    return as_frame(rows, CORRIDORS.columns)


CORRIDORS = Query(
    name="talent_corridors",
    question="Which corridors carry the most researchers, between institutions or the places holding them?",
    params=(_LEVEL, _TOP),
    columns=(
        "from",
        "from_name",
        "to",
        "to_name",
        "researchers",
        "low",
        "high",
        "small",
        "flows",
        "first_year",
        "last_year",
    ),
    order_by=(("researchers", False), ("from", True), ("to", True)),
    networkx=_corridors,
    examples=({"level": "Country"}, {"level": "City", "top": 3}),
    derive=lambda frame, _: _with_interval(frame, "researchers"),
)


def _circulation(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for n, (inflow, outflow) in circulation(eg, p["level"]).items():
        gross = inflow + outflow
        rows.append(
            {
                "place": n,
                "name": name(G, n),
                "inflow": inflow,
                "outflow": outflow,
                "net": inflow - outflow,
                "gross": gross,
                "balance": (inflow - outflow) / gross if gross else None,
            }
        )
    return as_frame(rows, CIRCULATION.columns)


CIRCULATION = Query(
    name="talent_circulation",
    question="How much talent circulates through each place (in, out, net), and which way does it lean?",
    params=(_LEVEL,),
    columns=("place", "name", "inflow", "outflow", "net", "gross", "balance"),
    order_by=(("gross", False), ("place", True)),
    networkx=_circulation,
    examples=({"level": "Country"}, {"level": "Region"}),
)


def _retention(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    acc: dict[str, list[Any]] = {}
    for _, attrs in G.nodes(data=True):
        if attrs.get("type") != "Observation" or attrs.get("indicator") not in (
            "talent_stayed",
            "talent_left",
        ):
            continue
        row = acc.setdefault(str(attrs["subject"]), [0.0, 0.0, []])
        row[0 if attrs["indicator"] == "talent_stayed" else 1] += float(attrs["value"])
        if attrs.get("year") is not None:
            row[2].append(attrs["year"])
    rows = [
        {
            "id": n,
            "name": name(G, n),
            "stayed": s,
            "departed": d,
            "retention": s / (s + d),
            "first_year": min(y, default=None),
            "last_year": max(y, default=None),
        }
        for n, (s, d, y) in acc.items()
        if s + d >= p["min_researchers"] and s + d > 0
    ]
    return as_frame(rows, RETENTION.columns)


RETENTION = Query(
    name="talent_retention",
    question="Which places keep their researchers from one year to the next (share who stay)?",
    params=(
        Param(
            "min_researchers", "int", 1, "Only places with at least this many researcher-years.", minimum=1
        ),
    ),
    columns=("id", "name", "stayed", "departed", "retention", "first_year", "last_year"),
    order_by=(("retention", False), ("id", True)),
    networkx=_retention,
    examples=({"min_researchers": 2},),
)


def _collaboration(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    acc: dict[tuple[str, str], list[Any]] = {}
    total: dict[str, float] = {}  # each organisation's joint works with anyone (association strength)
    for u, v, _, a in relationships(G):
        if a["type"] == "COLLABORATES_WITH" and u != v:
            total[u] = total.get(u, 0.0) + float(a.get("count") or 0)
            total[v] = total.get(v, 0.0) + float(a.get("count") or 0)
    m = sum(total.values()) / 2
    for u, v, _, a in relationships(G):
        if a["type"] != "COLLABORATES_WITH" or p["entity"] not in ("", u, v):
            continue
        row = acc.setdefault((u, v), [0.0, set()])
        row[0] += float(a.get("count") or 0)
        if a.get("year") is not None:
            row[1].add(a["year"])
    rows = [
        {
            "a": u,
            "a_name": name(G, u),
            "b": v,
            "b_name": name(G, v),
            "joint_works": r[0],
            "association_strength": 2 * m * r[0] / (total[u] * total[v])
            if total.get(u) and total.get(v)
            else None,
            "years": len(r[1]),
            "first_year": min(r[1], default=None),
            "last_year": max(r[1], default=None),
        }
        for (u, v), r in acc.items()
    ]
    rows.sort(key=lambda r: (-r["joint_works"], r["a"], r["b"]))
    return as_frame(rows[: p["top"]], COLLABORATION.columns)


COLLABORATION = Query(
    name="collaboration_strength",
    question="Which pairs of organisations publish together most (joint works, over how many years), and "
    "how strongly once their sizes are accounted for (association strength)?",
    params=(Param("entity", "str", "", "Only pairs including this entity (empty: all)."), _TOP),
    columns=(
        "a",
        "a_name",
        "b",
        "b_name",
        "joint_works",
        "association_strength",
        "years",
        "first_year",
        "last_year",
    ),
    order_by=(("joint_works", False), ("a", True), ("b", True)),
    networkx=_collaboration,
    examples=({"entity": "stanford"},),
)


def _arrivals(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = [
        {"place": place, "place_name": name(G, place), "year": year, "arrivals": n}
        for place, years in arrivals_by_year(eg, p["level"]).items()
        for year, n in years.items()
    ]
    return pd.DataFrame(rows, columns=["place", "place_name", "year", "arrivals"])


def _bursts(frame: pd.DataFrame, p: Mapping[str, Any]) -> pd.DataFrame:
    """Yearly arrivals per place → each place's bursts in its share of all arrivals (Kleinberg's
    binomial model: the year's total is every arrival that year, in every place)."""
    yearly: dict[str, dict[int, float]] = {}
    names: dict[str, str] = {}
    for place, place_name, year, n in frame[["place", "place_name", "year", "arrivals"]].itertuples(
        index=False
    ):
        yearly.setdefault(str(place), {})[int(year)] = float(n)
        names[str(place)] = str(place_name)
    rows = [{**r, "place_name": names[str(r["place"])]} for r in rising(yearly, s=p["s"], gamma=p["gamma"])]
    return pd.DataFrame(rows, columns=list(RISING.columns))


RISING = Query(
    name="rising_talent",
    question="Which places (or institutions) see a burst of researchers arriving, and when?",
    params=(
        _LEVEL,
        Param(
            "s",
            "float",
            2.0,
            "Kleinberg's s: the burst rate over the base rate.",
            minimum=1.01,
            in_cypher=False,
        ),
        Param(
            "gamma",
            "float",
            1.0,
            "Kleinberg's γ: the cost of entering a burst, in ln(years).",
            minimum=0,
            in_cypher=False,
        ),
    ),
    columns=(
        "place",
        "place_name",
        "burst_start",
        "burst_end",
        "weight",
        "arrivals_in_burst",
        "arrivals",
        "first_year",
        "last_year",
    ),
    order_by=(("weight", False), ("place", True), ("burst_start", True)),
    networkx=_arrivals,
    examples=({"level": "Country"},),
    derive=_bursts,
)

QUERIES = (CORRIDORS, CIRCULATION, RETENTION, COLLABORATION, RISING)
