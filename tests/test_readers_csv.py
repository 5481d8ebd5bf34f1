"""The delimited-text reader: encodings, delimiters, quoting, line keys, fallbacks, streaming."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers.base import ROW_KEY
from governance.scan.readers.csv import CsvReader, sniff_delimiter, sniff_format

FILES = Path(__file__).parent / "fixtures" / "files"
COLUMNS = ["id", "name", "email", "phone", "date_of_birth"]
PEOPLE = [
    ("1", "Ana Müller", "ana.mueller@example.com", "555-0101", "1990-05-01", "line 2"),
    ("2", "José Peña", "jose.pena@example.org", "555-0102", "2012-11-30", "line 3"),
    ("3", "Chloé Martin", "chloe@example.net", None, "1985-01-15", "line 4"),
]


def read(path: Path, **options) -> tuple[list[str], list[tuple], list[pl.DataFrame]]:
    (stream,) = list(CsvReader().open(path, ScanOptions(**options)))
    batches = list(stream.batches)
    rows = [row for batch in batches for row in batch.rows()]
    return stream.columns, rows, batches


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("people_bom.csv", "utf-8-sig", ","),
        ("people_cp1252.csv", "cp1252", ";"),
        ("people_utf16le.csv", "utf-16", ","),
        ("people_utf16be.tsv", "utf-16", "\t"),
        ("people_pipe.txt", "utf-8", "|"),
    ],
)
def test_every_encoding_and_delimiter_reads_the_same_table(name, encoding, delimiter):
    fmt = sniff_format(FILES / name)
    assert (fmt.encoding, fmt.delimiter) == (encoding, delimiter)
    columns, rows, batches = read(FILES / name)
    assert columns == COLUMNS
    assert rows == PEOPLE
    assert all(batch.columns == [*COLUMNS, ROW_KEY] for batch in batches)
    assert all(dtype == pl.String for batch in batches for dtype in batch.dtypes)


def test_quoted_newline_is_one_cell_and_later_lines_are_counted_physically():
    columns, rows, _ = read(FILES / "people.csv")
    assert columns == COLUMNS
    assert rows[2] == ("3", "Chloé Martin\nsecond line", "chloe@example.net", None, "1985-01-15", "line 4")
    # the record after the two-line cell starts on physical line 6
    assert rows[3] == ("4", "Dan O'Neil", "dan@example.com", "555-0104", None, "line 6")


def test_ragged_rows_and_blank_lines_fall_back_to_the_csv_module_without_losing_records():
    columns, rows, _ = read(FILES / "ragged.csv")
    assert columns == ["id", "email", "note"]
    assert rows == [
        ("1", "a@example.com", "ok", "line 2"),
        ("2", "b@example.com", None, "line 4"),
        ("3", "c@example.com", "x", "line 5"),
        ("4", "d@example.com", "two\nlines", "line 6"),
    ]


def test_a_stray_windows_1252_byte_after_the_sample_is_read_as_cp1252(tmp_path):
    body = b"".join(b"%d,user%d@example.com\n" % (i, i) for i in range(1, 5001))
    path = tmp_path / "late.csv"
    path.write_bytes(b"id,email\n" + body + b"5001,caf\xe9@example.com\n5002,z\xc3\xbcrich@example.com\n")
    assert path.stat().st_size > 65536 and sniff_format(path).encoding == "utf-8"
    _, rows, _ = read(path, batch_size=1000)
    assert len(rows) == 5002
    assert rows[-2:] == [("5001", "café@example.com", "line 5002"), ("5002", "zürich@example.com", "line 5003")]
    assert rows[0] == ("1", "user1@example.com", "line 2")


def test_binary_garbage_is_an_unreadable_encoding_error():
    with pytest.raises(InputError) as err:
        read(FILES / "garbage.csv")
    assert err.value.where == str(FILES / "garbage.csv")
    assert "binary data" in err.value.message
    assert "\n" not in err.value.one_line()


def test_control_characters_without_nul_are_binary_too(tmp_path):
    path = tmp_path / "controls.csv"
    path.write_bytes(bytes(range(1, 32)) * 20)
    with pytest.raises(InputError, match="binary data"):
        read(path)


def test_undecodable_bytes_are_an_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n\x81\x8d\x8f,\x90\x9d\n")  # invalid UTF-8 and undefined in cp1252
    with pytest.raises(InputError, match="unreadable encoding"):
        read(path)


def test_header_names_are_made_unique_and_blank_ones_named(tmp_path):
    fmt_path = tmp_path / "dups.csv"
    fmt_path.write_text("email, email ,,phone\na@example.com,b@example.com,x,555\n")
    columns, rows, _ = read(fmt_path)
    assert columns == ["email", "email_2", "column_3", "phone"]
    assert rows == [("a@example.com", "b@example.com", "x", "555", "line 2")]


def test_header_only_and_empty_files_have_no_rows(tmp_path):
    (tmp_path / "header.csv").write_text("id,email\n")
    (tmp_path / "empty.csv").write_text("")
    assert read(tmp_path / "header.csv")[:2] == (["id", "email"], [])
    assert read(tmp_path / "empty.csv")[:2] == ([], [])


def test_sample_limits_rows_only_without_full_text_scan():
    (stream,) = CsvReader().open(FILES / "people.csv", ScanOptions(sample_rows=2, full_text_scan=False))
    assert [r[0] for b in stream.batches for r in b.rows()] == ["1", "2"]
    assert stream.sampled
    (stream,) = CsvReader().open(FILES / "people.csv", ScanOptions(sample_rows=4, full_text_scan=False))
    assert sum(b.height for b in stream.batches) == 4 and not stream.sampled
    (stream,) = CsvReader().open(FILES / "people.csv", ScanOptions(sample_rows=2, full_text_scan=True))
    assert sum(b.height for b in stream.batches) == 4 and not stream.sampled


def test_a_large_file_streams_in_fixed_size_batches(tmp_path):
    path = tmp_path / "large.csv"
    rows = 200_000
    frame = pl.DataFrame({"id": range(1, rows + 1)}).with_columns(
        (pl.lit("user") + pl.col("id").cast(pl.String) + pl.lit("@example.com")).alias("email"),
        (pl.lit("555-") + (pl.col("id") % 10_000).cast(pl.String)).alias("phone"),
    )
    frame.write_csv(path)
    (stream,) = CsvReader().open(path, ScanOptions(batch_size=15_000))
    heights = []
    first = last = None
    for batch in stream.batches:
        heights.append(batch.height)
        first = first or batch.row(0)
        last = batch.row(-1)
    assert heights == [15_000] * 13 + [5_000]
    assert first == ("1", "user1@example.com", "555-1", "line 2")
    assert last == ("200000", "user200000@example.com", "555-0", "line 200001")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    width=st.integers(min_value=2, max_value=5),
    data=st.data(),
    eol=st.sampled_from(["\n", "\r\n"]),
)
def test_any_written_table_reads_back_with_its_delimiter_and_line_numbers(delimiter, width, data, eol):
    cell = st.text(alphabet=st.sampled_from(list("abcXYZ09 @.-_é\"'\n") + [delimiter]), max_size=12)
    header = [f"col{i}" for i in range(width)]
    body = data.draw(
        st.lists(st.tuples(st.text(alphabet="abc", min_size=1, max_size=4), *[cell] * (width - 1)), min_size=1, max_size=15)
    )
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=eol)
    writer.writerow(header)
    writer.writerows(body)
    text = out.getvalue()
    assert sniff_delimiter(text) == delimiter
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        columns, rows, _ = read(path)
    assert columns == header
    line, expected = 2, []
    for record in body:
        expected.append(tuple(c or None for c in record) + (f"line {line}",))
        line += 1 + sum(c.count("\n") for c in record)
    assert rows == expected


def test_a_file_without_a_header_never_shows_its_first_record_as_column_names(tmp_path):
    """A header-less export: the first line is a record, read as data, and named column_1, column_2..."""
    from governance.report import render
    from governance.scan.api import scan as run_scan
    from governance.scan.options import ScanOptions

    path = tmp_path / "noheader.csv"
    path.write_text("Anna Kowalska,anna.k@poczta.pl,al. Mleczowa 79\n"
                    "Jens Kristiansen,jens@post.dk,Astrakanvägen 958\n", encoding="utf-8")
    result = run_scan([str(path)], ScanOptions(ner=False))
    (table,) = result.tables
    assert table.columns == ["column_1", "column_2", "column_3"] and table.rows_scanned == 2
    out = io.StringIO()
    render(result, "json", out)
    for raw in ("Anna", "Kowalska", "anna.k@poczta.pl", "Mleczowa"):
        assert raw not in out.getvalue()
    assert any(f.column == "column_2" and f.matched == 2 for f in result.findings)
