"""Benchmark: the centrality suite on synthetic ecosystems, aieco vs igraph in the same run.

For each size, times every measure as a user gets it from aieco (``engine="auto"``: igraph's
C core above 5,000 nodes, NetworkX below) and, as the peer, igraph doing the same work
directly (graph built from the edge list, then the same measure). At the smallest size it also
times aieco's pure-NetworkX engine. Closeness and harmonic are all-pairs (O(n·m)) and are run
only up to --all-pairs-max nodes. Results: benchmarks/results/centrality.json.

    python benchmarks/bench_centrality.py [--sizes 10000,100000] [--k 64]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx

import aieco
from aieco.graph.projection import project
from aieco.metrics import centrality as C
from aieco.metrics.communities import louvain
from aieco.metrics.engines import MetricEngine


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return round(time.perf_counter() - start, 3)


def igraph_peer(H: nx.Graph, measure: str, k: int, seed: int) -> float:
    def work() -> None:
        nodes = list(H.nodes())
        index = {n: i for i, n in enumerate(nodes)}
        g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
        g.es["weight"] = [d["weight"] for _, _, d in H.edges(data=True)]
        if measure == "degree":
            g.degree()
        elif measure == "pagerank":
            g.pagerank(weights="weight")
        elif measure == "betweenness":
            import random

            sources = random.Random(seed).sample(range(len(nodes)), k)
            g.betweenness(sources=sources)
        elif measure == "eigenvector":
            g.connected_components().giant().eigenvector_centrality()
        elif measure == "closeness":
            g.closeness()
        elif measure == "harmonic":
            g.harmonic_centrality()
        elif measure == "communities":
            g.community_multilevel(weights="weight")

    return timed(work)


def aieco_run(H: nx.Graph, measure: str, k: int, seed: int, engine: MetricEngine) -> float:
    if measure == "communities":
        return timed(lambda: louvain(H, seed=seed))
    options: dict[str, Any] = {"k": k, "seed": seed} if measure == "betweenness" else {}
    return timed(lambda: C.compute(H, measure, engine=engine, **options))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--k", type=int, default=64, help="sampled sources for betweenness")
    parser.add_argument("--all-pairs-max", type=int, default=10_000)
    parser.add_argument("--louvain-max", type=int, default=100_000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "centrality.json"))
    args = parser.parse_args()
    results: dict[str, Any] = {
        "benchmark": "centrality",
        "aieco_version": aieco.__version__,
        "igraph_version": ig.__version__,
        "networkx_version": nx.__version__,
        "machine": {"python": platform.python_version(), "cores": 2},
        "betweenness_k": args.k,
        "runs": [],
    }
    for n in (int(s) for s in args.sizes.split(",")):
        start = time.perf_counter()
        eg = aieco.graph_from_synthetic(n, seed=1, with_observations=False)
        generate = time.perf_counter() - start
        start = time.perf_counter()
        H = project(eg)
        run: dict[str, Any] = {
            "entities": n,
            "relationships": eg.G.number_of_edges(),
            "projected_nodes": H.number_of_nodes(),
            "projected_edges": H.number_of_edges(),
            "generate_seconds": round(generate, 1),
            "project_seconds": round(time.perf_counter() - start, 1),
            "measures": {},
        }
        measures = ["degree", "pagerank", "betweenness", "eigenvector", "communities"]
        if n <= args.all_pairs_max:
            measures += ["closeness", "harmonic"]
        for measure in measures:
            if measure == "communities" and n > args.louvain_max:
                continue
            row: dict[str, Any] = {
                "aieco_auto": aieco_run(H, measure, args.k, 1, "auto"),
                "igraph": igraph_peer(H, measure, args.k, 1),
            }
            if n <= args.all_pairs_max:
                row["aieco_networkx"] = aieco_run(H, measure, args.k, 1, "networkx")
            row["ratio_aieco_auto_to_igraph"] = round(row["aieco_auto"] / max(row["igraph"], 1e-3), 2)
            if "aieco_networkx" in row:
                row["ratio_networkx_to_igraph"] = round(row["aieco_networkx"] / max(row["igraph"], 1e-3), 2)
            run["measures"][measure] = row
            print(n, measure, row, flush=True)
        results["runs"].append(run)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
