"""Big entity and relation tables read column-wise give the row path's graph, and its problems, exactly."""

from __future__ import annotations

import csv
from collections.abc import Callable
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


def _load(
    folder: Path,
    *,
    column_wise: bool,
    monkeypatch: pytest.MonkeyPatch,
    read_by_columns: dict[str, bool] | None = None,
) -> EcosystemGraph:
    """Load ``folder`` with every entities and relations table read column-wise, or none of them;
    the column-wise reader must really be the one that read them (it may hand a file back)."""
    monkeypatch.setattr(files, "COLUMN_WISE_FROM_BYTES", 0 if column_wise else 10**15)
    monkeypatch.setattr(columns, "COLUMN_WISE_FROM_ROWS", 1)
    read = columns.read_table
    used: dict[str, bool] = {}

    def spy(*args: object) -> object:
        result = read(*args)  # type: ignore[arg-type]
        used[str(args[3])] = result is not None
        return result

    monkeypatch.setattr(columns, "read_table", spy)
    try:
        return graph_from_files([folder])
    finally:
        expected = read_by_columns or {"entities": True, "relations": True}
        assert used == (expected if column_wise else {}), "the column-wise reader was not the one used"


def _content(
    eg: EcosystemGraph,
) -> tuple[dict[str, dict[str, object]], dict[tuple[str, str, str], dict[str, object]]]:
    return (
        {n: dict(a) for n, a in eg.G.nodes(data=True)},
        {(u, v, k): dict(a) for u, v, k, a in eg.G.edges(keys=True, data=True)},
    )


@pytest.mark.slow
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
    (18, "to", "synthetic"),  # a source, not an entity
]


@pytest.mark.slow
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
    located = [row for row in rows[30:] if row["type"] == "LOCATED_IN"]
    located[0]["to"] = "co0"  # located in a company
    located[1]["from"] = "plan0"  # a plan located somewhere
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
        len(found[True]) >= len(BAD_CELLS) - 1 + 3
    )  # every broken row but the accepted one, the two misplaced ends and the duplicate
    messages = {message for _, _, message in found[True]}
    assert {"LOCATED_IN cannot end at a Company", "LOCATED_IN cannot start at a Plan"} <= messages


def _rewrite(
    folder: Path, name: str, edit: Callable[[list[dict[str, str]]], None], *, crlf: bool = False
) -> None:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    edit(rows)
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\r\n" if crlf else "\n")
        writer.writeheader()
        writer.writerows(rows)


def _copy(tables: Path, to: Path) -> Path:
    to.mkdir()
    for name in ("sources.csv", "entities.csv", "relations.csv", "observations.csv"):
        (to / name).write_bytes((tables / name).read_bytes())
    return to


def _enrich(rows: list[dict[str, str]]) -> None:
    """Cells of every kind an entities table holds, quoted ones among them."""
    by_type: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_type.setdefault(row["type"], []).append(row)
    for i, row in enumerate(by_type["Company"][:200]):
        row["aliases"] = f"Alias {i}|别名{i}| 別名{i} "
        row["description"] = f"Makes models, chips and tools ({i})"  # a comma: a quoted cell
        row["name_ja"] = f"会社{i}"
        row["year"] = str(2000 + i % 20)
        row["date"] = f"20{10 + i % 10}-0{1 + i % 9}"
        row["url"] = f"https://example.org/co/{i}"
    for i, row in enumerate(by_type["Plan"][:50]):
        row["period_start"], row["period_end"] = "2017", str(2020 + i % 10)
    for row in by_type["City"][:20]:
        row["lon"] = f"-{row['lon'].lstrip('-')}"  # west of Greenwich
        row["name_zh_hant"] = row["name_zh_hans"].replace("城市", "城市·")
    by_type["University"][0]["name_en"] = " Padded University "  # kept as written by the model
    by_type["University"][1]["note"] = "  padded note  "  # stripped by the model


@pytest.mark.slow
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_column_wise_entities_give_the_row_paths_graph(
    tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crlf: bool
) -> None:
    folder = _copy(tables, tmp_path / "rich")
    _rewrite(folder, "entities.csv", _enrich, crlf=crlf)
    assert '"' in (folder / "entities.csv").read_text(encoding="utf-8")
    fast = _load(folder, column_wise=True, monkeypatch=monkeypatch)
    slow = _load(folder, column_wise=False, monkeypatch=monkeypatch)
    assert _content(fast) == _content(slow)
    co = fast.G.nodes["co0"]  # the first company, as _enrich wrote it, read back typed
    assert co["aliases"] == ["Alias 0", "别名0", "別名0"]
    assert (co["year"], co["date"]) == (2000, "2010-01")
    assert fast.G.nodes["plan0"]["period_end"] == 2020
    assert fast.G.nodes["city0"]["lon"] < 0


BAD_ENTITY_CELLS = [  # (column, value), each on its own company's row: each breaks one rule (or seems to)
    ("type", "Startup"),  # unknown type
    ("type", " Company"),  # padded: flagged by the columns, accepted by the model
    ("id", "Bad Id"),
    ("source", "no-such-source"),
    ("year", "20x0"),
    ("date", "2023-02-30"),
    ("aliases", "one|bell\x07"),  # a control character in a list item
    ("name_en", "esc\x1b[2J"),
    ("see_also", "no-such-source"),
    ("period_start", "2020"),  # a period on something that is not a plan or a ranking
    ("lat", "10.5"),  # coordinates on a company (and no lon)
    ("coord_source", "synthetic"),  # a coordinate source without coordinates
    ("year", " 2020 "),  # padded, and fine
    ("description", " padded, and quoted "),  # fine
]
ACCEPTED = {" Company", " 2020 ", " padded, and quoted "}


def _first_company(rows: list[dict[str, str]]) -> int:
    return next(i for i, row in enumerate(rows) if row["type"] == "Company")


def _break_entities(rows: list[dict[str, str]]) -> None:
    at = _first_company(rows)
    for k, (column, value) in enumerate(BAD_ENTITY_CELLS):
        rows[at + k][column] = value
    cities = [r for r in rows if r["type"] == "City"]
    cities[0]["lat"] = "91"  # off the globe
    cities[1]["lon"] = ""  # lat without lon
    cities[2]["coord_source"] = ""  # coordinates without their source
    cities[3]["lat"] = "1e1"  # flagged by the columns, read by the model
    plans = [r for r in rows if r["type"] == "Plan"]
    plans[0]["period_start"], plans[0]["period_end"] = "2025", "2020"
    rows.append(dict(rows[at + 40]) | {"type": " Company"})  # twice, the second one flagged
    rows.insert(at + 30, dict(rows[at + 35]) | {"type": " Company"})  # twice, and the first one flagged


@pytest.mark.slow
def test_column_wise_entities_report_the_row_paths_problems(
    tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tables, tmp_path / "broken")
    with (tables / "entities.csv").open(encoding="utf-8", newline="") as fh:
        first_line = _first_company(list(csv.DictReader(fh))) + 2
    _rewrite(folder, "entities.csv", _break_entities)
    found = {}
    for column_wise in (True, False):
        with pytest.raises(DataValidationError) as info:
            _load(folder, column_wise=column_wise, monkeypatch=monkeypatch)
        found[column_wise] = sorted((p.file, p.row, p.field, p.message) for p in info.value.problems)
    assert found[True] == found[False]
    where = {row for _, row, _, _ in found[True]}
    for k, (column, value) in enumerate(BAD_ENTITY_CELLS):
        assert (first_line + k in where) == (value not in ACCEPTED), (column, value)
    assert sum(1 for *_, message in found[True] if message.startswith("duplicate id")) == 2


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('\n{first},"two\nlines",\n', "a cell over two lines"),
        ('\n{first},"unbalanced\n', "an unbalanced quote"),
        ("\n{first},two\rlines,\n", "a lone CR, a line end to pandas"),
    ],
    ids=["multi-line", "malformed", "lone-cr"],
)
@pytest.mark.slow
def test_entities_the_strict_reader_must_see_go_row_by_row(
    tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, why: str
) -> None:
    folder = _copy(tables, tmp_path / "odd")
    path = folder / "entities.csv"
    first = path.read_text(encoding="utf-8").splitlines()[1].rsplit(",", 2)[0]
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text.format(first=first.replace("co0", "co-extra")).removeprefix("\n"))
    outcome = {}
    for column_wise in (True, False):
        try:
            eg = _load(
                folder,
                column_wise=column_wise,
                monkeypatch=monkeypatch,
                read_by_columns={"entities": False, "relations": True},
            )
            outcome[column_wise] = ("graph", _content(eg))
        except DataValidationError as exc:
            outcome[column_wise] = ("problems", sorted(map(str, exc.problems)))
    assert outcome[True] == outcome[False], why


#: Values tried in every column: each breaks some rule of some field, or looks as if it might.
BATTERY = [
    "",
    " padded ",
    "-1",
    "0",
    "1e999",
    "nan",
    "20x0",
    "2023-02-30",
    "99999",
    "Bad Id",
    "a||b",
    "bell\x07",
    "-91",
    "181",
    "x" * 5000,
]


def _battery(fields: list[str]) -> Callable[[list[dict[str, str]]], None]:
    def edit(rows: list[dict[str, str]]) -> None:
        at = 10
        for field in fields:
            for value in BATTERY:
                rows[at][field] = value
                at += 1

    return edit


@pytest.mark.slow
@pytest.mark.parametrize("table", ["entities.csv", "relations.csv"])
def test_every_field_and_hostile_value_gets_the_row_paths_verdict(
    table: str, tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One validator in effect: every column of the table, with every value of a battery, is
    judged by the column path exactly as the record models judge it (a model rule added without
    its column twin fails here, whichever field it is on)."""
    with (tables / table).open(encoding="utf-8", newline="") as fh:
        fields = [f for f in next(csv.reader(fh)) if f not in ("source",)]
    folder = _copy(tables, tmp_path / "battery")
    _rewrite(folder, table, _battery(fields))
    found = {}
    for column_wise in (True, False):
        with pytest.raises(DataValidationError) as info:
            _load(folder, column_wise=column_wise, monkeypatch=monkeypatch)
        found[column_wise] = sorted((p.file, p.row, p.field, p.message) for p in info.value.problems)
    only = {k: sorted(set(found[k]) - set(found[not k])) for k in (True, False)}
    assert only == {True: [], False: []}
    assert found[True] == found[False]
    assert len({row for _, row, _, _ in found[True]}) > len(fields)  # most fields refuse something
