"""Connection errors are clear, typed, and read-only queries cannot write."""

from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import Neo4jAuthError, Neo4jConnectionError, Neo4jError
from aieco.neo4j.server.local import free_port
from aieco.neo4j.store import Neo4jSettings, Neo4jStore

pytestmark = pytest.mark.neo4j


def test_wrong_password(settings: Neo4jSettings) -> None:
    bad = dataclasses.replace(settings, password="not-the-password")
    with pytest.raises(Neo4jAuthError) as info, Neo4jStore(bad):
        pass
    assert settings.uri in str(info.value)


def test_closed_port() -> None:
    closed = Neo4jSettings(uri=f"bolt://127.0.0.1:{free_port()}", password="x")
    with pytest.raises(Neo4jConnectionError) as info, Neo4jStore(closed):
        pass
    assert "refused" in str(info.value)


def test_cli_reports_connection_errors_in_one_line(
    settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong")
    result = CliRunner().invoke(app, ["neo4j", "cypher", "RETURN 1"])
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "refused the credentials" in lines[0]


def test_cypher_is_read_only_and_parameterised(store: Neo4jStore) -> None:
    with pytest.raises(Neo4jError):
        store.run("CREATE (x:Intruder) RETURN x")
    assert store.run("MATCH (x:Intruder) RETURN count(x) AS n")["n"].iloc[0] == 0
    injected = "x'}) DETACH DELETE n //"
    frame = store.run("RETURN $v AS v", {"v": injected})
    assert frame["v"].iloc[0] == injected
