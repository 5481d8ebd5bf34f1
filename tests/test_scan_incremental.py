"""Incremental scans (`governance scan --state FILE`): unchanged files and tables are carried over, changed ones read."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3

import pytest
import sqlalchemy as sa
from report_validation import assert_sarif_valid, schema_validator

from governance.cli import cli
from governance.scan.api import scan
from governance.scan.fingerprints import file_fingerprint
from governance.scan.options import ScanOptions
from governance.scan.state import load_state, save_state

FAST = ["--no-ner", "--scan-date", "2024-05-01", "--fail-on", "none"]


@pytest.fixture
def folder(tmp_path, fixtures):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("cards.csv", "subscribers.csv", "stock.csv"):
        shutil.copy(fixtures / "cli_scan" / name, data / name)
    return data


def run(runner, *args, fmt="json"):
    result = runner.invoke(cli, ["scan", *args, *FAST, "--format", fmt], catch_exceptions=False)
    assert result.exit_code in (0, 2), result.stdout + result.stderr
    return result


def report(runner, *args):
    result = run(runner, *args)
    data = json.loads(result.stdout)
    schema_validator("scan-report.schema.json").validate(data)
    return data


def by_file(data):
    """file name -> (carried_over of its table, sorted (column, entity, carried_over) of its findings)."""
    files = {}
    for table in data["tables"]:
        name = os.path.basename(table["source"])
        findings = sorted(
            (f["column"], f["entity"], f["carried_over"]) for f in data["findings"] if f["source"] == table["source"]
        )
        files[name] = (table["carried_over"], findings)
    return files


def test_an_unchanged_folder_is_carried_over_and_changes_are_read(runner, folder, tmp_path):
    state = str(tmp_path / "scan-state.json")
    first = report(runner, str(folder), "--state", state)
    assert {name: carried for name, (carried, _) in by_file(first).items()} == {
        "cards.csv": False, "stock.csv": False, "subscribers.csv": False
    }
    assert ("card_number", "CREDIT_CARD", False) in by_file(first)["cards.csv"][1]
    assert ("email", "EMAIL_ADDRESS", False) in by_file(first)["subscribers.csv"][1]
    assert first["summary"]["carried_over"] == 0 and first["summary"]["rows_scanned"] > 0

    second = report(runner, str(folder), "--state", state)
    assert all(carried for carried, _ in by_file(second).values())
    assert all(f["carried_over"] for f in second["findings"])
    assert [(f["source"], f["column"], f["entity"]) for f in second["findings"]] == [
        (f["source"], f["column"], f["entity"]) for f in first["findings"]
    ]
    assert second["summary"] | {"carried_over": 0, "rows_scanned": 0} == first["summary"] | {"rows_scanned": 0}
    assert second["summary"]["carried_over"] == 3 and second["summary"]["rows_scanned"] == 0

    with open(folder / "subscribers.csv", "a", encoding="utf-8") as fh:
        fh.write("99,new.person@example.net,2024-04-01\n")
    (folder / "cards.csv").unlink()
    (folder / "leads.csv").write_text(
        "lead,contact_email\n" + "".join(f"{i},lead{i}@example.com\n" for i in range(12)), encoding="utf-8"
    )
    third = by_file(report(runner, str(folder), "--state", state))
    assert set(third) == {"leads.csv", "stock.csv", "subscribers.csv"}
    assert third["stock.csv"][0] is True
    assert third["subscribers.csv"] == (False, [("email", "EMAIL_ADDRESS", False)])
    assert third["leads.csv"] == (False, [("contact_email", "EMAIL_ADDRESS", False)])

    stored = json.loads((tmp_path / "scan-state.json").read_text())
    assert sorted(os.path.basename(k) for k in stored["units"]) == ["leads.csv", "stock.csv", "subscribers.csv"]


def test_full_reads_everything_again(runner, folder, tmp_path):
    state = str(tmp_path / "state.json")
    report(runner, str(folder), "--state", state)
    again = report(runner, str(folder), "--state", state, "--full")
    assert again["summary"]["carried_over"] == 0
    assert not any(f["carried_over"] for f in again["findings"])
    assert report(runner, str(folder), "--state", state)["summary"]["carried_over"] == 3


def test_a_new_mtime_with_the_same_bytes_is_unchanged_but_new_bytes_are_read(folder, tmp_path):
    options = ScanOptions(ner=False)
    state, _ = load_state(tmp_path / "state.json", options)
    scan([str(folder)], options, state=state)
    cards = folder / "cards.csv"
    os.utime(cards, ns=(1_000_000_000, 1_000_000_000))  # as a fresh checkout would
    result = scan([str(folder)], options, state=state)
    assert all(t.carried_over for t in result.tables)
    text = cards.read_text(encoding="utf-8").replace("4111 1111 1111 1111", "4012 8888 8888 1881")
    cards.write_text(text, encoding="utf-8")
    os.utime(cards, ns=(1_000_000_000, 1_000_000_000))
    stat = cards.stat()
    assert stat.st_size == state.units[str(cards)].fingerprint["size"]  # same size and mtime: not hashed
    result = scan([str(folder)], options, state=state)
    assert {os.path.basename(t.source): t.carried_over for t in result.tables}["cards.csv"] is True


def test_the_hash_is_only_computed_when_size_or_mtime_changed(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    first = file_fingerprint(path)
    assert first["sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    trusted = file_fingerprint(path, {**first, "sha256": "0" * 64})
    assert trusted["sha256"] == "0" * 64
    os.utime(path, ns=(5, 5))
    assert file_fingerprint(path, {**first, "sha256": "0" * 64})["sha256"] == first["sha256"]


def test_carried_over_findings_are_marked_in_sarif_and_the_table(runner, folder, tmp_path):
    state = str(tmp_path / "state.json")
    run(runner, str(folder), "--state", state)
    sarif = json.loads(run(runner, str(folder), "--state", state, fmt="sarif").stdout)
    assert_sarif_valid(sarif)
    results = sarif["runs"][0]["results"]
    assert results and all(r["properties"]["carriedOver"] is True for r in results)
    assert all("Carried over: unchanged since the last scan" in r["message"]["text"] for r in results)
    text = " ".join(run(runner, str(folder), "--state", state, fmt="table").stdout.split())
    assert "Carried over: unchanged since the last scan" in text
    assert text.count("1 table(s), 0 rows read") == 3
    assert text.count("1 table(s) unchanged since the last scan, their findings carried over") == 3
    assert "No personal data found in: (whole file) (carried over)" in text
    assert "in 0 source(s) read and 3 carried over unchanged" in text
    html = run(runner, str(folder), "--state", state, fmt="html").stdout
    assert "(whole file) (carried over)" in html and "unchanged since the last scan" in html


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{", "not a JSON state file (line 1"),
        ('{"schema_version": "9.0", "tool": {"name": "governance", "version": "1"}, "settings": "x", "units": {}}',
         "invalid state file at schema_version"),
        ("[]", "invalid state file at (top level)"),
    ],
)
def test_a_corrupt_state_file_is_one_error_line_and_exit_2(runner, folder, tmp_path, content, says):
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["scan", str(folder), *FAST, "--state", str(state)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {state}: ") and says in lines[0], lines
    assert "Traceback" not in result.output
    assert state.read_text(encoding="utf-8") == content


def test_other_settings_read_everything_again_with_a_note(runner, folder, tmp_path):
    state = str(tmp_path / "state.json")
    report(runner, str(folder), "--state", state)
    result = run(runner, str(folder), "--state", state, "--sample", "5")
    assert "was written with other settings or version: everything is read again" in result.stderr
    assert json.loads(result.stdout)["summary"]["carried_over"] == 0


def test_full_and_change_column_need_state(runner, folder):
    for extra in (["--full"], ["--change-column", "updated_at"]):
        result = runner.invoke(cli, ["scan", str(folder), *FAST, *extra])
        assert result.exit_code == 2 and "need --state FILE" in result.stderr


def test_a_file_that_could_not_be_read_is_read_again(runner, folder, tmp_path):
    (folder / "broken.parquet").write_bytes(b"not parquet at all")
    state = str(tmp_path / "state.json")
    assert run(runner, str(folder), "--state", state).exit_code == 2
    again = run(runner, str(folder), "--state", state)
    assert again.exit_code == 2 and "broken.parquet" in again.stderr
    assert json.loads(again.stdout)["summary"]["carried_over"] == 3


def test_age_facts_are_computed_again_on_another_scan_date(runner, tmp_path):
    data = tmp_path / "kids"
    data.mkdir()
    rows = "".join(f"{i},2015-0{1 + i % 9}-1{i % 10}\n" for i in range(40))
    (data / "members.csv").write_text("member_id,date_of_birth\n" + rows, encoding="utf-8")
    state = str(tmp_path / "state.json")
    options = ["--state", state, "--no-ner", "--fail-on", "none", "--format", "json"]
    first = json.loads(runner.invoke(cli, ["scan", str(data), *options, "--scan-date", "2024-05-01"]).stdout)
    (dob,) = [f for f in first["findings"] if f["age_facts"]]
    assert dob["age_facts"]["under_13"] == 40
    same_day = json.loads(runner.invoke(cli, ["scan", str(data), *options, "--scan-date", "2024-05-01"]).stdout)
    assert same_day["summary"]["carried_over"] == 1
    later = json.loads(runner.invoke(cli, ["scan", str(data), *options, "--scan-date", "2031-05-01"]).stdout)
    assert later["summary"]["carried_over"] == 0
    (dob,) = [f for f in later["findings"] if f["age_facts"]]
    assert dob["age_facts"]["under_13"] < 40


def _people(conn, table: str, n: int, quote: str = '"'):
    conn.exec_driver_sql(
        f"CREATE TABLE {quote}{table}{quote} (id INTEGER PRIMARY KEY, email VARCHAR(80), updated_at VARCHAR(20))"
    )
    for i in range(n):
        conn.exec_driver_sql(
            f"INSERT INTO {quote}{table}{quote} VALUES ({i}, 'p{i}@example.com', '2024-01-01')"
        )


def _tables(data):
    return {t["table"]: t["carried_over"] for t in data["tables"]}


def _database_round(runner, url, tmp_path, engine, quote='"', extra=()):
    with engine.begin() as conn:
        _people(conn, "customers", 30, quote)
        _people(conn, "staff", 25, quote)
    state = str(tmp_path / "db-state.json")
    assert _tables(report(runner, url, "--state", state, *extra)) == {"customers": False, "staff": False}
    assert _tables(report(runner, url, "--state", state, *extra)) == {"customers": True, "staff": True}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE {quote}staff{quote} SET email = 'changed@example.org', updated_at = '2024-02-02' WHERE id = 3"
        )
    again = report(runner, url, "--state", state, *extra)
    assert _tables(again) == {"customers": True, "staff": False}
    assert not any(f["carried_over"] for f in again["findings"] if f["table"] == "staff")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM {quote}customers{quote} WHERE id = 7")
    assert _tables(report(runner, url, "--state", state, *extra)) == {"customers": False, "staff": True}
    return json.loads((tmp_path / "db-state.json").read_text())


def test_sqlite_tables_are_fingerprinted_by_their_rows(runner, tmp_path):
    path = tmp_path / "crm.db"
    sqlite3.connect(path).close()
    stored = _database_round(runner, f"sqlite:///{path}", tmp_path, sa.create_engine(f"sqlite:///{path}"))
    assert set(stored["units"][f"sqlite:///{path}|staff"]["fingerprint"]) == {"rows", "checksum"}


@pytest.mark.postgres
def test_postgresql_tables_are_fingerprinted_by_a_server_checksum(runner, tmp_path, postgres_url):
    engine = sa.create_engine(postgres_url)
    try:
        stored = _database_round(runner, postgres_url, tmp_path, engine)
    finally:
        engine.dispose()
    (key,) = [k for k in stored["units"] if k.endswith("|staff")]
    assert stored["units"][key]["fingerprint"]["rows"] == 25


@pytest.mark.postgres
def test_a_declared_change_column_fingerprints_by_its_maximum(runner, tmp_path, postgres_url):
    engine = sa.create_engine(postgres_url)
    try:
        stored = _database_round(runner, postgres_url, tmp_path, engine, extra=("--change-column", "updated_at"))
    finally:
        engine.dispose()
    (key,) = [k for k in stored["units"] if k.endswith("|staff")]
    assert stored["units"][key]["fingerprint"] == {"rows": 25, "change_column": "updated_at", "max": "2024-02-02"}


@pytest.mark.mysql
def test_mariadb_tables_are_fingerprinted_by_checksum_table(runner, tmp_path, mysql_url):
    engine = sa.create_engine(mysql_url)
    try:
        stored = _database_round(runner, mysql_url, tmp_path, engine, quote="`")
    finally:
        engine.dispose()
    (key,) = [k for k in stored["units"] if k.endswith("|customers")]
    assert stored["units"][key]["fingerprint"]["rows"] == 29


def test_the_state_file_is_replaced_atomically_and_validates(folder, tmp_path):
    options = ScanOptions(ner=False)
    path = tmp_path / "state.json"
    state, _ = load_state(path, options)
    scan([str(folder)], options, state=state)
    save_state(path, state)
    reloaded, matches = load_state(path, options)
    assert matches and reloaded.units.keys() == state.units.keys()
    assert [f.identity for r in reloaded.units.values() for f in r.findings] == [
        f.identity for r in state.units.values() for f in r.findings
    ]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_state_file_kept_inside_the_scanned_folder_is_not_scanned(runner, folder):
    state = str(folder / "scan-state.json")
    report(runner, str(folder), "--state", state)
    again = report(runner, str(folder), "--state", state)
    assert sorted(os.path.basename(t["source"]) for t in again["tables"]) == ["cards.csv", "stock.csv", "subscribers.csv"]
    assert again["summary"]["carried_over"] == 3
