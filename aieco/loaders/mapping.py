"""The mapping file that turns a user's spreadsheet into aieco's tables (TOML).

A mapping names, for one spreadsheet (CSV or XLSX), which column holds what::

    [source]                      # one source for the whole file ...
    id = "baidu-bases-press"
    title = "Press reports on Baidu's data-annotation bases"
    url_column = "source_url"     # ... or a public page per row (then a source per URL)
    quote_column = "quote"        # optional: the sentence that states the row

    [entity]
    id = "id"                     # optional: else a slug of name_en
    name_en = "base"
    name_zh_hans = "name_zh"      # any of name_zh_hans, name_zh_hant, name_ja, aliases
    type = "Park"                 # a fixed type ... or type_column = "kind"
    year = "opened"

    [place]
    city = "city"                 # resolved by any name in any script, else GeoNames
    country = "country"
    geonames = { "Suzhou" = 1886760 }   # settles an ambiguous name
    skip = ["online only"]        # values explicitly left without a place

    [[relation]]
    column = "operator"           # a name or id of another entity
    type = "OPERATES"
    direction = "in"              # operator → row's entity

    [[observation]]
    column = "staff"
    indicator = "staff_count"
    unit = "people"
    year = "opened"               # a column, or a fixed year

Unknown keys are refused (so a typo is not silently ignored), and every column the mapping
names must exist in the spreadsheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aieco.graph.schema import NodeType, ObservationKind, RelType


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Spec):
    """Where the rows come from: one source for the file, or a URL column."""

    id: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    url_column: str | None = None
    title_column: str | None = None
    quote_column: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> SourceSpec:
        if self.url_column is None and not (self.id and self.title and self.url):
            raise ValueError("give id, title and url for the whole file, or url_column for a source per row")
        return self


class EntitySpec(_Spec):
    """Which columns hold the entity of each row."""

    name_en: str
    id: str | None = None
    id_prefix: str = ""
    name_zh_hans: str | None = None
    name_zh_hant: str | None = None
    name_ja: str | None = None
    aliases: str | None = None
    description: str | None = None
    year: str | None = None
    type: NodeType | None = None
    type_column: str | None = None

    @model_validator(mode="after")
    def _typed(self) -> EntitySpec:
        if (self.type is None) == (self.type_column is None):
            raise ValueError("give either type (one type for every row) or type_column")
        if self.type in (NodeType.SOURCE, NodeType.OBSERVATION):
            raise ValueError(f"{self.type.value} is not an entity type")
        return self


class PlaceSpec(_Spec):
    """Which columns locate each row's entity."""

    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_name: str | None = None  # one country for every row
    relation: Literal["LOCATED_IN", "HEADQUARTERED_IN"] | None = None
    geonames: dict[str, int] = Field(default_factory=dict)
    skip: list[str] = Field(default_factory=list)


class RelationSpec(_Spec):
    """A column naming another entity, and how the row's entity relates to it."""

    column: str
    type: RelType
    direction: Literal["out", "in"] = "out"
    split: str = Field(default="|", min_length=1)


class ObservationSpec(_Spec):
    """A column of figures about the row's entity."""

    column: str
    indicator: str
    unit: str | None = None
    year: str | int | None = None
    kind: ObservationKind = "actual"


class Mapping(_Spec):
    """A whole mapping file."""

    source: SourceSpec
    entity: EntitySpec
    place: PlaceSpec | None = None
    relation: list[RelationSpec] = Field(default_factory=list)
    observation: list[ObservationSpec] = Field(default_factory=list)

    def columns(self) -> list[tuple[str, str]]:
        """Every column the mapping names, with the key that names it (``entity.name_en``)."""
        keys = {
            "source": ("url_column", "title_column", "quote_column"),
            "entity": (
                "id",
                "name_en",
                "name_zh_hans",
                "name_zh_hant",
                "name_ja",
                "aliases",
                "description",
                "year",
                "type_column",
            ),
            "place": ("city", "region", "country"),
        }
        found = []
        for section, names in keys.items():
            spec = getattr(self, section)
            for key in names:
                value = getattr(spec, key, None) if spec is not None else None
                if value is not None:
                    found.append((f"{section}.{key}", value))
        found += [(f"relation[{i}].column", r.column) for i, r in enumerate(self.relation)]
        for i, obs in enumerate(self.observation):
            found.append((f"observation[{i}].column", obs.column))
            if isinstance(obs.year, str):
                found.append((f"observation[{i}].year", obs.year))
        return found


def read_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    DataValidationError
        With the file and the key at fault (TOML syntax, an unknown key, a missing one).
    """
    from aieco.loaders.files import read_toml_model

    return read_toml_model(path, Mapping)
