"""Neo4j settings and the label whitelist (no server needed)."""

from __future__ import annotations

import pytest

import aieco
from aieco.errors import Neo4jAuthError, SchemaError
from aieco.neo4j.store import Neo4jSettings, Neo4jStore


def test_settings_from_environment_and_flags() -> None:
    env = {
        "NEO4J_URI": "neo4j+s://db.example:7687",
        "NEO4J_USER": "reader",
        "NEO4J_PASSWORD": "pw",
        "NEO4J_DATABASE": "eco",
    }
    s = Neo4jSettings.from_env(env)
    assert (s.uri, s.user, s.password, s.database) == ("neo4j+s://db.example:7687", "reader", "pw", "eco")
    flagged = Neo4jSettings.from_env(env, uri="bolt://127.0.0.1:1", password=None)
    assert (flagged.uri, flagged.password) == ("bolt://127.0.0.1:1", "pw")
    assert "pw" not in repr(s)


def test_no_password_is_a_clear_error() -> None:
    with pytest.raises(Neo4jAuthError, match="NEO4J_PASSWORD"):
        Neo4jStore(Neo4jSettings(password=None)).connect()


def test_labels_outside_the_schema_are_refused_before_any_write() -> None:
    eg = aieco.graph_from_synthetic(50, seed=1)
    eg.G.add_node("evil", type="Company` SET n.pwned = true //")

    class NoServer(Neo4jStore):
        def _write(self, query: str, **params: object) -> None:
            raise AssertionError("nothing may be written")

    with pytest.raises(SchemaError):
        NoServer(Neo4jSettings(password="x")).push(eg)
