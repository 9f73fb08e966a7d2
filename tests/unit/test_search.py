"""Search finds entities by any name, in any script."""

from __future__ import annotations

import pytest

from aieco.errors import UnknownEntityError
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.names import normalize


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("科大訊飛", "iflytek"),  # 繁體, as in seed 002
        ("科大讯飞", "iflytek"),  # 简体
        ("iFlytek", "iflytek"),
        ("IFLYTEK", "iflytek"),
        ("ｉＦｌｙｔｅｋ", "iflytek"),  # full-width
        ("ベイエリア", "bay-area"),  # 日本語, seed 001
        ("舊金山灣區", "bay-area"),
        ("Bay Area", "bay-area"),
        ("書生·浦語", "internlm2"),  # alias in 繁體
        ("书生·浦语2.0", "internlm2"),
        ("スタンフォード大学", "stanford"),
        ("盤古", "pangu"),
        ("Pony AI", "pony-ai"),
    ],
)
def test_resolve_in_every_script(bundled: EcosystemGraph, query: str, expected: str) -> None:
    assert bundled.resolve(query) == expected
    assert bundled.search(query)[0].id == expected
    assert bundled.named(query) == [expected]


def test_named_is_exact_names_only(bundled: EcosystemGraph) -> None:
    # "深圳" is Shenzhen's name and only a part of the names of its university and park
    assert bundled.named("深圳") == ["shenzhen"]
    assert bundled.named("深圳", types=["Company"]) == []
    assert bundled.named("Shenz") == []


def test_partial_matches_rank_below_exact(bundled: EcosystemGraph) -> None:
    hits = bundled.search("深圳")
    assert hits[0].id == "shenzhen"
    assert hits[0].score == 3
    assert all(h.score < 3 for h in hits[1:])
    assert {"shenzhen-intl", "shenzhen-bay-park"} <= {h.id for h in hits}


def test_type_filter(bundled: EcosystemGraph) -> None:
    hits = bundled.search("深圳", types=["Park"])
    assert hits
    assert {h.type for h in hits} == {"Park"}


def test_unknown_and_ambiguous_names(bundled: EcosystemGraph) -> None:
    with pytest.raises(UnknownEntityError):
        bundled.resolve("Atlantis AI")
    # 数据标注基地 names two annotation bases: resolve refuses to guess
    with pytest.raises(UnknownEntityError):
        bundled.resolve("数据标注基地")


def test_normalize_is_script_and_width_insensitive() -> None:
    assert normalize("華為") == normalize("华为")
    assert normalize("  Hefei ") == normalize("hefei")
    assert normalize("A·B・C-D") == "abcd"
    assert normalize("上海") != normalize("北京")
