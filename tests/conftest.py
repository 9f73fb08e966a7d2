"""Shared fixtures: the bundled graph, and helpers to write small datasets."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

import aieco
from aieco.graph.ecosystem import EcosystemGraph


def _cache_cli_commands() -> None:
    """Build the click command of each Typer app once per test session, not once per
    ``CliRunner().invoke``: Typer converts every command's signature on each call, which was
    most of the unit tests' time (18 of the 28 s of test_cli_errors.py). The app is never
    changed after import, so the command built once is the one every invocation would build."""
    import typer.main
    import typer.testing

    built: dict[int, tuple[object, object]] = {}
    build = typer.main.get_command

    def cached(app: typer.Typer) -> object:
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app is kept: its id is not reused
        return built[id(app)][1]

    typer.testing._get_command = cached  # type: ignore[assignment]  # typer.testing's own alias


_cache_cli_commands()


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


def _seeds_dir() -> Path | None:
    env = os.environ.get("AIECO_SEEDS_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "seeds")
    return next((p for p in candidates if p.is_dir()), None)


@pytest.fixture(scope="session")
def seed_texts(bundled: EcosystemGraph) -> dict[str, str]:
    """The seed articles' texts by source id (skips, or fails with AIECO_REQUIRE_SEEDS=1, without them)."""
    folder = _seeds_dir()
    if folder is None:
        if os.environ.get("AIECO_REQUIRE_SEEDS") == "1":
            pytest.fail("seed articles not found (set AIECO_SEEDS_DIR)")
        pytest.skip("seed articles not available here (set AIECO_SEEDS_DIR to check quotes)")
    texts = {}
    for sid in bundled.ids(["Source"]):
        name = bundled.node(sid).get("file")
        if name:
            texts[sid] = (folder / name).read_text(encoding="utf-8")
    assert len(texts) == 5
    return texts


def _realdata_dir() -> Path | None:
    env = os.environ.get("AIECO_REALDATA_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "realdata")
    return next((p for p in candidates if p.is_dir()), None)


@pytest.fixture(scope="session")
def realdata() -> Path:
    """``../shared/realdata``: real open-data records, read in place (skips, or fails with
    AIECO_REQUIRE_REALDATA=1, without them)."""
    folder = _realdata_dir()
    if folder is None:
        if os.environ.get("AIECO_REQUIRE_REALDATA") == "1":
            pytest.fail("real open-data records not found (set AIECO_REALDATA_DIR)")
        pytest.skip("real open-data records not available here (set AIECO_REALDATA_DIR)")
    return folder
