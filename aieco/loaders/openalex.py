"""AI ecosystems from OpenAlex (CC0): institutions, collaborations and researcher mobility.

Two inputs give the same tables for the same records:

* :func:`pull_openalex_snapshot` (its graph: :func:`graph_from_openalex_snapshot`) streams the
  free bulk snapshot (``data/<entity>/updated_date=…/part_*.gz``, gzip JSON Lines) in bounded
  memory;
* :func:`pull_openalex_api` (:func:`graph_from_openalex_api`) asks the REST API through
  :mod:`aieco.loaders.http` (cursor paging with guards, retries on 429/5xx, timeouts, an
  on-disk cache so a re-run sends no request; ``OPENALEX_API_KEY``, ``OPENALEX_MAILTO`` and a mirror's
  base URL ``AIECO_OPENALEX_URL`` from the environment).

Both apply the same :class:`~aieco.loaders.openalex_tables.OpenAlexFilters` to every record.
The flow rule is in :mod:`aieco.loaders.openalex_model`. Nothing is returned unless every
row validates against the schema.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from aieco.errors import DataValidationError, InvalidArgumentError, Problem
from aieco.loaders.openalex_api import (
    OpenAlexClient,
    check_filter,
    graph_from_openalex_api,
    pull_openalex_api,
)
from aieco.loaders.openalex_model import FlowLevel, NoiseRule
from aieco.loaders.openalex_pull import OpenAlexPull, Progress, finish, new_accumulator
from aieco.loaders.openalex_shapes import RecordError
from aieco.loaders.openalex_tables import OpenAlexFilters, pull_source
from aieco.loaders.pull import PULL_FILES, graph_of

logger = logging.getLogger(__name__)

__all__ = [
    "PULL_FILES",
    "NoiseRule",
    "OpenAlexClient",
    "OpenAlexFilters",
    "OpenAlexPull",
    "check_filter",
    "graph_from_openalex_api",
    "graph_from_openalex_snapshot",
    "pull_openalex_api",
    "pull_openalex_snapshot",
]

#: How a snapshot's authors and works are read (see :func:`pull_openalex_snapshot`).
SnapshotEngine = Literal["auto", "duckdb", "python"]


def _has_duckdb() -> bool:
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


#: The longest record line read (characters); OpenAlex's largest records are a few MB.
MAX_LINE = 64 * 1024 * 1024


def snapshot_files(root: str | Path, entity: str) -> list[Path]:
    """``part_*.gz`` files of one entity type, under ``root/data/<entity>`` or ``root/<entity>``;
    anything there that is not a regular file (a FIFO, a device) is refused."""
    base = Path(root)
    for folder in (base / "data" / entity, base / entity):
        if folder.is_dir():
            found = sorted(folder.glob("updated_date=*/*.gz"))
            for path in found:
                if not path.is_file():
                    raise DataValidationError([Problem(str(path), 0, "", "not a regular file (refused)")])
            return found
    return []


def iter_snapshot(root: str | Path, entity: str) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """(file, line number, record) for every record of one entity type, streamed; a line longer
    than :data:`MAX_LINE` is an error (a gzip bomb inflates to one endless line)."""
    for path in snapshot_files(root, entity):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                line_no = 0
                while line := fh.readline(MAX_LINE + 1):
                    line_no += 1
                    if len(line) > MAX_LINE:
                        raise DataValidationError(
                            [Problem(str(path), line_no, "", f"a line longer than {MAX_LINE:,} characters")]
                        )
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
                        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:80]
                        raise DataValidationError(
                            [Problem(str(path), line_no, "", f"not a JSON line: {reason}")]
                        ) from exc
                    if not isinstance(record, dict):
                        raise DataValidationError(
                            [Problem(str(path), line_no, "", "a record must be a JSON object")]
                        )
                    yield path, line_no, record
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise DataValidationError(
                [Problem(str(path), 0, "", f"cannot read gzip JSON Lines: {exc}")]
            ) from exc


def pull_openalex_snapshot(
    root: str | Path,
    *,
    filters: OpenAlexFilters | None = None,
    level: FlowLevel = "institution",
    with_bundled: bool = True,
    with_people: bool = False,
    noise: NoiseRule | None = None,
    engine: SnapshotEngine = "auto",
    memory_limit: str | None = None,
    progress: Progress | None = None,
) -> OpenAlexPull:
    """Build the talent and collaboration graph from an OpenAlex snapshot folder.

    Parameters
    ----------
    root
        The snapshot folder (holding ``data/institutions``, ``data/authors``, ``data/works``).
    filters
        Which records count; by default (``None``) every record under ``root``.
    level
        Where talent flows are counted: between institutions, cities, regions or countries.
    with_bundled
        Resolve institutions and places to bundled entities (ROR, GeoNames id, any name).
    with_people
        Also write each researcher as a Person with WORKS_AT per institution (off by default:
        privacy, and memory then grows with the number of authors).
    noise
        Which affiliations count and which profiles are set aside (:class:`NoiseRule`;
        default: every affiliation, profiles that look merged excluded).
    engine
        ``"duckdb"`` reads authors and works with DuckDB (parallel, only the fields used) and
        runs the move rule in SQL; ``"python"`` streams them record by record; ``"auto"``
        (default) takes DuckDB when it is installed. Both give the same tables.
    memory_limit
        DuckDB's memory limit (default ``"4GB"``); beyond it DuckDB spills to a temporary folder.
    progress
        Called as records are read.
    """
    if not snapshot_files(root, "institutions") and not snapshot_files(root, "authors"):
        raise InvalidArgumentError(
            f"{root} holds no OpenAlex snapshot (no data/institutions or data/authors)"
        )
    filters = filters or OpenAlexFilters()
    source = pull_source(
        f"snapshot {Path(root).name}; {filters.describe()}", url=Path(root).resolve().as_uri()
    )
    acc = new_accumulator(filters, level, with_people, noise, with_bundled, source)
    use_duckdb = engine == "duckdb" or (engine == "auto" and not with_people and _has_duckdb())
    if use_duckdb and with_people:
        raise InvalidArgumentError("researchers as people (with_people) need the python engine")
    for n, (path, line, record) in enumerate(iter_snapshot(root, "institutions"), start=1):
        try:
            acc.add_institution(record)
        except RecordError as exc:
            raise DataValidationError([Problem(str(path), line, exc.field, str(exc))]) from exc
        if progress and n % 1000 == 0:
            progress("institutions", n, 0)
    if use_duckdb:
        import duckdb

        from aieco.loaders.openalex_duckdb import read_snapshot
        from aieco.loaders.openalex_sql import ShapeError

        try:
            read_snapshot(
                acc,
                snapshot_files(root, "authors"),
                snapshot_files(root, "works"),
                memory_limit=memory_limit,
                progress=progress,
            )
        except (
            duckdb.ConversionException,
            duckdb.InvalidInputException,
            duckdb.IOException,
            ShapeError,
        ) as exc:
            # a record of the wrong shape: the strict reader names its file, line and field
            logger.info("DuckDB could not read %s (%s); reading it again record by record", root, exc)
            return pull_openalex_snapshot(
                root,
                filters=filters,
                level=level,
                with_bundled=with_bundled,
                noise=noise,
                engine="python",
                progress=progress,
            )
        return finish(acc, source)
    for entity, add in (("authors", acc.add_author), ("works", acc.add_work)):
        for n, (path, line, record) in enumerate(iter_snapshot(root, entity), start=1):
            try:
                add(record)
            except RecordError as exc:
                raise DataValidationError([Problem(str(path), line, exc.field, str(exc))]) from exc
            if progress and n % 1000 == 0:
                progress(entity, n, 0)
    return finish(acc, source)


#: The graph of :func:`pull_openalex_snapshot` (its report under ``G.graph``).
graph_from_openalex_snapshot = graph_of(pull_openalex_snapshot)
