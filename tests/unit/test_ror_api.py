"""The ROR API path against a loopback mirror of ROR's v2 API that answers from the real v2
records of ``../shared/realdata/ror`` (read in place): paging to ``number_of_results``, filters
by type and country, ids, the chain of parents, 404s counted, the Client-Id header, and the
API's rows equal to the rows of the same records read as files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from tests.service_mirrors import ROR, ror_mirror

runner = CliRunner()


@pytest.fixture
def mirror(realdata: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str | None]]]:
    with ror_mirror(realdata) as (url, log):
        monkeypatch.setenv("AIECO_ROR_URL", url)
        yield log


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _query(tmp_path: Path, *args: str, name: str = "out") -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["ror", "query", *args, "--out", str(out), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    return out


def test_a_query_is_paged_to_its_number_of_results(mirror: list[Any], tmp_path: Path) -> None:
    # 59 of the sample's v2 records have "university" in a name and a location in CN; 51 of them
    # are typed education (the others healthcare or facility): 3 pages of 20
    out = _query(tmp_path, "-q", "university", "-c", "CN", "-t", "education", "--no-parents")
    pages = [parse_qs(urlparse(p).query) for p, _ in mirror]
    assert [p["page"] for p in pages] == [["1"], ["2"], ["3"]]
    assert pages[0]["filter"] == ["types:education,locations.geonames_details.country_code:CN"]
    universities = [r for r in _rows(out / "entities.csv") if r["type"] == "University"]
    assert len(universities) == 51
    tsinghua = next(r for r in universities if r["ror"] == "https://ror.org/03cve4549")
    assert (tsinghua["id"], tsinghua["name_zh_hans"]) == ("ror-03cve4549", "清华大学")


def test_parents_are_read_up_the_chain_and_a_404_is_a_counted_skip(
    mirror: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROR_CLIENT_ID", "test-client")
    # 04s6fbg51 Osaka Metropolitan University College of Technology: parent 01hvx5h04
    out = _query(tmp_path, "--id", "https://ror.org/04s6fbg51", "--id", "0000000x0")
    paths = [p for p, _ in mirror]
    assert paths == [
        "/v2/organizations/0000000x0",
        "/v2/organizations/04s6fbg51",
        "/v2/organizations/01hvx5h04",
    ]
    assert {c for _, c in mirror} == {"test-client"}
    links = {(r["from"], r["type"], r["to"]) for r in _rows(out / "relations.csv")}
    assert ("ror-04s6fbg51", "PART_OF", "ror-01hvx5h04") in links
    dropped = (out / "dropped.tsv").read_text(encoding="utf-8")
    assert "id the ROR API does not have (404)" in dropped
    assert "0000000x0" in dropped
    source = _rows(out / "sources.csv")[0]
    assert source["publisher"] == "ROR, CC0 1.0"
    assert "/v2/organizations/04s6fbg51" in source["title"]
    without = _query(tmp_path, "--id", "04s6fbg51", "--no-parents", name="alone")
    assert "PART_OF" not in {r["type"] for r in _rows(without / "relations.csv")}


def test_the_api_gives_the_rows_the_files_give(mirror: list[Any], tmp_path: Path, realdata: Path) -> None:
    ids = ["03vs3wt56", "01e85r662", "04s6fbg51", "01hvx5h04"]  # Baidu, MIT CSAIL, Osaka Met. …
    api = _query(tmp_path, *[a for i in ids for a in ("--id", i)], "--no-parents")
    files = tmp_path / "files"
    paths = [str(next((realdata / ROR).glob(f"v2*/{i}.json"))) for i in ids]
    result = runner.invoke(app, ["ror", "build", *paths, "--out", str(files)])
    assert result.exit_code == 0, result.stderr

    def table(folder: Path, name: str) -> list[dict[str, str]]:
        drop = {"source", "id"} if name == "relations.csv" else {"source"}
        return sorted(({k: v for k, v in r.items() if k not in drop} for r in _rows(folder / name)), key=str)

    for name in ("entities.csv", "relations.csv"):
        assert table(api, name) == table(files, name)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-c", "CN"], "give a query (--query) or ROR ids (--id)"),
        (["-q", "x", "-c", "China"], "two-letter ISO code"),
        (["-q", "x", "-t", "university"], "ROR has no type 'university'"),
    ],
)
def test_a_query_aieco_cannot_ask_is_one_line(args: list[str], words: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ror", "query", *args, "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()
