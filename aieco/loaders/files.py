"""Read aieco datasets from files: CSV tables and NetworkX node-link JSON.

A dataset is four kinds of table, told apart by their header row:

==============  ===========================================================
kind            columns (see :mod:`aieco.graph.schema` for the full lists)
==============  ===========================================================
sources         ``id, title, …, file, url``
entities        ``id, type, name_en, name_zh_hans, …, source, quote``
relations       ``id, from, type, to, rank, year, share, count, …, source, quote``
observations    ``id, subject, indicator, value, unit, kind, year, …, source, quote``
==============  ===========================================================

Only ``id`` plus the required columns must be present; any column may be left out.
List fields (``aliases``, ``see_also``) are written ``a|b|c``. A row whose first cell
starts with ``#`` is a comment. JSON files are node-link data as written by
``aieco export --format json``.
"""

from __future__ import annotations

import csv
import json
import logging
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar
from xml.etree import ElementTree

import networkx as nx
from pydantic import BaseModel, ValidationError

from aieco.atomic import interrupted_write
from aieco.config import env as setting
from aieco.errors import DataValidationError, Problem
from aieco.graph.build import build_graph, check_dataset
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.graph.io import NODE_LINK_KEYS
from aieco.graph.records import (
    Dataset,
    EntityColumns,
    EntityRecord,
    FieldError,
    ObservationRecord,
    Origin,
    RelationColumns,
    RelationRecord,
    SourceRecord,
)
from aieco.graph.schema import (
    DERIVED_FIELDS,
    DERIVED_RELS,
    ENTITY_FIELDS,
    OBSERVATION_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    NodeType,
)
from aieco.graph.text import from_spreadsheet
from aieco.loaders.xmlsafe import declares_dtd

ModelT = TypeVar("ModelT", bound=BaseModel)

logger = logging.getLogger(__name__)

#: The header of a claims ledger (see :mod:`aieco.loaders.ledger`), which a data folder may hold.
LEDGER_HEADER: tuple[str, ...] = ("id", "source", "sentence", "kind", "rows", "reason")

#: Entity and relation tables from this size up are read column-wise (see :mod:`aieco.loaders.columns`).
COLUMN_WISE_FROM_BYTES = 2 * 1024**2

#: The largest file aieco reads (bytes); ``AIECO_MAX_FILE_BYTES`` changes it.
DEFAULT_MAX_FILE_BYTES = 4 * 1024**3

TableKind = Literal["sources", "entities", "relations", "observations"]

_MODELS: dict[TableKind, type[BaseModel]] = {
    "sources": SourceRecord,
    "entities": EntityRecord,
    "relations": RelationRecord,
    "observations": ObservationRecord,
}
_COLUMNS: dict[TableKind, tuple[str, ...]] = {
    "sources": SOURCE_FIELDS,
    "entities": ENTITY_FIELDS,
    "relations": RELATION_FIELDS,
    "observations": OBSERVATION_FIELDS,
}


def table_kind(header: Sequence[str]) -> TableKind | None:
    """Tell which kind of table a header row belongs to (``None`` if none).

    >>> table_kind(["id", "from", "type", "to", "source"])
    'relations'
    >>> table_kind(["id", "subject", "indicator", "value", "unit", "source"]) is None
    False
    """
    cols = set(header)
    if {"subject", "indicator", "value"} <= cols:
        return "observations"
    if {"from", "to", "type"} <= cols:
        return "relations"
    if {"type", "name_en"} <= cols:
        return "entities"
    if {"title"} <= cols and ({"file"} & cols or {"url"} & cols):
        return "sources"
    return None


def _problems_from(error: ValidationError, file: str, row: int) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = err.get("loc") or ()
        field = str(loc[0]) if loc else ""
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldError):
            field = cause.field
            message = str(cause)
        else:
            message = err["msg"].removeprefix("Value error, ")
        if field == "from_":
            field = "from"
        problems.append(Problem(file, row, field, message))
    return problems


def add_row(
    data: Dataset, kind: TableKind, raw: dict[str, Any], origin: Origin, problems: list[Problem]
) -> None:
    """Validate one row with its kind's model: add the record, or its problems (and its id to
    ``data.failed_ids``, so references to it are not reported again)."""
    try:
        record = _MODELS[kind].model_validate(raw)
    except ValidationError as exc:
        problems += _problems_from(exc, origin.file, origin.row)
        if raw.get("id"):
            data.failed_ids.add(str(raw["id"]).strip())
        return
    getattr(data, kind).append((record, origin))


def max_file_bytes() -> int:
    """The size limit of one input file (``AIECO_MAX_FILE_BYTES``, default 4 GiB)."""
    raw = setting("AIECO_MAX_FILE_BYTES") or ""
    return int(raw) if raw.isdigit() else DEFAULT_MAX_FILE_BYTES


def check_readable(path: Path) -> Problem | None:
    """Refuse anything but a regular file of bounded size (a FIFO would block, a device never end)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Problem(str(path), 0, "", "no such file")
    except OSError as exc:
        return Problem(str(path), 0, "", f"cannot read file: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Problem(
            str(path), 0, "", "not a regular file (a FIFO, device or socket); aieco reads files only"
        )
    if info.st_size > max_file_bytes():
        return Problem(
            str(path),
            0,
            "",
            f"{info.st_size:,} bytes is over the limit of {max_file_bytes():,} (AIECO_MAX_FILE_BYTES)",
        )
    return None


def checked_rows(
    reader: Any, header: Sequence[str], name: str, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a ``csv.reader`` past its header: blank and ``#`` rows skipped,
    a row with more or fewer cells than the header reported in ``problems`` (never shifted)."""
    start = 2
    for cells in reader:
        row, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells) or (cells and cells[0].startswith("#")):
            continue
        if len(cells) > len(header):
            problems.append(
                Problem(name, row, "", f"{len(cells)} cells, more than the {len(header)} columns")
            )
            continue
        if len(cells) < len(header):
            missing = header[len(cells)]
            problems.append(
                Problem(name, row, missing, f"{len(cells)} cells, fewer than the {len(header)} columns")
            )
            continue
        yield row, cells


def read_toml_model(path: str | Path, model: type[ModelT]) -> ModelT:
    """A TOML file (a mapping, a recipe) read into ``model``: a regular file of bounded size,
    UTF-8, valid TOML, every key known; else one :class:`DataValidationError` naming the file
    and each key at fault."""
    import tomllib

    path = Path(path)
    refused = check_readable(path)
    if refused is not None:
        raise DataValidationError([refused])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataValidationError([Problem(str(path), 0, "", f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [Problem(str(path), 0, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError([Problem(str(path), 0, "", f"not valid TOML: {exc}")]) from exc
    except RecursionError as exc:
        raise DataValidationError([Problem(str(path), 0, "", "not valid TOML: nested too deeply")]) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(
                str(path), 0, ".".join(str(p) for p in err["loc"]), err["msg"].removeprefix("Value error, ")
            )
            for err in exc.errors()
        ]
        raise DataValidationError(problems) from exc


def read_csv(path: str | Path) -> tuple[Dataset, list[Problem]]:
    """Read one CSV table; return the records that passed and every problem found.

    Parameters
    ----------
    path
        A CSV file whose header row names its columns.
    """
    path = Path(path)
    name = str(path)
    data = Dataset(files=[name])
    problems: list[Problem] = []
    reader: Any = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = [h.strip() for h in next(reader, [])]
            kind = table_kind(header)
            if kind is None and tuple(header) == LEDGER_HEADER:
                logger.info("%s: a claims ledger, not a data table; skipped", name)
                return data, []
            if kind is None:
                return data, [
                    Problem(
                        name,
                        1,
                        "",
                        "header matches no aieco table (sources, entities, relations, observations)",
                    )
                ]
            twice = sorted({h for h in header if header.count(h) > 1})
            if twice:
                return data, [Problem(name, 1, col, "this column appears more than once") for col in twice]
            unknown = [h for h in header if h not in _COLUMNS[kind]]
            if unknown:
                return data, [Problem(name, 1, col, f"unknown column for a {kind} table") for col in unknown]
            if kind in ("entities", "relations") and path.stat().st_size >= COLUMN_WISE_FROM_BYTES:
                from aieco.loaders.columns import read_table

                fast = read_table(path, header, name, kind)
                if fast is not None:
                    table, flagged, found = fast
                    if isinstance(table, EntityColumns):
                        data.entity_columns.append(table)
                    elif isinstance(table, RelationColumns):
                        data.relation_columns.append(table)
                    data.extend(flagged)
                    return data, found
            for row, cells in checked_rows(reader, header, name, problems):
                raw = {
                    h: from_spreadsheet(c) if c[:1] == "'" else c for h, c in zip(header, cells, strict=True)
                }
                add_row(data, kind, raw, Origin(name, row), problems)
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        problems.append(Problem(name, line, "", f"malformed CSV: {exc} (an unbalanced quote?)"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 0, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}"))
    except OSError as exc:
        problems.append(Problem(name, 0, "", f"cannot read file: {exc.strerror or exc}"))
    return data, problems


def dataset_from_graph(G: nx.MultiDiGraph, *, file: str = "<graph>") -> tuple[Dataset, list[Problem]]:
    """Turn a graph (e.g. read back from node-link JSON) into records, validating each.

    Rows in problems are 1-based positions among the nodes, then among the edges.
    """
    data = Dataset(files=[file])
    problems: list[Problem] = []
    for row, (node_id, attrs) in enumerate(G.nodes(data=True), start=1):
        raw = {k: v for k, v in attrs.items() if k != "type" and k not in DERIVED_FIELDS}
        raw["id"] = node_id
        kind_name = attrs.get("type")
        origin = Origin(f"{file} (nodes)", row)
        if kind_name == NodeType.SOURCE.value:
            add_row(data, "sources", raw, origin, problems)
        elif kind_name == NodeType.OBSERVATION.value:
            add_row(data, "observations", raw, origin, problems)
        else:
            add_row(data, "entities", {**raw, "type": kind_name}, origin, problems)
    derived = {r.value for r in DERIVED_RELS}
    for row, (u, v, key, attrs) in enumerate(G.edges(keys=True, data=True), start=1):
        if attrs.get("type") in derived:
            continue
        raw = {k: v for k, v in attrs.items() if k not in DERIVED_FIELDS} | {"id": key, "from": u, "to": v}
        add_row(data, "relations", raw, Origin(f"{file} (edges)", row), problems)
    return data, problems


def _node_link_problems(payload: Any, name: str) -> list[Problem]:
    """Check the shape of node-link data before NetworkX reads it."""
    if not isinstance(payload, dict):
        return [Problem(name, 0, "", f"node-link JSON must be an object, not {type(payload).__name__}")]
    problems: list[Problem] = []
    nodes, edges = payload.get("nodes"), payload.get("edges", [])
    for key, value in (("nodes", nodes), ("edges", edges)):
        if not isinstance(value, list):
            problems.append(
                Problem(f"{name} ({key})", 0, "", f"{key!r} must be a list, not {type(value).__name__}")
            )
    if problems or not isinstance(nodes, list) or not isinstance(edges, list):
        return problems
    ids: set[str] = set()
    for row, node in enumerate(nodes, start=1):
        where = f"{name} (nodes)"
        if not isinstance(node, dict):
            problems.append(Problem(where, row, "", f"a node must be an object, not {type(node).__name__}"))
        elif not isinstance(node.get("id"), str) or not node["id"]:
            problems.append(Problem(where, row, "id", f"a node needs a text id, got {node.get('id')!r}"))
        else:
            ids.add(node["id"])
    for row, edge in enumerate(edges, start=1):
        where = f"{name} (edges)"
        if not isinstance(edge, dict):
            problems.append(Problem(where, row, "", f"an edge must be an object, not {type(edge).__name__}"))
            continue
        for end in ("from", "to"):
            if edge.get(end) not in ids:
                problems.append(
                    Problem(where, row, end, f"names {edge.get(end)!r}, which is no node of this file")
                )
    return problems


def read_node_link(path: str | Path) -> tuple[Dataset, list[Problem]]:
    """Read node-link JSON written by ``aieco export --format json``."""
    name = str(path)
    empty = Dataset(files=[name])
    try:
        with Path(path).open(encoding="utf-8") as fh:
            payload = json.load(fh)
    except json.JSONDecodeError as exc:
        return empty, [Problem(name, exc.lineno, "", f"not JSON: {exc.msg} (column {exc.colno})")]
    except RecursionError:
        return empty, [Problem(name, 0, "", "JSON nested too deeply to be node-link data")]
    except UnicodeDecodeError as exc:
        return empty, [Problem(name, 0, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]
    except OSError as exc:
        return empty, [Problem(name, 0, "", f"cannot read file: {exc.strerror or exc}")]
    shape = _node_link_problems(payload, name)
    if shape:
        return empty, shape
    try:
        G = nx.node_link_graph(payload, directed=True, multigraph=True, **NODE_LINK_KEYS)
    except (KeyError, TypeError, ValueError, nx.NetworkXError) as exc:
        return empty, [Problem(name, 0, "", f"cannot read node-link JSON: {exc}")]
    return dataset_from_graph(G, file=name)


def read_graphml(path: str | Path) -> tuple[Dataset, list[Problem]]:
    """Read GraphML written by ``aieco export --format graphml`` (lists joined with ``|``, as in
    the CSV tables; the record models split them again). A file declaring a DTD is refused
    unparsed, so no entity is ever expanded."""
    name = str(path)

    def refused(message: str) -> tuple[Dataset, list[Problem]]:
        return Dataset(files=[name]), [Problem(name, 0, "", message)]

    if declares_dtd(path):
        return refused("GraphML with a DTD is refused (entities)")
    try:
        G = nx.read_graphml(path, force_multigraph=True)
    except (ElementTree.ParseError, nx.NetworkXError, KeyError, ValueError) as exc:
        return refused(f"cannot read GraphML: {exc}")
    if not G.is_directed():
        return refused("GraphML graph is undirected; aieco's is directed")
    return dataset_from_graph(G, file=name)


#: The reader of each file type a dataset may hold (a folder's CSV and JSON files are read).
READERS: dict[str, Callable[[Path], tuple[Dataset, list[Problem]]]] = {
    ".csv": read_csv,
    ".json": read_node_link,
    ".graphml": read_graphml,
}


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            # hidden files (such as aieco's own .aieco-written.json manifest) are not data
            tables = (p for p in path.iterdir() if p.suffix.lower() in {".csv", ".json"})
            out += sorted(p for p in tables if not p.name.startswith("."))
        else:
            out.append(path)
    return out


def read_dataset(paths: Iterable[str | Path]) -> tuple[Dataset, list[Problem]]:
    """Read every file and validate each row on its own.

    Parameters
    ----------
    paths
        CSV, node-link JSON or GraphML files, or folders holding CSV and JSON files.

    Returns
    -------
    The rows that passed, and every problem found (missing files, unreadable files, bad
    rows). Cross-record rules are checked when the dataset becomes a graph.
    """
    data = Dataset()
    problems: list[Problem] = []
    paths = list(paths)
    for item in paths:  # tables of two different writes are never read as one dataset
        mixed = interrupted_write(item)
        if mixed is not None:
            problems.append(Problem(str(item), 0, "", mixed))
    if problems:
        return data, problems
    files = _expand(paths)
    if not files:
        problems.append(Problem("<arguments>", 0, "", "no files to load"))
    for path in files:
        refused = check_readable(path)
        if refused is not None:
            problems.append(refused)
            continue
        part, found = READERS.get(path.suffix.lower(), READERS[".csv"])(path)
        data.extend(part)
        problems += found
    return data, problems


def load_dataset(paths: Iterable[str | Path]) -> Dataset:
    """Read and fully validate a dataset; raise one error listing every problem.

    Raises
    ------
    DataValidationError
        If any file is missing or unreadable, any row is invalid, or any cross-record
        rule (ids, references, endpoint types, quotes) fails.
    """
    data, problems = read_dataset(paths)
    problems += check_dataset(data)
    if problems:
        raise DataValidationError(problems)
    return data


def graph_from_files(paths: Iterable[str | Path], *, name: str = "aieco") -> EcosystemGraph:
    """Load users' own files (same format as the bundled data) into an ecosystem graph.

    Parameters
    ----------
    paths
        CSV tables and/or node-link JSON files, or folders holding them. Tables of every
        kind may be split over several files.
    name
        A name for the graph (``G.graph["name"]``).

    Returns
    -------
    The graph; nothing is returned, and nothing half-built remains, if any record fails.

    Raises
    ------
    DataValidationError
        Listing every problem, each with its file, row and field.
    """
    with paused_gc():  # millions of new objects and no cycles among them (see aieco.graph.gcpause)
        data, problems = read_dataset(paths)
        return build_graph(data, name=name, problems=problems, consume=True)
