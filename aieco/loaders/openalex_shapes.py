"""The JSON shapes of OpenAlex records that aieco reads, checked at the boundary: a record whose
field has the wrong type (a list for an object, text for a number, an id that is a path) is a
:class:`RecordError` naming the field, which the readers turn into one line naming the file and
line (or the URL) — never a traceback, never a silent guess."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aieco.graph.schema import MAX_YEAR, MIN_YEAR
from aieco.graph.text import MAX_TEXT, REFUSED


class RecordError(ValueError):
    """An OpenAlex record that aieco cannot use; the message says which field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def json_object(value: Any, field: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RecordError(f"{field} must be a JSON object, got {type(value).__name__}", field)
    return value


def json_list(value: Any, field: str) -> list[Any]:
    """A record's list field (``None``: empty); anything else is a :class:`RecordError` naming it."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"{field} must be a JSON list, got {type(value).__name__}", field)
    return value


def json_text(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {type(value).__name__}", field)
    bad = REFUSED.search(value)
    if bad:
        raise RecordError(
            f"{field} holds the character U+{ord(bad.group()):04X}, which aieco does not store", field
        )
    if len(value) > MAX_TEXT:
        raise RecordError(f"{field} is {len(value):,} characters long (at most {MAX_TEXT:,})", field)
    return value


#: An OpenAlex record id, as a URL or short (``https://openalex.org/A5023888391``, ``I99065089``).
OPENALEX_ID = re.compile(r"(?:https://openalex\.org/)?([A-Za-z]\d{1,20})")


def record_id(value: Any, field: str = "id") -> str:
    """A record's own OpenAlex id, short; anything else (a path, a list) names the field.

    >>> record_id("https://openalex.org/A5023888391")
    'A5023888391'
    """
    text = json_text(value, field)
    found = OPENALEX_ID.fullmatch(text or "")
    if found is None:
        raise RecordError(
            f"{field} must be an OpenAlex id such as https://openalex.org/I123, got {text!r}", field
        )
    return found.group(1)


def json_objects(value: Any, field: str) -> list[Mapping[str, Any]]:
    """A list field whose items must all be JSON objects (``None``: empty)."""
    items = json_list(value, field)
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise RecordError(
                f"{field}[{i}] must be a JSON object, got {type(item).__name__}", f"{field}[{i}]"
            )
    return items


def json_texts(value: Any, field: str) -> list[str]:
    """A list field whose items must all be text (``None``: empty)."""
    items = json_list(value, field)
    for i, item in enumerate(items):
        json_text(item, f"{field}[{i}]")
        if not isinstance(item, str):
            raise RecordError(f"{field}[{i}] must be text, got {type(item).__name__}", f"{field}[{i}]")
    return items


def whole_year(value: Any, field: str) -> int | None:
    """A year field: a whole number from MIN_YEAR to MAX_YEAR, or ``None``."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f"{field} must be a whole number, got {type(value).__name__}", field)
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise RecordError(f"{field} must be from {MIN_YEAR} to {MAX_YEAR}, got {value}", field)
    return value


def check_author(rec: Mapping[str, Any]) -> None:
    """Refuse an author record whose fields aieco reads have the wrong JSON shape (naming the field)."""
    record_id(rec.get("id"))
    for i, aff in enumerate(json_objects(rec.get("affiliations"), "affiliations")):
        json_object(aff.get("institution"), f"affiliations[{i}].institution")
        for j, year in enumerate(json_list(aff.get("years"), f"affiliations[{i}].years")):
            whole_year(year, f"affiliations[{i}].years[{j}]")


def check_work(rec: Mapping[str, Any]) -> None:
    """Refuse a work record whose fields aieco reads have the wrong JSON shape (naming the field)."""
    record_id(rec.get("id"))
    whole_year(rec.get("publication_year"), "publication_year")
    for i, authorship in enumerate(json_objects(rec.get("authorships"), "authorships")):
        json_objects(authorship.get("institutions"), f"authorships[{i}].institutions")


def check_topics(rec: Mapping[str, Any]) -> None:
    """Refuse topic and concept fields that are not lists (``primary_topic``: not an object);
    read only by the AI filter."""
    for key in ("topics", "topic_share", "x_concepts", "concepts"):
        json_list(rec.get(key), key)
    json_object(rec.get("primary_topic"), "primary_topic")
