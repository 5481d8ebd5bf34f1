"""How many rows a table is expected to have, for progress bars: cheap guesses, never a full read.

Parquet files state their row count; line-based files (CSV, TSV, JSON Lines) are
estimated from the share of line breaks in their first 256 KiB; databases give their
own statistics (see :meth:`governance.scan.databases.base.Dialect.estimate_rows`).
Anything else is ``None``: the bar then shows rows read without a total.
"""

from __future__ import annotations

from pathlib import Path

from governance.scan.readers.base import TableStream

_HEAD = 256 * 1024
_LINE_FORMATS = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson")


def expected_rows(stream: TableStream) -> int | None:
    """The stream's own estimate, else one from its file (``None`` when there is no cheap guess)."""
    if stream.expected_rows is not None:
        return stream.expected_rows
    path = Path(stream.source)
    try:
        if not path.is_file():
            return None
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_metadata(path).num_rows
        if suffix in _LINE_FORMATS:
            return _line_estimate(path)
    except (OSError, ValueError, ImportError):
        return None
    return None


def _line_estimate(path: Path) -> int | None:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    lines = head.count(b"\n")
    if not lines:
        return None
    if len(head) == size:  # the whole file was read: exact, less a header line for CSV/TSV
        return lines - (path.suffix.lower() in (".csv", ".tsv", ".txt"))
    return round(size * lines / len(head))
