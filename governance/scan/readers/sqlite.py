"""SQLite database files met as files (``shop.db`` in a scanned folder): read as ``sqlite://`` URLs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from governance.scan.options import ScanOptions
from governance.scan.readers.base import TableStream


class SqliteFileReader:
    """SQLite database files; each table is a table of the file, named as in the database."""

    name = "sqlite"
    suffixes = (".db", ".sqlite", ".sqlite3")

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        from governance.scan.databases import iter_database

        url = sa.URL.create("sqlite", database=str(path.resolve())).render_as_string()
        yield from iter_database(url, options, display=str(path))
