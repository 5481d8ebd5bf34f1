"""The one table a risk assessment or a de-identified export reads, through the scanner's readers.

A source is a file or a database URL, read by :func:`governance.scan.sources.iter_tables`
(the same readers as ``governance scan``). Quasi-identifiers are given, or proposed from
what the scanner finds in the table (entities in ``governance/data/quasi_identifiers.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache

import polars as pl
import yaml

from governance.errors import InputError
from governance.resources import data_file
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.sources import iter_tables, source_display

#: Rows the scanner reads to propose quasi-identifiers.
PROPOSAL_SAMPLE_ROWS = 10_000


@cache
def quasi_identifier_entities() -> tuple[str, ...]:
    return tuple(yaml.safe_load(data_file("quasi_identifiers.yaml").read_text(encoding="utf-8"))["entities"])


def open_table(source: str, table: str | None = None, options: ScanOptions | None = None) -> TableStream:
    """The single table of ``source`` (or the one named ``table``)."""
    streams = list(iter_tables(source, options or ScanOptions(), tables=[table] if table else None))
    if len(streams) != 1:
        names = ", ".join(repr(s.name or s.source) for s in streams)
        raise InputError(f"the source holds {len(streams)} tables", where=source_display(source),
                         hint=f"name one with --table: {names}")
    return streams[0]


def require_columns(stream: TableStream, columns: Sequence[str], option: str) -> None:
    """An error naming the first column of ``columns`` the table does not have."""
    for column in columns:
        if column not in stream.columns:
            raise InputError(f"{option}: the table has no column '{column}'", where=source_display(stream.source),
                             hint=f"columns: {', '.join(stream.columns)}")


def batches(stream: TableStream, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
    """The table's batches, only ``columns``, cells stripped of surrounding white space."""
    for batch in stream.batches:
        yield batch.drop(ROW_KEY, strict=False).select(
            [pl.col(c).str.strip_chars().alias(c) for c in columns]
        )


def propose_quasi_identifiers(source: str, table: str | None = None) -> list[str]:
    """Columns in which the scanner finds postal codes, dates of birth, ages, gender, cities or occupations."""
    from governance.scan.api import scan

    options = ScanOptions(ner=False, sample_rows=PROPOSAL_SAMPLE_ROWS)
    result = scan([source], options)
    if result.errors:
        raise InputError(result.errors[0].message, where=result.errors[0].source)
    wanted = set(quasi_identifier_entities())
    columns: dict[str, None] = {}
    for finding in result.findings:
        if finding.kind == "column" and finding.entity in wanted and (table is None or finding.table == table):
            columns.setdefault(finding.column, None)
    return list(columns)
