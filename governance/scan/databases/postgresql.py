"""PostgreSQL through psycopg2; every transaction of the session is read-only.

``postgresql://`` and ``postgres://`` URLs are read with ``postgresql+psycopg2``.
All schemas of the named database are read except PostgreSQL's own
(``pg_catalog``, ``information_schema``, ``pg_toast`` and temporary schemas).
"""

from __future__ import annotations

from governance.scan.databases.base import Dialect

POSTGRESQL = Dialect(
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
