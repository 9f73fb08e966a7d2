"""Rows of aieco's tables from an :class:`~aieco.loaders.openalex_tables.Accumulator`.

Every row cites the pull's Source row. Institutions and places that are bundled entities
(same ROR id, same GeoNames id, or the same name in any script) keep the bundled id and type,
so the tables load alone or on top of the bundled data (where they merge), and each such
merge is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aieco.graph.schema import PLACE_LEVELS, NodeType, RelType
from aieco.loaders.geocode import GEONAMES_CITIES, country_name, geonames_cities
from aieco.loaders.openalex_model import INSTITUTION_TYPES, Institution
from aieco.loaders.openalex_tables import Accumulator, _slug, geonames_source
from aieco.loaders.pull import Merge
from aieco.loaders.resolve import Resolver

Rows = dict[str, list[dict[str, Any]]]


class _Builder:
    def __init__(self, acc: Accumulator, source: Mapping[str, Any], resolver: Resolver) -> None:
        self.acc, self.src, self.resolver = acc, str(source["id"]), resolver
        self.rows: Rows = {"sources": [dict(source)], "entities": [], "relations": [], "observations": []}
        self.ids: dict[str, str] = {}
        self.emitted: set[str] = set()
        self.merges: list[Merge] = []
        self.seen_relations: set[str] = set()
        self.uses_geonames = False
        self.placed: dict[str, str | None] = {}  # place keys already turned into entities
        # one institution per place key (``city:…``, ``region:…``, ``country:…``) stands for the
        # place (its names and GeoNames id): a full record first, else a dehydrated copy
        self.holder: dict[str, Institution] = {}
        for inst in sorted(
            [*acc.institutions.values(), *acc.stubs.values()], key=lambda i: (not i.full, i.id)
        ):
            for level in PLACE_LEVELS:
                place = inst.place_key(level)
                if place:
                    self.holder.setdefault(place, inst)

    # ---- entities -----------------------------------------------------------------
    def _entity(self, key: str, row: dict[str, Any], found: tuple[str, str] | None, name: str) -> str:
        if key in self.ids:
            return self.ids[key]
        if found is not None:
            node, by = found
            row = {**row, "id": node, "type": self.resolver.types.get(node, row["type"])}
            if by:  # institutions list their merges themselves, one per record
                self.merges.append(Merge(key, name, node, by))
        self.ids[key] = str(row["id"])
        if self.ids[key] not in self.emitted:  # two keys that are one entity (a GeoNames id and a
            self.emitted.add(self.ids[key])  # city name, both Beijing) make one row
            self.rows["entities"].append({**row, "source": self.src})
        return self.ids[key]

    def country(self, inst: Institution) -> str | None:
        if not inst.country_code:
            return None
        key = str(inst.place_key("Country"))
        if key in self.ids:  # met before: no look-up again
            return self.ids[key]
        name = inst.country or country_name(inst.country_code) or inst.country_code
        row = {
            "id": f"country-{inst.country_code.lower()}",
            "type": NodeType.COUNTRY.value,
            "name_en": name,
            "aliases": inst.country_code,
        }
        return self._entity(key, row, self.resolver.place("Country", name), name)

    def region(self, inst: Institution) -> str | None:
        if not (inst.region and inst.country_code):
            return None
        key = str(inst.place_key("Region"))
        if key in self.ids:
            return self.ids[key]
        row = {
            "id": f"region-{inst.country_code.lower()}-{_slug(inst.region)}",
            "type": NodeType.REGION.value,
            "name_en": inst.region,
        }
        node = self._entity(key, row, self.resolver.place("Region", inst.region), inst.region)
        country = self.country(inst)
        if country:
            self.relation(node, RelType.LOCATED_IN, country)
        return node

    def city(self, inst: Institution) -> str | None:
        if not (inst.geonames_city_id or inst.city):
            return None
        key = str(inst.place_key("City"))
        if key in self.ids:
            return self.ids[key]
        name = inst.city or f"GeoNames {inst.geonames_city_id}"
        if inst.geonames_city_id:
            row: dict[str, Any] = {
                "id": f"geonames-{inst.geonames_city_id}",
                "type": NodeType.CITY.value,
                "name_en": name,
            }
            known = geonames_cities().get(inst.geonames_city_id)
            if known:
                self.uses_geonames = True
                row |= {
                    "lat": float(known["latitude"]),
                    "lon": float(known["longitude"]),
                    "coord_source": GEONAMES_CITIES,
                    "coord_ref": f"https://www.geonames.org/{inst.geonames_city_id} ({known['name']})",
                }
        else:
            row = {
                "id": f"city-{(inst.country_code or 'xx').lower()}-{_slug(name)}",
                "type": NodeType.CITY.value,
                "name_en": name,
            }
        if "lat" not in row and inst.city_coordinates is not None:  # the source's own, cited
            lat, lon, ref = inst.city_coordinates
            row |= {"lat": lat, "lon": lon, "coord_source": self.src, "coord_ref": ref}
        node = self._entity(key, row, self.resolver.place("City", inst.city, inst.geonames_city_id), name)
        above = self.region(inst) or self.country(inst)
        if above:
            self.relation(node, RelType.LOCATED_IN, above)
        return node

    def institution(self, inst_id: str) -> str | None:
        """The entity of an institution, by its counting key (its id, or ``@<bundled id>`` for the
        records that are one bundled entity: one row, one location, a merge line per record)."""
        inst_id = self.acc.canon(inst_id) if not inst_id.startswith("@") else inst_id
        inst, kind = self.acc.institution(inst_id), self.acc.type_of(inst_id)
        if inst is None or kind is None:
            return None
        key = f"institution:{inst_id}"
        if key in self.ids:
            return self.ids[key]
        if inst_id.startswith("@") and self.resolver is not None:
            node = inst_id[1:]
            members = self.acc.members(inst_id)
            for member in members:
                record = self.acc.institution(member)
                found = self.resolver.institution(record) if record is not None else None
                by = found[1] if found else "ROR"
                self.merges.append(
                    Merge(
                        record.url or record.name if record else member,
                        record.name if record else member,
                        node,
                        by,
                    )
                )
        row = {
            "id": f"{inst.registry}-{inst.id.lower()}",
            "type": kind.value,
            "name_en": inst.name,
            **inst.names,
            "aliases": "|".join(inst.aliases),
            "ror": inst.ror,
            "openalex_id": inst.url
            if inst.registry == "openalex"
            else f"https://openalex.org/{inst.openalex}"
            if inst.openalex
            else None,
            "wikidata_id": inst.url
            if inst.registry == "wikidata"
            else f"https://www.wikidata.org/wiki/{inst.wikidata}"
            if inst.wikidata
            else None,
            "url": inst.homepage,
            "year": inst.year,
        }
        registry = {"ror": "ROR", "wikidata": "Wikidata"}.get(inst.registry, "OpenAlex")
        notes = [inst.note] if inst.note else []
        if kind.value != inst.node_type:
            notes.append(
                f"{registry} type {inst.kind or 'missing'}; typed {kind.value} by its lineage parent"
            )
        elif inst.kind not in INSTITUTION_TYPES:
            notes.append(f"{registry} type {inst.kind or 'missing'}; typed {kind.value} by its name")
        if notes:
            row["note"] = "; ".join(notes)
        found = (inst_id[1:], "") if inst_id.startswith("@") else None
        node = self._entity(key, row, found, inst.name)
        where = self.city(inst) or self.region(inst) or self.country(inst)
        if where:
            kind_of_link = (
                RelType.HEADQUARTERED_IN
                if self.resolver.types.get(node, row["type"]) == "Company"
                else RelType.LOCATED_IN
            )
            self.relation(node, kind_of_link, where)
        for parent in inst.parents:
            up = self.institution(parent)
            if up and up != node:
                self.relation(node, RelType.PART_OF, up)
        return node

    def place(self, key: str) -> str | None:
        """The entity of a place key (``city:…``, ``region:…``, ``country:…``) or an institution id."""
        if key not in self.placed:
            self.placed[key] = self._place(key)
        return self.placed[key]

    def _place(self, key: str) -> str | None:
        level, sep, _ = key.partition(":")
        if not sep:
            return self.institution(key)
        inst = self.holder.get(key)
        if inst is None:
            return None
        return {"city": self.city, "region": self.region, "country": self.country}[level](inst)

    # ---- relations and observations ------------------------------------------------
    def relation(self, u: str, rel: RelType, v: str, **extra: Any) -> None:
        year = extra.get("year")
        key = f"{self.src}:{u}|{rel.value}|{v}" + (f"|{year}" if year is not None else "")
        if key in self.seen_relations:  # two records that are one entity: said once
            return
        self.seen_relations.add(key)
        self.rows["relations"].append(
            {"id": key, "from": u, "type": rel.value, "to": v, "source": self.src, **extra}
        )

    def observation(self, subject: str, indicator: str, value: int, unit: str, year: int, note: str) -> None:
        self.rows["observations"].append(
            {
                "id": f"{self.src}:{subject}:{indicator}:{year}",
                "subject": subject,
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "kind": "actual",
                "year": year,
                "source": self.src,
                "note": note,
            }
        )


def build_rows(
    acc: Accumulator, source: Mapping[str, Any], resolver: Resolver, *, every_institution: bool = False
) -> tuple[Rows, list[Merge]]:
    """Rows for every place, flow, collaboration and works count the accumulator holds, and the
    institutions they name (``every_institution``: every institution read, as a registry pull
    wants)."""
    b = _Builder(acc, source, resolver)
    if every_institution:
        for inst_id in sorted(acc.institutions):
            b.institution(inst_id)
    what = acc.filters.describe()
    level_words = "institutions" if acc.level == "institution" else f"{acc.level.lower()} level"
    for (gone, new, year), keys in sorted(acc.flows.items()):
        u, v = b.place(gone), b.place(new)
        if u and v and u != v:
            text = keys if isinstance(keys, str) else "|".join(sorted(keys))
            b.relation(
                u,
                RelType.TALENT_FLOW,
                v,
                count=text.count("|") + 1,
                year=year,
                role=f"researchers who moved ({level_words})",
                researchers=text,
            )
    for (place, year), n in sorted(acc.stayed.items()):
        node = b.place(place)
        if node:
            b.observation(
                node, "talent_stayed", n, "researchers", year, f"stayed from the previous active year; {what}"
            )
    for (place, year), n in sorted(acc.left.items()):
        node = b.place(place)
        if node:
            b.observation(
                node, "talent_left", n, "researchers", year, f"left since the previous active year; {what}"
            )
    for (a, c, year), n in sorted(acc.collaborations.items()):
        u, v = b.institution(a), b.institution(c)
        if u and v and u != v:
            low, high = sorted((u, v))
            b.relation(low, RelType.COLLABORATES_WITH, high, count=n, year=year)
    for (inst, year), n in sorted(acc.works_by_institution.items()):
        node = b.institution(inst)
        if node:
            b.observation(node, "openalex_works", n, "works", year, f"works in OpenAlex; {what}")
    for (city, year), n in sorted(acc.works_by_city.items()):
        node = b.place(city)
        if node:
            b.observation(
                node, "openalex_works", n, "works", year, f"distinct works with an institution here; {what}"
            )
    for author, (person, spans) in sorted(acc.people.items()):
        node = f"openalex-{author.lower()}"
        b.rows["entities"].append(
            {
                "id": node,
                "type": NodeType.PERSON.value,
                "name_en": person,
                "openalex_id": f"https://openalex.org/{author}",
                "source": b.src,
            }
        )
        for inst, (first, last) in sorted(spans.items()):
            org = b.institution(inst)
            if org:
                b.relation(node, RelType.WORKS_AT, org, period_start=first, period_end=last)
    for person, (name, names, founded) in sorted(acc.founders.items()):
        row = {
            "id": f"wikidata-{person.lower()}",
            "type": NodeType.PERSON.value,
            "name_en": name,
            **names,
            "url": f"https://www.wikidata.org/wiki/{person}",
        }
        node = b._entity(f"person:{person}", row, resolver.person(name, names), name)
        for inst in founded:
            org = b.institution(inst)
            if org:
                b.relation(node, RelType.FOUNDED, org)
    if b.uses_geonames:
        b.rows["sources"].append(geonames_source())
    return b.rows, b.merges
