"""The predefined query catalogue and its runner.

Every entry answers one question on either engine — ``networkx`` (in memory, the default,
no server) or ``neo4j`` (its Cypher text, run with parameters on a store) — and returns a
DataFrame with the same columns and row order on both.

Examples
--------
>>> from aieco.queries import run_query
>>> df = run_query("concentration")            # Forbes AI 50 (2023) over US states
>>> round(float(df.loc[0, "top_n_share"]), 4)  # California: 35 of 42 placed companies
0.8333
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from aieco.errors import QueryError
from aieco.queries import entities, flows, places, quality, talent
from aieco.queries.base import Query

if TYPE_CHECKING:
    from aieco.graph.ecosystem import EcosystemGraph
    from aieco.neo4j.store import Neo4jStore

QueryEngine = Literal["networkx", "neo4j"]

CATALOGUE: dict[str, Query] = {
    q.name: q for q in (*entities.QUERIES, *places.QUERIES, *flows.QUERIES, *talent.QUERIES, *quality.QUERIES)
}


def get_query(name: str) -> Query:
    """Return a catalogue entry by name, or raise :class:`QueryError` listing the names."""
    try:
        return CATALOGUE[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}; known: {', '.join(sorted(CATALOGUE))}") from None


def run_query(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    engine: QueryEngine = "networkx",
    graph: EcosystemGraph | None = None,
    store: Neo4jStore | None = None,
) -> pd.DataFrame:
    """Run a catalogue query on one engine.

    Parameters
    ----------
    name
        The query's name (``aieco query list``).
    params
        Parameter values; missing ones take their defaults. Strings are converted to the
        parameter's type (as from the command line).
    engine
        ``"networkx"`` (default) or ``"neo4j"``.
    graph
        The graph for the networkx engine (default: the bundled dataset).
    store
        A connected :class:`~aieco.neo4j.store.Neo4jStore` for the neo4j engine.

    Returns
    -------
    The result, in the query's columns and row order.
    """
    query = get_query(name)
    bound = query.bind(params)
    if engine == "networkx":
        if graph is None:
            from aieco.loaders import graph_from_bundled

            graph = graph_from_bundled()
        frame = query.networkx(graph, bound)
    elif engine == "neo4j":
        if store is None:
            raise QueryError("the neo4j engine needs a connected store")
        frame = store.run(query.cypher, bound)
    else:
        raise QueryError(f"unknown engine {engine!r}; use networkx or neo4j")
    return query.normalise(frame, bound)
