"""The predefined query catalogue: one entry = name, parameters, a Cypher file and a NetworkX
function, giving the same answer on both engines.

Imports :mod:`aieco.metrics`, :mod:`aieco.neo4j` (for typing), :mod:`aieco.loaders` and below.
"""

from aieco.errors import QueryError
from aieco.queries.base import Param, Query
from aieco.queries.catalogue import CATALOGUE, get_query, run_query

__all__ = ["CATALOGUE", "Param", "Query", "QueryError", "get_query", "run_query"]
