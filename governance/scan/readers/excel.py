"""Excel workbooks (``.xlsx``, ``.xlsm``) read with openpyxl in read-only mode.

Each worksheet is a table named by the sheet. Its first row is the header (a blank
header cell inside the header's width is named ``column_N``); cells right of the
header's last named cell are not read. Cached values are read, not formulas.
Cell values go through :func:`governance.scan.values.to_text` (a date cell reads
``1990-05-01``; a phone number stored as a number reads without ``.0``). Row keys
are ``row N``, the sheet's own row number (the header is row 1).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers.base import TableStream
from governance.scan.readers.frames import column_names, limited, row_limit, text_frame
from governance.scan.values import to_text

_HINT = "open it in Excel or LibreOffice and save it again as .xlsx"


class ExcelReader:
    """Excel workbooks: one table per worksheet."""

    name = "excel"
    suffixes = (".xlsx", ".xlsm")

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        with _workbook(path) as book:
            headers = {sheet.title: _header(sheet) for sheet in book.worksheets}
        for title, header in headers.items():
            stream = TableStream(source=str(path), name=title, columns=column_names(header), batches=iter(()))
            frames = _frames(path, title, stream.columns, options.batch_size)
            stream.batches = limited(frames, row_limit(options), stream)
            yield stream


@contextmanager
def _workbook(path: Path):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"not a readable Excel workbook ({exc.__class__.__name__})", where=str(path), hint=_HINT) from None
    try:
        yield book
    finally:
        book.close()


def _rows(sheet) -> Iterator[tuple]:
    sheet.reset_dimensions()  # some writers record wrong dimensions: read every row there is
    return sheet.iter_rows(values_only=True)


def _header(sheet) -> list[str]:
    header = [to_text(v) or "" for v in next(_rows(sheet), ())]
    while header and not header[-1]:
        header.pop()
    return header


def _frames(path: Path, title: str, columns: list[str], size: int) -> Iterator[pl.DataFrame]:
    width = len(columns)
    batch: list[list[str | None]] = []
    keys: list[str] = []
    number = 1
    with _workbook(path) as book:
        rows = _rows(book[title])
        try:
            next(rows, None)
            for values in rows:
                number += 1
                cells = [to_text(v) for v in values[:width]]
                if not any(cells):
                    continue
                cells.extend([None] * (width - len(cells)))
                batch.append(cells)
                keys.append(f"row {number}")
                if len(batch) >= size:
                    yield text_frame(columns, batch, keys)
                    batch, keys = [], []
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
            raise InputError(
                f"sheet '{title}' is damaged near row {number} ({exc.__class__.__name__})", where=str(path), hint=_HINT
            ) from None
    if batch:
        yield text_frame(columns, batch, keys)
