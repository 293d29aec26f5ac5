"""Print the URL of a PostgreSQL server that answers, or nothing (used by ``make test``)."""

from __future__ import annotations

import os
import sys

CANDIDATES = (
    os.environ.get("PODIUM_TEST_POSTGRES_URL", ""),
    "postgresql://postgres@127.0.0.1:5432/test",
)


def main() -> int:
    try:
        import psycopg
    except ImportError:
        return 0
    for url in CANDIDATES:
        if not url:
            continue
        try:
            with psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3
            ) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error:
            continue
        sys.stdout.write(url + "\n")
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
