"""MySQL and MariaDB through PyMySQL; each session is set ``TRANSACTION READ ONLY``.

``mysql://`` and ``mariadb://`` URLs are read with ``mysql+pymysql``. A URL that
names a database reads that database; one that names none reads every database
except the server's own (``mysql``, ``information_schema``, ``performance_schema``, ``sys``).
"""

from __future__ import annotations

import sqlalchemy as sa

from governance.scan.databases.base import Dialect, TableRef


class MysqlDialect(Dialect):
    """MySQL and MariaDB."""

    def engine(self, url: sa.URL, where: str) -> sa.Engine:
        if "charset" not in url.query:
            url = url.update_query_dict({"charset": "utf8mb4"})
        engine = super().engine(url, where)

        @sa.event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, _record) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION TRANSACTION READ ONLY")

        return engine

    def estimate_rows(self, conn: sa.Connection, ref: TableRef) -> int | None:
        """``information_schema.tables.table_rows``: InnoDB's estimate, NULL for views."""
        return conn.execute(
            sa.text("SELECT table_rows FROM information_schema.tables "
                    "WHERE table_schema = coalesce(:schema, database()) AND table_name = :name"),
            {"name": ref.name, "schema": ref.schema},
        ).scalar()

    def limit_statements(self, conn: sa.Connection, seconds: float, deadline: float) -> None:
        """MariaDB's ``max_statement_time`` (seconds) or MySQL's ``max_execution_time`` (milliseconds, SELECT only)."""
        if conn.dialect.is_mariadb:
            conn.exec_driver_sql(f"SET SESSION max_statement_time = {float(seconds):.3f}")
        else:
            conn.exec_driver_sql(f"SET SESSION max_execution_time = {max(int(seconds * 1000), 1)}")

    def schemas(self, inspector: sa.Inspector, url: sa.URL) -> list[str | None]:
        if url.database:
            return [None]
        return super().schemas(inspector, url)[1:]


MYSQL = MysqlDialect(
    name="mysql",
    driver="mysql+pymysql",
    system_schemas=frozenset({"information_schema", "mysql", "performance_schema", "sys"}),
    connect_args={"connect_timeout": 10},
)
