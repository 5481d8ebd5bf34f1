"""PostgreSQL through psycopg2; every transaction of the session is read-only.

``postgresql://`` and ``postgres://`` URLs are read with ``postgresql+psycopg2``.
All schemas of the named database are read except PostgreSQL's own
(``pg_catalog``, ``information_schema``, ``pg_toast`` and temporary schemas).
"""

from __future__ import annotations

import sqlalchemy as sa

from governance.scan.databases.base import Dialect, TableRef


class PostgresqlDialect(Dialect):
    """PostgreSQL: ``statement_timeout`` bounds each statement of the session."""

    def estimate_rows(self, conn: sa.Connection, ref: TableRef) -> int | None:
        """``pg_class.reltuples``: -1 (no estimate) until the table was first vacuumed or analysed."""
        return conn.execute(
            sa.text("SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relname = :name AND n.nspname = coalesce(:schema, current_schema())"),
            {"name": ref.name, "schema": ref.schema},
        ).scalar()

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
