"""Bulk import: a whole graph into a new database, with Neo4j's own importer.

``neo4j-admin database import full`` writes a database from CSV files, without transactions,
an order of magnitude faster than any push through Bolt. It runs from the same Maven jars as
the local server (``org.neo4j.cli.AdminTool``) with the server stopped, and replaces the
database. :func:`write_import_files` writes the importer's CSV files for a graph (one per node
label and relationship type, typed headers); :func:`bulk_import` writes them, stops the
instance, imports, starts it again, creates aieco's constraints and checks the counts.

The same files work inside the docker-compose container::

    aieco neo4j import --files-only neo4j-import/
    docker compose stop neo4j
    docker compose run --rm -v "$PWD/neo4j-import:/import" neo4j \\
        neo4j-admin database import full --overwrite-destination=true --id-type=string \\
        --array-delimiter=U+001F --multiline-fields=true $(cat neo4j-import/arguments.txt)
    docker compose start neo4j
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from aieco.errors import DataValidationError, Neo4jSetupError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.neo4j.server.local import LocalNeo4jServer, fetch_jars
from aieco.neo4j.store import (
    BASE_LABEL,
    INT64_BOUNDS,
    META_LABEL,
    _neo4j_value,
    labelled_nodes,
    storable_problem,
    typed_relationships,
)

logger = logging.getLogger(__name__)

#: Separates array items and labels in the importer's files (aieco refuses control characters in
#: data, so it cannot occur in a value).
ARRAY_DELIMITER = "\x1f"
IMPORTER_OPTIONS = (
    "--overwrite-destination=true",
    "--id-type=string",
    "--array-delimiter=U+001F",
    "--multiline-fields=true",
)


@dataclass
class ImportFiles:
    """The importer's input: node files, relationship files, and what they hold."""

    folder: Path
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    n_nodes: int = 0
    n_relationships: int = 0

    def arguments(self, root: str | None = None) -> list[str]:
        """``--nodes=…`` and ``--relationships=…`` (paths under ``root`` if given, e.g. ``/import``)."""

        def where(p: Path) -> str:
            return f"{root}/{p.name}" if root else str(p)

        return [f"--nodes={where(p)}" for p in self.nodes] + [
            f"--relationships={where(p)}" for p in self.relationships
        ]


_NONE = type(None)


def _typed_column(
    values: list[Any], owners: list[str], key: str, problems: list[Problem]
) -> tuple[str, list[Any]]:
    """A property column's importer type and cells; values Neo4j cannot store become problems.

    Strings (the bulk of any column) pass through untouched; the checks run per column, on the
    minimum and maximum of a numeric one, and per value only where a bound is crossed.
    """
    kinds = set(map(type, values)) - {_NONE}
    if kinds <= {str}:
        return "string", values
    if kinds == {bool}:
        return "boolean", [None if v is None else ("true" if v else "false") for v in values]
    if kinds <= {int, float}:
        present = [v for v in values if v is not None]
        nonfinite = float in kinds and not all(map(math.isfinite, present))
        if nonfinite or min(present) < INT64_BOUNDS[0] or max(present) > INT64_BOUNDS[1]:
            problems.extend(
                Problem(owner, 0, key, why)
                for owner, v in zip(owners, values, strict=True)
                if v is not None and (why := storable_problem(v))
            )
        return ("long" if kinds == {int} else "double"), values
    problems.extend(
        Problem(owner, 0, key, why)
        for owner, v in zip(owners, values, strict=True)
        if not isinstance(v, str | bool | _NONE) and (why := storable_problem(v))
    )
    stored = [_neo4j_value(v) for v in values]
    if set(map(type, stored)) - {_NONE} == {list}:
        return "string[]", [None if v is None else ARRAY_DELIMITER.join(v) for v in stored]
    return "string", [
        v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in stored
    ]


def _write_table(
    path: Path,
    fixed: list[tuple[str, Iterable[Any]]],
    rows: list[dict[str, Any]],
    owners: list[str],
    problems: list[Problem],
    *,
    drop: tuple[str, ...],
    extra: tuple[str, list[Any]] | None = None,
) -> Callable[[], None]:
    """Check one importer file's columns now; return the function that writes it.

    ``fixed`` holds the leading (header, cells) columns (ids, labels …); ``rows`` the attribute
    dicts whose keys (except ``drop``) become typed property columns, sorted by name.
    """  # fmt: skip
    keys = sorted({k for attrs in rows for k in attrs if k not in drop})
    columns = [(k, [attrs.get(k) for attrs in rows]) for k in keys]
    if extra:
        columns = [c for c in columns if c[0] != extra[0]] + [extra]
    header = [h for h, _ in fixed]
    cells: list[Iterable[Any]] = [c for _, c in fixed]
    for k, values in columns:
        kind, typed = _typed_column(values, owners, k, problems)
        header.append(f"{k}:{kind}")
        cells.append(typed)

    def write() -> None:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(header)
            writer.writerows(zip(*cells, strict=False))  # the label and type columns repeat

    return write


@paused_gc()  # columns of a million rows next to a graph of millions of objects, no cycles
def write_import_files(eg: EcosystemGraph, folder: str | Path) -> ImportFiles:
    """Write the importer's CSV files for ``eg`` into ``folder`` (checked before any write)."""
    G = eg.G
    problems: list[Problem] = []
    nodes: dict[str, tuple[list[str], list[dict[str, Any]]]] = defaultdict(lambda: ([], []))
    for label, node, attrs in labelled_nodes(G):
        ids, rows = nodes[label]
        ids.append(node)
        rows.append(attrs)
    rels: dict[str, tuple[list[str], list[str], list[str], list[dict[str, Any]]]] = defaultdict(
        lambda: ([], [], [], [])
    )
    for rel, u, v, key, attrs in typed_relationships(G):
        src, dst, keys, rows = rels[rel]
        src.append(u)
        dst.append(v)
        keys.append(key)
        rows.append(attrs)
    out = ImportFiles(Path(folder))
    writers = []
    for label, (ids, rows) in sorted(nodes.items()):
        path = out.folder / f"nodes-{label}.csv"
        fixed = [(f"id:ID({BASE_LABEL})", ids), (":LABEL", repeat(f"{BASE_LABEL}{ARRAY_DELIMITER}{label}"))]
        owners = [f"node {n}" for n in ids]
        writers.append(_write_table(path, fixed, rows, owners, problems, drop=("type", "id")))
        out.nodes.append(path)
        out.n_nodes += len(ids)
    meta = out.folder / "nodes-meta.csv"
    graph_json = json.dumps(G.graph, ensure_ascii=False, default=str)
    fixed = [(f"id:ID({META_LABEL})", ["graph"]), (":LABEL", [META_LABEL])]
    writers.append(_write_table(meta, fixed, [{"graph_json": graph_json}], ["graph"], problems, drop=()))
    out.nodes.append(meta)
    for rel, (src, dst, keys, rows) in sorted(rels.items()):
        path = out.folder / f"relationships-{rel}.csv"
        fixed = [(f":START_ID({BASE_LABEL})", src), (f":END_ID({BASE_LABEL})", dst), (":TYPE", repeat(rel))]
        owners = [f"relationship {k}" for k in keys]
        writers.append(_write_table(path, fixed, rows, owners, problems, drop=("type",), extra=("key", keys)))
        out.relationships.append(path)
        out.n_relationships += len(src)
    if problems:  # before any file is written
        raise DataValidationError(problems)
    out.folder.mkdir(parents=True, exist_ok=True)
    for write in writers:
        write()
    (out.folder / "arguments.txt").write_text(" ".join(out.arguments("/import")) + "\n", encoding="utf-8")
    return out


def run_importer(server: LocalNeo4jServer, files: ImportFiles) -> float:
    """Run ``neo4j-admin database import full`` on the (stopped) instance; return its seconds."""
    lib = fetch_jars(server.version)
    conf = server.write_conf()
    java = "java"
    command = [
        java, f"-Xmx{server.heap}", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", *IMPORTER_OPTIONS,
        # the importer's report goes to the instance's logs, not the caller's working directory
        f"--report-file={server.home / 'logs' / 'import.report'}", *files.arguments(),
    ]  # fmt: skip
    env = {**os.environ, "NEO4J_CONF": str(conf), "NEO4J_HOME": str(server.home)}
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        last = next(
            (line for line in reversed((proc.stderr or proc.stdout).splitlines()) if line.strip()), ""
        )
        raise Neo4jSetupError(f"neo4j-admin database import failed (exit {proc.returncode}): {last.strip()}")
    logger.info("importer took %.1f s", took)
    return took


def bulk_import(eg: EcosystemGraph, server: LocalNeo4jServer) -> dict[str, Any]:
    """Replace the instance's database with ``eg`` through the importer, and start it again.

    Returns counts and timings: ``nodes``, ``relationships``, ``write_s`` (aieco's CSV files),
    ``importer_s`` (Neo4j's importer alone), ``total_s`` (stop → files → import → started with
    constraints and counts checked).
    """
    from aieco.neo4j.settings import Neo4jSettings
    from aieco.neo4j.store import Neo4jStore

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aieco-import-") as tmp:
        files = write_import_files(eg, tmp)
        written = time.perf_counter() - start
        server.stop()
        took = run_importer(server, files)
    info = server.start()
    with Neo4jStore(Neo4jSettings(uri=info.uri, user=info.user, password=info.password)) as store:
        store.ensure_constraints()
        counts = {"nodes": store.count_nodes(), "relationships": store.count_relationships()}
    expected = {"nodes": eg.G.number_of_nodes(), "relationships": eg.G.number_of_edges()}
    if counts != expected:
        raise Neo4jSetupError(f"the import holds {counts}, not the graph's {expected}")
    return {**counts, "write_s": round(written, 2), "importer_s": round(took, 2),
            "total_s": round(time.perf_counter() - start, 2)}  # fmt: skip
