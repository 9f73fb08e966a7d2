"""A real Neo4j 5.26 server for the integration tests, started from Neo4j's own jars.

The server runs for the whole session in a temporary instance folder. When it cannot be
started (no Java, no Maven, no network for the first fetch) the tests are skipped, unless
``AIECO_REQUIRE_NEO4J=1`` (as in CI), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from aieco.errors import Neo4jSetupError
from aieco.neo4j.server import LocalNeo4jServer, ServerInfo
from aieco.neo4j.store import Neo4jSettings, Neo4jStore


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4jServer]:
    home: Path = tmp_path_factory.mktemp("neo4j-instance")
    server = LocalNeo4jServer("pytest", home=home, heap="1g", pagecache="256m")
    try:
        server.start()
    except Neo4jSetupError as exc:
        if os.environ.get("AIECO_REQUIRE_NEO4J") == "1":
            pytest.fail(f"Neo4j is required (AIECO_REQUIRE_NEO4J=1) but could not start: {exc}")
        pytest.skip(f"no local Neo4j: {exc}")
    yield server
    server.stop()


@pytest.fixture
def server_info(neo4j_server: LocalNeo4jServer) -> ServerInfo:
    info = neo4j_server.info()
    if info is None:  # a test that crashed it restarts it
        info = neo4j_server.start()
    return info


@pytest.fixture
def settings(server_info: ServerInfo) -> Neo4jSettings:
    return Neo4jSettings(uri=server_info.uri, user=server_info.user, password=server_info.password)


@pytest.fixture
def store(settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    """A connected store on an emptied database."""
    with Neo4jStore(settings) as connected:
        connected.clear()
        yield connected
