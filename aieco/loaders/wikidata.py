"""Companies, labs, universities and agencies from Wikidata (CC0) entity JSON.

:func:`pull_wikidata` reads Wikidata's entity JSON in the forms it is published in — one
entity (``Special:EntityData/Q….json``), a ``wbgetentities`` answer, or the JSON dump, one entity
per line (gzip or not) — and builds the organisations among them through the same pieces as the
ROR and OpenAlex loaders: the institution model and its typing rule, the resolver of bundled
entities (ROR id, any name in any script), the GeoNames place chain and the one row builder and
validation. Entities that are not organisations (places, people …) are read only to name what
the organisations point to: a headquarters city, a country, a parent.

* **which statements**: of each property, the *preferred* statements if any, else the *normal*
  ones; *deprecated* statements and ``novalue`` / ``somevalue`` snaks are never used;
  qualifiers and references are not read;
* **types** (P31 "instance of"): the classes in :data:`ORGANISATION_CLASSES` give aieco's type
  (university, company, research institute, government agency …); any other item is not an
  organisation and is counted, not guessed;
* **names**: the English label (else the first label) is ``name_en``; Chinese and Japanese
  labels fill 简体 / 繁體 / 日本語 by the rule the OpenAlex reader uses
  (:func:`~aieco.loaders.openalex_model.names_by_language`: specific tags before ``zh``, the
  script deciding Simplified or Traditional); English aliases become aliases;
* **places**: the headquarters (P159) when that item is read: its label and GeoNames id (P1566)
  → city, the city's or organisation's country (P17) with its ISO code (P297) → country;
* **joins**: ROR id (P6782) merges with ROR and bundled records; the OpenAlex id (P10283),
  inception (P571, as the entity's ``year``), founders (P112) and official website (P856) are
  kept on the row; parent organisation (P749) becomes ``PART_OF`` when the parent is read;
* **founders**, when asked (``founders=True``): each founder whose item is read and is a human
  (P31 Q5) becomes a Person who ``FOUNDED`` the organisation (a bundled person only when the
  English *and* a Chinese or Japanese name agree); other founders are counted;
* **redirects**: an entity served under another id (``redirects: {from, to}``) is read once.

Examples
--------
>>> best({"P17": [
...     {"rank": "deprecated", "mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q1"}}}},
...     {"rank": "normal", "mainsnak": {"snaktype": "novalue"}},
...     {"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q148"}}}},
... ]}, "P17")
[{'id': 'Q148'}]
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aieco.errors import DataValidationError, Problem
from aieco.loaders.files import check_readable
from aieco.loaders.openalex_model import Institution, names_by_language
from aieco.loaders.openalex_shapes import RecordError
from aieco.loaders.pull import Pull, graph_of
from aieco.loaders.ror import registry_accumulator, registry_pull

logger = logging.getLogger(__name__)

__all__ = [
    "ORGANISATION_CLASSES",
    "WIKIDATA_DROP_UNITS",
    "best",
    "graph_from_wikidata",
    "pull_from_entities",
    "pull_wikidata",
    "wikidata_institution",
]

#: Wikidata classes (P31 values) → the OpenAlex/ROR kind whose aieco type they get.
ORGANISATION_CLASSES: dict[str, str] = {
    # universities and colleges
    "Q3918": "education",  # university
    "Q875538": "education",  # public university
    "Q902104": "education",  # private university
    "Q15936437": "education",  # research university
    "Q1371037": "education",  # institute of technology
    "Q189004": "education",  # college
    # companies
    "Q4830453": "company",  # business
    "Q783794": "company",  # company
    "Q6881511": "company",  # enterprise
    "Q891723": "company",  # public company
    "Q167037": "company",  # corporation
    "Q1058914": "company",  # software company
    "Q18388277": "company",  # technology company
    "Q219577": "company",  # holding company
    "Q21980538": "company",  # commercial organization
    # research organisations
    "Q31855": "facility",  # research institute
    "Q483242": "facility",  # laboratory
    "Q7315155": "facility",  # research center
    "Q1664720": "facility",  # institute
    # government
    "Q327333": "government",  # government agency
    "Q2659904": "government",  # government organization
}
#: What each reason of a Wikidata pull's ``dropped`` counts.
WIKIDATA_DROP_UNITS = {
    "not an organisation aieco types (P31)": "items",
    "entity read again (a redirect or a repeat)": "items",
    "headquarters not among the entities read": "organisations",
    "country not among the entities read": "organisations",
    "founder not a person among the entities read": "founders",
}
#: Wikidata's class of people ("human"): a founder is a Person when its item is one.
HUMAN = "Q5"


def best(claims: Mapping[str, Any], prop: str) -> list[Any]:
    """The values of ``prop``'s best statements: preferred ones if any, else normal ones
    (deprecated statements, ``novalue`` and ``somevalue`` never count)."""
    statements = [s for s in claims.get(prop) or [] if isinstance(s, Mapping)]
    ranked = [s for s in statements if s.get("rank") == "preferred"] or [
        s for s in statements if s.get("rank", "normal") == "normal"
    ]
    values = []
    for statement in ranked:
        snak = statement.get("mainsnak")
        if isinstance(snak, Mapping) and snak.get("snaktype", "value") == "value":
            value = (snak.get("datavalue") or {}).get("value")
            if value is not None:
                values.append(value)
    return values


def _item(value: Any) -> str | None:
    return str(value["id"]) if isinstance(value, Mapping) and isinstance(value.get("id"), str) else None


def _text(claims: Mapping[str, Any], prop: str) -> str | None:
    return next((v for v in best(claims, prop) if isinstance(v, str) and v), None)


def _year(claims: Mapping[str, Any], prop: str) -> int | None:
    """The year of a time value (``+2000-01-01T00:00:00Z``, precision year or finer)."""
    for value in best(claims, prop):
        text = value.get("time") if isinstance(value, Mapping) else None
        whole_year = isinstance(text, str) and len(text) > 5 and text[0] == "+" and text[1:5].isdigit()
        if whole_year and int(value.get("precision", 9)) >= 9:
            return int(str(text)[1:5])
    return None


def _label(entity: Mapping[str, Any], lang: str = "en") -> str | None:
    labels = entity.get("labels") or {}
    own = labels.get(lang) if isinstance(labels, Mapping) else None
    if isinstance(own, Mapping) and isinstance(own.get("value"), str):
        return str(own["value"])
    first = (
        next((v for v in labels.values() if isinstance(v, Mapping)), None)
        if isinstance(labels, Mapping)
        else None
    )
    return str(first["value"]) if first and isinstance(first.get("value"), str) else None


def _names(entity: Mapping[str, Any]) -> dict[str, str]:
    """An entity's Chinese and Japanese labels by script column."""
    labels = entity.get("labels") or {}
    return names_by_language(
        (str(tag), label["value"])
        for tag, label in (labels.items() if isinstance(labels, Mapping) else ())
        if isinstance(label, Mapping) and isinstance(label.get("value"), str) and label["value"]
    )


def wikidata_institution(
    entity: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]
) -> Institution | None:
    """A Wikidata item as the institution model the loaders share (``None``: not an
    organisation aieco types); ``known`` holds the other items read, by id (headquarters,
    countries)."""
    if not isinstance(entity.get("id"), str) or not isinstance(entity.get("claims", {}), Mapping):
        raise RecordError("a Wikidata entity needs an id and claims", "id")
    claims = entity.get("claims") or {}
    classes = [c for c in (_item(v) for v in best(claims, "P31")) if c]
    kind = next((ORGANISATION_CLASSES[c] for c in classes if c in ORGANISATION_CLASSES), None)
    name = _label(entity)
    if kind is None or not name:
        return None
    names = _names(entity)
    aliases = [
        a["value"]
        for a in (entity.get("aliases") or {}).get("en") or []
        if isinstance(a, Mapping) and isinstance(a.get("value"), str) and a["value"] != name
    ]
    hq = known.get(next((q for q in map(_item, best(claims, "P159")) if q), ""), {})
    hq_claims = hq.get("claims") or {}
    country_id = next((q for q in map(_item, best(claims, "P17") or best(hq_claims, "P17")) if q), None)
    country = known.get(country_id or "", {})
    ror = _text(claims, "P6782")
    notes = []  # the item's own link and its OpenAlex id have columns: wikidata_id, openalex_id
    founders = [q for q in map(_item, best(claims, "P112")) if q]
    if founders:
        notes.append("founded by " + ", ".join(_label(known[q]) or q if q in known else q for q in founders))
    return Institution(
        id=str(entity["id"]),
        name=name,
        kind=kind,
        ror=f"https://ror.org/{ror}" if ror else None,
        country_code=(_text(country.get("claims") or {}, "P297") or "").upper() or None,
        country=_label(country) if country else None,
        city=_label(hq) if hq else None,
        geonames_city_id=_text(hq_claims, "P1566") if hq else None,
        names=names,
        aliases=tuple(dict.fromkeys(a.replace("|", "/") for a in aliases)),
        parents=tuple(q for q in map(_item, best(claims, "P749")) if q),
        homepage=_text(claims, "P856"),
        registry="wikidata",
        note="; ".join(notes) or None,
        year=_year(claims, "P571"),
        city_coordinates=_coordinates(hq) if hq else None,
        openalex=_text(claims, "P10283"),
    )


def _founders(acc: Any, qid: str, claims: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> None:
    """Each founder of ``qid`` whose item was read and is a human, kept as a Person."""
    for person in (q for q in map(_item, best(claims, "P112")) if q):
        item = known.get(person, {})
        name = _label(item) if item else None
        if not name or HUMAN not in {_item(v) for v in best(item.get("claims") or {}, "P31")}:
            acc.drop("founder not a person among the entities read", f"{person} (a founder of {qid})")
            continue
        acc.founders.setdefault(person, (name, _names(item), []))[2].append(qid)


def _coordinates(item: Mapping[str, Any]) -> tuple[float, float, str] | None:
    """An item's coordinate location (P625, on Earth) with the address that states it."""
    for value in best(item.get("claims") or {}, "P625"):
        if not isinstance(value, Mapping):
            continue
        lat, lon = value.get("latitude"), value.get("longitude")
        globe = str(value.get("globe") or "http://www.wikidata.org/entity/Q2")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            continue
        y, x = float(lat), float(lon)  # type: ignore[arg-type]  # numbers, checked above
        if globe.endswith("/Q2") and -90 <= y <= 90 and -180 <= x <= 180:
            return y, x, f"https://www.wikidata.org/wiki/{item.get('id')} (P625)"
    return None


def iter_entities(paths: list[str | Path]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(file, line or item number, entity) for every entity in the files and folders given."""
    for given in paths:
        path = Path(given)
        files = (
            sorted(p for p in path.rglob("*") if p.suffix in (".json", ".gz", ".jsonl"))
            if path.is_dir()
            else [path]
        )
        for file in files:
            refused = check_readable(file)
            if refused is not None:
                raise DataValidationError([refused])
            opener: Any = gzip.open if file.suffix == ".gz" else open
            try:
                with opener(file, "rt", encoding="utf-8") as fh:
                    first = fh.read(1)
                    rest = fh.read() if first == "{" else None
                    if rest is not None:  # one JSON document: an entity or {"entities": {…}}
                        yield from _document(str(file), first + rest)
                        continue
                    fh.seek(0)
                    for n, line in enumerate(fh, start=1):  # the dump: "[", one entity a line, "]"
                        text = line.strip().rstrip(",")
                        if text in ("", "[", "]"):
                            continue
                        yield str(file), n, _json(str(file), n, text)
            except (OSError, EOFError, UnicodeDecodeError) as exc:
                raise DataValidationError([Problem(str(file), 0, "", f"cannot read: {exc}")]) from exc


def _json(file: str, line: int, text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataValidationError([Problem(file, line, "", f"not JSON: {str(exc)[:80]}")]) from exc
    if not isinstance(value, dict):
        raise DataValidationError([Problem(file, line, "", "a Wikidata entity must be a JSON object")])
    return value


def _document(file: str, text: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    payload = _json(file, 1, text)
    if "head" in payload and "results" in payload:
        from aieco.loaders.wikidata_sparql import entities_from_results

        yield from entities_from_results(file, payload)
        return
    if "entities" not in payload and not ("id" in payload and ("claims" in payload or "labels" in payload)):
        raise DataValidationError([Problem(file, 1, "", "not Wikidata entity JSON nor a SPARQL result")])
    entities = payload.get("entities", {payload.get("id", ""): payload})
    if not isinstance(entities, Mapping):
        raise DataValidationError([Problem(file, 1, "entities", "'entities' must be an object")])
    for n, (key, entity) in enumerate(entities.items(), start=1):
        if not isinstance(entity, dict):
            raise DataValidationError([Problem(file, n, str(key), "a Wikidata entity must be a JSON object")])
        yield file, n, entity


def pull_wikidata(paths: list[str | Path], *, founders: bool = False, with_bundled: bool = True) -> Pull:
    """Organisations and their places from Wikidata entity JSON (see the module docstring);
    ``founders``: also each founder (P112) whose item is read and is a human, as a Person who
    FOUNDED the organisation."""
    first = Path(paths[0]).resolve() if paths else Path(".")
    return pull_from_entities(
        iter_entities(paths),
        title=f"Wikidata: entities read from {first.name}",
        url=first.as_uri(),
        founders=founders,
        with_bundled=with_bundled,
    )


def pull_from_entities(
    found: Iterable[tuple[str, int, dict[str, Any]]],
    *,
    title: str,
    url: str,
    founders: bool = False,
    with_bundled: bool = True,
) -> Pull:
    """The pull of Wikidata entities (file or URL, item number, entity), however they were read."""
    acc, source = registry_accumulator(
        title, url=url, publisher="Wikidata, CC0 1.0", with_bundled=with_bundled
    )
    entities: dict[str, tuple[str, dict[str, Any]]] = {}
    for file, n, entity in found:
        acc.read["entities"] += 1
        qid = entity.get("id")
        if not isinstance(qid, str) or not qid:
            raise DataValidationError([Problem(file, n, "id", "a Wikidata entity needs an id")])
        redirect = entity.get("redirects")
        if isinstance(redirect, Mapping) and isinstance(redirect.get("from"), str):
            acc.read["redirects followed"] += 1
        if qid in entities:
            acc.drop("entity read again (a redirect or a repeat)", qid)
        entities[qid] = (f"{file}:{n}", entity)
    known = {qid: entity for qid, (_, entity) in entities.items()}
    for qid, (where, entity) in sorted(entities.items()):
        try:
            inst = wikidata_institution(entity, known)
        except RecordError as exc:
            file, _, line = where.rpartition(":")
            raise DataValidationError([Problem(file, int(line), exc.field, str(exc))]) from exc
        if inst is None:
            acc.drop("not an organisation aieco types (P31)", f"{qid} ({_label(entity) or 'no label'})")
            continue
        claims = entity.get("claims") or {}
        if best(claims, "P159") and inst.city is None:
            acc.drop("headquarters not among the entities read", qid)
        if inst.country_code is None:
            acc.drop("country not among the entities read", qid)
        acc.put(inst)
        if founders:
            _founders(acc, qid, claims, known)
    return registry_pull(
        acc, source, name=title, about="wikidata", units=WIKIDATA_DROP_UNITS, id_column="wikidata_id"
    )


#: The graph of :func:`pull_wikidata` (its report under ``G.graph``).
graph_from_wikidata = graph_of(pull_wikidata)
