"""Founders as Persons, only when asked: which founders become a Person (a human item that was
read), which bundled person one is (English and Chinese name both), what is counted instead;
and the SPARQL query's options (subclasses, industry, founders) with founders read back from
results rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from aieco.cli import app
from aieco.loaders.wikidata import pull_wikidata
from aieco.loaders.wikidata_sparql import entities_from_results, sparql_query
from tests.unit.test_wikidata import CHINA, HEFEI, _write, entity, item, statement

runner = CliRunner()
HUMAN = [statement(item("Q5"))]
# hand-made items (ids chosen for the test, not real Wikidata ids)
COMPANY = entity(
    "Q90040",
    {"en": "Example Speech Co", "zh-hans": "示例语音公司"},
    {
        "P31": [statement(item("Q783794"))],
        "P159": [statement(item("Q90003"))],
        "P17": [statement(item("Q90001"))],
        "P112": [
            statement(item("Q90041")),  # Liu Qingfeng, a bundled person: both names agree
            statement(item("Q90042")),  # a human not in the bundled data
            statement(item("Q90043")),  # not among the entities read
            statement(item("Q90044")),  # an organisation, not a human
            statement(item("Q90045")),  # "Wang Bo": the bundled Wang Bo's English name, not his 王波
            statement(item("Q90046"), rank="deprecated"),  # never used
        ],
    },
)
PEOPLE = [
    entity("Q90041", {"en": "Liu Qingfeng", "zh-hans": "刘庆峰"}, {"P31": HUMAN}),
    entity("Q90042", {"en": "Example Founder", "ja": "例の創業者"}, {"P31": HUMAN}),
    entity("Q90044", {"en": "Example Holding"}, {"P31": [statement(item("Q219577"))]}),
    entity("Q90045", {"en": "Wang Bo", "zh-hans": "王博"}, {"P31": HUMAN}),
    entity("Q90046", {"en": "Deprecated Founder"}, {"P31": HUMAN}),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_founders_only_when_asked(tmp_path: Path) -> None:
    dump = _write(tmp_path / "in", [CHINA, HEFEI, COMPANY, *PEOPLE])
    pull = pull_wikidata([dump])
    assert "Person" not in {t for _, t in pull.graph.G.nodes(data="type")}
    assert "founded by" in pull.graph.G.nodes["wikidata-q90040"]["note"]  # named in the note only


def test_founders_become_persons_who_founded_it(tmp_path: Path) -> None:
    dump = _write(tmp_path / "in", [CHINA, HEFEI, COMPANY, *PEOPLE])
    out = tmp_path / "out"
    result = runner.invoke(app, ["wikidata", "build", str(dump), "--founders", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    founded = {(r["from"], r["to"]) for r in _rows(out / "relations.csv") if r["type"] == "FOUNDED"}
    assert founded == {
        ("liu-qingfeng", "wikidata-q90040"),
        ("wikidata-q90042", "wikidata-q90040"),
        ("wikidata-q90045", "wikidata-q90040"),
    }
    people = {r["id"]: r for r in _rows(out / "entities.csv") if r["type"] == "Person"}
    assert people["wikidata-q90042"]["name_ja"] == "例の創業者"
    assert people["wikidata-q90042"]["url"] == "https://www.wikidata.org/wiki/Q90042"
    assert people["wikidata-q90045"]["name_zh_hans"] == "王博"  # not the bundled 王波
    merges = (out / "merges.tsv").read_text(encoding="utf-8")
    assert "liu-qingfeng\tnames 'Liu Qingfeng' and '刘庆峰'" in merges
    assert "wang-bo\tnot merged: only the name 'Wang Bo' matches a bundled person" in merges
    dropped = (out / "dropped.tsv").read_text(encoding="utf-8")
    assert "Q90043 (a founder of Q90040)" in dropped
    assert "Q90044 (a founder of Q90040)" in dropped
    assert "Q90046" not in dropped  # a deprecated statement is not read at all
    assert runner.invoke(app, ["load", str(out), "--with-bundled"]).exit_code == 0


def test_the_query_options() -> None:
    plain = sparql_query("CN", ["company"], subclasses=False)
    assert "?item wdt:P31 ?class" in plain
    assert "P112" not in plain
    assert "P452" not in plain
    asked = sparql_query("CN", ["company"], industry="Q11660", founders=True)
    assert "?item wdt:P31/wdt:P279* ?class" in asked
    assert "?item wdt:P452 wd:Q11660 ." in asked
    assert "?item wdt:P112 ?founder . ?founder wdt:P31 wd:Q5" in asked
    assert "?founderLabel" in asked


def test_founders_from_query_results(tmp_path: Path) -> None:
    def uri(q: str) -> dict[str, str]:
        return {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"}

    def lit(v: str, lang: str | None = None) -> dict[str, str]:
        return {"type": "literal", "value": v, **({"xml:lang": lang} if lang else {})}

    row: dict[str, Any] = {
        "item": uri("Q90040"),
        "itemLabel": lit("Example Speech Co", "en"),
        "class": uri("Q783794"),
        "country": uri("Q90001"),
        "countryLabel": lit("China", "en"),
        "countryCode": lit("CN"),
    }
    rows = [
        {**row, "founder": uri("Q90042"), "founderLabel": lit("Example Founder", "en")},
        {**row, "founder": uri("Q90047"), "founderLabel": lit("Another Founder", "en")},
    ]
    made = {e["id"]: e for _, _, e in entities_from_results("q", {"results": {"bindings": rows}})}
    assert [c["mainsnak"]["datavalue"]["value"]["id"] for c in made["Q90040"]["claims"]["P112"]] == [
        "Q90042",
        "Q90047",
    ]
    assert made["Q90047"]["labels"]["en"]["value"] == "Another Founder"
    assert made["Q90047"]["claims"]["P31"][0]["mainsnak"]["datavalue"]["value"]["id"] == "Q5"
