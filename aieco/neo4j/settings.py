"""Where and how to reach Neo4j: settings read from the environment, never from the repo.

Examples
--------
>>> settings = Neo4jSettings.from_env({"NEO4J_URI": "bolt://127.0.0.1:7687", "NEO4J_PASSWORD": "pw"})
>>> settings.uri, settings.user, settings.database
('bolt://127.0.0.1:7687', 'neo4j', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aieco.config import env as setting


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
        values: dict[str, str | None] = {
            "uri": setting("NEO4J_URI", env) or cls.uri,
            "user": setting("NEO4J_USER", env) or cls.user,
            "password": setting("NEO4J_PASSWORD", env),
            "database": setting("NEO4J_DATABASE", env),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(
            uri=str(values["uri"]),
            user=str(values["user"]),
            password=values["password"],
            database=values["database"],
        )
