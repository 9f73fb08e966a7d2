"""Every command, every option that takes a path, a number or a choice, with a bad value:
non-zero exit, one line on stderr, no traceback, nothing half-written.

The cases are generated from the command tree itself, so a new option cannot escape.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pytest
import typer.main
from typer.testing import CliRunner

from aieco.cli import app
from tests.unit.clicheck import one_line_failure

runner = CliRunner()

#: Valid arguments each command needs before a bad value is added (placeholders filled in per test).
BASE: dict[str, list[str]] = {
    "load": [],
    "info": [],
    "search": ["hefei"],
    "export": ["--format", "json", "--out", "{tmp}/x.json"],
    "viz": ["overview", "--out", "{tmp}/v.html"],
    "demo": ["--out", "{tmp}/demo"],
    "report centrality": ["--out", "{tmp}/report"],
    "report ecosystem": ["--out", "{tmp}/eco", "--draws", "20"],
    "query list": [],
    "query show": ["concentration"],
    "query run": ["concentration"],
    "neo4j start": [],
    "neo4j stop": [],
    "neo4j status": [],
    "neo4j push": [],
    "neo4j pull": [],
    "neo4j import": ["--files-only", "{tmp}/import"],
    "neo4j cypher": ["RETURN 1"],
    "openalex snapshot": ["{folder}", "--out", "{tmp}/oa"],
    "openalex pull": ["--out", "{tmp}/oa", "--cache", "{tmp}/oa-cache"],
    "ror build": ["{folder}", "--out", "{tmp}/ror"],
    "ror query": ["--query", "x", "--out", "{tmp}/rq", "--cache", "{tmp}/rq-cache"],
    "wikidata build": ["{folder}", "--out", "{tmp}/wd"],
    "wikidata query": ["--country", "CN", "--out", "{tmp}/wq", "--cache", "{tmp}/wq-cache"],
    "build": ["{examples}/../recipes/anhui.toml", "--out", "{tmp}/recipe"],
    "epoch build": ["{examples}/annotation-bases.csv", "--out", "{tmp}/epoch"],
    "map": [
        "{examples}/annotation-bases.csv",
        "--mapping",
        "{examples}/mapping.toml",
        "--out",
        "{tmp}/mapped",
    ],
}
#: Options whose value is a file to write, or a folder to write into.
FILE_OUTPUTS = {
    ("export", "--out"),
    ("viz", "--out"),
    ("query run", "--out"),
    ("neo4j pull", "--out"),
    ("neo4j cypher", "--out"),
}
FOLDER_OUTPUTS = {
    ("demo", "--out"),
    ("report centrality", "--out"),
    ("report ecosystem", "--out"),
    ("openalex snapshot", "--out"),
    ("openalex pull", "--out"),
    ("openalex pull", "--cache"),
    ("ror build", "--out"),
    ("ror query", "--out"),
    ("ror query", "--cache"),
    ("build", "--cache"),
    ("wikidata build", "--out"),
    ("wikidata query", "--out"),
    ("wikidata query", "--cache"),
    ("build", "--out"),
    ("epoch build", "--out"),
    ("map", "--out"),
    ("neo4j import", "--files-only"),
}


def _leaves(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from _leaves(command, f"{path} ")
        else:
            yield path, command


def _kind(annotation: Any) -> str:
    """int, path, choice or other, seen through Optional[...] and list[...]."""
    while get_origin(annotation) in (Union, types.UnionType, list):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        annotation = inner[0]
    if get_origin(annotation) is Literal:
        return "choice"
    if annotation is bool:
        return "other"
    if annotation is int:
        return "int"
    if annotation is Path:
        return "path"
    return "other"


def _bad_values(path: str, option: str, kind: str) -> list[tuple[str, str]]:
    if kind == "int":
        return [("not-a-number", "x"), ("negative", "-1")]
    if kind == "choice":
        return [("unknown-choice", "bogus")]
    if kind == "path":
        values = [("inside-a-file", "{file}/sub")]
        if (path, option) in FILE_OUTPUTS:
            values.append(("folder-for-a-file", "{folder}"))
        if (path, option) in FOLDER_OUTPUTS:
            values.append(("file-for-a-folder", "{file}"))
        if option == "--data":
            values.append(("missing", "{tmp}/missing.csv"))
        return values
    return []


def _generated() -> list[Any]:
    root = typer.main.get_command(app)
    cases = []
    seen = set()
    for path, command in _leaves(root):
        assert path in BASE, f"add {path!r} to BASE in this test"
        seen.add(path)
        for param in command.params:
            if not param.opts[0].startswith("-"):
                continue
            option = max(param.opts, key=len)
            for label, value in _bad_values(path, option, _kind(param.type_descriptor.annotation)):
                cases.append(
                    pytest.param([*path.split(), *BASE[path], option, value], id=f"{path} {option} {label}")
                )
    assert seen == set(BASE)
    return cases


EXPLICIT = [
    pytest.param(["viz", "bogus"], id="viz unknown view"),
    pytest.param(["viz", "overview", "--synthetic", "5", "--out", "{tmp}/s.html"], id="viz --synthetic 5"),
    pytest.param(["report", "centrality", "--synthetic", "5", "--out", "{tmp}/r"], id="report --synthetic 5"),
    pytest.param(["export", "-f", "csv", "-o", "{tmp}/t", "--synthetic", "5"], id="export --synthetic 5"),
    pytest.param(["viz", "city", "--city", "Atlantis", "--out", "{tmp}/c.html"], id="viz unknown city"),
    pytest.param(["query", "run", "no_such_query"], id="query unknown name"),
    pytest.param(["query", "run", "concentration", "-p", "nokey"], id="query param without ="),
    pytest.param(["query", "run", "concentration", "-p", "colour=red"], id="query unknown param"),
    pytest.param(
        ["query", "run", "top_by_degree", "-p", "top=99999999999999999999"], id="query int overflow"
    ),
    pytest.param(["query", "show", "no_such_query"], id="query show unknown"),
    pytest.param(["neo4j", "cypher", "RETURN $n", "-p", "n=99999999999999999999"], id="cypher int overflow"),
    pytest.param(["neo4j", "cypher", "RETURN $n", "-p", "n=1e400"], id="cypher infinite float"),
    pytest.param(["neo4j", "start", "--heap", "lots"], id="neo4j heap"),
    pytest.param(["neo4j", "cypher", "RETURN 1", "--uri", "http://127.0.0.1:1"], id="neo4j bad uri scheme"),
    pytest.param(["neo4j", "push"], id="neo4j push, closed port"),
    pytest.param(["report", "centrality", "--out", "{file}/sub"], id="report --out FILE/sub"),
    pytest.param(["load", "{folder}/bad.csv"], id="load a file that is not a table"),
    pytest.param(["load", "{tmp}/missing.csv"], id="load a missing file"),
    pytest.param(["search"], id="search without text"),
    pytest.param(
        ["epoch", "build", "{folder}/bad.csv", "--out", "{tmp}/e"], id="epoch: a table without Model"
    ),
    pytest.param(["epoch", "build", "{folder}", "--out", "{tmp}/e"], id="epoch: a folder"),
    pytest.param(["ror", "build", "{folder}/bad.csv", "--out", "{tmp}/r"], id="ror: not JSON"),
    pytest.param(["wikidata", "build", "{folder}/bad.csv", "--out", "{tmp}/w"], id="wikidata: not JSON"),
    pytest.param(
        ["wikidata", "query", "--country", "China", "--out", "{tmp}/w"], id="wikidata: not an ISO code"
    ),
    pytest.param(["wikidata", "query", "--country", "CN", "--out", "{tmp}/w"], id="wikidata: no endpoint"),
]


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # a closed port: refused at once
    monkeypatch.setenv("NEO4J_PASSWORD", "not-used")
    monkeypatch.setenv("AIECO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AIECO_WIKIDATA_SPARQL_URL", "http://127.0.0.1:1/sparql")  # never the real service
    monkeypatch.setenv("AIECO_HTTP_RETRIES", "0")
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (folder / "bad.csv").write_text("what,is,this\n1,2,3\n", encoding="utf-8")
    examples = Path(__file__).resolve().parents[2] / "examples" / "spreadsheet"
    return {"tmp": str(tmp_path), "file": str(a_file), "folder": str(folder), "examples": str(examples)}


def _run(args: list[str], places: dict[str, str]) -> Any:
    filled = [a.format(**places) for a in args]
    return runner.invoke(app, filled)


@pytest.mark.parametrize("args", _generated() + EXPLICIT)
@pytest.mark.seconds
def test_bad_value_gives_one_line(args: list[str], places: dict[str, str]) -> None:
    before = set(Path(places["tmp"]).rglob("*"))
    result = _run(args, places)
    one_line_failure(result)
    after = set(Path(places["tmp"]).rglob("*"))
    created = {p for p in after - before if not p.is_relative_to(Path(places["tmp"]) / "cache")}
    assert created == set(), f"a failed command left {sorted(map(str, created))}"


def test_exit_codes_are_documented_classes(places: dict[str, str]) -> None:
    assert _run(["viz", "bogus"], places).exit_code == 2  # usage
    assert (
        _run(["viz", "overview", "--synthetic", "5", "--out", "{tmp}/s.html"], places).exit_code == 1
    )  # input
    assert _run(["neo4j", "push"], places).exit_code == 3  # neo4j
    assert _run(["report", "centrality", "--out", "{file}/sub"], places).exit_code == 4  # files


def test_version_is_a_flag_not_a_missing_command() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("aieco ")
