"""Correction requests: set named fields of the subject's records to validated new values.

``FIELD=VALUE`` names a field as ``dataset.field`` or as a bare field name (every
dataset of the subject's records that declares it). Values are checked by the field's
category: e-mail shape, telephone numbers with ``phonenumbers`` (stored in E.164 form),
dates as ISO ``YYYY-MM-DD``. Shared records, primary keys and linking keys are not
changed by a correction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import phonenumbers

from governance.dsr.changes import Change
from governance.dsr.datasets import Workspace
from governance.dsr.graph import SubjectRecords
from governance.errors import DsrError
from governance.taxonomy import category_matches

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def check_email(value: str, region: str) -> str:
    """An e-mail address with one @ and a dotted domain, trimmed."""
    value = value.strip()
    if not _EMAIL.match(value):
        raise ValueError("is not an e-mail address (name@domain.tld)")
    return value


def check_phone(value: str, region: str) -> str:
    """A valid telephone number, returned in E.164 form."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a telephone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"is not a valid telephone number (region {region} assumed without a country code)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_date(value: str, region: str) -> str:
    """An ISO date ``YYYY-MM-DD``."""
    try:
        parsed = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("is not a date in the form YYYY-MM-DD") from None
    return parsed.isoformat()


def check_text(value: str, region: str) -> str:
    """Any non-empty text."""
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


#: fideslang category prefix -> validator (the longest matching prefix wins; others: check_text)
VALIDATORS: dict[str, Callable[[str, str], str]] = {
    "user.contact.email": check_email,
    "user.contact.phone_number": check_phone,
    "user.contact.fax_number": check_phone,
    "user.demographic.date_of_birth": check_date,
}


def validator_for(category: str | None) -> Callable[[str, str], str]:
    best, best_len = check_text, -1
    for prefix, fn in VALIDATORS.items():
        if category and category_matches(prefix, category) and len(prefix) > best_len:
            best, best_len = fn, len(prefix)
    return best


@dataclass
class CorrectionPlan:
    """The changes a correction makes and the requested fields it could not apply."""

    changes: list[Change] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)


def parse_assignments(pairs: list[str]) -> list[tuple[str, str]]:
    """``FIELD=VALUE`` pairs from ``--set``."""
    out = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise DsrError(f"'{name.strip() or '?'}' is not FIELD=VALUE", where="--set",
                           hint="e.g. --set customers.phone=+12175550100")
        out.append((name.strip(), value))
    if not out:
        raise DsrError("nothing to correct", where="--set", hint="give at least one --set FIELD=VALUE")
    return out


def plan_correction(workspace: Workspace, found: SubjectRecords, assignments: list[tuple[str, str]],
                    region: str) -> CorrectionPlan:
    """Validate each assignment and list the row changes it makes. Changes nothing."""
    plan = CorrectionPlan()
    links = found.link_fields()
    problems = []
    for name, raw in assignments:
        hits = 0
        for ds in workspace.datasets:
            if "." in name and name.split(".", 1)[0] == ds.id and ds.field(name.split(".", 1)[1]):
                field_name = name.split(".", 1)[1]
            elif ds.field(name):
                field_name = name
            else:
                continue
            decl = ds.field(field_name)
            keys = set(workspace.adapter(ds.id).key_fields()) if ds.id in found.records else set()
            if field_name in keys or (ds.id, field_name) in links:
                problems.append(f"{ds.id}.{field_name}: keys that identify or link records cannot be corrected")
                continue
            try:
                value = validator_for(decl.category)(raw, region)
            except ValueError as exc:
                problems.append(f"{ds.id}.{field_name}: the new value {exc}")
                continue
            for rec in found.records.get(ds.id, []):
                hits += 1
                if rec.get(field_name) != value:
                    plan.changes.append(Change(ds.id, rec.key, rec.label, field_name, "set", value))
                    if decl.category:
                        plan.categories.add(decl.category)
        if not hits:
            plan.not_found.append(name)
    if problems:
        raise DsrError("the correction cannot be made", where="--set", details=problems)
    return plan
