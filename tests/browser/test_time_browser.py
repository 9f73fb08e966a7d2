"""Time in the views: the year slider hides what is not valid that year, as the data say."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.projection import graph_as_of
from aieco.viz import build_view
from tests.browser.conftest import file_url

pytestmark = pytest.mark.browser


def _open(page: Any, target: Path) -> None:
    page.goto(file_url(target))
    deadline = time.monotonic() + 60
    while not page.evaluate("!!(window.aiecoReady && window.aiecoReady.drawn !== null)"):
        assert time.monotonic() < deadline, "the view did not draw"
        time.sleep(0.2)


def _move_to(page: Any, year: int, since: int | None = None) -> dict[str, int]:
    page.evaluate(
        """([year, since]) => {
            const s = document.getElementById('year');
            s.value = String(year);
            s.dispatchEvent(new Event('input'));
            const c = document.getElementById('since');
            c.value = since === null ? '' : String(since);
            c.dispatchEvent(new Event('change'));
        }""",
        [year, since],
    )
    result: dict[str, int] = page.evaluate("({...window.aiecoVisible})")
    return result


def test_the_slider_shows_the_bundled_ecosystem_year_by_year(
    offline_page: Any, bundled: EcosystemGraph, tmp_path: Path
) -> None:
    net = build_view(bundled, "overview")
    assert len(net.nodes) == bundled.number_of_entities()  # every entity is drawn
    target = net.write(tmp_path / "overview.html")
    _open(offline_page, target)
    assert offline_page.evaluate("!document.getElementById('years').hidden")
    # expected counts come from the Python rule (graph_as_of), the page implements it in JS
    expected = {y: graph_as_of(bundled, y).number_of_entities() for y in (2016, 2023)}
    assert expected[2016] < expected[2023]
    at_2016 = _move_to(offline_page, 2016)
    at_2023 = _move_to(offline_page, 2023, since=2016)
    assert at_2016["nodes"] == expected[2016]
    assert at_2023["nodes"] == expected[2023]
    # what changed: entities valid in 2023 but not yet in 2016, and those gone by 2023
    then, now = set(graph_as_of(bundled, 2016).entity_ids()), set(graph_as_of(bundled, 2023).entity_ids())
    assert (at_2023["added"], at_2023["gone"]) == (len(now - then), len(then - now))
    shown = offline_page.inner_text("#counts")
    assert shown.startswith(f"{expected[2023]} of {len(net.nodes)} nodes")


def test_a_view_as_of_a_year_leaves_later_facts_out(bundled: EcosystemGraph) -> None:
    net = build_view(bundled, "rankings", as_of=2016)
    ids = {n["id"] for n in net.nodes}
    assert "open-platforms-2017" not in ids  # announced 2017-11-17
    assert "world-science-centres" in ids  # undated: always valid
    assert net.meta.stats["as of"] == 2016
    assert net.meta.notices[0].startswith("The ecosystem as of 2016")
