"""One OpenAlex pull: what it built (:class:`OpenAlexPull`), and the steps every input shares —
the accumulator set up for it, and the rows it turns into a validated graph."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from aieco.errors import DataValidationError, Problem
from aieco.loaders.openalex_model import FlowLevel, NoiseRule
from aieco.loaders.openalex_rows import build_rows
from aieco.loaders.openalex_tables import DROP_UNITS, Accumulator, OpenAlexFilters
from aieco.loaders.pull import Pull
from aieco.loaders.resolve import Resolver

logger = logging.getLogger(__name__)

__all__ = ["OpenAlexPull", "Progress", "finish", "new_accumulator"]

#: The pull of OpenAlex records (a :class:`~aieco.loaders.pull.Pull`).
OpenAlexPull = Pull

#: Called as records are read: (what, records read so far, total or 0 when unknown).
Progress = Callable[[str, int, int], None]


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
    for m in merges:
        logger.info("OpenAlex %s (%s) merged into bundled %r by %s", m.openalex, m.name, m.bundled, m.by)
    return Pull.from_rows(
        rows,
        source,
        name=f"openalex {acc.filters.describe()}",
        about="openalex",
        merges=merges,
        read=acc.read,
        dropped=acc.dropped,
        examples=acc.examples,
        units=DROP_UNITS,
        resolver=resolver,
        level=acc.level,
        noise=acc.noise.describe(),
    )
