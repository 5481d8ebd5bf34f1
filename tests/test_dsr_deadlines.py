"""Statutory deadlines: GDPR months, CCPA business days, HIPAA days, US federal holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.dsr.deadlines import add_business_days, add_months, is_business_day, statutory_deadlines, us_federal_holidays
from governance.errors import DsrError


def _due(jurisdiction, kind, received):
    return {d.kind: d.due for d in statutory_deadlines(jurisdiction, kind, received)}


def test_gdpr_one_month_extendable_by_two_rolled_to_a_working_day():
    # 2026-01-31 + 1 month = 2026-02-28, a Saturday -> Monday 2026-03-02 (Reg. 1182/71 Art. 3(4))
    assert _due("GDPR", "access", date(2026, 1, 31)) == {"respond": date(2026, 3, 2), "extended": date(2026, 4, 30)}
    assert _due("GDPR", "delete", date(2026, 3, 10)) == {"respond": date(2026, 4, 10), "extended": date(2026, 6, 10)}


def test_ccpa_ten_business_days_to_confirm_skip_weekends_and_thanksgiving():
    due = _due("CCPA", "delete", date(2026, 11, 23))
    assert due == {"acknowledge": date(2026, 12, 8), "respond": date(2027, 1, 7), "extended": date(2027, 2, 21)}
    assert _due("CCPA", "opt_out", date(2026, 12, 21)) == {"respond": date(2027, 1, 13)}  # Dec 25, Jan 1 skipped


def test_hipaa_thirty_days_with_one_extension_and_no_erasure_deadline():
    assert _due("HIPAA", "access", date(2026, 11, 2)) == {"respond": date(2026, 12, 2), "extended": date(2027, 1, 1)}
    assert _due("HIPAA", "correct", date(2026, 11, 2)) == {"respond": date(2027, 1, 1), "extended": date(2027, 1, 31)}
    assert statutory_deadlines("HIPAA", "delete", date(2026, 11, 2)) == []


def test_can_spam_opt_out_and_unknown_combinations():
    assert _due("CAN-SPAM", "opt_out", date(2026, 7, 1)) == {"respond": date(2026, 7, 16)}  # July 3 observed
    with pytest.raises(DsrError, match="CAN-SPAM has no access request"):
        statutory_deadlines("CAN-SPAM", "access", date(2026, 7, 1))
    with pytest.raises(DsrError, match="unknown jurisdiction"):
        statutory_deadlines("XX", "access", date(2026, 7, 1))


def test_federal_holidays_observed_on_weekdays():
    h2027 = us_federal_holidays(2027)
    assert date(2027, 7, 5) in h2027 and date(2027, 7, 4) not in h2027  # Sunday -> Monday
    assert date(2027, 12, 24) in h2027  # Christmas on Saturday -> Friday
    assert date(2027, 12, 31) in h2027  # New Year's Day 2028 is a Saturday
    assert {date(2026, 1, 19), date(2026, 5, 25), date(2026, 11, 26), date(2026, 6, 19)} <= us_federal_holidays(2026)
    assert len(us_federal_holidays(2026)) == 11
    assert date(2020, 6, 19) not in us_federal_holidays(2020)  # Juneteenth from 2021


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(1, 60))
def test_business_days_land_on_a_business_day_after_exactly_n_of_them(start, n):
    due = add_business_days(start, n)
    assert is_business_day(due)
    assert sum(is_business_day(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)) == n


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(1, 36))
def test_adding_months_keeps_the_day_or_ends_the_month(start, months):
    due = add_months(start, months)
    assert (due.year - start.year) * 12 + due.month - start.month == months
    assert due.day == start.day or (due.day < start.day and (due + timedelta(days=1)).month != due.month)


def test_vietnam_two_working_days_then_ten_twenty_or_fifteen_days():
    # Friday 2026-11-20: two weekdays later is Tuesday 11-24 (Decree 356/2025/ND-CP Art. 5)
    received = date(2026, 11, 20)
    assert _due("VN", "access", received) == {"acknowledge": date(2026, 11, 24), "respond": date(2026, 11, 30)}
    assert _due("VN", "correct", received)["respond"] == date(2026, 11, 30)
    assert _due("VN", "delete", received)["respond"] == date(2026, 12, 10)
    assert _due("VN", "opt_out", received)["respond"] == date(2026, 12, 5)
    assert all("Decree 356/2025/ND-CP Art. 5" in d.basis for d in statutory_deadlines("VN", "delete", received))
