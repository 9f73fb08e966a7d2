"""Closeness and harmonic from pivots, Leiden communities, and the report switching to estimates."""

from __future__ import annotations

import networkx as nx
import pytest

import aieco
from aieco.graph.projection import project
from aieco.metrics import centrality as C
from aieco.metrics.communities import leiden, louvain
from aieco.metrics.sampled import closeness_sampled, harmonic_error_bound, harmonic_sampled
from aieco.report import build_centrality_report
from aieco.report import centrality_report as R


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_with_every_node_a_pivot_the_estimate_is_exact(engine: str) -> None:
    G = nx.disjoint_union(nx.path_graph(5), nx.star_graph(3))  # two components
    n = G.number_of_nodes()
    harmonic = harmonic_sampled(G, k=n, engine=engine)  # type: ignore[arg-type]
    closeness = closeness_sampled(G, k=n, engine=engine)  # type: ignore[arg-type]
    # path 0-1-2-3-4 inside a 9-node graph: node 2 reaches 1, 3 at 1 and 0, 4 at 2
    assert harmonic[2] == pytest.approx((1 + 1 + 0.5 + 0.5) / 8)
    assert closeness[2] == pytest.approx((4 / 8) * (4 / 6))  # (r-1)/(n-1) · (r-1)/Σd
    assert harmonic == pytest.approx(C.harmonic(G))
    assert closeness == pytest.approx(C.closeness(G))


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_components_without_a_pivot_are_computed_exactly(engine: str) -> None:
    G = nx.disjoint_union(nx.complete_graph(50), nx.path_graph(3))
    estimate = closeness_sampled(G, k=5, seed=0, engine=engine)  # type: ignore[arg-type]
    exact = C.closeness(G)
    assert estimate[51] == pytest.approx(exact[51])  # the path's middle (no pivot there, almost surely)


@pytest.mark.slow
def test_estimates_against_exact_values_on_10k_nodes() -> None:
    H = project(aieco.graph_from_synthetic(10_000, seed=1))
    exact_h, exact_c = C.harmonic(H, engine="igraph"), C.closeness(H, engine="igraph")
    est_h, est_c = harmonic_sampled(H, k=256, seed=1), closeness_sampled(H, k=256, seed=1)
    error_h = max(abs(est_h[v] - exact_h[v]) for v in H)
    error_c = max(abs(est_c[v] - exact_c[v]) for v in H)
    assert error_h <= harmonic_error_bound(len(H), 256)  # the stated bound (0.159 here)
    assert error_h < 0.03  # measured: 0.016
    assert error_c < 0.03  # measured: 0.013, of scores up to 0.51

    def top(scores: dict[str, float]) -> set[str]:
        return set(sorted(scores, key=lambda v: (-scores[v], v))[:20])

    assert len(top(est_h) & top(exact_h)) >= 17
    assert len(top(est_c) & top(exact_c)) >= 17


def test_leiden_communities_are_connected_and_at_least_as_good_as_louvain() -> None:
    G = nx.planted_partition_graph(8, 40, 0.3, 0.01, seed=4)
    for u, v in G.edges:
        G[u][v]["weight"] = 1.0
    found = leiden(G, seed=1)
    assert all(nx.is_connected(G.subgraph(group)) for group in found.groups)
    assert sum(map(len, found.groups)) == G.number_of_nodes()
    assert found.modularity == pytest.approx(nx.community.modularity(G, found.groups))  # an independent score
    assert found.modularity >= louvain(G, seed=1).modularity - 0.01
    assert found.method == "leiden"


@pytest.mark.seconds
def test_the_report_switches_to_estimates_above_its_threshold_and_says_so(
    bundled: aieco.EcosystemGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(R, "SAMPLE_ABOVE", 100)
    report = build_centrality_report(bundled, engine="networkx")
    assert "estimated from 256 pivots" in report.engines["closeness"]
    assert "with 95% probability" in report.engines["harmonic"]
    assert "sampled sources" in report.engines["betweenness"]
    assert any(t.title == "Leiden communities" for t in report.tables)
