"""Every open source has ``pull_<source>`` (the whole pull) and ``graph_from_<source>`` (its
graph, the pull's report on ``G.graph``), OSMnx-style: the same arguments, the same graph."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from aieco.graph.ecosystem import EcosystemGraph

#: module of aieco.loaders, source name, the key of its report on G.graph
SOURCES = [
    ("openalex", "openalex_snapshot", "openalex"),
    ("openalex", "openalex_api", "openalex"),
    ("ror", "ror", "ror"),
    ("ror_api", "ror_api", "ror"),
    ("wikidata", "wikidata", "wikidata"),
    ("wikidata_sparql", "wikidata_sparql", "wikidata"),
    ("epoch", "epoch", "epoch"),
]
EXAMPLE = Path(__file__).parents[2] / "examples" / "openalex-snapshot"


@pytest.mark.parametrize(("module", "source", "_key"), SOURCES)
def test_each_pull_has_its_graph_from(module: str, source: str, _key: str) -> None:
    mod = importlib.import_module(f"aieco.loaders.{module}")
    pull, graph_from = getattr(mod, f"pull_{source}"), getattr(mod, f"graph_from_{source}")
    assert {f"pull_{source}", f"graph_from_{source}"} <= set(mod.__all__)
    assert graph_from.__name__ == f"graph_from_{source}"
    assert inspect.signature(graph_from).parameters == inspect.signature(pull).parameters


def test_the_graph_carries_the_pull_report() -> None:
    from aieco.loaders.openalex import graph_from_openalex_snapshot, pull_openalex_snapshot

    G = graph_from_openalex_snapshot(EXAMPLE, level="Country")
    pull = pull_openalex_snapshot(EXAMPLE, level="Country")
    assert isinstance(G, EcosystemGraph)
    report = G.G.graph["openalex"]
    assert report["read"] == dict(pull.read)
    assert report["read"]["authors"] > 0
    assert report["dropped"] == dict(pull.dropped)
    assert report["examples"] == {k: list(v) for k, v in pull.examples.items()}
    assert report["merges"] == len(pull.merges)
    assert sorted(G.G.edges(keys=True)) == sorted(pull.graph.G.edges(keys=True))


@pytest.mark.seconds
def test_ror_graph_from_real_records(realdata: Path) -> None:
    from aieco.loaders.ror import graph_from_ror

    G = graph_from_ror([realdata / "ror/raw/ror-community__ror-records"])
    # 2,126 real records, 8 of them withdrawn (counted by hand in the sample's README)
    assert G.G.graph["ror"]["read"]["records"] == 2126
    assert G.G.graph["ror"]["dropped"]["withdrawn record"] == 8
