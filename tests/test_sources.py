"""Source resolution: files, folders (one bad file never hides the good ones), URLs, registries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers import reader_for, registry, suffixes
from governance.scan.readers.csv import CsvReader
from governance.scan.readers.excel import ExcelReader
from governance.scan.sources import is_database_url, iter_tables, source_display, walk

FILES = Path(__file__).parent / "fixtures" / "files"
BAD = {
    "corrupt.parquet": "not a readable Parquet file",
    "corrupt.xlsx": "not a readable Excel workbook",
    "garbage.csv": "binary data, not text",
    "malformed.json": "malformed JSON at line 3 column 12",
    "malformed.jsonl": "malformed JSON at line 3 column 10",
    "not_parquet.parquet": "not a readable Parquet file",
}


def test_registry_maps_suffixes_case_insensitively():
    assert isinstance(reader_for("x/People.CSV"), CsvReader)
    assert isinstance(reader_for("book.xlsx"), ExcelReader)
    assert reader_for("notes.docx") is None
    assert {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx", ".db", ".sqlite"} <= set(suffixes())
    assert all(suffix == suffix.lower() for suffix in registry())


def test_a_folder_yields_every_good_file_and_reports_each_bad_one():
    errors: list[InputError] = []
    streams = list(iter_tables(str(FILES), ScanOptions(), on_error=errors.append))
    read = {Path(s.source).name for s in streams}
    assert read == {
        "people.csv", "people.json", "people.jsonl", "people.parquet", "people.xlsx", "people_bom.csv",
        "people_cp1252.csv", "people_pipe.txt", "people_utf16be.tsv", "people_utf16le.csv", "ragged.csv", "wrapped.json",
    }
    assert {Path(e.where).name: e.message for e in errors}.keys() == BAD.keys()
    for error in errors:
        assert error.message.startswith(BAD[Path(error.where).name])
    assert all(sum(b.height for b in s.batches) >= 0 for s in streams)


def test_without_a_handler_the_good_files_come_first_and_then_one_error_lists_the_bad(tmp_path):
    shutil.copy(FILES / "people.csv", tmp_path / "a.csv")
    shutil.copy(FILES / "garbage.csv", tmp_path / "b.csv")
    shutil.copy(FILES / "malformed.json", tmp_path / "c.json")
    tables = iter_tables(str(tmp_path), ScanOptions())
    first = next(tables)
    assert first.source == str(tmp_path / "a.csv") and sum(b.height for b in first.batches) == 4
    with pytest.raises(InputError) as err:
        next(tables)
    assert err.value.where == str(tmp_path)
    assert err.value.message == "2 file(s) could not be read"
    assert [d.split(":")[0] for d in err.value.details] == [str(tmp_path / "b.csv"), str(tmp_path / "c.json")]


def test_walk_skips_hidden_unknown_and_own_reports_and_goes_in_name_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.csv", "a.csv", ".hidden.csv", ".git/x.csv", "notes.docx", "README"):
        (tmp_path / name).write_text("email\nx@example.com\n")
    (tmp_path / "report.json").write_text(json.dumps({"schema_version": "1.0", "tool": {"name": "governance", "version": "0.1"}}))
    (tmp_path / "data.json").write_text(json.dumps([{"tool": {"name": "other"}}]))
    assert [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path)] == ["a.csv", "data.json", "b/z.csv"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "no such file or folder"),
        (lambda d: (d / "doc.docx").write_text("x") and d / "doc.docx", "cannot read '.docx' files"),
        (lambda d: d, "the folder holds no file to scan"),
    ],
)
def test_bad_paths_are_one_line_errors_naming_them(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        list(iter_tables(str(path), ScanOptions()))
    assert err.value.where == str(path)
    assert err.value.message == message
    assert "\n" not in err.value.one_line()


def test_urls_are_told_from_paths_and_shown_without_passwords():
    assert is_database_url("postgresql://bob:pw@h/db") and not is_database_url("data/shop.db")
    assert source_display("postgresql://bob:pw@h/db") == "postgresql://bob:***@h/db"
    assert source_display("data/x.csv") == "data/x.csv"


def test_scan_records_each_failed_file_separately():
    pytest.importorskip("governance.scan.engine", reason="the detection engine is not in this tree yet")
    from governance.scan.api import scan

    result = scan([str(FILES), "postgresql://bob:hunter2@127.0.0.1:1/shop"], ScanOptions(ner=False))
    failed = {e.source: e.message for e in result.errors}
    assert {Path(s).name for s in failed if "://" not in s} == set(BAD)
    assert failed["postgresql://bob:***@127.0.0.1:1/shop"].startswith("cannot connect")
    assert all("hunter2" not in e.source + e.message for e in result.errors)
    assert {Path(t.source).name for t in result.tables} >= {"people.csv", "people.xlsx"}


def test_tables_pick_sheets_of_a_file_and_unknown_ones_are_errors():
    path = str(FILES / "people.xlsx")
    assert [s.name for s in iter_tables(path, ScanOptions(), tables=["Staff"])] == ["Staff"]
    with pytest.raises(InputError) as err:
        list(iter_tables(path, ScanOptions(), tables=["Staff", "Payroll"]))
    assert (err.value.where, err.value.message) == (path, "no table named 'Payroll'")
    assert err.value.hint == "tables here: 'Customers', 'Staff', 'Empty'"
