"""Measure what kill -9 and Ctrl-C at fixed moments do to `aieco export -f csv` written over a
previous export: the tables left are the old set, the new set or a MIX, and `aieco load` reads
them or not. A measurement for the closing note, not a test (the test with kills timed on the
staging folder is test_whole_outputs.py).

    python -m tests.integration.kill_sweep [ROOT]   # ROOT: a checkout to measure (default: this one)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TABLES = ("sources.csv", "entities.csv", "observations.csv", "relations.csv")


def main(root: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(root)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "aieco", *args], env=env, capture_output=True, text=True, cwd=root
        )

    def tables(folder: Path) -> dict[str, str]:
        return {
            n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in TABLES if (folder / n).exists()
        }

    base = Path(tempfile.mkdtemp(prefix="aieco-kill-sweep-"))
    try:
        run("export", "-f", "csv", "-o", str(base / "old"))
        started = time.monotonic()
        run("export", "-f", "csv", "-o", str(base / "new"), "--synthetic", "20000")
        whole = time.monotonic() - started
        old, new = tables(base / "old"), tables(base / "new")
        for sig in (signal.SIGKILL, signal.SIGINT):
            for share in (0.7, 0.78, 0.85, 0.92, 0.99):
                out = base / f"{sig.name}-{share}"
                run("export", "-f", "csv", "-o", str(out))
                proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "aieco",
                        "export",
                        "-f",
                        "csv",
                        "-o",
                        str(out),
                        "--synthetic",
                        "20000",
                    ],
                    env=env,
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(share * whole)
                proc.send_signal(sig)
                proc.wait()
                found = tables(out)
                state = "old" if found == old else "new" if found == new else "MIX"
                loads = run("load", str(out)).returncode == 0
                verdict = "reads it" if loads else "refuses"
                print(f"{sig.name:8} at {share:.0%} of {whole:.1f} s: {state:3}  load {verdict}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
