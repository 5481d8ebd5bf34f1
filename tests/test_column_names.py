"""Column-name hints: tokenising and the hint table."""

from __future__ import annotations

import pytest
import yaml

from governance.resources import data_file
from governance.scan.column_names import FREE_TEXT, NONE, hint_for, tokenize
from governance.taxonomy import entities


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("cust_email", ("cust", "email")),
        ("custEmailAddr", ("cust", "email", "addr")),
        ("CustomerEMailAddress", ("customer", "e", "mail", "address")),
        ("contact.e-mail", ("contact", "e", "mail")),
        ("addr1", ("addr",)),
        ("icd10", ("icd",)),
        ("XMLHttpID", ("xml", "http", "id")),
        ("  Date of Birth ", ("date", "of", "birth")),
        ("", ()),
    ],
)
def test_tokenize(name, tokens):
    assert tokenize(name) == tokens


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("cust_email", "EMAIL_ADDRESS"),
        ("e_mail", "EMAIL_ADDRESS"),
        ("contact.email", "EMAIL_ADDRESS"),
        ("dob", "DATE_OF_BIRTH"),
        ("birth_dt", "DATE_OF_BIRTH"),
        ("dateOfBirth", "DATE_OF_BIRTH"),
        ("ssn", "US_SSN"),
        ("tel", "PHONE_NUMBER"),
        ("mobile", "PHONE_NUMBER"),
        ("zip", "POSTAL_CODE"),
        ("patient_zip", "POSTAL_CODE"),
        ("postcode", "POSTAL_CODE"),
        ("addr1", "STREET_ADDRESS"),
        ("fname", "FIRST_NAME"),
        ("firstName", "FIRST_NAME"),
        ("lname", "LAST_NAME"),
        ("full_name", "PERSON"),
        ("cardholder", "PERSON"),
        ("pwd", "PASSWORD"),
        ("passwd", "PASSWORD"),
        ("pw_hash", "PASSWORD_HASH"),
        ("passwordHash", "PASSWORD_HASH"),
        ("cc_num", "CREDIT_CARD"),
        ("card_number", "CREDIT_CARD"),
        ("iban", "IBAN_CODE"),
        ("routing_number", "ABA_ROUTING_NUMBER"),
        ("mrn", "MEDICAL_RECORD_NUMBER"),
        ("npi", "US_NPI"),
        ("prescriber_npi", "US_NPI"),
        ("icd10", "ICD10_CODE"),
        ("diagnosis_code", "ICD10_CODE"),
        ("ip", "IP_ADDRESS"),
        ("IPAddress", "IP_ADDRESS"),
        ("last_login_ip", "IP_ADDRESS"),
        ("mac", "MAC_ADDRESS"),
        ("imei", "IMEI"),
        ("gender", "GENDER"),
        ("sex", "GENDER"),
        ("occupation", "OCCUPATION"),
        ("job_title", "OCCUPATION"),
        ("company", "ORGANIZATION"),
        ("employer", "ORGANIZATION"),
        ("username", "USERNAME"),
        ("userName", "USERNAME"),
        ("login", "USERNAME"),
        ("insurance_member_id", "HEALTH_INSURANCE_ID"),
        ("notes", FREE_TEXT),
        ("support_comment", FREE_TEXT),
        ("customer_id", NONE),
        ("product_name", NONE),
        ("created_at", NONE),
        ("list_vendor", NONE),
    ],
)
def test_hints(name, entity):
    hint = hint_for(name)
    assert hint is not None and hint.entity == entity


@pytest.mark.parametrize("name", ["ipsum", "shipping_method", "mailbox_size_flag_x", "c07", "col_1", "zipper_color"])
def test_substrings_are_not_hints(name):
    """Whole tokens only: 'ipsum' is not an IP address, 'zipper' not a ZIP code."""
    hint = hint_for(name)
    assert hint is None or hint.entity not in ("IP_ADDRESS", "POSTAL_CODE", "EMAIL_ADDRESS")


def test_head_noun_wins():
    """The phrase nearest the end of the name is the head noun: an IP address of a login."""
    assert hint_for("login_ip").entity == "IP_ADDRESS"
    assert hint_for("ip_login").entity == "USERNAME"
    assert hint_for("email_id").entity == NONE  # an id; e-mail values are still found by pattern


def test_hint_table_integrity():
    """Every hinted entity exists, and no phrase names two entities."""
    with open(data_file("column_names.yaml"), encoding="utf-8") as fh:
        table = yaml.safe_load(fh)
    known = set(entities()) | {NONE, FREE_TEXT}
    assert set(table) <= known
    seen: dict[str, str] = {}
    for entity, phrases in table.items():
        for phrase in phrases:
            assert phrase == phrase.lower().strip(), phrase
            assert phrase not in seen, f"'{phrase}' is listed under {seen.get(phrase)} and {entity}"
            seen[phrase] = entity
