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
>>> flags = _flag_ids(np.array(["hefei", "Not An Id", ""], dtype=object))
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
    KEY_PATTERN,
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
    LIST_FIELDS,
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_TYPES,
    REL_SPECS,
    RELATION_FIELDS,
    RelType,
)
from aieco.graph.text import MAX_TEXT, REFUSED, from_spreadsheet

#: Tables with fewer data rows than this are read row by row (the same result, less machinery).
COLUMN_WISE_FROM_ROWS = 20_000

_HAND_WRITTEN = frozenset(t.value for t in RelType if t not in DERIVED_RELS)
_NEEDS_WEIGHT = frozenset(t.value for t, spec in REL_SPECS.items() if spec.needs_weight)
_ENTITY_TYPE_NAMES = frozenset(t.value for t in ENTITY_TYPES)
_GEO_TYPE_NAMES = frozenset(t.value for t in GEO_TYPES)
_PERIOD_TYPE_NAMES = frozenset(t.value for t in PERIOD_TYPES)
#: Control characters the models refuse, and CR (which the models turn into LF): a cell holding
#: one is flagged
#: What clean_text refuses (one pattern for both paths); a cell longer than MAX_TEXT is refused too.
_CONTROL = REFUSED
_INT_RE = re.compile(r"\d{1,18}")
_FLOAT_RE = re.compile(r"\d{1,15}(\.\d{0,15})?|\.\d{1,15}")
_SIGNED_FLOAT_RE = re.compile(r"-?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})")
_DATE_RE = re.compile(DATE_PATTERN)
_ID = re.compile(ID_PATTERN)
#: A researchers cell as the model reads it: keys split at "|", none blank or padded
_KEYS = re.compile(f"{KEY_PATTERN}(\\|{KEY_PATTERN})*")
_YEAR_FIELDS = ("year", "period_start", "period_end")
_LIST_FIELDS = tuple(sorted(LIST_FIELDS))

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
    # the model strips neither a type nor the ids of the ends: padded ones are flagged
    unstripped=frozenset({"type", "from", "to", "researchers"}),
    ints={"rank": (1, INT64_MAX), **_YEARS},
    floats={"share": (0.0, 1.0), "count": (0.0, math.inf)},
)
_ENTITIES = _Spec(
    "entities",
    ENTITY_FIELDS,
    required=("id", "type", "name_en", "source"),
    # name_en is text as written; a padded type or id is flagged and the model reads it as written
    unstripped=frozenset({"type", "name_en", "id"}),
    ints=dict(_YEARS),
    floats={"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)},
)


#: A table's cells by column, as numpy arrays of ``str`` (each cell as read, or stripped)
Cells = dict[str, np.ndarray]


def _isin(cells: np.ndarray, values: list[str]) -> np.ndarray:
    return pd.Series(cells, dtype=object, copy=False).isin(values).to_numpy(dtype=bool)


def _flag_values(cells: np.ndarray, bad: Callable[[str], bool], *, blank_is_bad: bool = False) -> np.ndarray:
    """Rows whose cell fails ``bad`` — decided once per distinct value (ids and years repeat)."""
    values = pd.unique(cells)
    wrong = [v for v in values if (bad(v) if v != "" else blank_is_bad)]
    if not wrong:
        return np.zeros(len(cells), dtype=bool)
    return _isin(cells, wrong)


def _flag_ids(cells: np.ndarray) -> np.ndarray:
    """Cells that are not a valid id (blank included)."""
    return _flag_values(cells, lambda v: _ID.fullmatch(v) is None, blank_is_bad=True)


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


def _ints(cells: np.ndarray) -> list[int | None]:
    """The cells as numbers, one object per distinct value (a million years are a few dozen)."""
    number = {v: int(v) for v in pd.unique(cells).tolist() if v}
    return [number[x] if x else None for x in cells.tolist()]


def _floats(cells: np.ndarray) -> list[float | None]:
    number = {v: float(v) for v in pd.unique(cells).tolist() if v}
    return [number[x] if x else None for x in cells.tolist()]


def _cell_may_start(text: str, prefix: str, *, first_only: bool) -> bool:
    """Whether any cell (or any row's first cell) may start with ``prefix``, quoted or not."""
    starts = ("\n",) if first_only else ("\n", ",")
    return text.startswith((prefix, '"' + prefix)) or any(
        s + q + prefix in text for s in starts for q in ("", '"')
    )


def _padded(cells: np.ndarray) -> np.ndarray:
    """Rows whose cell starts or ends with white space (``str.strip`` would change it).

    Few distinct values are each tested once; a column of mostly distinct values (ids) is
    tested by numpy's string functions first, which find every such cell (and NUL-ended ones,
    which the exact test then drops), instead of one Python call per cell.

    >>> _padded(np.array(["a", " b", "c\u3000", "d"], dtype=object)).tolist()
    [False, True, True, False]
    """
    values = pd.unique(cells)
    if len(values) * 4 < len(cells):
        wrong = [v for v in values if v != v.strip()]
        return _isin(cells, wrong) if wrong else np.zeros(len(cells), dtype=bool)
    text = cells.astype(np.dtypes.StringDType())
    maybe = np.flatnonzero(np.strings.strip(text) != text)
    out = np.zeros(len(cells), dtype=bool)
    out[[i for i, v in zip(maybe.tolist(), cells[maybe].tolist(), strict=True) if v != v.strip()]] = True
    return out


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _strictly_parsed(text: str) -> int | None:
    """The number of records Python's strict CSV reader finds, or ``None`` if it refuses the text."""
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None


def _read_cells(
    path: Path, header: list[str], spec: _Spec
) -> tuple[Cells, np.ndarray, dict[str, dict[int, str]], np.ndarray] | None:
    """The table's cells (stripped where the model strips them), each row's line, the stripped
    cells as written (by row index), and the rows flagged so far — or ``None`` for the row path."""
    if not set(spec.required) <= set(header):
        return None
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        # each record on one line (pandas keeps no line numbers), and quoted cells as the strict
        # reader accepts them; a lone CR (a line end to pandas and to Python's reader) is one too
        lines_in_file = _line_count(text)
        if '"' in text and _strictly_parsed(text) != lines_in_file:
            return None
        controls = _CONTROL.search(text.replace("\r\n", "\n")) is not None or len(text) > MAX_TEXT
        # whole-text tests that rule out per-cell work: a cell that starts with the spreadsheet
        # guard or (the first one) with "#", quoted or not (each may say yes when no cell does)
        guards = _cell_may_start(text, "'", first_only=False)
        comments = _cell_may_start(text, "#", first_only=True)
        del text
        # from the bytes already read: pandas parses a file path on several threads, which on
        # 2 cores took longer and left ~200 MB more resident (benchmarks/bench_load.py)
        frame = pd.read_csv(
            io.BytesIO(raw), dtype=object, keep_default_na=False, na_filter=False, encoding="utf-8-sig",
            skip_blank_lines=False, quoting=0, engine="c",
        )  # fmt: skip
        del raw
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    if len(frame) < COLUMN_WISE_FROM_ROWS or list(frame.columns) != header:
        return None
    if lines_in_file != len(frame) + 1:
        return None
    cells: Cells = {c: frame[c].to_numpy(dtype=object) for c in header}
    del frame
    if pd.isna(cells[header[-1]]).any():  # a short row (it lacks the last cell): the row path says so
        return None
    return _prepared(cells, np.arange(2, len(cells[header[0]]) + 2), header, spec, guards, comments, controls)


def _prepared(
    cells: Cells,
    lines: np.ndarray,
    header: list[str],
    spec: _Spec,
    guards: bool,
    comments: bool,
    controls: bool,
) -> tuple[Cells, np.ndarray, dict[str, dict[int, str]], np.ndarray]:
    """The cells as the model would see them (blank rows out, the spreadsheet guard undone,
    stripped where the model strips), and the rows flagged for control characters. ``guards``,
    ``comments`` and ``controls`` say whether a cell may start with ``'``, a row with ``#``, a
    cell hold a refused character (``False`` only when the whole text rules it out)."""
    blank = np.ones(len(lines), dtype=bool)
    for a in cells.values():
        blank &= a == ""
    if comments:
        blank |= _flag_values(cells[header[0]], lambda v: v.startswith("#"))
    keep = ~blank
    if not keep.all():
        cells = {c: a[keep] for c, a in cells.items()}
        lines = lines[keep]
    # what the row path hands the model (after the spreadsheet guard): the cells stripped below
    # keep their padded text here, for the flagged rows the model reads one by one
    padded_cells: dict[str, dict[int, str]] = {}
    used = [c for c, a in cells.items() if (a != "").any()]
    for col in used:
        a = cells[col]
        guarded = np.flatnonzero(_flag_values(a, lambda v: v.startswith("'"))) if guards else ()
        if len(guarded):
            a = cells[col] = a.copy()  # pandas' arrays are read-only views
            a[guarded] = [from_spreadsheet(v) for v in a[guarded].tolist()]
        if col in spec.unstripped:
            continue
        padded = np.flatnonzero(_padded(a))
        if len(padded):
            padded_cells[col] = dict(zip(padded.tolist(), a[padded].tolist(), strict=True))
            a = cells[col] = a.copy() if a.base is not None else a
            a[padded] = [v.strip() for v in a[padded].tolist()]
    for col in spec.fields:
        if col not in cells:
            cells[col] = np.full(len(lines), "", dtype=object)
    flag = np.zeros(len(lines), dtype=bool)
    if controls:
        for col in used:
            flag |= _flag_values(cells[col], lambda v: _CONTROL.search(v) is not None or len(v) > MAX_TEXT)
    return cells, lines, padded_cells, flag


def _flag_common(cells: Cells, flag: np.ndarray, spec: _Spec) -> None:
    """The checks both kinds share: source id, numbers and their ranges, the date, list cells."""
    flag |= _flag_ids(cells["source"])
    for col in spec.ints:
        flag |= _flag_values(cells[col], lambda v: _INT_RE.fullmatch(v) is None)
    number = _SIGNED_FLOAT_RE if spec.kind == "entities" else _FLOAT_RE
    for col in spec.floats:
        flag |= _flag_values(cells[col], lambda v: number.fullmatch(v) is None)
    flag |= _flag_values(cells["date"], _bad_date)
    for col in _LIST_FIELDS:
        if col in cells and col != "researchers":  # keys: their own pattern (_flag_researchers)
            flag |= _flag_values(cells[col], lambda v: _split(v) is None)
    for col, (low, high) in (*spec.ints.items(), *spec.floats.items()):
        filled = ~flag & (cells[col] != "")
        if not filled.any():
            continue
        numbers = cells[col][filled].astype(float)  # ints of up to 18 digits are exact
        bad = ~np.isfinite(numbers) | (numbers < low) | (numbers > high)
        flag[np.flatnonzero(filled)[bad]] = True
    starts, ends = cells["period_start"], cells["period_end"]
    both = ~flag & (starts != "") & (ends != "")
    if both.any():
        late = starts[both].astype(np.int64) > ends[both].astype(np.int64)
        flag[np.flatnonzero(both)[late]] = True


def _flag_relations(cells: Cells, flag: np.ndarray) -> None:
    for col in ("from", "to"):
        flag |= _flag_ids(cells[col])
    kind = cells["type"]
    flag |= _flag_values(kind, lambda v: v not in _HAND_WRITTEN, blank_is_bad=True)
    weightless = (cells["share"] == "") & (cells["count"] == "")
    flag |= _isin(kind, sorted(_NEEDS_WEIGHT)) & weightless
    flag |= cells["from"] == cells["to"]
    if "researchers" in cells:
        _flag_researchers(cells, flag)


def _flag_researchers(cells: Cells, flag: np.ndarray) -> None:
    """The model's rules for a flow's researchers: keys only, on a TALENT_FLOW only, its count
    the number of distinct keys (the model splits the cell as written: it is not stripped)."""
    listed = np.flatnonzero(~flag & (cells["researchers"] != ""))
    if not len(listed):
        return
    keys = cells["researchers"][listed]
    bad = ~pd.Series(keys, dtype=object, copy=False).str.fullmatch(_KEYS.pattern).to_numpy(dtype=bool)
    bad |= cells["type"][listed] != RelType.TALENT_FLOW.value
    counts = cells["count"][listed]
    bad |= counts == ""
    ok = np.flatnonzero(~bad)
    distinct = np.array([len(set(v.split("|"))) for v in keys[ok].tolist()], dtype=float)
    bad[ok] = counts[ok].astype(float) != distinct
    flag[listed[bad]] = True


def _flag_entities(cells: Cells, flag: np.ndarray) -> None:
    flag |= _flag_ids(cells["id"])
    kind = cells["type"]
    flag |= _flag_values(kind, lambda v: v not in _ENTITY_TYPE_NAMES, blank_is_bad=True)
    lat = cells["lat"] != ""
    flag |= lat != (cells["lon"] != "")
    flag |= lat != (cells["coord_source"] != "")
    flag |= lat & ~_isin(kind, sorted(_GEO_TYPE_NAMES))
    period = (cells["period_start"] != "") | (cells["period_end"] != "")
    flag |= period & ~_isin(kind, sorted(_PERIOD_TYPE_NAMES))


def _compact(lines: np.ndarray) -> array.array[int]:
    out = array.array("q")
    out.frombytes(lines.astype(np.int64).tobytes())
    return out


def _typed_columns(good: Cells, n: int, spec: _Spec, out: TableColumns) -> None:
    blank: list[object] = [None] * n  # shared by every column blank on every row
    for col in spec.fields:
        a = good[col]
        if not (a != "").any():
            out.columns[col] = blank
        elif col in spec.ints:
            out.columns[col] = _ints(a)
        elif col in spec.floats:
            out.columns[col] = _floats(a)
        elif col == "researchers":  # keys as the pattern passed them: split, nothing to strip
            out.columns[col] = [x.split("|") if x else None for x in a.tolist()]
        elif col in _LIST_FIELDS:
            out.columns[col] = [list(_split(x) or ()) or None for x in a.tolist()]
        else:
            out.columns[col] = [x if x else None for x in a.tolist()]


def read_table(
    path: Path, header: list[str], origin_file: str, kind: Kind
) -> tuple[TableColumns, Dataset, list[Problem]] | None:
    """Read an entities or relations table column-wise, or ``None`` when the row path must read it.

    Returns the rows no check flagged (as columns: :class:`EntityColumns` or
    :class:`RelationColumns`), the flagged rows the model accepted (as records) and the
    problems of those it refused.
    """
    spec = _ENTITIES if kind == "entities" else _RELATIONS
    read = _read_cells(path, header, spec)
    if read is None:
        return None
    return _checked(*read, header, origin_file, kind, spec)


def check_frame(
    frame: pd.DataFrame, origin_file: str, kind: Kind
) -> tuple[TableColumns, Dataset, list[Problem]]:
    """Rows held in memory (a frame of ``str`` cells, ``""`` for blank; row ``i`` named as line
    ``i + 1`` of ``origin_file``) through the same checks as a table read from a file.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["a", "B B"], "type": ["City", "City"], "name_en": ["A", "B"],
    ...                       "source": ["s", "s"]})
    >>> table, flagged, problems = check_frame(frame, "<rows>", "entities")
    >>> len(table), [(p.row, p.field) for p in problems]
    (1, [(2, 'id')])
    """
    spec = _ENTITIES if kind == "entities" else _RELATIONS
    header = [str(c) for c in frame.columns]
    cells: Cells = {c: frame[c].to_numpy(dtype=object) for c in header}
    for c in spec.required:
        cells.setdefault(c, np.full(len(frame), "", dtype=object))
    # values as given (no spreadsheet guard, no comment rows), checked for refused characters
    prepared = _prepared(cells, np.arange(1, len(frame) + 1), list(cells), spec, False, False, True)
    checked = _checked(*prepared, list(cells), origin_file, kind, spec, majority_bad_ok=True)
    assert checked is not None
    return checked


def _checked(
    cells: Cells,
    lines: np.ndarray,
    padded_cells: dict[str, dict[int, str]],
    flag: np.ndarray,
    header: list[str],
    origin_file: str,
    kind: Kind,
    spec: _Spec,
    *,
    majority_bad_ok: bool = False,
) -> tuple[TableColumns, Dataset, list[Problem]] | None:
    _flag_common(cells, flag, spec)
    (_flag_entities if kind == "entities" else _flag_relations)(cells, flag)
    if flag.mean() > 0.5 and not majority_bad_ok:  # mostly bad rows: the row path says it as well
        return None
    checked = Dataset(files=[])
    problems: list[Problem] = []
    from aieco.loaders.files import add_row  # the row path's own validation and messages

    for i in np.flatnonzero(flag).tolist():  # only the flagged rows, as read
        raw = {c: padded_cells.get(c, {}).get(i, cells[c][i]) for c in header}
        add_row(checked, kind, raw, Origin(origin_file, int(lines[i])), problems)
    good = ~flag
    out: TableColumns = (EntityColumns if kind == "entities" else RelationColumns)(
        origin_file, _compact(lines[good])
    )
    if not good.all():
        cells = {c: a[good] for c, a in cells.items()}
    _typed_columns(cells, int(good.sum()), spec, out)
    return out, checked, problems
