"""One HTTP layer for the open-data loaders: retries, timeouts, bounds, an on-disk cache, and
errors that say which URL failed, how, and what to do.

* Retries on 429 and 5xx over ``http://`` and ``https://`` alike, waiting as ``Retry-After``
  says (up to :attr:`HttpSettings.max_retry_after`; a longer wait is an error that says so) or
  backing off exponentially;
* a connect and a read timeout on every request, and a deadline for the whole pull;
* answers larger than :attr:`HttpSettings.max_bytes` are refused;
* successful answers are cached on disk (``requests-cache``, SQLite), so a re-run sends
  nothing; a corrupt cache is an error naming the file to delete.

Examples
--------
>>> settings = HttpSettings(retries=2)
>>> settings.retries, settings.connect_timeout
(2, 10.0)
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco._version import __version__
from aieco.errors import MissingDependencyError, NotFoundError, OpenDataError

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


__all__ = ["RETRY_STATUSES", "Http", "HttpSettings", "NotFoundError", "OpenDataError"]


@dataclass(frozen=True)
class HttpSettings:
    """Bounds of every request and of a whole pull."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    #: The longest a pull may take, retries and waits included.
    total_seconds: float = 6 * 3600.0
    retries: int = 5
    backoff: float = 0.5
    #: The longest ``Retry-After`` aieco waits; a server asking more is reported.
    max_retry_after: float = 120.0
    #: The largest answer read (bytes).
    max_bytes: int = 256 * 1024 * 1024
    user_agent: str = f"aieco/{__version__} (https://github.com/aieco; open-data loader)"


class Http:
    """A session for one pull: cached, retried, bounded.

    Parameters
    ----------
    cache_dir
        Folder of the SQLite cache (``None``: no cache).
    name
        The cache's file name (one per service).
    headers
        Sent with every request (an API key, a contact address).
    settings
        Timeouts and bounds.
    """

    def __init__(
        self,
        *,
        cache_dir: str | Path | None = None,
        name: str = "http",
        headers: Mapping[str, str] | None = None,
        settings: HttpSettings | None = None,
    ) -> None:
        import requests

        self.settings = settings or HttpSettings()
        self.started = time.monotonic()
        self.requests = 0
        self.cache_file: Path | None = None
        if cache_dir is not None:
            try:
                import requests_cache
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise MissingDependencyError(
                    "an on-disk cache needs requests-cache: pip install requests-cache"
                ) from exc
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self.cache_file = Path(cache_dir) / f"{name}.sqlite"
            try:
                self.session: Any = requests_cache.CachedSession(
                    str(self.cache_file), backend="sqlite", allowable_codes=(200,)
                )
            except sqlite3.DatabaseError as exc:
                raise self._corrupt(exc) from exc
        else:
            self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.settings.user_agent, **(headers or {})})

    def _corrupt(self, exc: Exception) -> OpenDataError:
        return OpenDataError(
            f"the request cache {self.cache_file} is unreadable ({exc}); delete it and run again"
        )

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def _left(self, url: str) -> float:
        left = self.settings.total_seconds - (time.monotonic() - self.started)
        if left <= 0:
            raise OpenDataError(
                f"GET {url}: the pull ran past its limit of {self.settings.total_seconds:g} s; "
                "narrow the query (--limit, filters) or raise the limit"
            )
        return left

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` and return its JSON, retrying what can be retried.

        Raises
        ------
        NotFoundError
            The server answered 404.
        OpenDataError
            Anything else that failed, with the URL, the status and what to do.
        """
        import requests

        shown = requests.Request("GET", url, params=params).prepare().url or url
        for attempt in range(self.settings.retries + 1):
            left = self._left(shown)
            timeout = (min(self.settings.connect_timeout, left), min(self.settings.read_timeout, left))
            try:
                self.requests += 1
                response = self.session.get(url, params=params, timeout=timeout, stream=False)
            except sqlite3.DatabaseError as exc:
                raise self._corrupt(exc) from exc
            except requests.exceptions.InvalidSchema as exc:
                raise OpenDataError(f"GET {shown}: not an http(s) URL ({exc})") from exc
            except requests.exceptions.TooManyRedirects as exc:
                raise OpenDataError(f"GET {shown}: too many redirects; check the base URL") from exc
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if attempt < self.settings.retries:
                    self._wait(self.settings.backoff * 2**attempt, shown)
                    continue
                what = "timed out" if isinstance(exc, requests.exceptions.Timeout) else "could not connect"
                raise OpenDataError(
                    f"GET {shown}: {what} after {attempt + 1} tries ({type(exc).__name__}); "
                    "check the network or the mirror's URL, then run again (answers so far are cached)"
                ) from exc
            except requests.exceptions.RequestException as exc:
                raise OpenDataError(f"GET {shown}: {type(exc).__name__}: {exc}") from exc
            status = response.status_code
            if status in RETRY_STATUSES and attempt < self.settings.retries:
                self._wait(self._retry_after(response, attempt, shown), shown)
                continue
            if status == 404:
                raise NotFoundError(f"GET {shown}: 404 not found")
            if status in (401, 403):
                raise OpenDataError(
                    f"GET {shown}: {status} {response.reason}; the service wants a valid API key "
                    "(for OpenAlex, set OPENALEX_API_KEY)"
                )
            if status != 200:
                advice = "the service is busy or failing; run again later" if status in RETRY_STATUSES else ""
                raise OpenDataError(
                    f"GET {shown}: {status} {response.reason} after {attempt + 1} tries"
                    + (f"; {advice}" if advice else "")
                )
            body = response.content
            if len(body) > self.settings.max_bytes:
                raise OpenDataError(f"GET {shown}: answer of {len(body):,} bytes is over the limit")
            try:
                return json.loads(body)
            except (ValueError, RecursionError) as exc:
                raise OpenDataError(f"GET {shown}: the answer is not JSON ({str(exc)[:80]})") from exc
        raise OpenDataError(
            f"GET {shown}: gave up after {self.settings.retries + 1} tries"
        )  # pragma: no cover

    def _retry_after(self, response: Any, attempt: int, url: str) -> float:
        header = response.headers.get("Retry-After")
        if header is None:
            return float(self.settings.backoff * 2**attempt)
        try:
            wait = float(header)
        except ValueError:
            return float(self.settings.backoff * 2**attempt)
        if wait > self.settings.max_retry_after:
            raise OpenDataError(
                f"GET {url}: {response.status_code}; the server asks to wait {wait:g} s (more than "
                f"{self.settings.max_retry_after:g} s); run again later"
            )
        return max(wait, 0.0)

    def _wait(self, seconds: float, url: str) -> None:
        seconds = min(seconds, self._left(url))
        logger.info("waiting %.1f s before retrying %s", seconds, url)
        time.sleep(seconds)
