"""The SQL pieces of the DuckDB snapshot reader (:mod:`aieco.loaders.openalex_duckdb`): the
fields read and their types, the shape flags that hand a misshapen record to the strict reader,
and SQL twins of :func:`~aieco.loaders.openalex_model.short_id`, ``bare_number`` and ``is_ai``."""

from __future__ import annotations

from collections.abc import Iterable

from aieco.graph.schema import MAX_YEAR, MIN_YEAR
from aieco.loaders.openalex_model import AI_CONCEPT, AI_SUBFIELD

DEHYDRATED = (
    "STRUCT(id VARCHAR, display_name VARCHAR, ror VARCHAR, country_code VARCHAR, type VARCHAR, "
    "lineage VARCHAR[])"
)
#: Topic and concept fields are read as JSON, checked for shape, then given their structure.
TOPIC_SHAPES = {
    "x_concepts": ('[{"id": "VARCHAR"}]', "ARRAY"),
    "concepts": ('[{"id": "VARCHAR"}]', "ARRAY"),
    "topics": ('[{"subfield": {"id": "VARCHAR"}}]', "ARRAY"),
    "topic_share": ('[{"subfield": {"id": "VARCHAR"}}]', "ARRAY"),
    "primary_topic": ('{"subfield": {"id": "VARCHAR"}}', "OBJECT"),
}
AUTHOR_COLUMNS = {
    "id": "VARCHAR",
    "display_name": "VARCHAR",
    "affiliations": f"STRUCT(institution {DEHYDRATED}, years JSON[])[]",
    "x_concepts": "JSON",
    "concepts": "JSON",
    "topics": "JSON",
    "topic_share": "JSON",
    "primary_topic": "JSON",
    "last_known_institution": "JSON",
    "last_known_institutions": "JSON",
}
WORK_COLUMNS = {
    "id": "VARCHAR",
    "publication_year": "JSON",
    "authorships": f"STRUCT(institutions {DEHYDRATED}[])[]",
    "concepts": "JSON",
    "topics": "JSON",
    "primary_topic": "JSON",
}


class ShapeError(Exception):
    """A record whose shape the strict reader refuses (DuckDB reads it leniently): the snapshot
    is read again record by record, which names the file, line and field."""


def year_ok_sql(expr: str) -> str:
    """SQL: a JSON year the strict reader accepts (null, or a whole number in the schema's range)."""
    return (
        f"(json_type({expr}) = 'NULL' OR (json_type({expr}) IN ('BIGINT', 'UBIGINT') "
        f"AND TRY_CAST({expr} AS BIGINT) BETWEEN {MIN_YEAR} AND {MAX_YEAR}))"
    )


def scan_sql(columns: dict[str, str], misshapen: str) -> str:
    """SQL: the part files (``?``, ``?`` for the columns) with topic fields structured and a
    ``misshapen`` flag: the record's id is no OpenAlex id, a topic field has the wrong JSON type,
    or ``misshapen`` (entity-specific) holds."""
    present = [k for k in TOPIC_SHAPES if k in columns]
    checks = [
        "NOT regexp_full_match(coalesce(id, ''), '(https://openalex\\.org/)?[A-Za-z][0-9]{1,20}')",
        *(f"coalesce(json_type({k}), 'NULL') NOT IN ('{TOPIC_SHAPES[k][1]}', 'NULL')" for k in present),
        misshapen,
    ]
    replace = ", ".join(
        f"CASE WHEN json_type({k}) = '{TOPIC_SHAPES[k][1]}' "
        f"THEN json_transform({k}, '{TOPIC_SHAPES[k][0]}') END AS {k}"
        for k in present
    )
    return (
        f"(SELECT * {f'REPLACE ({replace})' if replace else ''}, ({' OR '.join(checks)}) AS misshapen "
        "FROM read_ndjson(?, columns = ?, format = 'newline_delimited', maximum_object_size = 268435456))"
    )


def short_sql(expr: str) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.short_id`."""
    return f"string_split(rtrim({expr}, '/'), '/')[-1]"


def bare_sql(expr: str) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.bare_number`."""
    return f"ltrim({short_sql(expr)}, 'CTSFDcstfd')"


def is_ai_sql(topic_lists: Iterable[str], single: Iterable[str], concept_lists: Iterable[str]) -> str:
    """SQL for :func:`~aieco.loaders.openalex_model.is_ai` over the named columns."""
    topics = " || ".join([*(f"coalesce({t}, [])" for t in topic_lists), *(f"[{t}]" for t in single)])
    concepts = " || ".join(f"coalesce({c}, [])" for c in concept_lists)
    return (
        f"(len(list_filter({topics}, lambda t: {bare_sql('t.subfield.id')} = '{AI_SUBFIELD}')) > 0"
        f" OR len(list_filter({concepts}, lambda c: {bare_sql('c.id')} = '{AI_CONCEPT}')) > 0)"
    )


def years_sql(expr: str) -> str:
    """SQL: the years of a JSON list, distinct (its ``NULL`` left out). Only for a list that
    :func:`years_bad_sql` passes: the cast is lenient (``"2021"`` and ``true`` would pass)."""
    return f"list_distinct(TRY_CAST(coalesce({expr}, []) AS BIGINT[]))"


#: A JSON list's text (DuckDB writes ``[2019, NULL, 2020]``) holding only short whole numbers
#: and nulls: text, booleans, fractions (``2019.5``, ``1000.0``), signs and lists have other text
_WHOLE_YEARS = r"\[((\d{1,4}|NULL)(, (\d{1,4}|NULL))*)?\]"


def years_bad_sql(expr: str, years: str) -> str:
    """SQL: a JSON list of years holds a value the strict reader refuses (one that is not null
    nor a whole number in the schema's range); a missing list is no fault. ``years`` names the
    list's :func:`years_sql`. One pattern match of the list's text and its range, instead of a
    JSON type test of each value."""
    return (
        f"(NOT coalesce(regexp_full_match(CAST({expr} AS VARCHAR), '{_WHOLE_YEARS}'), true) OR "
        f"coalesce(list_min({years}) < {MIN_YEAR} OR list_max({years}) > {MAX_YEAR}, false))"
    )
