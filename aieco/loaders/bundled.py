"""The bundled dataset: the AI ecosystem described by aieco's source articles."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from aieco.errors import Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.records import Dataset, EntityRecord
from aieco.loaders.files import read_dataset
from aieco.loaders.ledger import apply_ledger

logger = logging.getLogger(__name__)

#: The bundled tables, in load order.
BUNDLED_TABLES: tuple[str, ...] = (
    "sources.csv",
    "entities.csv",
    "relations.csv",
    "observations.csv",
)
#: The claims ledger of the bundled sources: every sentence and the rows that capture it.
LEDGER_FILE = "ledger.csv"


def bundled_paths() -> list[Path]:
    """Paths of the bundled CSV tables (inside the installed package)."""
    root = resources.files("aieco") / "data"
    return [Path(str(root / name)) for name in BUNDLED_TABLES]


def ledger_path() -> Path:
    """Path of the bundled claims ledger (see :mod:`aieco.loaders.ledger`)."""
    return Path(str(resources.files("aieco") / "data" / LEDGER_FILE))


def graph_from_bundled(
    *, extra: Iterable[str | Path] = (), rows: tuple[Dataset, list[Problem]] | None = None
) -> EcosystemGraph:
    """Load the bundled, source-cited dataset, optionally with users' files on top.

    Parameters
    ----------
    extra
        More CSV/JSON files (or folders) in aieco's format, loaded with the bundled tables
        as one dataset: they may refer to bundled ids; an entity row that reuses a bundled id
        with the same type is merged into the bundled entity (see ``merge_known``).
    rows
        Rows already validated (:func:`aieco.loaders.pull.dataset_from_rows`: a dataset and
        its problems), loaded on top as ``extra`` is.

    Returns
    -------
    The ecosystem graph; provenance is on ``G.graph``.

    Examples
    --------
    >>> eg = graph_from_bundled()
    >>> eg.node("hefei")["name_zh_hans"]
    '合肥'
    """
    data, problems = read_dataset(bundled_paths())
    extra = list(extra)
    merged: list[str] = []
    found_sets = [read_dataset(extra)] if extra else []
    found_sets += [rows] if rows is not None else []
    for more, found in found_sets:
        problems += found
        merged += merge_known(data, more)
        data.extend(more)
    eg = build_graph(data, name="aieco-bundled", problems=problems)
    apply_ledger(eg, ledger_path())
    if merged:  # said, never silent: the CLI prints it, a notebook finds it here
        eg.G.graph["merged_into_bundled"] = merged
        logger.info(
            "%d of your rows reuse a bundled id and were merged into the bundled entity: %s",
            len(merged),
            "; ".join(merged[:5]) + (" …" if len(merged) > 5 else ""),
        )
    return eg


def missing_fields(old: EntityRecord, rec: EntityRecord) -> dict[str, Any]:
    """The fields ``rec`` gives that ``old`` leaves empty (what merging ``rec`` into ``old`` adds)."""
    return {
        k: v
        for k, v in rec.model_dump().items()
        if k != "id" and getattr(old, k) in (None, [], "") and v not in (None, [])
    }


def merge_known(base: Dataset, more: Dataset) -> list[str]:
    """Rows of ``more`` that describe an entity or source ``base`` already has become one row.

    An entity row whose id is a bundled id *of the same type* is the same entity (e.g. an
    OpenAlex institution resolved to a bundled university): the bundled fields win, and fields
    the bundled row leaves empty (``ror``, ``openalex_id``, aliases …) are taken from the new row.
    A source row identical to a bundled one is dropped. Anything else with a bundled id stays,
    and is reported as a duplicate id. Returns one line per merged row (``file:row id (filled)``).
    """
    entities = {rec.id: i for i, (rec, _) in enumerate(base.entities)}
    kept, merged = [], []
    for rec, origin in more.entities:
        at = entities.get(rec.id)
        if at is None or base.entities[at][0].type != rec.type:
            kept.append((rec, origin))
            continue
        old, old_origin = base.entities[at]
        fill = missing_fields(old, rec)
        if fill:
            base.entities[at] = (old.model_copy(update=fill), old_origin)
        merged.append(
            f"{origin.file}:{origin.row} {rec.id} (bundled fields kept; "
            f"{'filled ' + ', '.join(fill) if fill else 'nothing new'})"
        )
    more.entities = kept
    sources = {rec.id: rec for rec, _ in base.sources}
    more.sources = [(rec, o) for rec, o in more.sources if sources.get(rec.id) != rec]
    return merged
