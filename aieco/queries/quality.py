"""Queries about observations and provenance: trends, data quality, source coverage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from aieco.graph.ecosystem import EcosystemGraph
from aieco.queries.base import Param, Query, as_frame
from aieco.queries.nxcommon import NON_ENTITY, name, relationships


def _trend(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    rows = []
    for _, a in G.nodes(data=True):
        if a["type"] != "Observation" or a.get("indicator") != p["indicator"] or a.get("year") is None:
            continue
        if a.get("kind") != p["kind"] or (p["subjects"] and a["subject"] not in p["subjects"]):
            continue
        rows.append(
            {"subject": a["subject"], "name": name(G, a["subject"]), "year": a["year"], "value": a["value"]}
        )
    for r in rows:
        r["rank"] = 1 + sum(1 for x in rows if x["year"] == r["year"] and x["value"] > r["value"])
    for r in rows:
        earlier = [x for x in rows if x["subject"] == r["subject"] and x["year"] < r["year"]]
        if earlier:
            last = max(x["year"] for x in earlier)
            r["previous_rank"] = min(x["rank"] for x in earlier if x["year"] == last)
            r["rank_change"] = r["previous_rank"] - r["rank"]
    return as_frame(rows, TREND.columns)


TREND = Query(
    name="indicator_trend",
    question="How does an indicator move over the years for chosen places, and how do their ranks change?",
    params=(
        Param("indicator", "str", "ai_related_company_count", "Indicator name (see observations)."),
        Param("subjects", "entities", "", "Comma-separated entity ids (empty: all)."),
        Param(
            "kind",
            "choice",
            "actual",
            "actual, target or forecast.",
            choices=("actual", "target", "forecast"),
        ),
    ),
    columns=("subject", "name", "year", "value", "rank", "previous_rank", "rank_change"),
    order_by=(("subject", True), ("year", True)),
    networkx=_trend,
    examples=(
        {"indicator": "ai_related_company_count", "subjects": "beijing,shenzhen"},
        {"indicator": "ai_compute_share_inference", "kind": "forecast"},
    ),
)

CHECKS = ("all", "unsourced", "conflict", "arithmetic", "ledger", "support")


def _ledger_rows(G: Any) -> list[dict[str, Any]]:
    rows = []
    for n, a in G.nodes(data=True):
        if a["type"] != "Source" or a.get("ledger_facts") is None:
            continue
        captured, facts = a["ledger_captured"], a["ledger_facts"]
        detail = (
            f"{captured} of {facts} fact sentences captured, {a.get('ledger_partial', 0)} partly "
            f"({a['ledger_sentences']} sentences)"
        )
        rows.append(
            {"check": "ledger", "id": n, "detail": detail, "value": captured / facts if facts else None}
        )
        # each partly captured sentence: which figures its rows do not hold
        for gap, text, share in zip(
            a.get("ledger_gap_ids", []),
            a.get("ledger_gap_details", []),
            a.get("ledger_gap_values", []),
            strict=True,
        ):
            held, stated = share.split("/")
            rows.append({"check": "ledger", "id": gap, "detail": text, "value": int(held) / int(stated)})
    return rows


def _support_rows(G: Any) -> list[dict[str, Any]]:
    rows = []
    seen = []
    for n, a in G.nodes(data=True):
        if a.get("support") is None:
            continue
        seen.append(a["support"])
        if a["support"] == "none":
            kind = "observation" if a["type"] == "Observation" else "entity"
            rows.append(
                {"check": "support", "id": n, "detail": f"{kind}: its quote names none of it", "value": None}
            )
    for _, _, k, a in relationships(G):
        if a.get("support") is None:
            continue
        seen.append(a["support"])
        if a["support"] == "none":
            rows.append(
                {"check": "support", "id": k, "detail": "relationship: its quote names an end", "value": None}
            )
    if seen:
        by_quote, by_public = seen.count("quote"), seen.count("see_also")
        unsupported = len(seen) - by_quote - by_public
        detail = f"{by_quote} by their quote, {by_public} by a public source, {unsupported} unsupported"
        rows.append(
            {"check": "support", "id": "all", "detail": detail, "value": (by_quote + by_public) / len(seen)}
        )
    return rows


def _quality(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G, check = eg.G, p["check"]
    sources = {n for n, t in G.nodes(data="type") if t == "Source"}
    rows: list[dict[str, Any]] = []
    if check in ("all", "unsourced"):
        rows += [
            {"check": "unsourced", "id": n, "detail": "node", "value": None}
            for n, a in G.nodes(data=True)
            if a["type"] != "Source" and a.get("source") not in sources
        ]
        rows += [
            {"check": "unsourced", "id": k, "detail": "relationship", "value": None}
            for _, _, k, a in relationships(G)
            if a.get("source") not in sources
        ]
    if check in ("all", "conflict"):
        rows += [
            {"check": "conflict", "id": n, "detail": a["conflict"], "value": None}
            for n, a in G.nodes(data=True)
            if a.get("conflict")
        ]
        rows += [
            {"check": "conflict", "id": k, "detail": a["conflict"], "value": None}
            for _, _, k, a in relationships(G)
            if a.get("conflict")
        ]
    if check in ("all", "arithmetic"):
        obs = [(n, a) for n, a in G.nodes(data=True) if a["type"] == "Observation"]
        by_key = defaultdict(list)
        for _, a in obs:
            if a.get("year") is not None:
                by_key[(a["subject"], a["indicator"], a["year"])].append(a["value"])
        for n, a in obs:
            ind = a["indicator"]
            if not ind.endswith("_increase") or a.get("period_start") is None or a.get("period_end") is None:
                continue
            base = ind.removesuffix("_increase") + "_count"
            start = by_key.get((a["subject"], base, a["period_start"]))
            end = by_key.get((a["subject"], base, a["period_end"]))
            if start and end and end[0] - start[0] != a["value"]:
                rows.append({"check": "arithmetic", "id": n, "detail": base, "value": end[0] - start[0]})
    if check in ("all", "ledger"):
        rows += _ledger_rows(G)
    if check in ("all", "support"):
        rows += _support_rows(G)
    return as_frame(rows, QUALITY.columns)


QUALITY = Query(
    name="data_quality",
    question=(
        "Which facts lack a source, which are marked as conflicting, which figures do not add up, how much"
        " of each source the claims ledger captures, and which quotes do not name what they support?"
    ),
    params=(
        Param(
            "check",
            "choice",
            "all",
            "all, unsourced, conflict, arithmetic, ledger or support.",
            choices=CHECKS,
        ),
    ),
    columns=("check", "id", "detail", "value"),
    order_by=(("check", True), ("id", True)),
    networkx=_quality,
    examples=({"check": "arithmetic"}, {"check": "conflict"}, {"check": "ledger"}, {"check": "support"}),
)


def _coverage(eg: EcosystemGraph, p: Mapping[str, Any]) -> pd.DataFrame:
    G = eg.G
    counts: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, a in G.nodes(data=True):
        if a["type"] == "Observation":
            counts[a.get("source")]["observations"] += 1
        elif a["type"] not in NON_ENTITY:
            counts[a.get("source")]["entities"] += 1
    for _, _, _, a in relationships(G):
        counts[a.get("source")]["relationships"] += 1
    rows = []
    for s, t in G.nodes(data="type"):
        if t != "Source":
            continue
        c = counts.get(s, {})
        total = c.get("entities", 0) + c.get("relationships", 0) + c.get("observations", 0)
        if total < p["min_total"]:
            continue
        rows.append(
            {
                "source": s,
                "title": G.nodes[s].get("title"),
                "entities": c.get("entities", 0),
                "relationships": c.get("relationships", 0),
                "observations": c.get("observations", 0),
                "total": total,
            }
        )
    return as_frame(rows, COVERAGE.columns)


COVERAGE = Query(
    name="source_coverage",
    question="How many entities, relationships and observations does each source document support?",
    params=(Param("min_total", "int", 0, "Only sources supporting at least this many facts.", minimum=0),),
    columns=("source", "title", "entities", "relationships", "observations", "total"),
    order_by=(("total", False), ("source", True)),
    networkx=_coverage,
    examples=({"min_total": 10},),
)

QUERIES = (TREND, QUALITY, COVERAGE)
