"""Shared machinery of the network views: what a view is called, how it sizes its nodes,
keeps its most central entities under ``max_nodes``, and adds entities and relationships.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from aieco.errors import InvalidArgumentError, ViewError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.projection import Projection, project, valid_years
from aieco.graph.schema import DERIVED_RELS, ENTITY_TYPES
from aieco.metrics import centrality as C
from aieco.viz.elements import edge_title, esc, label_of, observation_index, search_text, tooltip_html
from aieco.viz.network import DEFAULT_EDGE_WIDTH, EcosystemNetwork, ViewMeta
from aieco.viz.style import edge_color, node_style

logger = logging.getLogger(__name__)

ViewName = Literal["overview", "city", "talent", "plans", "geo", "rankings", "sankey"]
SizeBy = Literal["pagerank", "degree", "betweenness", "eigenvector", "closeness", "harmonic"]
Degrade = Literal["auto", "top-k", "aggregate"]
#: Above this many entities the overview is aggregated by default (``degrade="auto"``), with the
#: full graph (its ``max_nodes`` most central entities) written beside it.
AGGREGATE_ABOVE = 5_000
#: What sets a collaboration's width: its joint works, or its association strength (joint works over
#: the product of the two organisations' totals; :mod:`aieco.metrics.association`).
CollabWeight = Literal["count", "association"]
#: Where the talent view draws flows: as the data give them, or between places at a level.
FlowRollup = Literal["as-is", "City", "Region", "Country"]

#: Above this many entities a view keeps the most central ones (benchmarks/bench_viz.py: with
#: positions computed in Python and the edges painted, Chromium draws 10,000 dense entities in
#: ~1.6 s on 2 cores and redraws them in 0.1–0.2 s).
DEFAULT_MAX_NODES = 10_000

ENTITY_VALUES = frozenset(t.value for t in ENTITY_TYPES)
DERIVED_VALUES = frozenset(r.value for r in DERIVED_RELS)


class ViewBuilder:
    """Adds entities and relationships of one graph to one network, consistently."""

    def __init__(self, eg: EcosystemGraph, net: EcosystemNetwork, scores: Mapping[str, float], measure: str):
        self.eg = eg
        self.net = net
        self.scores = scores
        self.measure = measure
        self.top = max(scores.values(), default=0.0) or 1.0
        self.observations = observation_index(eg)
        #: How collaborations are weighted (a view's ``collaboration`` option).
        self.collaboration: CollabWeight = "count"
        self._association: dict[frozenset[str], float] | None = None

    def association(self, u: str, v: str) -> float:
        """The association strength of a collaborating pair, over every collaboration in the graph."""
        if self._association is None:
            from aieco.metrics.association import association_strength, collaboration_links

            links = collaboration_links(self.eg.G)
            self._association = {frozenset(k): x for k, x in association_strength(links).items()}
        return self._association.get(frozenset((u, v)), 0.0)

    def size(self, node_id: str, *, base: float = 8.0, span: float = 34.0) -> float:
        """Area-true size: the radius grows with the square root of the score."""
        return round(base + span * math.sqrt(max(self.scores.get(node_id, 0.0), 0.0) / self.top), 2)

    def entity(self, node_id: str, *, note: str = "", **extra: Any) -> None:
        attrs = self.eg.G.nodes[node_id]
        kind = str(attrs["type"])
        style = node_style(kind)
        score = self.scores.get(node_id)
        options: dict[str, Any] = {
            "label": label_of(attrs, node_id),
            "shape": style.shape,
            "color": style.color,
            "size": self.size(node_id),
            "type": kind,
            "title": search_text(attrs, node_id),
            "search": search_text(attrs, node_id),
            "tooltip": tooltip_html(
                self.eg,
                node_id,
                observations=self.observations,
                score=(self.measure, score) if score is not None else None,
                extra=f"<div class='note'>{esc(note)}</div>" if note else "",
            ),
        }
        options |= _years(attrs)
        options.update(extra)
        self.net.add_node(node_id, **options)

    def relation(self, u: str, v: str, attrs: Mapping[str, Any], **extra: Any) -> None:
        kind = str(attrs.get("type", ""))
        options: dict[str, Any] = {
            "type": kind,
            "color": edge_color(kind),
            "title": edge_title(self.eg, attrs, u, v),
            "width": DEFAULT_EDGE_WIDTH,
        }
        if kind == "COLLABORATES_WITH" and u != v:  # joint works, or strength once size is accounted for
            strength = self.association(u, v)
            count = float(attrs.get("count") or 1.0)
            width = (
                1 + 2.5 * min(strength, 4.0)
                if self.collaboration == "association"
                else 1 + 1.5 * math.log1p(count)
            )
            options |= {
                "width": round(width, 2),
                "title": f"{options['title']} · association strength {strength:.2f}",
            }
        if kind == "TALENT_FLOW":  # every view shows how much talent a flow carries
            if attrs.get("share") is not None:
                options |= {"label": f"{float(attrs['share']):.0%}", "width": 1.5 + 8 * float(attrs["share"])}
            elif attrs.get("count") is not None:
                count = float(attrs["count"])
                options |= {"label": f"{count:,.0f}", "width": round(1.5 + 2 * math.log1p(count), 2)}
        options |= _years(attrs)
        options.update(extra)
        self.net.add_edge(u, v, **options)

    def relations_among(self, kept: set[str], *, types: frozenset[str] | None = None) -> None:
        """Every hand-written relationship whose two ends are both in the view."""
        for u, v, attrs in self.eg.G.edges(data=True):
            kind = attrs.get("type")
            if kind in DERIVED_VALUES or u not in kept or v not in kept:
                continue
            if types is not None and kind not in types:
                continue
            self.relation(u, v, attrs)


def _years(attrs: Mapping[str, Any]) -> dict[str, int]:
    """``start``/``end`` years for the page's year slider (only those the data give)."""
    start, end = valid_years(attrs)
    return {k: v for k, v in (("start", start), ("end", end)) if v is not None}


def view_scores(eg: EcosystemGraph, measure: str) -> dict[str, float]:
    H = project(eg, Projection())
    options: dict[str, Any] = {}
    if measure == "betweenness" and H.number_of_nodes() > 5000:
        options["k"] = 256
    if measure in ("closeness", "harmonic") and H.number_of_nodes() > 20000:
        raise ViewError(
            f"{measure} on {H.number_of_nodes()} entities takes hours; size by pagerank or degree"
        )
    try:
        return C.compute(H, measure, engine="auto", **options)
    except InvalidArgumentError as exc:
        raise ViewError(str(exc)) from exc


def keep_top(
    candidates: Iterable[str],
    scores: Mapping[str, float],
    max_nodes: int,
    *,
    pinned: Iterable[str] = (),
) -> tuple[set[str], int]:
    """The ``max_nodes`` most central candidates (pinned ones always kept), and how many there were."""
    pool = list(dict.fromkeys(candidates))
    if len(pool) <= max_nodes:
        return set(pool), len(pool)
    keep = [p for p in pinned if p in set(pool)]
    ranked = sorted(pool, key=lambda n: (-scores.get(n, 0.0), n))
    for node in ranked:
        if len(keep) >= max_nodes:
            break
        if node not in keep:
            keep.append(node)
    return set(keep), len(pool)


def top_k_notice(shown: int, total: int, measure: str) -> str:
    return (
        f"This view would hold {total:,} entities, more than a browser draws smoothly; it shows the "
        f"{shown:,} most central by {measure}. Use --max-nodes to change the limit, or "
        f"--aggregate (overview) to see every entity grouped by city and type."
    )


def start_view(
    eg: EcosystemGraph,
    meta: ViewMeta,
    kept: set[str],
    total: int,
    scores: Mapping[str, float],
    size_by: str,
    *,
    hierarchical: bool = False,
) -> tuple[EcosystemNetwork, ViewBuilder]:
    """The network of a view and its builder, with the top-k notice when entities were dropped."""
    if len(kept) < total:
        meta.notices.append(top_k_notice(len(kept), total, size_by))
    net = EcosystemNetwork(meta, directed=True, hierarchical=hierarchical)
    return net, ViewBuilder(eg, net, scores, size_by)


def entities_of(eg: EcosystemGraph, types: Iterable[str] | None = None) -> list[str]:
    wanted = ENTITY_VALUES if types is None else frozenset(types)
    return [n for n, kind in eg.G.nodes(data="type") if kind in wanted]


def check_max_nodes(max_nodes: int) -> None:
    if max_nodes < 1:
        raise InvalidArgumentError(f"max_nodes must be at least 1; got {max_nodes}")
