"""Recognisers: valid and checksum-invalid values, free-text finds, the registry and plugins."""

from __future__ import annotations

import re
import string
import textwrap
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.scan import recognizers as registry
from governance.scan.column_names import hint_for
from governance.scan.recognizers import PatternRecognizer, leak_recognizers, recognizers
from governance.scan.recognizers.base import ColumnView
from governance.scan.recognizers.contact import (
    EmailRecognizer,
    PhoneRecognizer,
    PostalCodeRecognizer,
    StreetAddressRecognizer,
    UrlRecognizer,
)
from governance.scan.recognizers.credentials import PasswordHashRecognizer, PasswordRecognizer
from governance.scan.recognizers.financial import AbaRoutingRecognizer, CreditCardRecognizer, IbanRecognizer
from governance.scan.recognizers.government_ids import NationalIdRecognizer, UsSsnRecognizer
from governance.scan.recognizers.health import (
    Icd10Recognizer,
    MedicalRecordNumberRecognizer,
    UsDeaRecognizer,
    UsNpiRecognizer,
)
from governance.scan.recognizers.network import ImeiRecognizer, IpAddressRecognizer, MacAddressRecognizer
from governance.taxonomy import entities


def counted(recognizer: PatternRecognizer, value: str, column: str = "c01") -> bool:
    """Run the real column screen on one value: did it match and validate?"""
    view = ColumnView(name=column, hint=hint_for(column), scan_date=date(2026, 6, 1))
    state = recognizer.new_state()
    recognizer.screen(pl.Series([value]), state, view)
    return state.valid == 1


CASES = [
    # (recogniser, value, column name, counted)
    (EmailRecognizer, "jane.doe@example.com", "c01", True),
    (EmailRecognizer, "o'brien+news@mail.co.uk", "c01", True),
    (EmailRecognizer, "jane.doe@example.notatld", "c01", False),
    (EmailRecognizer, "jane.doe@localhost", "c01", False),
    (PhoneRecognizer, "+44 20 7946 0958", "c01", True),
    (PhoneRecognizer, "(505) 224-0005", "c01", True),
    (PhoneRecognizer, "505.224.0005 x12", "c01", True),
    (PhoneRecognizer, "+49 30 901820", "c01", True),
    (PhoneRecognizer, "01 42 68 53 00", "c01", True),
    (PhoneRecognizer, "5052240005", "c01", False),  # bare digits need a phone-like column name
    (PhoneRecognizer, "5052240005", "mobile", True),
    (PhoneRecognizer, "01.02.2020", "c01", False),  # a date, not a phone number
    (PhoneRecognizer, "612 34 56 78", "c01", True),  # Spain: no trunk 0
    (PhoneRecognizer, "0118 496 0423", "c01", True),  # UK, not 011 (US exit code) + 8...
    (StreetAddressRecognizer, "5, rue de la Paix", "c01", True),
    (StreetAddressRecognizer, "Calle de Alcalá 48 Piso 3", "c01", True),
    (StreetAddressRecognizer, "Flat 7, Elliott Center", "c01", True),
    (StreetAddressRecognizer, "Mangoldgasse 9-6", "c01", True),
    (StreetAddressRecognizer, "Aarondreef 933", "c01", True),
    (StreetAddressRecognizer, "Lake Forest", "c01", False),  # a town, no house number
    (StreetAddressRecognizer, "Rue Royale", "c01", True),  # a street without its number (issue 13: split address columns)
    (StreetAddressRecognizer, "Gift wrap", "c01", False),
    (PhoneRecognizer, "111-111-1111", "c01", False),
    (UsSsnRecognizer, "536-22-1234", "c01", True),
    (UsSsnRecognizer, "000-22-1234", "c01", False),  # area 000
    (UsSsnRecognizer, "666-22-1234", "c01", False),  # area 666
    (UsSsnRecognizer, "912-22-1234", "c01", False),  # area 900-999
    (UsSsnRecognizer, "536-00-1234", "c01", False),  # group 00
    (UsSsnRecognizer, "536-22-0000", "c01", False),  # serial 0000
    (UsSsnRecognizer, "536221234", "c01", False),  # bare digits need a name
    (UsSsnRecognizer, "536221234", "ssn", True),
    (CreditCardRecognizer, "4111 1111 1111 1111", "c01", True),
    (CreditCardRecognizer, "4111111111111112", "c01", False),  # Luhn
    (CreditCardRecognizer, "378282246310005", "c01", True),  # Amex
    (CreditCardRecognizer, "2713227146067031", "c01", True),  # Mastercard 2-series
    (CreditCardRecognizer, "9111111111111111", "c01", False),  # no such scheme
    (IbanRecognizer, "DE89370400440532013000", "c01", True),
    (IbanRecognizer, "GB82 WEST 1234 5698 7654 32", "c01", True),
    (IbanRecognizer, "DE89370400440532013001", "c01", False),  # mod 97
    (AbaRoutingRecognizer, "011000015", "c01", True),
    (AbaRoutingRecognizer, "011000016", "c01", False),
    (UsNpiRecognizer, "1234567893", "c01", True),
    (UsNpiRecognizer, "1234567890", "c01", False),
    (UsDeaRecognizer, "AB1234563", "c01", True),
    (UsDeaRecognizer, "AB1234564", "c01", False),
    (ImeiRecognizer, "490154203237518", "c01", True),
    (ImeiRecognizer, "490154203237519", "c01", False),
    (IpAddressRecognizer, "192.168.10.1", "c01", True),
    (IpAddressRecognizer, "2001:db8::8a2e:370:7334", "c01", True),
    (IpAddressRecognizer, "256.1.1.1", "c01", False),
    (IpAddressRecognizer, "12:30:45", "c01", False),
    (MacAddressRecognizer, "00:1a:2b:3c:4d:5e", "c01", True),
    (MacAddressRecognizer, "001a.2b3c.4d5e", "c01", True),
    (MacAddressRecognizer, "00:1a-2b:3c:4d:5e", "c01", False),  # mixed separators
    (MacAddressRecognizer, "ff:ff:ff:ff:ff:ff", "c01", False),  # broadcast
    (Icd10Recognizer, "J45.909", "c01", True),
    (Icd10Recognizer, "I10", "c01", False),  # bare codes need a diagnosis-like name
    (Icd10Recognizer, "I10", "diagnosis_code", True),
    (MedicalRecordNumberRecognizer, "MRN-180076", "c01", True),
    (MedicalRecordNumberRecognizer, "A274005", "c01", False),
    (MedicalRecordNumberRecognizer, "A274005", "mrn", True),
    (PostalCodeRecognizer, "SW1A 1AA", "c01", True),
    (PostalCodeRecognizer, "K1A 0B1", "c01", True),
    (PostalCodeRecognizer, "80938", "c01", False),  # five digits: name or column statistics decide
    (PostalCodeRecognizer, "80938", "zip", True),
    (PostalCodeRecognizer, "10115", "postleitzahl", True),
    (NationalIdRecognizer, "RSSMRA85T10A562S", "c01", True),  # IT codice fiscale
    (NationalIdRecognizer, "RSSMRA85T10A562T", "c01", False),
    (NationalIdRecognizer, "12345678Z", "c01", True),  # ES DNI
    (NationalIdRecognizer, "12345678A", "c01", False),
    (NationalIdRecognizer, "130 692 544", "c01", True),  # CA SIN
    (NationalIdRecognizer, "130 692 545", "c01", False),
    (NationalIdRecognizer, "811228-9874", "c01", True),  # SE personnummer
    (NationalIdRecognizer, "AB123456C", "c01", True),  # GB NINO
    (NationalIdRecognizer, "GB123456C", "c01", False),  # prefix never issued
    (NationalIdRecognizer, "111222333", "bsn", True),  # NL BSN (11-test), named
    (NationalIdRecognizer, "111222333", "c01", False),
    (PasswordHashRecognizer, "$2b$12$" + "a" * 53, "c01", True),
    (PasswordHashRecognizer, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", "c01", True),
    (PasswordHashRecognizer, "pbkdf2_sha256$600000$salt$aGFzaA==", "c01", True),
    (PasswordHashRecognizer, "$6$rounds=5000$saltsalt$" + "b" * 86, "c01", True),
    (PasswordHashRecognizer, "5f4dcc3b5aa765d61d8327deb882cf99", "c01", False),  # bare hex needs a name
    (PasswordHashRecognizer, "5f4dcc3b5aa765d61d8327deb882cf99", "password", True),
    (PasswordRecognizer, "hunter2!", "passwd", True),
    (PasswordRecognizer, "hunter2!", "c01", False),
    (UrlRecognizer, "https://example.com/profile/jane", "c01", True),
    (UrlRecognizer, "https://example.invalidtld/x", "c01", False),
    (StreetAddressRecognizer, "60003 Murphy Divide", "c01", True),
    (StreetAddressRecognizer, "8616 Teresa Loop Apt. 699", "c01", True),
    (StreetAddressRecognizer, "Hauptstraße 5", "c01", True),
    (StreetAddressRecognizer, "12 Roses", "c01", False),
]


@pytest.mark.parametrize(
    ("cls", "value", "column", "expected"), CASES, ids=[f"{c[0].__name__}-{c[1]}-{c[2]}" for c in CASES]
)
def test_column_screen(cls, value, column, expected):
    assert counted(cls(), value, column) is expected


LEAK_TEXTS = [
    (UsSsnRecognizer, "Customer read out her SSN 536-22-1234 to verify.", ["536-22-1234"]),
    (UsSsnRecognizer, "ssn: 536221234 (no dashes)", ["536221234"]),
    (UsSsnRecognizer, "Ticket 666-22-1234 and 536-00-1234 are not SSNs.", []),
    (CreditCardRecognizer, "card 4111 1111 1111 1111 2024 and 4111111111111112 bad", ["4111 1111 1111 1111"]),
    (IbanRecognizer, "refund to DE89 3704 0044 0532 0130 00 ASAP", ["DE89 3704 0044 0532 0130 00"]),
    (EmailRecognizer, "write to jane.doe@example.com, not jane@localhost", ["jane.doe@example.com"]),
    (PhoneRecognizer, "call (505) 224-0005 or +44 20 7946 0958; order 12345", ["(505) 224-0005", "+44 20 7946 0958"]),
    (PhoneRecognizer, "please call 5052240005 tonight", ["5052240005"]),
    (PhoneRecognizer, "invoice 5052240005 paid", []),
    (PhoneRecognizer, "Call back on 0118 496 0423 after 5pm.", ["0118 496 0423"]),
    (PhoneRecognizer, "Reach the customer at 822 34 87 90 regarding order ORD-15397410.", ["822 34 87 90"]),
    (IpAddressRecognizer, "login from 203.0.113.7 at 10:30:00", ["203.0.113.7"]),
    (NationalIdRecognizer, "codice fiscale RSSMRA85T10A562S on file", ["RSSMRA85T10A562S"]),
    (PasswordRecognizer, "her password is Tulip2024! please reset", ["password is Tulip2024!"]),
]


@pytest.mark.parametrize(
    ("cls", "text", "found"), LEAK_TEXTS, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(LEAK_TEXTS)]
)
def test_find_in_free_text(cls, text, found):
    recognizer = cls()
    assert [hit for _, _, hit in recognizer.find(text)] == found
    # the vectorised screen flags exactly the texts that hold a candidate
    flagged = pl.Series([text]).str.contains(recognizer.text_regex)[0]
    assert flagged or not found


# -- checksums, property-based -------------------------------------------------


def luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def change_one_digit(number: str, position: int, delta: int) -> str:
    digits_at = [i for i, c in enumerate(number) if c.isdigit()]
    i = digits_at[position % len(digits_at)]
    return number[:i] + str((int(number[i]) + delta) % 10) + number[i + 1 :]


body = st.text(alphabet=string.digits, min_size=14, max_size=14)
change = st.tuples(st.integers(0, 30), st.integers(1, 9))


@given(body, change)
@settings(max_examples=200, deadline=None)
def test_visa_luhn(digits_, edit):
    card = luhn_complete("4" + digits_)
    recognizer = CreditCardRecognizer()
    assert recognizer.validate(card) or len(set(card)) == 1
    assert not recognizer.validate(change_one_digit(card, *edit))


@given(st.text(alphabet=string.digits, min_size=12, max_size=12), change)
@settings(max_examples=200, deadline=None)
def test_imei_luhn(digits_, edit):
    imei = luhn_complete("35" + digits_)
    assert ImeiRecognizer().validate(imei)
    assert not ImeiRecognizer().validate(change_one_digit(imei, *edit))


@given(st.sampled_from("12"), st.text(alphabet=string.digits, min_size=8, max_size=8), change)
@settings(max_examples=200, deadline=None)
def test_npi_luhn_with_prefix(first, digits_, edit):
    npi = luhn_complete("80840" + first + digits_)[5:]
    assert UsNpiRecognizer().validate(npi)
    changed = change_one_digit(npi, *edit)
    assert not UsNpiRecognizer().validate(changed)


@given(st.integers(0, 21), st.integers(1, 9))
@settings(max_examples=100, deadline=None)
def test_iban_mod97_catches_every_single_digit_change(position, delta):
    iban = "DE89370400440532013000"
    assert IbanRecognizer().validate(iban)
    changed = change_one_digit(iban, position, delta)
    assert not IbanRecognizer().validate(changed)


@given(st.integers(1, 899).filter(lambda a: a != 666), st.integers(1, 99), st.integers(1, 9999))
@settings(max_examples=200, deadline=None)
def test_ssn_valid_parts(area, group, serial):
    ssn = f"{area:03d}-{group:02d}-{serial:04d}"
    digits_ = ssn.replace("-", "")
    assert UsSsnRecognizer().accept(ssn) or len(set(digits_)) == 1 or digits_ in ("123456789", "987654320")


@given(st.sampled_from([0, 666, *range(900, 1000)]), st.integers(1, 99), st.integers(1, 9999))
@settings(max_examples=100, deadline=None)
def test_ssn_invalid_area(area, group, serial):
    assert not UsSsnRecognizer().accept(f"{area:03d}-{group:02d}-{serial:04d}")


@given(st.text(alphabet=string.digits, min_size=8, max_size=8).filter(lambda s: s[0] in "0123678"), change)
@settings(max_examples=200, deadline=None)
def test_aba_checksum(body_, edit):
    d = [int(c) for c in body_]
    partial = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5]
    number = body_ + str((10 - partial % 10) % 10)
    assert AbaRoutingRecognizer().validate(number)
    assert not AbaRoutingRecognizer().validate(change_one_digit(number, *edit))


# -- registry -----------------------------------------------------------------

LOOKAROUND = re.compile(r"\(\?<?[=!]|\\\d")


def test_every_entity_is_catalogued():
    known = set(entities())
    for recognizer in recognizers():
        assert recognizer.ENTITY in known, recognizer.name


@pytest.mark.parametrize(
    "recognizer", [r for r in recognizers() if isinstance(r, PatternRecognizer)], ids=lambda r: r.name
)
def test_patterns_run_in_rust_and_python(recognizer):
    """One pattern set serves polars (Rust regex: no look-around, no back-references) and Python/Presidio."""
    sample = pl.Series(["x", "4111 1111 1111 1111", "jane@example.com"])
    for pattern in recognizer.PATTERNS:
        assert not LOOKAROUND.search(pattern.regex), pattern.name
        re.compile(pattern.group)
    for regex in (recognizer.strong_value_regex, recognizer.weak_value_regex, recognizer.text_regex):
        if regex:
            sample.str.contains(regex)
            re.compile(regex)


def test_leak_recognizers_screen_free_text():
    entities_ = {r.ENTITY for r in leak_recognizers()}
    assert {"US_SSN", "CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= entities_


def test_plugin_recognizer_from_entry_point(tmp_path, monkeypatch):
    """A package's entry point in ``governance.recognizers`` adds a recogniser to the registry."""
    (tmp_path / "gov_plugin_test.py").write_text(
        textwrap.dedent(
            """
            from governance.scan.recognizers.base import Pattern, PatternRecognizer

            class LoyaltyCardRecognizer(PatternRecognizer):
                ENTITY = "USERNAME"
                PATTERNS = (Pattern("loyalty", r"LOY-\\d{6}", 0.6),)
            """
        )
    )
    dist = tmp_path / "gov_plugin_test-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gov-plugin-test\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[governance.recognizers]\nloyalty = gov_plugin_test:LoyaltyCardRecognizer\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.recognizers.cache_clear()
    try:
        names = [r.name for r in registry.recognizers()]
        assert "LoyaltyCardRecognizer" in names
        assert names[: len(registry.REGISTRY)] == [cls.__name__ for cls in registry.REGISTRY]
    finally:
        registry.recognizers.cache_clear()


def test_broken_plugin_is_named(tmp_path, monkeypatch):
    from governance.errors import ConfigError

    dist = tmp_path / "gov_broken_test-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: gov-broken-test\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[governance.recognizers]\nbroken = gov_missing_module:Nothing\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.recognizers.cache_clear()
    try:
        with pytest.raises(ConfigError, match="recogniser plugin 'broken' cannot be loaded"):
            registry.recognizers()
    finally:
        registry.recognizers.cache_clear()
