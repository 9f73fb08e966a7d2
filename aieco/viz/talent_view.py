"""The talent view: weighted talent flows, the spin-off lineage, and flows rolled up to places."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import RelType
from aieco.metrics.intervals import SMALL_COUNT
from aieco.viz.builder import (
    DEFAULT_MAX_NODES,
    FlowRollup,
    SizeBy,
    ViewBuilder,
    check_max_nodes,
    keep_top,
    top_k_notice,
    view_scores,
)
from aieco.viz.network import EcosystemNetwork, ViewMeta


def talent_flows(
    eg: EcosystemGraph,
    *,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
    lineage: bool = True,
    level: FlowRollup = "as-is",
) -> EcosystemNetwork:
    """Talent moving between places and organisations.

    ``TALENT_FLOW`` relationships are drawn from → to with width by share (or count); with
    ``lineage``, spin-offs (people leaving to found a company) are drawn as flows from the
    parent to the spin-off, and people join the organisations they founded, lead or work at.
    With ``level`` (``City``, ``Region``, ``Country``) every flow is moved to the places at that
    level holding its two ends, counts of the same corridor are added (shares, which do not
    add, stay separate flows), flows inside one place drop out, and the lineage is not drawn.
    """
    check_max_nodes(max_nodes)
    G = eg.G
    flows = [(u, v, a) for u, v, a in G.edges(data=True) if a.get("type") == RelType.TALENT_FLOW.value]
    if level != "as-is":
        flows = rolled_up_flows(eg, flows, level)
        lineage = False
    people_rels = {RelType.FOUNDED.value, RelType.LEADS.value, RelType.WORKS_AT.value}
    lineage_edges: list[tuple[str, str, dict[str, Any]]] = []
    if lineage:
        for u, v, a in G.edges(data=True):
            if a.get("type") == RelType.SPUN_OFF_FROM.value:
                lineage_edges.append((v, u, a))  # talent moves parent → spin-off
            elif a.get("type") in people_rels:
                lineage_edges.append((u, v, a))
    candidates = [n for u, v, _ in flows + lineage_edges for n in (u, v)]
    scores = view_scores(eg, size_by)
    kept, total = keep_top(candidates, scores, max_nodes)
    meta = ViewMeta(
        view="talent",
        title="Talent flows",
        description=(
            "Where talent moves: weighted talent flows (arrow width by share or count, from → to) "
            + (
                "and the spin-off lineage — people leaving one firm to found the next — with the people "
                "who founded, lead or work at them. "
                if lineage
                else ". "
            )
            + "Tooltips list each place's talent figures with their sources."
        ),
        stats={"weighted flows": len(flows), "lineage links": len(lineage_edges)},
    )
    if len(kept) < total:
        meta.notices.append(top_k_notice(len(kept), total, size_by))
    if len(flows) < 5:
        meta.notices.append(
            f"The data hold {len(flows)} weighted talent flow(s); load your own TALENT_FLOW "
            "relationships (aieco viz talent --data FILE) to see more."
        )
    net = EcosystemNetwork(meta, directed=True)
    b = ViewBuilder(eg, net, scores, size_by)
    for node in sorted(kept, key=lambda n: (-scores.get(n, 0.0), n)):
        b.entity(node)
    top_weight = max((_flow_weight(a) for _, _, a in flows), default=1.0) or 1.0
    for u, v, a in flows:
        if u in kept and v in kept:
            w = _flow_weight(a)
            measure = "share" if a.get("share") is not None else "count"
            curve: dict[str, Any] = (
                {"smooth": {"type": "curvedCW", "roundness": 0.25}} if measure == "count" else {}
            )
            if measure == "count" and float(a.get("count") or 0) < SMALL_COUNT:
                curve["dashes"] = True  # a small corridor: one researcher more or less moves it a fifth
            b.relation(
                u,
                v,
                a,
                width=round(1.5 + 10 * w / top_weight, 2),
                color="#8e44ad",
                measure=measure,
                **curve,
            )
    for u, v, a in lineage_edges:
        if u in kept and v in kept:
            spin = a.get("type") == RelType.SPUN_OFF_FROM.value
            b.relation(
                u,
                v,
                a,
                width=3 if spin else 1,
                dashes=not spin,
                label="spin-off" if spin else str(a.get("type", "")).lower().replace("_", " "),
            )
    return net


def rolled_up_flows(
    eg: EcosystemGraph,
    flows: list[tuple[str, str, dict[str, Any]]],
    level: str,
    *,
    place_of: Callable[[str], str | None] | None = None,
) -> list[tuple[str, str, dict[str, Any]]]:
    """Flows between the places at ``level`` holding their ends, one a corridor and year: distinct
    researchers when the flows list them (OpenAlex pulls), else their counts added.

    ``place_of`` replaces the level's rule (the map moves each end to the nearest place it has
    a position for)."""
    G = eg.G
    if place_of is None:

        def place_of(node: str) -> str | None:
            return place_at_level(G, node, level)

    counts: dict[tuple[str, str, Any], dict[str, Any]] = {}
    keys: dict[tuple[str, str, Any], set[str]] = {}
    out = []
    for u, v, a in flows:
        pu, pv = place_of(u), place_of(v)
        if not pu or not pv or pu == pv:
            continue
        if a.get("count") is None:
            out.append((pu, pv, dict(a)))
            continue
        corridor = (pu, pv, a.get("year"))
        agg = counts.setdefault(
            corridor,
            {"type": RelType.TALENT_FLOW.value, "count": 0.0, "flows": 0, "source": a.get("source")}
            | ({"year": a["year"]} if a.get("year") is not None else {}),
        )
        if a.get("researchers"):
            keys.setdefault(corridor, set()).update(a["researchers"])
        else:
            agg["count"] += float(a["count"])
        agg["flows"] += 1
        agg["note"] = f"{agg['flows']} flow(s) between what these places hold, each researcher once"
    for corridor, found in keys.items():
        counts[corridor]["count"] += len(found)
    return out + [(pu, pv, a) for (pu, pv, _), a in sorted(counts.items(), key=lambda kv: str(kv[0]))]


def _flow_weight(attrs: Mapping[str, Any]) -> float:
    if attrs.get("share") is not None:
        return float(attrs["share"])
    return float(attrs.get("count") or 1.0)
