"""Building millions of objects at once: the cyclic garbage collector paused meanwhile.

Loading a million relationships creates several million dicts, lists and strings, none of them
in a reference cycle. CPython's cyclic collector runs every few hundred allocations and, as the
heap grows, walks the older generations again and again — about a third of a 1M-relationship
load here. Reference counting still frees everything as usual; only the search for cycles waits
until the block ends, when the collector's previous state is restored.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested blocks and a collector already
    off stay as they were)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
