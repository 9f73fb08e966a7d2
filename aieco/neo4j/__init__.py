"""Neo4j, aieco's second engine: the store (push, pull, read queries) behind a query-runner
protocol, its settings, and ``server/`` (a local Neo4j 5.26 started from its Maven Central jars).

Imports :mod:`aieco.graph` and :mod:`aieco.errors` only.
"""

from aieco.neo4j.runner import DriverRunner, QueryRunner
from aieco.neo4j.settings import Neo4jSettings
from aieco.neo4j.store import BASE_LABEL, DEFAULT_BATCH_SIZE, META_LABEL, Neo4jStore

__all__ = [
    "BASE_LABEL",
    "DEFAULT_BATCH_SIZE",
    "META_LABEL",
    "DriverRunner",
    "Neo4jSettings",
    "Neo4jStore",
    "QueryRunner",
]
