"""Excel workbooks (``.xlsx``, ``.xlsm``) read with openpyxl in read-only mode.

Each worksheet is a table named by the sheet. Its first row is the header (a blank
header cell inside the header's width is named ``column_N``); cells right of the
header's last named cell are not read. Cached values are read, not formulas.
Cell values go through :func:`governance.scan.values.to_text` (a date cell reads
``1990-05-01``; a phone number stored as a number reads without ``.0``). Row keys
are ``row N``, the sheet's own row number (the header is row 1).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from governance.errors import InputError
from governance.limits import current, exceeded
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
        _check_parts(path)
        with _workbook(path) as book:
            headers = {}
            for sheet in book.worksheets:
                try:
                    headers[sheet.title] = _header(sheet)
                except IndexError:
                    raise _missing_string(path, sheet.title, 1) from None
        for title, header in headers.items():
            stream = TableStream(source=str(path), name=title, columns=column_names(header), batches=iter(()))
            frames = _frames(path, title, stream.columns, options.batch_size)
            stream.batches = limited(frames, row_limit(options), stream)
            yield stream


#: Worksheets are streamed row by row in read-only mode; every other part is read whole.
_STREAMED = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_SHARED_STRING = re.compile(rb"<(?:\w{1,16}:)?si[\s>/]")
_READ = 1 << 20


def _check_parts(path: Path) -> None:
    """Refuse, before openpyxl reads it, a workbook whose whole-read parts would exhaust memory or time.

    Zip members decompress to at most their declared size (:mod:`zipfile` stops there), so checking the
    declared sizes bounds the parts; the shared-string table is counted by streaming through it.
    """
    limits = current()
    try:
        with zipfile.ZipFile(path) as book:
            for info in book.infolist():
                if not _STREAMED.fullmatch(info.filename) and info.file_size > limits.max_xlsx_part_bytes:
                    raise exceeded("max_xlsx_part_bytes",
                                   f"the part {info.filename} decompresses to {info.file_size:,} bytes", str(path))
            for info in book.infolist():
                if info.filename.lower().endswith("sharedstrings.xml"):
                    with book.open(info) as fh:
                        count = _count_shared_strings(fh)
                    if count > limits.max_xlsx_shared_strings:
                        raise exceeded("max_xlsx_shared_strings", f"the workbook has {count:,} shared strings",
                                       str(path))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return  # not a readable zip: openpyxl names the problem below


def _count_shared_strings(fh) -> int:
    count, rest = 0, b""
    while chunk := fh.read(_READ):
        data = rest + chunk
        keep = max(len(data) - 24, 0)  # a tag starting in the last 24 bytes is counted with the next chunk
        count += sum(1 for m in _SHARED_STRING.finditer(data, 0, len(data)) if m.start() < keep)
        rest = data[keep:]
    return count + len(_SHARED_STRING.findall(rest))


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


def _missing_string(path: Path, title: str, row: int) -> InputError:
    return InputError(f"sheet '{title}' row {row} points at a shared string the workbook does not have",
                      where=str(path), hint=_HINT)


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
        except IndexError:
            raise _missing_string(path, title, number + 1) from None
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
            raise InputError(
                f"sheet '{title}' is damaged near row {number} ({exc.__class__.__name__})", where=str(path), hint=_HINT
            ) from None
    if batch:
        yield text_frame(columns, batch, keys)
