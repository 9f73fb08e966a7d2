"""The query-runner boundary between aieco and a Neo4j server.

:class:`~aieco.neo4j.store.Neo4jStore` speaks to Neo4j only through a :class:`QueryRunner`
(as graphdatascience's ``query_runner`` does): Cypher text plus a parameter map in, rows
out. :class:`DriverRunner` is the real one (the official driver, one transaction per call);
unit tests pass a runner that collects the Cypher and parameters instead, so what a push
would send can be asserted without a server and without overriding private methods.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from aieco.errors import (
    Neo4jAuthError,
    Neo4jConnectionError,
    Neo4jError,
    Neo4jReadOnlyError,
    Neo4jVersionError,
)
from aieco.neo4j.readonly import refusal
from aieco.neo4j.settings import Neo4jSettings

if TYPE_CHECKING:
    from neo4j import Driver

logger = logging.getLogger(__name__)

#: URI schemes of the Bolt protocol (single server, or routing for clusters and Aura).
BOLT_SCHEMES: tuple[str, ...] = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: How long the driver retries a transaction on a passing fault before aieco reports it.
RETRY_SECONDS = 5.0
#: Runs more of a write transaction the server refused with a transient error (a deadlock).
TRANSIENT_RETRIES = 3
#: What a read returns: the column names and the rows (one list of values per record).
Rows = tuple[list[str], list[list[Any]]]


class QueryRunner(Protocol):
    """Runs parameterised Cypher on one database."""

    def write(self, query: str, params: Mapping[str, Any]) -> None:
        """Run ``query`` in one write transaction."""

    def read(self, query: str, params: Mapping[str, Any]) -> Rows:
        """Run ``query`` in a read transaction (the server refuses writes) and return its rows."""

    def read_only(self, query: str, params: Mapping[str, Any]) -> Rows:
        """Run a user's ``query`` only if the server's plan says it only reads (see readonly.py)."""

    def autocommit(self, query: str, params: Mapping[str, Any]) -> None:
        """Run ``query`` as an auto-commit transaction (for ``CALL { … } IN TRANSACTIONS``)."""

    def close(self) -> None:
        """Release the connection (idempotent)."""


class DriverRunner:
    """A :class:`QueryRunner` on the official Neo4j driver; checks credentials and version.

    Parameters
    ----------
    settings
        Where to connect.
    """

    def __init__(self, settings: Neo4jSettings) -> None:
        self.settings = settings
        self.server_version = "unknown"
        self.server_edition = "unknown"
        self._driver: Driver = self._connect()

    def _connect(self) -> Driver:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ConfigurationError, DriverError, ServiceUnavailable
        from neo4j.exceptions import Neo4jError as DbError

        s = self.settings
        scheme = s.uri.split("://", 1)[0] if "://" in s.uri else ""
        if scheme not in BOLT_SCHEMES:
            raise Neo4jConnectionError(
                f"bad Neo4j URI {s.uri!r}: use one of {', '.join(f'{x}://' for x in BOLT_SCHEMES)}"
            )
        if not s.password:
            raise Neo4jAuthError("no password: set NEO4J_PASSWORD (or pass --password)")
        try:
            driver = GraphDatabase.driver(
                s.uri,
                auth=(s.user, s.password),
                connection_timeout=10,
                max_transaction_retry_time=RETRY_SECONDS,
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
        return driver

    def write(self, query: str, params: Mapping[str, Any]) -> None:
        """Run ``query`` in one write transaction."""
        from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired, TransientError
        from neo4j.exceptions import Neo4jError as DbError

        try:
            for attempt in range(TRANSIENT_RETRIES + 1):
                try:
                    self._driver.execute_query(query, dict(params), database_=self.settings.database)
                    break
                except TransientError:  # e.g. a deadlock between parallel batches outlasting
                    if attempt == TRANSIENT_RETRIES:  # the driver's own retries; the server
                        raise  # rolled the transaction back, so the batch is run again
                    time.sleep(0.5 * 2**attempt)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise Neo4jConnectionError(
                f"lost the connection to {self.settings.uri} while writing; "
                "what was written is consistent: re-run the push to complete it"
            ) from exc
        except DbError as exc:
            raise Neo4jError(
                f"the server refused a write ({exc.code}: {exc.message}); "
                "what was written is consistent: re-run the push once the cause is fixed"
            ) from exc
        except DriverError as exc:
            raise Neo4jConnectionError(f"cannot talk to Neo4j at {self.settings.uri}: {exc}") from exc

    def read(self, query: str, params: Mapping[str, Any]) -> Rows:
        """Run ``query`` in a read transaction and return its rows."""

        def work(tx: Any) -> Rows:
            result = tx.run(query, dict(params))
            keys = list(result.keys())
            return keys, [list(r.values()) for r in result]

        with self._errors("reading"), self._driver.session(database=self.settings.database) as session:
            rows: Rows = session.execute_read(work)
        return rows

    def read_only(self, query: str, params: Mapping[str, Any]) -> Rows:
        """Plan ``query`` with EXPLAIN; run it (in a read transaction) only if it only reads."""

        def plan(tx: Any) -> tuple[str | None, list[dict[str, Any]]]:
            summary = tx.run("EXPLAIN " + query, dict(params)).consume()
            return summary.query_type, [summary.plan] if summary.plan else []

        with self._errors("planning"), self._driver.session(database=self.settings.database) as session:
            query_type, plans = session.execute_read(plan)
        reason = refusal(query_type, plans)
        if reason is not None:
            raise Neo4jReadOnlyError(f"refused: the query is not read-only ({reason})")
        return self.read(query, params)

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Driver errors while reading become one aieco error naming the server's code."""
        from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired
        from neo4j.exceptions import Neo4jError as DbError

        try:
            yield
        except (ServiceUnavailable, SessionExpired) as exc:
            raise Neo4jConnectionError(f"lost the connection to {self.settings.uri} while {doing}") from exc
        except DbError as exc:
            raise Neo4jError(f"query failed: {exc.code}: {exc.message}") from exc
        except (DriverError, OSError) as exc:
            raise Neo4jConnectionError(f"cannot talk to Neo4j at {self.settings.uri}: {exc}") from exc

    def autocommit(self, query: str, params: Mapping[str, Any]) -> None:
        """Run ``query`` as an auto-commit transaction."""
        with self._errors("writing"), self._driver.session(database=self.settings.database) as session:
            session.run(query, dict(params)).consume()

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()
