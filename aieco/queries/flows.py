"""Queries about flows and ties: talent, plans, government–champion pairs, co-membership."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import GOVERNMENT_SIDE_TYPES, ORG_VALUES
from aieco.queries.base import Param, Query, as_frame
from aieco.queries.nxcommon import name, place_at_level, relationships


def _talent_flows(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = [
        {
            "from": u,
            "from_name": name(G, u),
            "to": v,
            "to_name": name(G, v),
            "share": a.get("share"),
            "count": a.get("count"),
            "year": a.get("year"),
            "source": a.get("source"),
        }
        for u, v, _, a in relationships(G)
        if a["type"] == "TALENT_FLOW" and p["from_id"] in ("", u) and p["to_id"] in ("", v)
    ]
    return as_frame(rows, TALENT_FLOWS.columns)


TALENT_FLOWS = Query(
    name="talent_flows",
    question="Where does talent flow from and to, with what share or count, and when?",
    params=(
        Param("from_id", "str", "", "Only flows leaving this entity (empty: any)."),
        Param("to_id", "str", "", "Only flows arriving at this entity (empty: any)."),
    ),
    columns=("from", "from_name", "to", "to_name", "share", "count", "year", "source"),
    order_by=(("from", True), ("to", True), ("year", True)),
    networkx=_talent_flows,
    examples=({"from_id": "china"}, {"to_id": "usa"}),
)


def _net_inflow(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for u, v, _, a in relationships(G):
        if a["type"] != "TALENT_FLOW":
            continue
        acc[u]["flows_out"] += 1
        acc[v]["flows_in"] += 1
        acc[u]["count_out"] += a.get("count") or 0
        acc[v]["count_in"] += a.get("count") or 0
        acc[u]["share_out"] += a.get("share") or 0
        acc[v]["share_in"] += a.get("share") or 0
    rows = []
    for n, d in acc.items():
        if d["flows_in"] + d["flows_out"] < p["min_flows"]:
            continue
        rows.append(
            {
                "id": n,
                "name": name(G, n),
                "flows_in": int(d["flows_in"]),
                "flows_out": int(d["flows_out"]),
                "count_in": d["count_in"],
                "count_out": d["count_out"],
                "net_count": d["count_in"] - d["count_out"],
                "share_in": d["share_in"],
                "share_out": d["share_out"],
            }
        )
    return as_frame(rows, NET_INFLOW.columns)


NET_INFLOW = Query(
    name="talent_net_inflow",
    question="Which places and organisations gain or lose talent on balance?",
    params=(Param("min_flows", "int", 1, "Only entities with at least this many flows.", minimum=1),),
    columns=(
        "id",
        "name",
        "flows_in",
        "flows_out",
        "count_in",
        "count_out",
        "net_count",
        "share_in",
        "share_out",
    ),
    order_by=(("net_count", False), ("id", True)),
    networkx=_net_inflow,
    examples=(),  # the bundled data hold one flow; tests/parity_cases.py runs min_flows=2 (synthetic)
)

PLAN_RELATIONS = ("SUPPORTS", "TARGETS", "FUNDS")


def _plan_influence(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for plan, t in G.nodes(data="type"):
        if t != "Plan" or p["plan"] not in ("", plan):
            continue
        issuers = sorted(v for _, v, a in G.out_edges(plan, data=True) if a["type"] == "ISSUED_BY")
        for _, target, a in G.out_edges(plan, data=True):
            if a["type"] not in PLAN_RELATIONS:
                continue
            rows.append(
                {
                    "plan": plan,
                    "plan_name": name(G, plan),
                    "issuers": "|".join(issuers) or None,
                    "relation": a["type"],
                    "target": target,
                    "target_type": G.nodes[target]["type"],
                    "target_city": place_at_level(G, target, "City"),
                }
            )
    return as_frame(rows, PLAN_INFLUENCE.columns)


PLAN_INFLUENCE = Query(
    name="plan_influence",
    question="What does each plan support, target or fund, who issued it, and in which city do they sit?",
    params=(Param("plan", "str", "", "Only this plan (empty: all plans)."),),
    columns=("plan", "plan_name", "issuers", "relation", "target", "target_type", "target_city"),
    order_by=(("plan", True), ("relation", True), ("target", True)),
    networkx=_plan_influence,
    examples=({"plan": "anhui-ngai-plan"}, {"plan": "guangdong-ai-plan"}),
)

GOVERNMENT_SIDE = frozenset(t.value for t in GOVERNMENT_SIDE_TYPES)
PAIR_RELATIONS = ("SUPPORTS", "PARTNERS_WITH", "FUNDS")


def _gov_pairs(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for u, v, _, a in relationships(G):
        if a["type"] not in PAIR_RELATIONS:
            continue
        tu, tv = G.nodes[u]["type"], G.nodes[v]["type"]
        if tu in GOVERNMENT_SIDE and tv == "Company":
            gov, co, direction = u, v, "government→company"
        elif tu == "Company" and tv in GOVERNMENT_SIDE:
            gov, co, direction = v, u, "company→government"
        else:
            continue
        if p["company"] not in ("", co):
            continue
        rows.append(
            {
                "government": gov,
                "government_type": G.nodes[gov]["type"],
                "relation": a["type"],
                "direction": direction,
                "company": co,
                "company_name": name(G, co),
                "source": a.get("source"),
            }
        )
    return as_frame(rows, GOV_PAIRS.columns)


GOV_PAIRS = Query(
    name="government_champion_pairs",
    question="Which governments, plans and zones support or partner with which companies?",
    params=(Param("company", "str", "", "Only this company (empty: all)."),),
    columns=("government", "government_type", "relation", "direction", "company", "company_name", "source"),
    order_by=(("government", True), ("company", True), ("relation", True)),
    networkx=_gov_pairs,
    examples=({"company": "iflytek"}, {"company": "baidu"}),
)


def _co_membership(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    groups: dict[str, set[str]] = defaultdict(set)
    for u, v, _, a in relationships(G):
        if (
            a["type"] in ("LISTED_IN", "MEMBER_OF")
            and G.nodes[v]["type"] == "Ranking"
            and G.nodes[u]["type"] in ORG_VALUES
        ):
            groups[v].add(u)
        elif (
            a["type"] in PLAN_RELATIONS and G.nodes[u]["type"] == "Plan" and G.nodes[v]["type"] in ORG_VALUES
        ):
            groups[u].add(v)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for group, members in groups.items():
        ordered = sorted(members)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                shared[(first, second)].add(group)
    rows = [
        {
            "a": a,
            "a_name": name(G, a),
            "b": b,
            "b_name": name(G, b),
            "shared": len(via),
            "via": "|".join(sorted(via)),
        }
        for (a, b), via in shared.items()
        if len(via) >= p["min_shared"]
    ]
    return as_frame(rows, CO_MEMBERSHIP.columns)


CO_MEMBERSHIP = Query(
    name="co_membership",
    question="Which organisations share rankings, groups or plans, and how many?",
    params=(Param("min_shared", "int", 1, "Only pairs sharing at least this many.", minimum=1),),
    columns=("a", "a_name", "b", "b_name", "shared", "via"),
    order_by=(("shared", False), ("a", True), ("b", True)),
    networkx=_co_membership,
    examples=({"min_shared": 2},),
)

QUERIES = (TALENT_FLOWS, NET_INFLOW, PLAN_INFLUENCE, GOV_PAIRS, CO_MEMBERSHIP)
