"""OpenAlex records as aieco sees them: institutions, careers (the talent-flow rule) and works.

The move rule
-------------
An author's affiliation history (``affiliations[].institution`` with ``years[]``) becomes, for
each year, the *set* of institutions the author claimed that year. Every institution of the
record stays in that set, whether aieco can type it, place it or has its full record: an
institution aieco knows little about is still a place the researcher was, so no move is ever
joined across it. Walking the years with any affiliation, from one such year ``p`` to the next
``t``:

* an institution in ``p`` and not in ``t`` is **left**, one in ``t`` and not in ``p`` is
  **joined**; the researcher moved *A → B* in year ``t`` for each A left and B joined, unless
  A and B are one organisation (one is in the other's OpenAlex ``lineage``);
* an institution in both years is **stayed**; adding an appointment while the old one
  continues, or dropping one of two, is no move; a return (X, Y, X) is two moves;
* years without any affiliation are skipped: a gap joins the years on either side (the
  record shows them as consecutive);
* at a place level (City, Region, Country) a move is the institution move seen between the
  places holding its ends; a move inside one place is none, and an end without a known place
  at that level drops the move (counted).

A corridor's ``count`` is the number of **distinct researchers** who moved A → B: a researcher
leaving two institutions of one country for a third country counts once. Each flow keeps the
pseudonymous keys of its researchers (``researchers``), so roll-ups and periods count distinct
people too. OpenAlex's author disambiguation is imperfect (two people merged, one split) and
its affiliations come from works' author lines, so the noise controls of :class:`NoiseRule`
set aside short-lived affiliations on request and flag profiles that look merged.

Examples
--------
Tsinghua (2015–16) → Stanford (2017–18), with a record aieco cannot type (F) held 2016–17: F
continues from 2016 to 2017, so it is no move, and it is never skipped over.

>>> career = Career.from_affiliations([("T", [2015, 2016]), ("F", [2016, 2017]), ("S", [2017, 2018])])
>>> career.moves()
[('T', 'S', 2017)]
>>> Career.from_affiliations([("X", [2015, 2016, 2019]), ("Y", [2017, 2018]), ("Z", [2018])]).moves()
[('X', 'Y', 2017), ('Y', 'X', 2019), ('Z', 'X', 2019)]
"""

from __future__ import annotations

import hashlib
import itertools
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aieco.graph.names import language_column, script_column
from aieco.graph.schema import NodeType
from aieco.loaders.openalex_shapes import (
    RecordError,
    json_object,
    json_objects,
    json_text,
    json_texts,
    record_id,
)

#: Where talent flows are counted: between institutions or between the places holding them.
FlowLevel = Literal["institution", "City", "Region", "Country"]

#: OpenAlex institution ``type`` → aieco entity type. ``facility``, ``nonprofit``,
#: ``healthcare``, ``archive`` and ``other`` are research organisations that are neither
#: universities, companies nor government bodies: aieco calls them research labs.
#: ``funder`` is not here: it is a role OpenAlex gives (Stanford, Imperial College and the
#: University of Michigan are ``funder`` in 2025 records), typed by :func:`institution_type`.
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
_UNIVERSITY_NAME = re.compile(
    r"universit|universidad|universidade|college|école|hochschule|polytechnic|politecnico"
    r"|institute of technology|\btech\b|大学|大學",
    re.IGNORECASE,
)
_RESEARCH_NAME = re.compile(
    r"academy of sciences|research|recherche|investigaci|forschung|laborator|科学院|研究",
    re.IGNORECASE,
)
#: OpenAlex's subfield "Artificial Intelligence" (field Computer Science) and its older concept,
#: as bare numbers: records give them as URLs, as ``C154945302`` or (2026) as ``154945302``.
AI_SUBFIELD = "1702"
AI_CONCEPT = "154945302"
#: Works with more institutions than this are left out of collaboration counts (consortia).
MAX_COLLABORATORS = 50

#: Language tags of ``international.display_name`` in the order their names are taken: the
#: specific Chinese tags before the generic ``zh`` (whose text may be in either script).
_TAG_ORDER = {
    tag: i
    for i, tag in enumerate(
        ("zh-cn", "zh-hans", "zh-sg", "zh-my", "zh-tw", "zh-hant", "zh-hk", "zh-mo", "zh", "ja")
    )
}


def names_by_language(tagged: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Names given with a language tag (OpenAlex's ``international``, Wikidata's labels) sorted
    into the script columns by :func:`~aieco.graph.names.language_column`: the specific Chinese
    tags before the generic ``zh``, the first name of a column kept.

    >>> names_by_language([("zh", "清華大學"), ("zh-hans", "清华大学"), ("ja", "清華大学"), ("en", "X")])
    {'name_zh_hans': '清华大学', 'name_zh_hant': '清華大學', 'name_ja': '清華大学'}
    """
    names: dict[str, str] = {}
    for tag, name in sorted(tagged, key=lambda kv: _TAG_ORDER.get(kv[0].lower(), len(_TAG_ORDER))):
        column = language_column(tag, name)
        if column:
            names.setdefault(column, name)
    return names


def short_id(value: Any) -> str:
    """``https://openalex.org/I123`` → ``I123`` (and ``I123`` stays).

    >>> short_id("https://openalex.org/I99065089")
    'I99065089'
    """
    return str(value or "").rstrip("/").rsplit("/", 1)[-1]


def bare_number(value: Any) -> str:
    """The number an OpenAlex concept, topic or subfield id ends with, in any of its forms.

    >>> [bare_number(x) for x in ("https://openalex.org/C154945302", "C154945302", "154945302")]
    ['154945302', '154945302', '154945302']
    >>> bare_number("https://openalex.org/subfields/1702")
    '1702'
    """
    return short_id(value).lstrip("CTSFDcstfd")


def institution_type(kind: str, name: str, parent: NodeType | None = None) -> NodeType | None:
    """aieco's type for an OpenAlex institution, by a rule in four steps.

    1. OpenAlex's ``type`` when aieco maps it (:data:`INSTITUTION_TYPES`);
    2. otherwise (``funder``, missing, new types) the name: a university word in any of the
       languages OpenAlex names institutions in (University, Universidad, Hochschule, College,
       Institute of Technology, 大学 …) makes a University, a research word (Academy of
       Sciences, Research, Laboratory, 研究, 科学院 …) a ResearchLab;
    3. otherwise the type of its parent in OpenAlex's ``lineage``, when the pull holds that
       parent's full record;
    4. otherwise ``None``: the institution is kept in careers (it breaks chains) and its
       flows end at the place holding it.

    >>> institution_type("funder", "Imperial College London"), institution_type("education", "X")
    (<NodeType.UNIVERSITY: 'University'>, <NodeType.UNIVERSITY: 'University'>)
    >>> institution_type("funder", "Chinese Academy of Sciences"), institution_type("funder", "Shell")
    (<NodeType.RESEARCH_LAB: 'ResearchLab'>, None)
    """
    if kind in INSTITUTION_TYPES:
        return INSTITUTION_TYPES[kind]
    if _UNIVERSITY_NAME.search(name):
        return NodeType.UNIVERSITY
    if _RESEARCH_NAME.search(name):
        return NodeType.RESEARCH_LAB
    return parent


@dataclass(frozen=True)
class Institution:
    """The parts of an OpenAlex institution aieco uses (from its full record, or the dehydrated
    copy an author's affiliation or a work's authorship carries: then ``full`` is false)."""

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
    full: bool = True
    #: The registry the record comes from: ``openalex`` or ``ror`` (its node ids and links).
    registry: str = "openalex"
    #: Said on the entity's row (a ROR record's status, its successor …).
    note: str | None = None
    #: The year it was founded (Wikidata's inception), when the source gives one.
    year: int | None = None
    #: The city's coordinates from the source itself (Wikidata's P625 of the headquarters) and
    #: where they are stated; used when GeoNames cities15000 does not hold the city.
    city_coordinates: tuple[float, float, str] | None = None
    #: Its ids in the other registries (a Wikidata Q-id, an OpenAlex I-id), when the record names them.
    wikidata: str | None = None
    openalex: str | None = None

    @property
    def url(self) -> str:
        """The record's own address in its registry (``""`` for a source without one)."""
        base = {
            "ror": "https://ror.org/",
            "openalex": "https://openalex.org/",
            "wikidata": "https://www.wikidata.org/wiki/",
        }.get(self.registry)
        return f"{base}{self.id}" if base else ""

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

    def finest_place(self) -> str | None:
        """The key of the smallest place known to hold this institution (city, region, country)."""
        return self.place_key("City") or self.place_key("Region") or self.place_key("Country")

    @property
    def node_type(self) -> NodeType | None:
        """The aieco type by :func:`institution_type` (without the parent step)."""
        return institution_type(self.kind, self.name)

    @classmethod
    def from_record(cls, rec: Any, *, full: bool = True) -> Institution:
        """Read a full (or, with ``full=False``, dehydrated) OpenAlex institution object."""
        if not isinstance(rec, Mapping):
            raise RecordError(f"an institution must be a JSON object, got {type(rec).__name__}")
        own_id, display = json_text(rec.get("id"), "id"), json_text(rec.get("display_name"), "display_name")
        if not own_id or not display:
            raise RecordError(
                "an institution needs an id and a display_name", "id" if not own_id else "display_name"
            )
        record_id(own_id)
        geo = json_object(rec.get("geo"), "geo")
        for axis in ("latitude", "longitude"):
            if geo.get(axis) is not None and (
                not isinstance(geo[axis], int | float) or isinstance(geo[axis], bool)
            ):
                raise RecordError(
                    f"geo.{axis} must be a number, got {type(geo[axis]).__name__}", f"geo.{axis}"
                )
        international = json_object(
            json_object(rec.get("international"), "international").get("display_name"),
            "international.display_name",
        )
        code = (
            json_text(geo.get("country_code"), "geo.country_code")
            or json_text(rec.get("country_code"), "country_code")
            or ""
        ).upper() or None
        alternatives = [
            a for a in json_texts(rec.get("display_name_alternatives"), "display_name_alternatives") if a
        ]
        acronyms = [a for a in json_texts(rec.get("display_name_acronyms"), "display_name_acronyms") if a]
        names = names_by_language(
            (str(k), v) for k, v in international.items() if json_text(v, f"international.display_name.{k}")
        )
        for name in (display, *alternatives):  # names without a language: by script and country
            column = script_column(name, code)
            if column:
                names.setdefault(column, name)
        lineage = [short_id(x) for x in json_texts(rec.get("lineage"), "lineage")]
        parents = [
            short_id(a.get("id"))
            for a in json_objects(rec.get("associated_institutions"), "associated_institutions")
            if a.get("relationship") == "parent" and isinstance(a.get("id"), str)
        ]
        own = short_id(own_id)
        city_id = geo.get("geonames_city_id")
        if city_id is not None and not isinstance(city_id, str | int):
            raise RecordError("geo.geonames_city_id must be text or a number", "geo.geonames_city_id")
        return cls(
            id=own,
            name=display,
            kind=str(json_text(rec.get("type"), "type") or "").lower(),
            ror=json_text(rec.get("ror"), "ror"),
            country_code=code,
            country=json_text(geo.get("country"), "geo.country"),
            region=json_text(geo.get("region"), "geo.region"),
            city=json_text(geo.get("city"), "geo.city"),
            geonames_city_id=str(city_id) if city_id else None,
            names=names,
            aliases=tuple(
                dict.fromkeys(a.replace("|", "/") for a in [*alternatives, *acronyms] if a != display)
            ),
            parents=tuple(dict.fromkeys(p for p in [*lineage, *parents] if p and p != own)),
            homepage=json_text(rec.get("homepage_url"), "homepage_url"),
            full=full,
            wikidata=wikidata_qid(json_object(rec.get("ids"), "ids").get("wikidata")),
        )


def wikidata_qid(value: Any) -> str | None:
    """A Wikidata item's Q-id from its id or any of its addresses (``None`` for anything else).

    >>> wikidata_qid("https://www.wikidata.org/wiki/Q16952"), wikidata_qid("q14772"), wikidata_qid(7)
    ('Q16952', 'Q14772', None)
    """
    if not isinstance(value, str):
        return None
    tail = value.strip().rstrip("/").rsplit("/", 1)[-1].upper()
    return tail if re.fullmatch(r"Q[1-9][0-9]*", tail) else None


@dataclass(frozen=True)
class NoiseRule:
    """Which of a record's affiliations count as the researcher's, and which profiles are set aside.

    Attributes
    ----------
    min_years
        An affiliation counts only when the record shows it in at least this many distinct
        years (default 1: every affiliation OpenAlex lists; 2 sets aside one-year
        co-affiliations, and with them moves made in the last year of the record).
    max_median_per_year
        A profile whose median number of institutions per active year exceeds this looks like
        several people merged by OpenAlex's disambiguation (default 5: the real 2026 records of
        "Li Liu", 141 institutions, median 8 a year, and "Guozhong Zhang", median 9).
    exclude_flagged
        Leave flagged profiles out of every count (default), or keep them.
    """

    min_years: int = 1
    max_median_per_year: float = 5.0
    exclude_flagged: bool = True

    def describe(self) -> str:
        parts = []
        if self.min_years > 1:
            parts.append(f"affiliations shown in at least {self.min_years} years")
        flagged = "excluded" if self.exclude_flagged else "kept"
        parts.append(
            f"profiles with a median of over {self.max_median_per_year:g} institutions a year {flagged}"
        )
        return "; ".join(parts)


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
                if isinstance(year, int) and not isinstance(year, bool) and keep_year(year):
                    by_year[year].add(institution)
        return cls({y: frozenset(s) for y, s in by_year.items()})

    def median_per_year(self) -> float:
        """The median number of institutions over the years with any."""
        sizes = [len(s) for s in self.by_year.values() if s]
        return float(statistics.median(sizes)) if sizes else 0.0

    def at(self, place_of: Callable[[str], str | None]) -> Career:
        """The same career seen at a place level; an institution without a place stays as itself
        (marked ``?``), so it still separates the years around it and is never counted."""
        mapped = {y: frozenset(place_of(i) or f"?{i}" for i in s) for y, s in self.by_year.items()}
        return Career(mapped)

    def moves(
        self, *, one_organisation: Callable[[str, str], bool] | None = None
    ) -> list[tuple[str, str, int]]:
        """(left, joined, year) for every move; ``one_organisation(a, b)`` rules pairs out."""
        return [
            (gone, new, year)
            for year, before, now in _transitions(self.by_year)
            for gone in sorted(before - now)
            for new in sorted(now - before)
            if one_organisation is None or not one_organisation(gone, new)
        ]

    def stays_and_departures(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """(place, year) the author stayed at, and (place, year) the author left (unknown places,
        marked ``?``, are not reported)."""
        stayed, left = [], []
        for year, before, now in _transitions(self.by_year):
            stayed += [(p, year) for p in sorted(before & now) if not p.startswith("?")]
            left += [(p, year) for p in sorted(before - now) if not p.startswith("?")]
        return stayed, left


def researcher_key(author_id: str, salt: str) -> str:
    """A pseudonymous key for a researcher, stable within one pull (``salt``): flows count
    distinct people without naming them. The first 12 hex digits of SHA-256 of
    ``salt:author_id`` (so DuckDB's ``sha256`` makes the same keys).

    >>> researcher_key("A5023888391", "openalex-1")
    '1edbfa31669e'
    """
    return hashlib.sha256(f"{salt}:{author_id}".encode()).hexdigest()[:12]


def _ids(items: Any) -> Iterable[str]:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping):
            yield bare_number(item.get("id"))


def is_ai(rec: Mapping[str, Any]) -> bool:
    """Tell whether an author or work is about AI, in every vintage of OpenAlex records.

    True when a topic (``primary_topic``, ``topics``, ``topic_share``) lies in the subfield
    Artificial Intelligence (1702), or a concept (``x_concepts``, ``concepts``) is the concept
    Artificial intelligence (C154945302), whatever form the id takes (URL, ``C…``, bare number).

    >>> is_ai({"x_concepts": [{"id": "154945302"}]}), is_ai({"topics": [{"subfield": {"id": "1702"}}]})
    (True, True)
    >>> is_ai({"concepts": [{"id": "https://openalex.org/C41008148"}]})
    False
    """
    topics = [
        rec.get("primary_topic"),
        *_list_or_empty(rec.get("topics")),
        *_list_or_empty(rec.get("topic_share")),
    ]
    for topic in topics:
        subfield = topic.get("subfield") if isinstance(topic, Mapping) else None
        if isinstance(subfield, Mapping) and bare_number(subfield.get("id")) == AI_SUBFIELD:
            return True
    return any(c == AI_CONCEPT for key in ("x_concepts", "concepts") for c in _ids(rec.get(key)))


def _list_or_empty(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def affiliation_countries(rec: Mapping[str, Any]) -> set[str]:
    """Country codes of an author's affiliated institutions."""
    out = set()
    for a in _list_or_empty(rec.get("affiliations")):
        inst = a.get("institution") if isinstance(a, Mapping) else None
        if isinstance(inst, Mapping) and isinstance(inst.get("country_code"), str):
            out.add(inst["country_code"].upper())
    return out - {""}


def work_institutions(rec: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """(institution ids, country codes) named in a work's authorships."""
    ids, countries = set(), set()
    for authorship in _list_or_empty(rec.get("authorships")):
        if not isinstance(authorship, Mapping):
            continue
        for inst in _list_or_empty(authorship.get("institutions")):
            if isinstance(inst, Mapping) and isinstance(inst.get("id"), str) and inst["id"]:
                ids.add(short_id(inst["id"]))
                if isinstance(inst.get("country_code"), str) and inst["country_code"]:
                    countries.add(inst["country_code"].upper())
    return ids, countries
