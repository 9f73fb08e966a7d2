"""The hardening corpus for OpenAlex input: snapshot records of the wrong shape (class 1), rows
the models refuse (class 2), and API servers that fail, lie, stall or never end (classes 1–3),
each through the command line: one ``error:`` line naming the file/line/field or the URL/status,
exit non-zero, no traceback, nothing written, and within a bounded time.

The API cases run against a raw loopback socket server, so that a server can also never answer,
trickle a byte a second, break its chunked encoding or redirect forever.
"""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from aieco.cli import app
from tests.openalex_fixture import write_snapshot
from tests.unit.clicheck import one_line_failure

runner = CliRunner()
AUTHOR = {"id": "https://openalex.org/A9", "display_name": "R"}
INST = {"id": "https://openalex.org/I9", "display_name": "X University", "type": "education"}
AFF = {"institution": {"id": "https://openalex.org/I99065089"}, "years": [2019]}


def _work(**extra: Any) -> dict[str, Any]:
    return {"id": "https://openalex.org/W9", "publication_year": 2020, **extra}


# ---- class 1: snapshot records of the wrong JSON shape ------------------------------------------
SHAPES: list[tuple[str, str, str, str]] = [
    ("geo a list", "institutions", json.dumps({**INST, "geo": [1, 2]}), "geo"),
    ("geo.latitude a string", "institutions", json.dumps({**INST, "geo": {"latitude": "north"}}), "geo"),
    ("international a string", "institutions", json.dumps({**INST, "international": "zh"}), "international"),
    ("lineage a number", "institutions", json.dumps({**INST, "lineage": 7}), "lineage"),
    ("lineage holding numbers", "institutions", json.dumps({**INST, "lineage": [7]}), "lineage"),
    (
        "associated institutions strings",
        "institutions",
        json.dumps({**INST, "associated_institutions": ["x"]}),
        "associated_institutions",
    ),
    ("type a list", "institutions", json.dumps({**INST, "type": ["education"]}), "type"),
    ("country_code a number", "institutions", json.dumps({**INST, "country_code": 86}), "country_code"),
    ("institution without id", "institutions", json.dumps({"display_name": "X"}), "id"),
    ("institution id a number", "institutions", json.dumps({**INST, "id": 9}), "id"),
    ("alternatives a string", "institutions", json.dumps({**INST, "display_name_alternatives": "X"}), ""),
    ("affiliations a string", "authors", json.dumps({**AUTHOR, "affiliations": "Tsinghua"}), "affiliations"),
    (
        "an affiliation a string",
        "authors",
        json.dumps({**AUTHOR, "affiliations": ["Tsinghua"]}),
        "affiliations",
    ),
    ("years a number", "authors", json.dumps({**AUTHOR, "affiliations": [{**AFF, "years": 2019}]}), "years"),
    (
        "years holding text",
        "authors",
        json.dumps({**AUTHOR, "affiliations": [{**AFF, "years": ["x"]}]}),
        "years",
    ),
    (
        "x_concepts a string (AI filter)",
        "authors",
        json.dumps({**AUTHOR, "affiliations": [AFF], "x_concepts": "AI"}),
        "",
    ),
    (
        "topics a number (AI filter)",
        "authors",
        json.dumps({**AUTHOR, "affiliations": [AFF], "topics": 3}),
        "",
    ),
    ("author id a list", "authors", json.dumps({**AUTHOR, "id": ["A9"]}), "id"),
    ("authorships a string", "works", json.dumps(_work(authorships="x")), "authorships"),
    ("an authorship a number", "works", json.dumps(_work(authorships=[5])), "authorships"),
    (
        "work institutions strings",
        "works",
        json.dumps(_work(authorships=[{"institutions": ["Tsinghua"]}])),
        "institutions",
    ),
    ("publication_year a string", "works", json.dumps(_work(publication_year="2020")), "publication_year"),
    ("publication_year a boolean", "works", json.dumps(_work(publication_year=True)), "publication_year"),
    ("publication_year 99999", "works", json.dumps(_work(publication_year=99999)), "publication_year"),
    ("a 5,000-digit number", "works", '{"id": "W9", "publication_year": ' + "9" * 5000 + "}", ""),
    ("a record that is a list", "works", "[1, 2]", ""),
    ("a JSON null", "authors", "null", ""),
    ("JSON nested 100,000 deep", "works", "[" * 100_000 + "]" * 100_000, ""),
    ("a lone surrogate", "institutions", json.dumps({**INST, "display_name": "X\ud800"}), "display_name"),
    ("an ESC in a name", "institutions", json.dumps({**INST, "display_name": "X\x1b[2J"}), "display_name"),
    ("a name of 200,000 characters", "institutions", json.dumps({**INST, "display_name": "x" * 200_000}), ""),
    (
        "an id with path separators",
        "institutions",
        json.dumps({**INST, "id": "https://openalex.org/../../etc"}),
        "id",
    ),
    ("truncated JSON", "works", '{"id": "W9", "publication_', ""),
]


@pytest.mark.parametrize(("what", "entity", "line", "field"), SHAPES, ids=[s[0] for s in SHAPES])
def test_a_snapshot_record_of_the_wrong_shape_is_one_line(
    what: str, entity: str, line: str, field: str, tmp_path: Path
) -> None:
    root = write_snapshot(tmp_path / "snap", extra_lines={entity: [line]})
    out = tmp_path / "out"
    ai = ["--ai"] if "AI filter" in what else []
    result = runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(out), *ai])
    message = one_line_failure(result)
    assert f"{entity}/updated_date=2026-11-01/part_000.gz:" in message  # the file and its line
    if field:
        assert field in message
    assert not out.exists()


def test_a_lineage_chain_3000_deep_is_read_or_refused_in_one_line(tmp_path: Path) -> None:
    chain = [
        json.dumps(
            {
                "id": f"https://openalex.org/I{900000 + i}",
                "display_name": f"Holding {i}",
                "type": "funder",
                "lineage": [f"https://openalex.org/I{900000 + i}", f"https://openalex.org/I{900001 + i}"],
            }
        )
        for i in range(3000)
    ]
    root = write_snapshot(tmp_path / "snap", extra_lines={"institutions": chain})
    result = runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(tmp_path / "out")])
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stderr


@pytest.mark.seconds
def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aieco.loaders.openalex as reader

    monkeypatch.setattr(reader, "MAX_LINE", 1 << 20)
    root = write_snapshot(tmp_path / "snap")
    part = root / "data" / "works" / "updated_date=2026-11-01" / "part_001.gz"
    with gzip.open(part, "wb", compresslevel=9) as fh:  # 64 MiB of one line, ~64 kB on disk
        block = b"a" * (1 << 20)
        for _ in range(64):
            fh.write(block)
    assert part.stat().st_size < 200_000
    line = one_line_failure(
        runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(tmp_path / "o")])
    )
    assert "part_001.gz:1" in line
    assert "longer than 1,048,576" in line


# ---- classes 1–3: the API ---------------------------------------------------------------------
Raw = Callable[[str, dict[str, list[str]], int, socket.socket], None]


def _json(sock: socket.socket, payload: Any, status: str = "200 OK", headers: str = "") -> None:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    sock.sendall(
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"Connection: close\r\n{headers}\r\n".encode()
        + body
    )


@contextmanager
def raw_server(answer: Raw) -> Iterator[tuple[str, list[str]]]:
    """A loopback server whose answers are written on the socket by ``answer``."""
    log: list[str] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = self.request.recv(65536)
                if not chunk:
                    return
                data += chunk
            target = data.split(b" ", 2)[1].decode()
            log.append(target)
            url = urlparse(target)
            with suppress(OSError):
                answer(url.path, parse_qs(url.query), len(log), self.request)

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", log
    finally:
        server.shutdown()
        server.server_close()


def _page(results: Any, cursor: Any = None, meta: Any = ...) -> dict[str, Any]:
    return {"meta": {"count": 1, "next_cursor": cursor} if meta is ... else meta, "results": results}


def _fine(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    _json(sock, _page([]))


def _never(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    time.sleep(30)


def _trickle(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(100):
        sock.sendall(b" ")
        time.sleep(0.3)


def _bad_chunks(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n")


def _redirect_loop(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    sock.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: /loop{n}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
    )


def _bomb(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    """96 MiB of zeros in ~100 kB of gzip: more than the 64 MiB an answer may inflate to."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 24)
    body = b"".join(packer.compress(block) for _ in range(6)) + packer.flush()
    sock.sendall(
        f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n".encode()
        + body
    )


def _status(code: str) -> Raw:
    return lambda p, q, n, s: _json(s, {"error": "x"}, code)


def _answer(payload: Any) -> Raw:
    return lambda p, q, n, s: _json(s, payload)


def _endless(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    _json(sock, _page([{"id": f"https://openalex.org/A{n}", "display_name": "R"}], f"c{n}"))


def _endless_empty(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    _json(sock, _page([], f"c{n}"))


def _institution_without_id(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
    if path == "/authors":
        _json(sock, _page([{**AUTHOR, "affiliations": [AFF]}]))
    elif path == "/institutions":
        _json(sock, _page([{"display_name": "no id"}]))
    else:
        _json(sock, _page([]))


API: list[Any] = [
    ("500 on every try", _status("500 Internal Server Error"), ["500", "after 2 tries"]),
    ("400 bad request", _status("400 Bad Request"), ["400", "/authors"]),
    ("401 without a key", _status("401 Unauthorized"), ["401", "OPENALEX_API_KEY"]),
    ("not JSON", lambda p, q, n, s: _json(s, b"<html>busy</html>"), ["not JSON"]),
    (
        "a 5,000-digit number",
        lambda p, q, n, s: _json(s, b'{"meta": {"count": ' + b"9" * 5000 + b"}}"),
        ["not JSON"],
    ),
    ("JSON nested 100,000 deep", lambda p, q, n, s: _json(s, b"[" * 100_000 + b"]" * 100_000), ["not JSON"]),
    ("results a string", _answer(_page("oops")), ["'results' is str"]),
    ("results holding strings", _answer(_page(["A1"])), ["not JSON objects"]),
    ("meta a string", _answer(_page([], meta="x")), ["'meta' is str"]),
    ("a list for an answer", _answer([1, 2]), ["not a JSON object"]),
    ("an institution without id", _institution_without_id, ["/institutions", "without an id"]),
    (
        "a cursor that repeats",
        lambda p, q, n, s: _json(s, _page([{**AUTHOR}], "same")),
        ["cursor 'same' twice"],
    ),
    pytest.param(*("a server that never answers", _never, ["timed out"]), marks=pytest.mark.slow),
    pytest.param(*("a byte a second", _trickle, ["timed out"]), marks=pytest.mark.slow),
    ("broken chunked encoding", _bad_chunks, ["/authors"]),
    ("redirects without end", _redirect_loop, ["too many redirects"]),
    (
        "Retry-After 100000",
        lambda p, q, n, s: _json(s, {}, "429 Too Many Requests", "Retry-After: 100000\r\n"),
        ["asks to wait 100000 s"],
    ),
    ("a gzip bomb", _bomb, ["over the limit of 67,108,864 bytes"]),
    pytest.param(*("pages without end", _endless, ["ran past its limit of 8 s"]), marks=pytest.mark.slow),
    ("empty pages without end", _endless_empty, []),
]


def _id(case: Any) -> str:
    return str(case.values[0] if hasattr(case, "values") else case[0])


@pytest.fixture
def bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # each case its own HTTP cache: the user's would answer a later case on a reused loopback
    # port with an earlier case's page (a 401 case answered by a 200 cached before)
    monkeypatch.setenv("AIECO_CACHE_DIR", str(tmp_path / "aieco-cache"))
    monkeypatch.setenv("AIECO_HTTP_TIMEOUT", "3")  # generous for a loaded CI machine
    monkeypatch.setenv("AIECO_HTTP_DEADLINE", "8")
    monkeypatch.setenv("AIECO_HTTP_RETRIES", "1")
    monkeypatch.setenv("AIECO_OPENALEX_MAX_PAGES", "50")


@pytest.mark.parametrize(("what", "answer", "words"), API, ids=[_id(a) for a in API])
@pytest.mark.seconds
def test_an_api_that_fails_is_one_line_naming_the_url(
    what: str, answer: Raw, words: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: None
) -> None:
    with raw_server(answer) as (url, log):
        monkeypatch.setenv("AIECO_OPENALEX_URL", url)
        started = time.monotonic()
        result = runner.invoke(app, ["openalex", "pull", "--out", str(tmp_path / "out")])
        took = time.monotonic() - started
    if what == "empty pages without end":  # an empty page ends the list: nothing to do, said so
        assert result.exit_code == 0, result.stderr
        assert len(log) <= 4
        return
    line = one_line_failure(result)
    assert url in line  # the URL that failed
    for word in words:
        assert word in line
    assert took < 20  # bounded: timeouts and the pull's deadline (8 s) hold
    assert not (tmp_path / "out").exists()


def test_a_corrupt_api_cache_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: None
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "openalex.sqlite").write_bytes(b"this is not a database" * 100)
    with raw_server(_fine) as (url, _):
        monkeypatch.setenv("AIECO_OPENALEX_URL", url)
        result = runner.invoke(app, ["openalex", "pull", "--cache", str(cache), "--out", str(tmp_path / "o")])
    line = one_line_failure(result)
    assert "openalex.sqlite" in line
    assert "delete it" in line


def test_three_hundred_lineage_parents_are_asked_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: None
) -> None:
    parents = [f"https://openalex.org/I{800000 + i}" for i in range(300)]
    inst = {
        **INST,
        "id": "https://openalex.org/I99065089",
        "lineage": ["https://openalex.org/I99065089", *parents],
    }

    def answer(path: str, query: dict[str, list[str]], n: int, sock: socket.socket) -> None:
        if path == "/authors":
            _json(sock, _page([{**AUTHOR, "affiliations": [AFF]}]))
        elif path == "/institutions" and "I99065089" in query.get("filter", [""])[0]:
            _json(sock, _page([inst]))
        else:
            _json(sock, _page([]))

    with raw_server(answer) as (url, log):
        monkeypatch.setenv("AIECO_OPENALEX_URL", url)
        result = runner.invoke(app, ["openalex", "pull", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    assert len(log) <= 8  # authors, works, the institution, 300 parents in 3 batches


def test_a_wrong_scheme_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: None) -> None:
    monkeypatch.setenv("AIECO_OPENALEX_URL", "ftp://127.0.0.1:9")
    line = one_line_failure(runner.invoke(app, ["openalex", "pull", "--out", str(tmp_path / "o")]))
    assert "ftp://127.0.0.1:9/authors" in line


@pytest.mark.seconds
def test_nothing_listening_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bounded: None
) -> None:
    monkeypatch.setenv("AIECO_OPENALEX_URL", "http://127.0.0.1:9")
    line = one_line_failure(runner.invoke(app, ["openalex", "pull", "--out", str(tmp_path / "o")]))
    assert "could not connect" in line
    assert "http://127.0.0.1:9/authors" in line


# ---- class 6: two records that are one bundled entity merge once --------------------------------
def _company(oid: str, name: str, code: str, city: str) -> dict[str, Any]:
    country = {"CN": "China", "US": "United States"}[code]
    geo = {"city": city, "country_code": code, "country": country}
    return {
        "id": oid,
        "display_name": name,
        "type": "company",
        "country_code": code,
        "geo": geo,
        "lineage": [oid],
    }


def test_two_records_of_one_bundled_company_merge_once(tmp_path: Path) -> None:
    baidu = _company("https://openalex.org/I98301712", "Baidu (China)", "CN", "Beijing")
    baidu_zh = _company("https://openalex.org/I4210100001", "百度", "CN", "Beijing")

    def aff(inst: dict[str, Any], years: list[int]) -> dict[str, Any]:
        return {
            "institution": {k: inst[k] for k in ("id", "display_name", "type", "country_code")},
            "years": years,
        }

    author = {**AUTHOR, "affiliations": [aff(baidu, [2018, 2019]), aff(baidu_zh, [2020, 2021])]}
    root = write_snapshot(
        tmp_path / "snap",
        extra_lines={
            "institutions": [json.dumps(baidu), json.dumps(baidu_zh, ensure_ascii=False)],
            "authors": [json.dumps(author, ensure_ascii=False)],
        },
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["openalex", "snapshot", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    import csv

    with (out / "entities.csv").open(encoding="utf-8") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    assert ids.count("baidu") == 1
    assert ids.count("beijing") == 1  # the city by GeoNames id (Tsinghua) and by name (Baidu): one row
    merges = (out / "merges.tsv").read_text(encoding="utf-8")
    assert "I98301712\tBaidu (China)\tbaidu" in merges
    assert "I4210100001\t百度\tbaidu" in merges
    with (out / "relations.csv").open(encoding="utf-8") as fh:
        flows = [(r["from"], r["to"]) for r in csv.DictReader(fh) if r["type"] == "TALENT_FLOW"]
    assert ("baidu", "baidu") not in flows  # Baidu (China) → 百度 is no move
    assert runner.invoke(app, ["load", str(out), "--with-bundled"]).exit_code == 0
