"""Evidence read from the data (governance.rules.evidence) and the facts and rules built on it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from rules_support import load_scan

from governance.inventory.loader import load_inventory
from governance.rules.engine import evaluate
from governance.rules.evidence import consent_age, generalisation_failures, generalisations
from governance.rules.facts import build_facts, hipaa_identifier
from governance.rules.loader import load_rules

RULES = load_rules()
ON = date(2026, 11, 1)
ORG = {"name": "Test Co", "postal_address": "1 Main Street, Springfield, IL 62704, USA",
       "privacy_contact": {"email": "privacy@test.example"}, "jurisdictions": ["US", "EU"]}


def _write(tmp_path: Path, inventory: dict, files: dict[str, str], findings: list | None = None):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "inventory.yaml").write_text(yaml.safe_dump(inventory, sort_keys=False), encoding="utf-8")
    (tmp_path / "scan.yaml").write_text(yaml.safe_dump(findings or []), encoding="utf-8")
    return load_inventory(tmp_path / "inventory.yaml"), load_scan(tmp_path / "scan.yaml")


# --------------------------------------------------------------------------- data files


def test_national_ages_of_digital_consent():
    assert consent_age("FR") == 15 and consent_age("NL") == 16 and consent_age("BE") == 13
    assert consent_age("PT") == 16  # EEA country with no recorded age: the regulation's 16
    assert consent_age("US") is None  # Art. 8 is about children in the Union


def test_restricted_zip3_prefixes_are_the_seventeen_of_hhs():
    assert len(generalisations()["zip3"]["restricted"]) == 17
    assert generalisation_failures("zip3", ["036", "000", "941", "05401", ""], ON) == 2


@given(st.integers(min_value=1900, max_value=2026))
def test_a_birth_year_fails_exactly_when_it_shows_an_age_over_89(year):
    assert generalisation_failures("year", [str(year)], ON) == (ON.year - year > 89)


@given(st.integers(min_value=0, max_value=120))
def test_an_age_band_fails_exactly_when_it_shows_an_age_over_89(age):
    assert generalisation_failures("age_band", [str(age)], ON) == (age > 89)
    assert generalisation_failures("age_band", ["90+", "90 or older", "30-39"], ON) == 0


def test_ages_are_a_safe_harbor_identifier_only_over_89():
    assert hipaa_identifier(None, "user.demographic.age_range") is None
    assert hipaa_identifier("DATE_OF_BIRTH", None).paragraph == "C"
    assert hipaa_identifier(None, "user.demographic.date_of_birth", "year") is None
    assert hipaa_identifier(None, "user.contact.address.postal_code", "zip3") is None
    assert hipaa_identifier(None, "user.contact.address.postal_code", "year").paragraph == "B"


# --------------------------------------------------------------------------- children through references


def _club(tmp_path, parent_consent: bool = False):
    inventory = {
        "organization": ORG,
        "purposes": [{"id": "letters", "data_use": "marketing.communications.email", "description": "Letters",
                      "legal_basis": "consent", "consent_mechanism": "opt-in"}],
        "datasets": [
            {"id": "people", "location": {"path": "people.csv"}, "primary_key": ["pid"], "retention": "P1Y",
             "fields": [{"name": "pid", "category": "user.unique_id"},
                        {"name": "born", "category": "user.demographic.date_of_birth"},
                        {"name": "land", "category": "user.contact.address.country"}]},
            # refers to people (child -> parent direction)
            {"id": "subscriptions", "location": {"path": "subscriptions.csv"}, "retention": "P1Y",
             "references": [{"field": "person", "dataset": "people", "to_field": "pid"}],
             "fields": [{"name": "person", "category": "user.unique_id", "purposes": ["letters"]},
                        {"name": "sid", "personal": False}]},
            # referred to by subscriptions: reached only transitively
            {"id": "deliveries", "location": {"path": "deliveries.csv"}, "retention": "P1Y",
             "references": [{"field": "subscription", "dataset": "subscriptions", "to_field": "sid"}],
             "fields": [{"name": "subscription", "personal": False}]},
        ],
        **({"children": {"gdpr_parental_consent": "a parent confirms by e-mail"}} if parent_consent else {}),
    }
    files = {
        "people.csv": "pid,born,land\n1,2016-04-18,US\n2,2012-06-14,France\n3,1980-01-01,FR\n4,2011-03-08,FR\n",
        "subscriptions.csv": "sid,person\n10,1\n11,2\n12,3\n13,1\n",
        "deliveries.csv": "subscription\n10\n10\n12\n11\n",
    }
    return _write(tmp_path, inventory, files)


def test_children_are_followed_through_references(tmp_path):
    loaded, scan = _club(tmp_path)
    facts = {d.id: d for d in build_facts(loaded, scan).datasets}
    people, subs, deliveries = facts["people"], facts["subscriptions"], facts["deliveries"]
    assert (people.children_under_13, people.children_under_16, people.children_below_consent_age) == (1, 3, 1)
    assert people.children_evidence == "people.born"
    # rows 10 and 13 belong to the 10-year-old, row 11 to the 14-year-old in France (below 15)
    assert (subs.children_under_13, subs.children_under_16, subs.children_below_consent_age) == (2, 3, 1)
    assert subs.children_evidence == "people.born through subscriptions.person = people.pid"
    assert deliveries.children_evidence == "people.born through subscriptions.person = people.pid through deliveries.subscription = subscriptions.sid"
    assert (deliveries.children_under_13, deliveries.children_under_16) == (2, 3)


def test_without_a_scan_nothing_is_read(tmp_path):
    loaded, _ = _club(tmp_path)
    facts = {d.id: d for d in build_facts(loaded, None).datasets}
    assert facts["subscriptions"].children_under_13 == 0 and facts["subscriptions"].children_evidence == ""


def test_gdpr_child_consent_needs_a_parent_for_consent_based_processing(tmp_path):
    loaded, scan = _club(tmp_path)
    targets = sorted(v.target for v in evaluate(loaded, scan, RULES) if v.rule.id == "GDPR-CHILD-CONSENT")
    assert targets == ["dataset:subscriptions"]  # people's fields serve no consent-based purpose
    fixed, scan = _club(tmp_path, parent_consent=True)
    assert not [v for v in evaluate(fixed, scan, RULES) if v.rule.id == "GDPR-CHILD-CONSENT"]


def test_an_unreadable_dataset_gives_no_evidence_and_says_why(tmp_path):
    loaded, scan = _club(tmp_path)
    (tmp_path / "people.csv").unlink()
    facts = {d.id: d for d in build_facts(loaded, scan).datasets}
    assert facts["subscriptions"].children_under_13 == 0
    assert "file not found" in facts["people"].evidence_unreadable


# --------------------------------------------------------------------------- own names, generalised fields


@pytest.mark.parametrize(("values", "flagged"), [
    (["newsletter", "Test Co", "kids-club", "TEST CO"], False),
    (["newsletter", "Maren Holt"], True),
])
def test_a_column_of_the_organisations_own_names_is_not_undeclared_personal_data(tmp_path, values, flagged):
    inventory = {
        "organization": {**ORG, "own_names": ["newsletter", "kids-club"]},
        "datasets": [{"id": "mail", "location": {"path": "mail.csv"}, "retention": "P1Y",
                      "fields": [{"name": "list_name", "personal": False}]}],
    }
    finding = {"source": "mail.csv", "column": "list_name", "entity": "PERSON", "matched": len(values),
               "non_empty": len(values), "confidence": 0.95}
    loaded, scan = _write(tmp_path, inventory, {"mail.csv": "list_name\n" + "\n".join(values) + "\n"}, [finding])
    found = [v for v in evaluate(loaded, scan, RULES) if v.rule.id == "GEN-UNDECLARED-PERSONAL-DATA"]
    assert bool(found) is flagged


def test_field_level_safe_harbor_declaration_is_honoured(tmp_path):
    inventory = {
        "organization": {**ORG, "hipaa_role": "covered_entity"},
        "purposes": [{"id": "stats", "data_use": "analytics.reporting", "description": "Counts",
                      "legal_basis": "legitimate_interests", "legitimate_interest": "planning"}],
        "datasets": [{"id": "export", "location": {"path": "export.csv"}, "retention": "P1Y", "fields": [
            {"name": "zip3", "category": "user.contact.address.postal_code", "purposes": ["stats"],
             "deidentified": "safe_harbor", "generalised": "zip3"},
            {"name": "phone", "category": "user.contact.phone_number", "purposes": ["stats"],
             "deidentified": "safe_harbor"},
        ]}],
    }
    loaded, scan = _write(tmp_path, inventory, {"export.csv": "zip3,phone\n054,x\n"})
    declared = [v.target for v in evaluate(loaded, scan, RULES) if v.rule.id == "HIPAA-SAFE-HARBOR-DECLARED"]
    assert declared == ["dataset:export.phone"]
