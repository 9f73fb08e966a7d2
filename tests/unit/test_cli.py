"""The command line: the 'must show' figures, search across scripts, export, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.graph.schema import ENTITY_TYPES
from tests.conftest import WriteTable
from tests.unit import minimal

runner = CliRunner()


def test_info_json_meets_the_foundation_bar() -> None:
    result = runner.invoke(app, ["info", "--format", "json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["entities"] >= 150
    assert info["observations"] >= 60
    assert {t.value for t in ENTITY_TYPES} | {"Source", "Observation"} <= set(info["node_types"])
    assert info["with_source"] == {"entities": 1.0, "relationships": 1.0, "observations": 1.0}
    assert info["nodes"] == sum(info["node_types"].values())


@pytest.mark.parametrize("query", ["科大訊飛", "科大讯飞", "iflytek"])
def test_search_finds_iflytek_in_any_script(query: str) -> None:
    result = runner.invoke(app, ["search", query, "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "iflytek"
    assert hits[0]["name_zh_hant"] == "科大訊飛"


def test_search_without_hits_exits_non_zero() -> None:
    result = runner.invoke(app, ["search", "Atlantis Robotics"])
    assert result.exit_code == 1


def test_export_json_round_trips_through_load(tmp_path: Path) -> None:
    target = tmp_path / "aieco.json"
    assert runner.invoke(app, ["export", "--format", "json", "--out", str(target)]).exit_code == 0
    reloaded = runner.invoke(app, ["info", "--format", "json", "--data", str(target)])
    original = runner.invoke(app, ["info", "--format", "json"])
    a, b = json.loads(original.stdout), json.loads(reloaded.stdout)
    for key in ("nodes", "edges", "node_types", "edge_types", "with_source"):
        assert a[key] == b[key], key


def test_load_reports_a_validation_error_in_one_line(write_table: WriteTable) -> None:
    bad = [{**minimal.ENTITIES[0], "type": "Planet"}]
    paths = [write_table("sources.csv", minimal.SOURCES), write_table("entities.csv", bad)]
    result = runner.invoke(app, ["load", *map(str, paths)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "entities.csv:2 [type]" in lines[0]


def test_every_command_has_help_with_an_example() -> None:
    for command in ("load", "info", "search", "export", "viz", "demo"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout, command


@pytest.mark.slow
def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "aieco.cli", "load", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "nope.csv" in proc.stderr


def test_readme_catalogue_is_generated_from_the_catalogue() -> None:
    from aieco.cli import catalogue_markdown

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- catalogue:start -->\n") + len("<!-- catalogue:start -->\n")
    end = readme.index("<!-- catalogue:end -->")
    assert readme[start:end] == catalogue_markdown()


def test_query_commands() -> None:
    listed = runner.invoke(app, ["query", "list", "--format", "json"])
    assert listed.exit_code == 0
    assert len(json.loads(listed.stdout)) >= 20
    shown = runner.invoke(app, ["query", "show", "concentration"])
    assert shown.exit_code == 0
    assert "MATCH" in shown.stdout
    ran = runner.invoke(app, ["query", "run", "concentration", "-p", "level=Region", "-f", "json"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout)[0]["places"] == 4
    bad = runner.invoke(app, ["query", "run", "top_by_degree", "-p", "top=many"])
    assert bad.exit_code == 1
    assert "top" in bad.stderr
    for command in ("list", "show", "run"):
        assert "Example" in runner.invoke(app, ["query", command, "--help"]).stdout
