"""The Vietnam pack: its sensitive-data list, the VN jurisdiction condition and the small-business exemption."""

from __future__ import annotations

import pytest
import yaml
from rules_support import load_scan

from governance.inventory.loader import load_inventory
from governance.rules.engine import evaluate
from governance.rules.facts import vn_sensitive, vn_sensitive_categories
from governance.rules.loader import load_rules
from governance.taxonomy import data_categories

RULES = load_rules()
DECREE_356_POINTS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m"]  # Decree 356/2025 Art. 4(1)


def test_sensitive_list_follows_decree_356_and_uses_real_fideslang_keys():
    entries = vn_sensitive_categories()
    assert [e.point for e in entries] == DECREE_356_POINTS
    assert entries[4].citation == "Decree 356/2025/ND-CP Art. 4(1)(đ)"
    unknown = [c for e in entries for c in e.categories if c not in data_categories()]
    assert unknown == []
    # points the taxonomy cannot express say why in a note
    assert all(e.note for e in entries if not e.categories and e.point != "m")


@pytest.mark.parametrize(("category", "point"), [
    ("user.biometric.fingerprint", "đ"),
    ("user.health_and_medical.genetic", "đ"),  # the most specific entry wins over health (d)
    ("user.health_and_medical", "d"),
    ("user.financial.credit_card", "k"),
    ("user.location.precise", "h"),
    ("user.demographic.religious_belief", "b"),
    ("user.location.imprecise", None),
    ("user.government_id.national_identification_number", None),  # the number is basic data (Art. 3(7))
    ("user.behavior.purchase_history", None),
    ("user.contact.email", None),
])
def test_which_categories_are_sensitive(category, point):
    found = vn_sensitive(category)
    assert (found.point if found else None) == point


def _violations(tmp_path, source, *, findings=None, **organization):
    """Evaluate the Vietnam pack on a copy of a fixture inventory with organisation keys changed."""
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw["organization"].update(organization)
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    scan = load_scan(findings) if findings else None
    return {v.rule.id for v in evaluate(load_inventory(path), scan, RULES) if v.rule.pack == "vietnam"}


def test_pack_applies_only_when_jurisdictions_include_vn(fixtures, tmp_path):
    source = fixtures / "rules" / "VN-BREACH-NOTIFICATION-72H" / "fail.yaml"
    assert "VN-BREACH-NOTIFICATION-72H" in _violations(tmp_path, source)
    assert _violations(tmp_path, source, jurisdictions=["US", "EU"]) == set()


def test_small_business_without_sensitive_data_is_exempt_from_dpo_and_impact_assessment(fixtures, tmp_path):
    """Law 91/2025 Art. 38(2)-(3): the exemption ends where sensitive data is processed."""
    directory = fixtures / "rules" / "VN-DATA-PROTECTION-OFFICER"
    assessed = {"VN-DATA-PROTECTION-OFFICER", "VN-PROCESSING-IMPACT-ASSESSMENT"}
    findings = directory / "fail.findings.yaml"  # the scanner finds card numbers: sensitive, Art. 4(1)(k)
    assert assessed <= _violations(tmp_path, directory / "fail.yaml", findings=findings)
    assert not assessed & _violations(tmp_path, directory / "fail.yaml")  # small, nothing sensitive
    assert assessed <= _violations(tmp_path, directory / "fail.yaml", enterprise_size=None)  # size not declared
    assert not assessed & _violations(tmp_path, directory / "fail.yaml", enterprise_size="household_business")
