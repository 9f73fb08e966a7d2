"""Options shared by several commands, and the one parser of ``-p key=value`` parameters.

Defaults come from the library's own constants and choices from its own ``Literal`` types,
so the command line cannot drift from the API.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from aieco.config import env
from aieco.errors import InvalidArgumentError, Neo4jConnectionError
from aieco.graph.ecosystem import EcosystemGraph

DataOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        "-d",
        help="Load these CSV/JSON files or folders instead of the bundled dataset (repeatable).",
    ),
]
WithBundledOpt = Annotated[
    bool, typer.Option("--with-bundled", help="Load --data files on top of the bundled dataset.")
]
SyntheticOpt = Annotated[
    int | None,
    typer.Option("--synthetic", help="Use a synthetic graph of this many nodes (at least 20)."),
]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Seed of --synthetic.")]

UriOpt = Annotated[str | None, typer.Option("--uri", help="Bolt URI [env NEO4J_URI].")]
UserOpt = Annotated[str | None, typer.Option("--user", help="User [env NEO4J_USER].")]
PasswordOpt = Annotated[
    str | None, typer.Option("--password", help="Password [env NEO4J_PASSWORD].", show_default=False)
]
DatabaseOpt = Annotated[str | None, typer.Option("--database", help="Database [env NEO4J_DATABASE].")]
NameOpt = Annotated[str, typer.Option("--name", help="Name of the local instance.")]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace existing files that aieco did not write (or that changed).")
]
#: The folder a registry or open-data pull writes (its tables, merges.tsv and dropped.tsv).
PullOutOpt = Annotated[
    Path, typer.Option("--out", "-o", help="Folder for the tables, merges.tsv and dropped.tsv.")
]
#: Whether a pull merges what it reads into bundled entities.
ResolveOpt = Annotated[
    bool,
    typer.Option("--resolve/--no-resolve", help="Merge organisations and places into bundled entities."),
]
FoundersOpt = Annotated[
    bool,
    typer.Option("--founders", help="Also each founder (P112) who is a human: a Person who FOUNDED it."),
]
ParamOpt = Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable.")]


def load_graph(
    data: list[Path] | None,
    with_bundled: bool = False,
    *,
    synthetic: int | None = None,
    seed: int = 0,
) -> EcosystemGraph:
    """The graph a command works on: synthetic, the bundled dataset and/or users' files."""
    from aieco.loaders import graph_from_bundled, graph_from_files, graph_from_synthetic

    if synthetic is not None:
        if data:
            raise InvalidArgumentError("--synthetic and --data exclude each other")
        return graph_from_synthetic(synthetic, seed=seed)
    if not data:
        return graph_from_bundled()
    if with_bundled:
        eg = graph_from_bundled(extra=data)
        merged = eg.G.graph.get("merged_into_bundled") or []
        if merged:
            from aieco.cli.output import note

            note(
                f"{len(merged)} of your rows reuse a bundled id and were merged into (did not replace) "
                f"the bundled entity: {'; '.join(merged[:5])}" + (" …" if len(merged) > 5 else "")
            )
        return eg
    return graph_from_files(data)


def parse_params(texts: Iterable[str] | None) -> dict[str, str]:
    """``["k=v", …]`` → ``{"k": "v"}``: the values stay text (a query converts them by its types).

    >>> parse_params(["subjects=beijing,shenzhen", "top = 5"])
    {'subjects': 'beijing,shenzhen', 'top': '5'}
    """
    params: dict[str, str] = {}
    for text in texts or []:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise InvalidArgumentError(f"--param {text!r} is not key=value")
        params[key.strip()] = value.strip()
    return params


def json_values(params: dict[str, str]) -> dict[str, Any]:
    """Read each value as JSON where it parses (``5`` → 5, ``[1,2]`` → a list), else as text.

    For Cypher, whose parameters have no declared types.

    >>> json_values({"n": "5", "name": "Hefei", "ids": '["a","b"]'})
    {'n': 5, 'name': 'Hefei', 'ids': ['a', 'b']}
    """
    out: dict[str, Any] = {}
    for key, raw in params.items():
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise InvalidArgumentError(f"--param {key}: {raw} does not fit in 64 bits (Neo4j's integers)")
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidArgumentError(f"--param {key}: {raw} is not a finite number")
        out[key] = value
    return out


def neo4j_settings(uri: str | None, user: str | None, password: str | None, database: str | None) -> Any:
    """Flags win over NEO4J_* variables; with neither, a running local 'default' instance is used."""
    from aieco.neo4j.server import LocalNeo4jServer
    from aieco.neo4j.settings import Neo4jSettings

    if password is None and env("NEO4J_PASSWORD") is None and uri is None and env("NEO4J_URI") is None:
        server = LocalNeo4jServer("default")
        local = server.info()
        if local is not None:
            return Neo4jSettings(uri=local.uri, user=local.user, password=local.password, database=database)
        if server.exists():
            raise Neo4jConnectionError(
                "the local Neo4j instance 'default' is not running: start it with 'aieco neo4j start' "
                "(or set NEO4J_URI and NEO4J_PASSWORD for another server)"
            )
    return Neo4jSettings.from_env(uri=uri, user=user, password=password, database=database)
