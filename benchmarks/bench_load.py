"""Benchmark: loading aieco's CSV tables into a graph — time and peak memory, against a peer.

For a synthetic graph of --nodes entities (default 100,000, about 1M relationships), exports
aieco's four CSV tables (not timed), then in fresh processes, one measurement each:

* **aieco**: ``graph_from_files(folder)`` — every row validated (types, ids, references,
  provenance), all-or-nothing, into an ``EcosystemGraph``;
* **peer**: pandas ``read_csv`` of the same ``relations.csv`` and ``entities.csv`` and
  NetworkX's own ``from_pandas_edgelist`` into a MultiDiGraph with every column as an edge
  attribute, plus the entities as nodes with their columns — the graph, without checks;
* **floor**: what NetworkX alone costs — the relationships already in memory as Python lists
  (endpoints, keys, one attribute dict per row of the non-blank cells), then only
  ``MultiDiGraph.add_edges_from``: its seconds, and the memory the graph holds at the end
  (attribute dicts, their strings and NetworkX's adjacency dicts, read from /proc/self/statm).

Reports seconds and peak RSS (the child's ``VmHWM``: its own high-water mark; ``ru_maxrss``
would also count the parent's memory at the fork, which carried over into every child figure
this benchmark reported before) and the ratios aieco / peer.
Results: benchmarks/results/load.json.

    python benchmarks/bench_load.py [--nodes 100000]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the child's own peak RSS in KiB (``ru_maxrss`` would carry the parent's over the fork)
PEAK = 'peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))'

AIECO = """
import sys, time
from aieco.loaders import graph_from_files
start = time.perf_counter()
eg = graph_from_files([sys.argv[1]])
took = time.perf_counter() - start
{PEAK}
print(took, eg.G.number_of_nodes(), eg.G.number_of_edges(), peak)
""".replace("{PEAK}", PEAK)
PEER = """
import sys, time
import networkx as nx
import pandas as pd
start = time.perf_counter()
folder = sys.argv[1]
rels = pd.read_csv(f"{folder}/relations.csv", dtype=str, keep_default_na=False)
ents = pd.read_csv(f"{folder}/entities.csv", dtype=str, keep_default_na=False)
G = nx.from_pandas_edgelist(rels, "from", "to", edge_attr=True, create_using=nx.MultiDiGraph)
G.add_nodes_from((r["id"], r) for r in ents.to_dict("records"))
took = time.perf_counter() - start
{PEAK}
print(took, G.number_of_nodes(), G.number_of_edges(), peak)
""".replace("{PEAK}", PEAK)

FLOOR = """
import gc, sys, time
import networkx as nx
import pandas as pd
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
base = rss()
rels = pd.read_csv(f"{sys.argv[1]}/relations.csv", dtype=str, keep_default_na=False)
cols = [c for c in rels.columns if (rels[c] != "").any() and c not in ("from", "to", "id")]
records = [{k: v for k, v in zip(cols, row) if v} for row in zip(*(rels[c].tolist() for c in cols))]
u, v = rels["from"].tolist(), rels["to"].tolist()
ids = rels["id"].tolist() if "id" in rels.columns else [""] * len(u)
keys = [i or f"{a}|{r['type']}|{b}|{r.get('year', '')}" for i, a, b, r in zip(ids, u, v, records)]
del rels
gc.collect()
start = time.perf_counter()
G = nx.MultiDiGraph()
G.add_edges_from(zip(u, v, keys, records))
took = time.perf_counter() - start
del u, v, ids, keys, records
gc.collect()
print(took, G.number_of_nodes(), G.number_of_edges(), (rss() - base) // 1024)
"""


def measure(code: str, folder: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; its seconds and its own peak RSS (``VmHWM``)."""
    proc = subprocess.run([sys.executable, "-c", code, folder], capture_output=True, text=True, check=True)
    seconds, nodes, edges, peak_kib = proc.stdout.split()
    return {
        "seconds": round(float(seconds), 2),
        "peak_rss_mb": round(int(peak_kib) / 1024, 1),
        "nodes": int(nodes),
        "edges": int(edges),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "load.json"))
    args = parser.parse_args()
    import aieco
    from aieco.graph.io import export_graph

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        eg = aieco.graph_from_synthetic(args.nodes, seed=42)
        export_graph(eg, Path(tmp) / "tables", fmt="csv")
        prepared = round(time.perf_counter() - start, 1)
        folder = str(Path(tmp) / "tables")
        peer = measure(PEER, folder)
        ours = measure(AIECO, folder)
        floor = measure(FLOOR, folder)
        floor["holds_mb"] = floor.pop("peak_rss_mb")  # what the graph holds, not a peak
    result = {
        "benchmark": "load CSV tables into a graph",
        "command": f"python benchmarks/bench_load.py --nodes {args.nodes}",
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "graph": {"nodes": eg.G.number_of_nodes(), "relationships": eg.G.number_of_edges()},
        "prepare_s": prepared,
        "aieco": ours,
        "peer_pandas_networkx": peer,
        "floor_networkx_add_edges_from": floor,
        "ratio_seconds": round(ours["seconds"] / peer["seconds"], 2),
        "ratio_peak_rss": round(ours["peak_rss_mb"] / peer["peak_rss_mb"], 2),
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
