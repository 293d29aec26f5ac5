"""The relay's claim must name 'pending' in its SQL, never bind it: once psycopg prepares the
statement PostgreSQL may plan it generically, and a generic ``status = $1`` cannot use the
partial indexes on pending events, so every claim walked every delivered event."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from podium.events._store import _CLAIM


def test_the_claim_names_pending_as_a_literal_on_both_engines() -> None:
    dialects: list[tuple[bool, Dialect]] = [
        (True, postgresql.dialect()),  # type: ignore[no-untyped-call]
        (False, sqlite.dialect()),
    ]
    for postgres, dialect in dialects:
        compiled = _CLAIM[postgres].compile(dialect=dialect)
        sql = str(compiled)
        assert sql.count("status = 'pending'") == 2, sql  # the candidates and the earlier ones
        assert "pending" not in {str(v) for v in compiled.params.values()}
