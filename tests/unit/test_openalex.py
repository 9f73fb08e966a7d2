"""OpenAlex: the flow rule on careers known by hand, the snapshot and API inputs on the same
fixture records, filters, merges with the bundled data across scripts, and bad records."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import aieco
from aieco.cli import app
from aieco.errors import DataValidationError, InvalidArgumentError
from aieco.loaders.openalex import (
    OpenAlexFilters,
    check_filter,
    pull_openalex_api,
    pull_openalex_snapshot,
)
from aieco.loaders.openalex_model import Career, Institution
from aieco.loaders.resolve import Resolver
from tests.openalex_fixture import write_snapshot
from tests.openalex_mirror import serve

runner = CliRunner()
AI = OpenAlexFilters(ai_only=True)
TSINGHUA, STANFORD, MSRA = "openalex-i99065089", "stanford", "openalex-i4210113369"


def flows(pull: Any) -> set[tuple[str, str, int, int]]:
    return {
        (u, v, int(d["count"]), int(d["year"]))
        for u, v, d in pull.graph.G.edges(data=True)
        if d["type"] == "TALENT_FLOW"
    }


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("openalex"))


# ---- the rule, by hand -----------------------------------------------------------------
def test_a_move_a_return_and_a_gap() -> None:
    career = Career.from_affiliations([("X", [2010, 2011]), ("Y", [2012]), ("X", [2015])])
    assert career.moves() == [("X", "Y", 2012), ("Y", "X", 2015)]  # 2013–14 without affiliation


def test_a_joint_appointment_is_no_move_but_dropping_one_is_none_either() -> None:
    career = Career.from_affiliations([("X", [2010, 2011, 2012]), ("Y", [2011, 2012, 2013])])
    assert career.moves() == []  # Y added in 2011, X dropped in 2013: nobody was joined then
    stayed, left = career.stays_and_departures()
    assert stayed == [("X", 2011), ("X", 2012), ("Y", 2012), ("Y", 2013)]
    assert left == [("X", 2013)]


def test_leaving_two_for_one_is_one_move_per_corridor_and_one_between_places() -> None:
    career = Career.from_affiliations([("X1", [2010]), ("X2", [2010]), ("Y", [2011])])
    assert career.moves() == [("X1", "Y", 2011), ("X2", "Y", 2011)]
    city = {"X1": "A", "X2": "A", "Y": "B"}
    assert career.at(city.get).moves() == [("A", "B", 2011)]  # one researcher, one corridor
    assert Career.from_affiliations([("X1", [2010]), ("X2", [2011])]).at(city.get).moves() == []  # inside A


# ---- the snapshot fixture, at three levels ------------------------------------------------
def test_institution_level_flows(snapshot: Path) -> None:
    pull = pull_openalex_snapshot(snapshot, filters=AI)
    # A1 Tsinghua→Stanford 2019; A2 SJTU→Google 2019 and back 2021 (2020 without affiliation);
    # A3's joint appointment moves nothing; A4 leaves iFLYTEK for SJTU in 2020 (Tsinghua was dropped
    # in 2019 without anyone joined); A5 is not AI; A6 leaves an institution of a type aieco cannot
    # type (a "spaceport" without a telling name), so the flow starts at its city; A7 goes from
    # Tsinghua to Microsoft Research Asia in 2020
    assert flows(pull) == {
        ("beijing", TSINGHUA, 1, 2018),
        (TSINGHUA, STANFORD, 1, 2019),
        ("sjtu", "google", 1, 2019),
        ("google", "sjtu", 1, 2021),
        ("iflytek", "sjtu", 1, 2020),
        (TSINGHUA, MSRA, 1, 2020),
    }
    assert pull.read["authors kept"] == 6
    part_of = {(u, v) for u, v, d in pull.graph.G.edges(data=True) if d["type"] == "PART_OF"}
    assert part_of == {(MSRA, "microsoft")}  # MSRA's lineage; Microsoft is a bundled company
    assert pull.dropped["institution aieco cannot type (flows end at its place)"] == 1


def test_country_and_city_level_flows(snapshot: Path) -> None:
    country = pull_openalex_snapshot(snapshot, filters=AI, level="Country")
    assert flows(country) == {("china", "usa", 2, 2019), ("usa", "china", 1, 2021)}  # A1 and A2; A2 back
    city = pull_openalex_snapshot(snapshot, filters=AI, level="City")
    assert flows(city) == {
        ("beijing", "geonames-5398563", 1, 2019),  # Beijing → Stanford, CA (not a bundled city)
        ("shanghai", "geonames-5375480", 1, 2019),  # Shanghai → Mountain View
        ("geonames-5375480", "shanghai", 1, 2021),
        ("hefei", "shanghai", 1, 2020),
    }
    mountain_view = city.graph.G.nodes["geonames-5375480"]
    assert (round(mountain_view["lat"], 2), mountain_view["coord_source"]) == (37.39, "geonames-cities15000")
    assert mountain_view["coord_ref"] == "https://www.geonames.org/5375480 (Mountain View)"
    assert "lat" not in city.graph.G.nodes["geonames-5398563"]  # Stanford, CA is not in cities15000


@pytest.mark.seconds
def test_filters_change_what_counts(snapshot: Path) -> None:
    everything = pull_openalex_snapshot(snapshot)
    assert (TSINGHUA, STANFORD, 2, 2019) in flows(everything)  # A5 (not AI) joins A1
    us = pull_openalex_snapshot(snapshot, filters=OpenAlexFilters(countries=("US",), ai_only=True))
    assert ("iflytek", "sjtu", 1, 2020) not in flows(us)  # A4 never had a US affiliation
    assert (TSINGHUA, MSRA, 1, 2020) not in flows(us)  # nor had A7
    early = pull_openalex_snapshot(snapshot, filters=OpenAlexFilters(to_year=2019, ai_only=True))
    assert flows(early) == {
        ("beijing", TSINGHUA, 1, 2018),
        (TSINGHUA, STANFORD, 1, 2019),
        ("sjtu", "google", 1, 2019),
    }


def test_collaborations_and_works_counts(snapshot: Path) -> None:
    G = pull_openalex_snapshot(snapshot, filters=AI).graph.G
    collab = {
        (u, v, int(d["count"]), d["year"])
        for u, v, d in G.edges(data=True)
        if d["type"] == "COLLABORATES_WITH"
    }
    # W1 Tsinghua+Stanford, W2 Tsinghua+iFLYTEK+Stanford (2020); W3 one institution; W4 not AI
    assert collab == {
        (TSINGHUA, STANFORD, 2, 2020),
        ("iflytek", TSINGHUA, 1, 2020),
        ("iflytek", STANFORD, 1, 2020),
    }
    works = {
        (a["subject"], a["year"]): a["value"]
        for _, a in G.nodes(data=True)
        if a.get("indicator") == "openalex_works"
    }
    assert works[(TSINGHUA, 2020)] == 2
    assert works[("beijing", 2020)] == 2  # two distinct works, though both have two Beijing-less partners
    assert works[("sjtu", 2021)] == 1
    assert ("google", 2019) not in works


def test_every_row_cites_the_pull(snapshot: Path) -> None:
    G = pull_openalex_snapshot(snapshot, filters=AI).graph.G
    pulls = [n for n, a in G.nodes(data=True) if a["type"] == "Source" and n.startswith("openalex-")]
    assert len(pulls) == 1
    src = G.nodes[pulls[0]]
    assert src["url"].startswith("file://")
    assert "6 authors kept" in src["note"]
    assert {a.get("source") for _, a in G.nodes(data=True) if a["type"] != "Source"} <= {pulls[0]}
    assert {a["source"] for *_, a in G.edges(data=True) if a["type"] not in ("ABOUT", "RELATIVE_TO")} == {
        pulls[0]
    }


# ---- merges ----------------------------------------------------------------------------
def test_merges_with_the_bundled_data_across_scripts(snapshot: Path) -> None:
    pull = pull_openalex_snapshot(snapshot, filters=AI)
    by = {m.bundled: m.by for m in pull.merges}
    assert by["iflytek"] == "name 'iFLYTEK'"  # OpenAlex says "iFLYTEK (China)": without its country
    assert by["sjtu"] == "name 'Shanghai Jiao Tong University'"
    assert by["hefei"] == "GeoNames id"
    assert by["china"] == "name 'China'"
    assert TSINGHUA in pull.graph.G  # not bundled: a new entity
    eg = aieco.graph_from_bundled()
    resolver = Resolver(eg)
    found = resolver.institution(
        Institution(id="I1", name="Université Tongji", kind="education", names={"name_zh_hans": "同济大学"})
    )
    assert found == ("tongji", "name '同济大学'")


def test_tables_load_alone_and_on_top_of_the_bundled_data(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "t"
    result = runner.invoke(app, ["openalex", "snapshot", str(snapshot), "--ai", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    alone = aieco.graph_from_files([out])
    both = aieco.graph_from_bundled(extra=[out])
    bundled = aieco.graph_from_bundled()
    assert both.number_of_entities() == bundled.number_of_entities() + len(
        [n for n in alone.entity_ids() if n not in bundled.G]
    )
    assert both.G.nodes["iflytek"]["name_en"] == "iFlytek"  # the bundled fields win
    assert both.G.nodes["iflytek"]["openalex_id"] == "https://openalex.org/I4210154640"  # new fields join
    listed = runner.invoke(app, ["query", "run", "talent_flows", "--data", str(out), "-f", "json"])
    rows = json.loads(listed.stdout)
    assert len(rows) == 6
    assert all(r["source"].startswith("openalex-") for r in rows)
    assert "iflytek" in (out / "merges.tsv").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_talent_view_draws_counts_between_countries(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "t"
    assert (
        runner.invoke(app, ["openalex", "snapshot", str(snapshot), "--ai", "--out", str(out)]).exit_code == 0
    )
    page = tmp_path / "talent.html"
    args = ["viz", "talent", "--data", str(out), "--with-bundled", "--level", "Country", "--out", str(page)]
    assert runner.invoke(app, args).exit_code == 0
    text = page.read_text(encoding="utf-8")
    payload = json.loads(text.split('id="aieco-data">', 1)[1].split("</script>", 1)[0])
    labels = Counter((e["from"], e["to"], e.get("label")) for e in payload["edges"])
    assert labels[("china", "usa", "2")] == 1  # 2 researchers (OpenAlex)
    assert labels[("china", "usa", "33%")] == 1  # and seed 004's third, drawn beside it
    assert labels[("usa", "china", "1")] == 1


# ---- bad records -----------------------------------------------------------------------
def test_a_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    root = write_snapshot(tmp_path, extra_lines={"authors": ['{"id": "https://openalex.org/A1", oops']})
    with pytest.raises(DataValidationError) as info:
        pull_openalex_snapshot(root)
    problem = info.value.problems[0]
    assert problem.file.endswith("authors/updated_date=2026-11-01/part_000.gz")
    assert problem.row == 8  # seven fixture authors, then the bad line


def test_an_institution_without_a_name_is_an_error(tmp_path: Path) -> None:
    root = write_snapshot(
        tmp_path, extra_lines={"institutions": ['{"id": "https://openalex.org/I5", "type": "education"}']}
    )
    with pytest.raises(DataValidationError, match="display_name"):
        pull_openalex_snapshot(root)


def test_an_institution_without_geo_is_kept_unplaced(tmp_path: Path) -> None:
    nomad = {
        "id": "https://openalex.org/A7",
        "display_name": "Researcher Seven",
        "affiliations": [
            {
                "institution": {"id": "https://openalex.org/I4200000002", "country_code": None},
                "years": [2019],
            },
            {"institution": {"id": "https://openalex.org/I99065089", "country_code": "CN"}, "years": [2020]},
        ],
    }
    root = write_snapshot(tmp_path, extra_lines={"authors": [json.dumps(nomad)]})
    G = pull_openalex_snapshot(root).graph.G
    assert ("openalex-i4200000002", TSINGHUA) in {
        (u, v) for u, v, d in G.edges(data=True) if d["type"] == "TALENT_FLOW"
    }
    assert not [v for _, v, d in G.out_edges("openalex-i4200000002", data=True) if d["type"] == "LOCATED_IN"]


def test_a_corrupt_gzip_is_one_error(tmp_path: Path) -> None:
    root = write_snapshot(tmp_path)
    (root / "data" / "works" / "updated_date=2026-11-01" / "part_000.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataValidationError, match="cannot read gzip JSON Lines"):
        pull_openalex_snapshot(root)


def test_the_committed_example_is_the_fixture(snapshot: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "openalex-snapshot" / "data"
    for entity in ("institutions", "authors", "works"):
        mine = gzip.decompress((example / entity / "updated_date=2026-11-01" / "part_000.gz").read_bytes())
        fixture = gzip.decompress(
            (snapshot / "data" / entity / "updated_date=2026-11-01" / "part_000.gz").read_bytes()
        )
        assert mine == fixture


# ---- the API, against a loopback mirror --------------------------------
def test_filter_strings() -> None:
    assert check_filter("a.b:1,c:x|y") == "a.b:1,c:x|y"
    with pytest.raises(InvalidArgumentError, match="not key:value"):
        check_filter("a.b:1,oops")


@pytest.mark.seconds
def test_the_api_gives_the_snapshots_answer_and_a_rerun_costs_nothing(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(tmp_path) as (url, cert, mirror):
        monkeypatch.setenv("AIECO_OPENALEX_URL", url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        monkeypatch.setenv("OPENALEX_MAILTO", "analyst@example.org")
        first = pull_openalex_api(filters=AI, cache_dir=tmp_path / "cache")
        sent = list(mirror.requests)
        again = pull_openalex_api(filters=AI, cache_dir=tmp_path / "cache")
        assert mirror.requests == sent  # the re-run was served from the cache
    from_snapshot = pull_openalex_snapshot(snapshot, filters=AI)
    assert flows(first) == flows(from_snapshot) == flows(again)
    assert sent[0] == sent[1]  # the 429 was retried
    assert sum(r.startswith("/authors") for r in sent) == 5  # 7 authors, 2 a page, plus the retried first
    # MSRA's parent is fetched in a second batch, by the same filter
    assert sum(r.startswith("/institutions?") and "filter=openalex%3A" in r for r in sent) >= 2
    assert any("I1290206253" in r for r in sent if r.startswith("/institutions?"))
    src = next(
        a for n, a in first.graph.G.nodes(data=True) if a["type"] == "Source" and n.startswith("openalex-")
    )
    assert src["url"].startswith(url + "/authors")


@pytest.mark.seconds
def test_the_geographic_view_draws_flows_between_located_cities(snapshot: Path, tmp_path: Path) -> None:
    from aieco.viz import build_view

    pull = pull_openalex_snapshot(snapshot, filters=AI, level="City")
    pull.write(tmp_path / "t")
    net = build_view(aieco.graph_from_bundled(extra=[tmp_path / "t"]), "geo")
    # the flow map: one arrow a corridor and year, between the two cities' own positions
    flows_drawn = {(f["from"], f["to"], f.get("count")) for f in net.extras["flows"]}
    assert ("hefei", "shanghai", 1.0) in flows_drawn  # both cities have GeoNames coordinates
    assert {f["all"] for f in net.extras["flows"]} == {True, False}  # every year, and each year
    at = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    hefei = next(f for f in net.extras["flows"] if f["from"] == "hefei")
    assert (hefei["x0"], hefei["y0"]) == at["hefei"]
    assert (hefei["x1"], hefei["y1"]) == at["shanghai"]
    assert not [e for e in net.edges if e.get("type") == "TALENT_FLOW"]  # not drawn twice


def test_researchers_are_people_only_when_asked(snapshot: Path) -> None:
    plain = pull_openalex_snapshot(snapshot, filters=AI).graph.G
    assert not [n for n, t in plain.nodes(data="type") if t == "Person"]
    G = pull_openalex_snapshot(snapshot, filters=AI, with_people=True).graph.G
    assert len([n for n, t in G.nodes(data="type") if t == "Person"]) == 6  # the AI authors
    works_at = {
        (v, d["period_start"], d["period_end"]) for u, v, d in G.out_edges("openalex-a5000000001", data=True)
    }
    assert works_at == {(TSINGHUA, 2016, 2018), (STANFORD, 2019, 2020)}
