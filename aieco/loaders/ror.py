"""Research organisations from ROR, the Research Organization Registry (CC0).

:func:`pull_ror` reads ROR records — the data dump (a zip holding one JSON array, or that
JSON file), single records (the body of ``GET https://api.ror.org/v2/organizations/{id}``) or
folders of them — in schema v2 and v1, and builds organisations with their places through the
same pieces as the OpenAlex loader: the institution model and its typing rule, the resolver of
bundled entities (ROR id, any name in any script), the GeoNames place chain and the one row
builder and validation.

* **types**: the first of the record's ROR types aieco maps (education → University, company →
  Company, government → GovernmentBody; facility, nonprofit, healthcare, archive, other →
  ResearchLab); a record that is only a ``funder`` is typed by its name (University …, Research
  …), else skipped and counted;
* **names**: the ``ror_display`` name (v1: ``name``) in English, the others sorted into
  简体 / 繁體 / 日本語 by their language tag (``zh``, ``ja``; ROR also writes ``kr``) or, without a
  tag, by their script; the rest are aliases;
* **places**: the first location's GeoNames city (coordinates from GeoNames cities15000) →
  its country subdivision (v1: GeoNames admin-1) → country, existing places reused;
* **relationships**: ``PART_OF`` from each ``parent`` relationship whose parent is read too
  (or is a bundled entity with that ROR id);
* **status**: withdrawn records are skipped and counted (their successor named in
  ``dropped.tsv``); inactive ones are kept with a note; a record met twice keeps its latest
  version (``admin.last_modified``).

Examples
--------
>>> org = ror_institution({"id": "https://ror.org/03vs3wt56", "types": ["company", "funder"],
...     "names": [{"lang": None, "types": ["ror_display"], "value": "Baidu (China)"},
...               {"lang": "zh", "types": ["label"], "value": "百度"}],
...     "locations": [{"geonames_id": 1816670, "geonames_details": {"country_code": "CN",
...         "country_name": "China", "country_subdivision_name": "Beijing", "name": "Beijing"}}]})
>>> org.id, org.kind, org.names, org.city, org.region
('03vs3wt56', 'company', {'name_zh_hans': '百度'}, 'Beijing', 'Beijing')
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aieco.errors import DataValidationError, InvalidArgumentError, Problem
from aieco.graph.names import language_column, script_column
from aieco.loaders.openalex_model import INSTITUTION_TYPES, Institution, short_id, wikidata_qid
from aieco.loaders.openalex_rows import build_rows
from aieco.loaders.openalex_shapes import RecordError
from aieco.loaders.openalex_tables import Accumulator, OpenAlexFilters, pull_source
from aieco.loaders.pull import Pull, graph_of
from aieco.loaders.resolve import Resolver

logger = logging.getLogger(__name__)

__all__ = ["ROR_DROP_UNITS", "graph_from_ror", "pull_from_records", "pull_ror", "ror_institution"]

#: What each reason of a ROR pull's ``dropped`` counts.
ROR_DROP_UNITS = {
    "withdrawn record": "records",
    "type aieco cannot map": "records",
    "older version of a record read again": "records",
    "id the ROR API does not have (404)": "records",
}
#: ROR's non-ISO language codes, as they occur in real records.
_LANGUAGE_FIXES = {"kr": "ko"}


def _names(rec: Mapping[str, Any], country: str | None) -> tuple[str, dict[str, str], list[str]]:
    """(display name, names by script column, aliases) of a v2 or v1 record."""
    names: dict[str, str] = {}
    others: list[str] = []
    if "names" in rec:  # schema v2
        entries = [
            n for n in rec.get("names") or [] if isinstance(n, Mapping) and isinstance(n.get("value"), str)
        ]
        display = next((n["value"] for n in entries if "ror_display" in (n.get("types") or [])), None)
        display = display or next((n["value"] for n in entries), None)
        tagged = [(str(n.get("lang") or ""), n["value"]) for n in entries if n["value"] != display]
    else:  # schema v1
        display = rec.get("name") if isinstance(rec.get("name"), str) else None
        tagged = [(str(lb.get("iso639") or ""), lb.get("label")) for lb in rec.get("labels") or []]
        tagged += [("", a) for a in [*(rec.get("aliases") or []), *(rec.get("acronyms") or [])]]
    if not display:
        raise RecordError("a ROR record needs a name", "names")
    for lang, value in tagged:
        if not isinstance(value, str) or not value:
            continue
        lang = _LANGUAGE_FIXES.get(lang.lower(), lang.lower())
        column = language_column(lang, value) if lang else script_column(value, country)
        if column and column not in names:
            names[column] = value
        elif value != display:
            others.append(value)
    return display, names, list(dict.fromkeys(others))


def _place(rec: Mapping[str, Any]) -> dict[str, Any]:
    """Country code and name, region, city and GeoNames id of the first location."""
    if "locations" in rec:  # v2
        loc = next(iter(rec.get("locations") or []), None) or {}
        geo = loc.get("geonames_details") or {}
        return {
            "country_code": geo.get("country_code"),
            "country": geo.get("country_name"),
            "region": geo.get("country_subdivision_name"),
            "city": geo.get("name"),
            "geonames_city_id": str(loc["geonames_id"]) if loc.get("geonames_id") else None,
        }
    country = rec.get("country") or {}
    addr = next(iter(rec.get("addresses") or []), None) or {}
    city = addr.get("geonames_city") or {}
    return {
        "country_code": country.get("country_code"),
        "country": country.get("country_name"),
        "region": (city.get("geonames_admin1") or {}).get("name"),
        "city": city.get("city") or addr.get("city"),
        "geonames_city_id": str(city["id"]) if city.get("id") else None,
    }


def _kind(types: list[str]) -> str:
    """The first ROR type aieco maps (else the first type, e.g. ``funder``)."""
    lowered = [t.lower() for t in types if isinstance(t, str)]
    return next((t for t in lowered if t in INSTITUTION_TYPES), lowered[0] if lowered else "")


def ror_institution(rec: Mapping[str, Any]) -> Institution:
    """A ROR record (schema v2 or v1) as the institution model the loaders share."""
    if not isinstance(rec, Mapping) or not isinstance(rec.get("id"), str):
        raise RecordError("a ROR record needs an id", "id")
    place = _place(rec)
    display, names, aliases = _names(rec, place["country_code"])
    relations = [r for r in rec.get("relationships") or [] if isinstance(r, Mapping)]
    parents = [short_id(r.get("id")) for r in relations if str(r.get("type", "")).lower() == "parent"]
    successors = [short_id(r.get("id")) for r in relations if str(r.get("type", "")).lower() == "successor"]
    links = rec.get("links") or []
    website = next(
        (x.get("value") for x in links if isinstance(x, Mapping) and x.get("type") == "website"),
        next((x for x in links if isinstance(x, str)), None),
    )
    status = str(rec.get("status") or "active")
    notes = [f"ROR status {status}"] if status != "active" else []
    notes += [f"succeeded by https://ror.org/{s}" for s in successors]
    if rec.get("established"):
        notes.append(f"established {rec['established']}")
    wikidata, others = _wikidata(rec)
    if others:
        notes.append("Wikidata ids " + ", ".join(others) + (f" ({wikidata} preferred)" if wikidata else ""))
    return Institution(
        id=short_id(rec["id"]),
        name=display,
        kind=_kind(list(rec.get("types") or [])),
        ror=f"https://ror.org/{short_id(rec['id'])}",
        country_code=(place["country_code"] or "").upper() or None,
        country=place["country"],
        region=place["region"],
        city=place["city"],
        geonames_city_id=place["geonames_city_id"],
        names=names,
        aliases=tuple(a.replace("|", "/") for a in aliases),
        parents=tuple(parents),
        homepage=website,
        registry="ror",
        note="; ".join(notes) or None,
        wikidata=wikidata,
    )


def _wikidata(rec: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The record's Wikidata item (its preferred one, or its only one) and, when it lists
    several, all of them (v2: ``external_ids`` a list of ``{type, all, preferred}``; v1: a
    mapping ``{"Wikidata": {all, preferred}}``)."""
    ids = rec.get("external_ids")
    entry: Any = (
        next((e for e in ids if isinstance(e, Mapping) and e.get("type") == "wikidata"), None)
        if isinstance(ids, list)
        else ids.get("Wikidata")
        if isinstance(ids, Mapping)
        else None
    )
    if not isinstance(entry, Mapping):
        return None, []
    every = [q for q in (wikidata_qid(v) for v in entry.get("all") or []) if q]
    preferred = wikidata_qid(entry.get("preferred"))
    if preferred is None and len(every) == 1:
        preferred = every[0]
    return preferred, every if len(every) > 1 else []


def iter_ror(paths: list[str | Path]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(origin, item number, record) for every record in the files, zips and folders given."""
    for given in paths:
        path = Path(given)
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        for file in files:
            if not file.is_file():
                raise InvalidArgumentError(f"{file} is not a ROR file or folder")
            if file.suffix == ".zip":
                with zipfile.ZipFile(file) as archive:
                    for member in sorted(n for n in archive.namelist() if n.endswith(".json")):
                        yield from _records(f"{file}!{member}", archive.read(member))
            else:
                yield from _records(str(file), file.read_bytes())


def _records(origin: str, data: bytes) -> Iterator[tuple[str, int, dict[str, Any]]]:
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise DataValidationError([Problem(origin, 0, "", f"not JSON: {str(exc)[:80]}")]) from exc
    items = payload.get("items", [payload]) if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise DataValidationError([Problem(origin, 0, "", "expected a ROR record or a list of them")])
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataValidationError([Problem(origin, i, "", "a ROR record must be a JSON object")])
        yield origin, i, item


def pull_ror(paths: list[str | Path], *, with_bundled: bool = True) -> Pull:
    """Organisations and their places from ROR records (see the module docstring)."""
    first = Path(paths[0]).resolve() if paths else Path(".")
    return pull_from_records(
        iter_ror(paths),
        title=f"ROR (Research Organization Registry): records read from {first.name}",
        url=first.as_uri(),
        name=f"ror {first.name}",
        with_bundled=with_bundled,
    )


def pull_from_records(
    found: Iterable[tuple[str, int, dict[str, Any]]],
    *,
    title: str,
    url: str,
    name: str,
    with_bundled: bool = True,
    read: Mapping[str, int] | None = None,
    dropped: Iterable[tuple[str, str]] = (),
) -> Pull:
    """The pull of ROR records (file or URL, item number, record), however they were read
    (``read``: counts to report beside the records'; ``dropped``: (reason, example) skips the
    reader made, such as a parent the API did not have)."""
    acc, source = registry_accumulator(title, url=url, publisher="ROR, CC0 1.0", with_bundled=with_bundled)
    for key, n in (read or {}).items():
        acc.read[key] += n
    for reason, example in dropped:
        acc.drop(reason, example)
    records: dict[str, tuple[str, dict[str, Any]]] = {}
    for origin, i, rec in found:
        acc.read["records"] += 1
        rid = short_id(rec.get("id"))
        if not rid:
            raise DataValidationError([Problem(origin, i, "id", "a ROR record needs an id")])
        version = str(((rec.get("admin") or {}).get("last_modified") or {}).get("date") or "")
        if rid in records:
            acc.drop("older version of a record read again", rid)
            old = str(((records[rid][1].get("admin") or {}).get("last_modified") or {}).get("date") or "")
            if old >= version:
                continue
        records[rid] = (f"{origin}:{i}", rec)
    for rid, (where, rec) in sorted(records.items()):
        if str(rec.get("status", "")).lower() == "withdrawn":
            successor = [r.get("id") for r in rec.get("relationships") or [] if r.get("type") == "successor"]
            acc.drop("withdrawn record", f"{rid}" + (f" → {short_id(successor[0])}" if successor else ""))
            continue
        try:
            inst = ror_institution(rec)
        except RecordError as exc:
            file, _, line = where.rpartition(":")
            raise DataValidationError([Problem(file, int(line), exc.field, str(exc))]) from exc
        acc.put(inst)
    return registry_pull(acc, source, name=name, about="ror", units=ROR_DROP_UNITS, id_column="ror_id")


def registry_accumulator(
    title: str, *, url: str, publisher: str, with_bundled: bool
) -> tuple[Accumulator, dict[str, Any]]:
    """An accumulator for a registry's organisations (ROR, Wikidata): its Source row (``title``,
    ``url``, ``publisher``) and the resolver of bundled entities."""
    from aieco.loaders.bundled import graph_from_bundled

    resolver = Resolver(graph_from_bundled()) if with_bundled else Resolver(None)
    source = pull_source(title, url=url)
    source |= {"title": title, "publisher": publisher}
    return Accumulator(filters=OpenAlexFilters(), resolver=resolver, salt=str(source["id"])), source


def registry_pull(
    acc: Accumulator,
    source: dict[str, Any],
    *,
    name: str,
    about: str,
    units: Mapping[str, str],
    id_column: str,
) -> Pull:
    """The pull of the organisations a registry put in ``acc``: each typed once all are in (a
    lineage parent may come later in the files; one aieco cannot type is dropped and counted),
    records that are one bundled entity counted as one, every organisation a row."""
    for inst_id in [i for i in sorted(acc.institutions) if acc.type_of(i) is None]:
        acc.drop("type aieco cannot map", f"{inst_id} ({acc.institutions[inst_id].kind or 'no type'})")
        acc.discard(inst_id)
    acc.fill_regions()
    for inst_id in sorted(acc.institutions):
        acc.canon(inst_id)
    acc.read["organisations"] = len(acc.institutions)
    source["note"] = f"{source['note']}; " + ", ".join(f"{v:,} {k}" for k, v in acc.read.items())
    resolver = acc.resolver or Resolver(None)
    rows, merges = build_rows(acc, source, resolver, every_institution=True)
    return Pull.from_rows(
        rows,
        source,
        name=name,
        about=about,
        merges=merges,
        read=acc.read,
        dropped=acc.dropped,
        examples=acc.examples,
        units=units,
        id_column=id_column,
        resolver=resolver,
    )


#: The graph of :func:`pull_ror` (its report under ``G.graph``).
graph_from_ror = graph_of(pull_ror)
