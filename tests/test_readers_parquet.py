"""The Parquet reader: nested and typed columns as text, batches, corrupt files."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers.parquet import ParquetReader

FILES = Path(__file__).parent / "fixtures" / "files"
COLUMNS = ["id", "name", "contact.email", "contact.zip", "phones", "born", "seen_at", "balance", "photo"]


def test_typed_and_nested_columns_read_as_text():
    (stream,) = ParquetReader().open(FILES / "people.parquet", ScanOptions())
    assert stream.columns == COLUMNS
    assert stream.column_types["born"] == "date32[day]"
    assert stream.column_types["contact.email"] == "string"
    assert stream.column_types["photo"] == "binary"
    rows = [row for batch in stream.batches for row in batch.rows()]
    assert rows == [
        ("1", "Ana Müller", "ana.mueller@example.com", "10115", "555-0101; 555-0199", "1990-05-01",
         "2024-01-02T03:04:05", "1.5", None, "row 1"),  # the PNG bytes are binary: skipped
        ("2", "José Peña", "jose.pena@example.org", None, None, "2012-11-30", None, "2", "plain text", "row 2"),
        ("3", None, None, None, None, None, None, None, None, "row 3"),
    ]


def test_batches_follow_batch_size_and_sample():
    (stream,) = ParquetReader().open(FILES / "people.parquet", ScanOptions(batch_size=1))
    assert [b.height for b in stream.batches] == [1, 1, 1]
    (stream,) = ParquetReader().open(FILES / "people.parquet", ScanOptions(sample_rows=2, full_text_scan=False))
    assert [b["id"].to_list() for b in stream.batches] == [["1", "2"]] and stream.sampled


@pytest.mark.parametrize("name", ["corrupt.parquet", "not_parquet.parquet"])
def test_truncated_or_foreign_file_is_one_line_error(name):
    with pytest.raises(InputError) as err:
        list(ParquetReader().open(FILES / name, ScanOptions()))
    assert err.value.where == str(FILES / name)
    assert err.value.message.startswith("not a readable Parquet file: Parquet magic bytes not found")
    assert "\n" not in err.value.one_line()


def test_damage_inside_a_later_row_group_fails_while_reading_after_the_good_rows(tmp_path):
    path = tmp_path / "damaged.parquet"
    pq.write_table(pa.table({"email": [f"user{i}@example.com" for i in range(3000)]}), path, row_group_size=1000)
    data = bytearray(path.read_bytes())
    start = pq.ParquetFile(path).metadata.row_group(1).column(0).data_page_offset + 40
    data[start : start + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    (stream,) = ParquetReader().open(path, ScanOptions(batch_size=1000))
    seen = []
    with pytest.raises(InputError) as err:
        for batch in stream.batches:
            seen.append(batch.height)
    assert seen == [1000]
    assert err.value.message.startswith("corrupt Parquet data near row 1001")
