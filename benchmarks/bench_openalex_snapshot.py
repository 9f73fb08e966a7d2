"""OpenAlex snapshot → aieco tables: time and peak memory at growing numbers of author records.

Writes synthetic author records in OpenAlex's shape (``data/authors/updated_date=…/part_*.gz``,
gzip JSON Lines, with the institutions they name) and runs aieco's snapshot reader on them in a
fresh process per size, so each peak RSS is that run's own. The institutions are a fixed pool
with heavy-tailed popularity, as real mobility concentrates on a few institutions; memory is
expected to follow the number of distinct corridors (bounded by institutions² × years), not the
number of authors.

    python benchmarks/bench_openalex_snapshot.py --sizes 100000,1000000
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["CN", "US", "GB", "DE", "FR", "JP", "KR", "CA", "IN", "SG"]


def institutions(n: int) -> list[dict[str, object]]:
    out = []
    for i in range(n):
        cc = COUNTRIES[i % len(COUNTRIES)]
        out.append(
            {
                "id": f"https://openalex.org/I{100000 + i}",
                "display_name": f"Institution {i}",
                "type": "education" if i % 3 else "company",
                "ror": None,
                "country_code": cc,
                "geo": {
                    "city": f"City {i % 200}",
                    "geonames_city_id": None,
                    "region": f"Region {i % 50}",
                    "country_code": cc,
                    "country": cc,
                    "latitude": 0.0,
                    "longitude": 0.0,
                },
                "lineage": [f"https://openalex.org/I{100000 + i}"],
                "international": {"display_name": {"en": f"Institution {i}"}},
            }
        )
    return out


def write_snapshot(root: Path, n_authors: int, pool: list[dict[str, object]], seed: int = 1) -> float:
    rng = random.Random(seed)
    weights = [1.0 / (k + 1) ** 1.1 for k in range(len(pool))]
    folder = root / "data" / "institutions" / "updated_date=2026-11-01"
    folder.mkdir(parents=True)
    with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8", compresslevel=1) as fh:
        for rec in pool:
            fh.write(json.dumps(rec) + "\n")
    start = time.perf_counter()
    per_file = 250_000
    concepts = [
        {"id": "https://openalex.org/C154945302", "display_name": "Artificial intelligence", "score": 50.0}
    ]
    for part in range(0, n_authors, per_file):
        folder = root / "data" / "authors" / f"updated_date=2026-{10 + part // (4 * per_file):02d}-01"
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(
            folder / f"part_{part // per_file:03d}.gz", "wt", encoding="utf-8", compresslevel=1
        ) as fh:
            for a in range(part, min(part + per_file, n_authors)):
                k = rng.choice((1, 1, 2, 2, 3, 4))
                picks = rng.choices(pool, weights=weights, k=k)
                year = rng.randint(2008, 2020)
                affs = []
                for inst in picks:
                    span = rng.randint(1, 4)
                    affs.append(
                        {
                            "institution": {
                                "id": inst["id"],
                                "country_code": inst["country_code"],
                                "display_name": inst["display_name"],
                                "type": inst["type"],
                            },
                            "years": list(range(year, year + span)),
                        }
                    )
                    year += span
                fh.write(
                    json.dumps(
                        {
                            "id": f"https://openalex.org/A{a}",
                            "display_name": f"Author {a}",
                            "affiliations": affs,
                            "x_concepts": concepts,
                        }
                    )
                    + "\n"
                )
    return time.perf_counter() - start


RUN = """
import sys, time, resource
from aieco.loaders.openalex import graph_from_openalex_snapshot
start = time.perf_counter()
pull = graph_from_openalex_snapshot(sys.argv[1], with_bundled=False, level=sys.argv[2])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
flows = sum(1 for *_, d in pull.graph.G.edges(data=True) if d["type"] == "TALENT_FLOW")
print(seconds, peak, pull.read["authors"], flows)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--institutions", type=int, default=2000)
    parser.add_argument("--level", default="institution")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "openalex_snapshot.json"))
    args = parser.parse_args()
    pool = institutions(args.institutions)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            written = write_snapshot(Path(tmp), n, pool)
            size = sum(p.stat().st_size for p in Path(tmp).rglob("*.gz"))
            proc = subprocess.run(
                [sys.executable, "-c", RUN, tmp, args.level], capture_output=True, text=True, check=True
            )
            seconds, peak, read, flows = proc.stdout.split()
        row = {
            "authors": n,
            "institutions": args.institutions,
            "level": args.level,
            "gz_bytes": size,
            "write_seconds": round(written, 1),
            "seconds": round(float(seconds), 1),
            "authors_per_second": round(int(read) / float(seconds)),
            "peak_rss_mb": round(float(peak)),
            "talent_flow_rows": int(flows),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    payload = {
        "benchmark": "openalex snapshot → aieco tables",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {resource.getpagesize()}-byte pages",
        "results": rows,
    }
    Path(args.out).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
