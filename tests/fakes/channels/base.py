"""A small threaded HTTP server to build fake platforms on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["FakeServer", "Received", "Reply", "sign_b64"]


def sign_b64(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Received:
    """One stock count the platform accepted: when (monotonic), for what, how many."""

    at: float
    key: str
    quantity: int


Route = Callable[[str, str, dict[str, list[str]], dict[str, str], bytes], Reply]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is no error; anything else is printed as usual. (Printing a
        traceback in a server thread while the test thread compiles can trip CPython 3.11's
        shared AST state: "AST constructor recursion depth mismatch".)"""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeServer:
    """Serves ``route(method, path, query, headers, body)`` on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.throttled = 0
        self.force_429 = 0  # answer the next N requests with 429 + Retry-After
        self.retry_after = "0.05"
        self.down: int | None = None  # an outage: answer every request with this status
        self.received: list[Received] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with outer.lock:
                    outer.requests += 1
                    forced = outer.force_429 > 0
                    if forced:
                        outer.force_429 -= 1
                        outer.throttled += 1
                if outer.down is not None:
                    reply = Reply(outer.down, {"errors": "Service Unavailable"})
                elif forced:
                    reply = Reply(429, {"errors": "Throttled"}, {"Retry-After": outer.retry_after})
                else:
                    reply = outer.route(
                        self.command, parts.path, parse_qs(parts.query), headers, body
                    )
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (reply.headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        raise NotImplementedError

    def record(self, key: str, quantity: int) -> None:
        self.received.append(Received(time.monotonic(), key, quantity))

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
