"""Exact ids join the sources whichever way they point: a ROR record naming a Wikidata item (the
item not naming the ROR id back), a Wikidata item naming an OpenAlex institution (P10283) and no ROR
id. ROR records read in place from ``../shared/realdata/ror``; Wikidata items
hand-made in Wikidata's JSON shape (Q16955 is the item ROR's Tsinghua record names; its content
here is written for the test); OpenAlex from the hand-made fixture snapshot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from aieco.cli import app
from aieco.loaders.ror import ror_institution
from tests.openalex_fixture import write_snapshot
from tests.service_mirrors import ROR
from tests.unit.test_wikidata import CHINA, _write, entity, item, statement

runner = CliRunner()
TSINGHUA = entity(
    "Q16955",
    {"en": "Tsinghua University", "zh-hans": "清华大学"},
    {"P31": [statement(item("Q3918"))], "P17": [statement(item("Q90001"))]},  # no P6782 (ROR id)
)
MSRA = entity(
    "Q90060",
    {"en": "Microsoft Research Asia"},
    {
        "P31": [statement(item("Q483242"))],
        "P17": [statement(item("Q90001"))],
        "P10283": [statement("I4210113369")],  # the OpenAlex institution; no ROR id (P6782) here
    },
)


def _record(realdata: Path, rid: str) -> dict[str, object]:
    return json.loads(next((realdata / ROR).glob(f"*/{rid}.json")).read_text(encoding="utf-8"))


def test_a_ror_record_names_its_wikidata_item(realdata: Path) -> None:
    # 03vs3wt56 (Baidu): wikidata all ["Q14772"], preferred null — its only item
    assert ror_institution(_record(realdata, "03vs3wt56")).wikidata == "Q14772"
    # 04m24yn62: all ["Q1967618", "Q461382"], preferred "Q1967618" — the preferred one, the others noted
    several = ror_institution(_record(realdata, "04m24yn62"))
    assert several.wikidata == "Q1967618"
    assert "Wikidata ids Q1967618, Q461382 (Q1967618 preferred)" in (several.note or "")


def test_ids_join_across_sources_whichever_way_they_point(realdata: Path, tmp_path: Path) -> None:
    snapshot = write_snapshot(tmp_path / "openalex")
    dump = _write(tmp_path / "wd", [CHINA, TSINGHUA, MSRA])
    recipe = tmp_path / "recipe.toml"
    tsinghua = next((realdata / ROR).glob("*/03cve4549.json"))
    recipe.write_text(
        f'name = "ids"\n[[source]]\nkind = "ror"\npaths = ["{tsinghua}"]\n'
        f'[[source]]\nkind = "openalex-snapshot"\npaths = ["{snapshot}"]\n'
        f'[[source]]\nkind = "wikidata"\npaths = ["{dump}"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(recipe), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    with (out / "entities.csv").open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert "wikidata-q16955" not in rows
    assert "wikidata-q90060" not in rows
    assert rows["ror-03cve4549"]["wikidata_id"] == "https://www.wikidata.org/wiki/Q16955"
    msra = [r for r in rows.values() if r["openalex_id"] == "https://openalex.org/I4210113369"]
    assert [r["id"] for r in msra] == ["openalex-i4210113369"]
    assert msra[0]["wikidata_id"] == "https://www.wikidata.org/wiki/Q90060"
    # OpenAlex types it a company, the item a laboratory: one node, the first source's type, marked
    assert msra[0]["type"] == "Company"
    assert "says ResearchLab" in msra[0]["conflict"]
    merges = (out / "merges.tsv").read_text(encoding="utf-8")
    assert (
        "wikidata\twikidata-q16955\tTsinghua University\tror-03cve4549\tsame ROR/OpenAlex/Wikidata id"
        in merges
    )
    assert "wikidata\twikidata-q90060\tMicrosoft Research Asia\topenalex-i4210113369\t" in merges
