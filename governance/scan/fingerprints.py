"""Fingerprints that tell an incremental scan whether a unit changed since it was last read.

* A local file: ``size``, ``mtime_ns`` and the SHA-256 of its bytes. The hash is
  computed only when the size or mtime differ from the stored ones (a file whose
  size and mtime are unchanged is taken as unchanged); when they differ but the hash
  is the same (a fresh checkout gives every file a new mtime) the file is unchanged.
* A database table: ``rows`` plus, when a change column is declared for it, the
  column's ``max`` (cheap with an index: new and updated rows raise it, deleted rows
  lower the count). Otherwise a ``checksum`` of every row, computed by the server where
  the dialect has a way (:data:`CHECKSUMS`), else by reading the rows through the
  database source and hashing them (SQLite, plugins).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.state import Fingerprint
from governance.scan.values import to_text

#: A change column for every table that has it (``--change-column updated_at``).
ANY_TABLE = "*"
_HASH_CHUNK = 1 << 20


def file_fingerprint(path: Path, previous: Fingerprint | None = None) -> Fingerprint:
    """``size``, ``mtime_ns`` and ``sha256`` of a file; the hash is reused when size and mtime match ``previous``."""
    stat = path.stat()
    fingerprint: Fingerprint = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if previous and "sha256" in previous and all(previous.get(k) == v for k, v in fingerprint.items()):
        return {**fingerprint, "sha256": previous["sha256"]}
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return {**fingerprint, "sha256": digest.hexdigest()}


def _postgresql_checksum(conn: sa.Connection, table: str) -> str:
    """Order-free sum of every row's 64-bit hash, computed by the server."""
    sql = f"SELECT coalesce(sum(hashtextextended(t::text, 0)), 0)::text FROM {table} AS t"  # noqa: S608 (quoted)
    return str(conn.exec_driver_sql(sql).scalar_one())


def _mysql_checksum(conn: sa.Connection, table: str) -> str:
    """``CHECKSUM TABLE``: the server's live checksum of every row."""
    return str(conn.exec_driver_sql(f"CHECKSUM TABLE {table}").one()[1])


#: Dialect name -> server-side checksum of one (quoted) table.
CHECKSUMS: dict[str, Callable[[sa.Connection, str], str]] = {
    "postgresql": _postgresql_checksum,
    "mysql": _mysql_checksum,
}


def frames_checksum(frames) -> str:
    """An order-free checksum of string frames (row keys left out): the sum of their rows' hashes."""
    total = 0
    for frame in frames:
        data = frame.drop(ROW_KEY, strict=False)
        if data.height:
            total = (total + int(data.hash_rows(seed=1).cast(pl.UInt64).sum())) % (1 << 64)
    return format(total, "016x")


class TableFingerprints:
    """Fingerprints of one database's tables, read over one connection.

    ``change_columns`` maps a table (``name`` or ``schema.name``) or :data:`ANY_TABLE`
    to the column whose maximum tells that rows were added or updated.
    """

    def __init__(
        self,
        url: str,
        options: ScanOptions,
        change_columns: Mapping[str, str],
        *,
        where: str,
    ):
        from governance.scan.databases import parse_url

        self.url, self.options, self.where = url, options, where
        self.change_columns = dict(change_columns)
        self.dialect, db = parse_url(url)
        self.parsed, self.secrets = db.url, db.secrets
        self._engine: sa.Engine | None = None
        self._conn: sa.Connection | None = None
        self._tables: dict[str, tuple[str | None, str]] = {}

    def __call__(self, stream: TableStream) -> Fingerprint:
        from governance.scan.databases.base import translated

        with translated(self.where, f"cannot fingerprint table {stream.name}", self.secrets):
            conn = self._connection()
            schema, name = self._tables[stream.name]
            table = sa.table(name, *(sa.column(c) for c in stream.columns), schema=schema)
            column = self.change_columns.get(stream.name) or self.change_columns.get(name)
            if column is None and self.change_columns.get(ANY_TABLE) in stream.columns:
                column = self.change_columns[ANY_TABLE]
            if column is not None:
                rows, top = conn.execute(sa.select(sa.func.count(), sa.func.max(table.c[column]))).one()
                return {"rows": int(rows), "change_column": column, "max": None if top is None else to_text(top)}
            rows = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            checksum = CHECKSUMS.get(self.dialect.name)
            if checksum is not None:
                return {"rows": rows, "checksum": checksum(conn, conn.dialect.identifier_preparer.format_table(table))}
        return {"rows": rows, "checksum": self._read_checksum(stream.name)}

    def _read_checksum(self, name: str) -> str:
        from governance.scan.databases import iter_database

        every_row = replace(self.options, sample_rows=None)
        (stream,) = iter_database(self.url, every_row, tables=[name], display=self.where)
        return frames_checksum(stream.batches)

    def _connection(self) -> sa.Connection:
        if self._conn is None:
            self._engine = self.dialect.engine(self.parsed, self.where)
            self._conn = self._engine.connect()
            inspector = sa.inspect(self._conn)
            for schema in self.dialect.schemas(inspector, self.parsed):
                names = inspector.get_table_names(schema=schema) + inspector.get_view_names(schema=schema)
                for name in names:
                    self._tables[f"{schema}.{name}" if schema else name] = (schema, name)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._engine is not None:
            self._engine.dispose()
