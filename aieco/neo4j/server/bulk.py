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
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aieco.errors import DataValidationError, Neo4jSetupError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.neo4j.server.local import LocalNeo4jServer, fetch_jars
from aieco.neo4j.store import BASE_LABEL, META_LABEL, _label, _neo4j_value, _rel_type, storable_problem

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


def _column_type(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    if present and all(isinstance(v, list) for v in present):
        return "string[]"
    return "string"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "string[]":
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def _write_table(path: Path, fixed: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> None:
    """One importer file: ``fixed`` header cells (id, labels …), then typed property columns."""
    keys = sorted({k for _, props in rows for k in props})
    kinds = {k: _column_type([props.get(k) for _, props in rows]) for k in keys}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([*fixed, *(f"{k}:{kinds[k]}" for k in keys)])
        for head, props in rows:
            writer.writerow([*head, *(_cell(props.get(k), kinds[k]) for k in keys)])


def write_import_files(eg: EcosystemGraph, folder: str | Path) -> ImportFiles:
    """Write the importer's CSV files for ``eg`` into ``folder`` (checked before any write)."""
    G = eg.G
    problems: list[Problem] = []
    scalar = (str, bool)

    def props_of(attrs: dict[str, Any], where: str, drop: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in attrs.items():
            if v is None or k in drop:
                continue
            kind = type(v)
            if kind in scalar:
                out[k] = v
                continue
            why = storable_problem(v)
            if why:
                problems.append(Problem(where, 0, k, why))
            out[k] = v if kind in (int, float) else _neo4j_value(v)
        return out

    by_label: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    names: dict[str, str] = {}  # type name → checked label or relationship type
    for node, attrs in G.nodes(data=True):
        label = names.get(attrs["type"]) or names.setdefault(attrs["type"], _label(attrs["type"]))
        props = props_of(attrs, f"node {node}", ("type", "id"))
        by_label[label].append(([str(node), f"{BASE_LABEL}{ARRAY_DELIMITER}{label}"], props))
    by_type: dict[str, list[tuple[list[str], dict[str, Any]]]] = defaultdict(list)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        rel = names.get(attrs["type"]) or names.setdefault(attrs["type"], _rel_type(attrs["type"]))
        props = props_of(attrs, f"relationship {key}", ("type",))
        props["key"] = key
        by_type[rel].append(([str(u), str(v), rel], props))
    if problems:  # before any file is written
        raise DataValidationError(problems)
    out = ImportFiles(Path(folder))
    out.folder.mkdir(parents=True, exist_ok=True)
    for label, rows in sorted(by_label.items()):
        path = out.folder / f"nodes-{label}.csv"
        _write_table(path, [f"id:ID({BASE_LABEL})", ":LABEL"], rows)
        out.nodes.append(path)
        out.n_nodes += len(rows)
    meta = out.folder / "nodes-meta.csv"
    graph_json = json.dumps(G.graph, ensure_ascii=False, default=str)
    _write_table(
        meta, [f"id:ID({META_LABEL})", ":LABEL"], [(["graph", META_LABEL], {"graph_json": graph_json})]
    )
    out.nodes.append(meta)
    for rel, rows in sorted(by_type.items()):
        path = out.folder / f"relationships-{rel}.csv"
        _write_table(path, [f":START_ID({BASE_LABEL})", f":END_ID({BASE_LABEL})", ":TYPE"], rows)
        out.relationships.append(path)
        out.n_relationships += len(rows)
    (out.folder / "arguments.txt").write_text(" ".join(out.arguments("/import")) + "\n", encoding="utf-8")
    return out


def run_importer(server: LocalNeo4jServer, files: ImportFiles) -> float:
    """Run ``neo4j-admin database import full`` on the (stopped) instance; return its seconds."""
    lib = fetch_jars(server.version)
    conf = server.write_conf()
    java = "java"
    command = [
        java, f"-Xmx{server.heap}", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", *IMPORTER_OPTIONS, *files.arguments(),
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
