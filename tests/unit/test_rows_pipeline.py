"""Rows in memory (a pull's, the synthetic generator's) go through the one validation: a big
table column-wise with the models on flagged rows, a small one row by row — the same verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from aieco.loaders.columns import COLUMN_WISE_FROM_ROWS
from aieco.loaders.pull import dataset_from_rows


def _relations(n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"id": f"r{i}", "from": f"a{i}", "to": f"b{i}", "type": "PARTNERS_WITH", "source": "s", "year": 2020}
        for i in range(n)
    ]
    rows[16]["year"] = 2150  # row 17: a year after any the schema accepts (2100)
    rows[20]["to"] = "Not An Id"  # row 21
    rows[30]["count"] = 2.5  # a weight on a type that needs none: fine
    return rows


def _verdicts(n: int) -> tuple[list[tuple[int, str, str]], int]:
    data, problems = dataset_from_rows({"relations": _relations(n)}, "<rows>")
    kept = len(data.relations) + sum(len(t) for t in data.relation_columns)
    return sorted((p.row, p.field, p.message) for p in problems), kept


def test_big_and_small_tables_get_the_same_verdicts() -> None:
    big, kept_big = _verdicts(COLUMN_WISE_FROM_ROWS + 5)
    small, kept_small = _verdicts(40)
    assert [(row, field) for row, field, _ in big] == [(17, "year"), (21, "to")]
    assert big == small  # the same rows, fields and messages on both paths
    assert (kept_big, kept_small) == (COLUMN_WISE_FROM_ROWS + 5 - 2, 38)


def test_a_big_table_is_read_column_wise() -> None:
    data, _problems = dataset_from_rows({"relations": _relations(COLUMN_WISE_FROM_ROWS)}, "<rows>")
    assert len(data.relation_columns) == 1
    assert len(data.relation_columns[0]) == COLUMN_WISE_FROM_ROWS - 2
    # the weight as given, read back exactly
    (table,) = data.relation_columns
    at = table.columns["id"].index("r30")  # rows 17 and 21 are not among the columns
    assert at == 28
    assert table.columns["count"][at] == 2.5
    assert table.columns["year"][0] == 2020


@pytest.mark.seconds
def test_a_value_no_cell_holds_sends_the_table_to_the_models() -> None:
    rows = _relations(COLUMN_WISE_FROM_ROWS)
    rows[5]["researchers"] = ["x", "y"]  # a list: read by the model, not as a cell
    data, _ = dataset_from_rows({"relations": rows}, "<rows>")
    assert not data.relation_columns


#: Researchers cells (with the row's type and count) and whether the model accepts them
RESEARCHERS = [
    ("a1|b2", "TALENT_FLOW", 2, True),
    ("a1|a1", "TALENT_FLOW", 1, True),  # the count is of distinct researchers
    ("a1|a1", "TALENT_FLOW", 2, False),
    ("a1|b2", "TALENT_FLOW", 1, False),
    ("a1|b2", "TALENT_FLOW", None, False),
    ("a1|b2", "PARTNERS_WITH", 2, False),  # only a flow lists researchers
    ("a1||b2", "TALENT_FLOW", 2, False),
    (" a1|b2", "TALENT_FLOW", 2, False),  # not stripped: " a1" is no key
    ("a1|b2 ", "TALENT_FLOW", 2, False),
    ("a1|b 2", "TALENT_FLOW", 2, False),
    ("a1|", "TALENT_FLOW", 1, False),
    ("k" * 65, "TALENT_FLOW", 1, False),
    ("k" * 64 + "|x:y.z-_9", "TALENT_FLOW", 2, True),
    ("a1|b2|é", "TALENT_FLOW", 3, False),
]


def _flows(n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"from": f"a{i}", "to": f"b{i}", "type": "TALENT_FLOW", "source": "s", "year": 2020,
         "count": 2, "researchers": f"r{i}|q{i}"}
        for i in range(n)
    ]  # fmt: skip
    for at, (keys, kind, count, _) in enumerate(RESEARCHERS, start=10):
        rows[at] |= {"researchers": keys, "type": kind, "count": count}
    return rows


@pytest.mark.seconds
def test_researchers_get_the_models_verdict_on_both_paths() -> None:
    """A flow's researchers are checked column-wise as the model checks them (no big table of
    flows sent row by row to the models), and every row the model refuses is refused there too."""
    found = {}
    for n in (COLUMN_WISE_FROM_ROWS + 5, 40):
        data, problems = dataset_from_rows({"relations": _flows(n)}, "<rows>")
        found[n] = sorted((p.row, p.field, p.message) for p in problems)
        if n > 40:
            (table,) = data.relation_columns
            assert len(table) + len(data.relations) == n - len(found[n])
            assert len(data.relations) == 0  # no accepted row needed the models
            assert table.columns["researchers"][0] == ["r0", "q0"]
    refused = sorted(at for at, (*_, ok) in enumerate(RESEARCHERS, start=11) if not ok)
    assert sorted({row for row, _, _ in found[40]}) == refused
    assert found[COLUMN_WISE_FROM_ROWS + 5] == found[40]
