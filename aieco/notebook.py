"""Inline display in Jupyter, JupyterLab and VS Code notebooks, offline.

A view or a report is one self-contained HTML page; a notebook shows it in a sandboxed
``<iframe>`` whose ``srcdoc`` holds the whole page, so nothing is fetched from a CDN (pyvis's
own notebook path loads vis-network from one and renders blank in VS Code) and the page's
Content-Security-Policy still applies inside the frame.

Examples
--------
>>> html = inline_html("<p>hi & bye</p>", height=200)
>>> html.startswith('<iframe'), 'srcdoc="&lt;p&gt;hi &amp; bye&lt;/p&gt;"' in html
(True, True)
"""

from __future__ import annotations

import html
import importlib
import logging
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Height of an inline view in a notebook (pixels).
INLINE_HEIGHT = 640


def inline_html(page: str, *, height: int = INLINE_HEIGHT, title: str = "aieco") -> str:
    """An ``<iframe>`` holding ``page`` (scripts allowed, no same-origin access)."""
    return (
        f'<iframe title="{html.escape(title)}" sandbox="allow-scripts allow-popups" '
        f'srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #d8dde3;"></iframe>'
    )


def in_notebook() -> bool:
    """Whether code runs in a Jupyter kernel (JupyterLab, Notebook, VS Code, Colab)."""
    try:
        ipython: Any = importlib.import_module("IPython")
    except ImportError:
        return False
    shell = ipython.get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def show_page(inline: Callable[[], str], save: Callable[[Path], Path], page_file: Path) -> Path | None:
    """Display ``inline()`` in a notebook, or else ``save(page_file)`` and open it in a browser.

    Returns the file written, if any.
    """
    if in_notebook():
        shown: Any = importlib.import_module("IPython.display")
        shown.display(shown.HTML(inline()))
        return None
    written = save(page_file)
    webbrowser.open(written.resolve().as_uri())
    logger.info("opened %s", written)
    return written
