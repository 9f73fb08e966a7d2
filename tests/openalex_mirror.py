"""A loopback HTTPS server answering like the OpenAlex API, from the fixture records.

It serves ``/authors``, ``/works`` and ``/institutions`` lists with ``meta.next_cursor`` paging
(two records a page, whatever ``per-page`` asks), ``/institutions?filter=openalex:A|B``, the
single-entity GET ``/institutions/<id>``, and answers the very first request with a 429 (as a
rate-limited API does) so that the client's retry is exercised. Requests are counted.
"""

from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.openalex_fixture import records

PAGE = 2


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and its key) that the test trusts through REQUESTS_CA_BUNDLE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "aieco test mirror")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "mirror.pem", folder / "mirror.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class Mirror:
    """State shared with the handler: the records (the fixture's, or those given) and the request log."""

    def __init__(self, data: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.data = data or {entity: records(entity) for entity in ("institutions", "authors", "works")}
        self.requests: list[str] = []
        self.throttled = False


def _handler(mirror: Mirror) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            mirror.requests.append(self.path)
            if not mirror.throttled:
                mirror.throttled = True
                self._send(429, {"error": "Too Many Requests"}, {"Retry-After": "0"})
                return
            url = urlparse(self.path)
            parts = [p for p in url.path.split("/") if p]
            query = parse_qs(url.query)
            entity = parts[0] if parts else ""
            if entity not in mirror.data:
                self._send(404, {"error": "not found"})
                return
            rows = mirror.data[entity]
            if len(parts) == 2:  # a single entity
                found = [r for r in rows if r["id"].rsplit("/", 1)[-1] == parts[1].rsplit("/", 1)[-1]]
                self._send(200, found[0]) if found else self._send(404, {"error": "not found"})
                return
            wanted = [
                f.partition(":")[2]
                for f in query.get("filter", [""])[0].split(",")
                if f.partition(":")[0] in ("openalex", "openalex_id", "ids.openalex")
            ]
            if wanted:
                ids = {i.rsplit("/", 1)[-1] for i in wanted[0].split("|")}
                rows = [r for r in rows if r["id"].rsplit("/", 1)[-1] in ids]
            cursor = query.get("cursor", [None])[0]
            start = 0 if cursor in (None, "*") else int(str(cursor).removeprefix("page-"))
            page = rows[start : start + PAGE] if cursor is not None else rows[:200]
            after = start + PAGE
            next_cursor = f"page-{after}" if cursor is not None and after < len(rows) else None
            meta = {
                "count": len(rows),
                "db_response_time_ms": 1,
                "page": None,
                "per_page": PAGE,
                "next_cursor": next_cursor,
            }
            self._send(200, {"meta": meta, "results": page, "group_by": []})

    return Handler


@contextmanager
def serve(
    folder: Path, data: dict[str, list[dict[str, Any]]] | None = None
) -> Iterator[tuple[str, Path, Mirror]]:
    """Run the mirror on a free loopback port; yield its base URL, its certificate and its state."""
    cert, key = self_signed_certificate(folder)
    mirror = Mirror(data)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(mirror))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert, mirror
    finally:
        server.shutdown()
        server.server_close()
