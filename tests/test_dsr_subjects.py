"""Identity matching: normalised e-mail addresses and telephone numbers, exact ids, bad identifiers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.dsr.subjects import normalise_email, normalise_phone, parse_subject
from governance.errors import DsrError
from governance.inventory.loader import load_inventory

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def inventory():
    return load_inventory(REPO / "policies" / "example").inventory


@pytest.mark.parametrize("stored", ["(217) 555-0142", "217.555.0142", "+1 217 555 0142", "2175550142", "+12175550142"])
def test_phone_numbers_in_any_format_match_in_e164(stored):
    assert normalise_phone(stored, "US") == "+12175550142"


def test_a_default_region_reads_national_numbers():
    assert normalise_phone("030 1234567", "DE") == "+49301234567"
    assert normalise_phone("not a number", "US") is None


@given(st.emails(), st.sampled_from(["", " ", "\t"]), st.booleans())
def test_email_matching_ignores_case_and_surrounding_space(email, pad, upper):
    stored = pad + (email.upper() if upper else email) + pad
    assert normalise_email(stored, "US") == normalise_email(email, "US")


def test_subject_keys_are_kinds_or_identity_fields(inventory):
    subject = parse_subject(["email=A@B.example", "id=7", "customers.id=7", "contact.email=a@b.example"], inventory)
    customers = inventory.dataset("customers")
    assert subject.match(customers, "email", " a@b.EXAMPLE").key == "email"
    assert subject.match(customers, "id", 7).key == "id"
    assert subject.match(customers, "phone", "+1 217 555 0142") is None
    audience = inventory.dataset("ad_audience")
    assert subject.match(audience, "contact.email", "a@b.example").key == "email"
    assert subject.masked() == ["email=A***@B***.example", "id=*", "customers.id=*", "contact.email=a***@b***.example"]


@pytest.mark.parametrize("pairs, message", [
    (["email"], "is not KEY=VALUE"),
    (["=x"], "is not KEY=VALUE"),
    (["ssn=123-45-6789"], "'ssn' is not an identity field"),
    (["phone=12"], "the phone given is not a valid phone"),
    ([], "no subject identifiers given"),
])
def test_bad_identifiers_are_refused_without_echoing_the_value(inventory, pairs, message):
    with pytest.raises(DsrError, match=message) as err:
        parse_subject(pairs, inventory)
    assert "123-45-6789" not in err.value.one_line()


def test_an_unknown_phone_region_is_refused(inventory):
    with pytest.raises(DsrError, match="unknown phone region"):
        parse_subject(["email=a@b.example"], inventory, region="XX")


def test_a_bare_field_name_two_datasets_use_is_refused(inventory):
    two = inventory.model_copy(deep=True)
    two.dataset("newsletter_signups").identity_fields.append("signup_id")
    two.dataset("customers").identity_fields.append("signup_id")
    with pytest.raises(DsrError) as err:
        parse_subject(["signup_id=1"], two)
    assert "'signup_id' is an identity field of 2 datasets, so it could name different people" in err.value.one_line()
    assert "customers.signup_id=... or newsletter_signups.signup_id=..." in err.value.one_line()
    assert parse_subject(["customers.signup_id=1"], two).identifiers[0].key == "customers.signup_id"


def test_identity_fields_of_datasets_about_other_subjects_are_not_keys(inventory):
    # purchased_leads holds prospects: a customer's request cannot use its identity field
    with pytest.raises(DsrError, match="'lead_email' is not an identity field of the inventory's customer datasets"):
        parse_subject(["lead_email=a@b.example"], inventory)
    assert parse_subject(["lead_email=a@b.example"], inventory, kinds=["prospect"]).kinds == ("prospect",)
