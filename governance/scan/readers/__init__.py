"""File readers, chosen by file suffix.

Built in: CSV/TSV/delimited text, JSON and JSON Lines, Parquet, Excel, SQLite
files. Other packages add readers through the entry-point group
``governance.readers`` (value: a reader class with ``name``, ``suffixes`` and
``open(path, options)``, see :class:`governance.scan.readers.base.FileReader`).
Built-in suffixes cannot be taken over.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from governance.scan.readers.base import FileReader
from governance.scan.readers.csv import CsvReader
from governance.scan.readers.excel import ExcelReader
from governance.scan.readers.json import JsonReader
from governance.scan.readers.parquet import ParquetReader
from governance.scan.readers.sqlite import SqliteFileReader

ENTRY_POINT_GROUP = "governance.readers"

#: Built-in reader classes.
READERS: tuple[type, ...] = (CsvReader, JsonReader, ParquetReader, ExcelReader, SqliteFileReader)


@cache
def registry() -> dict[str, FileReader]:
    """Lower-case suffix (``.csv``) -> reader, built-ins first, then installed plugins."""
    table: dict[str, FileReader] = {}
    plugins = [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]
    for cls in [*READERS, *plugins]:
        reader = cls()
        for suffix in reader.suffixes:
            table.setdefault(suffix.lower(), reader)
    return table


def reader_for(path: str | Path) -> FileReader | None:
    """The reader for ``path``'s suffix, or ``None`` when no reader takes it."""
    return registry().get(Path(path).suffix.lower())


def suffixes() -> list[str]:
    """Every suffix a reader takes, sorted."""
    return sorted(registry())
