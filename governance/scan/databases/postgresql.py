"""PostgreSQL through psycopg2; every transaction of the session is read-only.

``postgresql://`` and ``postgres://`` URLs are read with ``postgresql+psycopg2``.
All schemas of the named database are read except PostgreSQL's own
(``pg_catalog``, ``information_schema``, ``pg_toast`` and temporary schemas).
"""

from __future__ import annotations

import sqlalchemy as sa

from governance.scan.databases.base import Dialect


class PostgresqlDialect(Dialect):
    """PostgreSQL: ``statement_timeout`` bounds each statement of the session."""

    def limit_statements(self, conn: sa.Connection, seconds: float, deadline: float) -> None:
        conn.exec_driver_sql(f"SET statement_timeout = {max(int(seconds * 1000), 1)}")


POSTGRESQL = PostgresqlDialect(
    name="postgresql",
    driver="postgresql+psycopg2",
    system_schemas=frozenset({"information_schema", "pg_catalog", "pg_toast"}),
    system_prefixes=("pg_temp_", "pg_toast_temp_"),
    connect_args={
        "options": "-c default_transaction_read_only=on",
        "connect_timeout": 10,
        "application_name": "governance-scan",
    },
)
