"""The Neo4j store: push an EcosystemGraph to Neo4j 5, pull it back, run read queries.

Every node gets the label ``AiecoNode`` (unique ``id``) plus its type's label; every
relationship its type and a unique ``key``. Labels and relationship types come only from
the schema's whitelists (:class:`~aieco.graph.schema.NodeType`,
:class:`~aieco.graph.schema.RelType`); every value travels as a query parameter. Writes are
``UNWIND $rows … MERGE`` in batches, one transaction each, so a push can be interrupted at
any point and simply re-run: it converges to the same database with no duplicates.

All Cypher goes through a :class:`~aieco.neo4j.runner.QueryRunner` (the driver by default).
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from types import TracebackType
from typing import Any, Literal

import networkx as nx
import pandas as pd

from aieco.errors import DataValidationError, InvalidArgumentError, Neo4jConnectionError, Problem, SchemaError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.gcpause import paused_gc
from aieco.graph.schema import NodeType, RelType
from aieco.neo4j.runner import DriverRunner, QueryRunner
from aieco.neo4j.settings import Neo4jSettings

logger = logging.getLogger(__name__)

__all__ = ["BASE_LABEL", "DEFAULT_BATCH_SIZE", "META_LABEL", "Neo4jSettings", "Neo4jStore"]

#: Label every aieco node carries (unique on ``id``), beside its type label.
BASE_LABEL = "AiecoNode"
#: Label of the single node holding the graph's provenance (``G.graph``).
META_LABEL = "AiecoGraph"
DEFAULT_BATCH_SIZE = 5000
#: Write transactions in flight during a push: two overlap the client's packing of one batch
#: with the server's work on another (measured 1.6x faster on 2 cores; benchmarks/).
DEFAULT_PARALLEL = 2

#: Called after each batch: (what, how many in this batch, how many of that kind in all).
ProgressCallback = Callable[[Literal["nodes", "relationships"], int, int], None]


def _label(kind: str) -> str:
    try:
        return NodeType(kind).value
    except ValueError:
        raise SchemaError(f"{kind!r} is not a node type of the schema") from None


def _rel_type(kind: str) -> str:
    try:
        return RelType(kind).value
    except ValueError:
        raise SchemaError(f"{kind!r} is not a relationship type of the schema") from None


def labelled_nodes(G: nx.MultiDiGraph) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """``(label, id, attributes)`` of every node; each type checked against the schema once."""
    labels: dict[str, str] = {}
    for node, attrs in G.nodes(data=True):
        kind = attrs["type"]
        yield labels.get(kind) or labels.setdefault(kind, _label(kind)), node, attrs


def typed_relationships(G: nx.MultiDiGraph) -> Iterator[tuple[str, Any, Any, str, dict[str, Any]]]:
    """``(type, from, to, key, attributes)`` of every relationship, from the graph's own dicts;
    each type checked against the schema once."""
    types: dict[str, str] = {}
    for u, neighbours in G.adjacency():  # {v: {key: attrs}}
        for v, by_key in neighbours.items():
            for key, attrs in by_key.items():
                kind = attrs["type"]
                yield types.get(kind) or types.setdefault(kind, _rel_type(kind)), u, v, key, attrs


#: The integers Neo4j stores (64-bit signed).
INT64_BOUNDS = (-(2**63), 2**63 - 1)


def storable_problem(value: Any) -> str | None:
    """Why Neo4j cannot store ``value`` (an integer beyond 64 bits, NaN, ±infinity), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT64_BOUNDS[0] <= value <= INT64_BOUNDS[1]:
        return f"{value} does not fit in 64 bits"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    if isinstance(value, list | tuple):
        return next((p for p in map(storable_problem, value) if p), None)
    return None


def _neo4j_value(value: Any) -> Any:
    """Neo4j holds scalars and homogeneous lists; anything else is stored as JSON text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return json.dumps(value, ensure_ascii=False, default=str)


#: value types stored as they are, with nothing to check
_PLAIN = frozenset({str, bool})


def _stored_props(
    attrs: Mapping[str, Any], owner: str, problems: list[Problem], own_key: str, own_value: str
) -> dict[str, Any]:
    """What Neo4j stores for one node or relationship: its attributes but ``type``, without
    ``None``, non-scalar values as :func:`_neo4j_value` makes them, plus ``own_key``.

    Values Neo4j cannot hold are added to ``problems``. A row of strings only (most rows) is
    copied whole, without a look at each value.
    """
    props = dict(attrs)
    del props["type"]
    if not set(map(type, props.values())) <= _PLAIN:
        low, high = INT64_BOUNDS
        for k, v in list(props.items()):
            kind = type(v)
            if kind in _PLAIN:
                continue
            if v is None:
                del props[k]
            elif kind is int or kind is float:  # stored as they are, once in range
                if not (low <= v <= high if kind is int else math.isfinite(v)):
                    problems.append(Problem(owner, 0, k, storable_problem(v) or f"cannot store {v!r}"))
            else:
                if why := storable_problem(v):
                    problems.append(Problem(owner, 0, k, why))
                props[k] = _neo4j_value(v)
    props[own_key] = own_value
    return props


def _report(
    progress: ProgressCallback | None, what: Literal["nodes", "relationships"], n: int, total: int
) -> None:
    if progress:
        progress(what, n, total)


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Neo4jStore:
    """A connection to Neo4j 5, used as a context manager (the driver closes on exit).

    Parameters
    ----------
    settings
        Connection settings; by default read from the ``NEO4J_*`` environment variables.

    Examples
    --------
    A notebook session (needs a running server)::

        with Neo4jStore() as store:
            store.push(aieco.graph_from_bundled())
            df = store.run("MATCH (c:City) RETURN c.name_en AS city ORDER BY city")
    """

    def __init__(self, settings: Neo4jSettings | None = None, *, runner: QueryRunner | None = None) -> None:
        self.settings = settings or Neo4jSettings.from_env()
        self._runner: QueryRunner | None = runner

    # ---- connection ---------------------------------------------------------------
    def __enter__(self) -> Neo4jStore:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def runner(self) -> QueryRunner:
        """The connected query runner."""
        if self._runner is None:
            raise Neo4jConnectionError("not connected; use the store as a context manager")
        return self._runner

    @property
    def server_version(self) -> str:
        """The Neo4j version of the server (``unknown`` for a runner that does not say)."""
        return str(getattr(self._runner, "server_version", "unknown"))

    def connect(self) -> None:
        """Open the driver, check the credentials and that the server is Neo4j 5."""
        if self._runner is None:
            self._runner = DriverRunner(self.settings)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def _write(self, query: str, **params: Any) -> None:
        self.runner.write(query, params)

    def _write_batches(
        self, jobs: list[tuple[str, list[Any]]], parallel: int, done: Callable[[int], object]
    ) -> None:
        """Run ``(query, rows)`` write transactions, ``parallel`` at a time; ``done(len(rows))``
        after each, in this thread. The first failure stops the rest and is raised."""
        if parallel == 1:
            for query, rows in jobs:
                self._write(query, rows=rows)
                done(len(rows))
            return
        with ThreadPoolExecutor(parallel, thread_name_prefix="aieco-push") as pool:
            pending: set[Future[int]] = set()

            def finish(futures: set[Future[int]]) -> None:
                for future in futures:
                    done(future.result())  # a worker's exception is raised here

            def write(query: str, rows: list[Any]) -> int:
                self._write(query, rows=rows)
                return len(rows)

            try:
                for query, rows in jobs:
                    if len(pending) >= parallel:
                        finished, still = wait(pending, return_when=FIRST_COMPLETED)
                        pending = set(still)
                        finish(finished)
                    pending.add(pool.submit(write, query, rows))
                finished, _ = wait(pending)
                pending = set()
                finish(finished)
            finally:
                for future in pending:  # not started yet: dropped; running ones finish
                    future.cancel()

    # ---- schema -------------------------------------------------------------------
    def ensure_constraints(self) -> None:
        """Create the uniqueness constraints (one per label on ``id``), if missing."""
        self._write(
            f"CREATE CONSTRAINT aieco_node_id IF NOT EXISTS FOR (n:{BASE_LABEL}) REQUIRE n.id IS UNIQUE"
        )
        for kind in NodeType:
            self._write(
                f"CREATE CONSTRAINT aieco_{kind.value.lower()}_id IF NOT EXISTS "
                f"FOR (n:{kind.value}) REQUIRE n.id IS UNIQUE"
            )

    def clear(self) -> int:
        """Delete every aieco node and relationship (other data is left alone)."""
        before = self.count_nodes()
        self.runner.autocommit(
            f"MATCH (n) WHERE n:{BASE_LABEL} OR n:{META_LABEL} "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            {},
        )
        return before

    # ---- push ---------------------------------------------------------------------
    def push(
        self,
        eg: EcosystemGraph,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        parallel: int = DEFAULT_PARALLEL,
        replace: bool = False,
        progress: ProgressCallback | None = None,
    ) -> dict[str, int]:
        """Write the graph: nodes, then relationships, by batched ``UNWIND … CREATE`` into a
        database without aieco's nodes, ``UNWIND … MERGE`` into one that has some.

        Re-running gives the same database; an interrupted push is completed by re-running.

        Parameters
        ----------
        eg
            The graph to write.
        batch_size
            Rows per transaction.
        parallel
            Transactions in flight at once (nodes first, then relationships; batches hold
            distinct nodes and relationships, so they commit in any order). 1 writes one after
            another.
        replace
            Delete aieco's data first (for a graph that lost nodes or changed types).
        progress
            Called after each batch.

        Returns
        -------
        Counts written: ``{"nodes": …, "relationships": …}``.
        """
        if batch_size < 1:
            raise InvalidArgumentError(f"batch_size must be at least 1; got {batch_size}")
        if parallel < 1:
            raise InvalidArgumentError(f"parallel must be at least 1; got {parallel}")
        G = eg.G
        problems: list[Problem] = []
        nodes_by_label: dict[str, list[Any]] = defaultdict(list)
        rels_by_type: dict[str, list[Any]] = defaultdict(list)  # rows [from, to, props]
        with paused_gc():  # a million rows next to a graph of millions of objects, no cycles
            for label, node, attrs in labelled_nodes(G):
                props = _stored_props(attrs, f"node {node}", problems, "id", node)
                nodes_by_label[label].append(props)  # holds "id"
            for rel, u, v, key, attrs in typed_relationships(G):
                props = _stored_props(attrs, f"relationship {key}", problems, "key", key)
                rels_by_type[rel].append([u, v, props])  # props hold "key"
        if problems:  # checked before the first write, so a push never fails half-way on a value
            raise DataValidationError(problems)
        n_nodes = G.number_of_nodes()
        n_rels = G.number_of_edges()
        # every label and type was checked against the schema above, before any write
        if replace:
            self.clear()
        self.ensure_constraints()
        # Into a database without aieco nodes, CREATE (no lookups); otherwise MERGE. An interrupted
        # push leaves nodes behind, so its re-run merges and converges on the same database.
        verb = "CREATE" if self.count_nodes() == 0 else "MERGE"
        node_jobs = []
        for label, rows in nodes_by_label.items():
            if verb == "CREATE":
                query = f"UNWIND $rows AS props CREATE (n:{BASE_LABEL}:{label}) SET n = props"
            else:
                query = f"UNWIND $rows AS props MERGE (n:{BASE_LABEL} {{id: props.id}}) "
                query += f"SET n = props SET n:{label}"
            node_jobs += [(query, batch) for batch in _batches(rows, batch_size)]
        self._write_batches(node_jobs, parallel, lambda n: _report(progress, "nodes", n, n_nodes))
        rel_jobs = []  # after every node is written: the relationships find their ends
        for rel, rows in rels_by_type.items():
            query = (
                f"UNWIND $rows AS row "
                f"MATCH (a:{BASE_LABEL} {{id: row[0]}}) MATCH (b:{BASE_LABEL} {{id: row[1]}}) "
                + (
                    f"CREATE (a)-[r:{rel}]->(b) SET r = row[2]"
                    if verb == "CREATE"
                    else f"MERGE (a)-[r:{rel} {{key: row[2].key}}]->(b) SET r = row[2]"
                )
            )
            rel_jobs += [(query, batch) for batch in _batches(rows, batch_size)]
        self._write_batches(rel_jobs, parallel, lambda n: _report(progress, "relationships", n, n_rels))
        meta = {"graph_json": json.dumps(G.graph, ensure_ascii=False, default=str)}
        self._write(f"MERGE (m:{META_LABEL} {{id: 'graph'}}) SET m += $meta", meta=meta)
        logger.info("pushed %d nodes and %d relationships to %s", n_nodes, n_rels, self.settings.uri)
        return {"nodes": n_nodes, "relationships": n_rels}

    # ---- pull ---------------------------------------------------------------------
    def pull(self) -> EcosystemGraph:
        """Read aieco's graph back from Neo4j into an EcosystemGraph."""
        known_labels = {t.value for t in NodeType}
        G = nx.MultiDiGraph()
        _, nodes = self.runner.read(
            f"MATCH (n:{BASE_LABEL}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", {}
        )
        for node_id, node_labels, node_props in nodes:
            labels = [lab for lab in node_labels if lab in known_labels]
            if len(labels) != 1:
                raise SchemaError(f"node {node_id!r} has labels {node_labels}")
            props = dict(node_props)
            props.pop("id", None)
            G.add_node(node_id, type=labels[0], **props)
        _, rels = self.runner.read(
            f"MATCH (a:{BASE_LABEL})-[r]->(b:{BASE_LABEL}) "
            "RETURN a.id AS u, b.id AS v, type(r) AS type, properties(r) AS props",
            {},
        )
        for u, v, rel_type, rel_props in rels:
            props = dict(rel_props)
            key = props.pop("key")
            G.add_edge(u, v, key=key, type=rel_type, **props)
        _, meta = self.runner.read(f"MATCH (m:{META_LABEL} {{id: 'graph'}}) RETURN m.graph_json AS g", {})
        if meta and meta[0][0]:
            G.graph.update(json.loads(meta[0][0]))
        return EcosystemGraph(G)

    # ---- queries ------------------------------------------------------------------
    def run(self, query: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run a read-only Cypher query with parameters; return the rows as a DataFrame.

        The server plans the query first; one that writes, administers the server or loads a
        file or URL is refused before it runs (:mod:`aieco.neo4j.readonly`), and the query
        then runs in a read transaction.
        """
        keys, rows = self.runner.read_only(query, dict(params or {}))
        return pd.DataFrame(rows, columns=keys)

    def count_nodes(self) -> int:
        """How many aieco nodes the database holds."""
        _, rows = self.runner.read(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS n", {})
        return int(rows[0][0])

    def count_relationships(self) -> int:
        """How many relationships join aieco nodes."""
        _, rows = self.runner.read(f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) RETURN count(r) AS n", {})
        return int(rows[0][0])
