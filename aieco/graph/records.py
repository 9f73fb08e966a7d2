"""Validated records: one pydantic model per kind of row in an aieco dataset.

A record knows only its own fields; references between records (an edge to an unknown
id, a source that does not exist) are checked when records become a graph
(:func:`aieco.graph.build.build_graph`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from aieco.graph.schema import (
    DERIVED_RELS,
    GEO_TYPES,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_TYPES,
    REL_SPECS,
    NodeType,
    ObservationKind,
    RelType,
    is_entity_type,
)
from aieco.graph.text import clean_text

#: Integers Neo4j can store (64-bit signed); larger ones are refused at load time.
INT64_MAX = 2**63 - 1

#: What an id looks like, and a date (also matched column-wise by :mod:`aieco.loaders.columns`).
ID_PATTERN = r"[a-z0-9][a-z0-9_.:-]*"
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
_ID_RE = re.compile(f"^{ID_PATTERN}$")
_INDICATOR_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE_RE = re.compile(f"^{DATE_PATTERN}$")


def _blank_to_none(value: Any) -> Any:
    if value == "":  # most cells of a wide table
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        return clean_text(value.strip())
    return value


def _split_list(value: Any) -> Any:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [clean_text(part.strip()) for part in value.split("|") if part.strip()]
    if isinstance(value, list | tuple):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    return value


#: A researcher key (pseudonymous): a short token
KEY_PATTERN = r"[A-Za-z0-9_.:-]{1,64}"
_KEY_RE = re.compile(KEY_PATTERN)


def _split_keys(value: Any) -> Any:
    """Researcher keys: ``a|b|c`` or a list, each a short token (no text cleaning needed)."""
    if value is None or value == "":
        return []
    items = value.split("|") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return items
    for item in items:
        if not isinstance(item, str) or not _KEY_RE.fullmatch(item):
            raise ValueError(
                f"researcher key {str(item)[:40]!r} is not a token of letters, digits and _ . : -"
            )
    return list(items)


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    return value


def _int64(value: int | None) -> int | None:
    if value is not None and not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValueError(f"{value} does not fit in 64 bits (the largest whole number Neo4j stores)")
    return value


def _text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _check_id(value: Any) -> str:
    if value is None:
        raise ValueError("an id is required")
    if not isinstance(value, str):
        raise ValueError(f"an id must be text, got {type(value).__name__} {value!r}")
    if not _ID_RE.match(value):
        raise ValueError(f"{value!r} is not a valid id (lower-case letters, digits and _ . : - only)")
    return value


def _check_year(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"year must be a whole number from {MIN_YEAR} to {MAX_YEAR}")
    try:
        year = int(str(value)) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(
            f"year must be a whole number from {MIN_YEAR} to {MAX_YEAR}, got {value!r}"
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year must be from {MIN_YEAR} to {MAX_YEAR}, got {year}")
    return year


def _check_date(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        return None
    text = str(value)
    if not _DATE_RE.match(text):
        raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    try:
        dt.date.fromisoformat(text if len(text) == 10 else (text + "-01-01")[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the calendar") from None
    return value


#: The date rule, for callers outside the models.
check_date = _check_date


def _check_entity_type(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is not None and not is_entity_type(str(value)):
        choices = ", ".join(sorted(t.value for t in NodeType if is_entity_type(t.value)))
        raise ValueError(f"unknown entity type {value!r}; expected one of {choices}")
    return value


def relation_key(given: str | None, frm: str, kind: str, to: str, year: int | None) -> str:
    """A relationship's id: the given one, or one made of its endpoints, type and year.

    >>> relation_key(None, "hefei", "LOCATED_IN", "anhui", None), relation_key("r1", "a", "T", "b", 2020)
    ('hefei|LOCATED_IN|anhui', 'r1')
    """
    if given:
        return given
    return f"{frm}|{kind}|{to}|{year}" if year is not None else f"{frm}|{kind}|{to}"


class FieldError(ValueError):
    """A record-level rule that fails because of one field; loaders report that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
Text = Annotated[str, BeforeValidator(_text)]
StrList = Annotated[list[str], BeforeValidator(_split_list)]
KeyList = Annotated[list[str], BeforeValidator(_split_keys)]
Id = Annotated[str, BeforeValidator(_blank_to_none), BeforeValidator(_check_id)]
Year = Annotated[int | None, BeforeValidator(_check_year)]
Date = Annotated[str | None, BeforeValidator(_check_date)]
EntityType = Annotated[NodeType, BeforeValidator(_check_entity_type)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none), AfterValidator(_finite)]
Float = Annotated[float, AfterValidator(_finite)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none), AfterValidator(_int64)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def properties(self) -> dict[str, Any]:
        """The record's non-empty fields, as graph properties (by their CSV names)."""
        out: dict[str, Any] = {}
        for name, value in self.model_dump(by_alias=True).items():
            if value is None or value == [] or value == "":
                continue
            out[name] = value
        return out


class _Provenance(_Record):
    source: Id
    quote: OptStr = None
    see_also: StrList = Field(default_factory=list)
    conflict: OptStr = None
    note: OptStr = None


class SourceRecord(_Record):
    """A document that facts cite: a seed article, a report, a public web page."""

    id: Id
    title: Text
    title_en: OptStr = None
    publisher: OptStr = None
    author: OptStr = None
    language: OptStr = None
    published: Date = None
    file: OptStr = None
    url: OptStr = None
    note: OptStr = None
    #: the claims ledger's counts for this document (sentences, fact sentences, captured ones)
    ledger_sentences: OptInt = Field(default=None, ge=0)
    ledger_facts: OptInt = Field(default=None, ge=0)
    ledger_captured: OptInt = Field(default=None, ge=0)
    #: sentences with rows that lack one of the sentence's figures; each one's ledger id, what is
    #: missing, and how many of its figures the rows hold (``3/5``)
    ledger_partial: OptInt = Field(default=None, ge=0)
    ledger_gap_ids: StrList = Field(default_factory=list)
    ledger_gap_details: StrList = Field(default_factory=list)
    ledger_gap_values: StrList = Field(default_factory=list)

    @model_validator(mode="after")
    def _locatable(self) -> SourceRecord:
        if not self.file and not self.url:
            raise FieldError("url", "a source needs a file name or a url")
        return self


class EntityRecord(_Provenance):
    """A place, organisation, person, plan, ranking, model or site."""

    id: Id
    type: EntityType
    name_en: Text
    name_zh_hans: OptStr = None
    name_zh_hant: OptStr = None
    name_ja: OptStr = None
    aliases: StrList = Field(default_factory=list)
    description: OptStr = None
    year: Year = None
    date: Date = None
    period_start: Year = None
    period_end: Year = None
    lat: OptFloat = Field(default=None, ge=-90, le=90)
    lon: OptFloat = Field(default=None, ge=-180, le=180)
    #: The source the coordinates come from (a source id), and the record in it.
    coord_source: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    coord_ref: OptStr = None
    url: OptStr = None
    #: Research Organization Registry id (https://ror.org/…), OpenAlex id (https://openalex.org/I…)
    #: and Wikidata item (https://www.wikidata.org/wiki/Q…): the ids sources are joined by.
    ror: OptStr = None
    openalex_id: OptStr = None
    wikidata_id: OptStr = None

    @model_validator(mode="after")
    def _type_rules(self) -> EntityRecord:
        if (self.lat is None) != (self.lon is None):
            raise FieldError(
                "lon" if self.lon is None else "lat", "lat and lon go together: give both or neither"
            )
        if self.lat is not None and self.type not in GEO_TYPES:
            raise FieldError("lat", f"a {self.type.value} cannot carry coordinates")
        if self.lat is not None and not self.coord_source:
            raise FieldError("coord_source", "coordinates need the source they come from")
        if self.coord_source and self.lat is None:
            raise FieldError("coord_source", "a coordinate source without coordinates")
        if (self.period_start or self.period_end) and self.type not in PERIOD_TYPES:
            raise FieldError("period_start", f"a {self.type.value} cannot carry a period")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise FieldError("period_end", "period_start is after period_end")
        return self


class RelationRecord(_Provenance):
    """A typed, directed relationship between two entities."""

    id: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    from_: Id = Field(alias="from")
    type: RelType
    to: Id
    rank: OptInt = Field(default=None, ge=1)
    year: Year = None
    date: Date = None
    period_start: Year = None
    period_end: Year = None
    share: OptFloat = Field(default=None, ge=0, le=1)
    count: OptFloat = Field(default=None, ge=0)
    role: OptStr = None
    #: Pseudonymous keys of the researchers a counted flow is made of (OpenAlex pulls): roll-ups
    #: and periods count distinct researchers from them.
    researchers: KeyList = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules(self) -> RelationRecord:
        if self.type in DERIVED_RELS:
            raise FieldError("type", f"{self.type.value} is derived from observations; do not write it")
        if REL_SPECS[self.type].needs_weight and self.share is None and self.count is None:
            raise FieldError("share", f"a {self.type.value} needs a share or a count")
        if self.from_ == self.to:
            raise FieldError("to", "a relationship cannot join an entity to itself")
        if self.researchers and self.type is not RelType.TALENT_FLOW:
            raise FieldError("researchers", "only a TALENT_FLOW lists researchers")
        if self.researchers and self.count != len(set(self.researchers)):
            raise FieldError("count", "a flow's count is the number of distinct researchers it lists")
        return self

    @property
    def key(self) -> str:
        """The relationship's id: the given one, or one made of its endpoints, type and year."""
        return relation_key(self.id, self.from_, self.type.value, self.to, self.year)


class ObservationRecord(_Provenance):
    """A quantitative claim about an entity: indicator, value, unit, time, source, quote."""

    id: Id
    subject: Id
    indicator: Text
    value: Float
    value_high: OptFloat = None
    value_text: OptStr = None
    unit: Text
    kind: ObservationKind = "actual"
    year: Year = None
    period_start: Year = None
    period_end: Year = None
    relative_to: Annotated[str | None, BeforeValidator(_blank_to_none)] = None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and not _blank_to_none(data.get("kind")):
            data = {**data, "kind": "actual"}
        return data

    @model_validator(mode="after")
    def _rules(self) -> ObservationRecord:
        if not _INDICATOR_RE.match(self.indicator):
            raise FieldError("indicator", f"indicator {self.indicator!r} must be snake_case")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise FieldError("period_end", "period_start is after period_end")
        if self.value_high is not None and self.value_high < self.value:
            raise FieldError("value_high", "value_high is below value")
        return self


Record = SourceRecord | EntityRecord | RelationRecord | ObservationRecord


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file and 1-based line (the header is line 1)."""

    file: str
    row: int


@dataclass
class TableColumns:
    """Rows of one big table, checked column-wise, as typed columns (``None`` = blank).

    Read by :mod:`aieco.loaders.columns`; the dataset checks and the graph builder read the
    columns without one object per row. Each column holds one value per row, by CSV name
    (``None`` for a blank cell; a blank list cell too, not an empty list). Columns blank on
    every row may share one list: the columns are read, never changed.
    """

    file: str
    #: each row's line in its file (the header is line 1)
    lines: Sequence[int]
    columns: dict[str, list[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def release(self) -> None:
        """Drop the columns (their rows are in a graph now); the table is empty afterwards."""
        self.columns.clear()
        self.lines = ()

    def row_dicts(self, names: Iterable[str]) -> list[dict[str, Any]]:
        """One dict per row of the named columns' non-blank cells, built a column at a time.

        >>> t = TableColumns("t.csv", [2, 3], {"a": [1, None], "b": ["x", "y"], "c": [None, None]})
        >>> t.row_dicts(["a", "b", "c"])
        [{'b': 'x', 'a': 1}, {'b': 'y'}]
        """
        blanks = {c: self.columns[c].count(None) for c in names}  # counted in C, not per cell in Python
        filled = [c for c in names if blanks[c] < len(self)]
        dense = [c for c in filled if blanks[c] == 0]
        if len(dense) == 1:
            (only,) = dense
            rows = [{only: x} for x in self.columns[only]]
        elif dense:
            rows = [
                dict(zip(dense, values, strict=True))
                for values in zip(*(self.columns[c] for c in dense), strict=True)
            ]
        else:
            rows = [{} for _ in range(len(self))]
        for c in filled:
            if c in dense:
                continue
            for row, x in zip(rows, self.columns[c], strict=True):
                if x is not None:
                    row[c] = x
        return rows


@dataclass
class EntityColumns(TableColumns):
    """Entities of one big table, checked column-wise (``type`` holds the type's name)."""

    def nodes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(id, properties)`` per row, the properties as :meth:`EntityRecord.properties` gives them."""
        names = [c for c in self.columns if c != "id"]
        return zip(self.columns["id"], self.row_dicts(names), strict=True)


@dataclass
class RelationColumns(TableColumns):
    """Relationships of one big table, checked column-wise."""

    _keys: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    def keys(self) -> list[str]:
        """Each row's relationship id: its ``id``, or its endpoints, type and year (made once:
        the columns are complete when the reader hands the table over)."""
        if self._keys is None:
            given = self.columns["id"]
            if None not in given:
                self._keys = given
            else:
                cols = (self.columns[c] for c in ("id", "from", "type", "to", "year"))
                self._keys = [relation_key(*row) for row in zip(*cols, strict=True)]
        return self._keys

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """``(from, to, key, properties)`` per row."""
        names = [c for c in self.columns if c not in ("id", "from", "to")]
        return zip(self.columns["from"], self.columns["to"], self.keys(), self.row_dicts(names), strict=True)

    def release(self) -> None:
        super().release()
        self._keys = None


@dataclass
class Dataset:
    """Validated records with their origins, ready to become a graph."""

    sources: list[tuple[SourceRecord, Origin]] = field(default_factory=list)
    entities: list[tuple[EntityRecord, Origin]] = field(default_factory=list)
    relations: list[tuple[RelationRecord, Origin]] = field(default_factory=list)
    observations: list[tuple[ObservationRecord, Origin]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: ids of rows that failed their own validation (references to them are not re-reported)
    failed_ids: set[str] = field(default_factory=set)
    #: big entity and relation tables read column-wise (see :class:`TableColumns`)
    entity_columns: list[EntityColumns] = field(default_factory=list)
    relation_columns: list[RelationColumns] = field(default_factory=list)

    def extend(self, other: Dataset) -> None:
        """Add another dataset's records (and files) to this one."""
        self.sources += other.sources
        self.entities += other.entities
        self.relations += other.relations
        self.observations += other.observations
        self.files += other.files
        self.failed_ids |= other.failed_ids
        self.entity_columns += other.entity_columns
        self.relation_columns += other.relation_columns
