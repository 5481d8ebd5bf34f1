"""SQLite files, opened read-only through a ``file:…?mode=ro`` URI with ``PRAGMA query_only``.

``sqlite:///data/shop.db`` is relative to the current directory (or, through
:func:`governance.scan.databases.resolve_url`, to a base directory such as the
inventory's folder); ``sqlite:////var/db/shop.db`` is absolute.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from governance.errors import InputError
from governance.scan.databases.base import Dialect, TableRef

MAGIC = b"SQLite format 3\x00"


def database_path(url: sa.URL, where: str) -> Path:
    """The database file a ``sqlite://`` URL names; :class:`InputError` if it is not an SQLite file."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise InputError("names no database file", where=where, hint="write sqlite:///path/to/file.db")
    path = Path(url.database)
    if not path.is_file():
        raise InputError("no such database file", where=where, hint=f"looked for {path.resolve()}")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC))
    except OSError as exc:
        raise InputError(f"cannot read the database file: {exc.strerror or exc}", where=where) from None
    if head and head != MAGIC:
        raise InputError("not an SQLite database", where=where, hint="is this the right file?")
    return path.resolve()


class SqliteDialect(Dialect):
    """SQLite: a file, opened so that no statement can write to it."""

    def engine(self, url: sa.URL, where: str) -> sa.Engine:
        uri = f"file:{quote(str(database_path(url, where)), safe='/')}?mode=ro"

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            return conn

        return sa.create_engine(f"{self.driver}://", creator=connect, poolclass=NullPool)

    def estimate_rows(self, conn: sa.Connection, ref: TableRef) -> int | None:
        """SQLite keeps no statistics, but counting the rows of a file database is quick."""
        return conn.execute(sa.select(sa.func.count()).select_from(sa.table(ref.name, schema=ref.schema))).scalar()

    def limit_statements(self, conn: sa.Connection, seconds: float, deadline: float) -> None:
        """SQLite has no server: a progress handler interrupts the statement once ``deadline`` has passed."""
        conn.connection.dbapi_connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)

    def resolve(self, url: sa.URL, base_dir: Path) -> sa.URL:
        if url.database and url.database != ":memory:" and not Path(url.database).is_absolute():
            return url.set(database=str(Path(base_dir) / url.database))
        return url


SQLITE = SqliteDialect(name="sqlite", driver="sqlite+pysqlite", system_schemas=frozenset({"temp"}))
