"""Statutory deadlines of data-subject requests: GDPR Art. 12(3), CCPA 11 CCR 7021, HIPAA 45 CFR 164.524,
Vietnam's Decree 356/2025/ND-CP Art. 5.

The periods are data (``governance/data/dsr_deadlines.yaml``); business days skip
weekends and US federal holidays (``governance/data/us_federal_holidays.yaml``,
5 U.S.C. 6103); weekdays skip weekends only. State holidays, EU member-state and
Vietnamese public holidays are not counted.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import yaml

from governance.errors import DsrError
from governance.resources import data_file

REQUEST_TYPES = ("access", "delete", "correct", "opt_out")
#: deadline kinds in the order they fall due
KINDS = ("acknowledge", "respond", "extended")


@dataclass(frozen=True)
class Deadline:
    """One statutory deadline of a request."""

    kind: str  # acknowledge | respond | extended
    due: date
    basis: str

    def days_left(self, today: date) -> int:
        """Calendar days from ``today`` to the deadline (negative when overdue)."""
        return (self.due - today).days


@lru_cache(maxsize=None)
def _table() -> dict:
    with open(data_file("dsr_deadlines.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def jurisdiction_name(key: str) -> str:
    """Full name of a jurisdiction key (``GDPR`` -> ``EU General Data Protection Regulation``)."""
    return _rules(key)["name"]


def default_law(places: list[str]) -> str:
    """The one law (``applies_in`` of the deadlines table) of the organisation's jurisdictions ``places``;
    raises :class:`DsrError` when there is none or more than one, rather than guess."""
    laws = [key for key, rules in _table().items() if set(rules.get("applies_in", [])) & set(places)]
    if len(laws) == 1:
        return laws[0]
    where = f"organization.jurisdictions [{', '.join(places)}]"
    if laws:
        raise DsrError(f"the inventory's jurisdictions leave open which law the request falls under "
                       f"({' or '.join(laws)})", where=where, hint=f"give --jurisdiction {' or '.join(laws)}")
    raise DsrError("no law of the inventory's jurisdictions has request deadlines here", where=where,
                   hint=f"give --jurisdiction, one of {', '.join(_table())}")


def jurisdictions_covering(request_types: tuple[str, ...] = REQUEST_TYPES) -> tuple[str, ...]:
    """The jurisdictions that set an answer deadline for every one of ``request_types``."""
    return tuple(key for key, rules in _table().items()
                 if all((rules["requests"].get(t) or {}).get("respond") for t in request_types))


def _rules(jurisdiction: str) -> dict:
    table = _table()
    if jurisdiction not in table:
        raise DsrError(f"unknown jurisdiction '{jurisdiction}'", hint=f"use one of {', '.join(table)}")
    return table[jurisdiction]


@lru_cache(maxsize=None)
def _holiday_rules() -> list[dict]:
    with open(data_file("us_federal_holidays.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)["holidays"]


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[nth - 1] if nth > 0 else days[nth]


@lru_cache(maxsize=None)
def us_federal_holidays(year: int) -> frozenset[date]:
    """Observed US federal holidays of ``year`` (5 U.S.C. 6103; weekend dates moved to Friday/Monday)."""
    out = set()
    for rule in _holiday_rules():
        if year < rule.get("since", 0):
            continue
        if "day" in rule:
            day = date(year, rule["month"], rule["day"])
            if day.weekday() == 5:
                day -= timedelta(days=1)
            elif day.weekday() == 6:
                day += timedelta(days=1)
        else:
            day = _nth_weekday(year, rule["month"], rule["weekday"], rule["nth"])
        out.add(day)
    # New Year's Day of the next year observed on Friday, December 31
    if date(year + 1, 1, 1).weekday() == 5:
        out.add(date(year, 12, 31))
    return frozenset(out)


def is_business_day(day: date) -> bool:
    """Not a Saturday, Sunday or observed US federal holiday."""
    return day.weekday() < 5 and day not in us_federal_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself is not counted)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            left -= 1
    return day


def add_weekdays(start: date, days: int) -> date:
    """The date ``days`` weekdays (Monday to Friday) after ``start`` (``start`` itself is not counted)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def add_months(start: date, months: int) -> date:
    """The same date ``months`` later, or the last day of that month when it has no such date."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _roll_weekend(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


_UNITS = {
    "months": add_months,
    "calendar_days": lambda start, n: start + timedelta(days=n),
    "business_days": add_business_days,
    "weekdays": add_weekdays,
}


def statutory_deadlines(jurisdiction: str, request_type: str, received: date) -> list[Deadline]:
    """The deadlines of a request of ``request_type`` received on ``received`` (empty when the law sets none)."""
    rules = _rules(jurisdiction)
    if request_type not in REQUEST_TYPES:
        raise DsrError(f"unknown request type '{request_type}'", hint=f"use one of {', '.join(REQUEST_TYPES)}")
    if request_type not in rules["requests"]:
        raise DsrError(f"{jurisdiction} has no {request_type.replace('_', '-')} request",
                       hint=f"it covers {', '.join(t.replace('_', '-') for t in rules['requests'])}")
    out = []
    for kind in KINDS:
        spec = rules["requests"][request_type].get(kind)
        if not spec:
            continue
        (unit, amount), = ((k, v) for k, v in spec.items() if k in _UNITS)
        due = _UNITS[unit](received, amount)
        if rules.get("roll_to_working_day"):
            due = _roll_weekend(due)
        out.append(Deadline(kind, due, spec["basis"]))
    return out
