"""Evidence from the data itself, for rules that must not rely on what the inventory claims.

Read from the declared datasets (through the request code's dataset adapters) when the
check scans the data:

- children: rows whose date of birth shows a child under 13, under 16 or below the age
  of digital consent of the row's EEA country, followed through the declared references
  to every dataset that holds rows linked to them;
- campaign logs: how many logged commercial e-mails lack the sender's postal address or
  an opt-out link;
- own values: columns holding nothing but the organisation's own names and addresses;
- generalised fields: values that do not have the declared Safe Harbor form.

Only counts and column names leave this module, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl
import yaml

from governance.inventory.loader import LoadedInventory
from governance.inventory.models import Dataset, Organization
from governance.resources import data_file

DOB_CATEGORY = "user.demographic.date_of_birth"
COUNTRY_CATEGORY = "user.contact.address.country"
#: The one band that may hold ages over 89 (164.514(b)(2)(i)(C): "aggregated into a single category of age 90 or older").
_NINETY_PLUS = re.compile(r"90\s*(\+|or older|and over)")
_OPT_OUT = re.compile(r"https?://\S+|mailto:\S+|[^@\s]+@[^@\s]+\.\w+")


@dataclass(frozen=True)
class ChildFlags:
    """What one row shows about the child it belongs to."""

    under_13: bool
    under_16: bool
    below_consent_age: bool

    def __or__(self, other: ChildFlags) -> ChildFlags:
        return ChildFlags(self.under_13 or other.under_13, self.under_16 or other.under_16,
                          self.below_consent_age or other.below_consent_age)


@dataclass
class ChildEvidence:
    """Rows of one dataset that belong to children, and how that is known."""

    under_13: int = 0
    under_16: int = 0
    below_consent_age: int = 0
    via: str = ""  # the birth-date column, and the references followed from it


@dataclass
class CampaignEvidence:
    """What the logged commercial e-mails of one dataset show."""

    logged: int = 0
    without_postal_address: int = 0
    without_opt_out: int = 0


@dataclass
class Evidence:
    """Everything read from the data, by dataset id (and column)."""

    scan_date: date
    children: dict[str, ChildEvidence] = field(default_factory=dict)
    campaigns: dict[str, CampaignEvidence] = field(default_factory=dict)
    own_value_columns: set[tuple[str, str]] = field(default_factory=set)
    generalisation_failures: dict[tuple[str, str], int] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- data files


@lru_cache(maxsize=None)
def consent_ages() -> dict[str, Any]:
    """The ages of digital consent (GDPR Art. 8(1)) of ``gdpr_digital_consent_ages.yaml``."""
    return yaml.safe_load(data_file("gdpr_digital_consent_ages.yaml").read_text(encoding="utf-8"))


def consent_age(country: str) -> int | None:
    """The age of digital consent of an EEA country (``None`` outside the EEA)."""
    from governance.policy.requirements import third_country

    if third_country(country):
        return None
    table = consent_ages()
    entry = table["countries"].get(country.upper())
    return int(entry["age"]) if entry else int(table["default"])


@lru_cache(maxsize=None)
def generalisations() -> dict[str, Any]:
    """The Safe Harbor forms of ``hipaa_generalisations.yaml``."""
    return yaml.safe_load(data_file("hipaa_generalisations.yaml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- values


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value).strip()


def _squash(text: str) -> str:
    """Case-folded words only, for comparing names and addresses as printed."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _country(value: str) -> str | None:
    """ISO 3166 alpha-2 code of a country value (``FR``, ``France``, ``FRA``), if it is one."""
    import pycountry

    if not value:
        return None
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


def _ages(values: list[str], on: date) -> list[int | None]:
    from governance.scan.ages import age_on, parse_dates

    parsed, _ = parse_dates(pl.Series(values, dtype=pl.Utf8))
    return [age_on(d, on) if d is not None and d <= on else None for d in parsed.to_list()]


def own_values(org: Organization) -> set[str]:
    """The organisation's own names and addresses, squashed."""
    contact = org.privacy_contact
    names = [org.name, org.legal_name, org.website, org.postal_address, contact.name, contact.email,
             contact.url, contact.postal_address, *org.own_names]
    return {_squash(n) for n in names if n}


def generalisation_failures(form: str, values: Iterable[str], on: date) -> int:
    """How many non-empty values do not have the Safe Harbor form ``form`` (zip3, year, age_band)."""
    spec = generalisations()[form]
    pattern = re.compile(spec["pattern"])
    restricted = set(spec.get("restricted", ()))
    max_age = spec.get("max_age")
    failures = 0
    for value in values:
        if not value:
            continue
        if not pattern.fullmatch(value) or value in restricted:
            failures += 1
        elif form == "year" and on.year - int(value) > max_age:
            failures += 1
        elif form == "age_band" and not _NINETY_PLUS.fullmatch(value) and any(int(n) > max_age for n in re.findall(r"\d+", value)):
            failures += 1
    return failures


# --------------------------------------------------------------------------- collecting


class _Reader:
    """The rows of the declared datasets, read once; a dataset that cannot be read is noted, not raised."""

    def __init__(self, loaded: LoadedInventory, evidence: Evidence):
        from governance.dsr.datasets import Workspace
        from governance.errors import GovernanceError

        self.evidence = evidence
        self.problem = ""
        try:
            self.workspace: Workspace | None = Workspace(loaded)
        except GovernanceError as exc:  # e.g. a missing database file; the scan reports it and check exits 2
            self.workspace, self.problem = None, str(exc).splitlines()[0]

    def rows(self, dataset: Dataset) -> list[dict] | None:
        from governance.errors import GovernanceError

        if self.workspace is None:
            self.evidence.unreadable[dataset.id] = self.problem
        if dataset.id in self.evidence.unreadable:
            return None
        try:
            return [r.data for r in self.workspace.records(dataset.id)]
        except (GovernanceError, KeyError) as exc:
            self.evidence.unreadable[dataset.id] = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            return None

    def column(self, dataset: Dataset, name: str) -> list[str] | None:
        from governance.dsr.datasets import get_path

        rows = self.rows(dataset)
        return None if rows is None else [_text(get_path(row, name)) for row in rows]

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()


def collect(loaded: LoadedInventory, scan_date: date, dob_columns: dict[str, list[str]],
            country_columns: dict[str, list[str]], found_columns: dict[str, list[str]]) -> Evidence:
    """Read the evidence of every declared dataset.

    ``dob_columns``, ``country_columns`` and ``found_columns`` name, per dataset id, the
    columns declared or found to hold dates of birth, countries and personal data.
    """
    evidence = Evidence(scan_date=scan_date)
    reader = _Reader(loaded, evidence)
    try:
        datasets = loaded.inventory.datasets
        _children(datasets, reader, scan_date, dob_columns, country_columns)
        own = own_values(loaded.inventory.organization)
        postal = _squash(loaded.inventory.organization.postal_address)
        for ds in datasets:
            if ds.campaign_log is not None:
                _campaigns(ds, reader, postal)
            for column in found_columns.get(ds.id, []):
                values = reader.column(ds, column)
                distinct = {_squash(v) for v in values or [] if v}
                if distinct and distinct <= own:
                    evidence.own_value_columns.add((ds.id, column))
            for fd in ds.fields:
                if fd.generalised is not None:
                    values = reader.column(ds, fd.name)
                    if values is not None:
                        evidence.generalisation_failures[(ds.id, fd.name)] = generalisation_failures(
                            fd.generalised, values, scan_date)
    finally:
        reader.close()
    return evidence


def _campaigns(ds: Dataset, reader: _Reader, postal: str) -> None:
    rows = reader.rows(ds)
    if rows is None:
        return
    from governance.dsr.datasets import get_path

    log = ds.campaign_log
    found = CampaignEvidence(logged=len(rows))
    for row in rows:
        if not postal or postal not in _squash(_text(get_path(row, log.footer))):
            found.without_postal_address += 1
        if not _OPT_OUT.search(_text(get_path(row, log.opt_out))):
            found.without_opt_out += 1
    reader.evidence.campaigns[ds.id] = found


def _children(datasets: list[Dataset], reader: _Reader, on: date, dob_columns: dict[str, list[str]],
              country_columns: dict[str, list[str]]) -> None:
    """Children's rows per dataset: from birth dates, then through references until nothing changes."""
    flagged: dict[str, dict[int, ChildFlags]] = {}
    via: dict[str, str] = {}
    for ds in datasets:
        rows = reader.rows(ds) if dob_columns.get(ds.id) else None
        if not rows:
            continue
        countries = [None] * len(rows)
        for column in country_columns.get(ds.id, []):
            countries = [c or _country(v) for c, v in zip(countries, reader.column(ds, column) or [], strict=False)]
        for column in dob_columns[ds.id]:
            for i, age in enumerate(_ages(reader.column(ds, column) or [], on)):
                if age is None or age >= 16:
                    continue
                limit = consent_age(countries[i]) if countries[i] else None
                flags = ChildFlags(age < 13, True, limit is not None and age < limit)
                flagged.setdefault(ds.id, {})[i] = flags | flagged.get(ds.id, {}).get(i, flags)
                via.setdefault(ds.id, f"{ds.id}.{column}")
    by_id = {ds.id: ds for ds in datasets}
    changed = True
    while changed:
        changed = False
        for ds in datasets:
            for ref in ds.references:
                parent = by_id.get(ref.dataset)
                if parent is None:
                    continue
                link = f"{ds.id}.{ref.field} = {parent.id}.{ref.to_field}"
                changed |= _follow(reader, parent, ref.to_field, ds, ref.field, flagged, via, link)
                changed |= _follow(reader, ds, ref.field, parent, ref.to_field, flagged, via, link)
    for ds_id, rows in flagged.items():
        if not rows:
            continue
        reader.evidence.children[ds_id] = ChildEvidence(
            under_13=sum(f.under_13 for f in rows.values()),
            under_16=sum(f.under_16 for f in rows.values()),
            below_consent_age=sum(f.below_consent_age for f in rows.values()),
            via=via[ds_id],
        )


def _follow(reader: _Reader, source: Dataset, source_field: str, target: Dataset, target_field: str,
            flagged: dict[str, dict[int, ChildFlags]], via: dict[str, str], link: str) -> bool:
    """Flag the rows of ``target`` linked to flagged rows of ``source``; True when a flag was added."""
    if not flagged.get(source.id):
        return False
    keys = reader.column(source, source_field)
    values = reader.column(target, target_field)
    if keys is None or values is None:
        return False
    children: dict[str, ChildFlags] = {}
    for i, flags in flagged[source.id].items():
        if keys[i]:
            children[keys[i]] = flags | children.get(keys[i], flags)
    rows = flagged.setdefault(target.id, {})
    changed = False
    for j, value in enumerate(values):
        flags = children.get(value)
        if flags is None:
            continue
        merged = flags | rows.get(j, flags)
        if rows.get(j) != merged:
            rows[j] = merged
            changed = True
            via.setdefault(target.id, f"{via[source.id]} through {link}")
    return changed
