"""SARIF reporter: valid against the OASIS SARIF 2.1.0 schema kept in the repo, and shaped for GitHub code scanning."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from report_samples import DB_URL, SHOP, sample_check, sample_scan
from report_validation import assert_sarif_valid as assert_valid

from governance.report import render
from governance.report.sarif import FINGERPRINT_KEY, SEVERITY_LEVELS
from governance.taxonomy import SEVERITIES, entities


def sarif(report, base_dir) -> dict:
    out = io.StringIO()
    render(report, "sarif", out, base_dir=base_dir)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("make", [sample_scan, sample_check])
def test_sarif_is_valid_against_the_stored_schema(make, repo):
    log = sarif(make(), repo)
    assert_valid(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "governance" and driver["version"] and driver["informationUri"].startswith("https://")


def test_the_schema_catches_a_broken_log(repo):
    log = sarif(sample_scan(), repo)
    log["runs"][0]["results"][0]["level"] = "critical"
    with pytest.raises(AssertionError, match="is not one of"):
        assert_valid(log)


def test_scan_rules_are_one_per_entity_with_levels_from_the_severity_table(repo):
    run = sarif(sample_scan(), repo)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f"personal-data/{e}" for e in entities()]
    email = next(r for r in rules if r["id"] == "personal-data/EMAIL_ADDRESS")
    assert email["name"] == "EmailAddress"
    assert "e-mail address" in email["shortDescription"]["text"]
    assert "user.contact.email" in email["fullDescription"]["text"] and email["help"]["text"]
    assert email["defaultConfiguration"]["level"] == "warning"  # user.contact -> medium -> warning
    assert "user.contact.email" in email["properties"]["tags"]
    assert set(SEVERITY_LEVELS) == set(SEVERITIES)
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] == SEVERITY_LEVELS[result["properties"]["severity"]][0]


def test_scan_locations_are_repo_relative_files_and_masked_database_urls(repo):
    scan = sample_scan()
    scan.findings.append(
        dataclasses.replace(scan.findings[0], source=DB_URL, table="public.customers", column="e mail")
    )
    results = sarif(scan, repo)["runs"][0]["results"]
    by_column = {r["locations"][0]["logicalLocations"][-1]["name"]: r["locations"][0] for r in results}
    email = by_column["email"]
    assert email["physicalLocation"]["artifactLocation"]["uri"] == SHOP
    assert [(loc["kind"], loc["fullyQualifiedName"]) for loc in email["logicalLocations"]] == [
        ("table", "customers"),
        ("column", "customers.email"),
    ]
    phone = by_column["phone"]
    assert phone["physicalLocation"]["artifactLocation"]["uri"] == "policies/example/data/exports/purchased_leads.csv"
    assert [loc["kind"] for loc in phone["logicalLocations"]] == ["column"]
    database = by_column["e mail"]
    assert database["physicalLocation"]["artifactLocation"]["uri"] == f"{DB_URL}#public.customers"


def test_files_outside_the_base_become_file_uris(tmp_path, repo):
    scan = sample_scan()
    outside = tmp_path / "elsewhere" / "people.csv"
    scan.findings = [dataclasses.replace(scan.findings[0], source=str(outside), table="")]
    (result,) = sarif(scan, repo)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == outside.resolve().as_uri()


def test_fingerprints_come_from_the_identity_and_survive_edits(repo):
    first = sarif(sample_scan(), repo)["runs"][0]["results"]
    edited = sample_scan()
    for finding in edited.findings:  # more rows, different counts and examples: same identity
        finding.matched += 5
        finding.non_empty += 10
        finding.rows_scanned += 10
        finding.examples = finding.examples[:1]
        finding.row_keys = [key + "0" for key in finding.row_keys]
    second = sarif(edited, repo)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert len(set(prints)) == len(prints), "each finding has its own fingerprint"
    moved = sample_scan()
    moved.findings[0].column = "e_mail"
    assert sarif(moved, repo)["runs"][0]["results"] != first


def test_check_rules_carry_citation_and_remediation_as_help(repo):
    log = sarif(sample_check(), repo)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"COPPA-001", "HIPAA-ENC-001", "GEN-RET-001", "GEN-VENDOR-001"}
    coppa = rules["COPPA-001"]
    assert "16 CFR 312.5(a)" in coppa["help"]["text"]
    assert "parental-consent mechanism" in coppa["help"]["text"]
    assert coppa["defaultConfiguration"]["level"] == "error"
    assert rules["GEN-RET-001"]["defaultConfiguration"]["level"] == "warning"
    results = {r["ruleId"]: r for r in run["results"] if r["kind"] == "fail"}
    assert set(results) == {"COPPA-001", "HIPAA-ENC-001"}
    states = {r["ruleId"]: (r["kind"], r["level"], r["message"]["text"]) for r in run["results"] if r["kind"] != "fail"}
    assert states == {
        "GEN-RET-001": ("pass", "none", "GEN-RET-001 holds: its check ran on 3 item(s) and held on each."),
        "GEN-VENDOR-001": ("notApplicable", "none", "GEN-VENDOR-001 is not applicable: no recipient it applies to is declared."),
    }
    data = results["COPPA-001"]["locations"][0]
    assert data["physicalLocation"]["artifactLocation"]["uri"] == SHOP
    assert data["logicalLocations"][-1]["fullyQualifiedName"] == "customers.birth_date"
    inventory = results["HIPAA-ENC-001"]["locations"][0]["physicalLocation"]
    assert inventory == {"artifactLocation": {"uri": "policies/example/inventory.yaml"}, "region": {"startLine": 42}}
    (suppression,) = results["HIPAA-ENC-001"]["suppressions"]
    assert suppression["kind"] == "external" and "Disk encryption rollout" in suppression["justification"]
    assert "suppressions" not in results["COPPA-001"]


def test_unreadable_sources_are_error_notifications(repo):
    (invocation,) = sarif(sample_scan(), repo)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith(f"{DB_URL}: cannot connect")
    clean = sample_scan()
    clean.errors = []
    assert sarif(clean, repo)["runs"][0]["invocations"] == [{"executionSuccessful": True}]
