"""Shared fixtures: the bundled graph, and helpers to write small datasets."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph


@pytest.fixture(scope="session")
def bundled() -> EcosystemGraph:
    """The bundled dataset, loaded once per test session (tests must not mutate it)."""
    return aieco.graph_from_bundled()


WriteTable = Callable[[str, Iterable[Mapping[str, object]]], Path]


@pytest.fixture
def write_table(tmp_path: Path) -> WriteTable:
    """Write a CSV table into tmp_path; the header is the union of the rows' keys."""

    def write(name: str, rows: Iterable[Mapping[str, object]]) -> Path:
        rows = list(rows)
        header: list[str] = []
        for row in rows:
            header += [k for k in row if k not in header]
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write
