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

import contextlib
import dataclasses
import json
import logging
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aieco._version import __version__
from aieco.config import env as setting
from aieco.errors import InvalidArgumentError, MissingDependencyError, NotFoundError, OpenDataError

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


__all__ = ["RETRY_STATUSES", "Http", "HttpSettings", "NotFoundError", "OpenDataError"]


@dataclass(frozen=True)
class HttpSettings:
    """Bounds of every request and of a whole pull.

    :meth:`from_env` reads ``AIECO_HTTP_TIMEOUT`` (seconds: connecting, waiting for a byte, and
    the whole of one answer), ``AIECO_HTTP_DEADLINE`` (seconds: the whole pull) and
    ``AIECO_HTTP_RETRIES``.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    #: The longest one answer may take to arrive whole (a server trickling bytes is cut off).
    answer_seconds: float = 300.0
    #: The longest a pull may take, retries and waits included.
    total_seconds: float = 6 * 3600.0
    retries: int = 5
    backoff: float = 0.5
    #: The longest ``Retry-After`` aieco waits; a server asking more is reported.
    max_retry_after: float = 120.0
    #: The largest answer read (bytes, after decompression).
    max_bytes: int = 64 * 1024 * 1024
    user_agent: str = f"aieco/{__version__} (https://github.com/aieco; open-data loader)"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HttpSettings:
        """The defaults, with the bounds the environment sets.

        >>> HttpSettings.from_env({"AIECO_HTTP_TIMEOUT": "5", "AIECO_HTTP_RETRIES": "1"}).answer_seconds
        5.0
        """
        timeout, deadline, retries = (
            setting(f"AIECO_HTTP_{k}", env) for k in ("TIMEOUT", "DEADLINE", "RETRIES")
        )
        changes: dict[str, Any] = {}
        try:
            if timeout:
                seconds = float(timeout)
                changes |= {"connect_timeout": seconds, "read_timeout": seconds, "answer_seconds": seconds}
            if deadline:
                changes["total_seconds"] = float(deadline)
            if retries:
                changes["retries"] = int(retries)
        except ValueError as exc:
            raise InvalidArgumentError(f"AIECO_HTTP_* must be numbers: {exc}") from exc
        if any(v <= 0 for k, v in changes.items() if k != "retries") or changes.get("retries", 0) < 0:
            raise InvalidArgumentError("AIECO_HTTP_* must be positive")
        return dataclasses.replace(cls(), **changes)


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
        Timeouts and bounds (default: :meth:`HttpSettings.from_env`).
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

        self.settings = settings or HttpSettings.from_env()
        self.started = time.monotonic()
        self.requests = 0
        self.cache_file: Path | None = None
        self.cache: Any = None
        if cache_dir is not None:
            try:
                import requests_cache.backends.sqlite
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise MissingDependencyError(
                    "an on-disk cache needs requests-cache: pip install requests-cache"
                ) from exc
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self.cache_file = Path(cache_dir) / f"{name}.sqlite"
            try:
                self.cache = requests_cache.backends.sqlite.SQLiteCache(str(self.cache_file))
                self.cache.responses.count()  # opens the file: a corrupt one fails here
            except sqlite3.DatabaseError as exc:
                raise self._corrupt(exc) from exc
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
        if self.cache is not None:
            with contextlib.suppress(Exception):
                self.cache.close()

    def _left(self, url: str) -> float:
        left = self.settings.total_seconds - (time.monotonic() - self.started)
        if left <= 0:
            raise OpenDataError(
                f"GET {url}: the pull ran past its limit of {self.settings.total_seconds:g} s; "
                "narrow the query (--limit, filters) or raise the limit (AIECO_HTTP_DEADLINE)"
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

        try:
            request = self.session.prepare_request(requests.Request("GET", url, params=params))
        except requests.exceptions.RequestException as exc:
            raise OpenDataError(f"GET {url}: not a URL aieco can ask ({exc})") from exc
        shown = request.url or url
        key = self._cached_key(request)
        if key is not None:
            try:
                cached = self.cache.get_response(key)
            except sqlite3.DatabaseError as exc:
                raise self._corrupt(exc) from exc
            if cached is not None and cached.status_code == 200:
                return _parse(cached.content, shown)
        for attempt in range(self.settings.retries + 1):
            left = self._left(shown)
            timeout = (min(self.settings.connect_timeout, left), min(self.settings.read_timeout, left))
            try:
                self.requests += 1
                env = self.session.merge_environment_settings(shown, {}, True, None, None)
                response = self.session.send(request, timeout=timeout, allow_redirects=True, **env)
                status = response.status_code
                if status in RETRY_STATUSES and attempt < self.settings.retries:
                    response.close()
                    self._wait(self._retry_after(response, attempt, shown), shown)
                    continue
                body = self._read(response, shown) if status == 200 else b""
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
                raise OpenDataError(
                    f"GET {shown}: the answer broke off ({type(exc).__name__}: {str(exc)[:120]}); run again"
                ) from exc
            self._check_status(response, status, attempt, shown)
            if key is not None:
                response._content = body
                try:
                    self.cache.save_response(response, key)
                except sqlite3.DatabaseError as exc:
                    raise self._corrupt(exc) from exc
            return _parse(body, shown)
        raise OpenDataError(
            f"GET {shown}: gave up after {self.settings.retries + 1} tries"
        )  # pragma: no cover

    def _cached_key(self, request: Any) -> str | None:
        return None if self.cache is None else str(self.cache.create_key(request))

    def _check_status(self, response: Any, status: int, attempt: int, shown: str) -> None:
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

    def _read(self, response: Any, shown: str) -> bytes:
        """The whole answer, within :attr:`HttpSettings.answer_seconds` and ``max_bytes``."""
        import requests
        import urllib3

        limit = min(self.settings.answer_seconds, self._left(shown))
        deadline = time.monotonic() + limit
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.settings.max_bytes:
            response.close()
            raise OpenDataError(f"GET {shown}: an answer of {int(declared):,} bytes is over the limit")
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := response.raw.read1(1 << 16, decode_content=True):
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise OpenDataError(
                        f"GET {shown}: the answer is over the limit of {self.settings.max_bytes:,} bytes"
                    )
                if time.monotonic() > deadline:
                    raise requests.exceptions.Timeout(f"the answer took more than {limit:g} s")
                chunks.append(chunk)
        except requests.exceptions.RequestException:
            raise
        except urllib3.exceptions.TimeoutError as exc:
            raise requests.exceptions.Timeout(str(exc)) from exc
        except (OSError, ValueError, urllib3.exceptions.HTTPError) as exc:  # protocol, decoding
            raise requests.exceptions.ChunkedEncodingError(str(exc)) from exc
        finally:
            response.close()
        return b"".join(chunks)

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


def _parse(body: bytes, shown: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise OpenDataError(f"GET {shown}: the answer is not JSON ({str(exc)[:80]})") from exc
