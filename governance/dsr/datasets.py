"""Read and rewrite the datasets of the inventory: database tables, CSV files, JSON and JSON Lines files.

One adapter per kind of location, chosen by :data:`ADAPTERS`. An adapter reads every
row of its dataset as :class:`Record` objects and applies a list of changes: database
adapters run bound ``UPDATE``/``DELETE`` statements on a connection the caller holds in
a transaction; file adapters return the file's new content for an atomic rewrite.
File paths and ``sqlite:///relative.db`` URLs are relative to the inventory directory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from governance.errors import DsrError, InputError
from governance.inventory.loader import LoadedInventory
from governance.inventory.models import Dataset
from governance.limits import current, exceeded
from governance.masking import mask, mask_url_password

if TYPE_CHECKING:
    from governance.dsr.changes import Change


def get_path(data: dict, name: str) -> Any:
    """Value of a field, following dots into nested objects (``contact.email``)."""
    if name in data:
        return data[name]
    node: Any = data
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(data: dict, name: str, value: Any) -> None:
    """Set a field, following dots into nested objects."""
    if name in data or "." not in name:
        data[name] = value
        return
    node = data
    *parents, last = name.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


@dataclass
class Record:
    """One row of a dataset: its key (primary key values, or its position in a file) and its values."""

    dataset: str
    key: tuple
    data: dict[str, Any]
    key_fields: tuple[str, ...] = ()
    masked_keys: frozenset[str] = frozenset()  # key fields whose values are personal data (an e-mail as key)

    def get(self, name: str) -> Any:
        return get_path(self.data, name)

    @property
    def label(self) -> str:
        """``id=7`` for keyed rows (personal key values masked: ``email=a***@m***.example``), ``row 3`` for
        file rows without a declared key."""
        if self.key_fields:
            return ", ".join(f"{k}={mask(v) if k in self.masked_keys else v}"
                             for k, v in zip(self.key_fields, self.key, strict=True))
        return f"row {self.key[0]}"


@dataclass(frozen=True)
class ColumnInfo:
    """What a write must respect: can the column hold NULL, is it text."""

    nullable: bool = True
    text: bool = True


@dataclass(frozen=True)
class SchemaLink:
    """A foreign key the database declares: ``field`` of this table refers to ``to_field`` of ``to_table``."""

    field: str
    to_table: str
    to_schema: str | None
    to_field: str


class DatasetAdapter:
    """Base of the adapters: knows its dataset and where it lives."""

    kind = "dataset"

    def __init__(self, dataset: Dataset, workspace: Workspace):
        self.dataset = dataset
        self.workspace = workspace

    @property
    def is_database(self) -> bool:
        return False

    def read(self) -> list[Record]:
        raise NotImplementedError

    def key_fields(self) -> list[str]:
        return list(self.dataset.primary_key)

    def schema_links(self) -> list[SchemaLink]:
        """Foreign keys the storage declares (files declare none)."""
        return []

    def unindexed(self, names: list[str]) -> list[str]:
        """Of ``names``, the columns no index leads with (files have no indexes to warn about)."""
        return []

    def column(self, name: str) -> ColumnInfo:
        return ColumnInfo()

    def personal_keys(self, keys: list[str]) -> frozenset[str]:
        """Key fields declared personal other than record numbers (``user.unique_id``): shown masked."""
        decls = [self.dataset.field(k) for k in keys]
        return frozenset(d.name for d in decls if d is not None and d.personal and d.category != "user.unique_id")

    def _keyed(self, rows: Iterable[dict], keys: list[str]) -> list[Record]:
        out = []
        masked = self.personal_keys(keys)
        for i, row in enumerate(rows, start=1):
            if keys:
                out.append(Record(self.dataset.id, tuple(get_path(row, k) for k in keys), row, tuple(keys), masked))
            else:
                out.append(Record(self.dataset.id, (i,), row))
        return out


class FileAdapter(DatasetAdapter):
    """A dataset in a file: read whole, rewritten whole."""

    def __init__(self, dataset: Dataset, workspace: Workspace):
        super().__init__(dataset, workspace)
        self.path = workspace.loaded.resolve_path(dataset.location.path)

    @property
    def where(self) -> str:
        return str(self.path)

    def _text(self) -> str:
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as fh:  # line ends as stored
                return fh.read()
        except FileNotFoundError:
            raise InputError("file not found", where=self.where,
                             hint=f"fix datasets[{self.dataset.id}].location.path in the inventory") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot be read ({exc.__class__.__name__})", where=self.where) from None

    def new_content(self, records: list[Record], changes: list[Change]) -> str:
        """The file's text after ``changes``: deleted rows left out, changed fields set."""
        deleted = {c.key for c in changes if c.action == "delete_row"}
        updates: dict[tuple, list[Change]] = {}
        for c in changes:
            if c.action != "delete_row":
                updates.setdefault(c.key, []).append(c)
        kept = []
        for rec in records:
            if rec.key in deleted:
                continue
            if rec.key in updates:
                data = json.loads(json.dumps(rec.data))
                for c in updates[rec.key]:
                    set_path(data, c.field, c.new_value)
                kept.append((rec, data))
            else:
                kept.append((rec, None))
        return self.serialise(kept)

    def serialise(self, rows: list[tuple[Record, dict | None]]) -> str:
        """Text of the file holding ``rows`` (``None`` data = the record unchanged)."""
        raise NotImplementedError


class CsvAdapter(FileAdapter):
    """A CSV file with a header row; row keys are the declared primary key or the row number.

    Rows that do not change are written back byte for byte (quoting, line ends, a byte-order
    mark, blank lines); a changed row keeps its cells beyond the header (ragged rows) and sets
    every column of a duplicated header name (``phone,phone``).
    """

    kind = "csv"

    def read(self) -> list[Record]:
        text = self._text()
        self._bom = self.path.read_bytes().startswith(codecs.BOM_UTF8)
        lines = text.splitlines(keepends=True)
        csv.field_size_limit(current().max_cell_bytes)
        reader = csv.reader(iter(lines))
        self._segments: list[tuple[str, tuple | None, list[str]]] = []  # (raw text, record key, cells)
        self._header: list[str] = []
        self._header_raw = ""
        rows, consumed = [], 0
        try:
            for cells in reader:
                raw, consumed = "".join(lines[consumed:reader.line_num]), reader.line_num
                if not self._segments and not self._header:
                    self._header, self._header_raw = cells, raw
                    continue
                if not cells:
                    self._segments.append((raw, None, cells))
                    continue
                data: dict[str, Any] = {}
                for i, name in enumerate(self._header):
                    data.setdefault(name, cells[i] if i < len(cells) else None)
                rows.append(data)
                self._segments.append((raw, None, cells))
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise exceeded("max_cell_bytes", f"a cell near line {reader.line_num} is too long", self.where) from None
            raise InputError(f"unreadable CSV at line {reader.line_num}: {exc}", where=self.where) from None
        records = self._keyed(rows, self.key_fields())
        numbered = iter(records)
        self._segments = [(raw, next(numbered).key if cells else None, cells) for raw, _k, cells in self._segments]
        return records

    def serialise(self, rows: list[tuple[Record, dict | None]]) -> str:
        kept = {rec.key: (rec, data) for rec, data in rows}
        out = ["\ufeff" if self._bom else "", self._header_raw]
        for raw, key, cells in self._segments:
            if key is None:
                out.append(raw)
            elif key in kept:
                rec, data = kept[key]
                out.append(raw if data is None else self._changed_row(raw, cells, rec, data))
        return "".join(out)

    def _changed_row(self, raw: str, cells: list[str], rec: Record, data: dict) -> str:
        cells = list(cells)
        for i, name in enumerate(self._header):
            if i < len(cells) and data.get(name) != rec.data.get(name):
                cells[i] = "" if data.get(name) is None else str(data.get(name))
        ending = raw[len(raw.rstrip("\r\n")):]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=ending).writerow(cells)
        return buffer.getvalue()


class JsonLinesAdapter(FileAdapter):
    """One JSON object per line; unchanged lines are written back byte for byte."""

    kind = "jsonl"

    def read(self) -> list[Record]:
        keys = self.key_fields()
        self._lines: dict[tuple, str] = {}
        rows = []
        for lineno, line in enumerate(self._text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"line {lineno} is not JSON ({exc.msg})", where=self.where) from None
            if not isinstance(obj, dict):
                raise InputError(f"line {lineno} is not a JSON object", where=self.where)
            if keys:
                rec = Record(self.dataset.id, tuple(get_path(obj, k) for k in keys), obj, tuple(keys),
                             self.personal_keys(keys))
            else:
                rec = Record(self.dataset.id, (lineno,), obj)
            self._lines[rec.key] = line
            rows.append(rec)
        return rows

    def serialise(self, rows: list[tuple[Record, dict | None]]) -> str:
        lines = [self._lines[rec.key] if data is None else json.dumps(data, ensure_ascii=False) for rec, data in rows]
        return "".join(line + "\n" for line in lines)


class JsonAdapter(FileAdapter):
    """A JSON file holding an array of objects."""

    kind = "json"

    def read(self) -> list[Record]:
        try:
            data = json.loads(self._text())
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON (line {exc.lineno}: {exc.msg})", where=self.where) from None
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise InputError("a JSON dataset must be an array of objects", where=self.where,
                             hint="use JSON Lines (.jsonl) for other layouts")
        return self._keyed(data, self.key_fields())

    def serialise(self, rows: list[tuple[Record, dict | None]]) -> str:
        return json.dumps([data if data is not None else rec.data for rec, data in rows],
                          indent=2, ensure_ascii=False) + "\n"


class DatabaseAdapter(DatasetAdapter):
    """A database table, reflected with SQLAlchemy; rows are addressed by primary key."""

    kind = "database"

    def __init__(self, dataset: Dataset, workspace: Workspace):
        super().__init__(dataset, workspace)
        self.url = workspace.resolve_url(dataset.location.url)
        self._table: sa.Table | None = None

    @property
    def is_database(self) -> bool:
        return True

    @property
    def where(self) -> str:
        return f"{mask_url_password(self.dataset.location.url)} table {self.dataset.location.table}"

    @property
    def table(self) -> sa.Table:
        """The reflected table: identifiers come from the schema and are quoted by SQLAlchemy."""
        if self._table is None:
            loc = self.dataset.location
            try:
                self._table = sa.Table(loc.table, sa.MetaData(), autoload_with=self.workspace.engine(self.url),
                                       schema=loc.schema_)
            except sa.exc.NoSuchTableError:
                raise InputError("table not found", where=self.where,
                                 hint=f"fix datasets[{self.dataset.id}].location in the inventory") from None
            except sa.exc.SQLAlchemyError as exc:
                raise InputError(f"cannot read the table ({exc.__class__.__name__})", where=self.where) from None
        return self._table

    def key_fields(self) -> list[str]:
        keys = list(self.dataset.primary_key) or [c.name for c in self.table.primary_key.columns]
        if not keys:
            raise DsrError("the table has no primary key, so single rows cannot be changed", where=self.where,
                           hint=f"declare primary_key for dataset '{self.dataset.id}' in the inventory")
        missing = [k for k in keys if k not in self.table.c]
        if missing:
            raise DsrError(f"primary_key column '{missing[0]}' is not in the table", where=self.where)
        return keys

    def read(self) -> list[Record]:
        with self.workspace.engine(self.url).connect() as conn:
            try:
                rows = [dict(r._mapping) for r in conn.execute(sa.select(self.table))]
            except sa.exc.SQLAlchemyError as exc:
                raise InputError(f"cannot read the table ({exc.__class__.__name__})", where=self.where) from None
        return self._keyed(rows, self.key_fields())

    def schema_links(self) -> list[SchemaLink]:
        loc = self.dataset.location
        inspector = sa.inspect(self.workspace.engine(self.url))
        out = []
        for fk in inspector.get_foreign_keys(loc.table, schema=loc.schema_):
            if len(fk["constrained_columns"]) == 1 and len(fk["referred_columns"]) == 1:
                out.append(SchemaLink(fk["constrained_columns"][0], fk["referred_table"],
                                      fk.get("referred_schema"), fk["referred_columns"][0]))
        return out

    def unindexed(self, names: list[str]) -> list[str]:
        loc = self.dataset.location
        inspector = sa.inspect(self.workspace.engine(self.url))
        leading = {c.name for c in self.table.primary_key.columns}
        for index in (*inspector.get_indexes(loc.table, schema=loc.schema_),
                      *inspector.get_unique_constraints(loc.table, schema=loc.schema_)):
            columns = index.get("column_names") or []
            if columns:
                leading.add(columns[0])
        return [n for n in names if n in self.table.c and n not in leading]

    def column(self, name: str) -> ColumnInfo:
        col = self.table.c.get(name)
        if col is None:
            return ColumnInfo()
        return ColumnInfo(nullable=bool(col.nullable), text=isinstance(col.type, sa.String))

    def execute(self, conn: Connection, changes: list[Change]) -> None:
        """Run ``changes`` on ``conn`` (inside the caller's transaction): bound statements, row deletions
        in batches of :data:`DELETE_BATCH` for single-column keys, one update per changed row."""
        table = self.table
        keys = self.key_fields()

        def where(key: tuple):
            return sa.and_(*[table.c[k] == sa.bindparam(None, v, type_=table.c[k].type) for k, v in zip(keys, key, strict=True)])

        deletes = [c for c in changes if c.action == "delete_row"]
        if len(keys) == 1:
            column = table.c[keys[0]]
            for start in range(0, len(deletes), DELETE_BATCH):
                batch = deletes[start:start + DELETE_BATCH]
                result = conn.execute(sa.delete(table).where(column.in_([c.key[0] for c in batch])))
                self._expect(result, len(batch), batch[0])
        else:
            for c in deletes:
                self._expect(conn.execute(sa.delete(table).where(where(c.key))), 1, c)
        updates: dict[tuple, tuple[dict, Change]] = {}
        for c in changes:
            if c.action != "delete_row":
                if c.field not in table.c:
                    raise DsrError(f"column '{c.field}' is not in the table", where=self.where)
                updates.setdefault(c.key, ({}, c))[0][table.c[c.field]] = c.new_value
        for key, (values, change) in updates.items():
            self._expect(conn.execute(sa.update(table).where(where(key)).values(values)), 1, change)

    def _expect(self, result, rows: int, change: Change) -> None:
        if result.rowcount != rows:
            what = f"row {change.row_label} was" if rows == 1 else f"{rows - result.rowcount} of {rows} rows were"
            raise DsrError(f"{what} not found when changing it (changed by someone else meanwhile?)",
                           where=self.where, hint="run the request again")


#: row deletions per statement (well under every dialect's limit of bound parameters)
DELETE_BATCH = 500


def _file_adapter(dataset: Dataset) -> str:
    suffix = Path(dataset.location.path).suffix.lower()
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}.get(suffix, "")


#: adapter kind -> class
ADAPTERS: dict[str, type[DatasetAdapter]] = {
    "database": DatabaseAdapter,
    "csv": CsvAdapter,
    "jsonl": JsonLinesAdapter,
    "json": JsonAdapter,
}


def adapter_kind(dataset: Dataset) -> str:
    """Which adapter reads ``dataset`` ('' when none can)."""
    return "database" if dataset.location.url else _file_adapter(dataset)


def _sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, open transactions, so DDL and DML are all in one (SQLAlchemy recipe)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


def create_engine(url: str) -> Engine:
    """An engine for a dataset or ledger URL (drivers and passwords as for every command: :mod:`governance.scan.databases.urls`).

    SQLite connections get real transactions. :class:`InputError` when the database cannot be reached.
    """
    from governance.scan.databases.urls import open_engine, parse_database_url

    engine = open_engine(parse_database_url(url))
    if engine.dialect.name == "sqlite":
        _sqlite_transactional(engine)
    return engine


@dataclass
class Workspace:
    """The datasets of one inventory, their adapters, cached rows and database engines."""

    loaded: LoadedInventory
    _engines: dict[str, Engine] = field(default_factory=dict)
    _adapters: dict[str, DatasetAdapter] = field(default_factory=dict)
    _rows: dict[str, list[Record]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for ds in self.loaded.inventory.datasets:
            kind = adapter_kind(ds)
            if not kind:
                self.skipped.append(f"dataset '{ds.id}': no reader for {ds.location.path}; it was not searched")
                continue
            self._adapters[ds.id] = ADAPTERS[kind](ds, self)

    @property
    def datasets(self) -> list[Dataset]:
        return [a.dataset for a in self._adapters.values()]

    def adapter(self, dataset_id: str) -> DatasetAdapter:
        return self._adapters[dataset_id]

    def records(self, dataset_id: str) -> list[Record]:
        """Every row of a dataset (read once, until :meth:`refresh`)."""
        if dataset_id not in self._rows:
            self._rows[dataset_id] = self._adapters[dataset_id].read()
        return self._rows[dataset_id]

    def refresh(self) -> None:
        """Forget cached rows, so the next read sees the stored data."""
        self._rows.clear()

    def resolve_url(self, url: str) -> str:
        """A database URL with a relative SQLite path made relative to the inventory directory."""
        from governance.scan.databases import resolve_url
        from governance.scan.databases.urls import parse_database_url

        resolved = resolve_url(url, self.loaded.base_dir)
        path = parse_database_url(resolved).url.database
        if resolved.startswith("sqlite") and path not in (None, ":memory:") and not Path(path).exists():
            raise InputError("database file not found", where=path)
        return resolved

    def engine(self, url: str) -> Engine:
        if url not in self._engines:
            self._engines[url] = create_engine(url)
        return self._engines[url]

    def by_database(self, dataset_ids: Iterable[str]) -> dict[str, list[str]]:
        """Database datasets grouped by the database they live in (one transaction each)."""
        out: dict[str, list[str]] = {}
        for ds_id in dataset_ids:
            adapter = self._adapters[ds_id]
            if isinstance(adapter, DatabaseAdapter):
                out.setdefault(adapter.url, []).append(ds_id)
        return out

    def find_table(self, url: str, table: str, schema: str | None) -> str | None:
        """The dataset id of a table of the database at ``url``, if the inventory declares it."""
        for ds_id, adapter in self._adapters.items():
            if isinstance(adapter, DatabaseAdapter) and adapter.url == url and adapter.dataset.location.table == table:
                if schema is None or adapter.dataset.location.schema_ in (None, schema):
                    return ds_id
        return None

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

