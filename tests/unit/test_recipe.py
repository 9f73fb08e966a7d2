"""Recipes: ROR, Epoch AI, Wikidata and an OpenAlex snapshot built into one set of tables,
resolved across sources (one node per organisation), and rebuilt exactly from the lock."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.graph.io import CSV_TABLES
from tests.openalex_fixture import write_snapshot
from tests.unit.clicheck import one_line_failure

runner = CliRunner()


def _recipe(tmp_path: Path, realdata: Path) -> Path:
    snapshot = write_snapshot(tmp_path / "openalex")
    text = f"""
name = "China–US AI talent and models (test)"
[[source]]
kind = "ror"
paths = ["{realdata / "ror/raw/ror-community__ror-records"}"]
[[source]]
kind = "openalex-snapshot"
paths = ["{snapshot.name}"]
[[source]]
kind = "epoch"
paths = ["{realdata / "epoch/raw/georgetown-cset__aixbiodata/data/ai_models.zip"}"]
[[source]]
kind = "wikidata"
paths = ["{realdata / "wikidata/raw/maxlath__wikibase-sdk/tests/data/Q2112.json"}"]
"""
    path = tmp_path / "recipe.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def built(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("recipe")
    recipe = _recipe(tmp, realdata)
    out = tmp / "out"
    result = runner.invoke(app, ["build", str(recipe), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return recipe, out


@pytest.mark.seconds
def test_one_node_per_organisation_across_sources(built: tuple[Path, Path]) -> None:
    _, out = built
    ids = [r["id"] for r in _rows(out / "entities.csv")]
    assert len(ids) == len(set(ids))
    assert "baidu" in ids  # ROR and Epoch AI both name it: the bundled id, once
    # Tsinghua is not in the bundled data: ROR and OpenAlex each have a record, which the ROR id
    # (03cve4549) in both says is one organisation — one node, the first source's
    tsinghua = [r for r in _rows(out / "entities.csv") if r["ror"] == "https://ror.org/03cve4549"]
    assert [r["id"] for r in tsinghua] == ["ror-03cve4549"]
    assert tsinghua[0]["name_zh_hans"] == "清华大学"
    merges = (out / "merges.tsv").read_text(encoding="utf-8").splitlines()
    by_source = {(line.split("\t")[0], line.split("\t")[3]) for line in merges[1:]}
    assert ("openalex-snapshot", "ror-03cve4549") in by_source
    assert {("ror", "baidu"), ("epoch", "baidu")} <= by_source


@pytest.mark.seconds
def test_the_tables_load_with_the_bundled_data(built: tuple[Path, Path]) -> None:
    _, out = built
    assert runner.invoke(app, ["load", str(out), "--with-bundled"]).exit_code == 0


@pytest.mark.seconds
def test_the_lock_names_every_input_and_rebuilds_the_same_tables(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    recipe, out = built
    lock = json.loads((out / "aieco.lock").read_text(encoding="utf-8"))
    assert [s["kind"] for s in lock["sources"]] == ["ror", "openalex-snapshot", "epoch", "wikidata"]
    assert lock["sources"][0]["files"]  # every ROR record file, with its SHA-256
    # the merge report in numbers: every row read is joined, merged or added, and the joins are
    # the lines of merges.tsv that say so (OpenAlex's Tsinghua, joined to ROR's by the ROR id)
    merges = (out / "merges.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for source in lock["sources"]:
        n = source["entities"]
        joined = n["joined to an earlier source's entity by an exact id"]
        merged = n["merged with an earlier source's row of the same id"]
        assert n["entity rows"] == joined + merged + n["added"]
        said = [m for m in merges if m.startswith(source["kind"] + "\t") and "same ROR/OpenAlex" in m]
        assert joined == len(said)
    assert lock["sources"][1]["entities"]["joined to an earlier source's entity by an exact id"] == 1
    assert all(len(f["sha256"]) == 64 for s in lock["sources"] for f in s["files"])
    again = tmp_path / "again"
    result = runner.invoke(
        app, ["build", str(recipe), "--out", str(again), "--lock", str(out / "aieco.lock")]
    )
    assert result.exit_code == 0, result.stderr
    for name in CSV_TABLES:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.seconds
def test_a_changed_input_is_refused_with_the_lock(built: tuple[Path, Path], tmp_path: Path) -> None:
    recipe, out = built
    part = recipe.parent / "openalex" / "data" / "works" / "updated_date=2026-11-01" / "part_000.gz"
    original = part.read_bytes()
    try:
        import gzip

        with gzip.open(part, "ab") as fh:
            fh.write(b"\n")
        line = one_line_failure(
            runner.invoke(
                app,
                ["build", str(recipe), "--out", str(tmp_path / "x"), "--lock", str(out / "aieco.lock")],
            )
        )
        assert "part_000.gz" in line
        assert "changed since the lock" in line
        assert not (tmp_path / "x").exists()
    finally:
        part.write_bytes(original)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('name = "x"\n', "source"),
        ('name = "x"\n[[source]]\nkind = "nonsense"\npaths = ["a"]\n', "source.0.kind"),
        ('name = "x"\n[[source]]\nkind = "ror"\npaths = ["missing.zip"]\n', "no such file"),
        ("name = ", "not valid TOML"),
    ],
)
def test_a_bad_recipe_is_one_line(text: str, words: str, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(text, encoding="utf-8")
    line = one_line_failure(runner.invoke(app, ["build", str(recipe), "--out", str(tmp_path / "o")]))
    assert words in line


@pytest.mark.parametrize("name", ["anhui.toml", "china-us.toml"])
def test_the_example_recipes_are_valid(name: str) -> None:
    from aieco.loaders.recipe import read_recipe

    recipe = read_recipe(Path(__file__).resolve().parents[2] / "examples" / "recipes" / name)
    assert {s.kind for s in recipe.source} >= {"openalex-snapshot", "ror", "epoch"}


@pytest.mark.parametrize("ours_first", [True, False], ids=["our tables first", "Wikidata first"])
def test_a_settle_file_makes_two_records_one(ours_first: bool, tmp_path: Path) -> None:
    from tests.unit.test_wikidata import CHINA, HEFEI, IFLYTEK, LAB, _write

    lab = {**LAB, "claims": {k: v for k, v in LAB["claims"].items() if k != "P6782"}}  # no ROR id to join
    _write(tmp_path / "wd", [CHINA, HEFEI, IFLYTEK, lab])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "sources.csv").write_text(
        "id,title,url\nmy-notes,My notes,https://example.org/notes\n", encoding="utf-8"
    )
    (mine / "entities.csv").write_text(
        "id,type,name_en,description,source\n"
        "speech-lab,ResearchLab,Example Speech Lab (our name),our record,my-notes\n",
        encoding="utf-8",
    )
    (tmp_path / "settle.tsv").write_text(
        "id\tbecomes\twhy\n# decided by hand\nwikidata-q90011\tspeech-lab\tthe same lab: our record of it\n",
        encoding="utf-8",
    )
    recipe = tmp_path / "r.toml"
    sources = [
        '[[source]]\nkind = "tables"\npaths = ["mine"]\n',
        '[[source]]\nkind = "wikidata"\npaths = ["wd/dump.json"]\n',
    ]
    ordered = sources if ours_first else sources[::-1]
    recipe.write_text('name = "settled"\nsettle = "settle.tsv"\n' + "".join(ordered), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(recipe), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    entities = {r["id"]: r for r in _rows(out / "entities.csv")}
    assert "wikidata-q90011" not in entities
    assert entities["speech-lab"]["name_en"] == "Example Speech Lab (our name)"  # the row of ``becomes`` wins
    relations = {(r["from"], r["type"], r["to"]) for r in _rows(out / "relations.csv")}
    assert ("speech-lab", "PART_OF", "iflytek") in relations  # Wikidata's parent, now on our lab
    assert "wikidata-q90011\tthe same lab: our record of it\tspeech-lab" in (out / "merges.tsv").read_text()
    assert json.loads((out / "aieco.lock").read_text())["settle"]["path"] == "settle.tsv"
    with (tmp_path / "settle.tsv").open("a", encoding="utf-8") as fh:
        fh.write("# a second thought\n")
    again = runner.invoke(
        app, ["build", str(recipe), "--out", str(tmp_path / "x"), "--lock", str(out / "aieco.lock")]
    )
    assert "the settle file changed since the lock" in one_line_failure(again)
    assert runner.invoke(app, ["load", str(out), "--with-bundled"]).exit_code == 0
