"""A collecting query runner: what the store would send to Neo4j, without a server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CollectingRunner:
    """Records every (kind, Cypher, parameters); reads answer from ``answers`` (or no rows)."""

    def __init__(self, answers: Mapping[str, tuple[list[str], list[list[Any]]]] | None = None) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.answers = dict(answers or {})
        self.closed = False

    def write(self, query: str, params: Mapping[str, Any]) -> None:
        self.calls.append(("write", query, dict(params)))

    def read(self, query: str, params: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
        self.calls.append(("read", query, dict(params)))
        for key, answer in self.answers.items():
            if key in query:
                return answer
        return [], []

    def read_only(self, query: str, params: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
        return self.read(query, params)

    def autocommit(self, query: str, params: Mapping[str, Any]) -> None:
        self.calls.append(("autocommit", query, dict(params)))

    def close(self) -> None:
        self.closed = True

    def writes(self) -> list[tuple[str, dict[str, Any]]]:
        return [(q, p) for kind, q, p in self.calls if kind != "read"]
