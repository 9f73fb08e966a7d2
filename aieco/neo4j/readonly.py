"""What "read-only" means for ``aieco neo4j cypher`` and :meth:`Neo4jStore.run`.

A query runs only if the **server** says it reads: aieco first asks for its plan
(``EXPLAIN``, which executes nothing) and requires

* the server's query type to be ``r`` (read only): this refuses data writes (``rw``/``w``),
  schema changes and administration commands (``s``: indexes, constraints, users, databases,
  ``CALL db.clearQueryCaches()``, ``CALL dbms.listConfig()``);
* no plan operator that administers or fetches even though it counts as a read:
  ``TerminateTransactions``/``ShowTransactions`` (other sessions' work), ``LoadCSV`` (the
  server fetching a URL or a file), ``ShowSettings``, and procedure calls other than the schema
  introspection listed in :data:`READ_PROCEDURES` (a plugin's "read" procedure such as
  ``apoc.load.json`` fetches URLs too).

The query then runs in a read transaction, so the server refuses a write even if the plan
said otherwise. The local server is also configured to refuse ``LOAD CSV`` from files and from
any address (:mod:`aieco.neo4j.server.local`).

Examples
--------
>>> refusal("r", [{"operatorType": "ProduceResults@neo4j", "args": {}, "children": []}]) is None
True
>>> refusal("r", [{"operatorType": "LoadCSV@neo4j", "args": {}, "children": []}])
'it makes the server load a file or URL (LOAD CSV)'
>>> refusal("w", [])
'it writes data (query type w)'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

#: Procedures a read-only query may call (schema introspection only).
READ_PROCEDURES: frozenset[str] = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
_QUERY_TYPES = {
    "rw": "it writes data (query type rw)",
    "w": "it writes data (query type w)",
    "s": "it changes the schema or administers the server (query type s)",
}
_REFUSED_OPERATORS = {
    "LoadCSV": "it makes the server load a file or URL (LOAD CSV)",
    "TerminateTransactions": "it terminates transactions",
    "ShowTransactions": "it shows other sessions' transactions",
    "ShowSettings": "it shows the server's settings",
    "AdministrationCommand": "it is an administration command",
}


def _operators(plans: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for plan in plans:
        yield plan
        yield from _operators(plan.get("children") or [])


def refusal(query_type: str | None, plans: Sequence[Mapping[str, Any]]) -> str | None:
    """Why a planned query is not read-only, or ``None`` when it may run."""
    if query_type != "r":
        return _QUERY_TYPES.get(
            query_type or "", f"the server does not call it a read (query type {query_type})"
        )
    for op in _operators(plans):
        name = str(op.get("operatorType", "")).split("@")[0]
        if name in _REFUSED_OPERATORS:
            return _REFUSED_OPERATORS[name]
        if name == "ProcedureCall":
            details = str((op.get("args") or op.get("arguments") or {}).get("Details", ""))
            procedure = details.split("(")[0].strip()
            if procedure not in READ_PROCEDURES:
                return f"it calls the procedure {procedure or '(unknown)'}, which is not schema introspection"
    return None
