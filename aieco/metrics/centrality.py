"""Centrality measures on a projected ecosystem graph, NetworkX-style: ``dict[node, float]``.

Each measure runs on the simple graph a :class:`~aieco.graph.projection.Projection` gives
and takes an ``engine`` (``"networkx"``, ``"igraph"`` or ``"auto"``; see
:mod:`aieco.metrics.engines`).

Normalisations follow NetworkX: degree divides by n−1; betweenness by (n−1)(n−2) (and by
k/n when sampled); closeness is Wasserman–Faust improved for disconnected graphs; harmonic
is divided by n−1 here (NetworkX leaves it unnormalised); eigenvector has unit Euclidean norm;
PageRank sums to 1. On directed graphs closeness, harmonic and eigenvector use incoming
paths, as NetworkX does.

Examples
--------
>>> G = nx.star_graph(4)          # hub 0 and four leaves
>>> degree(G)[0], betweenness(G)[0], closeness(G)[1]
(1.0, 1.0, 0.5714285714285714)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import networkx as nx

from aieco.errors import InvalidArgumentError
from aieco.metrics.engines import MetricEngine, Scores, as_scores, pick, to_igraph

logger = logging.getLogger(__name__)

#: Below this many nodes eigenvector centrality uses the dense solver (exact, and defined for n < 3).
DENSE_EIGEN_NODES = 64

MEASURES: tuple[str, ...] = (
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "harmonic",
    "eigenvector",
    "pagerank",
)


# ---- degree ------------------------------------------------------------------------------
def degree(H: nx.Graph) -> Scores:
    """Degree centrality: neighbours / (n − 1)."""
    return {n: float(v) for n, v in nx.degree_centrality(H).items()} if len(H) > 1 else dict.fromkeys(H, 0.0)


def in_degree(H: nx.Graph) -> Scores:
    """In-degree centrality (directed projections; equals degree when undirected)."""
    if not H.is_directed() or len(H) < 2:
        return degree(H)
    return {n: float(v) for n, v in nx.in_degree_centrality(H).items()}


def out_degree(H: nx.Graph) -> Scores:
    """Out-degree centrality (directed projections; equals degree when undirected)."""
    if not H.is_directed() or len(H) < 2:
        return degree(H)
    return {n: float(v) for n, v in nx.out_degree_centrality(H).items()}


# ---- paths -------------------------------------------------------------------------------
def betweenness(
    H: nx.Graph,
    *,
    k: int | None = None,
    seed: int = 0,
    weighted: bool = False,
    engine: MetricEngine = "networkx",
) -> Scores:
    """Betweenness centrality, exact or estimated from ``k`` sampled source nodes.

    Sampling draws ``k`` sources with ``random.Random(seed)`` (the sample NetworkX draws, so
    both engines see the same sources) and rescales as NetworkX does.
    """
    n = H.number_of_nodes()
    weight = "weight" if weighted else None
    if k is not None and k >= n:
        k = None
    if pick(engine, H) == "networkx":
        exact = nx.betweenness_centrality(H, k=k, normalized=True, weight=weight, seed=seed)
        return {u: float(v) for u, v in exact.items()}
    g, nodes = to_igraph(H)
    # NetworkX counts ordered (s, t) pairs; igraph halves its counts on undirected graphs
    pair_factor = 1.0 if H.is_directed() else 2.0
    weights = "weight" if weighted else None
    if k is None:
        raw = g.betweenness(directed=H.is_directed(), weights=weights)
        norm = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
        return as_scores(nodes, [r * pair_factor * norm for r in raw])
    import random

    sampled = random.Random(seed).sample(list(H.nodes()), k)
    index = {u: i for i, u in enumerate(nodes)}
    sources = [index[s] for s in sampled]
    raw = g.betweenness(directed=H.is_directed(), weights=weights, sources=sources, targets=None)
    # NetworkX's sampled rescaling (endpoints excluded): sources saw k-1 other sources
    chosen = set(sampled)
    source_norm = 1.0 / ((k - 1) * (n - 2)) if k > 1 and n > 2 else 0.0
    other_norm = 1.0 / (k * (n - 2)) if n > 2 else 0.0
    return {
        u: float(r * pair_factor * (source_norm if u in chosen else other_norm))
        for u, r in zip(nodes, raw, strict=True)
    }


def closeness(
    H: nx.Graph, *, k: int | None = None, seed: int = 0, engine: MetricEngine = "networkx"
) -> Scores:
    """Closeness centrality (Wasserman–Faust for disconnected graphs; incoming on DiGraphs).

    With ``k``, estimated from ``k`` pivots (:func:`aieco.metrics.sampled.closeness_sampled`).
    """
    if k is not None and k < H.number_of_nodes():
        from aieco.metrics.sampled import closeness_sampled

        return closeness_sampled(H, k=k, seed=seed, engine=engine)
    if pick(engine, H) == "networkx" or H.is_directed():
        return {u: float(v) for u, v in nx.closeness_centrality(H).items()}
    g, nodes = to_igraph(H)
    n = len(nodes)
    raw = g.closeness(normalized=True)  # (r - 1) / sum of distances, over reachable nodes only
    sizes = [0] * n
    for component in g.connected_components():
        for v in component:
            sizes[v] = len(component)
    values = [
        0.0 if (c is None or c != c or n < 2) else c * (sizes[i] - 1) / (n - 1) for i, c in enumerate(raw)
    ]
    return as_scores(nodes, values)


def harmonic(
    H: nx.Graph, *, k: int | None = None, seed: int = 0, engine: MetricEngine = "networkx"
) -> Scores:
    """Harmonic centrality divided by n − 1 (incoming distances on DiGraphs).

    With ``k``, estimated from ``k`` pivots (:func:`aieco.metrics.sampled.harmonic_sampled`).
    """
    n = H.number_of_nodes()
    if k is not None and k < n:
        from aieco.metrics.sampled import harmonic_sampled

        return harmonic_sampled(H, k=k, seed=seed, engine=engine)
    if n < 2:
        return dict.fromkeys(H, 0.0)
    if pick(engine, H) == "networkx":
        # NetworkX sums 1/d(v, u) over the other nodes v: incoming distances on DiGraphs
        return {u: float(v) / (n - 1) for u, v in nx.harmonic_centrality(H).items()}
    g, nodes = to_igraph(H)
    values = g.harmonic_centrality(mode="in" if H.is_directed() else "all", normalized=True)
    return as_scores(nodes, values)


# ---- spectral ------------------------------------------------------------------------------
def eigenvector(H: nx.Graph, *, weighted: bool = False, engine: MetricEngine = "networkx") -> Scores:
    """Eigenvector centrality, unit Euclidean norm, on the largest connected component.

    The dominant eigenvector of a disconnected (or not strongly connected) graph is not
    unique, so both engines use the undirected view of the projection, restricted to its
    largest connected component (ties: the one holding the smallest node id); every other
    node scores 0.
    """
    scores = dict.fromkeys(H, 0.0)
    U = H.to_undirected(as_view=True) if H.is_directed() else H
    if U.number_of_edges() == 0:
        return scores
    weight = "weight" if weighted else None
    if pick(engine, H) == "igraph" and not H.is_directed():
        # components and the giant's subgraph on the igraph form (shared in a report): no NetworkX copy
        g, nodes = to_igraph(H)
        parts = g.connected_components()
        giant = min(parts, key=lambda c: (-len(c), min(str(nodes[i]) for i in c)))
        sub = g.induced_subgraph(giant)
        raw = sub.eigenvector_centrality(weights=weight)
        norm = sum(v * v for v in raw) ** 0.5 or 1.0
        scores.update({nodes[i]: abs(v) / norm for i, v in zip(giant, raw, strict=True)})
        return scores
    components = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(map(str, c))))
    core = U.subgraph(components[0]).copy()
    if pick(engine, H) == "networkx":
        if core.number_of_nodes() < DENSE_EIGEN_NODES:  # the sparse solver needs k < n - 1
            scores.update(_dense_eigenvector(core, weight))
            return scores
        values = nx.eigenvector_centrality_numpy(core, weight=weight)
        scores.update({u: abs(float(v)) for u, v in values.items()})
        return scores
    g, nodes = to_igraph(core)
    raw = g.eigenvector_centrality(weights="weight" if weighted else None)
    norm = sum(v * v for v in raw) ** 0.5 or 1.0
    scores.update(as_scores(nodes, [abs(v) / norm for v in raw]))
    return scores


def _dense_eigenvector(core: nx.Graph, weight: str | None) -> Scores:
    """The dominant eigenvector of a small connected graph, from the dense symmetric solver.

    >>> G = nx.path_graph(2)
    >>> {n: round(v, 6) for n, v in _dense_eigenvector(G, None).items()}
    {0: 0.707107, 1: 0.707107}
    """
    import numpy as np

    nodes = list(core)
    A = nx.to_numpy_array(core, nodelist=nodes, weight=weight)
    _, vectors = np.linalg.eigh(A)
    dominant = np.abs(vectors[:, -1])
    dominant /= np.linalg.norm(dominant) or 1.0
    return {n: float(x) for n, x in zip(nodes, dominant, strict=True)}


def pagerank(
    H: nx.Graph, *, alpha: float = 0.85, weighted: bool = True, engine: MetricEngine = "networkx"
) -> Scores:
    """PageRank (weights from the projection's ``weight``; 1 per relationship when unweighted)."""
    if H.number_of_nodes() == 0:
        return {}
    weight = "weight" if weighted else None
    if pick(engine, H) == "networkx":
        ranks = nx.pagerank(H, alpha=alpha, weight=weight, tol=1e-12, max_iter=1000)
        return {u: float(v) for u, v in ranks.items()}
    g, nodes = to_igraph(H)
    values = g.pagerank(directed=H.is_directed(), damping=alpha, weights="weight" if weighted else None)
    return as_scores(nodes, values)


MEASURE_FUNCTIONS: dict[str, Callable[..., Scores]] = {
    "degree": degree,
    "in_degree": in_degree,
    "out_degree": out_degree,
    "betweenness": betweenness,
    "closeness": closeness,
    "harmonic": harmonic,
    "eigenvector": eigenvector,
    "pagerank": pagerank,
}


def compute(H: nx.Graph, measure: str, *, engine: MetricEngine = "networkx", **options: Any) -> Scores:
    """Compute one measure by name (see :data:`MEASURES`)."""
    try:
        func = MEASURE_FUNCTIONS[measure]
    except KeyError:
        raise InvalidArgumentError(
            f"unknown measure {measure!r}; choose from {', '.join(MEASURES)}"
        ) from None
    if measure in ("degree", "in_degree", "out_degree"):
        return func(H)
    return func(H, engine=engine, **options)
