"""Compute engines of the measures: NetworkX (always there) and igraph's C core (``[fast]``).

A measure takes ``engine=``:

``"networkx"``
    NetworkX's own implementations.
``"igraph"``
    igraph's C core, through :func:`to_igraph`; results are rescaled to NetworkX's
    normalisation (tests hold the two within 1e-6). Needs ``pip install 'aieco[fast]'``.
``"auto"``
    igraph when it is installed and the graph has more than :data:`AUTO_IGRAPH_NODES` nodes.

Examples
--------
>>> import networkx as nx
>>> pick("auto", nx.path_graph(3))
'networkx'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, get_args

import networkx as nx

from aieco.errors import InvalidArgumentError, MissingDependencyError

#: The engines a measure can run on.
MetricEngine = Literal["networkx", "igraph", "auto"]
METRIC_ENGINES: tuple[str, ...] = get_args(MetricEngine)
#: Above this many nodes ``"auto"`` picks igraph (when installed).
AUTO_IGRAPH_NODES = 500
#: Scores of a measure: node → value, as NetworkX returns them.
Scores = dict[Any, float]


def igraph_module() -> Any:
    """Import igraph, or raise :class:`~aieco.errors.MissingDependencyError` with the install hint."""
    try:
        import igraph
    except ImportError as exc:
        raise MissingDependencyError(
            "the igraph engine needs python-igraph: pip install 'aieco[fast]' (or pip install igraph)"
        ) from exc
    return igraph


def has_igraph() -> bool:
    """Tell whether the igraph engine is available."""
    try:
        igraph_module()
    except MissingDependencyError:
        return False
    return True


def pick(engine: MetricEngine, H: nx.Graph) -> Literal["networkx", "igraph"]:
    """The engine a measure runs on for this graph (resolves ``"auto"``)."""
    if engine not in METRIC_ENGINES:
        raise InvalidArgumentError(f"unknown engine {engine!r}; choose from {', '.join(METRIC_ENGINES)}")
    if engine == "auto":
        return "igraph" if H.number_of_nodes() > AUTO_IGRAPH_NODES and has_igraph() else "networkx"
    return engine


#: The conversions shared inside a :func:`shared_igraph` block (none outside one).
_SHARED: ContextVar[dict[int, tuple[nx.Graph, Any, list[Any]]] | None] = ContextVar(
    "aieco_shared_igraph", default=None
)


@contextmanager
def shared_igraph() -> Iterator[None]:
    """Inside the block, each graph is converted to igraph once and every measure shares the
    conversion (the block must not change the graphs it measures: a report's measures on one
    projection). Outside any block nothing is kept, so a graph changed between two measures —
    a weight edited in place included — is never measured in its old form.

    >>> H = nx.path_graph(3)
    >>> with shared_igraph():
    ...     to_igraph(H)[0] is to_igraph(H)[0]
    True
    >>> to_igraph(H)[0] is to_igraph(H)[0]
    False
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def to_igraph(H: nx.Graph) -> tuple[Any, list[Any]]:
    """Convert a simple NetworkX graph to igraph; return the graph and the node order (shared
    inside a :func:`shared_igraph` block)."""
    shared = _SHARED.get()
    if shared is not None and id(H) in shared and shared[id(H)][0] is H:
        return shared[id(H)][1], shared[id(H)][2]
    ig = igraph_module()
    nodes = list(H.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    done: set[Any] = set()  # undirected: each edge once, from its first end (as H.edges() does)
    directed = H.is_directed()
    for u, neighbours in H.adjacency():
        iu = index[u]
        for v, data in neighbours.items():
            if v not in done:
                edges.append((iu, index[v]))
                weights.append(float(data.get("weight", 1.0)))
        if not directed:
            done.add(u)
    g = ig.Graph(n=len(nodes), edges=edges, directed=directed, edge_attrs={"weight": weights})
    if shared is not None:
        shared[id(H)] = (H, g, nodes)
    return g, nodes


def as_scores(nodes: list[Any], values: list[float]) -> Scores:
    """Pair igraph's values (in vertex order) with the node ids."""
    return {n: float(v) for n, v in zip(nodes, values, strict=True)}
