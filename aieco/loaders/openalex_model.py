"""OpenAlex records as aieco sees them: institutions, careers (the talent-flow rule) and works.

The flow rule
-------------
An author's affiliation history (``affiliations[].institution`` with ``years[]``) becomes, for
each year, the *set* of institutions the author claimed that year. Walking the years in which
the author claimed any affiliation, in order, from one such year ``p`` to the next ``t``:

* every institution in ``p`` and not in ``t`` is **left**, every one in ``t`` and not in ``p``
  is **joined**; each (left, joined) pair is one move *left → joined* in year ``t``;
* an institution in both years is **stayed** (the author counts once towards its retention);
* overlapping affiliations (a joint appointment added while the old one continues) are no
  move; a return (X, then Y, then X again) is two moves, X → Y and Y → X;
* years without any affiliation are skipped: a gap joins the years on either side;
* at a place level (City, Region, Country) the same rule runs on the set of *places* of those
  institutions, so one researcher counts once per corridor and a move within a place is none.

A flow's ``count`` is the number of researchers making that move in that year. OpenAlex's
author disambiguation is imperfect (two people merged, one person split), which adds false
moves and hides real ones; affiliations come from the works' author lines, so a year counts
only when the author published.

Examples
--------
>>> career = Career.from_affiliations([("X", [2015, 2016, 2019]), ("Y", [2017, 2018]), ("Z", [2018])])
>>> career.moves()
[('X', 'Y', 2017), ('Y', 'X', 2019), ('Z', 'X', 2019)]
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aieco.graph.schema import NodeType

#: Where talent flows are counted: between institutions or between the places holding them.
FlowLevel = Literal["institution", "City", "Region", "Country"]
FLOW_LEVELS: tuple[FlowLevel, ...] = ("institution", "City", "Region", "Country")

#: OpenAlex institution ``type`` → aieco entity type. ``facility``, ``nonprofit``,
#: ``healthcare``, ``archive`` and ``other`` are research organisations that are neither
#: universities, companies nor government bodies: aieco calls them research labs.
INSTITUTION_TYPES: dict[str, NodeType] = {
    "education": NodeType.UNIVERSITY,
    "company": NodeType.COMPANY,
    "government": NodeType.GOVERNMENT_BODY,
    "facility": NodeType.RESEARCH_LAB,
    "nonprofit": NodeType.RESEARCH_LAB,
    "healthcare": NodeType.RESEARCH_LAB,
    "archive": NodeType.RESEARCH_LAB,
    "other": NodeType.RESEARCH_LAB,
}
#: OpenAlex's subfield "Artificial Intelligence" (field Computer Science) and its older concept.
AI_SUBFIELD = "https://openalex.org/subfields/1702"
AI_CONCEPT = "https://openalex.org/C154945302"
#: Works with more institutions than this are left out of collaboration counts (consortia).
MAX_COLLABORATORS = 50

_SCRIPT_KEYS = {
    "name_zh_hans": ("zh-cn", "zh-hans", "zh", "zh-sg", "zh-my"),
    "name_zh_hant": ("zh-tw", "zh-hant", "zh-hk", "zh-mo"),
    "name_ja": ("ja",),
}


def short_id(value: Any) -> str:
    """``https://openalex.org/I123`` → ``I123`` (and ``I123`` stays).

    >>> short_id("https://openalex.org/I99065089")
    'I99065089'
    """
    return str(value or "").rstrip("/").rsplit("/", 1)[-1]


class RecordError(ValueError):
    """An OpenAlex record that aieco cannot use; the message says which field."""


@dataclass(frozen=True)
class Institution:
    """The parts of an OpenAlex institution aieco uses."""

    id: str
    name: str
    kind: str
    ror: str | None = None
    country_code: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    geonames_city_id: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    homepage: str | None = None

    def place_key(self, level: FlowLevel) -> str | None:
        """The key of the place at ``level`` holding this institution (its own id at institution level).

        >>> hefei = Institution(id="I1", name="X", kind="education", country_code="CN", region="Anhui")
        >>> hefei.place_key("Region")
        'region:CN:Anhui'
        """
        if level == "institution":
            return self.id
        if level == "Country":
            return f"country:{self.country_code}" if self.country_code else None
        if level == "Region":
            return f"region:{self.country_code}:{self.region}" if self.region and self.country_code else None
        city = self.geonames_city_id or self.city
        return f"city:{city}" if city else None

    @property
    def node_type(self) -> NodeType | None:
        """The aieco type, or ``None`` for a type aieco does not map (the record is skipped)."""
        return INSTITUTION_TYPES.get(self.kind)

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Institution:
        """Read a full (or dehydrated) OpenAlex institution object."""
        if not isinstance(rec, Mapping) or not rec.get("id") or not rec.get("display_name"):
            raise RecordError("an institution needs an id and a display_name")
        geo = rec.get("geo") or {}
        international = ((rec.get("international") or {}).get("display_name")) or {}
        names = {}
        for column, keys in _SCRIPT_KEYS.items():
            found = next((international[k] for k in keys if international.get(k)), None)
            if found:
                names[column] = str(found)
        aliases = [*(rec.get("display_name_alternatives") or []), *(rec.get("display_name_acronyms") or [])]
        lineage = [short_id(x) for x in rec.get("lineage") or []]
        parents = [
            short_id(a.get("id"))
            for a in rec.get("associated_institutions") or []
            if a.get("relationship") == "parent"
        ]
        own = short_id(rec["id"])
        return cls(
            id=own,
            name=str(rec["display_name"]),
            kind=str(rec.get("type") or "").lower(),
            ror=rec.get("ror") or None,
            country_code=(geo.get("country_code") or rec.get("country_code") or None),
            country=geo.get("country") or None,
            region=geo.get("region") or None,
            city=geo.get("city") or None,
            geonames_city_id=str(geo["geonames_city_id"]) if geo.get("geonames_city_id") else None,
            names=names,
            aliases=tuple(
                dict.fromkeys(str(a).replace("|", "/") for a in aliases if a and a != rec["display_name"])
            ),
            parents=tuple(dict.fromkeys(p for p in [*lineage, *parents] if p and p != own)),
            homepage=rec.get("homepage_url") or None,
        )


def _transitions(
    by_year: Mapping[int, frozenset[str]],
) -> Iterable[tuple[int, frozenset[str], frozenset[str]]]:
    years = sorted(y for y, s in by_year.items() if s)
    for before, year in itertools.pairwise(years):
        yield year, by_year[before], by_year[year]


@dataclass(frozen=True)
class Career:
    """One author's affiliations by year (see the module docstring for the rule)."""

    by_year: Mapping[int, frozenset[str]]

    @classmethod
    def from_affiliations(
        cls,
        affiliations: Iterable[tuple[str, Iterable[int]]],
        *,
        keep_year: Callable[[int], bool] = lambda y: True,
    ) -> Career:
        by_year: dict[int, set[str]] = defaultdict(set)
        for institution, years in affiliations:
            for year in years:
                if isinstance(year, int) and keep_year(year):
                    by_year[year].add(institution)
        return cls({y: frozenset(s) for y, s in by_year.items()})

    @classmethod
    def from_record(
        cls, rec: Mapping[str, Any], *, keep_year: Callable[[int], bool] = lambda y: True
    ) -> Career:
        pairs = []
        for aff in rec.get("affiliations") or []:
            inst = (aff or {}).get("institution") or {}
            if inst.get("id"):
                pairs.append((short_id(inst["id"]), aff.get("years") or []))
        return cls.from_affiliations(pairs, keep_year=keep_year)

    def at(self, place_of: Callable[[str], str | None]) -> Career:
        """The same career seen at a place level (institutions without a place drop out)."""
        mapped = {y: frozenset(p for p in (place_of(i) for i in s) if p) for y, s in self.by_year.items()}
        return Career(mapped)

    def moves(self) -> list[tuple[str, str, int]]:
        """(left, joined, year) for every move."""
        return [
            (gone, new, year)
            for year, before, now in _transitions(self.by_year)
            for gone in sorted(before - now)
            for new in sorted(now - before)
        ]

    def stays_and_departures(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """(place, year) the author stayed at, and (place, year) the author left."""
        stayed, left = [], []
        for year, before, now in _transitions(self.by_year):
            stayed += [(p, year) for p in sorted(before & now)]
            left += [(p, year) for p in sorted(before - now)]
        return stayed, left


def is_ai(rec: Mapping[str, Any]) -> bool:
    """Tell whether an author or work is about AI: OpenAlex's AI subfield or AI concept."""
    topics = [rec.get("primary_topic") or {}, *(rec.get("topics") or [])]
    if any(((t or {}).get("subfield") or {}).get("id") == AI_SUBFIELD for t in topics):
        return True
    concepts = [*(rec.get("x_concepts") or []), *(rec.get("concepts") or [])]
    return any((c or {}).get("id") == AI_CONCEPT for c in concepts)


def affiliation_countries(rec: Mapping[str, Any]) -> set[str]:
    """Country codes of an author's affiliated institutions."""
    return {
        str(((a or {}).get("institution") or {}).get("country_code") or "").upper()
        for a in rec.get("affiliations") or []
    } - {""}


def work_institutions(rec: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """(institution ids, country codes) named in a work's authorships."""
    ids, countries = set(), set()
    for authorship in rec.get("authorships") or []:
        for inst in (authorship or {}).get("institutions") or []:
            if inst and inst.get("id"):
                ids.add(short_id(inst["id"]))
                if inst.get("country_code"):
                    countries.add(str(inst["country_code"]).upper())
    return ids, countries
