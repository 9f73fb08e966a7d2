"""A local Neo4j server started from Neo4j's own jars (no Docker needed).

Imports :mod:`aieco.errors` only.
"""

from aieco.neo4j.server.local import NEO4J_VERSION, LocalNeo4jServer, ServerInfo, fetch_jars

__all__ = ["NEO4J_VERSION", "LocalNeo4jServer", "ServerInfo", "fetch_jars"]
