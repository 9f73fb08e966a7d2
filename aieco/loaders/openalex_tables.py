"""From OpenAlex records to aieco's four tables: institutions and their places, talent flows,
collaborations and works counts, each row citing the pull it came from.

Records stream through an :class:`Accumulator` whose memory grows with the number of
institutions and corridors, never with the number of authors or works read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aieco.graph.schema import NodeType
from aieco.loaders.geocode import geonames_cities
from aieco.loaders.openalex_model import (
    MAX_COLLABORATORS,
    Career,
    FlowLevel,
    Institution,
    NoiseRule,
    affiliation_countries,
    is_ai,
    researcher_key,
    short_id,
    work_institutions,
)
from aieco.loaders.openalex_shapes import RecordError, check_author, check_topics, check_work, json_list
from aieco.loaders.resolve import Resolver

logger = logging.getLogger(__name__)


def geonames_source() -> dict[str, str]:
    """The bundled Source row of GeoNames cities15000 (the one ``aieco/data/sources.csv`` holds)."""
    from aieco.loaders.geocode import GEONAMES_CITIES, bundled_sources

    row = next(r for r in bundled_sources() if r["id"] == GEONAMES_CITIES)
    return {k: v for k, v in row.items() if v}


@dataclass(frozen=True)
class OpenAlexFilters:
    """Which records count. With nothing set, every record is used.

    Attributes
    ----------
    countries
        ISO codes: an author counts when one of their institutions is in one of these
        countries, a work when one of its institutions is.
    from_year, to_year
        Affiliation years and publication years kept (inclusive).
    ai_only
        Keep only authors and works in OpenAlex's AI subfield (or with its AI concept).
    """

    countries: tuple[str, ...] = ()
    from_year: int | None = None
    to_year: int | None = None
    ai_only: bool = False

    def keep_year(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (
            self.to_year is None or year <= self.to_year
        )

    def keep_author(self, rec: Mapping[str, Any]) -> bool:
        if self.ai_only:
            check_topics(rec)
        if self.ai_only and not is_ai(rec):
            return False
        return not self.countries or bool(affiliation_countries(rec) & set(self.countries))

    def keep_work(self, rec: Mapping[str, Any]) -> bool:
        year = rec.get("publication_year")
        if not isinstance(year, int) or not self.keep_year(year):
            return False
        if self.ai_only:
            check_topics(rec)
        if self.ai_only and not is_ai(rec):
            return False
        return not self.countries or bool(work_institutions(rec)[1] & set(self.countries))

    def describe(self) -> str:
        parts = []
        if self.countries:
            parts.append("institution country " + "|".join(self.countries))
        if self.from_year or self.to_year:
            parts.append(f"years {self.from_year or '…'}–{self.to_year or '…'}")
        if self.ai_only:
            parts.append("AI: subfield 1702 (Artificial Intelligence) or concept C154945302")
        return "; ".join(parts) or "every record"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


#: What each reason of :attr:`Accumulator.dropped` counts (the first column of ``dropped.tsv``).
DROP_UNITS = {
    "outside the filters": "authors",
    "pre-2024 record without an affiliation history": "authors",
    "profile flagged as merged": "authors",
    "no affiliation in the years kept": "authors",
    "affiliation without an institution id": "affiliations",
    "affiliation set aside (too few years)": "affiliations",
    "institution known only from the author record": "affiliations",
    "institution aieco cannot type (flows end at its place)": "affiliations",
    "move inside one organisation (lineage)": "moves",
    "move with an end at no known place at the level": "moves",
    "work outside the filters": "works",
    "work with too many institutions for collaborations": "works",
    "institution the API does not have (404)": "institutions",
}
_EXAMPLES = 5


@dataclass
class Accumulator:
    """Counts what the records say; turns the counts into aieco rows.

    Memory grows with the number of institutions, corridors and the researchers on them
    (pseudonymous keys), never with the works read.
    """

    filters: OpenAlexFilters
    level: FlowLevel = "institution"
    #: Keep each researcher (a Person with WORKS_AT per institution); memory then grows with authors.
    with_people: bool = False
    noise: NoiseRule = field(default_factory=NoiseRule)
    #: Makes researcher keys (one pull's keys match each other, not another pull's).
    salt: str = ""
    #: Finds the bundled entity an institution already is: institutions that are one entity
    #: count as one from the start (a move between them is none; a researcher at both, once).
    resolver: Resolver | None = None
    institutions: dict[str, Institution] = field(default_factory=dict)
    #: Institutions known only from the dehydrated copies in authors' and works' records.
    stubs: dict[str, Institution] = field(default_factory=dict)
    people: dict[str, tuple[str, dict[str, tuple[int, int]]]] = field(default_factory=dict)
    #: A registry's founders, by their id there: (name, names by script column, the institutions
    #: they founded) — Persons with FOUNDED, asked for by the Wikidata loader.
    founders: dict[str, tuple[str, dict[str, str], list[str]]] = field(default_factory=dict)
    #: (from, to, year) → the researchers' keys (a set; the DuckDB reader gives them sorted and
    #: joined with ``|``, as they are written)
    flows: dict[tuple[str, str, int], set[str] | str] = field(default_factory=dict)
    stayed: Counter[tuple[str, int]] = field(default_factory=Counter)
    left: Counter[tuple[str, int]] = field(default_factory=Counter)
    collaborations: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    works_by_institution: Counter[tuple[str, int]] = field(default_factory=Counter)
    works_by_city: Counter[tuple[str, int]] = field(default_factory=Counter)
    read: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    _types: dict[str, NodeType | None] = field(default_factory=dict, repr=False)
    _canon: dict[str, str] = field(default_factory=dict, repr=False)
    #: the ids counted under each key (``_canon`` read backwards)
    _members: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _regions_filled: bool = field(default=False, repr=False)
    #: The first institution read of each canonical key (``@<bundled id>`` or its own id).
    representative: dict[str, str] = field(default_factory=dict, repr=False)

    def drop(self, reason: str, example: str, n: int = 1) -> None:
        """Count ``n`` things left out for ``reason`` (one of :data:`DROP_UNITS`)."""
        self.dropped[reason] += n
        kept = self.examples.setdefault(reason, [])
        if len(kept) < _EXAMPLES and example not in kept:
            kept.append(example)

    # ---- institutions -------------------------------------------------------------
    def add_institution(self, rec: Mapping[str, Any]) -> None:
        self.read["institutions"] += 1
        self.put(Institution.from_record(rec))

    def put(self, inst: Institution) -> None:
        """Hold an institution's full record (read from OpenAlex, ROR or another source)."""
        self.institutions[inst.id] = inst
        self.stubs.pop(inst.id, None)
        self._types.clear()
        self._forget(inst.id)

    def discard(self, inst_id: str) -> None:
        """Forget an institution's record (one a registry pull leaves out)."""
        self.institutions.pop(inst_id, None)
        self._types.clear()
        self._forget(inst_id)

    def _forget(self, inst_id: str) -> None:
        key = self._canon.pop(inst_id, None)
        if key is not None:
            self._members[key].discard(inst_id)

    def _stub(self, rec: Any) -> str | None:
        """Register the dehydrated institution of an affiliation or authorship; its id."""
        if not isinstance(rec, Mapping) or not isinstance(rec.get("id"), str) or not rec["id"]:
            return None
        inst_id = short_id(rec["id"])
        if inst_id not in self.institutions and inst_id not in self.stubs:
            self.stubs[inst_id] = Institution.from_record(
                {**rec, "display_name": rec.get("display_name") or inst_id}, full=False
            )
        return inst_id

    def canon(self, inst_id: str) -> str:
        """The key an institution is counted under: ``@<bundled id>`` when it is a bundled
        entity (several OpenAlex records may be one: "Alibaba Group (China)" and "(United
        States)"), else its own id."""
        if inst_id not in self._canon:
            key = inst_id
            inst = self.institution(inst_id)
            found = self.resolver.institution(inst) if self.resolver is not None and inst else None
            if found is not None:
                key = f"@{found[0]}"
            self._canon[inst_id] = key
            self._members.setdefault(key, set()).add(inst_id)
            self.representative.setdefault(key, inst_id)
        return self._canon[inst_id]

    def members(self, key: str) -> list[str]:
        """The institutions counted under ``key`` so far, sorted."""
        return sorted(self._members.get(key, ()))

    def institution(self, inst_id: str) -> Institution | None:
        """The full record of an institution, else its dehydrated copy (``@…``: its first record)."""
        if inst_id.startswith("@"):
            inst_id = self.representative.get(inst_id, inst_id)
        return self.institutions.get(inst_id) or self.stubs.get(inst_id)

    def type_of(self, inst_id: str) -> NodeType | None:
        """aieco's type of an institution (:func:`institution_type`, with its lineage parents;
        a bundled entity's own type)."""
        if inst_id in self._types:
            return self._types[inst_id]
        if inst_id.startswith("@") and self.resolver is not None:
            kind = self.resolver.types.get(inst_id[1:])
            self._types[inst_id] = NodeType(kind) if kind else None
            return self._types[inst_id]
        inst = self.institution(inst_id)
        found = None
        if inst is not None:
            found = inst.node_type
            for parent in inst.parents if found is None else ():
                up = self.institutions.get(parent)  # full records only: they all come first
                found = up.node_type if up is not None else None
                if found is not None:
                    break
        self._types[inst_id] = found
        return found

    def place_of(self, inst_id: str) -> str | None:
        """The place key of an institution at the flow level (``None``: no such place known)."""
        inst = self.institution(inst_id)
        return inst.place_key(self.level) if inst is not None else None

    def flow_end(self, inst_id: str) -> str | None:
        """Where a move's end is counted: the place at the flow level; at institution level the
        institution, or the smallest place holding it when aieco cannot type it."""
        inst = self.institution(inst_id)
        if inst is None:
            return None
        if self.level != "institution":
            return inst.place_key(self.level)
        return inst_id if self.type_of(inst_id) is not None else inst.finest_place()

    def one_organisation(self, a: str, b: str) -> bool:
        ia, ib = self.institution(a), self.institution(b)
        ra, rb = self.representative.get(a, a), self.representative.get(b, b)
        return bool((ia is not None and rb in ia.parents) or (ib is not None and ra in ib.parents))

    def city_key(self, inst_id: str) -> str | None:
        inst = self.institution(inst_id)
        return inst.place_key("City") if inst is not None else None

    def fill_regions(self) -> None:
        """Give a region to institutions whose city OpenAlex places but whose region it leaves
        empty: the region of the city's GeoNames admin-1 area, as another OpenAlex record of
        that area names it, else as a bundled region holding a city of that area does. Runs
        once, when the first author or work arrives (institutions come first)."""
        if self._regions_filled:
            return
        self._regions_filled = True
        cities = geonames_cities()
        named: dict[tuple[str, str], str] = {}
        for inst in sorted(self.institutions.values(), key=lambda i: i.id):
            city = cities.get(inst.geonames_city_id or "")
            if city and inst.region:
                named.setdefault((str(city["countrycode"]), str(city["admin1code"])), inst.region)
        if self.resolver is not None:
            for key, name in self.resolver.regions.items():
                named.setdefault(key, name)
        for inst_id, inst in list(self.institutions.items()):
            city = cities.get(inst.geonames_city_id or "")
            if inst.region or not city:
                continue
            region = named.get((str(city["countrycode"]), str(city["admin1code"])))
            if region:
                self.institutions[inst_id] = dataclasses.replace(inst, region=region)
                self.read["regions from GeoNames admin-1"] += 1

    # ---- authors ------------------------------------------------------------------
    def add_author(self, rec: Mapping[str, Any]) -> None:
        self.fill_regions()
        check_author(rec)
        self.read["authors"] += 1
        author = short_id(rec.get("id")) or f"author {self.read['authors']}"
        if rec.get("affiliations") is None and (
            rec.get("last_known_institution") is not None or rec.get("last_known_institutions") is not None
        ):
            self.drop("pre-2024 record without an affiliation history", author)
            return
        if not self.filters.keep_author(rec):
            self.drop("outside the filters", author)
            return
        pairs: list[tuple[str, list[int]]] = []
        for i, aff in enumerate(json_list(rec.get("affiliations"), "affiliations")):
            if not isinstance(aff, Mapping):
                raise RecordError(f"affiliations[{i}] must be a JSON object", f"affiliations[{i}]")
            inst_id = self._stub(aff.get("institution"))
            if inst_id is None:
                self.drop("affiliation without an institution id", author)
                continue
            years = sorted(
                {
                    y
                    for y in json_list(aff.get("years"), f"affiliations[{i}].years")
                    if isinstance(y, int) and not isinstance(y, bool)
                }
            )
            if len(years) < self.noise.min_years:
                self.drop("affiliation set aside (too few years)", f"{author} {inst_id}")
                continue
            if inst_id in self.stubs:
                self.drop("institution known only from the author record", inst_id)
            key = self.canon(inst_id)
            if self.type_of(key) is None:
                self.drop("institution aieco cannot type (flows end at its place)", inst_id)
            pairs.append((key, years))
        career = Career.from_affiliations(pairs, keep_year=self.filters.keep_year)
        if not career.by_year:
            self.drop("no affiliation in the years kept", author)
            return
        if career.median_per_year() > self.noise.max_median_per_year:
            self.read["profiles flagged as merged"] += 1
            if self.noise.exclude_flagged:
                self.drop("profile flagged as merged", author)
                return
        self.read["authors kept"] += 1
        if self.with_people:  # the institutions' own ids (a merged one: its first record)
            spans: dict[str, list[int]] = {}
            for year, held in career.by_year.items():
                for inst in held:
                    spans.setdefault(inst, []).append(year)
            self.people[author] = (
                str(rec.get("display_name") or author),
                {self.representative.get(i, i): (min(ys), max(ys)) for i, ys in spans.items()},
            )
        key = researcher_key(author, self.salt)
        corridors: set[tuple[str, str, int]] = set()
        for gone, new, year in career.moves():
            if self.one_organisation(gone, new):
                self.drop("move inside one organisation (lineage)", f"{author} {gone}→{new} {year}")
                continue
            a, b = self.flow_end(gone), self.flow_end(new)
            if a is None or b is None:
                self.drop("move with an end at no known place at the level", f"{author} {gone}→{new} {year}")
            elif a != b:
                corridors.add((a, b, year))
        for corridor in corridors:
            keys = self.flows.setdefault(corridor, set())
            assert isinstance(keys, set)
            keys.add(key)
        at_level = (
            (lambda i: i if self.type_of(i) else None) if self.level == "institution" else self.place_of
        )
        stayed, left = career.at(at_level).stays_and_departures()
        self.stayed.update(stayed)
        self.left.update(left)

    # ---- works --------------------------------------------------------------------
    def add_work(self, rec: Mapping[str, Any]) -> None:
        self.fill_regions()
        check_work(rec)
        self.read["works"] += 1
        if not self.filters.keep_work(rec):
            self.drop("work outside the filters", short_id(rec.get("id")))
            return
        self.read["works kept"] += 1
        year = int(rec["publication_year"])
        for authorship in json_list(rec.get("authorships"), "authorships"):
            if isinstance(authorship, Mapping):
                for inst in json_list(authorship.get("institutions"), "authorships[].institutions"):
                    self._stub(inst)
        # counting keys made in id order (the DuckDB reader makes them in the same order)
        ids = sorted(
            {k for k in map(self.canon, sorted(work_institutions(rec)[0])) if self.type_of(k) is not None}
        )
        for inst in ids:
            self.works_by_institution[(inst, year)] += 1
        cities = {c for c in (self.city_key(i) for i in ids) if c}
        for city in cities:
            self.works_by_city[(city, year)] += 1
        if len(ids) > MAX_COLLABORATORS:
            self.drop("work with too many institutions for collaborations", short_id(rec.get("id")))
            return
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                self.collaborations[(a, b, year)] += 1


def pull_source(description: str, *, url: str) -> dict[str, Any]:
    """The Source row of one pull: the query URL, or the snapshot folder as a ``file://`` URL
    (a URL, not a quoted document); its id is stable for the same query or snapshot."""
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    now = datetime.now(UTC)
    return {
        "id": f"openalex-{digest}",
        "title": f"OpenAlex ({'snapshot' if url.startswith('file:') else 'API'}): {description}",
        "publisher": "OpenAlex (OurResearch), CC0",
        "language": "en",
        "published": now.date().isoformat(),
        "url": url,
        "note": f"retrieved {now.isoformat(timespec='seconds')}",
    }
