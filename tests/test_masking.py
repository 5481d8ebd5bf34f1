"""Evidence masking never shows the value it masks."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.masking import mask, mask_url_password, redact_text


@pytest.mark.parametrize(
    ("value", "entity", "expected"),
    [
        ("jane.doe@example.com", "EMAIL_ADDRESS", "j***@e***.com"),
        ("123-45-6789", "US_SSN", "***-**-6789"),
        ("4111 1111 1111 1111", "CREDIT_CARD", "**** **** **** 1111"),
        ("Jane Doe", "PERSON", "J*** ***"),
        ("hunter2!", "PASSWORD", "********"),
        ("", "PERSON", ""),
        ("12345", "US_SSN", "*****"),
    ],
)
def test_mask_styles(value, entity, expected):
    assert mask(value, entity) == expected


@given(st.emails())
def test_masked_email_shows_only_first_letters_and_tld(email):
    local, _, domain = email.rpartition("@")
    host, _, tld = domain.rpartition(".")
    assert mask(email, "EMAIL_ADDRESS") == f"{local[0]}***@{host[0]}***.{tld}"


@given(st.from_regex(re.compile(r"\d{3}-\d{2}-\d{4}"), fullmatch=True))
def test_masked_ssn_keeps_only_last_four(ssn):
    masked = mask(ssn, "US_SSN")
    assert masked[:7] == "***-**-" and masked[-4:] == ssn[-4:]


@given(st.text(min_size=8, max_size=40).filter(lambda s: len(s.strip()) >= 8))
def test_masked_secret_reveals_nothing(secret):
    assert mask(secret, "PASSWORD") == "********"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://bob:s3cr3t@db.internal:5432/shop", "postgresql://bob:***@db.internal:5432/shop"),
        ("mysql+pymysql://root@127.0.0.1/shop", "mysql+pymysql://root@127.0.0.1/shop"),
        ("sqlite:///data/shop.db", "sqlite:///data/shop.db"),
    ],
)
def test_url_password_is_masked(url, expected):
    assert mask_url_password(url) == expected


def test_redact_text_removes_each_secret():
    assert redact_text("login bob/s3cr3t failed", ["s3cr3t"]) == "login bob/*** failed"
