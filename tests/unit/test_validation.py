"""Bad input: every problem names its file, row and field, and no graph is returned."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import aieco
from aieco.errors import DataValidationError, Problem
from tests.conftest import WriteTable
from tests.unit import minimal


def _write_all(write_table: WriteTable, **changes: list[dict[str, object]]) -> list[Path]:
    tables = {
        "sources.csv": copy.deepcopy(minimal.SOURCES),
        "entities.csv": copy.deepcopy(minimal.ENTITIES),
        "relations.csv": copy.deepcopy(minimal.RELATIONS),
        "observations.csv": copy.deepcopy(minimal.OBSERVATIONS),
    }
    for name, rows in changes.items():
        tables[name.replace("_", ".")] = rows
    return [write_table(name, rows) for name, rows in tables.items()]


def _problems(paths: list[Path]) -> list[Problem]:
    with pytest.raises(DataValidationError) as info:
        aieco.graph_from_files(paths)
    return info.value.problems


def test_minimal_dataset_is_valid(write_table: WriteTable) -> None:
    eg = aieco.graph_from_files(_write_all(write_table))
    assert eg.number_of_entities() == 3
    assert eg.node("acme")["aliases"] == ["ACME Corp", "阿克米公司"]
    assert eg.node("obs-1")["value"] == 12.0
    assert eg.G.has_edge("obs-1", "town")  # the derived ABOUT edge


def test_unknown_type_names_file_row_field(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities[2]["type"] = "Startup"
    (problem,) = _problems(_write_all(write_table, entities_csv=entities))
    assert problem.file.endswith("entities.csv")
    assert (problem.row, problem.field) == (4, "type")
    assert "Startup" in problem.message


def test_dangling_reference(write_table: WriteTable) -> None:
    relations = copy.deepcopy(minimal.RELATIONS)
    relations[1]["to"] = "atlantis"
    (problem,) = _problems(_write_all(write_table, relations_csv=relations))
    assert problem.file.endswith("relations.csv")
    assert (problem.row, problem.field) == (3, "to")
    assert "atlantis" in problem.message


def test_duplicate_id_points_at_first_occurrence(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities.append({**entities[0], "name_en": "Land again"})
    (problem,) = _problems(_write_all(write_table, entities_csv=entities))
    assert (problem.row, problem.field) == (5, "id")
    assert "entities.csv:2" in problem.message


def test_missing_source_and_missing_quote(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities[1]["source"] = ""
    entities[2]["quote"] = ""
    problems = _problems(_write_all(write_table, entities_csv=entities))
    assert {(p.row, p.field) for p in problems} == {(3, "source"), (4, "quote")}


def test_unknown_source_id(write_table: WriteTable) -> None:
    observations = copy.deepcopy(minimal.OBSERVATIONS)
    observations[0]["source"] = "rumour"
    (problem,) = _problems(_write_all(write_table, observations_csv=observations))
    assert problem.file.endswith("observations.csv")
    assert (problem.row, problem.field) == (2, "source")


@pytest.mark.parametrize("year", ["20x3", "999", "2200", "2023.5"])
def test_bad_year(write_table: WriteTable, year: str) -> None:
    observations = copy.deepcopy(minimal.OBSERVATIONS)
    observations[0]["year"] = year
    (problem,) = _problems(_write_all(write_table, observations_csv=observations))
    assert (problem.row, problem.field) == (2, "year")


def test_endpoint_types_come_from_the_schema(write_table: WriteTable) -> None:
    relations = copy.deepcopy(minimal.RELATIONS)
    relations.append(
        {"from": "land", "type": "HEADQUARTERED_IN", "to": "acme", "source": "doc", "quote": "x"}
    )
    problems = _problems(_write_all(write_table, relations_csv=relations))
    assert {(p.row, p.field) for p in problems} == {(4, "from"), (4, "to")}


def test_talent_flow_needs_a_weight(write_table: WriteTable) -> None:
    relations = copy.deepcopy(minimal.RELATIONS)
    relations.append({"from": "town", "type": "TALENT_FLOW", "to": "land", "source": "doc", "quote": "x"})
    (problem,) = _problems(_write_all(write_table, relations_csv=relations))
    assert (problem.row, problem.field) == (4, "share")


def test_every_problem_is_reported_at_once(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities[0]["type"] = "Planet"
    relations = copy.deepcopy(minimal.RELATIONS)
    relations[0]["from"] = "nowhere"
    observations = copy.deepcopy(minimal.OBSERVATIONS)
    observations[0]["value"] = "lots"
    problems = _problems(
        _write_all(write_table, entities_csv=entities, relations_csv=relations, observations_csv=observations)
    )
    files = {Path(p.file).name for p in problems}
    assert files == {"entities.csv", "relations.csv", "observations.csv"}


def test_unknown_column_and_unknown_table(write_table: WriteTable, tmp_path: Path) -> None:
    entities = [{**minimal.ENTITIES[0], "colour": "red"}]
    problems = _problems([write_table("sources.csv", minimal.SOURCES), write_table("entities.csv", entities)])
    assert [(p.row, p.field) for p in problems] == [(1, "colour")]
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    (problem,) = _problems([junk])
    assert problem.row == 1


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (problem,) = _problems([tmp_path / "absent.csv"])
    assert "no such file" in problem.message


def test_users_files_on_top_of_bundled(write_table: WriteTable) -> None:
    extra = write_table(
        "relations.csv",
        [
            {
                "from": "iflytek",
                "type": "PARTNERS_WITH",
                "to": "tencent",
                "source": "seed-002",
                "quote": "a made-up test fact",
            }
        ],
    )
    eg = aieco.graph_from_bundled(extra=[extra])
    assert eg.G.has_edge("iflytek", "tencent")
    clash = write_table("entities.csv", [{**minimal.ENTITIES[0], "id": "hefei", "source": "seed-002"}])
    with pytest.raises(DataValidationError):
        aieco.graph_from_bundled(extra=[clash])


def test_coordinates_need_their_source(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities[1].update(lat="10.5", lon="20.25")  # the City, without coord_source
    entities[0].update(lat="1", lon="2", coord_source="atlas")  # a Country, unknown source
    problems = _problems(_write_all(write_table, entities_csv=entities))
    assert {(p.row, p.field) for p in problems} == {(3, "coord_source"), (2, "coord_source")}


def test_coordinates_only_on_places_and_sites(write_table: WriteTable) -> None:
    entities = copy.deepcopy(minimal.ENTITIES)
    entities[2].update(lat="10.5", lon="20.25", coord_source="doc")  # a Company
    (problem,) = _problems(_write_all(write_table, entities_csv=entities))
    assert (problem.row, problem.field) == (4, "lat")
