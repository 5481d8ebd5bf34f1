"""Delimited text: CSV, TSV and delimited ``.txt`` files.

The first record is the header, unless it holds values (an e-mail address, a number, a street address):
then the file has none and its columns are ``column_1``, ``column_2``... Encoding comes from :mod:`.encoding`; the delimiter
is sniffed (``,`` ``;`` tab ``|``); fields may be quoted with ``"`` and hold
newlines. Rows are streamed: pyarrow's block-wise CSV reader does the work (its
memory stays bounded whatever the file size, where polars 2's ``scan_csv``
reads ahead without bound), and the standard-library ``csv`` module takes over
from the record where pyarrow gives up (ragged rows, stray non-UTF-8 bytes).

Row keys are ``line N``: the physical line on which the record starts, the header
being line 1 (so a record after a quoted field holding a newline starts one
line later). Blank lines and rows whose cells are all empty are skipped. Cells
beyond the header's width are ignored; missing cells are empty.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from governance.errors import InputError
from governance.limits import current, exceeded
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY, TableStream
from governance.scan.readers.encoding import UTF8_CP1252_ERRORS, sniff_text
from governance.scan.readers.frames import (
    column_names,
    limited,
    rebatch,
    row_limit,
    text_frame,
)

#: Delimiters tried, in order of preference when they fit equally well.
DELIMITERS = (",", ";", "\t", "|")
_SNIFF_RECORDS = 200
#: pyarrow reads this many bytes at a time: small blocks keep memory low (about 150 MB at 2 MiB) and stay fast.
_BLOCK_BYTES = 1 << 21


#: a first-line cell that is a value, not a column name: an e-mail address, a number or date of 4+ digits,
#: or words with a number (a street address); such a file has no header
_DATA_LIKE = re.compile(r"[^@\s]@[^@\s]+\.\w|^[\d\s+().:/-]*\d{2}[\d\s+().:/-]*\d{2}[\d\s+().:/-]*$"
                        r"|^\w[\w.']*\s.*\s\d{2,}$|^\d{1,5}[a-z]?\s+\w{3,}\s\w")


@dataclass
class CsvFormat:
    """What sniffing learned about a delimited file."""

    encoding: str
    delimiter: str
    header_lines: int
    columns: list[str]


def _records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > _SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    if not complete and len(rows) <= _SNIFF_RECORDS and rows:
        rows.pop()  # the sample may end inside the last record
    return [r for r in rows if r]


def sniff_delimiter(text: str, complete: bool = True, preferred: str | None = None) -> str:
    """The delimiter that splits the header into the most fields and the records most consistently.

    A candidate scores (header has more than one field, share of records as wide
    as the header, header width); ties go to ``preferred``, then to :data:`DELIMITERS` order.
    """
    order = ([preferred] if preferred else []) + [d for d in DELIMITERS if d != preferred]
    best, best_score = order[0], (False, 0.0, 0)
    for delimiter in order:
        rows = _records(text, delimiter, complete)
        if not rows:
            continue
        width = len(rows[0])
        share = sum(len(r) == width for r in rows) / len(rows)
        score = (width > 1, share, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff_format(path: Path) -> CsvFormat:
    """Encoding, delimiter and header of a delimited file."""
    sample = sniff_text(path)
    preferred = "\t" if path.suffix.lower() in (".tsv", ".tab") else None
    delimiter = sniff_delimiter(sample.text, sample.complete, preferred)
    reader = csv.reader(io.StringIO(sample.text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise InputError(f"unreadable header: {exc}", where=str(path)) from None
    header_lines = reader.line_num
    if not sample.complete and not _records(sample.text, delimiter, complete=False):
        raise InputError("the header is longer than 64 KB", where=str(path), hint="is this a delimited text file?")
    if any(_DATA_LIKE.search(cell.strip()) for cell in header):
        # no header: the first line is a record, and its values must never become column names in a report
        return CsvFormat(sample.encoding, delimiter, 0, column_names([""] * len(header)))
    return CsvFormat(sample.encoding, delimiter, header_lines, column_names(header))


class CsvReader:
    """CSV, TSV and delimited text files."""

    name = "csv"
    suffixes = (".csv", ".tsv", ".tab", ".txt")

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        fmt = sniff_format(path)
        stream = TableStream(source=str(path), name="", columns=fmt.columns, batches=iter(()))
        if fmt.columns:
            limit = row_limit(options)
            stream.batches = rebatch(limited(_frames(path, fmt, options, limit), limit, stream), options.batch_size)
        yield stream


def _frames(path: Path, fmt: CsvFormat, options: ScanOptions, limit: int | None) -> Iterator[pl.DataFrame]:
    """Frames of any height: pyarrow first, the csv module from the record where pyarrow stopped."""
    import pyarrow as pa

    progress = _Progress(next_line=fmt.header_lines + 1)
    try:
        try:
            yield from _arrow_frames(path, fmt, options, limit, progress)
            return
        except (pa.ArrowInvalid, UnicodeDecodeError):
            pass  # ragged rows or stray bytes: the csv module reads on from the same record
        errors = UTF8_CP1252_ERRORS if fmt.encoding in ("utf-8", "utf-8-sig") else "replace"
        yield from _python_frames(path, fmt, options, progress.records, errors)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where=str(path)) from None


@dataclass
class _Progress:
    next_line: int
    records: int = 0


def _arrow_frames(
    path: Path, fmt: CsvFormat, options: ScanOptions, limit: int | None, progress: _Progress
) -> Iterator[pl.DataFrame]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    internal = [f"c{i}" for i in range(len(fmt.columns))]
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=False,
            block_size=_BLOCK_BYTES,
            skip_rows=fmt.header_lines,
            column_names=internal,
            encoding="utf8" if fmt.encoding in ("utf-8", "utf-8-sig") else fmt.encoding,
        ),
        parse_options=pacsv.ParseOptions(delimiter=fmt.delimiter, newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in internal},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    try:
        for batch in reader:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame.columns = fmt.columns
            progress.records += frame.height
            yield _keyed(frame, fmt.columns, progress)
            if limit is not None and progress.records > limit:
                return
    finally:
        reader.close()


def _keyed(frame: pl.DataFrame, columns: list[str], progress: _Progress) -> pl.DataFrame:
    """Add ``line N`` keys (counting newlines inside quoted cells) and drop blank rows."""
    spans = pl.sum_horizontal(pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in columns) + 1
    first = progress.next_line
    frame = frame.with_columns(spans.cast(pl.Int64).alias(ROW_KEY))
    total = int(frame[ROW_KEY].sum())
    frame = frame.with_columns(
        pl.concat_str(pl.lit("line "), (pl.col(ROW_KEY).cum_sum() - pl.col(ROW_KEY) + first).cast(pl.String)).alias(
            ROW_KEY
        )
    )
    progress.next_line = first + total
    return frame.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in columns))


def _python_frames(path: Path, fmt: CsvFormat, options: ScanOptions, skip: int, errors: str) -> Iterator[pl.DataFrame]:
    """The csv module's reading, from record ``skip`` on (records already read by pyarrow)."""
    csv.field_size_limit(current().max_cell_bytes)
    width = len(fmt.columns)
    rows: list[list[str | None]] = []
    keys: list[str] = []
    with open(path, encoding=fmt.encoding, errors=errors, newline="") as fh:
        reader = csv.reader(fh, delimiter=fmt.delimiter)
        line = fmt.header_lines + 1
        try:
            next(reader, None)
            line = reader.line_num + 1
            for seen, row in enumerate(reader, start=1):
                start, line = line, reader.line_num + 1
                if seen <= skip or not any(row):
                    continue
                cells = [cell or None for cell in row[:width]]
                cells.extend([None] * (width - len(cells)))
                rows.append(cells)
                keys.append(f"line {start}")
                if len(rows) >= options.batch_size:
                    yield text_frame(fmt.columns, rows, keys)
                    rows, keys = [], []
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise exceeded("max_cell_bytes", f"a cell of the record from line {line} is too long", str(path)) from None
            raise InputError(f"unreadable CSV at line {reader.line_num}: {exc}", where=str(path)) from None
    if rows:
        yield text_frame(fmt.columns, rows, keys)
