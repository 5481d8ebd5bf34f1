"""Apache Parquet files, read one batch of row groups at a time with pyarrow.

Struct columns are flattened to dotted paths (``contact.email``); list columns
join their items with ``"; "``; dates and times are ISO 8601; binary columns
are read as text where they hold printable UTF-8 (see :mod:`governance.scan.values`).
``column_types`` holds each column's Arrow type. Row keys are ``row N``, the
1-based row number in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from governance.errors import InputError
from governance.limits import current, exceeded
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.readers.frames import limited, row_limit
from governance.scan.values import to_text

_HINT = "is it a complete Parquet file? Re-export it"


def _flat(table):
    import pyarrow as pa

    while any(pa.types.is_struct(f.type) for f in table.schema):
        table = table.flatten()
    return table


def _as_text(column: pl.Series) -> pl.Series:
    """A column as text: native casts where polars has them, :func:`to_text` otherwise."""
    dtype = column.dtype
    if dtype == pl.String:
        return column
    if dtype == pl.Datetime:
        fmt = "%Y-%m-%dT%H:%M:%S%:z" if getattr(dtype, "time_zone", None) else "%Y-%m-%dT%H:%M:%S"
        return column.dt.to_string(fmt)
    if dtype.is_float():
        whole = column.is_finite() & (column == column.round()) & (column.abs() < 1e16)
        text = pl.select(
            pl.when(whole).then(column.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(column.cast(pl.String))
        ).to_series()
        return text.set(column.is_nan().fill_null(False), None).alias(column.name)
    if dtype.is_numeric() or dtype in (pl.Boolean, pl.Date, pl.Time, pl.Null):
        return column.cast(pl.String)
    return pl.Series(column.name, [to_text(v) for v in column.to_list()], dtype=pl.String)


class ParquetReader:
    """Apache Parquet files."""

    name = "parquet"
    suffixes = (".parquet", ".pq")

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        where = str(path)
        with _parquet(path) as parquet:
            schema = _flat(parquet.schema_arrow.empty_table()).schema
            _check_sizes(parquet.metadata, where)
        stream = TableStream(
            source=where,
            name="",
            columns=list(schema.names),
            batches=iter(()),
            column_types={f.name: str(f.type).lower() for f in schema},
        )
        stream.batches = limited(_frames(path, stream.columns, options), row_limit(options), stream)
        yield stream


def _parquet(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file: {_first_line(exc)}", where=str(path), hint=_HINT) from None


def _check_sizes(metadata, where: str) -> None:
    """Refuse, before reading, a row group that would decompress past ``max_decompressed_bytes`` (a zip bomb)."""
    limit = current().max_decompressed_bytes
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        size = max(group.total_byte_size, sum(group.column(c).total_uncompressed_size for c in range(group.num_columns)))
        if size > limit:
            raise exceeded(
                "max_decompressed_bytes", f"row group {index + 1} decompresses to {size:,} bytes", where
            )


def _check_cells(batch, where: str) -> None:
    """Refuse a batch with a text or binary cell over ``max_cell_bytes`` before it is copied into polars."""
    import pyarrow as pa
    import pyarrow.compute as pc

    limit = current().max_cell_bytes
    for name, column in zip(batch.schema.names, batch.columns):
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            size = pc.max(pc.binary_length(column)).as_py()
            if size is not None and size > limit:
                raise exceeded("max_cell_bytes", f"a cell in column '{name}' is {size:,} bytes long", where)


def _frames(path: Path, columns: list[str], options: ScanOptions) -> Iterator[pl.DataFrame]:
    import pyarrow as pa

    first = 1
    with _parquet(path) as parquet:
        try:
            for batch in parquet.iter_batches(batch_size=max(options.batch_size, 1)):
                _check_cells(batch, str(path))
                frame = pl.from_arrow(_flat(pa.Table.from_batches([batch])))
                assert isinstance(frame, pl.DataFrame)
                keys = pl.Series(ROW_KEY, [f"row {n}" for n in range(first, first + frame.height)], dtype=pl.String)
                first += frame.height
                yield pl.DataFrame([_as_text(frame[name]) for name in columns] + [keys])
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"corrupt Parquet data near row {first}: {_first_line(exc)}", where=str(path), hint=_HINT) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
