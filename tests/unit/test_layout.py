"""The package layout: one role per folder, imports pointing downward, no giant files."""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "aieco"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)

#: Layers, bottom first: a module may import its own package and any lower layer.
LAYERS: dict[str, int] = {
    "errors": 0,
    "_version": 0,
    "config": 0,
    "atomic": 1,
    "notebook": 1,
    "graph": 2,
    "metrics": 3,
    "neo4j": 3,
    "loaders": 3,
    "queries": 4,
    "viz": 4,
    "report": 4,
    "cli": 5,
    "__init__": 6,
    "__main__": 6,
}
#: Sideways imports the layout allows, each for a stated reason.
ALLOWED_SIDEWAYS = {
    ("viz", "report"),  # the demo dashboard links the centrality report (viz/dashboard.py)
}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _aieco_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rooms = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "aieco" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


def test_every_room_is_a_known_layer() -> None:
    assert {_room(p) for p in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downward(path: Path) -> None:
    room = _room(path)
    for target in _aieco_imports(path):
        if target == room or (room, target) in ALLOWED_SIDEWAYS:
            continue
        assert LAYERS[target] < LAYERS[room], f"{path.relative_to(ROOT)} imports aieco.{target}"


def test_no_module_is_a_giant() -> None:
    sizes = {p.relative_to(ROOT): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {p: n for p, n in sizes.items() if n > 510} == {}


def test_no_two_modules_share_a_basename() -> None:
    names = Counter(p.name for p in MODULES if p.name not in ("__init__.py", "__main__.py"))
    assert [n for n, k in names.items() if k > 1] == []


@pytest.mark.parametrize(
    "package",
    [
        "aieco.graph",
        "aieco.metrics",
        "aieco.neo4j",
        "aieco.neo4j.server",
        "aieco.loaders",
        "aieco.queries",
        "aieco.viz",
        "aieco.report",
        "aieco.cli",
    ],
)
def test_each_package_says_its_role_and_what_it_may_import(package: str) -> None:
    doc = importlib.import_module(package).__doc__ or ""
    assert doc.strip(), package
    assert "import" in doc.lower(), f"{package} does not say what it may import"


def test_readme_layout_matches_the_tree() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout") :]
    folders = {
        p.relative_to(ROOT).as_posix() + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()
    }
    for folder in folders:
        assert folder in section, f"README's Layout does not mention {folder}"
    for line in section.splitlines():
        if line.startswith("aieco/") and "/" in line.split()[0]:
            named = line.split()[0]
            assert (ROOT / named).exists(), f"README's Layout names {named}, which does not exist"


def test_readme_has_two_set_up_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set up") : readme.index("## The data model")]
    blocks = [b.split("```", 1)[0].strip() for b in setup.split("```bash\n")[1:]]
    assert blocks == ["pip install -e . && aieco demo", 'pip install -e ".[dev]" && python -m pytest']
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert blocks[1] in ci  # verbatim, on a line of its own
