"""Epoch AI's "Data on AI Models" (``../shared/realdata/epoch``: the official zip of 2026-03-30 and a
CSV of 2026-07, read in place): models, developers, figures — rows checked by hand against the
CSV's own cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from aieco.loaders import graph_from_files
from aieco.loaders.epoch import EPOCH_CREDIT, pull_epoch

ZIP = "epoch/raw/georgetown-cset__aixbiodata/data/ai_models.zip"
JULY = "epoch/raw/spragada4__ai-energy-explorer/data/raw/notable_ai_models.csv"


@pytest.fixture(scope="module")
def pull(realdata: Path) -> Any:
    return pull_epoch(realdata / ZIP)


def _developers(G: Any, model: str) -> set[str]:
    return {u for u, _, d in G.in_edges(model, data=True) if d["type"] == "DEVELOPS"}


def _figures(G: Any, model: str) -> dict[str, tuple[float, str, int]]:
    return {
        a["indicator"]: (a["value"], a["unit"], a["year"])
        for _, a in G.nodes(data=True)
        if a.get("type") == "Observation" and a.get("subject") == model
    }


def test_counts_and_the_credit_line(pull: Any) -> None:
    assert pull.read["rows"] == pull.read["models"] == 981  # the notable table of the zip
    G = pull.graph.G
    sources = [a for _, a in G.nodes(data=True) if a["type"] == "Source" and "Epoch AI" in a.get("title", "")]
    assert len(sources) == 1
    assert EPOCH_CREDIT in sources[0]["note"]


def test_k_exaone(pull: Any) -> None:
    # "K-EXAONE" | LG AI Research | Korea (Republic of) | Industry | 2025-12-31 | 236000000000.0 | 1.52e+24
    G = pull.graph.G
    model = G.nodes["epoch-k-exaone"]
    assert (model["type"], model["date"]) == ("AIModel", "2025-12-31")
    assert _developers(G, "epoch-k-exaone") == {"epoch-org-lg-ai-research"}
    assert G.nodes["epoch-org-lg-ai-research"]["type"] == "Company"
    home = [
        v for _, v, d in G.out_edges("epoch-org-lg-ai-research", data=True) if d["type"] == "HEADQUARTERED_IN"
    ]
    assert [G.nodes[h]["name_en"] for h in home] == ["South Korea"]  # "Korea (Republic of)", by ISO code KR
    assert _figures(G, "epoch-k-exaone") == {
        "parameters": (236e9, "parameters", 2025),
        "training_compute": (1.52e24, "FLOP", 2025),
    }


def test_two_developers_in_one_cell(pull: Any) -> None:
    # "GLM-4.6" | Z.ai (Zhipu AI),Tsinghua University | China,China | Industry,Academia | 2025-09-30
    G = pull.graph.G
    developers = _developers(G, "epoch-glm-4-6")
    assert len(developers) == 2
    kinds = sorted(G.nodes[d]["type"] for d in developers)
    assert kinds == ["Company", "University"]
    names = {G.nodes[d]["name_en"] for d in developers}
    assert names == {"Z.ai (Zhipu AI)", "Tsinghua University"}


def test_developers_merge_with_bundled_companies(pull: Any) -> None:
    # "Qwen2.5-72B" | Alibaba | China | Industry | 2024-09-19 | 72700000000.0 | 7.8e+24
    G = pull.graph.G
    assert _developers(G, "epoch-qwen2-5-72b") == {"alibaba"}
    assert ("Alibaba", "alibaba") in {(m.openalex, m.bundled) for m in pull.merges}
    assert _figures(G, "epoch-qwen2-5-72b")["training_compute"] == (7.8e24, "FLOP", 2024)


@pytest.mark.seconds
def test_the_july_csv_and_the_cli(realdata: Path, tmp_path: Path) -> None:
    out = tmp_path / "epoch"
    result = CliRunner().invoke(app, ["epoch", "build", str(realdata / JULY), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "1,036 rows" in result.stdout  # the July 2026 CSV's rows
    loaded = graph_from_files([out])
    assert "epoch-deepseek-v3" in loaded.G
