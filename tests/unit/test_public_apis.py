"""aieco uses its dependencies through their public interfaces: no import of a private module
(``typer._click``), no reading a package's files beside its ``__file__`` (package data is read
through ``importlib.resources``). One use of private attributes is allowed, for a stated reason."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "aieco"
#: NetworkX's adjacency dicts, written directly when a million edges go in (two to three times
#: faster than add_edge; the results equal add_edge's, see test_io and test_metrics).
ALLOWED_PRIVATE = {
    ("graph/build.py", "_succ"),
    ("graph/build.py", "_pred"),
    ("graph/projection.py", "_succ"),
    ("graph/projection.py", "_pred"),
    ("graph/projection.py", "_adj"),
    ("graph/projection.py", "_node"),
}


def _uses(path: Path) -> tuple[list[str], list[str], set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private_imports = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module
        and not node.module.startswith("aieco")
        and any(part.startswith("_") and part != "__future__" for part in node.module.split("."))
    ]
    files = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "__file__" and isinstance(node.value, ast.Name)
    ]
    private_attrs = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and isinstance(node.value, ast.Name)
        and node.value.id in {"G", "H", "nx", "pyvis", "typer", "igraph", "duckdb", "pd", "np"}
    }
    return private_imports, files, private_attrs


@pytest.mark.seconds
def test_no_private_interface_of_a_dependency() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE))
        imports, files, attrs = _uses(path)
        assert imports == [], f"{rel} imports {imports}"
        assert files == [], f"{rel} reads beside {files}; use importlib.resources"
        assert {(rel, a) for a in attrs} <= ALLOWED_PRIVATE, f"{rel} uses {attrs}"
