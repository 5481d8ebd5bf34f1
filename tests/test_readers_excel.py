"""The Excel reader: one table per sheet, header naming, typed cells as text, sheet row numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers.excel import ExcelReader

FILES = Path(__file__).parent / "fixtures" / "files"


def sheets(path: Path, **options) -> dict[str, tuple[list[str], list[tuple]]]:
    return {
        s.name: (s.columns, [row for batch in s.batches for row in batch.rows()])
        for s in ExcelReader().open(path, ScanOptions(**options))
    }


def test_each_sheet_is_a_table_with_sheet_row_numbers():
    found = sheets(FILES / "people.xlsx")
    assert list(found) == ["Customers", "Staff", "Empty"]
    columns, rows = found["Customers"]
    assert columns == ["id", "name", "email", "column_4", "born", "phone"]
    assert rows == [
        ("1", "Ana Müller", "ana.mueller@example.com", "x", "1990-05-01", "5550101", "row 2"),
        ("2", "José Peña", "jose.pena@example.org", None, "2012-11-30T08:30:00", "5550102", "row 3"),
        # row 4 is empty; the text right of the header ("beyond the header") is not read
        ("4", "Dan O'Neil", None, None, None, None, "row 5"),
    ]
    assert found["Staff"] == (["email", "active"], [("boss@example.com", "true", "row 2")])
    assert found["Empty"] == ([], [])


def test_sheets_stream_in_batches_even_after_the_workbook_listing_is_done():
    streams = list(ExcelReader().open(FILES / "people.xlsx", ScanOptions(batch_size=2)))
    assert [b.height for b in streams[0].batches] == [2, 1]


def test_a_file_that_is_not_a_workbook_is_one_line_error():
    with pytest.raises(InputError) as err:
        list(ExcelReader().open(FILES / "corrupt.xlsx", ScanOptions()))
    assert err.value.where == str(FILES / "corrupt.xlsx")
    assert err.value.message == "not a readable Excel workbook (BadZipFile)"
