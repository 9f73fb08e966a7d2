"""Every environment variable aieco reads goes through ``aieco.config`` (one documented list);
no other module reads ``os.environ``; each name read is in the list; the README's table is the
list's own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from aieco.config import SETTINGS, settings_markdown

PACKAGE = Path(__file__).resolve().parents[2] / "aieco"
README = PACKAGE.parent / "README.md"
#: Where the process environment is handed on whole, not read: the Neo4j tools' child process.
PASSES_ON = {"neo4j/server/bulk.py"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "config.py")


@pytest.mark.seconds
def test_no_module_reads_the_environment_itself() -> None:
    for path in _modules():
        rel = str(path.relative_to(PACKAGE))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reads = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "getenv", "environb")
        ]
        if rel in PASSES_ON:
            assert len(reads) == 1, rel
            continue
        assert not reads, f"{rel}:{reads[0]} reads os.environ; use aieco.config.env"


def test_every_name_read_is_a_setting() -> None:
    read = set()
    for path in _modules():
        read |= set(
            re.findall(
                r"\b(?:setting|env)\(\s*f?\"([A-Z0-9_]+(?:\{[a-z]+\}[A-Z0-9_]*)?)\"",
                path.read_text(encoding="utf-8"),
            )
        )
    names = {n for n in read if "{" not in n}
    assert names, "no setting read at all?"
    assert names <= set(SETTINGS), names - set(SETTINGS)
    templated = {n for n in read if "{" in n}  # AIECO_HTTP_{k}
    assert templated == {"AIECO_HTTP_{k}"}
    assert {"AIECO_HTTP_TIMEOUT", "AIECO_HTTP_DEADLINE", "AIECO_HTTP_RETRIES"} <= set(SETTINGS)


def test_the_readme_lists_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- settings:start -->\n", 1)[1].split("\n<!-- settings:end -->", 1)[0]
    assert table == settings_markdown()
