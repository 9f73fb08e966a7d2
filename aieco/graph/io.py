"""Export an ecosystem graph: node-link JSON, GraphML, or aieco's own CSV tables.

JSON and CSV exports load back with :func:`aieco.graph_from_files` into an equal graph.
GraphML is for other tools (Gephi, Cytoscape); its list properties are joined with ``|``.

Every CSV aieco writes (these tables, report tables, query results) neutralises cells a
spreadsheet would run as formulas (:func:`aieco.graph.text.spreadsheet_safe`); JSON is strict
(no ``NaN``/``Infinity``); GraphML shows XML-illegal control characters as ``\\xNN`` text.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any, Literal, get_args

import networkx as nx
import pandas as pd

from aieco.atomic import atomic_path, check_writable_folder, ensure_folder, file_set
from aieco.errors import ExportError, InvalidArgumentError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import (
    DERIVED_RELS,
    ENTITY_FIELDS,
    LIST_FIELDS,
    OBSERVATION_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    NodeType,
)
from aieco.graph.text import spreadsheet_safe, visible_controls

logger = logging.getLogger(__name__)

ExportFormat = Literal["json", "graphml", "csv"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
#: The four tables of a CSV export, in the order they are written.
CSV_TABLES: tuple[str, ...] = ("sources.csv", "entities.csv", "observations.csv", "relations.csv")


#: Node-link keys. Edge endpoints are called ``from``/``to`` (as in the CSV tables) because
#: ``source`` is aieco's provenance property. Read with
#: ``nx.node_link_graph(data, edges="edges", source="from", target="to")``.
NODE_LINK_KEYS: dict[str, str] = {"edges": "edges", "source": "from", "target": "to", "key": "key"}


def to_node_link(eg: EcosystemGraph) -> dict[str, Any]:
    """Return NetworkX node-link data with every attribute (endpoints named ``from``/``to``)."""
    return dict(nx.node_link_data(eg.G, **NODE_LINK_KEYS))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def csv_cell(value: Any) -> str:
    """One CSV cell as aieco writes it: lists joined with ``|``, line ends as LF, formulas neutralised.

    (A bare CR would not be quoted by the CSV writer and would split the row for every reader.)
    """
    return spreadsheet_safe(_cell(value).replace("\r\n", "\n").replace("\r", "\n"))


def frame_csv(frame: pd.DataFrame) -> str:
    """A DataFrame as CSV text with formula cells neutralised (report tables, query results)."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = [spreadsheet_safe(v) if isinstance(v, str) else v for v in safe[col]]
    safe.columns = [spreadsheet_safe(str(c)) for c in safe.columns]
    return str(safe.to_csv(index=False, lineterminator="\n"))


def write_csv_tables(eg: EcosystemGraph, folder: Path, *, force: bool = False) -> list[Path]:
    """Write ``sources.csv``, ``entities.csv``, ``relations.csv`` and ``observations.csv``."""
    check_writable_folder(folder, CSV_TABLES, force=force)
    ensure_folder(folder)
    G = eg.G
    tables: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {
        "sources.csv": (SOURCE_FIELDS, []),
        "entities.csv": (ENTITY_FIELDS, []),
        "observations.csv": (OBSERVATION_FIELDS, []),
        "relations.csv": (RELATION_FIELDS, []),
    }
    for node, attrs in G.nodes(data=True):
        kind = attrs["type"]
        if kind == NodeType.SOURCE.value:
            tables["sources.csv"][1].append({**attrs, "id": node})
        elif kind == NodeType.OBSERVATION.value:
            tables["observations.csv"][1].append({**attrs, "id": node})
        else:
            tables["entities.csv"][1].append({**attrs, "id": node})
    derived = {r.value for r in DERIVED_RELS}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        if attrs["type"] not in derived:
            tables["relations.csv"][1].append({**attrs, "id": key, "from": u, "to": v})
    written = []
    with file_set(folder):  # the four tables appear together, or the folder stays as it was
        for name, (fields, rows) in tables.items():
            path = folder / name
            with atomic_path(path, force=force) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(fields)
                for row in rows:
                    writer.writerow(csv_cell(row.get(f)) for f in fields)
            written.append(path)
    return written


def _xml_value(key: str, value: Any) -> Any:
    if key in LIST_FIELDS or isinstance(value, list):
        value = _cell(value)
    return visible_controls(value, keep="\t\n") if isinstance(value, str) else value


def _graphml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph.update({k: _xml_value(k, v) for k, v in G.graph.items() if not isinstance(v, dict)})
    for node, attrs in G.nodes(data=True):
        H.add_node(_xml_value("id", node), **{k: _xml_value(k, v) for k, v in attrs.items()})
    for u, v, key, attrs in G.edges(keys=True, data=True):
        H.add_edge(
            _xml_value("id", u),
            _xml_value("id", v),
            key=_xml_value("id", key),
            **{k: _xml_value(k, x) for k, x in attrs.items()},
        )
    return H


def export_graph(
    eg: EcosystemGraph, out: str | Path, *, fmt: ExportFormat, force: bool = False
) -> list[Path]:
    """Write the graph to ``out`` in the given format; return the files written.

    Parameters
    ----------
    eg
        The graph to export.
    out
        A file for ``json`` and ``graphml``; a folder for ``csv``.
    fmt
        ``"json"`` (node-link), ``"graphml"`` or ``"csv"``.
    force
        Replace existing files that aieco did not write.
    """
    path = Path(out)
    if fmt == "csv":
        return write_csv_tables(eg, path, force=force)
    with atomic_path(path, force=force) as tmp:  # never leave a half-written export behind
        if fmt == "json":
            try:
                text = json.dumps(
                    to_node_link(eg), ensure_ascii=False, indent=1, default=str, allow_nan=False
                )
            except ValueError as exc:
                raise ExportError(
                    f"cannot write {path}: a NaN or infinite value, which JSON cannot hold"
                ) from exc
            tmp.write_text(text, encoding="utf-8")
        elif fmt == "graphml":
            nx.write_graphml(_graphml_safe(eg.G), tmp, named_key_ids=True)
        else:
            raise InvalidArgumentError(
                f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}"
            )
    logger.info("exported %s to %s", fmt, path)
    return [path]
