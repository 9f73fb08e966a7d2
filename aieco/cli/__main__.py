"""``python -m aieco.cli``: the same as the ``aieco`` command."""

from aieco.cli import run

run()
