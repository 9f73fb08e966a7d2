"""OpenAlex records of the wrong shape: one error naming the file, the line and the field — on
both readers (DuckDB hands a record it cannot read to the strict reader) — never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import DataValidationError
from aieco.loaders.openalex import pull_openalex_snapshot
from tests.openalex_fixture import write_snapshot

AUTHOR = {"id": "https://openalex.org/A9", "display_name": "R"}
INST = {"id": "https://openalex.org/I9", "display_name": "X University", "type": "education"}

CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("institutions", "geo a list", {**INST, "geo": [1, 2]}, "geo"),
    ("institutions", "international a string", {**INST, "international": "zh"}, "international"),
    ("institutions", "lineage a number", {**INST, "lineage": 7}, "lineage"),
    (
        "institutions",
        "associated institutions a string",
        {**INST, "associated_institutions": "x"},
        "associated_institutions",
    ),
    ("institutions", "name a number", {**INST, "display_name": 5}, "display_name"),
    ("authors", "affiliations a string", {**AUTHOR, "affiliations": "Tsinghua"}, "affiliations"),
    ("authors", "an affiliation a string", {**AUTHOR, "affiliations": ["Tsinghua"]}, "affiliations[0]"),
    (
        "authors",
        "years a number",
        {
            **AUTHOR,
            "affiliations": [{"institution": {"id": "https://openalex.org/I99065089"}, "years": 2019}],
        },
        "affiliations[0].years",
    ),
    (
        "works",
        "authorships a string",
        {"id": "W1", "publication_year": 2020, "authorships": "x"},
        "authorships",
    ),
]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize(("entity", "what", "record", "field"), CASES, ids=[c[1] for c in CASES])
@pytest.mark.seconds
def test_a_record_of_the_wrong_shape_is_one_error(
    entity: str, what: str, record: dict[str, Any], field: str, engine: Any, tmp_path: Path
) -> None:
    root = write_snapshot(tmp_path, extra_lines={entity: [json.dumps(record)]})
    with pytest.raises(DataValidationError) as info:
        pull_openalex_snapshot(root, engine=engine)
    problem = info.value.problems[0]
    assert problem.file.endswith(f"{entity}/updated_date=2026-11-01/part_000.gz")
    assert problem.row > 1
    assert problem.field == field


def test_the_cli_says_it_in_one_line(tmp_path: Path) -> None:
    root = write_snapshot(tmp_path, extra_lines={"institutions": [json.dumps({**INST, "geo": [1]})]})
    result = CliRunner().invoke(app, ["openalex", "snapshot", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "part_000.gz" in lines[0]
    assert "[geo]" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_fifo_as_a_part_file_is_refused(tmp_path: Path) -> None:
    import os

    root = write_snapshot(tmp_path)
    os.mkfifo(root / "data" / "authors" / "updated_date=2026-11-01" / "part_001.gz")
    with pytest.raises(DataValidationError, match="not a regular file"):
        pull_openalex_snapshot(root)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_endless_line_is_one_error(engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aieco.loaders.openalex as reader

    monkeypatch.setattr(reader, "MAX_LINE", 1000)
    root = write_snapshot(tmp_path, extra_lines={"institutions": ['{"id": "' + "x" * 5000 + '"}']})
    with pytest.raises(DataValidationError, match="longer than 1,000 characters"):
        pull_openalex_snapshot(root, engine=engine)


@pytest.mark.parametrize("depth", [100_000])
def test_json_nested_beyond_reason_is_one_error(depth: int, tmp_path: Path) -> None:
    root = write_snapshot(tmp_path, extra_lines={"works": ["[" * depth + "]" * depth]})
    with pytest.raises(DataValidationError, match="not a JSON line"):
        pull_openalex_snapshot(root, engine="python")


def test_a_row_aieco_cannot_store_names_its_field(tmp_path: Path) -> None:
    # a work year beyond the schema's range becomes a COLLABORATES_WITH row the models refuse
    from aieco.loaders.pull import rows_to_graph

    rows = {
        "sources": [{"id": "s", "title": "t", "url": "https://x"}],
        "entities": [{"id": "a", "type": "University", "name_en": "A", "source": "s"}],
        "relations": [
            {
                "id": "r",
                "from": "a",
                "type": "TALENT_FLOW",
                "to": "b",
                "count": 1,
                "year": 99999,
                "source": "s",
            }
        ],
        "observations": [],
    }
    with pytest.raises(DataValidationError) as info:
        rows_to_graph(rows, "file:///pull", "p")
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.field) == ("file:///pull (relations)", 1, "year")
