"""Building the string batches every reader yields: frames of text, exact batch sizes, row limits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import polars as pl

from governance.limits import current, exceeded
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream


def row_limit(options: ScanOptions) -> int | None:
    """Rows to read per table, or ``None`` for all.

    ``sample_rows`` limits reading only when ``full_text_scan`` is off: with it on,
    free-text columns must still be read in full (see :class:`ScanOptions`), so the
    readers deliver every row and the engine stops classifying after the sample.
    """
    if options.sample_rows is not None and not options.full_text_scan:
        return max(options.sample_rows, 0)
    return None


def column_names(header: list[str]) -> list[str]:
    """Header cells as unique column names: blanks become ``column_N``, repeats get ``_2``, ``_3``."""
    names: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(header, start=1):
        base = raw.strip() or f"column_{i}"
        name, n = base, 1
        while name in seen or name == ROW_KEY:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        names.append(name)
    return names


def text_frame(columns: Sequence[str], rows: Sequence[Sequence[str | None]], keys: Sequence[str]) -> pl.DataFrame:
    """A batch from rows of text (or ``None``), with their row keys."""
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    data[ROW_KEY] = list(keys)
    return pl.DataFrame(data, schema={name: pl.String for name in [*columns, ROW_KEY]})


def rebatch(frames: Iterable[pl.DataFrame], size: int) -> Iterator[pl.DataFrame]:
    """Re-cut frames of any height into batches of exactly ``size`` rows (the last may be shorter)."""
    size = max(size, 1)
    pending: list[pl.DataFrame] = []
    held = 0
    for frame in frames:
        if frame.height == 0:
            continue
        pending.append(frame)
        held += frame.height
        while held >= size:
            joined = pl.concat(pending, how="vertical", rechunk=False) if len(pending) > 1 else pending[0]
            yield joined.slice(0, size)
            rest = joined.slice(size)
            pending = [rest] if rest.height else []
            held = rest.height
    if held:
        yield pl.concat(pending, how="vertical") if len(pending) > 1 else pending[0]


def limited(frames: Iterable[pl.DataFrame], limit: int | None, stream: TableStream) -> Iterator[pl.DataFrame]:
    """At most ``limit`` rows; marks ``stream.sampled`` when rows were left unread.

    Readers ask their source for ``limit + 1`` rows so the extra row tells that
    the table had more.
    """
    if limit is None:
        yield from frames
        return
    left = limit
    for frame in frames:
        if frame.height > left:
            stream.sampled = True
            if left:
                yield frame.slice(0, left)
            return
        left -= frame.height
        yield frame


def check_cell_sizes(batch: pl.DataFrame, where: str) -> None:
    """Raise when a cell of ``batch`` is longer than the ``max_cell_bytes`` limit (before any detector runs on it)."""
    limit = current().max_cell_bytes
    columns = [name for name, dtype in batch.schema.items() if name != ROW_KEY and dtype == pl.String]
    if not columns:
        return
    longest = batch.select(pl.col(name).str.len_bytes().max() for name in columns).row(0)
    for name, size in zip(columns, longest):
        if size is not None and size > limit:
            raise exceeded("max_cell_bytes", f"a cell in column '{name}' is {size:,} bytes long", where)
