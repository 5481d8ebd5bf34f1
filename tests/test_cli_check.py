"""`governance check`, `governance rules` and `governance taxonomy` through click's CliRunner,
plus the CI files that run them (GitHub workflow, pre-commit hook) and the exported schemas."""

from __future__ import annotations

import json
import shlex
import shutil

import pytest
import yaml

from governance.cli import COMMANDS, cli
from governance.rules.schemas import SCHEMAS, schema_text
from governance.resources import schema_file

PACKS = {"canspam", "coppa", "hipaa", "general", "gdpr", "ccpa"}


def _json(result) -> dict:
    return json.loads(result.output)


@pytest.fixture
def example(repo):
    return str(repo / "policies" / "example")


def test_check_without_scan_reports_declaration_violations(runner, example):
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = _json(result)
    packs = {v["pack"] for v in report["violations"]}
    assert packs == PACKS - {"coppa"}  # COPPA needs the scan's dates of birth in this example
    assert report["scan"] is None
    ids = {(v["rule_id"], v["target"]) for v in report["violations"]}
    assert ("HIPAA-BAA", "recipient:claims_processor") in ids
    assert ("CANSPAM-OPT-OUT-10-DAYS", "purpose:marketing_email") in ids


def test_fail_on_threshold_and_disable(runner, example):
    args = ["check", "--inventory", example, "--no-scan", "--format", "json", "--fail-on", "critical"]
    assert runner.invoke(cli, args).exit_code == 1  # GEN-SECRETS-PROTECTED is critical
    result = runner.invoke(cli, args + ["--disable", "GEN-SECRETS-PROTECTED"])
    assert result.exit_code == 0, result.output
    assert "GEN-SECRETS-PROTECTED" not in {v["rule_id"] for v in _json(result)["violations"]}
    assert runner.invoke(cli, args[:-1] + ["none"]).exit_code == 0
    default = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "json",
                                  "--disable", "general", "--disable", "gdpr", "--disable", "ccpa", "--disable", "hipaa",
                                  "--disable", "CANSPAM-OPT-OUT-10-DAYS", "--disable", "CANSPAM-VENDOR-RESPONSIBILITY"])
    assert [v["severity"] for v in _json(default)["violations"]] == ["medium"] and default.exit_code == 0  # default: high


def test_write_baseline_then_check_against_it(runner, example, tmp_path):
    baseline = tmp_path / "baseline.yaml"
    first = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "json",
                                "--write-baseline", str(baseline)])
    assert first.exit_code == 0 and baseline.exists()
    second = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "json",
                                 "--baseline", str(baseline)])
    assert second.exit_code == 0
    summary = _json(second)["summary"]
    assert summary["open"] == 0 and summary["baseline"] == summary["violations"] > 0


def test_sarif_output_file_and_user_rules(runner, example, fixtures, tmp_path):
    out = tmp_path / "results.sarif"
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "sarif",
                                 "--output", str(out), "--rules", str(fixtures / "rules_user")])
    assert result.exit_code == 1 and result.output.strip() == f"sarif report written to {out}"
    run = json.loads(out.read_text())["runs"][0]
    assert "ACME-OPT-OUT-5-DAYS" in {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "ACME-OPT-OUT-5-DAYS" in {r["ruleId"] for r in run["results"]}


def test_bad_inventory_exits_2_with_file_line_and_key(runner, tmp_path, repo):
    inventory = tmp_path / "inventory.yaml"
    text = (repo / "policies" / "example" / "inventory.yaml").read_text()
    inventory.write_text(text.replace("  hipaa_role: covered_entity", "  hipaa_role: covered"))
    result = runner.invoke(cli, ["check", "--inventory", str(inventory), "--no-scan"])
    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "hipaa_role:" in t)
    assert f"error: {inventory}:{line}: organization.hipaa_role" in result.output
    assert "Traceback" not in result.output


def test_unknown_disable_and_bad_rule_dir_exit_2(runner, example, fixtures):
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--disable", "NOPE"])
    assert result.exit_code == 2 and "no rule pack or rule id named 'NOPE'" in result.output
    bad = fixtures / "rules_bad" / "unknown_key"
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--rules", str(bad)])
    assert result.exit_code == 2 and "severty: unknown key" in result.output


def test_expired_waiver_fails_again(runner, example, fixtures, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    shutil.copy(fixtures / "rules_waivers" / "waivers.yaml", waivers)
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-scan", "--format", "json", "--waivers", str(waivers)])
    violations = {(v["rule_id"], v["target"]): v for v in _json(result)["violations"]}
    claims = violations[("GDPR-TRANSFER-SAFEGUARDS", "recipient:claims_processor")]
    assert claims["status"] == "open" and "expired on 2026-01-31" in claims["message"]


def test_check_scans_the_example_and_finds_every_pack(runner, example):
    result = runner.invoke(cli, ["check", "--inventory", example, "--no-ner", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = _json(result)
    assert {v["pack"] for v in report["violations"]} == PACKS | {"disclosures"}
    ids = {(v["rule_id"], v["target"]) for v in report["violations"]}
    # the scan proves children under 13, so the COPPA online notice (16 CFR 312.4(d)) is required
    assert ("DISCLOSE-COPPA-312-10", "children") in ids
    assert ("COPPA-ACTUAL-KNOWLEDGE", "dataset:newsletter_signups.date_of_birth:column:DATE_OF_BIRTH") in ids
    assert ("HIPAA-SAFE-HARBOR-FOUND", "dataset:research_extract.patient_zip:column:POSTAL_CODE") in ids
    assert ("HIPAA-SAFE-HARBOR-FOUND", "dataset:research_extract.birth_date:column:DATE_OF_BIRTH") in ids
    assert ("GEN-PLAINTEXT-SECRET-FOUND", "dataset:user_accounts.password:column:PASSWORD") in ids
    assert report["scan"]["errors"] == []


# --------------------------------------------------------------------------- rules / taxonomy


def test_rules_list_show_validate(runner, fixtures, repo):
    listed = runner.invoke(cli, ["rules", "list"])
    assert listed.exit_code == 0
    assert "HIPAA-SAFE-HARBOR-FOUND" in listed.output and "45 CFR 164.514(b)(2)(i)" in listed.output
    shown = runner.invoke(cli, ["rules", "show", "CANSPAM-OPT-OUT-10-DAYS"])
    assert shown.exit_code == 0 and "15 U.S.C. 7704(a)(4)(A)" in shown.output and "honoured_within_business_days" in shown.output
    assert runner.invoke(cli, ["rules", "show", "NOPE-RULE"]).exit_code == 2
    lower = runner.invoke(cli, ["rules", "show", "canspam-opt-out-10-days"])
    assert lower.exit_code == 0 and lower.output == shown.output
    # every id `check` can report is known, including the privacy-policy disclosures
    disclosure = runner.invoke(cli, ["rules", "show", "disclose-gdpr-13-1-a"])
    assert disclosure.exit_code == 0, disclosure.output
    assert "DISCLOSE-GDPR-13-1-A" in disclosure.output and "GDPR Art. 13(1)(a)" in disclosure.output
    assert "DISCLOSE-GDPR-13-1-A" in listed.output and "DISCLOSE-COPPA-312-10" in listed.output
    valid = runner.invoke(cli, ["rules", "validate", str(fixtures / "rules_user")])
    assert valid.exit_code == 0 and "1 rules in 1 pack(s) (acme) are valid" in valid.output
    bad = runner.invoke(cli, ["rules", "validate", str(fixtures / "rules_bad" / "bad_condition")])
    assert bad.exit_code == 2 and "check.all[0].path" in bad.output
    builtin = runner.invoke(cli, ["rules", "validate", str(repo / "rules")])
    assert builtin.exit_code == 0 and "70 rules in 7 pack(s)" in builtin.output


def test_taxonomy_lists_fideslang_keys(runner):
    result = runner.invoke(cli, ["taxonomy", "data-uses", "--under", "marketing.communications"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [
        "marketing.communications", "marketing.communications.email", "marketing.communications.sms"]
    assert "patient" in runner.invoke(cli, ["taxonomy", "data-subjects"]).output
    assert runner.invoke(cli, ["taxonomy", "data-categories", "--under", "user.nothing"]).exit_code == 2


# --------------------------------------------------------------------------- CI files and schemas


def _assert_runs_our_cli(command: str) -> None:
    args = shlex.split(command)
    assert args[0] == "governance" and args[1] in COMMANDS
    ctx = cli.make_context("governance", args[1:2], resilient_parsing=True)
    sub = cli.get_command(ctx, args[1])
    sub.make_context(args[1], args[2:])  # raises click.UsageError on an unknown option


def test_github_workflow_runs_check_and_uploads_sarif(repo):
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "privacy-check.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [s["run"] for s in steps if "governance " in s.get("run", "")]
    assert len(runs) == 1 and "--format sarif --output results.sarif" in runs[0]
    _assert_runs_our_cli(runs[0])
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "results.sarif" and upload["if"] == "always()"


def test_pre_commit_hook_runs_check(repo):
    (hook,) = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "governance-check" and hook["pass_filenames"] is False
    _assert_runs_our_cli(hook["entry"])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schemas_equal_the_models(name, update_golden):
    path = schema_file(name)
    if update_golden:
        path.write_text(schema_text(name), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == schema_text(name), "run pytest --update-golden to refresh"


def test_rules_readme_documents_every_rule_operator_and_derived_fact(repo):
    """Docs as tests: rules/README.md lists each built-in rule, each operator and each derived fact."""
    from governance.rules.conditions import OPERATORS
    from governance.rules.facts import TARGETS
    from governance.rules.loader import load_rules

    readme = (repo / "rules" / "README.md").read_text()
    missing = [r.id for r in load_rules().rules if f"`{r.id}`" not in readme]
    missing += [op for op in OPERATORS if f"`{op}`" not in readme]
    for view in filter(None, TARGETS.values()):
        for attr in view.DERIVED:
            if f"{view.NAME}.{attr}" not in readme:
                missing.append(f"{view.NAME}.{attr}")
    assert missing == []


def test_a_declared_dataset_that_cannot_be_scanned_exits_2(runner, repo, tmp_path):
    shutil.copy(repo / "policies" / "example" / "inventory.yaml", tmp_path / "inventory.yaml")
    out = tmp_path / "report.json"
    result = runner.invoke(cli, ["check", "--inventory", str(tmp_path), "--no-ner", "--format", "json", "--output", str(out)])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'data' / 'exports' / 'purchased_leads.csv'}: no such file or folder" in result.output
    assert len(json.loads(out.read_text())["scan"]["errors"]) == 5  # the report is still written
