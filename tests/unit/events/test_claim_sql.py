"""The relay's claim must name 'pending' in its SQL, never bind it: once psycopg prepares the
statement PostgreSQL may plan it generically, and a generic ``status = $1`` cannot use the
partial indexes on pending events, so every claim walked every delivered event."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from podium.events._store import _MEMBERS


def test_the_claim_names_pending_as_a_literal_on_both_engines() -> None:
    dialects: list[tuple[bool, Dialect]] = [
        (True, postgresql.dialect()),  # type: ignore[no-untyped-call]
        (False, sqlite.dialect()),
    ]
    for postgres, dialect in dialects:
        compiled = _MEMBERS[postgres].compile(dialect=dialect)
        sql = str(compiled)
        # the heads, the earlier ones they must not have, and the events behind the heads
        assert sql.count("status = 'pending'") == 3, sql
        assert ("FOR UPDATE" in sql) is postgres
        assert "pending" not in {str(v) for v in compiled.params.values()}
