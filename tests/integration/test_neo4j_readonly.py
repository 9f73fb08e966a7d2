"""`aieco neo4j cypher` refuses every statement class that writes, administers or fetches,
and still answers read queries (against the real server)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aieco
from aieco.cli import app
from aieco.errors import Neo4jError, Neo4jReadOnlyError
from aieco.neo4j.store import Neo4jSettings, Neo4jStore

pytestmark = pytest.mark.neo4j

REFUSED = {
    "data write: CREATE": "CREATE (x:Intruder) RETURN x",
    "data write: MERGE": "MERGE (x:Intruder {id: 'x'})",
    "data write: SET": "MATCH (n:AiecoNode) SET n.pwned = true",
    "data write: DELETE": "MATCH (n:AiecoNode) DETACH DELETE n",
    "data write: REMOVE": "MATCH (n:City) REMOVE n:City",
    "data write: subquery": "MATCH (n:AiecoNode) CALL (n) { SET n.x = 1 } RETURN count(*) AS c",
    "data write: in transactions": "CALL { CREATE (:Intruder) } IN TRANSACTIONS",
    "schema: index": "CREATE INDEX evil IF NOT EXISTS FOR (n:City) ON (n.name_en)",
    "schema: drop constraint": "DROP CONSTRAINT aieco_node_id IF EXISTS",
    "schema: constraint": "CREATE CONSTRAINT evil IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE",
    "users: create": "CREATE USER mallory SET PASSWORD 'long-enough-password'",
    "users: alter": "ALTER USER neo4j SET PASSWORD 'long-enough-password'",
    "users: show": "SHOW USERS",
    "databases: show": "SHOW DATABASES",
    "databases: stop": "STOP DATABASE neo4j",
    "transactions: show": "SHOW TRANSACTIONS",
    "transactions: terminate": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "settings: show": "SHOW SETTINGS",
    "procedure: writes a label": "CALL db.createLabel('Evil')",
    "procedure: clears caches": "CALL db.clearQueryCaches()",
    "procedure: lists the config": "CALL dbms.listConfig()",
    "fetch: LOAD CSV from a URL": "LOAD CSV FROM $url AS row RETURN row",
    "fetch: LOAD CSV from a file": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
}
ANSWERED = {
    "match": ("MATCH (c:City {id: $id}) RETURN c.name_en AS name", {"id": "hefei"}, [{"name": "Hefei"}]),
    "labels": (
        "CALL db.labels() YIELD label WITH label WHERE label = 'City' RETURN label",
        {},
        [{"label": "City"}],
    ),
    "count": ("MATCH (n:Country) RETURN count(n) > 0 AS any", {}, [{"any": True}]),
}


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        _Counting.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a,b\n1,2\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    """A loopback web server: a refused LOAD CSV must never reach it."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/x.csv"
    server.shutdown()


@pytest.fixture(scope="module")
def pushed(neo4j_server: object, settings_module: Neo4jSettings) -> Iterator[Neo4jStore]:
    with Neo4jStore(settings_module) as store:
        store.push(aieco.graph_from_bundled(), replace=True)
        yield store


@pytest.fixture(scope="module")
def settings_module(neo4j_server: object) -> Neo4jSettings:
    info = neo4j_server.info() or neo4j_server.start()  # type: ignore[attr-defined]
    return Neo4jSettings(uri=info.uri, user=info.user, password=info.password)


@pytest.mark.parametrize("statement", list(REFUSED.values()), ids=list(REFUSED))
def test_refused_before_it_runs(pushed: Neo4jStore, canary: str, statement: str) -> None:
    nodes = pushed.count_nodes()
    with pytest.raises(Neo4jError) as info:
        pushed.run(statement, {"url": canary})
    assert (
        isinstance(info.value, Neo4jReadOnlyError)
        or "refused" in str(info.value)
        or "failed" in str(info.value)
    )
    assert pushed.count_nodes() == nodes
    assert _Counting.hits == 0


@pytest.mark.parametrize("case", list(ANSWERED), ids=list(ANSWERED))
def test_reads_are_answered(pushed: Neo4jStore, case: str) -> None:
    query, params, expected = ANSWERED[case]
    assert pushed.run(query, params).to_dict("records") == expected


def test_the_server_itself_refuses_load_csv(pushed: Neo4jStore, canary: str) -> None:
    """Even past aieco's check (a plain read transaction), the local server fetches nothing."""
    for url in (canary, "file:///etc/passwd"):
        with pytest.raises(Neo4jError, match="ExternalResourceFailed"):
            pushed.runner.read("LOAD CSV FROM $url AS row RETURN row", {"url": url})
    assert _Counting.hits == 0


def test_cli_refuses_in_one_line(
    pushed: Neo4jStore, settings_module: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEO4J_URI", settings_module.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", settings_module.password or "")
    result = CliRunner().invoke(app, ["neo4j", "cypher", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "not read-only" in lines[0]
    shown = CliRunner().invoke(app, ["neo4j", "cypher", "RETURN $x AS x", "-p", 'x="\\u001b[2Jcleared"'])
    assert shown.exit_code == 0
    assert "\x1b" not in shown.stdout
    assert "\\x1b[2Jcleared" in shown.stdout
