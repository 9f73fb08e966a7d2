"""AI models from Epoch AI's "Data on AI Models" (CC BY 4.0: credit "Epoch AI, Data on AI Models").

:func:`pull_epoch` reads one of Epoch's tables (a CSV, or the zip Epoch publishes: by
default its ``notable_ai_models.csv``) into aieco's rows:

* each model an ``AIModel`` (``date`` its publication date, ``description`` its domain and
  accessibility, ``url`` its link) with observations ``parameters`` (unit parameters) and
  ``training_compute`` (unit FLOP) in its publication year, where Epoch gives them;
* ``DEVELOPS`` from every organisation of the model's ``Organization`` cell (a bare comma joins
  several), each resolved to an existing entity — the bundled one by any name in any script, also
  without a country in brackets, never across countries — or created, typed by Epoch's
  ``Organization categorization`` (Industry → Company, Academia → University, Government →
  GovernmentBody, Research collective → ResearchLab; none given → by its name, else ResearchLab)
  and placed in its country (``Country (of organization)``, one entry per organisation; ISO long
  names such as "Korea (Republic of)" read by GeoNames; "Multinational" is no country);
* one Source row carrying Epoch's credit line, the file and its retrieval.

Examples
--------
>>> split_cell("Google DeepMind,Google"), split_cell("")
(['Google DeepMind', 'Google'], [])
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aieco.errors import DataValidationError, InvalidArgumentError, Problem
from aieco.graph.names import normalize
from aieco.graph.schema import NodeType, RelType
from aieco.loaders.geocode import country_names
from aieco.loaders.openalex_model import Institution
from aieco.loaders.openalex_rows import build_rows
from aieco.loaders.openalex_tables import Accumulator, OpenAlexFilters, pull_source
from aieco.loaders.pull import Pull, graph_of
from aieco.loaders.resolve import Resolver

logger = logging.getLogger(__name__)

__all__ = ["EPOCH_CREDIT", "graph_from_epoch", "pull_epoch", "split_cell"]

EPOCH_CREDIT = 'Epoch AI, "Data on AI Models". Published online at epoch.ai. Retrieved from https://epoch.ai/data/ai-models.'
EPOCH_DROP_UNITS = {"row without a model name": "rows", "model named twice": "rows"}
#: Epoch's categories → the OpenAlex-style kinds the institution model types.
_CATEGORIES = {
    "industry": "company",
    "academia": "education",
    "government": "government",
    "research collective": "nonprofit",
}
#: ISO 3166 long names Epoch writes that GeoNames spells otherwise.
_ISO_NAMES = {
    "united states of america": "US",
    "united kingdom of great britain and northern ireland": "GB",
    "korea (republic of)": "KR",
    "iran (islamic republic of)": "IR",
    "netherlands": "NL",
    "russian federation": "RU",
    "viet nam": "VN",
    "taiwan, province of china": "TW",
    "türkiye": "TR",
}


def split_cell(cell: str | None) -> list[str]:
    """The parts of a multi-valued Epoch cell (joined by a bare comma, no escaping)."""
    return [part.strip() for part in (cell or "").split(",") if part.strip()]


def _country_code(name: str) -> str | None:
    key = name.strip().lower()
    if key in _ISO_NAMES:
        return _ISO_NAMES[key]
    by_name = {normalize(v): k for k, v in country_names().items()}
    return by_name.get(normalize(name))


def _slug(text: str) -> str:
    """An id part from a name (a name without Latin letters or digits: a digest of it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text or "").replace(",", ""))
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def iter_epoch(
    path: str | Path, table: str = "notable_ai_models.csv"
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of an Epoch CSV, or of ``table`` inside Epoch's zip."""
    path = Path(path)
    if not path.is_file():
        raise InvalidArgumentError(f"{path} is not a file")
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            if table not in archive.namelist():
                raise InvalidArgumentError(
                    f"{path} holds no {table} (it holds {', '.join(archive.namelist())})"
                )
            text = archive.read(table).decode("utf-8-sig")
    else:
        text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "Model" not in reader.fieldnames:
        raise DataValidationError([Problem(str(path), 1, "Model", "an Epoch table needs a Model column")])
    for row in reader:
        yield reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}


def pull_epoch(path: str | Path, *, table: str = "notable_ai_models.csv", with_bundled: bool = True) -> Pull:
    """AI models and their developers from an Epoch AI table (see the module docstring)."""
    from aieco.loaders.bundled import graph_from_bundled

    resolver = Resolver(graph_from_bundled()) if with_bundled else Resolver(None)
    origin = Path(path).resolve()
    source = pull_source(f"Epoch AI {table}", url=origin.as_uri())
    source["title"] = f'Epoch AI, "Data on AI Models" ({table})'
    source["publisher"] = "Epoch AI, CC BY 4.0"
    acc = Accumulator(filters=OpenAlexFilters(), resolver=resolver, salt=str(source["id"]))
    read: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    models: list[tuple[str, dict[str, str], list[str]]] = []
    seen: set[str] = set()
    for line, row in iter_epoch(path, table):
        read["rows"] += 1
        name = " ".join(row.get("Model", "").split())
        if not name:
            dropped["row without a model name"] += 1
            examples.setdefault("row without a model name", []).append(f"line {line}")
            continue
        node = f"epoch-{_slug(name)}"
        if node in seen:
            node = f"{node}-{_slug(row.get('Publication date', ''))}"
        if node in seen:
            dropped["model named twice"] += 1
            examples.setdefault("model named twice", []).append(name)
            continue
        seen.add(node)
        orgs = split_cell(row.get("Organization"))
        countries = split_cell(row.get("Country (of organization)"))
        categories = split_cell(row.get("Organization categorization"))
        keys = []
        for i, org in enumerate(orgs):
            country = countries[i] if len(countries) == len(orgs) else None
            code = _country_code(country) if country else None
            kind = _CATEGORIES.get((categories[i] if len(categories) == len(orgs) else "").lower(), "")
            inst = Institution(
                id=_slug(org),
                name=org,
                kind=kind,
                country_code=code,
                country=None,
                registry="epoch-org",
                note=None if kind else "Epoch gives no category",
            )
            if inst.id not in acc.institutions:
                acc.put(inst)
            keys.append(inst.id)
        models.append((node, row | {"Model": name}, keys))
    # an organisation neither Epoch nor its name types is a research organisation (ResearchLab)
    for inst_id, inst in list(acc.institutions.items()):
        if acc.type_of(inst_id) is None:
            acc.put(dataclasses.replace(inst, kind="other"))
    canon = {inst_id: acc.canon(inst_id) for inst_id in sorted(acc.institutions)}
    read["models"] = len(models)
    read["organisations"] = len(set(canon.values()))
    source["note"] = f"{EPOCH_CREDIT} Licensed CC BY 4.0; " + ", ".join(f"{v:,} {k}" for k, v in read.items())
    rows, merges = build_rows(acc, source, resolver, every_institution=True)
    src = str(source["id"])
    for node, row, keys in models:
        date = row.get("Publication date", "").strip()
        year = int(date[:4]) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date) else None
        described = "; ".join(
            x for x in (row.get("Domain", "").strip(), row.get("Model accessibility", "").strip()) if x
        )
        link = next(iter(split_cell(row.get("Link"))), "")
        rows["entities"].append(
            {
                "id": node,
                "type": NodeType.AI_MODEL.value,
                "name_en": row["Model"],
                "date": date if year else None,
                "description": described or None,
                "url": link if link.startswith("http") else None,
                "source": src,
            }
        )
        for key in dict.fromkeys(keys):
            developer = _entity_of(rows, acc, canon[key])
            if developer:
                rows["relations"].append(
                    {
                        "id": f"{src}:{developer}|DEVELOPS|{node}",
                        "from": developer,
                        "type": RelType.DEVELOPS.value,
                        "to": node,
                        "year": year,
                        "source": src,
                    }
                )
        for column, indicator, unit in (
            ("Parameters", "parameters", "parameters"),
            ("Training compute (FLOP)", "training_compute", "FLOP"),
        ):
            value = _number(row.get(column))
            if value is not None and value >= 0:
                rows["observations"].append(
                    {
                        "id": f"{src}:{node}:{indicator}",
                        "subject": node,
                        "indicator": indicator,
                        "value": value,
                        "unit": unit,
                        "year": year,
                        "source": src,
                        "note": f"Epoch AI column {column!r}",
                    }
                )
    return Pull.from_rows(
        rows,
        source,
        name=f"epoch {table}",
        about="epoch",
        merges=merges,
        read=read,
        dropped=dropped,
        examples=examples,
        units=EPOCH_DROP_UNITS,
        id_column="epoch_name",
        resolver=resolver,
    )


def _entity_of(rows: dict[str, list[dict[str, Any]]], acc: Accumulator, key: str) -> str | None:
    """The entity id the rows builder gave an organisation's counting key."""
    if key.startswith("@"):
        return key[1:]
    inst = acc.institutions.get(key)
    return f"{inst.registry}-{inst.id.lower()}" if inst else None


#: The graph of :func:`pull_epoch` (its report under ``G.graph``).
graph_from_epoch = graph_of(pull_epoch)
