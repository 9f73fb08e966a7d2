"""No stale caches: the igraph form of a graph is shared only inside a ``shared_igraph`` block
(a report's measures on one projection), so a weight edited in place between two measures is
measured new (before, the form was kept in ``H.graph`` keyed on the graph's size only); the
name index of ``search`` is keyed on the names, so it sees a node added or renamed through
``eg.G``."""

from __future__ import annotations

import networkx as nx
import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.metrics.engines import has_igraph, shared_igraph, to_igraph


@pytest.mark.skipif(not has_igraph(), reason="igraph not installed")
def test_an_edited_weight_makes_a_new_igraph_form() -> None:
    H = nx.Graph()
    H.add_edge("a", "b", weight=1.0)
    H.add_edge("b", "c", weight=2.0)
    with shared_igraph():
        g, _ = to_igraph(H)
        assert to_igraph(H)[0] is g  # inside the block: one conversion
    H["a"]["b"]["weight"] = 5.0  # same size, new weight
    g2, nodes = to_igraph(H)
    assert sorted(g2.es["weight"]) == [2.0, 5.0]
    assert nodes == ["a", "b", "c"]
    assert to_igraph(H)[0] is not g2  # outside a block nothing is kept
    assert "_aieco_igraph" not in H.graph  # nor written into the user's graph


def test_search_sees_nodes_added_and_renamed_through_the_graph() -> None:
    G = nx.MultiDiGraph()
    G.add_node("hefei", type="City", name_en="Hefei", name_zh_hans="合肥")
    eg = EcosystemGraph(G)
    assert [r.id for r in eg.search("合肥")] == ["hefei"]
    G.add_node("wuhu", type="City", name_en="Wuhu", name_zh_hans="芜湖")
    assert [r.id for r in eg.search("芜湖")] == ["wuhu"]
    G.nodes["wuhu"]["name_en"] = "Wuhu City"  # renamed in place: same size
    assert [r.id for r in eg.search("Wuhu City")] == ["wuhu"]
