"""One OpenAlex pull: what it built (:class:`OpenAlexPull`), and the steps every input shares —
the accumulator set up for it, and the rows it turns into a validated graph."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aieco.atomic import check_writable_folder, write_text
from aieco.errors import DataValidationError, Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import CSV_TABLES, write_csv_tables
from aieco.graph.records import Dataset, Origin
from aieco.graph.text import tsv_line
from aieco.loaders.files import add_row
from aieco.loaders.openalex_model import FlowLevel, NoiseRule
from aieco.loaders.openalex_rows import Rows, build_rows
from aieco.loaders.openalex_tables import DROP_UNITS, Accumulator, Merge, OpenAlexFilters, Resolver

logger = logging.getLogger(__name__)

#: The files a pull writes beside the four tables.
PULL_FILES = ("merges.tsv", "dropped.tsv")
#: Called as records are read: (what, records read so far, total or 0 when unknown).
Progress = Callable[[str, int, int], None]


@dataclass
class OpenAlexPull:
    """What one pull built: the graph, the bundled entities it merged into, and what it read."""

    graph: EcosystemGraph
    merges: list[Merge] = field(default_factory=list)
    read: Mapping[str, int] = field(default_factory=dict)
    #: What was left out, by reason (see :data:`~aieco.loaders.openalex_tables.DROP_UNITS`).
    dropped: Mapping[str, int] = field(default_factory=dict)
    #: Up to five ids (authors, institutions, moves) per reason, for a look at the records.
    examples: Mapping[str, list[str]] = field(default_factory=dict)

    def dropped_tsv(self) -> str:
        """``dropped.tsv``: what, reason, count and examples, one reason a line."""
        rows = sorted(self.dropped.items(), key=lambda kv: (DROP_UNITS.get(kv[0], ""), kv[0]))
        lines = [tsv_line(("what", "reason", "count", "examples"))] + [
            tsv_line((DROP_UNITS.get(reason, ""), reason, n, " ".join(self.examples.get(reason, []))))
            for reason, n in rows
        ]
        return "\n".join(lines) + "\n"

    def describe_dropped(self) -> str:
        """One line: how many were left out, per reason."""
        return (
            "; ".join(
                f"{n:,} {DROP_UNITS.get(reason, '')}: {reason}" for reason, n in sorted(self.dropped.items())
            )
            or "nothing"
        )

    def write(self, out_dir: str | Path, *, force: bool = False) -> list[Path]:
        """Write the four CSV tables, ``merges.tsv`` (the merges, for review) and ``dropped.tsv``
        (what was left out, and why) into ``out_dir``."""
        check_writable_folder(out_dir, [*CSV_TABLES, *PULL_FILES], force=force)
        written = write_csv_tables(self.graph, Path(out_dir), force=force)
        lines = [tsv_line(("openalex_id", "name", "bundled_id", "matched_by"))] + [
            tsv_line((m.openalex, m.name, m.bundled, m.by)) for m in self.merges
        ]
        written.append(write_text(Path(out_dir) / "merges.tsv", "\n".join(lines) + "\n", force=force))
        written.append(write_text(Path(out_dir) / "dropped.tsv", self.dropped_tsv(), force=force))
        return written


def _graph(rows: Rows, origin: str, name: str) -> EcosystemGraph:
    """The rows through the one validation every loader uses (:func:`aieco.loaders.files.add_row`:
    the record models, problems naming their field) and the one builder."""
    data = Dataset(files=[origin])
    problems: list[Problem] = []
    for kind in ("sources", "entities", "relations", "observations"):
        for i, raw in enumerate(rows[kind], start=1):
            clean = {k: v for k, v in raw.items() if v not in (None, "")}
            add_row(data, kind, clean, Origin(f"{origin} ({kind})", i), problems)
    return build_graph(data, name=name, problems=problems)


def new_accumulator(
    filters: OpenAlexFilters,
    level: FlowLevel,
    with_people: bool,
    noise: NoiseRule | None,
    bundled: bool,
    source: Mapping[str, Any],
) -> Accumulator:
    from aieco.loaders.bundled import graph_from_bundled

    return Accumulator(
        filters=filters,
        level=level,
        with_people=with_people,
        noise=noise or NoiseRule(),
        salt=str(source["id"]),
        resolver=Resolver(graph_from_bundled()) if bundled else None,
    )


def finish(acc: Accumulator, source: dict[str, Any]) -> OpenAlexPull:
    kept, old = acc.read["authors kept"], acc.dropped["pre-2024 record without an affiliation history"]
    if old and not kept:
        raise DataValidationError(
            [
                Problem(
                    str(source["url"]),
                    0,
                    "affiliations",
                    f"{old:,} author records are in OpenAlex's pre-2024 schema (last_known_institution, "
                    "no affiliations): they hold no affiliation history, so no move can be read from them; "
                    "use a snapshot from 2024 on, or `aieco openalex pull`",
                )
            ]
        )
    resolver = acc.resolver or Resolver(None)
    source["note"] = (
        f"{source['note']}; "
        + ", ".join(f"{v:,} {k}" for k, v in acc.read.items())
        + f"; move rule: {acc.noise.describe()}"
    )
    rows, merges = build_rows(acc, source, resolver)
    graph = _graph(rows, str(source["url"]), name=f"openalex {acc.filters.describe()}")
    graph.G.graph["openalex"] = {
        "read": dict(acc.read),
        "dropped": dict(acc.dropped),
        "merges": len(merges),
        "level": acc.level,
        "noise": acc.noise.describe(),
    }
    for m in merges:
        logger.info("OpenAlex %s (%s) merged into bundled %r by %s", m.openalex, m.name, m.bundled, m.by)
    return OpenAlexPull(graph, merges, dict(acc.read), dict(acc.dropped), dict(acc.examples))


# ---- the snapshot --------------------------------------------------------------------
