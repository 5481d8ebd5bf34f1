"""Reading any SQLAlchemy database as table streams, read-only, with errors that never show a password.

A :class:`Dialect` knows how to open one family of databases read-only and which
schemas are its own. :func:`read_tables` does the rest the same way for all:
it reflects every table (and, when asked, every view) of every non-system schema,
then streams each table's rows in batches with a server-side cursor.

Row keys are the primary key (``id=42``; composite ``a=1,b=2``) and ``row N``
(1-based, in reading order) for tables without one. Tables with a primary key
are read in key order. Values are text as :func:`governance.scan.values.to_text`
writes them: ISO 8601 dates, binary values skipped unless printable UTF-8.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import polars as pl
import sqlalchemy as sa

from governance.errors import InputError
from governance.masking import redact_text
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.readers.frames import limited, row_limit
from governance.scan.values import to_text

_CONNECT_HINT = "check that the server is running and the URL, user and password are right"
#: errors a driver raises on connect, including for URL options it does not accept (not only DB-API errors)
CONNECT_ERRORS = (sa.exc.SQLAlchemyError, OSError, TypeError, ValueError, LookupError, AttributeError)


@dataclass
class Dialect:
    """One family of databases: its SQLAlchemy driver, how to open it read-only, its system schemas."""

    name: str
    driver: str
    system_schemas: frozenset[str] = frozenset()
    system_prefixes: tuple[str, ...] = ()
    connect_args: dict = field(default_factory=dict)

    def engine(self, url: sa.URL, where: str) -> sa.Engine:
        """An engine whose connections cannot write (where the driver allows)."""
        return sa.create_engine(url, connect_args=dict(self.connect_args))

    def schemas(self, inspector: sa.Inspector, url: sa.URL) -> list[str | None]:
        """Schemas to read: ``None`` for the connection's default, then every other non-system schema."""
        default = inspector.default_schema_name
        others = [
            s
            for s in inspector.get_schema_names()
            if s != default and s not in self.system_schemas and not s.startswith(self.system_prefixes)
        ]
        return [None, *sorted(others)]

    def resolve(self, url: sa.URL, base_dir: Path) -> sa.URL:
        """The URL with paths made absolute against ``base_dir`` (only file databases have any)."""
        return url

    def estimate_rows(self, conn: sa.Connection, ref: TableRef) -> int | None:
        """The table's row count from the server's statistics, for progress bars (``None``: unknown)."""
        return None

    def limit_statements(self, conn: sa.Connection, seconds: float, deadline: float) -> None:
        """Make the server stop any statement of this session that runs longer than ``seconds``.

        ``deadline`` (:func:`time.monotonic`) is when the whole table read must end; dialects
        without a server-side limit use it. The default does nothing (the reader checks between batches).
        """


@dataclass
class TableRef:
    """One table or view found by reflection."""

    schema: str | None
    name: str
    columns: list[str]
    types: dict[str, str]
    key: list[str]
    default_schema: str | None = None
    is_view: bool = False

    @property
    def display(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @property
    def names(self) -> list[str]:
        """Names that select this table: ``name``, ``schema.name`` (also for the default schema)."""
        schema = self.schema or self.default_schema
        return [self.display, self.name] + ([f"{schema}.{self.name}"] if schema else [])


def describe_error(exc: BaseException, secrets: Sequence[str | None]) -> str:
    """The driver's reason in one line, with every secret removed."""
    orig = getattr(exc, "orig", None) or exc
    args = getattr(orig, "args", ())
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        text = args[1]  # pymysql: (code, message)
    else:
        text = str(orig)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    text = lines[0] if lines else orig.__class__.__name__
    text = re.sub(r"^\([\w.]+\)\s*", "", text)
    text = re.sub(r"^connection to server at .*?, port \d+ failed:\s*", "", text)
    text = re.sub(r"\b(FATAL|ERROR):\s+", "", text)
    hidden = [s for s in secrets if s] + [quote(s, safe="") for s in secrets if s]
    return redact_text(text, sorted(set(hidden), key=len, reverse=True))


@contextmanager
def translated(where: str, doing: str, secrets: Sequence[str | None], hint: str | None = None,
               errors: tuple[type[BaseException], ...] = (sa.exc.SQLAlchemyError, OSError)):
    """Turn a driver error raised inside into one :class:`InputError` line (``doing: reason``)."""
    try:
        yield
    except errors as exc:
        raise InputError(f"{doing}: {describe_error(exc, secrets)}", where=where, hint=hint) from None


def read_tables(
    dialect: Dialect,
    url: sa.URL,
    options: ScanOptions,
    *,
    where: str,
    secrets: Sequence[str | None],
    tables: Sequence[str] | None = None,
) -> Iterator[TableStream]:
    """Every table (views too when ``options.include_views``) of the database as streams."""
    with translated(where, "cannot open the database", secrets):
        engine = dialect.engine(url, where)
    try:
        with translated(where, "cannot connect", secrets, _CONNECT_HINT, CONNECT_ERRORS):
            conn = engine.connect()
        with conn, translated(where, "cannot list the tables", secrets):
            refs = _chosen(_reflect(dialect, sa.inspect(conn), url, views=options.include_views or bool(tables)),
                           tables, where)
            estimates = [_estimate(dialect, conn, ref) for ref in refs]
        for ref, estimate in zip(refs, estimates):
            stream = TableStream(source=where, name=ref.display, columns=ref.columns, batches=iter(()),
                                 column_types=ref.types, expected_rows=estimate)
            limit = row_limit(options)
            stream.batches = limited(_frames(dialect, engine, ref, options, limit, where, secrets), limit, stream)
            yield stream
    finally:
        engine.dispose()


def _estimate(dialect: Dialect, conn: sa.Connection, ref: TableRef) -> int | None:
    """Best effort: a server without statistics gives no estimate, never an error; a view (which may be slow
    to count) none at all."""
    if ref.is_view:
        return None
    try:
        estimate = dialect.estimate_rows(conn, ref)
    except sa.exc.SQLAlchemyError:
        return None
    return estimate if estimate is not None and estimate >= 0 else None


def _type_name(column: dict) -> str:
    try:
        return str(column["type"]).lower()
    except sa.exc.CompileError:
        return column["type"].__class__.__name__.lower()


def _reflect(dialect: Dialect, inspector: sa.Inspector, url: sa.URL, *, views: bool) -> list[TableRef]:
    refs: list[TableRef] = []
    for schema in dialect.schemas(inspector, url):
        names = sorted(inspector.get_table_names(schema=schema))
        tables = len(names)
        if views:
            names += sorted(inspector.get_view_names(schema=schema))
            try:
                names += sorted(inspector.get_materialized_view_names(schema=schema))
            except NotImplementedError:
                pass
        for at, name in enumerate(names):
            columns = inspector.get_columns(name, schema=schema)
            key = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
            types = {c["name"]: _type_name(c) for c in columns}
            refs.append(TableRef(schema, name, [c["name"] for c in columns], types, key, inspector.default_schema_name,
                                 is_view=at >= tables))
    return refs


def _chosen(refs: list[TableRef], tables: Sequence[str] | None, where: str) -> list[TableRef]:
    if not tables:
        return refs
    by_name: dict[str, TableRef] = {}
    for ref in refs:
        for name in ref.names:
            by_name.setdefault(name, ref)
    missing = [t for t in tables if t not in by_name]
    if missing:
        known = ", ".join(ref.display for ref in refs[:20]) or "none"
        raise InputError(f"no table named '{missing[0]}'", where=where, hint=f"tables here: {known}")
    return list({id(by_name[t]): by_name[t] for t in tables}.values())


def _text_column(values: tuple) -> list[str | None]:
    if all(type(v) is str or v is None for v in values):
        return [v or None for v in values]
    return [to_text(v) for v in values]


def _frames(
    dialect: Dialect,
    engine: sa.Engine,
    ref: TableRef,
    options: ScanOptions,
    limit: int | None,
    where: str,
    secrets: Sequence[str | None],
) -> Iterator[pl.DataFrame]:
    size = max(options.batch_size, 1)
    table = sa.table(ref.name, *(sa.column(c) for c in ref.columns), schema=ref.schema)
    query = sa.select(*table.c).order_by(*(table.c[k] for k in ref.key))
    if limit is not None:
        query = query.limit(limit + 1)
    key_at = [ref.columns.index(k) for k in ref.key]
    schema = {name: pl.String for name in [*ref.columns, ROW_KEY]}
    timeout = options.statement_timeout
    started = time.monotonic()
    read = 0
    with _timed_out(ref, timeout, where), translated(where, f"cannot read table {ref.display}", secrets), \
            engine.connect() as conn:
        if timeout:
            dialect.limit_statements(conn, timeout, started + timeout)
        result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
        waited = time.monotonic() - started  # time the database took: what the timeout bounds
        parts = result.partitions(size)
        while True:
            fetch = time.monotonic()
            part = next(parts, None)
            waited += time.monotonic() - fetch
            if part is None:
                break
            if timeout and waited > timeout:
                raise _TableTimeout
            cells = list(zip(*part)) if part else []
            data = {name: _text_column(cells[i]) for i, name in enumerate(ref.columns)}
            if key_at:
                data[ROW_KEY] = [",".join(f"{ref.key[j]}={to_text(row[i])}" for j, i in enumerate(key_at)) for row in part]
            else:
                data[ROW_KEY] = [f"row {n}" for n in range(read + 1, read + len(part) + 1)]
            read += len(part)
            yield pl.DataFrame(data, schema=schema)


class _TableTimeout(Exception):
    """Raised between batches once a table has taken longer than ``--statement-timeout``."""


#: how drivers say the server (or SQLite's progress handler) stopped a statement for taking too long
_SERVER_TIMEOUT = re.compile(r"statement timeout|max_statement_time|max_execution_time|^interrupted$", re.I)


@contextmanager
def _timed_out(ref: TableRef, timeout: float | None, where: str):
    """A table read that ran past ``--statement-timeout`` (ours or the server's) as one error line."""
    try:
        yield
    except (_TableTimeout, InputError) as exc:
        if isinstance(exc, InputError) and not (timeout and _SERVER_TIMEOUT.search(exc.message.split(": ", 1)[-1])):
            raise
        raise InputError(f"reading table {ref.display} stopped after the statement timeout of {timeout:g} s",
                         where=where, hint="the other tables were read; raise --statement-timeout (0: no limit) "
                         "or read fewer rows with --sample") from None
