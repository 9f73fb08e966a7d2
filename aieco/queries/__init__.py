"""The predefined query catalogue: each query in Cypher and in NetworkX/pandas, same answer."""

from aieco.queries.base import Param, Query, QueryError
from aieco.queries.catalogue import CATALOGUE, get_query, run_query

__all__ = ["CATALOGUE", "Param", "Query", "QueryError", "get_query", "run_query"]
