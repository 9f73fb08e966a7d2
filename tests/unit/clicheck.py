"""The check every failing command must pass: non-zero exit, one line on stderr, no traceback."""

from __future__ import annotations

from typing import Any


def one_line_failure(result: Any) -> str:
    """Assert that a CliRunner result failed in one ``error: …`` line; return that line."""
    assert result.exit_code != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]
