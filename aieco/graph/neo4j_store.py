"""The Neo4j store: push an EcosystemGraph to Neo4j 5, pull it back, run read queries.

Every node gets the label ``AiecoNode`` (unique ``id``) plus its type's label; every
relationship its type and a unique ``key``. Labels and relationship types come only from
the schema's whitelists (:class:`~aieco.graph.schema.NodeType`,
:class:`~aieco.graph.schema.RelType`); every value travels as a query parameter. Writes are
``UNWIND $rows … MERGE`` in batches, one transaction each, so a push can be interrupted at
any point and simply re-run: it converges to the same database with no duplicates.

Examples
--------
>>> settings = Neo4jSettings.from_env({"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": "pw"})
>>> settings.uri, settings.user, settings.database
('bolt://127.0.0.1:7687', 'neo4j', None)
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import pandas as pd

from aieco.errors import (
    Neo4jAuthError,
    Neo4jConnectionError,
    Neo4jError,
    Neo4jVersionError,
    SchemaError,
)
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.schema import NodeType, RelType

if TYPE_CHECKING:
    from neo4j import Driver

logger = logging.getLogger(__name__)

#: Label every aieco node carries (unique on ``id``), beside its type label.
BASE_LABEL = "AiecoNode"
#: Label of the single node holding the graph's provenance (``G.graph``).
META_LABEL = "AiecoGraph"
DEFAULT_BATCH_SIZE = 5000

#: Called after each batch: (what, how many in this batch, how many of that kind in all).
ProgressCallback = Callable[[Literal["nodes", "relationships"], int, int], None]


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. Credentials come from the environment, never the repo."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: str | None) -> Neo4jSettings:
        """Read ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

        Keyword overrides (e.g. from CLI flags) win when they are not ``None``.
        """
        env = os.environ if env is None else env
        values: dict[str, str | None] = {
            "uri": env.get("NEO4J_URI", cls.uri),
            "user": env.get("NEO4J_USER", cls.user),
            "password": env.get("NEO4J_PASSWORD"),
            "database": env.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(
            uri=str(values["uri"]),
            user=str(values["user"]),
            password=values["password"],
            database=values["database"],
        )


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


def _neo4j_value(value: Any) -> Any:
    """Neo4j holds scalars and homogeneous lists; anything else is stored as JSON text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _props(attrs: Mapping[str, Any], drop: tuple[str, ...] = ("type",)) -> dict[str, Any]:
    return {k: _neo4j_value(v) for k, v in attrs.items() if k not in drop and v is not None}


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
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

    def __init__(self, settings: Neo4jSettings | None = None) -> None:
        self.settings = settings or Neo4jSettings.from_env()
        self._driver: Driver | None = None

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
    def driver(self) -> Driver:
        """The connected driver."""
        if self._driver is None:
            raise Neo4jConnectionError("not connected; use the store as a context manager")
        return self._driver

    def connect(self) -> None:
        """Open the driver, check the credentials and that the server is Neo4j 5."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ConfigurationError, DriverError, ServiceUnavailable
        from neo4j.exceptions import Neo4jError as DbError

        s = self.settings
        if not s.password:
            raise Neo4jAuthError("no password: set NEO4J_PASSWORD (or pass --password)")
        try:
            driver = GraphDatabase.driver(
                s.uri,
                auth=(s.user, s.password),
                connection_timeout=10,
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as exc:
            raise Neo4jConnectionError(f"bad Neo4j URI {s.uri!r}: {exc}") from exc
        try:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN name, versions[0] AS version, edition",
                database_=s.database,
            )
        except AuthError as exc:
            driver.close()
            raise Neo4jAuthError(f"Neo4j at {s.uri} refused the credentials of user {s.user!r}") from exc
        except ServiceUnavailable as exc:
            driver.close()
            raise Neo4jConnectionError(
                f"cannot connect to Neo4j at {s.uri}: connection refused or closed"
            ) from exc
        except (DriverError, DbError, OSError) as exc:
            driver.close()
            raise Neo4jConnectionError(f"cannot talk to Neo4j at {s.uri}: {exc}") from exc
        kernel = next((r for r in records if r["name"] == "Neo4j Kernel"), None)
        version = str(kernel["version"]) if kernel else "unknown"
        if not version.startswith("5."):
            driver.close()
            raise Neo4jVersionError(f"{s.uri} runs Neo4j {version}; aieco needs Neo4j 5")
        self.server_version = version
        self.server_edition = str(kernel["edition"]) if kernel else "unknown"
        self._driver = driver

    def close(self) -> None:
        """Close the driver (idempotent)."""
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _write(self, query: str, **params: Any) -> None:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        try:
            self.driver.execute_query(query, params, database_=self.settings.database)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise Neo4jConnectionError(
                f"lost the connection to {self.settings.uri} while writing; "
                "what was written is consistent: re-run the push to complete it"
            ) from exc

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
        with self.driver.session(database=self.settings.database) as session:
            session.run(
                f"MATCH (n) WHERE n:{BASE_LABEL} OR n:{META_LABEL} "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
        return before

    # ---- push ---------------------------------------------------------------------
    def push(
        self,
        eg: EcosystemGraph,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        replace: bool = False,
        progress: ProgressCallback | None = None,
    ) -> dict[str, int]:
        """Write the graph: nodes, then relationships, by batched ``UNWIND … MERGE``.

        Re-running gives the same database; an interrupted push is completed by re-running.

        Parameters
        ----------
        eg
            The graph to write.
        batch_size
            Rows per transaction.
        replace
            Delete aieco's data first (for a graph that lost nodes or changed types).
        progress
            Called after each batch.

        Returns
        -------
        Counts written: ``{"nodes": …, "relationships": …}``.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        G = eg.G
        nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node, attrs in G.nodes(data=True):
            nodes_by_label[_label(attrs["type"])].append({"id": node, "props": {**_props(attrs), "id": node}})
        rels_by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for u, v, key, attrs in G.edges(keys=True, data=True):
            rels_by_type[_rel_type(attrs["type"])].append(
                {"from": u, "to": v, "key": key, "props": {**_props(attrs), "key": key}}
            )
        n_nodes = G.number_of_nodes()
        n_rels = G.number_of_edges()
        # every label and type was checked against the schema above, before any write
        if replace:
            self.clear()
        self.ensure_constraints()
        for label, rows in nodes_by_label.items():
            query = (
                f"UNWIND $rows AS row MERGE (n:{BASE_LABEL} {{id: row.id}}) SET n = row.props SET n:{label}"
            )
            for batch in _batches(rows, batch_size):
                self._write(query, rows=batch)
                if progress:
                    progress("nodes", len(batch), n_nodes)
        for rel, rows in rels_by_type.items():
            query = (
                f"UNWIND $rows AS row "
                f"MATCH (a:{BASE_LABEL} {{id: row.from}}) MATCH (b:{BASE_LABEL} {{id: row.to}}) "
                f"MERGE (a)-[r:{rel} {{key: row.key}}]->(b) SET r = row.props"
            )
            for batch in _batches(rows, batch_size):
                self._write(query, rows=batch)
                if progress:
                    progress("relationships", len(batch), n_rels)
        meta = {"graph_json": json.dumps(G.graph, ensure_ascii=False, default=str)}
        self._write(f"MERGE (m:{META_LABEL} {{id: 'graph'}}) SET m += $meta", meta=meta)
        logger.info("pushed %d nodes and %d relationships to %s", n_nodes, n_rels, self.settings.uri)
        return {"nodes": n_nodes, "relationships": n_rels}

    # ---- pull ---------------------------------------------------------------------
    def pull(self) -> EcosystemGraph:
        """Read aieco's graph back from Neo4j into an EcosystemGraph."""
        known_labels = {t.value for t in NodeType}
        G = nx.MultiDiGraph()
        with self.driver.session(database=self.settings.database) as session:
            for record in session.run(
                f"MATCH (n:{BASE_LABEL}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
            ):
                labels = [lab for lab in record["labels"] if lab in known_labels]
                if len(labels) != 1:
                    raise SchemaError(f"node {record['id']!r} has labels {record['labels']}")
                props = dict(record["props"])
                props.pop("id", None)
                G.add_node(record["id"], type=labels[0], **props)
            for record in session.run(
                f"MATCH (a:{BASE_LABEL})-[r]->(b:{BASE_LABEL}) "
                "RETURN a.id AS u, b.id AS v, type(r) AS type, properties(r) AS props"
            ):
                props = dict(record["props"])
                key = props.pop("key")
                G.add_edge(record["u"], record["v"], key=key, type=record["type"], **props)
            meta = session.run(f"MATCH (m:{META_LABEL} {{id: 'graph'}}) RETURN m.graph_json AS g").single()
        if meta and meta["g"]:
            G.graph.update(json.loads(meta["g"]))
        return EcosystemGraph(G)

    # ---- queries ------------------------------------------------------------------
    def run(self, query: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run a read-only Cypher query with parameters; return the rows as a DataFrame.

        The query runs in a read transaction: a query that writes is refused by the server.
        """
        from neo4j.exceptions import Neo4jError as DbError

        def work(tx: Any) -> tuple[list[str], list[list[Any]]]:
            result = tx.run(query, dict(params or {}))
            keys = list(result.keys())
            return keys, [list(r.values()) for r in result]

        try:
            with self.driver.session(database=self.settings.database) as session:
                keys, rows = session.execute_read(work)
        except DbError as exc:
            raise Neo4jError(f"query failed: {exc.code}: {exc.message}") from exc
        return pd.DataFrame(rows, columns=keys)

    def count_nodes(self) -> int:
        """How many aieco nodes the database holds."""
        return int(self.run(f"MATCH (n:{BASE_LABEL}) RETURN count(n) AS n")["n"].iloc[0])

    def count_relationships(self) -> int:
        """How many relationships join aieco nodes."""
        return int(self.run(f"MATCH (:{BASE_LABEL})-[r]->(:{BASE_LABEL}) RETURN count(r) AS n")["n"].iloc[0])
