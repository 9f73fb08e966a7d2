"""Headless Chromium (Debian's package) driven by Playwright, for tests of the HTML outputs.

Playwright's own browser download is never used: Chromium comes from the system
(``/usr/bin/chromium`` or ``$AIECO_CHROMIUM``). When it is missing the tests are skipped,
unless ``AIECO_REQUIRE_BROWSER=1`` (as in CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    env = os.environ.get("AIECO_CHROMIUM")
    if env:
        return env
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _missing(reason: str) -> None:
    if os.environ.get("AIECO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"a browser is required (AIECO_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium()
    if path is None:
        _missing("no Chromium found (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[Any]:
    """A page with networking disabled (only file: URLs load) that records console errors."""
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.dialogs = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


@pytest.fixture
def measured_page(browser: Any) -> Iterator[Any]:
    """An offline 1600×1000 page whose canvas text is recorded (see ``readability.TEXT_RECORDER``)."""
    from tests.browser.readability import TEXT_RECORDER

    context = browser.new_context(offline=True, viewport={"width": 1600, "height": 1000})
    context.add_init_script(TEXT_RECORDER)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
