"""`aieco viz` and `aieco demo` from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aieco.cli import app

runner = CliRunner()


def _page_nodes(path: Path) -> list[dict[str, object]]:
    text = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="aieco-data">(.*?)</script>', text, re.S)
    assert match is not None
    nodes: list[dict[str, object]] = json.loads(match.group(1))["nodes"]
    return nodes


def test_viz_city_by_traditional_name(tmp_path: Path) -> None:
    out = tmp_path / "sz.html"
    result = runner.invoke(app, ["viz", "city", "--city", "深圳", "--depth", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ids = {n["id"] for n in _page_nodes(out)}
    assert "shenzhen" in ids
    assert "tencent" in ids  # headquartered in Shenzhen (seed 000)


def test_viz_city_needs_a_city(tmp_path: Path) -> None:
    result = runner.invoke(app, ["viz", "city", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()


def test_viz_unknown_city_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["viz", "city", "--city", "Atlantis", "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "Atlantis" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.mark.slow
def test_viz_degrades_a_big_synthetic_graph(tmp_path: Path) -> None:
    out = tmp_path / "big.html"
    result = runner.invoke(
        app, ["viz", "overview", "--synthetic", "2000", "--max-nodes", "150", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(_page_nodes(out)) == 150
    assert "150 most central" in result.stderr
    assert "150 most central" in out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_demo_writes_every_view_and_a_dashboard(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path), "--no-report"])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert len(set(links)) == 6
    for link in links:
        assert (tmp_path / link).is_file(), link
    for thumb in re.findall(r'src="([^"]+)"', index):
        assert (tmp_path / thumb).read_bytes()[:4] == b"\x89PNG"


def test_viz_as_of_a_year(tmp_path: Path) -> None:
    out = tmp_path / "then.html"
    result = runner.invoke(app, ["viz", "plans", "--as-of", "2017", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "The ecosystem as of 2017" in html
    # the Anhui plan of 2018 is not drawn in 2017
    assert '"id": "anhui-ngai-plan"' not in html
    assert '"id": "guangdong-ai-plan"' in html  # a 2025 target with no start year: always drawn


@pytest.mark.seconds
def test_viz_sankey_of_an_openalex_pull(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "openalex-snapshot"
    pulled = runner.invoke(app, ["openalex", "snapshot", str(example), "--out", str(tmp_path / "pull")])
    assert pulled.exit_code == 0, pulled.output
    out = tmp_path / "s.html"
    args = ["viz", "sankey", "--data", str(tmp_path / "pull"), "--level", "Country", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    # China → US: A1 and A5 (not AI) Tsinghua → Stanford, A2 SJTU → Google, all 2019; A2 back in 2021
    assert re.findall(r'data-from="(\w+)" data-to="(\w+)" data-count="([\d.]+)"', text) == [
        ("china", "usa", "3.0"),
        ("usa", "china", "1.0"),
    ]
    assert "2 corridors · 4 researchers" in result.stdout


@pytest.mark.slow
def test_viz_overview_above_5000_is_grouped_with_the_full_view_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "big.html"
    result = runner.invoke(
        app, ["viz", "overview", "--synthetic", "5200", "--max-nodes", "300", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    full = tmp_path / "big-full.html"
    assert len(_page_nodes(full)) == 300
    grouped = _page_nodes(out)
    assert len(grouped) < 5200
    assert 'href="big-full.html"' in out.read_text(encoding="utf-8")
