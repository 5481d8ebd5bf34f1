"""Columns settled by the rest of the row: identity numbers by the birth dates, postal codes by the places.

``fixtures/detection_fa_vi/cross_columns_vi.csv`` is a small Vietnamese table under neutral names:
c01 province, c02 date of birth, c03 CCCD numbers laid out as Circular 07/2016/TT-BCA Art. 7
describes (birth province, century-and-sex digit, birth year, six random digits) for the row's
birth date, c04 2018 postal codes of the row's province, c05 random 12-digit numbers and c06
random 5-digit numbers (neither follows anything).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from synthetic_tables import stream_of

from governance.scan.ages import ages_agree
from governance.scan.cross_columns import birth_years_agree, codes_follow_places
from governance.scan.engine import TableScanner
from governance.scan.options import ScanOptions
from governance.scan.recognizers.vietnam import cccd_birth_years

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "detection_fa_vi" / "cross_columns_vi.csv"
SCAN_DATE = date(2026, 11, 23)


def table() -> pl.DataFrame:
    return pl.read_csv(FIXTURE, infer_schema=False)


@given(
    province=st.integers(1, 96),
    born=st.integers(1900, 2299),
    female=st.booleans(),
    serial=st.integers(0, 999_999),
)
def test_cccd_birth_year_is_read_back(province, born, female, serial):
    century = (born // 100 - 19) * 2 + int(female)  # 1900s: 0 men, 1 women; 2000s: 2 and 3; ...
    number = f"{province:03d}{century}{born % 100:02d}{serial:06d}"
    assert cccd_birth_years(pl.Series([number])).to_list() == [born]


def test_other_values_encode_no_birth_year():
    assert cccd_birth_years(pl.Series(["123456789", "0791900123", "07920012345a", "", None])).to_list() == [None] * 5


def test_identity_numbers_agree_with_the_birth_dates():
    frame = table()
    assert birth_years_agree(cccd_birth_years(frame["c03"]), frame["c02"]) == 1.0
    assert birth_years_agree(cccd_birth_years(frame["c05"]), frame["c02"]) < 0.1


def test_postal_codes_follow_the_places():
    frame = table()
    assert codes_follow_places(frame["c04"], frame["c01"]) == 1.0
    assert codes_follow_places(frame["c06"], frame["c01"]) < 0.6


def test_one_place_or_one_first_digit_proves_nothing():
    frame = table()
    assert codes_follow_places(frame["c04"], pl.Series(["Hà Nội"] * len(frame))) == 0.0
    same_lead = frame["c04"].str.replace(r"^\d", "7")
    assert codes_follow_places(same_lead, frame["c01"]) == 0.0


def test_places_with_few_rows_prove_nothing():
    codes = pl.Series([f"{i:05d}" for i in range(0, 60_000, 1000)])
    assert codes_follow_places(codes, pl.Series([f"place {i}" for i in range(60)])) == 0.0


def findings(frame: pl.DataFrame) -> dict[str, str]:
    outcome = TableScanner(ScanOptions(scan_date=SCAN_DATE, ner=False)).scan(stream_of(frame))
    return {f.column: f.entity for f in outcome.findings if f.kind == "column"}


def test_engine_settles_ids_and_postal_codes_from_their_rows():
    found = findings(table())
    assert found.get("c01") in ("STATE", "CITY", "LOCATION")
    assert found.get("c02") == "DATE_OF_BIRTH"
    assert found.get("c03") == "NATIONAL_ID"
    assert found.get("c04") == "POSTAL_CODE"
    assert "c05" not in found and "c06" not in found


def test_without_birth_dates_or_places_the_numbers_stay_unclaimed():
    found = findings(table().drop("c01", "c02"))
    assert "c03" not in found and "c04" not in found


def test_shuffled_rows_break_the_agreement():
    frame = table()
    shuffled = frame.with_columns(pl.col("c03").shuffle(seed=1), pl.col("c04").shuffle(seed=2))
    found = findings(shuffled)
    assert "c03" not in found and "c04" not in found


def test_examples_are_masked():
    frame = table()
    outcome = TableScanner(ScanOptions(scan_date=SCAN_DATE, ner=False)).scan(stream_of(frame))
    for finding in outcome.findings:
        assert not set(finding.examples) & set(frame[finding.column].to_list()), finding.column


def test_ages_in_persian_digits_agree_with_jalali_birth_dates():
    born = ["۱۲ فروردین ۱۳۷۰", "1365/05/03", "۱۳۸۰/۱۰/۰۱", "2 بهمن 1340"]  # 1991-04-01, 1986-07-25, 2001-12-22, 1962-01-22
    ages = ["۳۵", "40", "۲۴", "64"]  # on 2026-11-23
    assert ages_agree(pl.Series(ages), pl.Series(born), SCAN_DATE) == 1.0
    assert ages_agree(pl.Series(ages[::-1]), pl.Series(born), SCAN_DATE) < 0.5
