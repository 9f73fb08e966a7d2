"""The Wikidata loader: statement ranks, labels by script, headquarters and parents, SPARQL
results, on hand-made entities in Wikidata's JSON shape, and on real entity JSON (dump lines,
Special:EntityData files, a wbgetentities answer, SPARQL results) read in place."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.loaders.wikidata import best, pull_wikidata, wikidata_institution
from tests.unit.clicheck import one_line_failure

runner = CliRunner()


def statement(value: Any, rank: str = "normal", snaktype: str = "value") -> dict[str, Any]:
    snak: dict[str, Any] = {"snaktype": snaktype}
    if snaktype == "value":
        snak["datavalue"] = {"value": value}
    return {"type": "statement", "rank": rank, "mainsnak": snak, "qualifiers": {"P580": []}}


def item(qid: str) -> dict[str, Any]:
    return {"entity-type": "item", "id": qid}


def entity(
    qid: str, labels: dict[str, str], claims: dict[str, list[dict[str, Any]]], **extra: Any
) -> dict[str, Any]:
    return {
        "type": "item",
        "id": qid,
        "labels": {k: {"language": k, "value": v} for k, v in labels.items()},
        "claims": claims,
        **extra,
    }


# hand-made items (ids chosen for the test, not real Wikidata ids)
CHINA = entity("Q90001", {"en": "China", "zh-hans": "中国"}, {"P297": [statement("CN")]})
ELSEWHERE = entity("Q90002", {"en": "Elsewhere"}, {"P297": [statement("XX")]})
HEFEI = entity(
    "Q90003",
    {"en": "Hefei", "zh-hans": "合肥"},
    {"P1566": [statement("1808722")], "P17": [statement(item("Q90001"))]},
)
IFLYTEK = entity(
    "Q90010",
    {"en": "iFLYTEK", "zh-hans": "科大讯飞", "zh-hant": "科大訊飛", "ja": "アイフライテック"},
    {
        "P31": [statement(item("Q891723"))],  # public company
        "P159": [statement(item("Q90003"))],
        "P17": [statement(item("Q90002"), rank="deprecated"), statement(item("Q90001"))],
        "P571": [statement({"time": "+1999-12-30T00:00:00Z", "precision": 11})],
        "P112": [statement(None, snaktype="novalue")],
    },
)
LAB = entity(
    "Q90011",
    {"en": "Example Speech Lab"},
    {
        "P31": [statement(item("Q31855"))],  # research institute
        "P159": [statement(item("Q90003"))],
        "P749": [statement(item("Q90010"))],
        "P6782": [statement("00example1")],
    },
    aliases={"en": [{"language": "en", "value": "ESL"}]},
)
PERSON = entity("Q90020", {"en": "Someone"}, {"P31": [statement(item("Q5"))]})


def _write(folder: Path, entities: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "dump.json"  # the dump's layout: "[", one entity a line with a comma, "]"
    dump.write_text(
        "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n]\n", encoding="utf-8"
    )
    return dump


def test_best_statements_follow_the_ranks() -> None:
    claims = IFLYTEK["claims"]
    assert best(claims, "P17") == [item("Q90001")]  # the deprecated one is not used
    assert best(claims, "P112") == []  # novalue is no value
    preferred = {"P1": [statement("a"), statement("b", rank="preferred")]}
    assert best(preferred, "P1") == ["b"]


def test_an_organisation_with_its_headquarters_and_names() -> None:
    known = {e["id"]: e for e in (CHINA, HEFEI, IFLYTEK)}
    inst = wikidata_institution(IFLYTEK, known)
    assert inst is not None
    assert (inst.id, inst.kind, inst.country_code, inst.city, inst.geonames_city_id, inst.year) == (
        "Q90010",
        "company",
        "CN",
        "Hefei",
        "1808722",
        1999,
    )
    assert inst.names == {
        "name_zh_hans": "科大讯飞",
        "name_zh_hant": "科大訊飛",
        "name_ja": "アイフライテック",
    }
    assert wikidata_institution(PERSON, known) is None


def test_a_pull_merges_into_bundled_entities_and_links_parents(tmp_path: Path) -> None:
    dump = _write(tmp_path / "in", [CHINA, ELSEWHERE, HEFEI, IFLYTEK, LAB, PERSON, {**IFLYTEK}])
    pull = pull_wikidata([dump])
    G = pull.graph.G
    assert G.nodes["iflytek"]["year"] == 1999  # inception, on the pull's row of the bundled entity
    assert ("iflytek", "hefei") in {(u, v) for u, v, t in G.edges(data="type") if t == "HEADQUARTERED_IN"}
    lab = "wikidata-q90011"
    assert G.nodes[lab]["type"] == "ResearchLab"
    assert G.nodes[lab]["ror"] == "https://ror.org/00example1"
    assert (lab, "iflytek") in {(u, v) for u, v, t in G.edges(data="type") if t == "PART_OF"}
    assert (lab, "hefei") in {(u, v) for u, v, t in G.edges(data="type") if t == "LOCATED_IN"}
    assert pull.read["entities"] == 7
    assert pull.read["organisations"] == 2
    assert pull.dropped["entity read again (a redirect or a repeat)"] == 1
    assert pull.dropped["not an organisation aieco types (P31)"] == 4  # China, Elsewhere, Hefei, a person
    assert any(m.bundled == "iflytek" for m in pull.merges)


def test_sparql_results_read_like_entities(tmp_path: Path) -> None:
    def uri(q: str) -> dict[str, str]:
        return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}

    def lit(v: str, lang: str | None = None) -> dict[str, str]:
        return {"type": "literal", "value": v, **({"xml:lang": lang} if lang else {})}

    row = {
        "item": uri("Q90010"),
        "itemLabel": lit("iFLYTEK", "en"),
        "class": uri("Q891723"),
        "country": uri("Q90001"),
        "countryLabel": lit("China", "en"),
        "countryCode": lit("CN"),
        "hq": uri("Q90003"),
        "hqLabel": lit("Hefei", "en"),
        "hqGeonames": lit("1808722"),
        "inception": lit("1999-12-30T00:00:00Z"),
    }
    results = {
        "head": {"vars": list(row)},
        "results": {"bindings": [row, {**row, "itemLabel": lit("科大讯飞", "zh-hans")}]},
    }
    path = tmp_path / "query.json"
    path.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    pull = pull_wikidata([path])
    assert pull.read["organisations"] == 1
    assert ("iflytek", "hefei") in {
        (u, v) for u, v, t in pull.graph.G.edges(data="type") if t == "HEADQUARTERED_IN"
    }


def test_the_cli_writes_tables_that_load(tmp_path: Path) -> None:
    dump = _write(tmp_path / "in", [CHINA, HEFEI, IFLYTEK, LAB])
    out = tmp_path / "out"
    result = runner.invoke(app, ["wikidata", "build", str(dump), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    with (out / "entities.csv").open(encoding="utf-8") as fh:
        assert "wikidata-q90011" in {r["id"] for r in csv.DictReader(fh)}
    assert runner.invoke(app, ["load", str(out), "--with-bundled"]).exit_code == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[1, 2]", "must be a JSON object"),
        ('{"a": 1}', "not Wikidata entity JSON"),
        ('{"entities": 3}', "'entities' must be an object"),
        ("{", "not JSON"),
    ],
)
def test_bad_files_are_one_line(text: str, words: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    line = one_line_failure(
        runner.invoke(app, ["wikidata", "build", str(path), "--out", str(tmp_path / "o")])
    )
    assert "bad.json" in line
    assert words in line


# ---- real entity JSON, read in place -------------------------------------------------------
def _real(realdata: Path) -> Path:
    return realdata / "wikidata" / "raw"


def test_real_statements_by_rank(realdata: Path) -> None:
    lines = (
        _real(realdata) / "maxlath__wikibase-dump-filter/tests/fixtures/entities.subset-9-of-49.jsonl"
    ).read_text(encoding="utf-8")
    dump = {
        e["id"]: e
        for e in (json.loads(x.rstrip(",")) for x in lines.splitlines() if x.strip() not in ("", "[", "]"))
    }
    # read by hand in the file: Berlin's country is Germany (preferred) among 8 historical ones;
    # London's headquarters statement Q1093950 is the preferred one of four
    assert best(dump["Q64"]["claims"], "P17") == [{"entity-type": "item", "numeric-id": 183, "id": "Q183"}]
    assert [v["id"] for v in best(dump["Q84"]["claims"], "P159")] == ["Q1093950"]
    hong_kong = json.loads(
        (_real(realdata) / "dahlia__wikidata/tests/fixtures/entities/Q8646.json").read_text()
    )
    hk = hong_kong["entities"]["Q8646"] if "entities" in hong_kong else hong_kong
    # inception: 1997-07-01 is preferred, 1841 normal
    assert [v["time"][:5] for v in best(hk["claims"], "P571")] == ["+1997"]
    bielefeld = json.loads((_real(realdata) / "maxlath__wikibase-sdk/tests/data/Q2112.json").read_text())
    classes = [v["id"] for v in best(bielefeld["claims"], "P31")]
    assert "Q1964689" not in classes  # deprecated
    assert len(classes) == 5


def test_every_real_file_reads_and_nothing_is_guessed(realdata: Path, tmp_path: Path) -> None:
    pull = pull_wikidata([_real(realdata)], with_bundled=False)
    assert pull.read["entities"] >= 15
    # places and a person, no organisation: nothing typed by guess, every item counted
    assert pull.read["organisations"] == 0
    assert (
        pull.dropped["not an organisation aieco types (P31)"]
        + pull.dropped.get("entity read again (a redirect or a repeat)", 0)
        == pull.read["entities"]
    )


# ---- the SPARQL path, against a loopback endpoint answering in the standard JSON results format ---
def test_the_query_service_is_paged_cached_and_read_like_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.server
    import threading
    from urllib.parse import parse_qs, urlparse

    import aieco.loaders.wikidata_sparql as sparql

    monkeypatch.setattr(sparql, "PAGE", 2)
    seen: list[tuple[str, str, str]] = []

    def uri(q: str) -> dict[str, str]:
        return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}

    rows = [
        {
            "item": uri(f"Q9010{i}"),
            "itemLabel": {"type": "literal", "xml:lang": "en", "value": name},
            "class": uri("Q891723"),
            "country": uri("Q90001"),
            "countryCode": {"type": "literal", "value": "CN"},
            "hq": uri("Q90003"),
            "hqLabel": {"type": "literal", "xml:lang": "en", "value": "Hefei"},
            "hqGeonames": {"type": "literal", "value": "1808722"},
        }
        for i, name in enumerate(["iFLYTEK", "Example Voice Co", "Example Vision Co"])
    ]

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)["query"][0]
            seen.append((query.rsplit("\n", 1)[-1], self.headers["User-Agent"], self.headers["Accept"]))
            offset = int(query.rsplit("OFFSET ", 1)[-1])
            body = json.dumps(
                {"head": {"vars": list(rows[0])}, "results": {"bindings": rows[offset : offset + 2]}}
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body.encode())

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    monkeypatch.setenv("AIECO_WIKIDATA_SPARQL_URL", f"http://127.0.0.1:{server.server_address[1]}/sparql")
    try:
        out = tmp_path / "out"
        args = ["wikidata", "query", "--country", "CN", "--kind", "company", "--cache", str(tmp_path / "c")]
        result = runner.invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.stderr
        assert [s[0] for s in seen] == [
            "LIMIT 2 OFFSET 0",
            "LIMIT 2 OFFSET 2",
        ]  # paged, stops at a short page
        assert seen[0][1].startswith("aieco/")  # the user-agent policy: who is asking
        assert seen[0][2] == "application/sparql-results+json"
        with (out / "entities.csv").open(encoding="utf-8") as fh:
            made = {r["id"] for r in csv.DictReader(fh)}
        assert {"iflytek", "wikidata-q90101", "wikidata-q90102", "hefei"} <= made
        again = runner.invoke(app, [*args, "--out", str(tmp_path / "again")])
        assert again.exit_code == 0, again.stderr
        assert len(seen) == 2  # the second run is answered from the cache
    finally:
        server.shutdown()
        server.server_close()


def test_headquarters_outside_geonames_take_wikidata_coordinates(tmp_path: Path) -> None:
    def coordinate(lat: float, lon: float, globe: str = "Q2") -> dict[str, Any]:
        return {"latitude": lat, "longitude": lon, "globe": f"http://www.wikidata.org/entity/{globe}"}

    town = entity(
        "Q90004",
        {"en": "Example Town"},
        {
            "P1566": [statement("99999991")],  # not in GeoNames cities15000
            "P17": [statement(item("Q90001"))],
            "P625": [
                statement(coordinate(10.0, 10.0), rank="deprecated"),
                statement(coordinate(31.5, 117.25)),
            ],
        },
    )
    moon = entity("Q90005", {"en": "Moon Base"}, {"P625": [statement(coordinate(1.0, 2.0, globe="Q405"))]})
    company = entity(
        "Q90012",
        {"en": "Example Robotics"},
        {"P31": [statement(item("Q783794"))], "P159": [statement(item("Q90004"))]},
    )
    lunar = entity(
        "Q90013",
        {"en": "Lunar Example Co"},
        {"P31": [statement(item("Q783794"))], "P159": [statement(item("Q90005"))]},
    )
    pull = pull_wikidata([_write(tmp_path, [CHINA, town, moon, company, lunar])], with_bundled=False)
    G = pull.graph.G
    city = G.nodes["geonames-99999991"]
    assert (city["lat"], city["lon"]) == (31.5, 117.25)  # the normal statement, not the deprecated one
    assert city["coord_ref"] == "https://www.wikidata.org/wiki/Q90004 (P625)"
    assert city["coord_source"] in G  # the pull's own Source row
    moon_city = next(v for u, v, t in G.edges("wikidata-q90013", data="type") if t == "HEADQUARTERED_IN")
    assert "lat" not in G.nodes[moon_city]  # coordinates on another globe are not places on Earth
