"""`governance scan`: options, exit codes, error lines, output files and masking, on real files and the bundled example."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from report_validation import assert_sarif_valid, schema_validator

from governance.cli import cli
from governance.cli.scan import _ProgressBar, scan_command
from governance.report import FORMATS
from governance.scan.options import ScanOptions

FAST = ["--no-ner", "--scan-date", "2024-05-01"]


@pytest.fixture
def data(fixtures):
    return fixtures / "cli_scan"


def scan(runner, *args):
    return runner.invoke(cli, ["scan", *args], catch_exceptions=False)


def test_help_documents_every_option_and_the_exit_codes(runner):
    result = runner.invoke(cli, ["scan", "--help"])
    assert result.exit_code == 0
    for param in scan_command.params:
        if param.param_type_name == "option":
            assert param.help, f"{param.opts} has no help text"
            assert param.opts[0] in result.stdout
    text = " ".join(result.stdout.split())
    assert "Exit codes:" in text
    assert "0 nothing at or above --fail-on was found" in text
    assert "1 personal data at or above --fail-on was found" in text
    assert "2 bad usage, or a source could not be read" in text


def test_a_file_without_personal_data_exits_0(runner, data):
    result = scan(runner, str(data / "stock.csv"), *FAST)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 finding(s)" in result.stdout
    assert "No personal data found in" in result.stdout


@pytest.mark.parametrize(
    ("file", "fail_on", "code"),
    [
        ("subscribers.csv", None, 0),  # e-mail is medium; the default threshold is high
        ("subscribers.csv", "medium", 1),
        ("subscribers.csv", "low", 1),
        ("cards.csv", None, 1),  # payment cards are critical
        ("cards.csv", "critical", 1),
        ("cards.csv", "none", 0),
    ],
)
def test_exit_code_follows_fail_on(runner, data, file, fail_on, code):
    args = [str(data / file), *FAST] + (["--fail-on", fail_on] if fail_on else [])
    result = scan(runner, *args)
    assert result.exit_code == code, result.stdout + result.stderr


def test_json_report_names_the_column_and_validates(runner, data):
    result = scan(runner, str(data / "subscribers.csv"), str(data / "cards.csv"), *FAST, "--format", "json")
    report = json.loads(result.stdout)
    assert list(schema_validator("scan-report.schema.json").iter_errors(report)) == []
    found = {(f["source"].rsplit("/", 1)[-1], f["column"], f["entity"]) for f in report["findings"]}
    assert ("subscribers.csv", "email", "EMAIL_ADDRESS") in found
    assert ("cards.csv", "card_number", "CREDIT_CARD") in found
    assert report["scan_date"] == "2024-05-01"
    assert report["summary"]["errors"] == 0 and result.exit_code == 1


def test_scan_options_reach_the_scan(runner, data):
    result = scan(
        runner, str(data / "stock.csv"), *FAST, "--format", "json",
        "--sample", "3", "--batch-size", "2", "--include-views", "--model", "en_core_web_sm",
    )  # fmt: skip
    options = json.loads(result.stdout)["options"]
    assert options["ner"] is False and options["sample_rows"] == 3 and options["batch_size"] == 2
    assert options["include_views"] is True and options["model"] == "en_core_web_sm"
    assert options["scan_date"] == "2024-05-01"


def test_an_unreadable_source_exits_2_after_reporting_the_others(runner, data, tmp_path):
    missing = tmp_path / "missing.csv"
    result = scan(runner, str(missing), str(data / "cards.csv"), *FAST, "--format", "json")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {missing}: "), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [e["source"] for e in report["errors"]] == [str(missing)]
    assert any(f["entity"] == "CREDIT_CARD" for f in report["findings"]), "the readable file is still reported"


def test_a_database_password_is_never_printed(runner):
    url = "postgresql+psycopg2://scanner:S3cretPassw0rd@127.0.0.1:1/nowhere"
    result = scan(runner, url, *FAST, "--format", "json")
    assert result.exit_code == 2
    assert "S3cretPassw0rd" not in result.stdout + result.stderr
    assert result.stderr.startswith("error: postgresql+psycopg2://scanner:***@127.0.0.1:1/nowhere: ")
    assert "Traceback" not in result.stderr


def test_a_missing_model_is_one_error_line(runner, data):
    result = runner.invoke(cli, ["scan", str(data / "cards.csv"), "--model", "xx_no_such_model_sm"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_bad_usage_exits_2(runner, data):
    assert scan(runner).exit_code == 2  # no SOURCE
    bad_date = scan(runner, str(data / "stock.csv"), "--scan-date", "01/05/2024")
    assert bad_date.exit_code == 2 and "Invalid value for '--scan-date'" in bad_date.stderr
    assert scan(runner, str(data / "stock.csv"), "--fail-on", "severe").exit_code == 2
    assert scan(runner, str(data / "stock.csv"), "--sample", "0").exit_code == 2


class _Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


PARSERS = {
    "json": json.loads,
    "sarif": lambda text: assert_sarif_valid(json.loads(text)),
    "junit": ET.fromstring,
    "csv": lambda text: list(csv.DictReader(io.StringIO(text))),
    "html": lambda text: _Html().feed(text),
    "table": lambda text: text.index("Total:"),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_output_file_replaces_the_old_one_in_every_format(runner, data, tmp_path, fmt):
    assert set(PARSERS) == set(FORMATS)
    target = tmp_path / "reports" / f"scan.{fmt}"
    target.parent.mkdir()
    target.write_text("old report")
    result = scan(runner, str(data / "cards.csv"), *FAST, "--format", fmt, "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == "", "the report goes to the file, not to standard output"
    assert result.stderr == f"{fmt} report written to {target}\n"
    text = target.read_text(encoding="utf-8")
    PARSERS[fmt](text)
    assert "\x1b[" not in text, "no colour codes in a file"
    assert [p.name for p in target.parent.iterdir()] == [target.name], "no temporary file left behind"


def test_quiet_prints_nothing_but_errors(runner, data, tmp_path):
    result = scan(runner, str(data / "stock.csv"), *FAST, "-q", "-o", str(tmp_path / "r.json"), "--format", "json")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_progress_bar_shows_rows_of_the_expected_total_and_keeps_a_line_per_table():
    bar = _ProgressBar()
    bar("table", "customers.csv")
    bar("expected", 1000)
    bar("rows", 500)
    (task,) = bar.progress.tasks
    assert task.description == "customers.csv" and task.total == 1000 and task.percentage == 50
    assert task.fields["rows"] == "500 of ~1,000 rows"
    bar("rows", 1200)  # the estimate was low: the total follows
    assert bar.progress.tasks[0].total == 1200
    bar("table", "orders.csv")
    bar("expected", None)
    bar("rows", 10)
    first, second = bar.progress.tasks
    assert first.finished and first.completed == 1200
    assert second.total is None and second.fields["rows"] == "10 rows"


def test_every_table_announces_its_expected_row_count(tmp_path):
    from governance.scan.api import scan as run_scan

    rows = 30_000
    (tmp_path / "big.csv").write_text("email,city\n" + "".join(f"u{i}@example.com,Pärnu\n" for i in range(rows)))
    (tmp_path / "small.jsonl").write_text("".join(f'{{"n": {i}}}\n' for i in range(7)))
    db = sqlite3.connect(tmp_path / "shop.db")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"x{i}@example.com") for i in range(321)])
    db.commit()
    db.close()
    events = []
    run_scan([str(tmp_path / "big.csv"), str(tmp_path / "small.jsonl"), f"sqlite:///{tmp_path / 'shop.db'}"],
             ScanOptions(ner=False), progress=lambda event, detail: events.append((event, detail)))
    expected = [detail for event, detail in events if event == "expected"]
    assert len(expected) == 3
    assert expected[1:] == [7, 321]  # exact: a file read whole, and a count of the SQLite table
    assert abs(expected[0] - rows) / rows < 0.05  # estimated from the first 256 KiB
    assert [d for e, d in events if e == "rows"][-1] == 321


def test_the_bundled_example_is_reported_without_raw_values(runner, repo):
    example = repo / "policies" / "example" / "data"
    db = sqlite3.connect(example / "shop.db")
    raw = [row[0] for row in db.execute("SELECT email FROM customers LIMIT 20")]
    raw += [row[0] for row in db.execute("SELECT card_number FROM payment_cards LIMIT 20")]
    db.close()
    assert raw
    outputs = {}
    for fmt in ("json", "table"):
        result = scan(runner, str(example), *FAST, "--format", fmt, "--fail-on", "none")
        assert result.exit_code == 0, result.stderr
        outputs[fmt] = result.stdout
    for fmt, text in outputs.items():
        leaked = [value for value in raw if value and str(value) in text]
        assert not leaked, f"raw values in the {fmt} report: {len(leaked)}"
    report = json.loads(outputs["json"])
    found = {(f["table"], f["entity"]) for f in report["findings"] if f["source"].endswith("shop.db")}
    assert ("payment_cards", "CREDIT_CARD") in found
    assert ("customers", "EMAIL_ADDRESS") in found
    assert "payment_cards" in outputs["table"]


def test_a_file_named_and_inside_a_named_folder_is_read_once(runner, data, tmp_path):
    """`scan exports/x.csv exports/` and `scan exports ./exports/`: each table once, counts not doubled."""
    alone = json.loads(scan(runner, str(data), *FAST, "--format", "json", "--fail-on", "none").output)
    file = next(p for p in sorted(data.iterdir()) if p.suffix == ".csv")
    twice = json.loads(scan(runner, str(file), str(data), f"{data}/./", *FAST, "--format", "json",
                            "--fail-on", "none").output)
    assert len(twice["tables"]) == len(alone["tables"])
    assert len(twice["findings"]) == len(alone["findings"])
