"""Benchmark: the centrality suite on synthetic ecosystems, aieco against honest peers, same run.

The suite is what ``aieco report centrality`` computes on a graph of this size: projection,
degree, PageRank, betweenness (``--k`` sampled sources), eigenvector, closeness and harmonic
(exact up to ``--all-pairs-max`` nodes, else from ``--k`` pivots, as the report does) and
communities (Leiden).

* **aieco** starts from its EcosystemGraph (``graph_from_synthetic``) and pays for its own
  projection and its own conversion to igraph (once per projection, shared by the measures;
  timed on its own as ``conversion``, so that it does not land on the first measure).
* **igraph** (the peer) starts from its natural input, the projected edge list written to a
  file beforehand (not timed: that is our work), reads it and builds its graph *once*, then
  runs the same measures (sampled betweenness from the same sources; harmonic/closeness from
  the same pivots when aieco samples them — igraph has no sampled estimate, so the peer takes
  ``Graph.distances`` from the pivots and turns them into the same estimates with numpy, as an
  igraph user would; Leiden with the modularity objective).
* **networkit**, when it installs, does the same from the same file (PageRank, PLM communities).

Ratios are aieco / peer (1.0 = as fast). Results: benchmarks/results/centrality.json.

    python benchmarks/bench_centrality.py --sizes 10000,100000 --k 64
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import numpy as np

import aieco
from aieco.graph.projection import project
from aieco.metrics import centrality as C
from aieco.metrics.communities import leiden
from aieco.metrics.engines import pick, shared_igraph, to_igraph
from aieco.metrics.sampled import closeness_sampled, harmonic_sampled, pivots

MEASURES = ("degree", "pagerank", "betweenness", "eigenvector", "closeness", "harmonic", "communities")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def aieco_suite(n: int, k: int, all_pairs_max: int, seed: int) -> tuple[dict[str, float], Any]:
    eg = aieco.graph_from_synthetic(n, seed=seed)
    times: dict[str, float] = {}
    times["projection"], H = timed(lambda: project(eg))
    with shared_igraph():  # as the report: one conversion, shared by the measures
        if pick("auto", H) == "igraph":
            times["conversion"], _ = timed(lambda: to_igraph(H))
        sample = H.number_of_nodes() > all_pairs_max
        times["degree"], _ = timed(lambda: C.degree(H))
        times["pagerank"], _ = timed(lambda: C.pagerank(H, engine="auto"))
        times["betweenness"], _ = timed(lambda: C.betweenness(H, k=k, seed=seed, engine="auto"))
        times["eigenvector"], _ = timed(lambda: C.eigenvector(H, engine="auto"))
        if sample:
            times["closeness"], _ = timed(lambda: closeness_sampled(H, k=k, seed=seed))
            times["harmonic"], _ = timed(lambda: harmonic_sampled(H, k=k, seed=seed))
        else:
            times["closeness"], _ = timed(lambda: C.closeness(H, engine="auto"))
            times["harmonic"], _ = timed(lambda: C.harmonic(H, engine="auto"))
        times["communities"], _ = timed(lambda: leiden(H, seed=seed))
    return times, H


def _pivot_distances(g: ig.Graph, piv: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """d(pivot, v) for the pivots (0 and inf left out), and how many pivots each node is not."""
    d = np.asarray(g.distances(source=piv), dtype=float)
    others = len(piv) - np.isin(np.arange(g.vcount()), piv)
    return np.where(np.isfinite(d) & (d > 0), d, np.nan), others


def igraph_harmonic_sampled(g: ig.Graph, piv: list[int]) -> np.ndarray:
    d, others = _pivot_distances(g, piv)
    return np.nansum(1.0 / d, axis=0) / np.maximum(others, 1)


def igraph_closeness_sampled(g: ig.Graph, piv: list[int]) -> np.ndarray:
    d, _ = _pivot_distances(g, piv)
    parts = g.connected_components()
    size = np.asarray(parts.sizes())[parts.membership]
    reached = np.sum(~np.isnan(d), axis=0)
    mean = np.nansum(d, axis=0) / np.maximum(reached, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mean > 0, (size - 1) / (g.vcount() - 1) / mean, 0.0)


def igraph_suite(
    edges: Path, nodes: list[str], sources: list[str], chosen: list[str], sample: bool, seed: int
) -> dict[str, float]:
    times: dict[str, float] = {}

    def build() -> ig.Graph:
        return ig.Graph.Read_Ncol(str(edges), names=True, weights=True, directed=False)

    times["build"], g = timed(build)
    index = {name: i for i, name in enumerate(g.vs["name"])}
    src = [index[s] for s in sources if s in index]
    piv = [index[p] for p in chosen if p in index]
    times["degree"], _ = timed(g.degree)
    times["pagerank"], _ = timed(lambda: g.pagerank(weights="weight"))
    times["betweenness"], _ = timed(lambda: g.betweenness(sources=src))
    times["eigenvector"], _ = timed(lambda: g.connected_components().giant().eigenvector_centrality())
    if sample:
        times["closeness"], _ = timed(lambda: igraph_closeness_sampled(g, piv))
        times["harmonic"], _ = timed(lambda: igraph_harmonic_sampled(g, piv))
    else:
        times["closeness"], _ = timed(g.closeness)
        times["harmonic"], _ = timed(g.harmonic_centrality)
    ig.set_random_number_generator(random.Random(seed))
    times["communities"], _ = timed(
        lambda: g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    )
    return times


def networkit_suite(edges: Path) -> dict[str, float] | None:
    try:
        import networkit as nk
    except ImportError:
        return None
    times: dict[str, float] = {}
    reader = nk.graphio.EdgeListReader(" ", 0, continuous=False, directed=False)
    times["build"], g = timed(lambda: reader.read(str(edges)))
    times["pagerank"], _ = timed(lambda: nk.centrality.PageRank(g).run())
    times["communities"], _ = timed(lambda: nk.community.PLM(g).run())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--all-pairs-max", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "centrality.json"))
    args = parser.parse_args()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        ours, H = aieco_suite(n, args.k, args.all_pairs_max, args.seed)
        sample = H.number_of_nodes() > args.all_pairs_max
        sources = random.Random(args.seed).sample(list(H.nodes()), min(args.k, H.number_of_nodes()))
        chosen = [str(p) for p in pivots(H, args.k, args.seed)]
        with tempfile.TemporaryDirectory() as tmp:
            edges = Path(tmp) / "edges.txt"
            with edges.open("w", encoding="utf-8") as fh:  # the peer's natural input (not timed)
                for u, v, d in H.edges(data=True):
                    fh.write(f"{u} {v} {d.get('weight', 1.0)}\n")
            peer = igraph_suite(edges, list(H.nodes()), [str(s) for s in sources], chosen, sample, args.seed)
            kit = networkit_suite(edges)
        aieco_total = sum(ours.values())
        peer_total = sum(peer.values())
        row = {
            "entities": n,
            "projected_nodes": H.number_of_nodes(),
            "projected_edges": H.number_of_edges(),
            "sampled_closeness_harmonic": sample,
            "aieco_seconds": {m: round(t, 3) for m, t in ours.items()},
            "igraph_seconds": {m: round(t, 3) for m, t in peer.items()},
            "suite_seconds": {"aieco": round(aieco_total, 2), "igraph": round(peer_total, 2)},
            "suite_ratio_aieco_to_igraph": round(aieco_total / peer_total, 2),
            "ratio_by_measure": {m: round(ours[m] / max(peer[m], 1e-3), 2) for m in MEASURES},
            "ratio_setup_aieco_projection_to_igraph_build": round(
                ours["projection"] / max(peer["build"], 1e-3), 2
            ),
        }
        if kit is not None:
            row["networkit_seconds"] = {m: round(t, 3) for m, t in kit.items()}
        rows.append(row)
        print(json.dumps(row), flush=True)
    payload = {
        "benchmark": "centrality suite: aieco (its graph, projection included) vs igraph (an edge list)",
        "python": platform.python_version(),
        "igraph": ig.__version__,
        "k": args.k,
        "results": rows,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
