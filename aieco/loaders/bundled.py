"""The bundled dataset: the AI ecosystem described by aieco's source articles."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.loaders.files import read_dataset

#: The bundled tables, in load order.
BUNDLED_TABLES: tuple[str, ...] = (
    "sources.csv",
    "entities.csv",
    "relations.csv",
    "observations.csv",
)


def bundled_paths() -> list[Path]:
    """Paths of the bundled CSV tables (inside the installed package)."""
    root = resources.files("aieco") / "data"
    return [Path(str(root / name)) for name in BUNDLED_TABLES]


def graph_from_bundled(*, extra: Iterable[str | Path] = ()) -> EcosystemGraph:
    """Load the bundled, source-cited dataset, optionally with users' files on top.

    Parameters
    ----------
    extra
        More CSV/JSON files (or folders) in aieco's format, loaded with the bundled tables
        as one dataset: they may refer to bundled ids and must not reuse them.

    Returns
    -------
    The ecosystem graph; provenance is on ``G.graph``.

    Examples
    --------
    >>> eg = graph_from_bundled()
    >>> eg.node("hefei")["name_zh_hans"]
    '合肥'
    """
    data, problems = read_dataset([*bundled_paths(), *extra])
    return build_graph(data, name="aieco-bundled", problems=problems)
