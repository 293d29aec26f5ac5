"""Print ``PODIUM_TEST_NATS_URL=…`` and ``PODIUM_TEST_AMQP_URL=…`` for the brokers that answer
(used by ``make test``; empty values for those that do not). A URL already in the environment
is kept if its port answers."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

CANDIDATES = {
    "PODIUM_TEST_NATS_URL": "nats://127.0.0.1:4222",
    "PODIUM_TEST_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
}
PORTS = {"nats": 4222, "tls": 4222, "amqp": 5672, "amqps": 5671}


def answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        port = parts.port or PORTS.get(parts.scheme, 0)
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=3):
            return True
    except (OSError, ValueError):
        return False


def main() -> int:
    for name, default in CANDIDATES.items():
        url = os.environ.get(name, "").strip() or default
        sys.stdout.write(f"{name}={url if answers(url) else ''}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
