"""Benchmark: writing a big graph into a real local Neo4j 5.26, against Neo4j's own tools.

Starts its own local server (from Neo4j's jars; see `aieco neo4j start`) and, for one
synthetic graph of --nodes entities (default 100,000, about 1M relationships), in one run:

* ``aieco neo4j push`` into an empty database (batched ``UNWIND … CREATE``), then a re-push
  into the full one (``UNWIND … MERGE``, what an update costs);
* ``aieco neo4j import`` (:func:`aieco.neo4j.server.bulk.bulk_import`): aieco's CSV files,
  Neo4j's importer, restart, constraints;
* peer 1, **LOAD CSV + CREATE**: the server reads plain CSV files (one per label and type, the
  peer's natural input, written beforehand and not timed) with ``LOAD CSV … CALL { CREATE } IN
  TRANSACTIONS``, after creating the same uniqueness constraint;
* peer 2, **Neo4j's importer alone** (``neo4j-admin database import full``) on its input files.

Before anything is compared, both the push and LOAD CSV run once on a small graph (then cleared),
so that neither pays for the server's cold start (JIT, page cache) alone: the first write after a
start is measurably slower, whichever it is. Then one full push grows the new database's store
files (its time is reported as ``aieco_first_push_new_database_s``), and the database is cleared:
the compared push and LOAD CSV both write into a cleared database whose files are already grown
(the peer, which ran after a clear, always had that advantage before).

Results and the ratios aieco / peer: benchmarks/results/neo4j_push.json.

    python benchmarks/bench_neo4j_push.py [--nodes 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aieco
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.server import NEO4J_VERSION, LocalNeo4jServer
from aieco.neo4j.server.bulk import bulk_import, run_importer, write_import_files
from aieco.neo4j.store import BASE_LABEL, DEFAULT_PARALLEL, Neo4jSettings, Neo4jStore


def _store(server: LocalNeo4jServer) -> Neo4jStore:
    info = server.info() or server.start()
    return Neo4jStore(Neo4jSettings(uri=info.uri, user=info.user, password=info.password))


def timed_push(store: Neo4jStore, eg: EcosystemGraph, batch_size: int, parallel: int) -> float:
    start = time.perf_counter()
    counts = store.push(eg, batch_size=batch_size, parallel=parallel)
    seconds = time.perf_counter() - start
    assert store.count_relationships() == counts["relationships"] == eg.G.number_of_edges()
    return round(seconds, 2)


def write_plain_csv(eg: EcosystemGraph, folder: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The LOAD CSV peer's input: plain CSV (id and text properties), one file per label / type."""
    G = eg.G
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, a in G.nodes(data=True):
        nodes[a["type"]].append({"id": n, **{k: v for k, v in a.items() if k != "type" and v is not None}})
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u, v, k, a in G.edges(keys=True, data=True):
        rels[a["type"]].append(
            {"src": u, "dst": v, "key": k, **{x: y for x, y in a.items() if x != "type" and y is not None}}
        )
    node_files, rel_files = [], []
    for kind, groups, out in (("n", nodes, node_files), ("r", rels, rel_files)):
        for name, rows in groups.items():
            header = sorted({k for r in rows for k in r})
            path = folder / f"{kind}-{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=header)
                w.writeheader()
                w.writerows(
                    {k: ("|".join(v) if isinstance(v, list) else v) for k, v in r.items()} for r in rows
                )
            out.append((name, path.name))
    return node_files, rel_files


def load_csv_peer(
    store: Neo4jStore, node_files: list[tuple[str, str]], rel_files: list[tuple[str, str]]
) -> float:
    store.clear()
    start = time.perf_counter()
    store.runner.write(
        f"CREATE CONSTRAINT peer_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE", {}
    )
    for label, name in node_files:
        store.runner.autocommit(
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row "
            f"CALL (row) {{ CREATE (n:{BASE_LABEL}:{label}) SET n = row }} IN TRANSACTIONS OF 5000 ROWS",
            {},
        )
    for rel, name in rel_files:
        store.runner.autocommit(
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row "
            f"CALL (row) {{ MATCH (a:{BASE_LABEL} {{id: row.src}}) MATCH (b:{BASE_LABEL} {{id: row.dst}}) "
            f"CREATE (a)-[r:{rel}]->(b) SET r = row }} IN TRANSACTIONS OF 5000 ROWS",
            {},
        )
    seconds = time.perf_counter() - start
    store.runner.write("DROP CONSTRAINT peer_id IF EXISTS", {})
    return round(seconds, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--parallel", type=int, default=DEFAULT_PARALLEL)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "neo4j_push.json"))
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="aieco-bench-neo4j-"))
    # the LOAD CSV peer needs file URLs, which aieco's own configuration refuses
    server = LocalNeo4jServer(
        "bench", home=home, heap="2g", pagecache="1g",
        extra_settings={"dbms.security.allow_csv_import_from_file_urls": "true"},
    )  # fmt: skip
    start = time.perf_counter()
    eg = aieco.graph_from_synthetic(args.nodes, seed=42)
    results: dict[str, Any] = {
        "benchmark": "neo4j_push",
        "command": f"python benchmarks/bench_neo4j_push.py --nodes {args.nodes}",
        "aieco_version": aieco.__version__,
        "neo4j_version": NEO4J_VERSION,
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cores": 2},
        "server": {"heap": "2g", "pagecache": "1g"},
        "push": {"batch_size": args.batch_size, "parallel": args.parallel},
        "graph": {"nodes": eg.G.number_of_nodes(), "relationships": eg.G.number_of_edges()},
        "generate_s": round(time.perf_counter() - start, 1),
    }
    print(results["graph"], flush=True)
    try:
        server.start()
        with _store(server) as store:
            warm = aieco.graph_from_synthetic(10_000, seed=7)
            store.clear()
            timed_push(store, warm, args.batch_size, args.parallel)
            store.clear()
            (home / "import").mkdir(exist_ok=True)
            load_csv_peer(store, *write_plain_csv(warm, home / "import"))
            store.clear()
            # the first big write into a new database also grows its store files; the second
            # and every later one (the LOAD CSV peer's, after a clear, too) find them grown. So
            # one full push grows them before anything is compared (its time is kept apart)
            results["aieco_first_push_new_database_s"] = timed_push(store, eg, args.batch_size, args.parallel)
            print(
                "first push (grows the store files)", results["aieco_first_push_new_database_s"], flush=True
            )
            store.clear()
            results["aieco_push_empty_s"] = timed_push(store, eg, args.batch_size, args.parallel)
            print("push", results["aieco_push_empty_s"], flush=True)
            results["aieco_repush_s"] = timed_push(store, eg, args.batch_size, args.parallel)
            print("re-push", results["aieco_repush_s"], flush=True)
            node_files, rel_files = write_plain_csv(eg, home / "import")
            results["peer_load_csv_create_s"] = load_csv_peer(store, node_files, rel_files)
            print("LOAD CSV", results["peer_load_csv_create_s"], flush=True)
        imported = bulk_import(eg, server)
        results["aieco_import"] = imported
        print("import", imported, flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            files = write_import_files(eg, tmp)
            server.stop()
            results["peer_importer_s"] = round(run_importer(server, files), 2)
        print("importer", results["peer_importer_s"], flush=True)
    finally:
        server.stop()
    imp = results["aieco_import"]
    results["ratios"] = {
        "push_empty_to_load_csv": round(results["aieco_push_empty_s"] / results["peer_load_csv_create_s"], 2),
        "import_files_plus_importer_to_importer": round(
            (imp["write_s"] + imp["importer_s"]) / results["peer_importer_s"], 2
        ),
        "import_total_to_importer": round(imp["total_s"] / results["peer_importer_s"], 2),
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results["ratios"]))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
