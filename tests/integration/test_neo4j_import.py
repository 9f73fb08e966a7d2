"""Bulk import with Neo4j's own importer: the database it writes is the graph, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.server import LocalNeo4jServer
from aieco.neo4j.server.bulk import bulk_import, write_import_files
from aieco.neo4j.store import Neo4jSettings, Neo4jStore
from aieco.queries import run_query

pytestmark = pytest.mark.neo4j


def _content(eg: EcosystemGraph) -> tuple[dict[str, Any], dict[Any, Any]]:
    nodes = {n: dict(a) for n, a in eg.G.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)}
    return nodes, edges


@pytest.fixture(scope="module")
def imported(neo4j_server: LocalNeo4jServer, tmp_path_factory: pytest.TempPathFactory) -> Any:
    # an instance of its own: the import replaces its database and restarts it
    server = LocalNeo4jServer("import-test", home=tmp_path_factory.mktemp("import-instance"), heap="1g")
    yield server
    server.stop()


def _store(server: LocalNeo4jServer) -> Neo4jStore:
    info = server.info()
    assert info is not None
    return Neo4jStore(Neo4jSettings(uri=info.uri, user=info.user, password=info.password))


def test_import_then_pull_is_exact(imported: LocalNeo4jServer, bundled: EcosystemGraph) -> None:
    counts = bulk_import(bundled, imported)
    assert (counts["nodes"], counts["relationships"]) == (
        bundled.G.number_of_nodes(),
        bundled.G.number_of_edges(),
    )
    with _store(imported) as store:
        pulled = store.pull()
        # types survive the importer's typed columns: ints, floats, lists, booleans
        assert _content(pulled) == _content(bundled)
        assert pulled.node("speech-valley-plan")["period_end"] == 2025
        assert pulled.node("iflytek")["aliases"] == bundled.node("iflytek")["aliases"]
        # and the catalogue gives the NetworkX answer on the imported database
        for name, params in (
            ("concentration", {}),
            ("data_quality", {"check": "ledger"}),
            ("top_by_degree", {}),
        ):
            expected = run_query(name, params, graph=bundled)
            actual = run_query(name, params, engine="neo4j", store=store)
            assert actual.to_dict("records") == expected.to_dict("records"), name


def test_import_replaces_the_database(
    imported: LocalNeo4jServer, bundled: EcosystemGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = aieco.graph_from_synthetic(300, seed=3)
    monkeypatch.chdir(tmp_path)
    bulk_import(small, imported)
    assert list(tmp_path.iterdir()) == []  # the importer's report is in the instance's logs
    assert (imported.home / "logs" / "import.report").exists()
    with _store(imported) as store:
        assert (store.count_nodes(), store.count_relationships()) == (
            small.G.number_of_nodes(),
            small.G.number_of_edges(),
        )
    bulk_import(bundled, imported)  # re-running converges on the graph given
    with _store(imported) as store:
        assert _content(store.pull()) == _content(bundled)


def test_import_files_are_typed_and_named(tmp_path: Path, bundled: EcosystemGraph) -> None:
    files = write_import_files(bundled, tmp_path)
    heads = {p.name: p.read_text(encoding="utf-8").splitlines()[0] for p in files.nodes + files.relationships}
    assert heads["nodes-Plan.csv"].startswith("id:ID(AiecoNode),:LABEL,")
    assert "period_end:long" in heads["nodes-Plan.csv"]
    assert "aliases:string[]" in heads["nodes-Company.csv"]
    assert heads["relationships-LOCATED_IN.csv"].startswith(":START_ID(AiecoNode),:END_ID(AiecoNode),:TYPE,")
    assert (tmp_path / "arguments.txt").read_text(encoding="utf-8").startswith("--nodes=/import/nodes-")
