"""Every setting aieco reads from the environment, in one place.

aieco reads no configuration file and changes no global state; what the environment sets is
read here, by name, when a call needs it (never at import). A name that is not in
:data:`SETTINGS` cannot be read, so a setting cannot be added without its line below, and the
README's table (``aieco.config.settings_markdown()``) lists them all.

Examples
--------
>>> env("AIECO_ROR_URL", {"AIECO_ROR_URL": "http://127.0.0.1:8080/v2"})
'http://127.0.0.1:8080/v2'
>>> env("AIECO_ROR_URL", {}) is None
True
>>> env("AIECO_NO_SUCH", {})
Traceback (most recent call last):
...
KeyError: 'AIECO_NO_SUCH is not a setting aieco reads (see aieco.config.SETTINGS)'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SETTINGS", "Setting", "env", "settings_markdown"]


@dataclass(frozen=True)
class Setting:
    """One environment variable: what it sets, for whom, and whether its value is a secret."""

    name: str
    what: str
    used_by: str
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("NEO4J_URI", "Neo4j server (bolt://, neo4j:// for a cluster or Aura)", "neo4j commands"),
        Setting("NEO4J_USER", "Neo4j user (default neo4j)", "neo4j commands"),
        Setting("NEO4J_PASSWORD", "Neo4j password", "neo4j commands", secret=True),
        Setting("NEO4J_DATABASE", "Neo4j database (default: the server's)", "neo4j commands"),
        Setting("AIECO_CACHE_DIR", "cache of Neo4j jars, local servers, HTTP answers", "neo4j, open data"),
        Setting("AIECO_MAX_FILE_BYTES", "largest input file read (default 4 GiB)", "every loader"),
        Setting("AIECO_HTTP_TIMEOUT", "seconds to connect, to wait for a byte, for one answer", "open data"),
        Setting("AIECO_HTTP_DEADLINE", "seconds a whole pull may take (default 6 h)", "open data"),
        Setting("AIECO_HTTP_RETRIES", "retries of a failed request (default 5)", "open data"),
        Setting("OPENALEX_API_KEY", "OpenAlex API key (required since February 2026)", "openalex pull", True),
        Setting("OPENALEX_MAILTO", "a contact address sent to OpenAlex", "openalex pull"),
        Setting("AIECO_OPENALEX_URL", "base URL of an OpenAlex mirror", "openalex pull"),
        Setting("ROR_CLIENT_ID", "ROR API client id (2,000 requests in 5 min instead of 50)", "ror query"),
        Setting("AIECO_ROR_URL", "base URL of a ROR API mirror", "ror query, recipes"),
        Setting(
            "AIECO_WIKIDATA_SPARQL_URL", "a SPARQL endpoint instead of Wikidata's", "wikidata query, recipes"
        ),
    )
}


def env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value the environment (or ``environ``) gives the setting ``name``; ``None`` when unset
    or empty. Only names in :data:`SETTINGS` can be read."""
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a setting aieco reads (see aieco.config.SETTINGS)")
    value = (os.environ if environ is None else environ).get(name)
    return value or None


def settings_markdown() -> str:
    """The README's table of settings."""
    lines = ["| variable | sets | read by |", "|---|---|---|"]
    lines += [
        f"| `{s.name}` | {s.what}{' (a secret: never logged)' if s.secret else ''} | {s.used_by} |"
        for s in SETTINGS.values()
    ]
    return "\n".join(lines)
