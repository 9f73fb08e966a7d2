"""The local server's life: a stable port, a database that fails recovery, a server killed
mid-query, a push terminated by another client — each a clear, typed, one-line error."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from typer.testing import CliRunner

import aieco
from aieco.cli import app
from aieco.errors import Neo4jConnectionError, Neo4jError, Neo4jSetupError
from aieco.neo4j.server import LocalNeo4jServer
from aieco.neo4j.store import Neo4jSettings, Neo4jStore

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture
def own_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalNeo4jServer]:
    """A second instance, under a private cache folder, that a test may break."""
    monkeypatch.setenv("AIECO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    lib = Path.home() / ".cache" / "aieco"  # reuse the fetched jars
    (tmp_path / "cache").mkdir()
    for jars in lib.glob("neo4j-*"):
        (tmp_path / "cache" / jars.name).symlink_to(jars)
    server = LocalNeo4jServer("default", heap="512m", pagecache="64m")
    yield server
    server.stop(grace=20)


def _settings(server: LocalNeo4jServer) -> Neo4jSettings:
    info = server.info()
    assert info is not None
    return Neo4jSettings(uri=info.uri, user=info.user, password=info.password)


def test_the_port_is_kept_across_restarts_unless_taken(own_instance: LocalNeo4jServer) -> None:
    first = own_instance.start()
    own_instance.stop()
    again = own_instance.start()
    assert again.port == first.port  # exported NEO4J_URI values stay valid
    own_instance.stop()
    with socket.socket() as squatter:
        # the stopped server's connections may linger in TIME_WAIT: listening is still exclusive
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", first.port))
        squatter.listen()
        moved = own_instance.start()
    assert moved.port != first.port


def test_a_server_killed_mid_query_is_a_connection_error(own_instance: LocalNeo4jServer) -> None:
    own_instance.start()
    failure: list[BaseException] = []

    def long_query() -> None:
        try:
            with Neo4jStore(_settings(own_instance)) as store:
                store.run("UNWIND range(1, 400000000) AS x RETURN sum(x) AS s")
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=long_query)
    thread.start()
    time.sleep(2.0)
    started = time.monotonic()
    own_instance.kill()
    thread.join(60)
    assert not thread.is_alive()
    assert failure, "the query finished before the server was killed"
    assert isinstance(failure[0], Neo4jConnectionError)
    assert time.monotonic() - started < 30


def test_a_database_that_fails_recovery_is_reported(own_instance: LocalNeo4jServer) -> None:
    info = own_instance.start()
    with Neo4jStore(_settings(own_instance)) as store:
        store.push(aieco.graph_from_synthetic(300, seed=1))
    own_instance.kill()
    logs = sorted((Path(info.home) / "data" / "transactions" / "neo4j").glob("neostore.transaction.db.*"))
    assert logs
    for log in logs:  # what a full disk or a torn write leaves behind
        data = bytearray(log.read_bytes())
        for i in range(64, min(len(data), 200_000), 97):
            data[i] = (data[i] + 113) % 256
        log.write_bytes(bytes(data))
    with pytest.raises(Neo4jSetupError, match="database failed to start"):
        own_instance.start(timeout=150)
    state, why = own_instance.health()
    assert state == "unhealthy"
    assert "offline" in why
    status = CliRunner().invoke(app, ["neo4j", "status"])
    assert status.exit_code == 1
    assert "not healthy" in status.stdout
    restart = CliRunner().invoke(app, ["neo4j", "start"])
    assert restart.exit_code == 3
    assert len([line for line in restart.stderr.splitlines() if line.strip()]) == 1


def _terminating(settings: Neo4jSettings, worker: threading.Thread, seconds: float) -> int:
    """Terminate every push transaction another client sees, for ``seconds`` or until the push ends."""
    killed = 0
    with GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password or "")) as admin:
        deadline = time.monotonic() + seconds
        while worker.is_alive() and time.monotonic() < deadline:
            records, _, _ = admin.execute_query(
                "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q "
                "WHERE q STARTS WITH 'UNWIND $rows' RETURN id"
            )
            for record in records:
                admin.execute_query("TERMINATE TRANSACTIONS $id", id=record["id"])
                killed += 1
            time.sleep(0.02)
    return killed


def _push_in_thread(
    store: Neo4jStore, eg: aieco.EcosystemGraph
) -> tuple[threading.Thread, list[BaseException]]:
    failure: list[BaseException] = []

    def push() -> None:
        try:
            # one transaction per label and type: each runs long enough to be seen and terminated
            store.push(eg, batch_size=1_000_000)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=push)
    thread.start()
    return thread, failure


def test_a_push_terminated_by_another_client_is_one_error_and_a_rerun_completes(
    store: Neo4jStore, settings: Neo4jSettings
) -> None:
    big = aieco.graph_from_synthetic(20_000, seed=4)
    thread, failure = _push_in_thread(store, big)
    killed = _terminating(settings, thread, 90)
    thread.join(60)
    assert killed >= 1
    assert failure, "the push did not notice"
    # Neo4j says Transaction.Terminated, or Transaction.LockClientStopped when the transaction was
    # waiting for a lock; both are client errors the driver does not retry, with the same message
    assert isinstance(failure[0], Neo4jError)
    assert "has been terminated" in str(failure[0])
    assert "re-run the push" in str(failure[0])
    assert "\n" not in str(failure[0])
    store.push(big, batch_size=5_000)  # and re-running completes it
    assert store.count_nodes() == big.G.number_of_nodes()
    assert store.count_relationships() == big.G.number_of_edges()
