"""``python -m aieco``: the same as the ``aieco`` command."""

from aieco.cli import run

run()
