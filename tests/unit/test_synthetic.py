"""Synthetic ecosystems: valid, deterministic, heavy-tailed and clustered."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import aieco
from aieco.graph.schema import ENTITY_TYPES
from aieco.graph.validate import validate_graph


@pytest.fixture(scope="module")
def synth() -> aieco.EcosystemGraph:
    return aieco.graph_from_synthetic(5000, seed=7)


@pytest.mark.seconds
def test_schema_valid_and_sized(synth: aieco.EcosystemGraph) -> None:
    assert validate_graph(synth.G) == []
    assert synth.number_of_entities() == 5000
    # about edges_per_node relationships per entity, plus derived observation edges
    hand_written = sum(1 for *_, t in synth.G.edges(data="type") if t not in {"ABOUT", "RELATIVE_TO"})
    assert 45_000 <= hand_written <= 50_000
    kinds = {t for _, t in synth.G.nodes(data="type")}
    assert {t.value for t in ENTITY_TYPES} <= kinds


def test_deterministic_for_a_seed() -> None:
    a = aieco.graph_from_synthetic(400, seed=3)
    b = aieco.graph_from_synthetic(400, seed=3)
    c = aieco.graph_from_synthetic(400, seed=4)
    assert list(a.G.edges(keys=True, data=True)) == list(b.G.edges(keys=True, data=True))
    assert dict(a.G.nodes(data=True)) == dict(b.G.nodes(data=True))
    assert list(a.G.edges(keys=True)) != list(c.G.edges(keys=True))


@pytest.mark.seconds
def test_degrees_are_heavy_tailed(synth: aieco.EcosystemGraph) -> None:
    degrees = np.array([d for _, d in synth.G.degree()])
    # heavy tail: the maximum dwarfs the median, and the top 1% hold a large share of ends
    assert degrees.max() > 20 * np.median(degrees)
    top = np.sort(degrees)[::-1][: len(degrees) // 100]
    assert top.sum() / degrees.sum() > 0.15


def test_organisations_cluster_in_hub_cities(synth: aieco.EcosystemGraph) -> None:
    per_city = Counter(v for _, v, t in synth.G.edges(data="type") if t == "HEADQUARTERED_IN")
    counts = sorted(per_city.values(), reverse=True)
    top_tenth = counts[: max(1, len(counts) // 10)]
    assert sum(top_tenth) / sum(counts) > 0.4


def test_places_nest_city_region_country(synth: aieco.EcosystemGraph) -> None:
    G = synth.G
    for city in synth.ids(["City"]):
        regions = [v for _, v, t in G.out_edges(city, data="type") if t == "LOCATED_IN"]
        assert len(regions) == 1
        assert G.nodes[regions[0]]["type"] == "Region"
        countries = [v for _, v, t in G.out_edges(regions[0], data="type") if t == "LOCATED_IN"]
        assert [G.nodes[c]["type"] for c in countries] == ["Country"]


def test_talent_flows_are_weighted(synth: aieco.EcosystemGraph) -> None:
    flows = [a for *_, a in synth.G.edges(data=True) if a["type"] == "TALENT_FLOW"]
    assert flows
    assert all(a.get("share") is not None or a.get("count") is not None for a in flows)


def test_too_small_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        aieco.graph_from_synthetic(5)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_synthetic_graph_exports_and_reloads_identically(tmp_path: Path, fmt: str) -> None:
    from aieco.graph.io import export_graph
    from aieco.loaders import graph_from_files

    eg = aieco.graph_from_synthetic(10_000, seed=5)
    target = tmp_path / ("tables" if fmt == "csv" else "graph.json")
    export_graph(eg, target, fmt=fmt)  # type: ignore[arg-type]
    again = graph_from_files([target])
    nodes = {n: dict(a) for n, a in eg.G.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)}
    assert {n: dict(a) for n, a in again.G.nodes(data=True)} == nodes
    assert {(u, v, k): dict(a) for u, v, k, a in again.G.edges(keys=True, data=True)} == edges
