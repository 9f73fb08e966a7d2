"""Every catalogue query gives the same answer on NetworkX and on Neo4j.

Parametrised over the catalogue itself (defaults plus every example parameter set), so a
new query cannot escape. The bundled graph is pushed once to the real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.store import Neo4jSettings, Neo4jStore
from aieco.queries import run_query
from tests.parity_cases import bundled_cases, openalex_cases, openalex_graph, synthetic_cases, synthetic_graph

pytestmark = pytest.mark.neo4j

SYNTHETIC = synthetic_graph()
BUNDLED_CASES = [pytest.param(n, p, id=f"{n}{p or ''}") for n, p in bundled_cases()]
SYNTHETIC_CASES = [pytest.param(n, p, id=f"{n}{p or ''}") for n, p in synthetic_cases(SYNTHETIC)]
OPENALEX_CASES = [pytest.param(n, p, id=f"{n}{p or ''}") for n, p in openalex_cases()]


@pytest.fixture(scope="module")
def openalex(tmp_path_factory: pytest.TempPathFactory) -> EcosystemGraph:
    return openalex_graph(tmp_path_factory.mktemp("openalex"))


@pytest.fixture(scope="module")
def store(neo4j_server: Any) -> Iterator[tuple[Neo4jStore, dict[str, str]]]:
    info = neo4j_server.info() or neo4j_server.start()
    settings = Neo4jSettings(uri=info.uri, user=info.user, password=info.password)
    with Neo4jStore(settings) as connected:
        yield connected, {}


def _holding(store: tuple[Neo4jStore, dict[str, str]], name: str, eg: EcosystemGraph) -> Neo4jStore:
    """The store with ``eg`` pushed (replacing whatever graph the module pushed before)."""
    connected, state = store
    if state.get("graph") != name:
        connected.push(eg, replace=True)
        state["graph"] = name
    return connected


def _assert_parity(name: str, params: dict[str, Any], eg: EcosystemGraph, db: Neo4jStore) -> None:
    expected = run_query(name, params, engine="networkx", graph=eg)
    actual = run_query(name, params, engine="neo4j", store=db)
    assert len(expected) > 0, f"{name}{params} returns no rows: the case proves nothing"
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, check_exact=False, atol=1e-9, rtol=0)


@pytest.mark.parametrize(("name", "params"), BUNDLED_CASES)
def test_engines_agree_on_the_bundled_data(
    store: tuple[Neo4jStore, dict[str, str]], bundled: EcosystemGraph, name: str, params: dict[str, Any]
) -> None:
    _assert_parity(name, params, bundled, _holding(store, "bundled", bundled))


@pytest.mark.parametrize(("name", "params"), SYNTHETIC_CASES)
def test_engines_agree_on_a_synthetic_graph(
    store: tuple[Neo4jStore, dict[str, str]], name: str, params: dict[str, Any]
) -> None:
    _assert_parity(name, params, SYNTHETIC, _holding(store, "synthetic", SYNTHETIC))


@pytest.mark.parametrize(("name", "params"), OPENALEX_CASES)
def test_engines_agree_on_openalex_derived_data(
    store: tuple[Neo4jStore, dict[str, str]], openalex: EcosystemGraph, name: str, params: dict[str, Any]
) -> None:
    _assert_parity(name, params, openalex, _holding(store, "openalex", openalex))


def test_parameter_values_are_data_not_cypher(
    store: tuple[Neo4jStore, dict[str, str]], bundled: EcosystemGraph
) -> None:
    pushed = _holding(store, "bundled", bundled)
    hostile = "x'}) MATCH (n) DETACH DELETE n RETURN 1 //"
    before = pushed.count_nodes()
    for name, params in (
        ("entity_profile", {"entity": hostile}),
        ("talent_flows", {"from_id": hostile}),
        ("plan_influence", {"plan": hostile}),
    ):
        assert run_query(name, params, engine="neo4j", store=pushed).empty
        assert run_query(name, params, engine="networkx", graph=bundled).empty
    assert pushed.count_nodes() == before


@pytest.fixture(scope="module")
def real_openalex(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> EcosystemGraph:
    """The real 2026 OpenAlex records (30 researchers, read in place) pulled at institution level
    and loaded on top of the bundled data: flows listing their researchers' keys."""
    import gzip
    import json

    from aieco.loaders.openalex import pull_openalex_snapshot

    sample = realdata / "openalex/raw/Justin21523__openalex-research-rag/data/sample"
    root = tmp_path_factory.mktemp("real")
    for entity in ("authors", "institutions"):
        folder = root / "snapshot" / "data" / entity / "updated_date=2026-06-23"
        folder.mkdir(parents=True)
        records = json.loads((sample / f"{entity}_sample.json").read_text(encoding="utf-8"))
        with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
    pull_openalex_snapshot(root / "snapshot").write(root / "tables")
    return aieco.graph_from_bundled(extra=[root / "tables"])


@pytest.mark.parametrize(
    ("name", "params"),
    [("talent_corridors", {"level": level, "top": 500}) for level in ("entity", "City", "Region", "Country")]
    + [("talent_circulation", {"level": level}) for level in ("entity", "Country")]
    # with Kleinberg's defaults 30 researchers hold no burst; a gentler automaton finds China's
    + [("rising_talent", {"level": "Country", "s": 1.5, "gamma": 0.5})],
)
def test_engines_count_the_same_distinct_researchers_on_real_records(
    store: tuple[Neo4jStore, dict[str, str]], real_openalex: EcosystemGraph, name: str, params: dict[str, Any]
) -> None:
    _assert_parity(name, params, real_openalex, _holding(store, "real-openalex", real_openalex))
