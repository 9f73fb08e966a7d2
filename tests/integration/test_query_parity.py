"""Every catalogue query gives the same answer on NetworkX and on Neo4j.

Parametrised over the catalogue itself (defaults plus every example parameter set), so a
new query cannot escape. The bundled graph is pushed once to the real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.store import Neo4jSettings, Neo4jStore
from aieco.queries import CATALOGUE, run_query

pytestmark = pytest.mark.neo4j

CASES = [
    pytest.param(name, params, id=f"{name}[{i}]")
    for name, query in sorted(CATALOGUE.items())
    for i, params in enumerate([{}, *query.examples])
]


@pytest.fixture(scope="module")
def pushed(neo4j_server: Any, bundled: EcosystemGraph) -> Iterator[Neo4jStore]:
    info = neo4j_server.info() or neo4j_server.start()
    settings = Neo4jSettings(uri=info.uri, user=info.user, password=info.password)
    with Neo4jStore(settings) as store:
        store.push(bundled, replace=True)
        yield store


def test_every_query_has_another_parameter_set() -> None:
    assert all(q.examples for q in CATALOGUE.values())
    assert len(CATALOGUE) >= 20


@pytest.mark.parametrize(("name", "params"), CASES)
def test_engines_agree(
    pushed: Neo4jStore, bundled: EcosystemGraph, name: str, params: dict[str, Any]
) -> None:
    expected = run_query(name, params, engine="networkx", graph=bundled)
    actual = run_query(name, params, engine="neo4j", store=pushed)
    assert list(actual.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, check_exact=False, atol=1e-9, rtol=0)


def test_parameter_values_are_data_not_cypher(pushed: Neo4jStore, bundled: EcosystemGraph) -> None:
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
