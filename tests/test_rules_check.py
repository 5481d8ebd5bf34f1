"""run_check on the bundled example, waivers (with expiry), baselines, and the engine over scan findings."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml
from rules_support import load_scan

from governance.errors import ConfigError
from governance.inventory.loader import load_inventory
from governance.rules.baseline import load_baseline, write_baseline
from governance.rules.check import CheckOptions, run_check
from governance.rules.engine import evaluate
from governance.rules.loader import load_rules
from governance.rules.waivers import load_waivers

PACKS = {"canspam", "coppa", "hipaa", "general", "gdpr", "ccpa"}


def _by_rule(violations):
    out = {}
    for v in violations:
        out.setdefault(v.rule.id, []).append(v)
    return out


@pytest.fixture
def example(repo):
    return repo / "policies" / "example"


@pytest.fixture
def example_copy(example, tmp_path):
    target = tmp_path / "policies"
    target.mkdir()
    shutil.copy(example / "inventory.yaml", target / "inventory.yaml")
    return target


def test_declarations_only_check_of_the_example(example):
    result = run_check(example, CheckOptions(scan=False))
    assert result.scan is None
    rules = _by_rule(result.violations)
    (opt_out,) = rules["CANSPAM-OPT-OUT-10-DAYS"]
    assert opt_out.target == "purpose:marketing_email"
    assert opt_out.location.startswith(str(example / "inventory.yaml") + ":")
    assert "within 14 business days" in opt_out.message
    assert [v.target for v in rules["HIPAA-BAA"]] == ["recipient:claims_processor"]
    assert [v.target for v in rules["CCPA-SALE-OPT-OUT"]] == ["recipient:ad_partner"]
    assert [v.target for v in rules["GEN-FIELD-PURPOSE"]] == ["dataset:customers.gender"]
    assert {r.pack for r in result.rules} == PACKS | {"disclosures", "vietnam"}  # vietnam is loaded; it applies only to VN
    assert result.violations[0].severity == "critical"  # most severe first


def test_scan_findings_bring_every_pack_into_the_example(example, fixtures):
    scan = load_scan(fixtures / "rules_waivers" / "example_scan.yaml")
    violations = evaluate(load_inventory(example), scan, load_rules())
    rules = _by_rule(violations)
    assert {v.rule.pack for v in violations} == PACKS
    (kids,) = rules["COPPA-ACTUAL-KNOWLEDGE"]
    assert kids.target == "dataset:newsletter_signups.date_of_birth:column:DATE_OF_BIRTH"
    assert "5 of 40 dates of birth" in kids.message
    assert {v.target for v in rules["HIPAA-SAFE-HARBOR-FOUND"]} == {
        "dataset:research_extract.patient_zip:column:POSTAL_CODE",
        "dataset:research_extract.birth_date:column:DATE_OF_BIRTH",
    }
    assert {v.field for v in rules["GEN-UNDECLARED-PERSONAL-DATA"]} == {"patient_zip", "birth_date"}
    assert {v.target for v in rules["GEN-PLAINTEXT-SECRET-FOUND"]} == {
        "dataset:user_accounts.password:column:PASSWORD", "dataset:payment_cards.card_number:column:CREDIT_CARD",
    }
    (leak,) = rules["GEN-FREE-TEXT-LEAK"]
    assert leak.dataset == "support_tickets" and "US Social Security number" in leak.message
    assert "COPPA-PARENTAL-CONSENT" in rules and "COPPA-NO-INDEFINITE-RETENTION" in rules
    assert "customers.email" not in " ".join(v.target for v in rules["GEN-UNDECLARED-PERSONAL-DATA"])


def test_waivers_apply_until_they_expire(example, fixtures):
    waivers = fixtures / "rules_waivers" / "waivers.yaml"
    result = run_check(example, CheckOptions(scan=False, waivers=waivers, today=date(2026, 6, 1)))
    transfers = {v.target: v for v in result.violations if v.rule.id == "GDPR-TRANSFER-SAFEGUARDS"}
    couriers, claims = transfers["recipient:couriers"], transfers["recipient:claims_processor"]
    assert couriers.status == "waived" and couriers.waiver.owner == "privacy@cornerbloom.example"
    assert couriers.waiver.expires == "2027-01-31"
    assert claims.status == "open"
    assert f"The waiver at {waivers}:8 owned by pharmacy-lead@cornerbloom.example expired on 2026-01-31" in claims.message
    assert transfers["recipient:ad_partner"].status == "open" and transfers["recipient:ad_partner"].waiver is None

    later = run_check(example, CheckOptions(scan=False, waivers=waivers, today=date(2027, 2, 1)))
    assert all(v.status == "open" for v in later.violations if v.rule.id == "GDPR-TRANSFER-SAFEGUARDS")


def test_waivers_yaml_beside_a_directory_inventory_is_used_by_default(example_copy, fixtures):
    shutil.copy(fixtures / "rules_waivers" / "waivers.yaml", example_copy / "waivers.yaml")
    result = run_check(example_copy, CheckOptions(scan=False, today=date(2026, 6, 1)))
    assert [v.target for v in result.violations if v.status == "waived"] == ["recipient:couriers"]


def test_bad_waiver_file_names_file_line_and_key(fixtures):
    path = fixtures / "rules_waivers" / "bad_waivers.yaml"
    with pytest.raises(ConfigError) as info:
        load_waivers(path)
    assert info.value.details == [
        f"{path}:2: waivers[0].owner: Field required",
        f"{path}:5: waivers[0].expires: not a date; write it as YYYY-MM-DD",
        f"{path}:6: waivers[0].approved_by: unknown key (see governance/schemas/waivers.schema.json)",
    ]


def test_baseline_fails_only_on_new_violations(example_copy, tmp_path):
    first = run_check(example_copy, CheckOptions(scan=False))
    baseline = tmp_path / "baseline.yaml"
    count = write_baseline(first.violations, baseline)
    assert count == len(first.violations) and len(load_baseline(baseline)) == count
    assert yaml.safe_load(baseline.read_text())["violations"][0].keys() == {"rule", "target", "message"}

    inventory = example_copy / "inventory.yaml"
    inventory.write_text(inventory.read_text().replace("honoured_within_business_days: 14", "honoured_within_business_days: 10")
                         .replace("opt_out_available: false", "opt_out_available: false\n    transfer_safeguard: SCC")
                         .replace("works_for_days_after_send: 30", "works_for_days_after_send: 20"))
    second = run_check(example_copy, CheckOptions(scan=False, baseline=baseline))
    open_ = [v for v in second.open_violations()]
    assert [(v.rule.id, v.target) for v in open_] == [("CANSPAM-OPT-OUT-30-DAYS", "purpose:marketing_email")]
    assert all(v.status == "baseline" for v in second.violations if v not in open_)
    assert not any(v.rule.id == "CANSPAM-OPT-OUT-10-DAYS" for v in second.violations)


def test_a_bad_baseline_file_is_a_config_error(tmp_path):
    path = tmp_path / "baseline.yaml"
    path.write_text("violations:\n  - {rule: GEN-FIELD-PURPOSE}\n")
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert info.value.where == f"{path}:2: violations[0]"
