"""Reporters: golden outputs, JSON schema conformance, JUnit verdicts, CSV safety, and masking in every format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from golden import assert_golden
from report_samples import DB_URL, RAW, SHOP, sample_check, sample_scan
from report_validation import REPORT_SCHEMAS, schema_validator

from governance.report import FORMATS, render
from governance.resources import schema_file
from governance.scan.models import Finding, ScanResult, TableSummary

GOLDEN = Path(__file__).parent / "fixtures" / "report" / "golden"

#: Options that make each format's output byte-for-byte reproducible.
FIXED = {"table": {"width": 100, "color": False}}


def rendered(report, fmt: str, **options) -> str:
    out = io.StringIO()
    render(report, fmt, out, **{**FIXED.get(fmt, {}), **options})
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "suffix"), [("table", "txt"), ("csv", "csv"), ("junit", "xml"), ("json", "json")])
@pytest.mark.parametrize("kind", ["scan", "check"])
def test_golden_outputs(kind, fmt, suffix, update_golden):
    report = sample_scan() if kind == "scan" else sample_check()
    assert_golden(GOLDEN / f"{kind}.{suffix}", rendered(report, fmt), update_golden)


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("kind", ["scan", "check"])
def test_terminal_text_at_each_width_matches_golden(kind, width, update_golden):
    report = sample_scan() if kind == "scan" else sample_check()
    assert_golden(GOLDEN / f"{kind}.{width}.txt", rendered(report, "table", width=width, color=False), update_golden)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_rule_ids_and_locations_are_never_broken(width):
    check = sample_check()
    text = rendered(check, "table", width=width, color=False)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for violation in check.violations:
        assert violation.rule.id in text
        assert violation.location in text or width < 80
    for at, line in enumerate(lines):  # a wrapped "Holds:" list continues under itself
        if line.startswith("  Holds: "):
            for more in lines[at + 1:]:
                if not more.strip() or (more.startswith("  ") and more[2] != " "):  # the next list
                    break
                assert more.startswith(" " * len("  Holds: ")), more


def test_json_report_is_to_dict_and_valid_against_the_schema():
    scan, check = sample_scan(), sample_check()
    assert json.loads(rendered(scan, "json")) == scan.to_dict()
    assert json.loads(rendered(check, "json")) == check.to_dict()
    assert list(schema_validator("scan-report.schema.json").iter_errors(scan.to_dict())) == []
    assert list(schema_validator("check-report.schema.json").iter_errors(check.to_dict())) == []
    empty_check = sample_check()
    empty_check.scan = None
    assert list(schema_validator("check-report.schema.json").iter_errors(empty_check.to_dict())) == []


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["findings"][0].update(severity="urgent"), "'urgent' is not one of"),
        (lambda d: d["findings"][0].update(kind="cell"), "'cell' is not one of"),
        (lambda d: d["findings"][0].pop("examples"), "'examples' is a required property"),
        (lambda d: d["summary"].update(extra=1), "Additional properties are not allowed"),
        (lambda d: d.update(schema_version="2.0"), "does not match"),
        (lambda d: d.update(scan_date="01/05/2024"), "is not a 'date'"),
    ],
)
def test_scan_schema_rejects_malformed_reports(mutate, message):
    data = sample_scan().to_dict()
    mutate(data)
    errors = [e.message for e in schema_validator("scan-report.schema.json").iter_errors(data)]
    assert any(message in e for e in errors), errors


def test_every_schema_property_is_documented():
    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{path}.{name} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}.{key}")

    for name in REPORT_SCHEMAS:
        schema = json.loads(schema_file(name).read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "schema_version" in schema["required"]
        walk(schema, name)


def junit(report, **options) -> ET.Element:
    return ET.fromstring(rendered(report, "junit", **options))


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [
        ("none", set()),
        ("critical", {("customers", "notes"), ("payment_cards", "card_number"), ("payment_cards", "<script>alert(1)</script>")}),
        ("medium", {("customers", "notes"), ("customers", "email"), ("customers", "birth_date"),
                    ("payment_cards", "card_number"), ("payment_cards", "<script>alert(1)</script>"),
                    ("", "phone"), ("", "comment")}),
    ],
)  # fmt: skip
def test_junit_fails_columns_at_or_above_the_threshold(fail_on, failures):
    root = junit(sample_scan(), fail_on=fail_on)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [SHOP, "policies/example/data/exports/purchased_leads.csv", DB_URL]
    failed = {
        (c.get("classname").removeprefix(SHOP).lstrip("."), c.get("name"))
        for c in root.iter("testcase")
        if c.find("failure") is not None
    }
    failed = {(t.removeprefix("policies/example/data/exports/purchased_leads.csv"), col) for t, col in failed}
    assert failed == failures
    # one case per column read, plus one error case for the unreadable database
    assert root.get("tests") == str(5 + 3 + 3 + 2 + 1)
    assert root.get("failures") == str(len(failures))
    (error,) = suites[DB_URL].iter("error")
    assert "cannot connect" in error.get("message")


def test_junit_check_has_a_suite_per_pack_and_a_case_per_rule():
    root = junit(sample_check(), fail_on="high")
    assert [s.get("name") for s in root.iter("testsuite")] == ["coppa", "general", "hipaa", "sources"]
    cases = {c.get("name").split(":")[0]: c for c in root.iter("testcase")}
    assert cases["COPPA-001"].find("failure") is not None
    assert "16 CFR 312.5(a)" in cases["COPPA-001"].find("failure").get("message")
    assert cases["GEN-RET-001"].find("failure") is None
    waived = cases["HIPAA-ENC-001"]
    assert waived.find("failure") is None and "[waived]" in waived.find("system-out").text


def test_csv_has_one_row_per_finding_and_neutralises_formulas():
    rows = list(csv.DictReader(io.StringIO(rendered(sample_scan(), "csv"))))
    findings = [r for r in rows if not r["error"]]
    assert len(findings) == len(sample_scan().findings)
    phone = next(r for r in findings if r["column"] == "phone")
    assert phone["examples"].startswith("'+"), "a cell starting with + must not be a spreadsheet formula"
    leak = next(r for r in findings if r["column"] == "notes")
    assert leak["row_keys"] == "id=4; id=17; id=52"
    assert leak["examples"] == "***-**-6789 | ***-**-1120"
    (error,) = [r for r in rows if r["error"]]
    assert error["source"] == DB_URL


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(sample_scan(), "pdf", io.StringIO())


def test_table_shows_plain_language_and_what_the_exit_code_means():
    text = rendered(sample_scan(), "table", width=300)
    assert "US Social Security number" in text and "in free text" in text
    assert "rows: id=4, id=17, id=52" in text
    assert "7 under 13, 12 under 16 on 2024-05-01" in text
    assert "No personal data found in: orders" in text
    assert f"error: {DB_URL}: cannot connect" in text
    assert "1 source(s) could not be read: the command exits with 2 (3 finding(s) at or above 'high')" in text
    readable = sample_scan()
    readable.errors = []
    assert "3 finding(s) at or above 'high': the command exits with 1" in rendered(readable, "table", width=300)
    assert "never fail the run, so the command exits with 0" in rendered(readable, "table", width=300, fail_on="none")
    readable.findings = [f for f in readable.findings if f.severity in {"low", "medium"}]
    assert "No finding at or above 'high': the command exits with 0" in rendered(readable, "table", width=300)


def test_table_does_not_interpret_markup_from_the_data():
    result = ScanResult(
        started_at="2024-05-01T09:00:00+00:00",
        findings=[Finding("x.csv", "", "[bold red]boom[/]", "user.contact.email", "EMAIL_ADDRESS", 1.0, 1, 1, 1,
                          examples=["j***@e***.com"])],
        tables=[TableSummary("x.csv", "", 1, ["[bold red]boom[/]"])],
    )  # fmt: skip
    assert "[bold red]boom[/]" in rendered(result, "table", width=200)


def all_outputs(report) -> dict[str, str]:
    return {fmt: rendered(report, fmt) for fmt in FORMATS}


@pytest.mark.parametrize("kind", ["scan", "check"])
def test_no_raw_value_appears_in_any_format(kind):
    report = sample_scan() if kind == "scan" else sample_check()
    raw_values = [value for values in RAW.values() for value in values]
    for fmt, text in all_outputs(report).items():
        for value in raw_values:
            assert value not in text, f"raw value {value!r} leaked into the {fmt} report"


def test_masked_examples_are_what_the_reports_show():
    scan = sample_scan()
    ssn = next(f for f in scan.findings if f.entity == "US_SSN")
    assert ssn.examples == ["***-**-6789", "***-**-1120"]
    for fmt in ("table", "csv", "html", "json", "sarif", "junit"):
        text = rendered(scan, fmt, fail_on="info")
        assert "***-**-6789" in text, fmt
