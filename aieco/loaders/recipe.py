"""Recipes: several open-data sources built into one set of aieco tables, reproducibly.

A recipe (TOML) names the sources of one region or topic — ROR records, an Epoch AI table,
Wikidata entity JSON, an OpenAlex snapshot, aieco tables of one's own — with their options. Each
source is read by its own loader, resolved against the bundled entities (so Tsinghua from ROR,
from OpenAlex and from the bundled data is one node: every loader's rows use the bundled id),
and the pulls are merged into one dataset by the same rule ``--with-bundled`` uses (an entity
row with an id already present and the same type fills the fields left empty; anything else with
a taken id is an error naming both rows). :func:`build_recipe` returns the merged graph and a
**lock**: every input file's size and SHA-256, each source's options, the time it was read and
aieco's version. Building again with the lock refuses inputs that changed, so the same recipe
and lock give the same tables, byte for byte.

Recipe format
-------------
.. code-block:: toml

    name = "Anhui's AI ecosystem"
    [[source]]
    kind = "ror"                      # ror | epoch | wikidata | openalex-snapshot | tables
    paths = ["data/ror/v2.9-ror-data.zip"]   # relative to the recipe file
    [[source]]
    kind = "openalex-snapshot"
    paths = ["data/openalex"]
    level = "Country"                 # openalex-snapshot: institution | City | Region | Country
    countries = ["CN", "US"]
    ai = true
    [[source]]
    kind = "epoch"
    paths = ["data/ai_models.zip"]
    table = "notable_ai_models.csv"
    [[source]]
    kind = "ror-api"                  # asks ROR's API: a query, narrowed by countries and types
    query = "artificial intelligence"
    countries = ["CN"]
    [[source]]
    kind = "wikidata-query"           # asks Wikidata's query service
    countries = ["CN"]
    kinds = ["company"]
    industry = "Q11660"               # artificial intelligence (P452)
    founders = true

An API source's answer is kept beside the tables (``source-<n>-<kind>.json``) and named in the
lock with its SHA-256 and what was asked; a rebuild with the lock reads the kept answer, so the
same recipe and lock give the same tables even after the service has changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aieco._version import __version__
from aieco.atomic import file_sha256
from aieco.errors import DataValidationError, Problem
from aieco.graph.build import build_graph
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.records import Dataset
from aieco.graph.schema import ORG_TYPES
from aieco.loaders.bundled import merge_known, missing_fields
from aieco.loaders.recipe_sources import answer_name, ask_service, source_graph

__all__ = [
    "API_KINDS",
    "LOCK_NAME",
    "Recipe",
    "answer_name",
    "apply_settle",
    "build_recipe",
    "read_lock",
    "read_recipe",
    "unify_by_ids",
]

#: The lock file written beside the tables.
LOCK_NAME = "aieco.lock"
SourceKind = Literal["ror", "epoch", "wikidata", "openalex-snapshot", "tables", "ror-api", "wikidata-query"]
OrgKind = Literal["education", "company", "facility", "government"]
_ORG_KINDS: tuple[OrgKind, ...] = ("education", "company", "facility", "government")
#: Sources a recipe asks a service for: their answers are kept beside the tables (and named
#: in the lock), so that a rebuild with the lock reads them instead of asking again.
API_KINDS = frozenset({"ror-api", "wikidata-query"})


class SourceSpec(BaseModel):
    """One source of a recipe."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: SourceKind
    #: The files or folders read (every kind but the API ones).
    paths: list[str] = Field(default_factory=list)
    #: openalex-snapshot: the level flows are counted at, the countries and years kept, AI only.
    level: Literal["institution", "City", "Region", "Country"] = "institution"
    #: openalex-snapshot, ror-api, wikidata-query: the countries (ISO codes).
    countries: list[str] = Field(default_factory=list)
    from_year: int | None = None
    to_year: int | None = None
    ai: bool = False
    #: epoch: the table of the zip.
    table: str = "notable_ai_models.csv"
    #: ror-api: the search, the ROR types narrowing it, ROR ids, and whether parents are read.
    query: str | None = None
    types: list[str] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)
    parents: bool = True
    #: wikidata-query: the organisation kinds, an industry (P452 Q-id), subclasses counted.
    kinds: list[OrgKind] = Field(default_factory=lambda: list(_ORG_KINDS))
    industry: str | None = None
    subclasses: bool = True
    #: wikidata, wikidata-query: founders who are humans as Persons who FOUNDED.
    founders: bool = False

    @model_validator(mode="after")
    def _paths_or_service(self) -> SourceSpec:
        if self.kind in API_KINDS and self.paths:
            raise ValueError(f"a {self.kind} source asks a service: it takes no paths")
        if self.kind not in API_KINDS and not self.paths:
            raise ValueError(f"a {self.kind} source needs paths (the files or folders it reads)")
        if self.kind == "wikidata-query" and not self.countries:
            raise ValueError("a wikidata-query source needs countries (ISO codes)")
        return self


class Recipe(BaseModel):
    """A recipe: a name and its sources, in order (earlier sources' rows win a merge)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    source: list[SourceSpec] = Field(min_length=1)
    #: A TSV a person edits to settle what the loaders left apart (relative to the recipe):
    #: ``id`` (an entity of the tables), ``becomes`` (the id it is), ``why``.
    settle: str | None = None


def read_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file (one error naming the file and each key at fault)."""
    from aieco.loaders.files import read_toml_model

    return read_toml_model(path, Recipe)


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


def _inputs(spec: SourceSpec, base: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    paths = [(base / p).resolve() for p in spec.paths]
    for path in paths:
        if not path.exists():
            raise DataValidationError(
                [Problem(str(path), 0, "", "no such file or folder (named by the recipe)")]
            )
    files = [
        {
            "path": str(f.relative_to(base) if f.is_relative_to(base) else f),
            "bytes": f.stat().st_size,
            "sha256": file_sha256(f),
        }
        for f in _files(paths)
    ]
    return paths, files


def build_recipe(
    recipe_path: str | Path,
    *,
    lock: dict[str, Any] | None = None,
    lock_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> tuple[EcosystemGraph, dict[str, Any], list[list[str]], dict[str, bytes]]:
    """Build every source of a recipe and merge them: (graph, lock, merge report rows, the
    answers of its API sources by file name, to keep beside the lock).

    With ``lock`` (a lock this function returned before), every input must have the size and
    SHA-256 the lock records, or nothing is built; API sources are read from the answers kept in
    ``lock_dir`` (the lock's folder), not asked again. ``cache_dir``: the HTTP cache of API
    sources (``None``: no cache).
    """
    from aieco.loaders.files import dataset_from_graph

    path = Path(recipe_path).resolve()
    recipe = read_recipe(path)
    base = path.parent
    merged = Dataset()
    sources: list[dict[str, Any]] = []
    report: list[list[str]] = []
    answers: dict[str, bytes] = {}
    for i, spec in enumerate(recipe.source):
        asked: str | None = None
        if spec.kind in API_KINDS:
            name = answer_name(i, spec)
            if lock is None:
                answers[name], asked = ask_service(spec, Path(cache_dir) if cache_dir else None)
            else:
                answers[name] = _kept_answer(Path(lock_dir or "."), name)
                asked = str((lock["sources"][i : i + 1] or [{}])[0].get("asked") or "")
            paths: list[Path] = []
            files = [{"path": name, "bytes": len(answers[name]), "sha256": bytes_sha256(answers[name])}]
        else:
            paths, files = _inputs(spec, base)
        if lock is not None:
            _check_lock(lock, i, spec, files, path)
        read_at = (
            str(lock["sources"][i]["read_at"])
            if lock is not None
            else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        )
        graph, merges = source_graph(
            spec, paths, answers.get(answer_name(i, spec), b""), answer_name(i, spec)
        )
        more, problems = dataset_from_graph(graph.G, file=f"{path.name}: source {i + 1} ({spec.kind})")
        if problems:
            raise DataValidationError(problems)
        more.sources = [(_stamped(rec, read_at), origin) for rec, origin in more.sources]
        rows = len(more.entities)
        joined = unify_by_ids(merged, more)
        report += [[spec.kind, a, name, b, why] for a, b, name, why in joined]
        same_id = merge_known(merged, more)
        counts = {
            "entity rows": rows,
            "of them bundled entities (by id or name)": sum(
                1 for m in merges if m[1] and m[3] and not m[4].startswith("not merged")
            ),
            "joined to an earlier source's entity by an exact id": len(joined),
            "merged with an earlier source's row of the same id": len(same_id),
            "added": len(more.entities),
            "left apart to settle": sum(1 for m in merges if not m[1]),
        }
        merged.extend(more)
        report += merges
        sources.append(
            {
                "kind": spec.kind,
                "options": spec.model_dump(exclude={"kind", "paths"}),
                "files": files,
                **({"asked": asked} if asked is not None else {}),
                "read_at": read_at,
                "entities": counts,
            }
        )
    settled: dict[str, Any] | None = None
    if recipe.settle:
        settle_path = (base / recipe.settle).resolve()
        report += [
            ["settle", a, why, b, "settled by hand"] for a, b, why in apply_settle(merged, settle_path)
        ]
        settled = {"path": recipe.settle, "sha256": file_sha256(settle_path)}
    if lock is not None and (lock.get("settle") or {}).get("sha256") != (settled or {}).get("sha256"):
        raise DataValidationError([Problem(str(path), 0, "settle", "the settle file changed since the lock")])
    graph = build_graph(merged, name=recipe.name)
    graph.G.graph["recipe"] = recipe.name
    new_lock = {
        "recipe": recipe.name,
        "recipe_sha256": file_sha256(path),
        "aieco": __version__,
        "sources": sources,
        **({"settle": settled} if settled else {}),
    }
    return graph, new_lock, report, answers


def _kept_answer(folder: Path, name: str) -> bytes:
    """An API source's answer kept beside the lock."""
    try:
        return (folder / name).read_bytes()
    except OSError as exc:
        raise DataValidationError(
            [
                Problem(
                    str(folder / name),
                    0,
                    "",
                    "the answer kept with the lock is missing; rebuild without --lock",
                )
            ]
        ) from exc


def bytes_sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, as :func:`~aieco.atomic.file_sha256` gives a file's."""
    return hashlib.sha256(data).hexdigest()


def _stamped(rec: Any, read_at: str) -> Any:
    """A pull's Source row dated by the recipe's read time (the lock's, when rebuilding), so
    that a rebuild from the lock writes the same row."""
    note = str(rec.note or "")
    if not note.startswith("retrieved "):
        return rec
    rest = note.split(";", 1)[1] if ";" in note else ""
    stamped = f"retrieved {read_at}" + (f";{rest}" if rest else "")
    return rec.model_copy(update={"note": stamped, "published": read_at[:10]})


#: The columns that name an entity exactly in another registry.
ID_FIELDS = ("ror", "openalex_id", "wikidata_id")


def _key(value: Any) -> str | None:
    text = str(value or "").strip().rstrip("/").lower()
    return text or None


def unify_by_ids(base: Dataset, more: Dataset) -> list[tuple[str, str, str, str]]:
    """Entities of ``more`` that an exact id (ROR, OpenAlex, Wikidata) says are entities of ``base`` become
    those entities: their rows fill the fields ``base`` leaves empty, and every relation and
    observation of ``more`` naming them is pointed at ``base``'s id. Two organisations an id
    says are one but typed differently become one too, with ``base``'s type and the other type
    recorded in ``conflict``. Returns (id in ``more``, id in ``base``, name, why) for each, for
    the merge report."""
    index: dict[tuple[str, str], int] = {}
    for i, (rec, _) in enumerate(base.entities):
        for field in ID_FIELDS:
            key = _key(getattr(rec, field))
            if key:
                index.setdefault((field, key), i)
    renamed: dict[str, str] = {}
    kept = []
    done = []
    for rec, origin in more.entities:
        at = next(
            (index[(f, k)] for f in ID_FIELDS if (k := _key(getattr(rec, f))) and (f, k) in index),
            None,
        )
        old = base.entities[at][0] if at is not None else None
        if at is None or old is None or old.id == rec.id:
            kept.append((rec, origin))
            continue
        why = "same ROR/OpenAlex/Wikidata id"
        fill = missing_fields(old, rec)
        if old.type != rec.type:  # one organisation, typed two ways: the first source's type, marked
            if not {old.type, rec.type} <= ORG_TYPES:
                kept.append((rec, origin))
                continue
            said = f"type: {rec.source} says {rec.type.value}, {old.source} {old.type.value} (kept)"
            fill["conflict"] = "; ".join(c for c in (old.conflict, said) if c)
            why += f"; {said}"
        if fill:
            base.entities[at] = (old.model_copy(update=fill), base.entities[at][1])
        renamed[rec.id] = old.id
        done.append((rec.id, old.id, rec.name_en, why))
    more.entities = kept
    _point_at(more, renamed)
    return done


def _point_at(data: Dataset, renamed: dict[str, str]) -> None:
    """Point the relations and observations of ``data`` at the new ids of renamed entities."""
    if not renamed:
        return
    data.relations = [
        (r.model_copy(update={"from_": renamed.get(r.from_, r.from_), "to": renamed.get(r.to, r.to)}), o)
        for r, o in data.relations
    ]
    data.observations = [
        (r.model_copy(update={"subject": renamed.get(r.subject, r.subject)}), o) for r, o in data.observations
    ]


def read_settle(path: Path) -> list[tuple[int, str, str, str]]:
    """(line, id, becomes, why) of a settle file: tab-separated, a header line, ``#`` comments."""
    from aieco.loaders.files import check_readable

    refused = check_readable(path)
    if refused is not None:
        raise DataValidationError([refused])
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DataValidationError([Problem(str(path), 0, "", f"not UTF-8 text: {exc.reason}")]) from exc
    rows = []
    for n, line in enumerate(lines, start=1):
        if n == 1 or not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise DataValidationError(
                [Problem(str(path), n, "becomes", "a line is: id <TAB> becomes <TAB> why")]
            )
        rows.append((n, cells[0].strip(), cells[1].strip(), cells[2].strip() if len(cells) > 2 else ""))
    return rows


def apply_settle(data: Dataset, path: Path) -> list[tuple[str, str, str]]:
    """Make each ``id`` of the settle file the entity ``becomes`` (relations and observations
    follow; a row already holding ``becomes`` keeps its fields and takes the ones it lacks)."""
    by_id = {rec.id: i for i, (rec, _) in enumerate(data.entities)}
    renamed: dict[str, str] = {}
    done = []
    for n, old_id, new_id, why in read_settle(path):
        if old_id not in by_id:
            raise DataValidationError([Problem(str(path), n, "id", f"no entity {old_id!r} in the tables")])
        renamed[old_id] = new_id
        done.append((old_id, new_id, why))
    kept = [(rec, origin) for rec, origin in data.entities if rec.id not in renamed]
    at = {rec.id: i for i, (rec, _) in enumerate(kept)}
    for rec, origin in data.entities:  # wherever the row of ``becomes`` stands, it keeps its fields
        target = renamed.get(rec.id)
        if target is None:
            continue
        if target in at:
            other, where = kept[at[target]]
            kept[at[target]] = (other.model_copy(update=missing_fields(other, rec)), where)
        else:
            at[target] = len(kept)
            kept.append((rec.model_copy(update={"id": target}), origin))
    data.entities = kept
    _point_at(data, renamed)
    return done


def _check_lock(
    lock: dict[str, Any], i: int, spec: SourceSpec, files: list[dict[str, Any]], path: Path
) -> None:
    locked = (lock.get("sources") or [])[i : i + 1]
    if not locked or locked[0].get("kind") != spec.kind:
        raise DataValidationError(
            [Problem(str(path), 0, f"source[{i}]", "the recipe no longer matches its lock")]
        )
    before = {f["path"]: (f["bytes"], f["sha256"]) for f in locked[0].get("files") or []}
    now = {f["path"]: (f["bytes"], f["sha256"]) for f in files}
    for name in sorted(set(before) | set(now)):
        if before.get(name) != now.get(name):
            what = "is new" if name not in before else "is gone" if name not in now else "changed"
            raise DataValidationError(
                [
                    Problem(
                        name, 0, f"source[{i}]", f"{what} since the lock was written; rebuild without --lock"
                    )
                ]
            )


def read_lock(path: str | Path) -> dict[str, Any]:
    """Read a lock file written by ``aieco build``."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataValidationError([Problem(str(path), 0, "", f"cannot read the lock: {exc}")]) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("sources"), list):
        raise DataValidationError([Problem(str(path), 0, "", "not an aieco lock file")])
    return payload
