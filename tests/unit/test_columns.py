"""Big relation tables read column-wise give the row path's graph, and its problems, exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import aieco
import aieco.loaders.columns as columns
import aieco.loaders.files as files
from aieco.errors import DataValidationError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import export_graph
from aieco.loaders import graph_from_files


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "tables"
    export_graph(aieco.graph_from_synthetic(3000, seed=7), folder, fmt="csv")
    return folder


def _load(folder: Path, *, column_wise: bool, monkeypatch: pytest.MonkeyPatch) -> EcosystemGraph:
    monkeypatch.setattr(files, "COLUMN_WISE_FROM_BYTES", 0 if column_wise else 10**15)
    monkeypatch.setattr(columns, "COLUMN_WISE_FROM_ROWS", 1)
    read = columns.read_relations
    used: list[bool] = []

    def spy(*args: object) -> object:
        result = read(*args)  # type: ignore[arg-type]
        used.append(result is not None)
        return result

    monkeypatch.setattr(columns, "read_relations", spy)
    try:
        return graph_from_files([folder])
    finally:
        assert used == ([True] if column_wise else []), "the column-wise reader was not the one used"


def _content(
    eg: EcosystemGraph,
) -> tuple[dict[str, dict[str, object]], dict[tuple[str, str, str], dict[str, object]]]:
    return (
        {n: dict(a) for n, a in eg.G.nodes(data=True)},
        {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)},
    )


def test_column_wise_gives_the_row_paths_graph(tables: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _load(tables, column_wise=True, monkeypatch=monkeypatch)
    slow = _load(tables, column_wise=False, monkeypatch=monkeypatch)
    assert fast.G.number_of_edges() > 25_000
    assert _content(fast) == _content(slow)


BAD_CELLS = [  # (row of relations.csv, column, value): each breaks one rule
    (2, "type", "COLLABORATES"),  # unknown type
    (3, "type", " LOCATED_IN"),  # the model does not strip a type
    (4, "year", "20x0"),
    (5, "year", "999"),
    (6, "note", "bell\x07"),  # a control character
    (7, "to", "{from}"),  # a self-loop
    (8, "to", "nowhere"),  # an unknown entity
    (9, "share", "1.5"),
    (10, "date", "2023-02-30"),  # not a calendar date
    (11, "see_also", "no-such-source"),
    (12, "source", "Bad Id"),
    (13, "rank", "0"),
    (14, "count", "-3"),
    (15, "year", "+2020"),  # flagged by the columns, accepted by the model: same as the row path
    (16, "year", " 20x0 "),  # padded and wrong: the model gets the padded text, as on the row path
    (17, "source", " Bad Id "),
]


def test_column_wise_reports_the_row_paths_problems(
    tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("sources.csv", "entities.csv", "observations.csv"):
        (broken / name).write_bytes((tables / name).read_bytes())
    with (tables / "relations.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    for line, column, value in BAD_CELLS:
        row = rows[line - 2]
        row[column] = value.format(**row)
    rows.append(dict(rows[40]))  # a duplicate relationship (same endpoints, type and year)
    with (broken / "relations.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    found = {}
    for column_wise in (True, False):
        with pytest.raises(DataValidationError) as info:
            _load(broken, column_wise=column_wise, monkeypatch=monkeypatch)
        found[column_wise] = sorted((p.row, p.field, p.message) for p in info.value.problems)
    assert found[True] == found[False]
    assert (
        len(found[True]) >= len(BAD_CELLS) - 1 + 1
    )  # every broken row but the accepted one, and the duplicate
