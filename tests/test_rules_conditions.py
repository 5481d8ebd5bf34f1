"""The condition language: operators, quantifiers, load-time path checks, messages, and its JSON Schema."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.inventory.models import OptOut, Organization, Purpose
from governance.rules.conditions import condition_json_schema, parse_condition, render_message
from governance.rules.facts import ROOT_SCOPE, target_scope
from governance.taxonomy import data_categories

SCOPE = target_scope("purpose")


class _PurposeView:
    """Just enough of a purpose view for evaluating conditions in these tests."""

    def __init__(self, purpose: Purpose):
        self.model = purpose

    def __getattr__(self, name):
        return getattr(self.model, name)


def _ctx(**purpose) -> dict:
    p = Purpose(id="news", data_use="marketing.communications.email", description="d", legal_basis="consent", **purpose)
    org = Organization(name="Co", postal_address="1 Main St", privacy_contact={"email": "p@x.example"}, jurisdictions=["US", "US-CA"])
    return {"purpose": _PurposeView(p), "purposes": [p], "organization": org}


def holds(raw, **purpose) -> bool:
    cond, problems = parse_condition(raw, ("check",), SCOPE)
    assert problems == []
    return cond.holds(_ctx(**purpose))


@pytest.mark.parametrize("raw, expected", [
    ({"path": "purpose.legal_basis", "equals": "consent"}, True),
    ({"path": "purpose.legal_basis", "not_equals": "consent"}, False),
    ({"path": "purpose.legal_basis", "in": ["contract", "consent"]}, True),
    ({"path": "purpose.legal_basis", "not_in": ["contract", "consent"]}, False),
    ({"path": "purpose.opt_out", "exists": False}, True),
    ({"path": "purpose.opt_out.honoured_within_business_days", "lte": 10}, False),  # missing is not <= 10
    ({"path": "organization.postal_address", "matches": r"^\d+ "}, True),
    ({"path": "purpose.data_use", "matches_category": "marketing.communications"}, True),
    ({"path": "purpose.data_use", "matches_category": ["essential", "analytics"]}, False),
    ({"path": "organization.jurisdictions", "contains": "US-CA"}, True),
    ({"path": "organization.jurisdictions", "contains_any": ["EU", "UK"]}, False),
    ({"not": {"path": "purpose.commercial_email", "equals": True}}, True),
    ({"any": [{"path": "purpose.commercial_email", "equals": True}, {"purpose_uses": "marketing"}]}, True),
    ({"all": [{"path": "purpose.commercial_email", "equals": False}, {"purpose_uses": "essential"}]}, False),
    ({"some": {"of": "purposes", "where": {"path": "purpose.legal_basis", "equals": "consent"}}}, True),
    ({"none": {"of": "purposes"}}, False),
    ({"every": {"of": "purposes", "where": {"path": "purpose.id", "equals": "other"}}}, False),
])
def test_operators_and_combinators(raw, expected):
    assert holds(raw) is expected


def test_numeric_operators_on_a_declared_value():
    opt = OptOut(mechanism="link", honoured_within_business_days=10)
    raw = {"path": "purpose.opt_out.honoured_within_business_days", "lte": 10, "gt": 9}
    assert holds(raw, opt_out=opt)
    assert not holds({"path": "purpose.opt_out.honoured_within_business_days", "lt": 10}, opt_out=opt)


@given(st.sampled_from(sorted(data_categories())), st.data())
def test_category_matching_is_hierarchical(key, data):
    parts = key.split(".")
    prefix = ".".join(parts[: data.draw(st.integers(1, len(parts)))])
    cond, problems = parse_condition({"path": "data_categories", "matches_category": prefix}, ("check",), ROOT_SCOPE)
    assert problems == []
    assert cond.holds({"data_categories": [key]})
    assert not cond.holds({"data_categories": [prefix + "_other"]})


@pytest.mark.parametrize("raw, reason", [
    ({"path": "purpose.legal_basis", "equals": "consnet"}, "consnet is not a possible value here"),
    ({"path": "purpose.nope", "exists": True}, "'purpose' has no 'nope'"),
    ({"path": "dataset.id", "exists": True}, "unknown name 'dataset' here"),
    ({"path": "purpose.legal_basis"}, "needs an operator"),
    ({"path": "purpose.legal_basis", "bigger": 1}, "unknown operator 'bigger'"),
    ({"path": "purpose.description", "lt": 3}, "'lt' does not apply to a str value"),
    ({"path": "purpose.description", "matches": "("}, "invalid regular expression"),
    ({"path": "purposes.id", "exists": True}, "'purposes' is a list (use some/every/none with of:)"),
    ({"some": {"of": "organization.jurisdictions"}}, "not a list of purposes, datasets, fields, recipients or findings"),
    ({"all": []}, "'all' takes a non-empty list"),
    ({"all": [{"path": "purpose.id", "exists": True}], "any": []}, "expected exactly one of"),
    ({"purpose_uses": "marketing.pigeons"}, "not a fideslang data use: marketing.pigeons"),
    ("purpose.id", "a condition must be a mapping"),
])
def test_bad_conditions_are_load_errors(raw, reason):
    cond, problems = parse_condition(raw, ("check",), SCOPE)
    assert cond is None
    assert any(reason in p[1] for p in problems), problems


def test_problem_locations_are_key_paths():
    raw = {"all": [{"path": "purpose.id", "exists": True}, {"not": {"path": "purpose.x", "exists": True}}]}
    _, problems = parse_condition(raw, ("check",), SCOPE)
    assert problems[0][0] == ("check", "all", 1, "not", "path")


def test_messages_fill_placeholders_and_never_print_none():
    ctx = _ctx()
    assert render_message("'{purpose.id}' opt-out: {purpose.opt_out.mechanism}; sms {purpose.commercial_email}", ctx) == \
        "'news' opt-out: not declared; sms no"
    assert render_message("{organization.jurisdictions}", ctx) == "US, US-CA"


def test_condition_schema_accepts_valid_and_rejects_invalid_conditions():
    schema = {"$defs": {"Condition": condition_json_schema()}, "$ref": "#/$defs/Condition"}
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"any": [{"path": "a.b", "lte": 3}, {"some": {"of": "x", "where": {"path": "y", "exists": True}}}]})
    assert not validator.is_valid({"path": "a.b", "lte": "three"})
    assert not validator.is_valid({"path": "a.b", "bigger": 3})
    assert not validator.is_valid({"some": {"where": {"path": "y", "exists": True}}})
