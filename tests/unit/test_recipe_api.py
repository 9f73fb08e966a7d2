"""Recipes with API sources: ROR's API and Wikidata's query service (loopback mirrors; the ROR
one answers from the real v2 records of ``../shared/realdata/ror``). The answers are kept beside
the tables and named in the lock; a rebuild with the lock reads them with the services gone and
gives the same tables, byte for byte; a changed answer is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from tests.service_mirrors import ror_mirror, sparql_mirror

runner = CliRunner()
TABLES = ("sources.csv", "entities.csv", "relations.csv", "observations.csv", "merges.tsv")


def _uri(q: str) -> dict[str, str]:
    return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}


def _lit(value: str, lang: str | None = None) -> dict[str, str]:
    return {"type": "literal", "value": value, **({"xml:lang": lang} if lang else {})}


# hand-made rows (ids chosen for the test, not real Wikidata ids)
ROWS: list[dict[str, Any]] = [
    {
        "item": _uri("Q90050"),
        "itemLabel": _lit("Example Voice Co", "en"),
        "class": _uri("Q783794"),
        "country": _uri("Q90001"),
        "countryLabel": _lit("China", "en"),
        "countryCode": _lit("CN"),
        "hq": _uri("Q90003"),
        "hqLabel": _lit("Hefei", "en"),
        "hqGeonames": _lit("1808722"),
        "founder": _uri("Q90051"),
        "founderLabel": _lit("Example Founder", "en"),
    }
]
RECIPE = """\
name = "API sources"
[[source]]
kind = "ror-api"
ids = ["04s6fbg51"]
[[source]]
kind = "wikidata-query"
countries = ["CN"]
kinds = ["company"]
industry = "Q11660"
founders = true
"""


@pytest.fixture
def built(realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, list[str]]:
    recipe = tmp_path / "recipe.toml"
    recipe.write_text(RECIPE, encoding="utf-8")
    out = tmp_path / "out"
    with ror_mirror(realdata) as (ror_url, ror_log), sparql_mirror(ROWS) as (sparql_url, queries):
        monkeypatch.setenv("AIECO_ROR_URL", ror_url)
        monkeypatch.setenv("AIECO_WIKIDATA_SPARQL_URL", sparql_url)
        result = runner.invoke(app, ["build", str(recipe), "--out", str(out), "--cache", str(tmp_path / "c")])
        assert result.exit_code == 0, result.stderr
        asked = [p for p, _ in ror_log] + queries
    return recipe, out, asked


def test_api_sources_are_asked_and_kept(built: tuple[Path, Path, list[str]]) -> None:
    _, out, asked = built
    assert asked[:2] == ["/v2/organizations/04s6fbg51", "/v2/organizations/01hvx5h04"]  # and its parent
    assert "wd:Q11660" in asked[2]
    assert "?founder" in asked[2]
    lock = json.loads((out / "aieco.lock").read_text(encoding="utf-8"))
    ror, wikidata = lock["sources"]
    assert ror["files"][0]["path"] == "source-1-ror-api.json"
    assert ror["asked"].endswith("/v2/organizations/04s6fbg51")
    assert wikidata["options"]["industry"] == "Q11660"
    assert "query=" in wikidata["asked"]
    assert (out / "source-1-ror-api.json").is_file()
    assert (out / "source-2-wikidata-query.json").is_file()
    entities = (out / "entities.csv").read_text(encoding="utf-8")
    assert "ror-01hvx5h04" in entities
    assert "wikidata-q90051" in entities
    relations = (out / "relations.csv").read_text(encoding="utf-8")
    assert "wikidata-q90051,FOUNDED,wikidata-q90050" in relations.replace('"', "")


@pytest.mark.seconds
def test_the_lock_rebuilds_from_the_kept_answers_with_the_services_gone(
    built: tuple[Path, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe, out, _ = built
    monkeypatch.setenv("AIECO_ROR_URL", "http://127.0.0.1:9/v2")  # nothing listens there
    monkeypatch.setenv("AIECO_WIKIDATA_SPARQL_URL", "http://127.0.0.1:9/sparql")
    again = tmp_path / "again"
    args = ["build", str(recipe), "--out", str(again), "--lock", str(out / "aieco.lock")]
    result = runner.invoke(app, [*args, "--cache", str(tmp_path / "none")])
    assert result.exit_code == 0, result.stderr
    for name in (*TABLES, "aieco.lock", "source-1-ror-api.json", "source-2-wikidata-query.json"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.seconds
def test_a_changed_answer_is_refused(built: tuple[Path, Path, list[str]], tmp_path: Path) -> None:
    recipe, out, _ = built
    kept = out / "source-2-wikidata-query.json"
    kept.write_text(
        kept.read_text(encoding="utf-8").replace("Example Voice Co", "Other Co"), encoding="utf-8"
    )
    args = ["build", str(recipe), "--out", str(tmp_path / "x"), "--lock", str(out / "aieco.lock")]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "source-2-wikidata-query.json" in result.stderr
    assert "changed since the lock" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[source]]\nkind = "ror-api"\npaths = ["a"]\nquery = "x"\n', "takes no paths"),
        ('[[source]]\nkind = "wikidata-query"\n', "needs countries"),
        ('[[source]]\nkind = "ror"\n', "needs paths"),
    ],
)
def test_a_source_in_the_wrong_shape_is_one_line(text: str, words: str, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text('name = "x"\n' + text, encoding="utf-8")
    result = runner.invoke(app, ["build", str(recipe), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert words in result.stderr
    assert "Traceback" not in result.stderr
