"""The OpenAlex client and the HTTP layer against a plain-HTTP loopback server scripted per case:
retries over http, Retry-After bounds, cursor guards, wrong shapes, 404s counted as skips, and
the API giving the snapshot's answer on real records."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from aieco.loaders.http import Http, HttpSettings, NotFoundError, OpenDataError
from aieco.loaders.openalex import (
    OpenAlexClient,
    OpenAlexFilters,
    pull_openalex_api,
    pull_openalex_snapshot,
)
from tests.openalex_mirror import serve

Answer = tuple[int, Any, dict[str, str]]
FAST = HttpSettings(retries=3, backoff=0.01, max_retry_after=1.0, read_timeout=5.0)


@contextmanager
def scripted(answer: Callable[[str, dict[str, list[str]], int], Answer]) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server whose every answer comes from ``answer(path, query, n)``."""
    log: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            log.append(self.path)
            url = urlparse(self.path)
            status, payload, headers = answer(url.path, parse_qs(url.query), len(log))
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def _page(results: Any, cursor: str | None = None) -> dict[str, Any]:
    return {"meta": {"count": 1, "next_cursor": cursor}, "results": results}


def test_a_429_over_plain_http_is_retried() -> None:
    with scripted(lambda p, q, n: (429, {}, {"Retry-After": "0"}) if n < 3 else (200, {"ok": 1}, {})) as (
        url,
        log,
    ):
        assert Http(settings=FAST).get_json(url + "/x") == {"ok": 1}
    assert len(log) == 3


def test_a_retry_after_beyond_the_bound_is_an_error_that_says_so() -> None:
    with (
        scripted(lambda p, q, n: (429, {}, {"Retry-After": "100000"})) as (url, _),
        pytest.raises(OpenDataError, match=r"asks to wait 100000 s.*run again later"),
    ):
        Http(settings=FAST).get_json(url + "/x")


@pytest.mark.slow
def test_errors_name_the_url_and_the_status() -> None:
    with (
        scripted(lambda p, q, n: (500, {}, {})) as (url, log),
        pytest.raises(OpenDataError, match=r"GET http://127\.0\.0\.1:\d+/x\?a=1: 500 .* after 4 tries"),
    ):
        Http(settings=FAST).get_json(url + "/x", {"a": 1})
    assert len(log) == 4
    with scripted(lambda p, q, n: (404, {}, {})) as (url, _), pytest.raises(NotFoundError, match="404"):
        Http(settings=FAST).get_json(url + "/x")
    with (
        scripted(lambda p, q, n: (200, b"<html>", {})) as (url, _),
        pytest.raises(OpenDataError, match="not JSON"),
    ):
        Http(settings=FAST).get_json(url + "/x")
    with pytest.raises(OpenDataError, match="could not connect after 4 tries"):
        Http(settings=FAST).get_json("http://127.0.0.1:9/x")


@pytest.mark.slow
def test_paging_stops_on_a_repeated_cursor_and_on_wrong_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted(lambda p, q, n: (200, _page([{"id": f"A{n}"}], "same"), {})) as (url, log):
        client = OpenAlexClient(base_url=url)
        with pytest.raises(OpenDataError, match="cursor 'same' twice"):
            list(client.pages("authors", ""))
    assert len(log) == 2
    for bad, words in (
        (_page("oops"), "'results' is str"),
        ({"meta": None, "results": 3}, "'results' is int"),
    ):
        with (
            scripted(lambda p, q, n, bad=bad: (200, bad, {})) as (url, _),
            pytest.raises(OpenDataError, match=words),
        ):
            list(OpenAlexClient(base_url=url).pages("authors", ""))


def test_an_institution_the_api_lacks_is_a_counted_skip(tmp_path: Path) -> None:
    author = {
        "id": "https://openalex.org/A1",
        "display_name": "R",
        "affiliations": [
            {
                "institution": {
                    "id": "https://openalex.org/I1",
                    "display_name": "A University",
                    "type": "education",
                    "country_code": "CN",
                },
                "years": [2019],
            },
            {
                "institution": {
                    "id": "https://openalex.org/I2",
                    "display_name": "B University",
                    "type": "education",
                    "country_code": "US",
                },
                "years": [2020],
            },
        ],
    }

    def answer(path: str, query: dict[str, list[str]], n: int) -> Answer:
        if path == "/authors":
            return 200, _page([author]), {}
        if path == "/works":
            return 200, _page([]), {}
        return 200, _page([]), {}  # /institutions?filter=openalex:I1|I2 finds neither

    with scripted(answer) as (url, _):
        import os

        os.environ["AIECO_OPENALEX_URL"] = url
        try:
            pull = pull_openalex_api(filters=OpenAlexFilters(), with_bundled=False)
        finally:
            del os.environ["AIECO_OPENALEX_URL"]
    assert pull.dropped["institution the API does not have (404)"] == 2
    flows = {(u, v) for u, v, d in pull.graph.G.edges(data=True) if d["type"] == "TALENT_FLOW"}
    assert flows == {("openalex-i1", "openalex-i2")}  # still known from the affiliation


@pytest.mark.slow
def test_the_api_gives_the_snapshots_answer_on_real_records(
    realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = realdata / "openalex/raw/Justin21523__openalex-research-rag/data/sample"
    data = {
        entity: json.loads((sample / f"{entity}_sample.json").read_text(encoding="utf-8"))
        for entity in ("authors", "institutions")
    }
    data["works"] = []
    root = tmp_path / "snap"
    for entity, records in data.items():
        folder = root / "data" / entity / "updated_date=2026-06-23"
        folder.mkdir(parents=True)
        with gzip.open(folder / "part_000.gz", "wt", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
    ai = OpenAlexFilters(ai_only=True)
    with serve(tmp_path, data) as (url, cert, _):
        monkeypatch.setenv("AIECO_OPENALEX_URL", url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        api = pull_openalex_api(filters=ai, level="Country")
    snapshot = pull_openalex_snapshot(root, filters=ai, level="Country")

    def flows(pull: Any) -> set[tuple[str, str, int, int]]:
        G = pull.graph.G
        return {(u, v, d["year"], d["count"]) for u, v, d in G.edges(data=True) if d["type"] == "TALENT_FLOW"}

    assert flows(api) == flows(snapshot)
    assert len(flows(api)) > 50
    assert api.read["authors kept"] == snapshot.read["authors kept"] == 24
