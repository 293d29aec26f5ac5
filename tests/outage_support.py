"""Taking a database away from a running Podium without touching the shared server.

PostgreSQL: the app connects through a TCP proxy the test controls; ``down()`` cuts every
connection and stops listening (new connections are refused), ``up()`` listens again on the
same port. SQLite: another connection holds the write lock (``BEGIN EXCLUSIVE``) for as long
as the test likes.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import sqlalchemy as sa

from podium.db.engine import normalise_url


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the target, until told to go down."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._acceptor = threading.Thread()
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            self._acceptor.join()  # it stops within one accept timeout; then the port is free
            listener.close()
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    @contextmanager
    def cut(self) -> Iterator[None]:
        """The database is away inside the block and back after it."""
        self.down()
        try:
            yield
        finally:
            self.up()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with suppress(OSError):
                dst.shutdown(socket.SHUT_WR)


def proxied_url(url: str, proxy: TcpProxy) -> str:
    parsed = sa.make_url(normalise_url(url))
    return parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def postgres_target(url: str) -> tuple[str, int]:
    parsed = sa.make_url(normalise_url(url))
    return parsed.host or "127.0.0.1", parsed.port or 5432


@contextmanager
def sqlite_locked(url: str) -> Iterator[None]:
    """Hold SQLite's write lock from another connection until the block ends."""
    path = sa.make_url(url).database
    assert path, url
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()
