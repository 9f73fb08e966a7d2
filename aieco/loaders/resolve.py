"""One resolver of existing entities for every open-data loader: the bundled entity an
institution, organisation or place already is — by exact id (ROR, GeoNames), then by any name in
any script (also without the country OpenAlex and ROR put in brackets), never across countries —
with the near-misses kept for a person to settle."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from aieco.graph.containment import place_at_level
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.names import normalize
from aieco.graph.schema import ORG_TYPES
from aieco.loaders.geocode import country_names, geonames_cities
from aieco.loaders.openalex_model import Institution

__all__ = ["Resolver"]

_QUALIFIED = re.compile(r"(.+?)\s*[(（][^()（）]+[)）]\s*")


class Resolver:
    """Finds the bundled entity an OpenAlex institution or place already is (ROR, GeoNames id, names)."""

    def __init__(self, bundled: EcosystemGraph | None) -> None:
        self.by_ror: dict[str, str] = {}
        self.by_geonames: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        self.types: dict[str, str] = {}
        #: (country code, GeoNames admin-1 code) → the name of the bundled region holding a
        #: bundled GeoNames city of that area (a region directly inside a country)
        self.regions: dict[tuple[str, str], str] = {}
        #: bundled organisation → ISO code of the country it sits in (through containment)
        self.country_of: dict[str, str] = {}
        #: a record's name → (candidates, why) for the records a name nearly merged: ambiguous,
        #: or a bundled organisation in another country; for a person to settle (``merges.tsv``)
        self.unsettled: dict[str, tuple[str, str]] = {}
        if bundled is None:
            return
        cities = geonames_cities()
        G = bundled.G
        codes = {normalize(name): code for code, name in country_names().items()}
        for node, attrs in G.nodes(data=True):
            if attrs.get("type") in {t.value for t in ORG_TYPES}:
                country = place_at_level(G, node, "Country")
                names = (
                    [G.nodes[country].get("name_en"), *(G.nodes[country].get("aliases") or [])]
                    if country
                    else []
                )
                code = next(
                    (codes[normalize(str(n))] for n in names if n and normalize(str(n)) in codes), None
                )
                if code:
                    self.country_of[node] = code
        for node, attrs in G.nodes(data=True):
            match = re.search(r"geonames\.org/(\d+)", str(attrs.get("coord_ref") or ""))
            if attrs.get("type") != "City" or not match or match.group(1) not in cities:
                continue
            city = cities[match.group(1)]
            for _, up, d in G.out_edges(node, data=True):
                if d["type"] == "LOCATED_IN" and G.nodes[up].get("type") == "Region":
                    countries = [v for _, v, e in G.out_edges(up, data=True) if e["type"] == "LOCATED_IN"]
                    if any(G.nodes[v].get("type") == "Country" for v in countries):
                        key = (str(city["countrycode"]), str(city["admin1code"]))
                        self.regions.setdefault(key, str(G.nodes[up]["name_en"]))
        for node, attrs in G.nodes(data=True):
            kind = str(attrs.get("type"))
            self.types[node] = kind
            if attrs.get("ror"):
                self.by_ror[str(attrs["ror"]).rstrip("/").lower()] = node
            match = re.search(r"geonames\.org/(\d+)", str(attrs.get("coord_ref") or ""))
            if match:
                self.by_geonames[match.group(1)] = node
            group = "org" if kind in {t.value for t in ORG_TYPES} else kind
            for key in ("name_en", "name_zh_hans", "name_zh_hant", "name_ja", *(attrs.get("aliases") or [])):
                name = attrs.get(key) if key.startswith("name_") else key
                if name:
                    self.by_name.setdefault((group, normalize(str(name))), set()).add(node)

    def _by_names(
        self, group: str, names: Iterable[str], country: str | None = None
    ) -> tuple[str, str] | None:
        """The one bundled entity of ``group`` a name finds, each name tried as given and then
        without the country OpenAlex and ROR put in brackets ("Tencent (China)" is Tencent); an
        organisation whose bundled match sits in another country than ``country`` is not it (a
        subsidiary abroad, "Huawei Technologies (Poland)", is an organisation of its own)."""
        names = list(names)
        doubts: list[tuple[str, str]] = []
        for given in names:
            bare = _QUALIFIED.fullmatch(given)
            for name in (given, bare.group(1)) if bare else (given,):
                found = self.by_name.get((group, normalize(name)), set())
                if len(found) > 1:
                    doubts.append(("|".join(sorted(found)), f"not merged: name {name!r} is ambiguous"))
                if len(found) != 1:
                    continue
                node = next(iter(found))
                if country and self.country_of.get(node, country) != country:
                    doubts.append(
                        (node, f"not merged: name {name!r} is an organisation in {self.country_of[node]}")
                    )
                    continue
                return node, f"name {name!r}"
        if doubts and names:
            self.unsettled.setdefault(names[0], doubts[0])
        return None

    def institution(self, inst: Institution) -> tuple[str, str] | None:
        if inst.ror and inst.ror.rstrip("/").lower() in self.by_ror:
            return self.by_ror[inst.ror.rstrip("/").lower()], "ROR"
        return self._by_names("org", [inst.name, *inst.names.values(), *inst.aliases], inst.country_code)

    def person(self, name: str, names: Mapping[str, str]) -> tuple[str, str] | None:
        """The bundled person whose English name *and* a Chinese or Japanese name are these (a
        name alone is too common to say two people are one: such a match is left to settle)."""
        by_en = self.by_name.get(("Person", normalize(name)), set())
        for other in names.values():
            both = by_en & self.by_name.get(("Person", normalize(other)), set())
            if len(both) == 1:
                return next(iter(both)), f"names {name!r} and {other!r}"
        if by_en:
            self.unsettled.setdefault(
                name,
                ("|".join(sorted(by_en)), f"not merged: only the name {name!r} matches a bundled person"),
            )
        return None

    def place(self, kind: str, name: str | None, geonames_id: str | None = None) -> tuple[str, str] | None:
        if geonames_id and geonames_id in self.by_geonames:
            return self.by_geonames[geonames_id], "GeoNames id"
        return self._by_names(kind, [name]) if name else None
