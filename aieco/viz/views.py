"""The network views: each function takes an :class:`EcosystemGraph` and returns a pyvis network.

=================  ===================================================================
view               what it shows
=================  ===================================================================
``overview``       every entity, coloured and shaped by type, sized by a centrality
``city``           one city's ego network: what sits in and around it, to a depth
``talent``         talent flows (width by share or count) and the spin-off lineage
``plans``          government bodies → plans → what they support → where it is
``geo``            cities at their longitude/latitude, organisations around their city
``rankings``       rankings and lists with their members, grouped by state or province
=================  ===================================================================

A view with more entities than ``max_nodes`` keeps the most central ones (or, for the
overview, can aggregate entities into one node per city and type) and says so on the page.

Examples
--------
>>> import aieco
>>> from aieco.viz import views
>>> net = views.city_ego(aieco.graph_from_bundled(), "合肥", depth=1)
>>> net.meta.title
'Hefei (合肥): ego network, depth 1'
>>> net.has_node("iflytek")
True
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from typing import Any

from aieco.errors import ViewError
from aieco.graph.containment import CONTAINMENT, place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import PLACE_LEVELS, PLACE_TYPES, NodeType, RelType
from aieco.viz.builder import (
    AGGREGATE_ABOVE,
    DEFAULT_MAX_NODES,
    DERIVED_VALUES,
    ENTITY_VALUES,
    CollabWeight,
    Degrade,
    SizeBy,
    ViewName,
    check_max_nodes,
    entities_of,
    keep_top,
    start_view,
    view_scores,
)
from aieco.viz.elements import label_of
from aieco.viz.geo import geographic
from aieco.viz.network import EcosystemNetwork, ViewMeta
from aieco.viz.style import AGGREGATE_STYLE, node_style

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_MAX_NODES",
    "Degrade",
    "SizeBy",
    "ViewName",
    "city_ego",
    "geographic",
    "overview",
    "plans",
    "rankings",
]

_PLACE_VALUES = frozenset(t.value for t in PLACE_TYPES)


# ---- overview ------------------------------------------------------------------------
def overview(
    eg: EcosystemGraph,
    *,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
    degrade: Degrade = "auto",
    collaboration: CollabWeight = "count",
) -> EcosystemNetwork:
    """Every entity and relationship, coloured and shaped by type, sized by centrality.

    Parameters
    ----------
    eg
        The ecosystem graph.
    size_by
        The centrality measure that sizes nodes (computed on all entities, undirected).
    max_nodes
        Above this many entities, degrade as ``degrade`` says.
    degrade
        ``"top-k"`` keeps the most central entities; ``"aggregate"`` draws one node per
        (place, type) group with the number of entities in it; ``"auto"`` (the default)
        aggregates above :data:`~aieco.viz.builder.AGGREGATE_ABOVE` entities and puts the
        full view (top-k) one click away: written beside the page, linked from it.
    collaboration
        Collaborations drawn by joint works (``"count"``) or by association strength.
    """
    check_max_nodes(max_nodes)
    scores = view_scores(eg, size_by)
    everything = entities_of(eg)
    if degrade == "auto" and len(everything) > AGGREGATE_ABOVE:
        net = _aggregate_overview(eg, scores, size_by, len(everything))
        net.companions["full"] = overview(
            eg, size_by=size_by, max_nodes=max_nodes, degrade="top-k", collaboration=collaboration
        )
        net.meta.notices.append(
            "The full graph, its most central entities one by one, is one click away (the link above; "
            "in Python: overview(eg, degrade='top-k'))."
        )
        return net
    if degrade == "aggregate" and len(everything) > max_nodes:
        return _aggregate_overview(eg, scores, size_by, len(everything))
    kept, total = keep_top(everything, scores, max_nodes)
    meta = ViewMeta(
        view="overview",
        title="The AI innovation ecosystem: overview",
        description=(
            "Every entity in the graph — places, universities, labs, companies, models, government "
            "bodies, plans, rankings, parks and compute centres — joined by its relationships. "
            f"Colour and shape show the type; size shows {size_by} centrality. Hover or click a node "
            "for its names in every script, its figures and their sources."
        ),
        stats={"entities in graph": f"{total:,}", "sized by": size_by},
    )
    net, b = start_view(eg, meta, kept, total, scores, size_by)
    b.collaboration = collaboration
    for node in sorted(kept, key=lambda n: (-scores.get(n, 0.0), n)):
        b.entity(node)
    b.relations_among(kept)
    return net


def _aggregate_overview(
    eg: EcosystemGraph, scores: Mapping[str, float], measure: str, total: int
) -> EcosystemNetwork:
    G = eg.G
    group_of: dict[str, tuple[str, str]] = {}
    for node in entities_of(eg):
        kind = str(G.nodes[node]["type"])
        if kind in _PLACE_VALUES:
            group_of[node] = (node, kind)
            continue
        place = None
        for level in PLACE_LEVELS:
            place = place_at_level(G, node, level)
            if place:
                break
        group_of[node] = (place or "(no place)", kind)
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for node, group in group_of.items():
        members[group].append(node)
    meta = ViewMeta(
        view="overview",
        title="The AI innovation ecosystem: overview (aggregated)",
        description=(
            "Each place is a node; every other entity is counted into one node per (place, type): "
            "e.g. “Company × 35 · Hefei”. Edge width counts the relationships between groups."
        ),
        stats={"entities in graph": f"{total:,}", "groups": f"{len(members):,}"},
        notices=[
            f"{total:,} entities are too many to draw one by one; they are aggregated into "
            f"{len(members):,} groups by the place they sit in and their type."
        ],
    )
    net = EcosystemNetwork(meta, directed=True)
    weight = {g: sum(scores.get(n, 0.0) for n in ns) for g, ns in members.items()}
    top = max(weight.values(), default=1.0) or 1.0
    ids: dict[tuple[str, str], str] = {}
    for i, (group, nodes) in enumerate(sorted(members.items(), key=lambda kv: -weight[kv[0]])):
        place, kind = group
        style = node_style(kind)
        if place == nodes[0] and len(nodes) == 1 and kind in _PLACE_VALUES:
            label = label_of(G.nodes[place], place)
            node_id = place
        else:
            where = label_of(G.nodes[place], place) if place in G else place
            label = f"{kind} × {len(nodes)} · {where}"
            node_id = f"group-{i}"
        ids[group] = node_id
        net.add_node(
            node_id,
            label=label,
            shape=style.shape if kind in _PLACE_VALUES else AGGREGATE_STYLE.shape,
            color=style.color,
            size=round(8 + 34 * math.sqrt(weight[group] / top), 2),
            type=kind,
            title=f"{label}: {len(nodes)} entities",
            search=label,
            members=len(nodes),
        )
    links: Counter[tuple[str, str]] = Counter()
    for u, v, kind in G.edges(data="type"):
        if kind in DERIVED_VALUES or u not in group_of or v not in group_of:
            continue
        a, b = ids[group_of[u]], ids[group_of[v]]
        if a != b:
            links[(a, b)] += 1
    for (a, b), n in links.items():
        net.add_edge(
            a,
            b,
            type="aggregate",
            width=round(1 + math.log2(n), 2),
            title=f"{n} relationships",
            color="#b8c2cc",
        )
    return net


# ---- city ego network ----------------------------------------------------------------
def city_ego(
    eg: EcosystemGraph,
    city: str,
    *,
    depth: int = 2,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
    collaboration: CollabWeight = "count",
) -> EcosystemNetwork:
    """What sits in and around one city: everything within ``depth`` relationships.

    The walk passes through organisations, plans and sites but stops at other places (a
    country would otherwise pull in the whole country), which are drawn as the edge of the view.

    Parameters
    ----------
    eg
        The ecosystem graph.
    city
        The city, by id or by any of its names in any script (``合肥``, ``Hefei``…).
    depth
        How many relationships away from the city to go (1–4).
    size_by, max_nodes, collaboration
        As in :func:`overview`.
    """
    check_max_nodes(max_nodes)
    if not 1 <= depth <= 4:
        raise ViewError("depth must be between 1 and 4")
    centre = eg.resolve(city, types=[NodeType.CITY, NodeType.REGION])
    G = eg.G
    hops = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        if hops[node] >= depth or (node != centre and G.nodes[node]["type"] in _PLACE_VALUES):
            continue
        neighbours = [v for _, v, t in G.out_edges(node, data="type") if t not in DERIVED_VALUES]
        neighbours += [u for u, _, t in G.in_edges(node, data="type") if t not in DERIVED_VALUES]
        for other in neighbours:
            if other not in hops and G.nodes[other]["type"] in ENTITY_VALUES:
                hops[other] = hops[node] + 1
                queue.append(other)
    scores = view_scores(eg, size_by)
    kept, total = keep_top(hops, scores, max_nodes, pinned=[centre])
    name = label_of(G.nodes[centre], centre, limit=80)
    original = next(
        (G.nodes[centre][f] for f in ("name_zh_hans", "name_ja", "name_zh_hant") if G.nodes[centre].get(f)),
        None,
    )
    title = f"{name} ({original})" if original and original != name else name
    meta = ViewMeta(
        view="city",
        title=f"{title}: ego network, depth {depth}",
        description=(
            f"Everything within {depth} relationship(s) of {name}: the organisations, parks, compute "
            "centres, plans and people in and around it. Other places are shown where the walk "
            "reaches them but not walked through. The centre is the largest ring."
        ),
        stats={"entities": f"{len(kept):,}", "sized by": size_by},
    )
    net, b = start_view(eg, meta, kept, total, scores, size_by)
    b.collaboration = collaboration
    b.entity(centre, size=46, borderWidth=4, level=0)
    for node in sorted(kept - {centre}, key=lambda n: (hops[n], -scores.get(n, 0.0), n)):
        b.entity(node)
    b.relations_among(kept)
    return net


# ---- government plans ---------------------------------------------------------------
def plans(
    eg: EcosystemGraph,
    *,
    plan: str | None = None,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> EcosystemNetwork:
    """Government bodies → the plans they issue → what the plans support → where it is.

    Laid out left to right in four levels. ``plan`` (any name or id) keeps one plan.
    """
    check_max_nodes(max_nodes)
    G = eg.G
    plan_ids = [eg.resolve(plan, types=[NodeType.PLAN])] if plan else entities_of(eg, [NodeType.PLAN.value])
    acts = {RelType.SUPPORTS.value, RelType.TARGETS.value, RelType.FUNDS.value}
    level: dict[str, int] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for p in plan_ids:
        level[p] = 1
        for _, issuer, a in G.out_edges(p, data=True):
            if a.get("type") == RelType.ISSUED_BY.value:
                level.setdefault(issuer, 0)
                edges.append((issuer, p, a))  # drawn body → plan
        for _, target, a in G.out_edges(p, data=True):
            if a.get("type") in acts and G.nodes[target]["type"] in ENTITY_VALUES:
                level.setdefault(target, 2)
                edges.append((p, target, a))
        for parent, _, a in G.in_edges(p, data=True):
            if (
                a.get("type") in acts | {RelType.PART_OF.value}
                and G.nodes[parent]["type"] == NodeType.PLAN.value
            ):
                edges.append((parent, p, a))
    for node in [n for n, lv in level.items() if lv == 2]:
        if G.nodes[node]["type"] in _PLACE_VALUES:
            continue
        for _, place, a in G.out_edges(node, data=True):
            if a.get("type") in CONTAINMENT and G.nodes[place]["type"] in _PLACE_VALUES:
                level.setdefault(place, 3)
                edges.append((node, place, a))
    scores = view_scores(eg, size_by)
    kept, total = keep_top(level, scores, max_nodes, pinned=plan_ids)
    meta = ViewMeta(
        view="plans",
        title="Government plans and what they support",
        description=(
            "Left to right: the bodies (or city and provincial governments) that issue plans; the "
            "plans, policies and programmes; the organisations, parks, models and places they "
            "support, target or fund; and where those sit."
        ),
        stats={"plans": len(plan_ids), "entities": f"{len(kept):,}"},
    )
    net, b = start_view(eg, meta, kept, total, scores, size_by, hierarchical=True)
    for node in sorted(kept, key=lambda n: (level[n], -scores.get(n, 0.0), n)):
        b.entity(node, level=level[node])
    for u, v, a in edges:
        if u in kept and v in kept:
            b.relation(u, v, a)
    return net


# ---- rankings -----------------------------------------------------------------------
def rankings(
    eg: EcosystemGraph,
    *,
    ranking: str | None = None,
    size_by: SizeBy = "pagerank",
    max_nodes: int = DEFAULT_MAX_NODES,
) -> EcosystemNetwork:
    """Rankings, lists and groups with their members, each member joined to its state or province.

    Edge labels give the rank or the count (e.g. Forbes AI 50 2023: California 35). ``ranking``
    (any name or id) keeps one ranking.
    """
    check_max_nodes(max_nodes)
    G = eg.G
    chosen = (
        [eg.resolve(ranking, types=[NodeType.RANKING])]
        if ranking
        else entities_of(eg, [NodeType.RANKING.value])
    )
    listing = {RelType.LISTED_IN.value, RelType.MEMBER_OF.value}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    level: dict[str, int] = dict.fromkeys(chosen, 0)
    for r in chosen:
        for member, _, a in G.in_edges(r, data=True):
            if a.get("type") in listing and G.nodes[member]["type"] in ENTITY_VALUES:
                level.setdefault(member, 1)
                edges.append((r, member, a))
    for member in [n for n, lv in level.items() if lv == 1]:
        kind = G.nodes[member]["type"]
        if kind in (NodeType.REGION.value, NodeType.COUNTRY.value):
            continue
        region = place_at_level(G, member, NodeType.REGION.value)
        if region and region != member:
            level.setdefault(region, 2)
            edges.append((member, region, {"type": "IN_REGION", "source": ""}))
    scores = view_scores(eg, size_by)
    kept, total = keep_top(level, scores, max_nodes, pinned=chosen)
    meta = ViewMeta(
        view="rankings",
        title="Rankings, lists and groups"
        if not ranking
        else label_of(G.nodes[chosen[0]], chosen[0], limit=90),
        description=(
            "Each ranking or list (diamond) joined to its members — companies, metros, states, models — "
            "with the rank or count the source gives on the link; members are grouped by the state or "
            "province they sit in (e.g. the Forbes AI 50 2023 companies by state)."
        ),
        stats={"rankings": len(chosen), "members": sum(1 for v in level.values() if v == 1)},
    )
    net, b = start_view(eg, meta, kept, total, scores, size_by)
    for node in sorted(kept, key=lambda n: (level[n], -scores.get(n, 0.0), n)):
        b.entity(node)
    for u, v, a in edges:
        if u not in kept or v not in kept:
            continue
        if a.get("type") == "IN_REGION":
            net.add_edge(
                u,
                v,
                type="IN_REGION",
                color="#9fb3c8",
                dashes=True,
                width=1,
                title=f"{label_of(G.nodes[u], u)} is in {label_of(G.nodes[v], v)}",
            )
            continue
        label = _rank_label(a)
        width = 1.5 + (math.log2(float(a["count"])) * 1.5 if a.get("count") else 0)
        b.relation(u, v, a, label=label, width=round(width, 2))
    return net


def _rank_label(attrs: Mapping[str, Any]) -> str:
    """'#3', '× 35' or '' for a listing relationship.

    >>> _rank_label({"rank": 3.0}), _rank_label({"count": 35.0}), _rank_label({})
    ('#3', '× 35', '')
    """
    if attrs.get("rank") is not None:
        return f"#{float(attrs['rank']):g}"
    if attrs.get("count") is not None:
        return f"× {float(attrs['count']):g}"
    return ""
