"""The data model and the in-memory graph: schema, records, build, validate, EcosystemGraph,
names/search, containment (places), projection and io.

Imports only :mod:`aieco.errors` and :mod:`aieco.atomic` (it is the bottom of the stack).
"""

from aieco.graph.ecosystem import EcosystemGraph, SearchHit
from aieco.graph.schema import NodeType, RelType

__all__ = ["EcosystemGraph", "NodeType", "RelType", "SearchHit"]
