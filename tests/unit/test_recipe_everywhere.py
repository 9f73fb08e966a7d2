"""A recipe's output is a dataset like any other: every command that reads ``--data`` reads it —
alone and with the bundled data — each view draws it and each catalogue query runs on it (with
its documented examples). The commands are listed from the command tree, so a new one that
reads data is covered without editing this file. ``neo4j push`` needs a server: the Neo4j
integration tests push a recipe's output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import typer.main
from typer.testing import CliRunner

from aieco.cli import app
from aieco.queries.catalogue import CATALOGUE
from tests.unit.test_cli_errors import BASE, _leaves
from tests.unit.test_recipe import _recipe

runner = CliRunner()
pytestmark = pytest.mark.slow  # ~60 command runs: CI runs them, `make test-fast` leaves them out
#: Commands that read --data but need a running Neo4j server.
NEEDS_SERVER = {"neo4j push"}


@pytest.fixture(scope="module")
def built(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("recipe-everywhere")
    out = tmp / "out"
    result = runner.invoke(app, ["build", str(_recipe(tmp, realdata)), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def _data_commands() -> Iterator[tuple[str, Any]]:
    for path, command in _leaves(typer.main.get_command(app)):
        opts = {o for p in command.params for o in p.opts}
        if "--data" in opts and path not in NEEDS_SERVER:
            yield path, command


def _views() -> tuple[str, ...]:
    command = dict(_data_commands())["viz"]
    view = next(p for p in command.params if p.name == "view")
    return tuple(get_args(view.type_descriptor.annotation))


def _cases() -> list[Any]:
    cases = []
    for path, _ in _data_commands():
        if path == "viz":
            extra = {"city": ["--city", "Hefei"]}
            cases += [
                pytest.param(["viz", v, "--out", "{tmp}/v.html", *extra.get(v, [])], id=f"viz {v}")
                for v in _views()
            ]
        elif path == "query run":
            for name, query in sorted(CATALOGUE.items()):
                params = [a for k, v in (query.examples or ({},))[0].items() for a in ("-p", f"{k}={v}")]
                cases.append(pytest.param(["query", "run", name, *params], id=f"query run {name}"))
        else:
            cases.append(pytest.param([*path.split(), *BASE[path]], id=path))
    return cases


@pytest.mark.parametrize("bundled", [False, True], ids=["alone", "with-bundled"])
@pytest.mark.parametrize("args", _cases())
def test_every_command_reads_a_recipes_output(
    args: list[str], bundled: bool, built: Path, tmp_path: Path
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    argv += ["--data", str(built), *(["--with-bundled"] if bundled else [])]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, f"{' '.join(argv)}\n{result.stderr}"
