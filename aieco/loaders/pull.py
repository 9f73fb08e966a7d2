"""What an open-data pull builds (:class:`Pull`) and how its rows become a graph: through the
loaders' one row validation (the record models) and the one graph builder."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec

from aieco.atomic import check_writable_folder, file_set, write_text
from aieco.errors import Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import CSV_TABLES, write_csv_tables
from aieco.graph.records import Dataset, Origin
from aieco.graph.text import tsv_line
from aieco.loaders.columns import COLUMN_WISE_FROM_ROWS, check_frame
from aieco.loaders.files import add_row

#: Rows of the four tables, by kind.
Rows = dict[str, list[dict[str, Any]]]
#: The files a pull writes beside the four tables.
PULL_FILES = ("merges.tsv", "dropped.tsv")

_P = ParamSpec("_P")


@dataclass
class Merge:
    """One record resolved to a bundled entity."""

    openalex: str
    name: str
    bundled: str
    by: str


@dataclass
class Pull:
    """What one pull of an open-data source built: the graph, the bundled entities it merged
    into, what it read and what it left out (by reason)."""

    graph: EcosystemGraph
    merges: list[Merge] = field(default_factory=list)
    read: Mapping[str, int] = field(default_factory=dict)
    #: What was left out, by reason.
    dropped: Mapping[str, int] = field(default_factory=dict)
    #: Up to five ids per reason, for a look at the records.
    examples: Mapping[str, list[str]] = field(default_factory=dict)
    #: What each reason counts (authors, affiliations, records …), for ``dropped.tsv``.
    units: Mapping[str, str] = field(default_factory=dict)
    #: The first column of ``merges.tsv``: the source's id of a merged record.
    id_column: str = "openalex_id"
    #: Records a name nearly merged (ambiguous, or in another country), listed in ``merges.tsv``
    #: after the merges for a person to settle: (name, candidates, why).
    unsettled: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls,
        rows: Rows,
        source: Mapping[str, Any],
        *,
        name: str,
        about: str,
        merges: list[Merge],
        read: Mapping[str, int],
        dropped: Mapping[str, int],
        examples: Mapping[str, list[str]],
        units: Mapping[str, str],
        resolver: Any,
        id_column: str = "openalex_id",
        **report: Any,
    ) -> Pull:
        """The pull of these rows: the graph they validate into (its ``G.graph[about]`` holding
        what was read, dropped and merged, and ``report``), and the resolver's near-merges."""
        graph = rows_to_graph(rows, str(source["url"]), name=name)
        graph.G.graph[about] = {
            "read": dict(read),
            "dropped": dict(dropped),
            "examples": {k: list(v) for k, v in examples.items()},
            "merges": len(merges),
            **report,
        }
        return cls(
            graph,
            merges,
            dict(read),
            dict(dropped),
            dict(examples),
            units=units,
            id_column=id_column,
            unsettled=unsettled(resolver),
        )

    def dropped_tsv(self) -> str:
        """``dropped.tsv``: what, reason, count and examples, one reason a line."""
        rows = sorted(self.dropped.items(), key=lambda kv: (self.units.get(kv[0], ""), kv[0]))
        lines = [tsv_line(("what", "reason", "count", "examples"))] + [
            tsv_line((self.units.get(reason, ""), reason, n, " ".join(self.examples.get(reason, []))))
            for reason, n in rows
        ]
        return "\n".join(lines) + "\n"

    def describe_dropped(self) -> str:
        """One line: how many were left out, per reason."""
        return (
            "; ".join(
                f"{n:,} {self.units.get(reason, '')}: {reason}" for reason, n in sorted(self.dropped.items())
            )
            or "nothing"
        )

    def write(self, out_dir: str | Path, *, force: bool = False) -> list[Path]:
        """Write the four CSV tables, ``merges.tsv`` (the merges, for review) and ``dropped.tsv``
        (what was left out, and why) into ``out_dir``."""
        check_writable_folder(out_dir, [*CSV_TABLES, *PULL_FILES], force=force)
        lines = (
            [tsv_line((self.id_column, "name", "bundled_id", "matched_by"))]
            + [tsv_line((m.openalex, m.name, m.bundled, m.by)) for m in self.merges]
            + [tsv_line(("", name, candidates, why)) for name, candidates, why in self.unsettled]
        )
        with file_set(out_dir):  # the pull's six files appear together, or none changes
            written = write_csv_tables(self.graph, Path(out_dir), force=force)
            written.append(write_text(Path(out_dir) / "merges.tsv", "\n".join(lines) + "\n", force=force))
            written.append(write_text(Path(out_dir) / "dropped.tsv", self.dropped_tsv(), force=force))
        return written


def graph_of(pull: Callable[_P, Pull]) -> Callable[_P, EcosystemGraph]:
    """The ``graph_from_<source>`` of a ``pull_<source>``: the same arguments, the graph returned.

    The pull's report — what was read, what was left out by reason (with examples), how many
    records merged into bundled entities — is on the graph, under ``G.graph[<source>]``, as OSMnx
    keeps a query's provenance on its graph. ``pull_<source>`` returns the whole
    :class:`Pull` (the merges themselves, and :meth:`Pull.write` for the six files).
    """
    name = pull.__name__.replace("pull_", "graph_from_", 1)

    @functools.wraps(pull)
    def graph_from(*args: _P.args, **kwargs: _P.kwargs) -> EcosystemGraph:
        return pull(*args, **kwargs).graph

    graph_from.__name__ = graph_from.__qualname__ = name
    graph_from.__doc__ = (
        f"The graph of :func:`{pull.__module__}.{pull.__name__}` (same arguments), its pull "
        "report under ``G.graph``; see :func:`aieco.loaders.pull.graph_of`."
    )
    return graph_from


def unsettled(resolver: Any) -> list[tuple[str, str, str]]:
    """The resolver's near-merges, sorted by name, for ``merges.tsv``."""
    return sorted((name, cands, why) for name, (cands, why) in getattr(resolver, "unsettled", {}).items())


def dataset_from_rows(rows: Rows, origin: str) -> tuple[Dataset, list[Problem]]:
    """The rows (by table: ``sources``, ``entities``, ``relations``, ``observations``) through
    the one validation every loader uses (:func:`aieco.loaders.files.add_row`: the record
    models, problems naming their table, row and field)."""
    data = Dataset(files=[origin])
    problems: list[Problem] = []
    for kind in ("sources", "entities", "relations", "observations"):
        table = rows.get(kind, ())
        frame = _frame(table) if kind in ("entities", "relations") else None
        if frame is not None:  # a big table: checked column-wise, the models seeing flagged rows only
            columns, flagged, found = check_frame(
                frame, f"{origin} ({kind})", "entities" if kind == "entities" else "relations"
            )
            (data.entity_columns if kind == "entities" else data.relation_columns).append(columns)  # type: ignore[arg-type]
            data.extend(flagged)
            problems += found
            continue
        for i, raw in enumerate(table, start=1):
            clean = {k: v for k, v in raw.items() if v not in (None, "")}
            add_row(data, kind, clean, Origin(f"{origin} ({kind})", i), problems)
    return data, problems


class _NotACellError(Exception):
    """A value a CSV cell cannot hold as the model would read it (a list, a bool …)."""


def _cell(value: Any) -> str:
    """A value as the cell of a table: blank, text, or a number written so it reads back exactly."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is float:
        return repr(value)
    raise _NotACellError


def _frame(table: Any) -> Any:
    """A big table of rows as a frame of cells, or ``None`` (small, or a value no cell holds):
    then its rows go through the models one by one."""
    if len(table) < COLUMN_WISE_FROM_ROWS:
        return None
    import numpy as np
    import pandas as pd

    names = list(dict.fromkeys(k for row in table for k in row))
    try:
        cells = {c: np.array([_cell(row.get(c)) for row in table], dtype=object) for c in names}
    except _NotACellError:
        return None
    return pd.DataFrame(cells, copy=False)


def rows_to_graph(rows: Rows, origin: str, name: str) -> EcosystemGraph:
    """The rows through the one validation (:func:`dataset_from_rows`) and the one builder."""
    data, problems = dataset_from_rows(rows, origin)
    return build_graph(data, name=name, problems=problems)
