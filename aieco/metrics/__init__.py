"""Measures on projected graphs, one module per family: centrality (and its engines),
roll-ups, density, concentration and communities; each returns ``dict[node, float]`` or a table.

Imports :mod:`aieco.graph` and :mod:`aieco.errors` only.
"""

from aieco.metrics.engines import AUTO_IGRAPH_NODES, METRIC_ENGINES, MetricEngine, has_igraph

__all__ = ["AUTO_IGRAPH_NODES", "METRIC_ENGINES", "MetricEngine", "has_igraph"]
