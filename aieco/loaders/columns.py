"""Big entity and relation tables, read column-wise: vectorised checks, the record model only where they flag.

One pydantic model per row costs tens of microseconds, so a table of a million relationships
took most of a minute. Here the table is read by pandas and every column is checked as a whole
against *conservative* versions of the record models' rules (:class:`~aieco.graph.records.EntityRecord`,
:class:`~aieco.graph.records.RelationRecord`: an id pattern, a number pattern and range, a known
type …). A row that any check flags is validated by the model itself — which then reports
exactly what the row path would (file, row, field) or, if the row is fine after all, gives its
values — so the checks only decide which rows the model must see, never what is valid. The rows
no check flags become :class:`~aieco.graph.records.TableColumns`: typed columns that the dataset
checks and the graph builder read without one object per row.

A file with quoted cells is first read by Python's strict CSV reader too (the row path's own), so
a malformed quote is reported as the row path reports it; a file with a cell over several lines
(whose line numbers pandas does not keep) is read row by row.

Examples
--------
>>> import pandas as pd
>>> flags = _flag_ids(pd.Series(["hefei", "Not An Id", ""]))
>>> flags.tolist()
[False, True, True]
"""

from __future__ import annotations

import array
import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from aieco.errors import Problem
from aieco.graph.records import (
    DATE_PATTERN,
    ID_PATTERN,
    INT64_MAX,
    Dataset,
    EntityColumns,
    Origin,
    RelationColumns,
    TableColumns,
    check_date,
)
from aieco.graph.schema import (
    DERIVED_RELS,
    ENTITY_FIELDS,
    ENTITY_TYPES,
    GEO_TYPES,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_TYPES,
    REL_SPECS,
    RELATION_FIELDS,
    RelType,
)
from aieco.graph.text import from_spreadsheet

#: Tables with fewer data rows than this are read row by row (the same result, less machinery).
COLUMN_WISE_FROM_ROWS = 20_000

_HAND_WRITTEN = frozenset(t.value for t in RelType if t not in DERIVED_RELS)
_NEEDS_WEIGHT = frozenset(t.value for t, spec in REL_SPECS.items() if spec.needs_weight)
_ENTITY_TYPE_NAMES = frozenset(t.value for t in ENTITY_TYPES)
_GEO_TYPE_NAMES = frozenset(t.value for t in GEO_TYPES)
_PERIOD_TYPE_NAMES = frozenset(t.value for t in PERIOD_TYPES)
#: Control characters the models refuse, and CR (which the models turn into LF): a cell holding
#: one is flagged
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_INT_RE = re.compile(r"\d{1,18}")
_FLOAT_RE = re.compile(r"\d{1,15}(\.\d{0,15})?|\.\d{1,15}")
_SIGNED_FLOAT_RE = re.compile(r"-?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})")
_DATE_RE = re.compile(DATE_PATTERN)
_ID = re.compile(ID_PATTERN)
_YEAR_FIELDS = ("year", "period_start", "period_end")
_LIST_FIELDS = ("aliases", "see_also")

Kind = Literal["entities", "relations"]


@dataclass(frozen=True)
class _Spec:
    """What the column checks of one kind of table need to know."""

    kind: Kind
    fields: tuple[str, ...]
    #: columns the model must find in the header (else the row path reports every row)
    required: tuple[str, ...]
    #: columns whose cells the model keeps as written (not stripped)
    unstripped: frozenset[str]
    ints: dict[str, tuple[int, int]]
    floats: dict[str, tuple[float, float]]


_YEARS = dict.fromkeys(_YEAR_FIELDS, (MIN_YEAR, MAX_YEAR))
_RELATIONS = _Spec(
    "relations",
    RELATION_FIELDS,
    required=("from", "type", "to", "source"),
    unstripped=frozenset({"type"}),  # the model does not strip a type: a padded one is flagged
    ints={"rank": (1, INT64_MAX), **_YEARS},
    floats={"share": (0.0, 1.0), "count": (0.0, math.inf)},
)
_ENTITIES = _Spec(
    "entities",
    ENTITY_FIELDS,
    required=("id", "type", "name_en", "source"),
    # name_en is text as written; a padded type is flagged (not a type's name) and the model reads it
    unstripped=frozenset({"type", "name_en"}),
    ints=dict(_YEARS),
    floats={"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)},
)


def _flag_values(s: pd.Series, bad: Callable[[str], bool], *, blank_is_bad: bool = False) -> np.ndarray:
    """Rows whose cell fails ``bad`` — decided once per distinct value (ids and years repeat)."""
    values = pd.unique(s.to_numpy())
    wrong = [v for v in values if (bad(v) if v != "" else blank_is_bad)]
    if not wrong:
        return np.zeros(len(s), dtype=bool)
    return s.isin(wrong).to_numpy(dtype=bool)


def _flag_ids(s: pd.Series) -> np.ndarray:
    """Cells that are not a valid id (blank included)."""
    return _flag_values(s, lambda v: _ID.fullmatch(v) is None, blank_is_bad=True)


def _bad_date(value: str) -> bool:
    if _DATE_RE.fullmatch(value) is None:
        return True
    try:
        check_date(value)
    except ValueError:
        return True
    return False


@lru_cache(maxsize=4096)
def _split(value: str) -> tuple[str, ...] | None:
    """A list cell's items (``a|b``), or ``None`` when one holds a character the model refuses."""
    parts = tuple(p.strip() for p in value.split("|") if p.strip())
    return None if any(_CONTROL.search(p) for p in parts) else parts


def _ints(s: pd.Series) -> list[int | None]:
    return [int(x) if x else None for x in s.tolist()]


def _floats(s: pd.Series) -> list[float | None]:
    return [float(x) if x else None for x in s.tolist()]


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _strictly_parsed(text: str) -> int | None:
    """The number of records Python's strict CSV reader finds, or ``None`` if it refuses the text."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None


def _read_frame(
    path: Path, header: list[str], spec: _Spec
) -> tuple[pd.DataFrame, np.ndarray, dict[str, pd.Series], np.ndarray] | None:
    """The table as strings (cells stripped where the model strips them), each row's line, the
    stripped cells as written, and the rows flagged so far — or ``None`` for the row path."""
    if not set(spec.required) <= set(header):
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
        # each record on one line (pandas keeps no line numbers), and quoted cells as the strict
        # reader accepts them; a lone CR (a line end to pandas and to Python's reader) is one too
        lines_in_file = _line_count(text)
        if '"' in text and _strictly_parsed(text) != lines_in_file:
            return None
        controls = _CONTROL.search(text.replace("\r\n", "\n")) is not None
        guards = "'" in text
        del text
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
            skip_blank_lines=False, quoting=0, engine="c",
        )  # fmt: skip
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    if len(frame) < COLUMN_WISE_FROM_ROWS or list(frame.columns) != header:
        return None
    if lines_in_file != len(frame) + 1:
        return None
    if any(frame[c].hasnans for c in frame.columns):  # a short row: the row path reports it
        return None
    lines = np.arange(2, len(frame) + 2)
    first = frame.iloc[:, 0]
    keep = ~(first.str.startswith("#") | (frame == "").all(axis=1))
    frame, lines = frame[keep.to_numpy()], lines[keep.to_numpy()]
    # what the row path hands the model (after the spreadsheet guard): the cells stripped below
    # keep their padded text here, for the flagged rows the model reads one by one
    padded_cells: dict[str, pd.Series] = {}
    used = [c for c in frame.columns if (frame[c] != "").any()]
    for col in used:
        guarded = _flag_values(frame[col], lambda v: v.startswith("'")) if guards else None
        if guarded is not None and guarded.any():
            frame.loc[guarded, col] = frame.loc[guarded, col].map(from_spreadsheet)
        if col in spec.unstripped:
            continue
        padded = _flag_values(frame[col], lambda v: v != v.strip())
        if padded.any():
            padded_cells[col] = frame.loc[padded, col].copy()
            frame.loc[padded, col] = frame.loc[padded, col].str.strip()
    for col in spec.fields:
        if col not in frame.columns:
            frame[col] = ""
    flag = np.zeros(len(frame), dtype=bool)
    if controls:
        for col in used:
            flag |= _flag_values(frame[col], lambda v: _CONTROL.search(v) is not None)
    return frame, lines, padded_cells, flag


def _flag_common(frame: pd.DataFrame, flag: np.ndarray, spec: _Spec) -> None:
    """The checks both kinds share: source id, numbers and their ranges, the date, list cells."""
    flag |= _flag_ids(frame["source"])
    for col in spec.ints:
        flag |= _flag_values(frame[col], lambda v: _INT_RE.fullmatch(v) is None)
    number = _SIGNED_FLOAT_RE if spec.kind == "entities" else _FLOAT_RE
    for col in spec.floats:
        flag |= _flag_values(frame[col], lambda v: number.fullmatch(v) is None)
    flag |= _flag_values(frame["date"], _bad_date)
    for col in _LIST_FIELDS:
        if col in frame.columns:
            flag |= _flag_values(frame[col], lambda v: _split(v) is None)
    for col, (low, high) in (*spec.ints.items(), *spec.floats.items()):
        filled = ~flag & (frame[col] != "").to_numpy(dtype=bool)
        if not filled.any():
            continue
        numbers = frame[col][filled].astype(float).to_numpy()  # ints of up to 18 digits are exact
        bad = ~np.isfinite(numbers) | (numbers < low) | (numbers > high)
        flag[np.flatnonzero(filled)[bad]] = True
    starts, ends = frame["period_start"], frame["period_end"]
    both = ~flag & ((starts != "") & (ends != "")).to_numpy(dtype=bool)
    if both.any():
        late = starts[both].astype(int).to_numpy() > ends[both].astype(int).to_numpy()
        flag[np.flatnonzero(both)[late]] = True


def _flag_relations(frame: pd.DataFrame, flag: np.ndarray) -> None:
    for col in ("from", "to"):
        flag |= _flag_ids(frame[col])
    kind = frame["type"]
    flag |= _flag_values(kind, lambda v: v not in _HAND_WRITTEN, blank_is_bad=True)
    weightless = ((frame["share"] == "") & (frame["count"] == "")).to_numpy(dtype=bool)
    flag |= kind.isin(_NEEDS_WEIGHT).to_numpy(dtype=bool) & weightless
    flag |= (frame["from"] == frame["to"]).to_numpy(dtype=bool)


def _flag_entities(frame: pd.DataFrame, flag: np.ndarray) -> None:
    flag |= _flag_ids(frame["id"])
    kind = frame["type"]
    flag |= _flag_values(kind, lambda v: v not in _ENTITY_TYPE_NAMES, blank_is_bad=True)
    lat = (frame["lat"] != "").to_numpy(dtype=bool)
    flag |= lat != (frame["lon"] != "").to_numpy(dtype=bool)
    flag |= lat != (frame["coord_source"] != "").to_numpy(dtype=bool)
    flag |= lat & ~kind.isin(_GEO_TYPE_NAMES).to_numpy(dtype=bool)
    period = ((frame["period_start"] != "") | (frame["period_end"] != "")).to_numpy(dtype=bool)
    flag |= period & ~kind.isin(_PERIOD_TYPE_NAMES).to_numpy(dtype=bool)


def _compact(lines: np.ndarray) -> array.array[int]:
    out = array.array("q")
    out.frombytes(lines.astype(np.int64).tobytes())
    return out


def _typed_columns(good: pd.DataFrame, spec: _Spec, out: TableColumns) -> None:
    blank: list[object] = [None] * len(good)  # shared by every column blank on every row
    for col in spec.fields:
        s = good[col]
        if not (s != "").any():
            out.columns[col] = blank
        elif col in spec.ints:
            out.columns[col] = _ints(s)
        elif col in spec.floats:
            out.columns[col] = _floats(s)
        elif col in _LIST_FIELDS:
            out.columns[col] = [list(_split(x) or ()) or None for x in s.tolist()]
        else:
            out.columns[col] = [x if x else None for x in s.tolist()]


def read_table(
    path: Path, header: list[str], origin_file: str, kind: Kind
) -> tuple[TableColumns, Dataset, list[Problem]] | None:
    """Read an entities or relations table column-wise, or ``None`` when the row path must read it.

    Returns the rows no check flagged (as columns: :class:`EntityColumns` or
    :class:`RelationColumns`), the flagged rows the model accepted (as records) and the
    problems of those it refused.
    """
    spec = _ENTITIES if kind == "entities" else _RELATIONS
    read = _read_frame(path, header, spec)
    if read is None:
        return None
    frame, lines, padded_cells, flag = read
    _flag_common(frame, flag, spec)
    (_flag_entities if kind == "entities" else _flag_relations)(frame, flag)
    if flag.mean() > 0.5:  # mostly bad rows: the row path says it as well, and as fast
        return None
    checked = Dataset(files=[])
    problems: list[Problem] = []
    from aieco.loaders.files import add_row  # the row path's own validation and messages

    flagged = np.flatnonzero(flag)
    raw_frame = frame.iloc[flagged][list(header)].copy()  # only the flagged rows, as read
    for col, cells in padded_cells.items():
        back = cells[cells.index.isin(raw_frame.index)]
        raw_frame.loc[back.index, col] = back
    raw_rows = raw_frame.to_numpy(dtype=object)
    for j, i in enumerate(flagged.tolist()):
        raw = dict(zip(raw_frame.columns, raw_rows[j].tolist(), strict=True))
        add_row(checked, kind, raw, Origin(origin_file, int(lines[i])), problems)
    good = frame[~flag]
    del frame
    out: TableColumns = (EntityColumns if kind == "entities" else RelationColumns)(
        origin_file, _compact(lines[~flag])
    )
    _typed_columns(good, spec, out)
    return out, checked, problems
