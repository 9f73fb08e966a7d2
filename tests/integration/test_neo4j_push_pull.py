"""Push to and pull from a real Neo4j server: exact round trip, idempotence, crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import aieco
from aieco.errors import Neo4jConnectionError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.server import LocalNeo4jServer
from aieco.neo4j.store import Neo4jSettings, Neo4jStore
from tests.conftest import WriteTable

pytestmark = pytest.mark.neo4j


def _content(eg: EcosystemGraph) -> tuple[dict[str, Any], dict[Any, Any]]:
    nodes = {n: dict(a) for n, a in eg.G.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)}
    return nodes, edges


def test_push_then_pull_is_exact(store: Neo4jStore, bundled: EcosystemGraph) -> None:
    counts = store.push(bundled)
    assert counts == {"nodes": bundled.G.number_of_nodes(), "relationships": bundled.G.number_of_edges()}
    pulled = store.pull()
    assert _content(pulled) == _content(bundled)
    assert pulled.provenance["aieco_version"] == aieco.__version__
    # types survive: ints stay ints, floats floats, lists lists
    assert pulled.node("speech-valley-plan")["period_end"] == 2025
    assert pulled.node("obs-ai-companies-2023-shenzhen")["value"] == 63800.0
    assert pulled.node("iflytek")["aliases"] == bundled.node("iflytek")["aliases"]


def test_push_twice_gives_the_same_database(store: Neo4jStore, bundled: EcosystemGraph) -> None:
    store.push(bundled, batch_size=50)
    first = (store.count_nodes(), store.count_relationships())
    store.push(bundled, batch_size=7)
    assert (
        (store.count_nodes(), store.count_relationships())
        == first
        == (
            bundled.G.number_of_nodes(),
            bundled.G.number_of_edges(),
        )
    )
    assert _content(store.pull()) == _content(bundled)


def test_replace_removes_what_is_gone(store: Neo4jStore, bundled: EcosystemGraph) -> None:
    store.push(aieco.graph_from_synthetic(200, seed=1))
    store.push(bundled, replace=True)
    assert _content(store.pull()) == _content(bundled)


def test_hostile_names_round_trip_unchanged(store: Neo4jStore, write_table: WriteTable) -> None:
    nasty = 'O\'Brien "Labs" `tick` } {x} $param ) RETURN 1 // --'
    src = write_table("sources.csv", [{"id": "doc", "title": nasty, "url": "https://example.org/?q=$x"}])
    ents = write_table(
        "entities.csv",
        [
            {
                "id": "weird",
                "type": "Company",
                "name_en": nasty,
                "name_zh_hans": "引号'`}$",
                "aliases": "a'b|`c`",
                "source": "doc",
            }
        ],
    )
    eg = aieco.graph_from_files([src, ents])
    store.push(eg)
    back = store.pull()
    assert back.node("weird")["name_en"] == nasty
    assert _content(back) == _content(eg)
    found = store.run("MATCH (n:Company) WHERE n.name_en = $name RETURN n.id AS id", {"name": nasty})
    assert found["id"].tolist() == ["weird"]


def test_kill_mid_push_then_restart_and_repush(
    neo4j_server: LocalNeo4jServer, settings: Neo4jSettings
) -> None:
    big = aieco.graph_from_synthetic(20_000, seed=11)
    batches = 0

    def crash_after_some_batches(kind: str, n: int, total: int) -> None:
        nonlocal batches
        batches += kind == "relationships"
        if batches == 12:
            neo4j_server.kill()  # SIGKILL, as a crash or power cut would

    with Neo4jStore(settings) as store:
        store.clear()
        with pytest.raises(Neo4jConnectionError):
            store.push(big, batch_size=2000, progress=crash_after_some_batches)
    assert not neo4j_server.is_running()

    info = neo4j_server.start()
    again = Neo4jSettings(uri=info.uri, user=info.user, password=info.password)
    with Neo4jStore(again) as store:
        partial = store.count_relationships()
        assert 0 < partial < big.G.number_of_edges()  # the crash really interrupted the push
        store.push(big, batch_size=5000)
        assert store.count_nodes() == big.G.number_of_nodes()
        assert store.count_relationships() == big.G.number_of_edges()
        dupes = store.run(
            "MATCH ()-[r]->() WITH r.key AS key, count(*) AS n WHERE n > 1 RETURN count(key) AS d"
        )
        assert dupes["d"].iloc[0] == 0
        assert _content(store.pull()) == _content(big)
        store.clear()


def test_cli_push_and_cypher(
    settings: Neo4jSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from aieco.cli import app

    monkeypatch.setenv("NEO4J_URI", settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", str(settings.password))
    runner = CliRunner()
    pushed = runner.invoke(app, ["neo4j", "push", "--replace"])
    assert pushed.exit_code == 0, pushed.output
    result = runner.invoke(
        app,
        [
            "neo4j",
            "cypher",
            "MATCH (o)-[:HEADQUARTERED_IN]->(c {id: $city}) RETURN o.id AS id ORDER BY id",
            "--param",
            "city=hefei",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "iflytek" in result.stdout
    assert "cxmt" in result.stdout
    pulled = runner.invoke(app, ["neo4j", "pull", "--out", str(tmp_path / "p.json")])
    assert pulled.exit_code == 0, pulled.output
    assert aieco.graph_from_files([tmp_path / "p.json"]).number_of_entities() >= 150
    # what was read exports in every format aieco export writes (here GEXF, for Gephi)
    gexf = runner.invoke(app, ["neo4j", "pull", "--out", str(tmp_path / "p.gexf"), "--format", "gexf"])
    assert gexf.exit_code == 0, gexf.output
    import networkx as nx

    assert "iflytek" in nx.read_gexf(tmp_path / "p.gexf")


def test_a_recipes_output_round_trips(store: Neo4jStore, realdata: Path, tmp_path: Path) -> None:
    """A recipe built from the real ROR, Epoch AI and Wikidata samples (and an OpenAlex
    snapshot), with the bundled data, pushed and pulled back unchanged."""
    from typer.testing import CliRunner

    from aieco.cli import app
    from aieco.loaders import graph_from_bundled
    from tests.unit.test_recipe import _recipe

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(_recipe(tmp_path, realdata)), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    graph = graph_from_bundled(extra=[out])
    store.push(graph, replace=True)
    assert _content(store.pull()) == _content(graph)
