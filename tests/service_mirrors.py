"""Loopback mirrors of ROR's v2 API (answering from the real v2 records of
``../shared/realdata/ror``, read in place) and of Wikidata's query service (answering given
SPARQL JSON rows, paged by the query's LIMIT/OFFSET)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

ROR = "ror/raw/ror-community__ror-records"


@contextmanager
def _serve(answer: Callable[[http.server.BaseHTTPRequestHandler], tuple[int, Any]]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, payload = answer(self)
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def v2_records(realdata: Path) -> dict[str, dict[str, Any]]:
    """The sample's schema-v2 ROR records, by ROR id."""
    found = {}
    for file in sorted((realdata / ROR).glob("v2*/*.json")):
        rec = json.loads(file.read_text(encoding="utf-8"))
        found[rec["id"].rsplit("/", 1)[-1]] = rec
    return found


def _matches(rec: dict[str, Any], query: str, filters: list[str]) -> bool:
    names = " ".join(n["value"].lower() for n in rec["names"])
    if not all(word in names for word in query.lower().split()):
        return False
    for f in filters:
        key, _, value = f.partition(":")
        if key == "types" and value not in rec["types"]:
            return False
        codes = {loc["geonames_details"]["country_code"] for loc in rec["locations"]}
        if key == "locations.geonames_details.country_code" and value not in codes:
            return False
    return True


@contextmanager
def ror_mirror(realdata: Path) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """ROR's v2 API: ``/v2/organizations?query=&filter=&page=`` (20 a page, ordered by id; every
    query word in a name) and ``/v2/organizations/{id}`` (404 for an id it lacks). Yields the
    base URL and the log of (path and query, Client-Id header)."""
    records = v2_records(realdata)
    log: list[tuple[str, str | None]] = []

    def answer(request: http.server.BaseHTTPRequestHandler) -> tuple[int, Any]:
        log.append((request.path, request.headers.get("Client-Id")))
        url = urlparse(request.path)
        q = parse_qs(url.query)
        tail = url.path.removeprefix("/v2/organizations").strip("/")
        if tail:
            return (200, records[tail]) if tail in records else (404, {"errors": ["not found"]})
        filters = q["filter"][0].split(",") if q.get("filter") else []
        hits = [r for _, r in sorted(records.items()) if _matches(r, q["query"][0], filters)]
        page = int(q.get("page", ["1"])[0])
        return 200, {"number_of_results": len(hits), "items": hits[(page - 1) * 20 : page * 20]}

    with _serve(answer) as url:
        yield f"{url}/v2", log


@contextmanager
def sparql_mirror(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[str]]]:
    """Wikidata's query service answering ``rows`` (SPARQL JSON bindings) page by page, as the
    query's ``LIMIT n OFFSET m`` asks. Yields the endpoint and the log of queries."""
    log: list[str] = []

    def answer(request: http.server.BaseHTTPRequestHandler) -> tuple[int, Any]:
        query = parse_qs(urlparse(request.path).query)["query"][0]
        log.append(query)
        limit = int(query.rsplit("LIMIT ", 1)[-1].split()[0])
        offset = int(query.rsplit("OFFSET ", 1)[-1])
        return 200, {"head": {"vars": []}, "results": {"bindings": rows[offset : offset + limit]}}

    with _serve(answer) as url:
        yield f"{url}/sparql", log
