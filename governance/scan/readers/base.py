"""What every reader produces: a table as a stream of string batches.

Readers and database dialects turn a source into :class:`TableStream` objects;
the detection engine consumes them without knowing where they came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from governance.scan.options import ScanOptions

#: Name of the extra column every batch carries: the row's key as text
#: ("line 12" for files, "id=42" for database rows with a primary key).
ROW_KEY = "__row_key__"


@dataclass
class TableStream:
    """One table of a source, read lazily.

    ``batches`` yields polars DataFrames whose columns are ``columns`` (all Utf8,
    null for empty cells) plus :data:`ROW_KEY`. ``column_types`` holds declared
    types where the source has them (SQL types, Parquet types), as lower-case text.
    """

    source: str
    name: str
    columns: list[str]
    batches: Iterator[pl.DataFrame]
    column_types: dict[str, str] = field(default_factory=dict)
    sampled: bool = False
    #: rows the source says it has (database statistics), for progress; None: unknown
    expected_rows: int | None = None


class FileReader(Protocol):
    """A file format. Registered in ``governance.scan.readers.REGISTRY`` by suffix."""

    name: str
    suffixes: tuple[str, ...]

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        """Yield the tables of ``path``; raise :class:`governance.errors.InputError` when it cannot be read."""
        ...
