"""The OpenAlex fixture: hand-made records in OpenAlex's documented shapes (institution,
author, work objects), written as a snapshot folder or served by a loopback HTTPS mirror."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixtures" / "openalex"
ENTITIES = ("institutions", "authors", "works")


def records(entity: str) -> list[dict[str, Any]]:
    lines = (FIXTURE / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_snapshot(
    root: Path, *, date: str = "2026-11-01", extra_lines: dict[str, list[str]] | None = None
) -> Path:
    """The fixture in the snapshot's layout: ``root/data/<entity>/updated_date=DATE/part_000.gz``."""
    for entity in ENTITIES:
        folder = root / "data" / entity / f"updated_date={date}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps(r, ensure_ascii=False) for r in records(entity)] + (extra_lines or {}).get(
            entity, []
        )
        with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    return root
