"""What rule conditions see: the inventory and the scan findings, linked to each other.

Each declared item is wrapped in a small *view* that exposes the item's own keys plus
derived facts (a dataset's findings, a field's recipients, whether a finding was
declared, which HIPAA identifier it is). Views name their attributes and types, so
paths in rule files are checked when the rule loads. ``rules/README.md`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import yaml

from governance.inventory.drafts import placeholders
from governance.inventory.loader import LoadedInventory
from governance.inventory.models import (
    Children, Dataset, FieldDecl, Notices, Organization, Purpose, Recipient, Requests, Security,
)
from governance.resources import data_file
from governance.ropa.record import purpose_gaps
from governance.scan.models import Finding, ScanResult
from governance.scan.sources import source_key
from governance.taxonomy import category_matches, category_overlaps, entities


# --------------------------------------------------------------------------- HIPAA identifiers


@dataclass(frozen=True)
class HipaaIdentifier:
    """One of the 18 Safe Harbor identifiers of 45 CFR 164.514(b)(2)(i), from ``hipaa_identifiers.yaml``."""

    paragraph: str
    name: str
    citation: str
    note: str = ""
    entities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    generalisations: tuple[str, ...] = ()

    def covers(self, entity: str | None, category: str | None) -> bool:
        return (entity is not None and entity in self.entities) or (
            category is not None and any(category_matches(c, category) for c in self.categories)
        )


@lru_cache(maxsize=None)
def hipaa_identifiers() -> tuple[HipaaIdentifier, ...]:
    """The 18 identifiers, in the order of the regulation."""
    raw = yaml.safe_load(data_file("hipaa_identifiers.yaml").read_text(encoding="utf-8"))
    return tuple(
        HipaaIdentifier(
            paragraph=str(row["paragraph"]),
            name=row["name"],
            citation=f"45 CFR 164.514(b)(2)(i)({row['paragraph']})",
            note=(row.get("note") or "").strip(),
            entities=tuple(row.get("entities") or ()),
            categories=tuple(row.get("categories") or ()),
            generalisations=tuple(row.get("generalisations") or ()),
        )
        for row in raw
    )


def hipaa_identifier(entity: str | None, category: str | None, generalised: str | None = None) -> HipaaIdentifier | None:
    """The Safe Harbor identifier an entity or category is, if any (none when generalised to a form it allows)."""
    found = next((i for i in hipaa_identifiers() if i.covers(entity, category)), None)
    return None if found is not None and generalised in found.generalisations else found


# --------------------------------------------------------------------------- Vietnam sensitive data


@dataclass(frozen=True)
class VnSensitiveCategory:
    """One kind of sensitive personal data of Vietnam's Decree 356/2025/ND-CP Art. 4(1), from ``vn_sensitive_categories.yaml``."""

    point: str
    name: str
    citation: str
    decree_13: str = ""
    note: str = ""
    categories: tuple[str, ...] = ()


@lru_cache(maxsize=None)
def vn_sensitive_categories() -> tuple[VnSensitiveCategory, ...]:
    """The kinds of sensitive personal data, in the order of the decree."""
    raw = yaml.safe_load(data_file("vn_sensitive_categories.yaml").read_text(encoding="utf-8"))
    return tuple(
        VnSensitiveCategory(
            point=str(row["point"]),
            name=row["name"],
            citation=f"Decree 356/2025/ND-CP Art. 4(1)({row['point']})",
            decree_13=str(row.get("decree_13") or ""),
            note=(row.get("note") or "").strip(),
            categories=tuple(row.get("categories") or ()),
        )
        for row in raw
    )


def vn_sensitive(category: str | None) -> VnSensitiveCategory | None:
    """The kind of Vietnamese sensitive personal data a category is, if any (the most specific match)."""
    matches = [
        (len(key), entry) for entry in vn_sensitive_categories() for key in entry.categories
        if category is not None and category_matches(key, category)
    ]
    return max(matches, key=lambda m: m[0])[1] if matches else None


# --------------------------------------------------------------------------- sources


def dataset_source(loaded: LoadedInventory, dataset: Dataset) -> str:
    """The source string to scan for a dataset: a path or URL resolved against the inventory directory."""
    loc = dataset.location
    if loc.path is not None:
        return str(loaded.resolve_path(loc.path))
    from governance.errors import InputError
    from governance.scan.databases import resolve_url

    try:
        return resolve_url(loc.url or "", loaded.base_dir)
    except InputError:  # an unusable URL is reported by the scan, not here
        return loc.url or ""


def _table_matches(declared: str | None, found: str) -> bool:
    if not declared:
        return True
    return found == declared or found.rsplit(".", 1)[-1] == declared.rsplit(".", 1)[-1]


# --------------------------------------------------------------------------- views


class View:
    """A declared item (or finding) as rule conditions see it: its own keys plus derived facts."""

    NAME: ClassVar[str]
    MODEL: ClassVar[type]
    DERIVED: ClassVar[dict[str, Any]] = {}
    COMPANIONS: ClassVar[dict[str, Any]] = {}

    def __init__(self, model: Any, anchor: str, key: str):
        self.model = model
        self.anchor = anchor  # where to fix it: inventory file:line or data location
        self.key = key  # stable target identity for waivers and baselines

    def __getattr__(self, name: str) -> Any:
        model = self.__dict__.get("model")
        if model is None:
            raise AttributeError(name)
        return getattr(model, name)

    @classmethod
    def attribute_types(cls) -> dict[str, Any]:
        from governance.rules.conditions import attribute_types

        return {**(attribute_types(cls.MODEL) or {}), **cls.DERIVED}

    @classmethod
    def scope_of(cls) -> dict[str, Any]:
        """Names an item of this kind binds in a condition: itself and its companions."""
        return {cls.NAME: cls, **cls.COMPANIONS}

    def bindings(self) -> dict[str, Any]:
        return {self.NAME: self, **{name: getattr(self, name, None) for name in self.COMPANIONS}}


class PurposeView(View):
    NAME = "purpose"
    MODEL = Purpose
    fields: list[FieldView]
    recipients: list[RecipientView]
    categories: list[str]
    vn_sensitive_categories: list[str]
    record_gaps: list[str]


class DatasetView(View):
    NAME = "dataset"
    MODEL = Dataset
    fields: list[FieldView]
    personal_fields: list[FieldView]
    findings: list[FindingView]
    categories: list[str]
    found_categories: list[str]
    holds_personal_data: bool
    source: str
    k_anonymity: int | None
    meets_min_k: bool | None
    children_under_13: int
    children_under_16: int
    children_below_consent_age: int
    children_evidence: str
    campaigns_logged: int
    campaigns_without_postal_address: int
    campaigns_without_opt_out: int
    evidence_unreadable: str


class FieldView(View):
    NAME = "field"
    MODEL = FieldDecl
    dataset: DatasetView
    findings: list[FindingView]
    found_categories: list[str]
    data_uses: list[str]
    disclosed_to: list[RecipientView]
    hipaa_identifier: HipaaIdentifier | None
    vn_sensitive: VnSensitiveCategory | None
    safe_harbor: bool
    generalisation_failures: int | None
    legal_bases: list[str]


class RecipientView(View):
    NAME = "recipient"
    MODEL = Recipient
    data_uses: list[str]


class FindingView(View):
    NAME = "finding"
    MODEL = Finding
    dataset: DatasetView | None
    field: FieldView | None
    declared: bool
    undeclared_reason: str
    label: str
    hipaa_identifier: HipaaIdentifier | None
    vn_sensitive: VnSensitiveCategory | None
    own_values: bool


PurposeView.DERIVED = {
    "fields": list[FieldView], "recipients": list[RecipientView], "categories": list[str],
    "vn_sensitive_categories": list[str], "record_gaps": list[str],
}
DatasetView.DERIVED = {
    "fields": list[FieldView], "personal_fields": list[FieldView], "findings": list[FindingView],
    "categories": list[str], "found_categories": list[str], "holds_personal_data": bool, "source": str,
    "k_anonymity": int | None, "meets_min_k": bool | None,
    "children_under_13": int, "children_under_16": int, "children_below_consent_age": int, "children_evidence": str,
    "campaigns_logged": int, "campaigns_without_postal_address": int, "campaigns_without_opt_out": int,
    "evidence_unreadable": str,
}
FieldView.DERIVED = {
    "dataset": DatasetView, "findings": list[FindingView], "found_categories": list[str],
    "data_uses": list[str], "disclosed_to": list[RecipientView], "hipaa_identifier": HipaaIdentifier | None,
    "vn_sensitive": VnSensitiveCategory | None, "safe_harbor": bool, "generalisation_failures": int | None,
    "legal_bases": list[str],
}
FieldView.COMPANIONS = {"dataset": DatasetView}
RecipientView.DERIVED = {"data_uses": list[str]}
FindingView.DERIVED = {
    "dataset": DatasetView | None, "field": FieldView | None, "declared": bool, "undeclared_reason": str,
    "label": str, "hipaa_identifier": HipaaIdentifier | None, "share": float, "location": str, "identity": str,
    "vn_sensitive": VnSensitiveCategory | None, "own_values": bool,
}
FindingView.COMPANIONS = {"dataset": DatasetView | None, "field": FieldView | None}

#: Names every condition can use, whatever the rule's target.
ROOT_SCOPE: dict[str, Any] = {
    "organization": Organization,
    "notices": Notices,
    "security": Security,
    "children": Children | None,
    "requests": Requests,
    "purposes": list[PurposeView],
    "datasets": list[DatasetView],
    "recipients": list[RecipientView],
    "fields": list[FieldView],
    "findings": list[FindingView],
    "data_categories": list[str],
    "scanned": bool,
    "placeholders": list[str],
}

#: What a rule can iterate over: target name -> the view class bound for each item.
TARGETS: dict[str, type[View] | None] = {
    "organization": None,
    "purpose": PurposeView,
    "dataset": DatasetView,
    "field": FieldView,
    "recipient": RecipientView,
    "finding": FindingView,
}


def target_scope(target: str) -> dict[str, Any]:
    """Names in scope for a rule with this target."""
    view = TARGETS[target]
    return {**ROOT_SCOPE, **(view.scope_of() if view else {})}


# --------------------------------------------------------------------------- building the facts


@dataclass
class Facts:
    """The linked views of one inventory and one scan."""

    loaded: LoadedInventory
    purposes: list[PurposeView] = field(default_factory=list)
    datasets: list[DatasetView] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)
    recipients: list[RecipientView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    scanned: bool = False

    def root(self) -> dict[str, Any]:
        inv = self.loaded.inventory
        categories = {f.category for f in self.fields if f.personal and f.category}
        categories |= {f.category for f in self.findings}
        return {
            "organization": inv.organization,
            "notices": inv.notices,
            "security": inv.security,
            "children": inv.children,
            "requests": inv.requests,
            "purposes": self.purposes,
            "datasets": self.datasets,
            "recipients": self.recipients,
            "fields": self.fields,
            "findings": self.findings,
            "data_categories": sorted(categories),
            "scanned": self.scanned,
            "placeholders": placeholders(inv),
        }

    def targets(self, target: str) -> list[View | None]:
        """The items a rule with this target iterates over (``[None]`` for the organisation)."""
        return {
            "organization": [None],
            "purpose": self.purposes,
            "dataset": self.datasets,
            "field": self.fields,
            "recipient": self.recipients,
            "finding": self.findings,
        }[target]


def build_facts(loaded: LoadedInventory, scan: ScanResult | None) -> Facts:
    """Wrap the inventory and the scan findings in linked views."""
    inv = loaded.inventory
    facts = Facts(loaded, scanned=scan is not None)
    where = loaded.where
    facts.recipients = [RecipientView(r, where(("recipients", i)), f"recipient:{r.id}") for i, r in enumerate(inv.recipients)]
    facts.purposes = [PurposeView(p, where(("purposes", i)), f"purpose:{p.id}") for i, p in enumerate(inv.purposes)]
    uses = {p.id: p.data_use for p in inv.purposes}
    bases = {p.id: p.legal_basis for p in inv.purposes}
    for rv in facts.recipients:
        rv.data_uses = sorted({uses[p] for p in rv.purposes if p in uses})
    for di, ds in enumerate(inv.datasets):
        dv = DatasetView(ds, where(("datasets", di)), f"dataset:{ds.id}")
        dv.source = dataset_source(loaded, ds)
        dv.findings = []
        dv.fields = []
        for fi, fd in enumerate(ds.fields):
            fv = FieldView(fd, where(("datasets", di, "fields", fi)), f"dataset:{ds.id}.{fd.name}")
            fv.dataset = dv
            fv.findings = []
            fv.data_uses = sorted({uses[p] for p in fd.purposes if p in uses})
            fv.disclosed_to = [
                rv for rv in facts.recipients
                if set(rv.purposes) & set(fd.purposes)
                and (not rv.categories or (fd.category and any(category_overlaps(c, fd.category) for c in rv.categories)))
            ]
            fv.hipaa_identifier = hipaa_identifier(None, fd.category, fd.generalised) if fd.personal else None
            fv.safe_harbor = "safe_harbor" in (ds.deidentified, fd.deidentified)
            fv.generalisation_failures = None
            fv.legal_bases = sorted({b for b in [fd.legal_basis, *(bases.get(p) for p in fd.purposes)] if b})
            fv.vn_sensitive = vn_sensitive(fd.category) if fd.personal else None
            dv.fields.append(fv)
        dv.personal_fields = [f for f in dv.fields if f.personal]
        facts.datasets.append(dv)
        facts.fields.extend(dv.fields)
    for pv in facts.purposes:
        pv.fields = [f for f in facts.fields if pv.id in f.purposes]
        pv.recipients = [r for r in facts.recipients if pv.id in r.purposes]
        pv.categories = sorted({f.category for f in pv.fields if f.personal and f.category})
        pv.vn_sensitive_categories = sorted({f.category for f in pv.fields if f.vn_sensitive is not None})
        pv.record_gaps = purpose_gaps(inv, pv.model)
    keyed = [(source_key(dv.source), dv) for dv in facts.datasets]
    for finding in scan.findings if scan else []:
        facts.findings.append(_finding_view(finding, keyed))
    _attach_evidence(facts, loaded, scan)
    for dv in facts.datasets:
        dv.found_categories = sorted({f.category for f in dv.findings})
        dv.categories = sorted({f.category for f in dv.personal_fields if f.category} | set(dv.found_categories))
        dv.holds_personal_data = bool(dv.personal_fields or dv.findings)
        dv.k_anonymity = _k_anonymity(dv) if scan is not None else None
        dv.meets_min_k = None if dv.k_anonymity is None else dv.k_anonymity >= dv.model.min_k
        for fv in dv.fields:
            fv.found_categories = sorted({f.category for f in fv.findings})
    return facts


def _k_anonymity(dv: DatasetView) -> int | None:
    """k of a dataset declared de-identified, on its declared quasi-identifiers, read from the data."""
    ds = dv.model
    if ds.deidentified == "none" or not ds.quasi_identifiers:
        return None
    from governance.errors import GovernanceError
    from governance.risk.api import measure_risk

    try:
        return measure_risk(dv.source, ds.quasi_identifiers, table=ds.location.table).k
    except GovernanceError:  # an unreadable dataset is reported by the scan
        return None
def _attach_evidence(facts: Facts, loaded: LoadedInventory, scan: ScanResult | None) -> None:
    """Counts read from the data (children, campaigns, own values, generalisations); zero without a scan."""
    from governance.rules.evidence import COUNTRY_CATEGORY, DOB_CATEGORY, Evidence, collect

    if scan is None:
        evidence = Evidence(scan_date=date.today())
    else:
        columns = lambda dv, category, entity: sorted(  # noqa: E731
            {f.name for f in dv.personal_fields if f.category and category_matches(category, f.category)}
            | {f.column for f in dv.findings if f.entity == entity and f.kind == "column"})
        evidence = collect(
            loaded, scan.scan_date,
            dob_columns={dv.id: columns(dv, DOB_CATEGORY, "DATE_OF_BIRTH") for dv in facts.datasets},
            country_columns={dv.id: columns(dv, COUNTRY_CATEGORY, "COUNTRY") for dv in facts.datasets},
            found_columns={dv.id: sorted({f.column for f in dv.findings if f.kind == "column"}) for dv in facts.datasets},
        )
    for dv in facts.datasets:
        children = evidence.children.get(dv.id)
        dv.children_under_13 = children.under_13 if children else 0
        dv.children_under_16 = children.under_16 if children else 0
        dv.children_below_consent_age = children.below_consent_age if children else 0
        dv.children_evidence = children.via if children else ""
        campaigns = evidence.campaigns.get(dv.id)
        dv.campaigns_logged = campaigns.logged if campaigns else 0
        dv.campaigns_without_postal_address = campaigns.without_postal_address if campaigns else 0
        dv.campaigns_without_opt_out = campaigns.without_opt_out if campaigns else 0
        dv.evidence_unreadable = evidence.unreadable.get(dv.id, "")
        for fv in dv.fields:
            fv.generalisation_failures = evidence.generalisation_failures.get((dv.id, fv.name))
    for view in facts.findings:
        view.own_values = view.dataset is not None and (view.dataset.id, view.column) in evidence.own_value_columns


def _finding_view(finding: Finding, datasets: list[tuple[str, DatasetView]]) -> FindingView:
    key = source_key(finding.source)
    dv = next((d for k, d in datasets if k == key and _table_matches(d.model.location.table, finding.table)), None)
    fv = next((f for f in dv.fields if f.name == finding.column), None) if dv else None
    ident = f"dataset:{dv.id}.{finding.column}" if dv else f"{finding.source}|{finding.table}|{finding.column}"
    view = FindingView(finding, finding.location, f"{ident}:{finding.kind}:{finding.entity}")
    view.dataset, view.field = dv, fv
    info = entities().get(finding.entity)
    view.label = info.label if info else finding.entity
    view.hipaa_identifier = hipaa_identifier(finding.entity, finding.category, fv.generalised if fv else None)
    view.vn_sensitive = vn_sensitive(finding.category)
    view.undeclared_reason = _undeclared_reason(finding, dv, fv)
    view.declared = not view.undeclared_reason
    if dv is not None:
        dv.findings.append(view)
    if fv is not None:
        fv.findings.append(view)
    return view


def _undeclared_reason(finding: Finding, dv: DatasetView | None, fv: FieldView | None) -> str:
    if dv is None:
        return "its table is not a declared dataset"
    if fv is None:
        return f"column '{finding.column}' is not declared in dataset '{dv.id}'"
    if not fv.personal:
        return f"it is declared personal: false in dataset '{dv.id}'"
    if fv.category and not category_overlaps(fv.category, finding.category):
        return f"it is declared as {fv.category}"
    return ""
