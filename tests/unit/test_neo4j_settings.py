"""Neo4j settings and the label whitelist (no server needed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import aieco
from aieco.errors import DataValidationError, InvalidArgumentError, Neo4jAuthError, SchemaError
from aieco.graph.schema import NodeType
from aieco.neo4j.store import Neo4jSettings, Neo4jStore
from tests.unit.fakes import CollectingRunner


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
    runner = CollectingRunner()
    with pytest.raises(SchemaError):
        Neo4jStore(Neo4jSettings(password="x"), runner=runner).push(eg)
    assert runner.writes() == []


@pytest.mark.parametrize(("already", "verb"), [(0, "CREATE"), (3, "MERGE")])
def test_push_sends_whitelisted_labels_and_every_value_as_a_parameter(already: int, verb: str) -> None:
    eg = aieco.graph_from_synthetic(60, seed=1)
    hostile = "x'}) DETACH DELETE n //"
    eg.G.nodes["co0"]["name_en"] = hostile
    # an empty database gets CREATE; one holding aieco nodes MERGE (so a re-run converges)
    runner = CollectingRunner({"count(n)": (["n"], [[already]])})
    counts = Neo4jStore(Neo4jSettings(password="x"), runner=runner).push(eg, batch_size=25)
    assert counts == {"nodes": eg.G.number_of_nodes(), "relationships": eg.G.number_of_edges()}
    writes = runner.writes()
    assert all(hostile not in query for query, _ in writes)
    node_rows = [
        row for q, p in writes if q.startswith(f"UNWIND $rows AS props {verb} (n:") for row in p["rows"]
    ]
    rel_rows = [row for q, p in writes if f"{verb} (a)-[r:" in q for row in p["rows"]]
    assert len(node_rows) == eg.G.number_of_nodes()  # every node once, in batches
    assert len(rel_rows) == eg.G.number_of_edges()
    assert max(len(p["rows"]) for q, p in writes if "rows" in p) == 25
    assert next(r for r in node_rows if r["id"] == "co0")["name_en"] == hostile
    assert {r[2]["key"] for r in rel_rows} == {k for _, _, k in eg.G.edges(keys=True)}
    labels = set()
    for q, _ in writes:
        labels |= set(re.findall(r"(?:SET n:|\(n:AiecoNode:)(\w+)", q))
    assert labels
    assert labels <= {t.value for t in NodeType}
    assert writes[-1][0].startswith("MERGE (m:AiecoGraph")


def test_pull_rebuilds_the_graph_from_rows() -> None:
    runner = CollectingRunner(
        {
            "labels(n)": (
                ["id", "labels", "props"],
                [
                    ["hefei", ["AiecoNode", "City"], {"id": "hefei", "name_en": "Hefei"}],
                    ["anhui", ["AiecoNode", "Region"], {"id": "anhui", "name_en": "Anhui"}],
                ],
            ),
            "type(r)": (
                ["u", "v", "type", "props"],
                [["hefei", "anhui", "LOCATED_IN", {"key": "r1", "source": "s"}]],
            ),
        }
    )
    with Neo4jStore(Neo4jSettings(password="x"), runner=runner) as store:
        eg = store.pull()
    assert runner.closed
    assert eg.G.nodes["hefei"] == {"type": "City", "name_en": "Hefei"}
    assert list(eg.G.edges(keys=True, data=True)) == [
        ("hefei", "anhui", "r1", {"type": "LOCATED_IN", "source": "s"})
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("rank", 10**40), ("count", float("nan")), ("share", float("inf")), ("year", -(2**70))],
)
def test_push_refuses_values_neo4j_cannot_store_before_any_write(field: str, value: object) -> None:
    eg = aieco.graph_from_synthetic(60, seed=1)
    u, v, key = next(iter(eg.G.edges(keys=True)))
    eg.G.edges[u, v, key][field] = value
    runner = CollectingRunner()
    with pytest.raises(DataValidationError) as info:
        Neo4jStore(Neo4jSettings(password="x"), runner=runner).push(eg)
    assert runner.writes() == []
    assert info.value.problems[0].field == field
    assert key in info.value.problems[0].file


@pytest.mark.parametrize(
    ("field", "value"),
    [("rank", 10**40), ("count", float("nan")), ("share", float("inf")), ("year", -(2**70))],
)
def test_import_files_refuse_values_neo4j_cannot_store_before_any_write(
    field: str, value: object, tmp_path: Path
) -> None:
    from aieco.neo4j.server.bulk import write_import_files

    eg = aieco.graph_from_synthetic(60, seed=1)
    u, v, key = list(eg.G.edges(keys=True))[7]
    eg.G.edges[u, v, key][field] = value
    folder = tmp_path / "import"
    with pytest.raises(DataValidationError) as info:
        write_import_files(eg, folder)
    assert not folder.exists()
    assert [(p.file, p.field) for p in info.value.problems] == [(f"relationship {key}", field)]


def test_import_files_type_each_column_from_its_values(tmp_path: Path) -> None:
    import csv

    from aieco.neo4j.server.bulk import ARRAY_DELIMITER, write_import_files

    eg = aieco.graph_from_synthetic(60, seed=1)
    cities = [n for n, t in eg.G.nodes(data="type") if t == "City"]
    eg.G.nodes[cities[0]].update(flag=True, score=2, ratio=0.5, tags=["a", "b"], mixed=1)
    eg.G.nodes[cities[1]].update(flag=False, score=3, ratio=1, mixed="x")
    files = write_import_files(eg, tmp_path)
    with (tmp_path / "nodes-City.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for column in ["flag:boolean", "score:long", "ratio:double", "tags:string[]", "mixed:string"]:
        assert column in header
    cell = {h.split(":")[0]: i for i, h in enumerate(header)}
    first = next(r for r in rows[1:] if r[0] == cities[0])
    second = next(r for r in rows[1:] if r[0] == cities[1])
    assert (first[cell["flag"]], second[cell["flag"]]) == ("true", "false")
    assert (first[cell["ratio"]], second[cell["ratio"]]) == ("0.5", "1")
    assert first[cell["tags"]] == f"a{ARRAY_DELIMITER}b"
    assert (first[cell["mixed"]], second[cell["mixed"]]) == ("1", "x")
    assert files.n_nodes == eg.G.number_of_nodes()  # entities (the metadata node is apart)


def test_parallel_push_writes_each_row_once_nodes_before_relationships() -> None:
    eg = aieco.graph_from_synthetic(300, seed=3)
    runner = CollectingRunner({"count(n)": (["n"], [[0]])})
    seen: list[tuple[str, int]] = []
    Neo4jStore(Neo4jSettings(password="x"), runner=runner).push(
        eg, batch_size=40, parallel=3, progress=lambda what, n, total: seen.append((what, n))
    )
    writes = [(q, p["rows"]) for q, p in runner.writes() if "rows" in p]
    node_rows = [r["id"] for q, rows in writes if "(n:" in q for r in rows]
    rel_rows = [r[2]["key"] for q, rows in writes if "]->(b)" in q for r in rows]
    assert sorted(node_rows) == sorted(eg.G.nodes)
    assert sorted(rel_rows) == sorted(k for _, _, k in eg.G.edges(keys=True))
    kinds = ["node" if "(n:" in q else "rel" for q, _ in writes]
    assert kinds == sorted(kinds)  # every node batch is written before the first relationship
    assert sum(n for what, n in seen if what == "nodes") == eg.G.number_of_nodes()
    assert sum(n for what, n in seen if what == "relationships") == eg.G.number_of_edges()


def test_parallel_push_stops_at_the_first_failed_batch() -> None:
    from aieco.errors import Neo4jConnectionError

    class FailingRunner(CollectingRunner):
        def write(self, query: str, params: Any) -> None:
            super().write(query, params)
            if "]->(b)" in query and len(self.calls) > 12:
                raise Neo4jConnectionError("lost the connection")

    eg = aieco.graph_from_synthetic(300, seed=3)
    runner = FailingRunner({"count(n)": (["n"], [[0]])})
    with pytest.raises(Neo4jConnectionError):
        Neo4jStore(Neo4jSettings(password="x"), runner=runner).push(eg, batch_size=20, parallel=2)
    rel_batches = -(-eg.G.number_of_edges() // 20)
    sent = [q for q, _ in runner.writes() if "]->(b)" in q]
    assert 1 <= len(sent) < rel_batches // 2  # the rest were never sent
    assert not any("AiecoGraph" in q for q, _ in runner.writes())  # nor the closing metadata


@pytest.mark.parametrize("parallel", [0, -1])
def test_push_refuses_no_parallel_transactions(parallel: int) -> None:
    with pytest.raises(InvalidArgumentError):
        Neo4jStore(Neo4jSettings(password="x"), runner=CollectingRunner()).push(
            aieco.graph_from_synthetic(30, seed=1), parallel=parallel
        )
