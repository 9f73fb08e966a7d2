"""OpenAlex snapshot → aieco tables on real-size author records, against DuckDB's own read.

The snapshot is templated from the **real** OpenAlex author records in
``../shared/realdata/openalex`` (the 30 records of 2026 and the two Jason Priem records, ~20 KB
of JSON each, with all their fields): author *i* is template *i mod 32* with its own id, and the
institutions of its affiliations are remapped, consistently within the record, onto the pool
of every distinct institution the real records name (so corridors vary as in a real snapshot,
and most institutions, as there, have no full record). The real full institution records go in
``data/institutions``. Nothing of the real files is copied into the repository: they are read
from ``../shared`` when the benchmark runs.

Each contender runs in a fresh process, timed and measured (``VmHWM``, the child's own peak):

* **aieco**: ``pull_openalex_snapshot(root, level=…)``, DuckDB engine: the tables, with
  every rule (move rule, noise controls, dropped counts, the graph built and validated);
* **peer**: DuckDB alone on the same files: ``read_ndjson`` with the same columns, the
  affiliations unnested and counted per institution and year (a group-by), its result fetched;
* **aieco, streaming** (only up to ``--python-max`` authors): the record-by-record reader.

Reports authors/s, MB/s (gzip bytes and JSON bytes), peak memory, and the ratio aieco / peer.
Results: ``benchmarks/results/openalex_snapshot.json``.

    python benchmarks/bench_openalex_snapshot.py --sizes 20000,1000000 --level Country
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REAL = Path(os.environ.get("AIECO_REALDATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "realdata"))
RAG = REAL / "openalex/raw/Justin21523__openalex-research-rag/data/sample"
TEMPLATES = [
    RAG / "authors_sample.json",
    REAL / "openalex/raw/b-vitamins__openalex-python/tests/fixtures/data/A5023888391.json",
    REAL / "openalex/raw/nthomsencph__pyopenalex/tests/fixtures/author.json",
]
PER_PART = 50_000
PEAK = 'peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))'

AIECO = """
import sys, time
from aieco.loaders.openalex import pull_openalex_snapshot
start = time.perf_counter()
pull = pull_openalex_snapshot(sys.argv[1], with_bundled=False, level=sys.argv[2], engine=sys.argv[3])
took = time.perf_counter() - start
{PEAK}
flows = sum(1 for *_, d in pull.graph.G.edges(data=True) if d["type"] == "TALENT_FLOW")
print(took, peak, pull.read["authors"], pull.read["authors kept"], flows)
""".replace("{PEAK}", PEAK)

PEER = """
import sys, time, duckdb
from aieco.loaders.openalex_duckdb import AUTHOR_COLUMNS
# the fields aieco reads when no AI filter is set
COLUMNS = {
    k: v for k, v in AUTHOR_COLUMNS.items() if k in ("id", "affiliations") or k.startswith("last_known")
}
start = time.perf_counter()
con = duckdb.connect()
con.execute("SET memory_limit = '4GB'")
con.execute("SET enable_progress_bar = false")
rows = con.execute(
    "SELECT inst, y, count(*) FROM (SELECT a.institution.id AS inst, unnest(a.years) AS y FROM "
    "(SELECT unnest(affiliations) AS a FROM read_ndjson(?, columns = ?, format = 'newline_delimited', "
    "maximum_object_size = 268435456))) GROUP BY ALL",
    [sys.argv[1] + "/data/authors/*/*.gz", COLUMNS],
).fetchall()
took = time.perf_counter() - start
{PEAK}
print(took, peak, len(rows))
""".replace("{PEAK}", PEAK)


def templates() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in TEMPLATES:
        data = json.loads(path.read_text(encoding="utf-8"))
        out += data if isinstance(data, list) else [data]
    return out


def _skeleton(record: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The record as JSON text split around its id and its affiliations' institutions (the
    pieces at odd positions name what goes there: ``ID`` or ``I<affiliation>``)."""
    copy = json.loads(json.dumps(record))
    copy["id"] = "@@ID@@"
    originals = []
    for j, aff in enumerate(copy.get("affiliations") or []):
        originals.append(aff["institution"]["id"])
        aff["institution"] = f"@@I{j}@@"
    return re.split(r'"@@(ID|I\d+)@@"', json.dumps(copy, ensure_ascii=False)), originals


def _write_part(args: tuple[str, int, int, int]) -> int:
    path, start, stop, seed = args
    records = templates()
    pool = sorted(
        {
            json.dumps(a["institution"], ensure_ascii=False, sort_keys=True)
            for r in records
            for a in r["affiliations"]
        }
    )
    skeletons = [_skeleton(r) for r in records]
    index = {json.loads(p)["id"]: i for i, p in enumerate(pool)}
    written = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        for n in range(start, stop):
            parts, originals = skeletons[n % len(skeletons)]
            shift = (n // len(skeletons)) * 7919 + seed
            out = []
            for k, piece in enumerate(parts):
                if k % 2 == 0:
                    out.append(piece)
                elif piece == "ID":
                    out.append(json.dumps(f"https://openalex.org/A{9_000_000_000 + n}"))
                else:
                    original = originals[int(piece[1:])]
                    out.append(pool[(index[original] + shift) % len(pool)])
            line = "".join(out)
            written += len(line.encode("utf-8")) + 1
            fh.write(line + "\n")
    return written


def write_snapshot(root: Path, n_authors: int) -> tuple[float, int]:
    """The templated snapshot; (seconds, bytes of JSON written)."""
    start = time.perf_counter()
    inst = root / "data" / "institutions" / "updated_date=2026-06-23"
    inst.mkdir(parents=True)
    with gzip.open(inst / "part_000.gz", "wt", encoding="utf-8") as fh:
        for rec in json.loads((RAG / "institutions_sample.json").read_text(encoding="utf-8")):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    folder = root / "data" / "authors" / "updated_date=2026-06-23"
    folder.mkdir(parents=True)
    jobs = [
        (str(folder / f"part_{i:04d}.gz"), lo, min(lo + PER_PART, n_authors), i)
        for i, lo in enumerate(range(0, n_authors, PER_PART))
    ]
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        size = sum(pool.map(_write_part, jobs))
    return time.perf_counter() - start, size


def measure(code: str, *args: str) -> list[float]:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return [float(x) for x in proc.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,1000000")
    parser.add_argument("--level", default="Country")
    parser.add_argument(
        "--python-max", type=int, default=50_000, help="largest size the streaming reader runs"
    )
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "openalex_snapshot.json"))
    args = parser.parse_args()
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=os.environ.get("AIECO_BENCH_TMP")) as tmp:
            wrote, json_bytes = write_snapshot(Path(tmp), n)
            gz = sum(p.stat().st_size for p in Path(tmp).rglob("*.gz"))
            peer_s, peer_peak, peer_rows = measure(PEER, tmp)
            ours_s, ours_peak, read, kept, flows = measure(AIECO, tmp, args.level, "duckdb")
            row: dict[str, Any] = {
                "authors": n,
                "level": args.level,
                "json_mb": round(json_bytes / 1e6),
                "gz_mb": round(gz / 1e6, 1),
                "write_seconds": round(wrote, 1),
                "aieco_seconds": round(ours_s, 1),
                "aieco_authors_per_second": round(read / ours_s),
                "aieco_json_mb_per_second": round(json_bytes / 1e6 / ours_s, 1),
                "aieco_peak_rss_mb": round(ours_peak / 1024),
                "authors_kept": int(kept),
                "talent_flow_rows": int(flows),
                "peer_seconds": round(peer_s, 1),
                "peer_peak_rss_mb": round(peer_peak / 1024),
                "peer_groups": int(peer_rows),
                "ratio_aieco_to_peer": round(ours_s / peer_s, 2),
            }
            if n <= args.python_max:
                py_s, py_peak, *_ = measure(AIECO, tmp, args.level, "python")
                row |= {
                    "streaming_seconds": round(py_s, 1),
                    "streaming_peak_rss_mb": round(py_peak / 1024),
                    "ratio_streaming_to_peer": round(py_s / peer_s, 2),
                }
        rows.append(row)
        print(json.dumps(row), flush=True)
    payload = {
        "benchmark": "openalex snapshot → aieco tables (real-size author records) vs DuckDB read + group-by",
        "command": "python benchmarks/bench_openalex_snapshot.py --sizes "
        + args.sizes
        + " --level "
        + args.level,
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "results": rows,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
