"""The graph layer: schema, records, the in-memory EcosystemGraph, metrics and stores."""

from aieco.graph.ecosystem import EcosystemGraph, SearchHit
from aieco.graph.schema import NodeType, RelType

__all__ = ["EcosystemGraph", "NodeType", "RelType", "SearchHit"]
