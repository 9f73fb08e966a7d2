"""Benchmark: push throughput to a real local Neo4j 5.26, by batch size.

Starts its own local server (from Neo4j's jars; see `aieco neo4j start`), then

1. sweeps batch sizes on a synthetic graph of --sweep-nodes entities;
2. compares the batched push with a row-at-a-time peer (batch size 1) on a slice of it,
   in the same run, and reports the ratio;
3. pushes a synthetic graph of --nodes entities (default 100,000, about 1M relationships)
   with the chosen batch size.

Results go to benchmarks/results/neo4j_push.json. Run:

    python benchmarks/bench_neo4j_push.py [--nodes 100000] [--sweep-nodes 10000]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.server import NEO4J_VERSION, LocalNeo4jServer
from aieco.neo4j.store import Neo4jSettings, Neo4jStore


def timed_push(store: Neo4jStore, eg: EcosystemGraph, batch_size: int) -> dict[str, Any]:
    """Push into an emptied database; time the node phase and the relationship phase apart."""
    store.clear()
    marks: dict[str, float] = {}

    def mark(kind: str, n: int, total: int) -> None:
        marks[kind] = time.perf_counter()  # time the last batch of each kind ended

    start = time.perf_counter()
    counts = store.push(eg, batch_size=batch_size, progress=mark)
    seconds = time.perf_counter() - start
    assert store.count_relationships() == counts["relationships"]
    node_s = marks["nodes"] - start  # includes creating the constraints
    rel_s = marks["relationships"] - marks["nodes"]
    return {
        "batch_size": batch_size,
        "nodes": counts["nodes"],
        "relationships": counts["relationships"],
        "seconds": round(seconds, 3),
        "node_phase_seconds": round(node_s, 3),
        "relationship_phase_seconds": round(rel_s, 3),
        "nodes_per_s": round(counts["nodes"] / node_s, 1),
        "relationships_per_s": round(counts["relationships"] / rel_s, 1),
        "items_per_s": round((counts["nodes"] + counts["relationships"]) / seconds, 1),
    }


def slice_graph(eg: EcosystemGraph, n_edges: int) -> EcosystemGraph:
    edges = list(eg.G.edges(keys=True, data=True))[:n_edges]
    H = nx.MultiDiGraph()
    for u, v, _, _ in edges:
        H.add_node(u, **eg.G.nodes[u])
        H.add_node(v, **eg.G.nodes[v])
    H.add_edges_from((u, v, k, a) for u, v, k, a in edges)
    H.graph.update(eg.G.graph)
    return EcosystemGraph(H)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--sweep-nodes", type=int, default=10_000)
    parser.add_argument("--batch-sizes", default="500,2000,5000,10000,20000")
    parser.add_argument("--chosen", type=int, default=5000)
    parser.add_argument("--peer-edges", type=int, default=2000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "neo4j_push.json"))
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="aieco-bench-neo4j-"))
    server = LocalNeo4jServer("bench", home=home, heap="2g", pagecache="1g")
    info = server.start()
    settings = Neo4jSettings(uri=info.uri, user=info.user, password=info.password)
    results: dict[str, Any] = {
        "benchmark": "neo4j_push",
        "aieco_version": aieco.__version__,
        "neo4j_version": NEO4J_VERSION,
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cores": 2},
        "server": {"heap": "2g", "pagecache": "1g"},
    }
    try:
        with Neo4jStore(settings) as store:
            sweep = aieco.graph_from_synthetic(args.sweep_nodes, seed=42)
            results["sweep_graph"] = {
                "nodes": sweep.G.number_of_nodes(),
                "relationships": sweep.G.number_of_edges(),
            }
            results["sweep"] = []
            for size in (int(s) for s in args.batch_sizes.split(",")):
                row = timed_push(store, sweep, size)
                print("sweep", row, flush=True)
                results["sweep"].append(row)

            part = slice_graph(sweep, args.peer_edges)
            batched = timed_push(store, part, args.chosen)
            row_at_a_time = timed_push(store, part, 1)
            results["peer"] = {
                "what": "same slice pushed batched vs one row per transaction",
                "batched": batched,
                "row_at_a_time": row_at_a_time,
                "speedup": round(row_at_a_time["seconds"] / batched["seconds"], 1),
            }
            print("peer", results["peer"], flush=True)

            start = time.perf_counter()
            big = aieco.graph_from_synthetic(args.nodes, seed=42)
            results["generate_seconds"] = round(time.perf_counter() - start, 1)
            full = timed_push(store, big, args.chosen)
            results["full"] = full
            print("full", full, flush=True)
            start = time.perf_counter()
            store.push(big, batch_size=args.chosen)
            results["full_repush_seconds"] = round(time.perf_counter() - start, 1)
            store.clear()
    finally:
        server.stop()
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
