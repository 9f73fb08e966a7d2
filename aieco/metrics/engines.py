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


#: Where a projection keeps its igraph form (converted once, reused by every measure).
IGRAPH_CACHE_KEY = "_aieco_igraph"


def to_igraph(H: nx.Graph) -> tuple[Any, list[Any]]:
    """Convert a simple NetworkX graph to igraph; return the graph and the node order.

    The conversion is done once per graph and kept in ``H.graph`` (keyed by the graph's size, so
    a graph changed since is converted again): every measure on a projection shares it.
    """
    size = (H.number_of_nodes(), H.number_of_edges(), H.is_directed())
    cached = H.graph.get(IGRAPH_CACHE_KEY)
    if cached is not None and cached[0] == size:
        return cached[1], cached[2]
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
    H.graph[IGRAPH_CACHE_KEY] = (size, g, nodes)
    return g, nodes


def as_scores(nodes: list[Any], values: list[float]) -> Scores:
    """Pair igraph's values (in vertex order) with the node ids."""
    return {n: float(v) for n, v in zip(nodes, values, strict=True)}
