"""Closeness and harmonic centrality estimated from ``k`` pivots, for graphs too large for exact.

Exact closeness and harmonic need a shortest-path search from every node (O(n·m)). Here ``k``
pivots are drawn with ``random.Random(seed)`` (as betweenness samples its sources) and searched
from; every node's distances *from* the pivots stand for its distances from everyone (on a
directed graph these are the incoming distances NetworkX uses).

* **harmonic** (divided by n − 1, as :func:`aieco.metrics.centrality.harmonic`): the mean of
  ``1/d(p, v)`` over the pivots ``p ≠ v`` is an unbiased estimate of the mean over all nodes.
  Each term lies in [0, 1], so by Hoeffding's inequality and a union bound over the n nodes, with
  probability at least 1 − δ *every* node's estimate is within
  :func:`harmonic_error_bound` = sqrt(ln(2n/δ) / (2k)) of the exact value.
* **closeness** (Wasserman–Faust, as NetworkX): ((r − 1)/(n − 1)) / mean distance to v, with r the
  size of v's component (known exactly on undirected graphs, estimated from the pivots that reach
  v on directed ones) and the mean distance taken over the pivots in it (Eppstein and Wang's
  estimator). Nodes in components no pivot fell into are computed exactly (those components are
  small). Its error is relative to the mean distance; ``tests/unit/test_sampled.py`` measures it
  against the exact values at 10,000 nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import networkx as nx
import numpy as np

from aieco.errors import InvalidArgumentError
from aieco.metrics.engines import MetricEngine, Scores, pick, to_igraph

#: Pivots searched from at once (bounds the memory of the distance block: CHUNK × n floats).
CHUNK = 32


def harmonic_error_bound(n: int, k: int, *, delta: float = 0.05) -> float:
    """Largest error of every node's sampled harmonic estimate at once, with probability 1 − δ.

    >>> round(harmonic_error_bound(10_000, 256), 3)
    0.159
    """
    return math.sqrt(math.log(2 * n / delta) / (2 * k))


def pivots(H: nx.Graph, k: int, seed: int) -> list[object]:
    """The ``k`` sampled pivots (all nodes when k ≥ n)."""
    if k < 1:
        raise InvalidArgumentError(f"the number of pivots must be at least 1; got {k}")
    nodes = list(H.nodes())
    return nodes if k >= len(nodes) else random.Random(seed).sample(nodes, k)


def _distance_blocks(H: nx.Graph, chosen: list[object], engine: MetricEngine) -> Iterator[np.ndarray]:
    """Rows of d(pivot, v) (inf when unreachable), columns in ``H.nodes()`` order."""
    nodes = list(H.nodes())
    if pick(engine, H) == "igraph":
        g, order = to_igraph(H)
        index = {n: i for i, n in enumerate(order)}
        for start in range(0, len(chosen), CHUNK):
            block = np.asarray(
                g.distances(source=[index[p] for p in chosen[start : start + CHUNK]], mode="out"), dtype=float
            )
            yield block  # to_igraph orders vertices as H.nodes(), the column order wanted
        return
    position = {n: i for i, n in enumerate(nodes)}
    for p in chosen:
        row = np.full(len(nodes), np.inf)
        for v, d in nx.single_source_shortest_path_length(H, p).items():
            row[position[v]] = d
        yield row[None, :]


def _components(H: nx.Graph, engine: MetricEngine) -> list[set[object]]:
    """The connected components of an undirected graph (igraph's, on the shared conversion)."""
    if pick(engine, H) != "igraph":
        return list(nx.connected_components(H))
    g, order = to_igraph(H)
    groups: dict[int, set[object]] = {}
    for node, member in zip(order, g.connected_components().membership, strict=True):
        groups.setdefault(member, set()).add(node)
    return list(groups.values())


def _tallies(H: nx.Graph, chosen: list[object], engine: MetricEngine) -> tuple[np.ndarray, ...]:
    n = H.number_of_nodes()
    inverse, total, reached = np.zeros(n), np.zeros(n), np.zeros(n)
    for block in _distance_blocks(H, chosen, engine):
        finite = np.isfinite(block) & (block > 0)
        safe = np.where(finite, block, 1.0)
        inverse += np.where(finite, 1.0 / safe, 0.0).sum(axis=0)
        total += np.where(finite, block, 0.0).sum(axis=0)
        reached += finite.sum(axis=0)
    is_pivot = np.zeros(n)
    position = {v: i for i, v in enumerate(H.nodes())}
    for p in chosen:
        is_pivot[position[p]] = 1.0
    others = len(chosen) - is_pivot  # pivots other than the node itself
    return inverse, total, reached, others


def harmonic_sampled(H: nx.Graph, *, k: int, seed: int = 0, engine: MetricEngine = "auto") -> Scores:
    """Harmonic centrality / (n − 1), estimated from ``k`` pivots (see the module docstring)."""
    if H.number_of_nodes() < 2:
        return dict.fromkeys(H, 0.0)
    inverse, _, _, others = _tallies(H, pivots(H, k, seed), engine)
    values = np.divide(inverse, others, out=np.zeros_like(inverse), where=others > 0)
    return {v: float(x) for v, x in zip(H.nodes(), values, strict=True)}


def closeness_sampled(H: nx.Graph, *, k: int, seed: int = 0, engine: MetricEngine = "auto") -> Scores:
    """Wasserman–Faust closeness, estimated from ``k`` pivots (see the module docstring)."""
    n = H.number_of_nodes()
    if n < 2:
        return dict.fromkeys(H, 0.0)
    chosen = pivots(H, k, seed)
    _, total, reached, others = _tallies(H, chosen, engine)
    nodes = list(H.nodes())
    directed = H.is_directed()
    components = [] if directed else _components(H, engine)  # found once, used twice
    if directed:
        reach = (n - 1) * np.divide(reached, others, out=np.zeros_like(reached), where=others > 0)
    else:
        size = {v: len(c) for c in components for v in c}
        reach = np.array([size[v] - 1 for v in nodes], dtype=float)
    mean = np.divide(total, reached, out=np.zeros_like(total), where=reached > 0)
    values = np.divide(reach / (n - 1), mean, out=np.zeros_like(mean), where=mean > 0)
    scores = {v: float(x) for v, x in zip(nodes, values, strict=True)}
    if not directed:  # components no pivot fell into: small, so exact
        hit = set(chosen)
        for component in components:
            if len(component) > 1 and not component & hit:
                exact = nx.closeness_centrality(H.subgraph(component))
                r = len(component)
                scores.update({v: float(c) * (r - 1) / (n - 1) for v, c in exact.items()})
    return scores
