"""The privacy policy's view model: the inventory restated in plain language for the templates.

:func:`build_context` turns a :class:`LoadedInventory` into a :class:`PolicyContext`
of plain values (strings, lists, small dataclasses). Templates render it; the
version store keeps it as JSON beside each rendered policy so that
:mod:`governance.policy.versions` can compare two versions by content, not by text.
Wording comes from ``governance/data/policy_language.yaml``; category examples
come from ``governance/data/entities.yaml`` and the fideslang taxonomy. Built for a
language other than English, every such word is taken from that language's catalog
(:meth:`governance.i18n.Localizer.term`); the organisation's own text is not translated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache

from governance.i18n import Localizer, localizer
from governance.inventory.loader import LoadedInventory
from governance.inventory.models import Contact, Inventory, Retention
from governance.policy.requirements import (
    facts,
    is_sensitive,
    language,
    personal_fields,
    third_country,
)
from governance.taxonomy import category_label, category_matches, data_uses, entities

# --- small helpers ----------------------------------------------------------------------------

def humanize_duration(period: str, loc: Localizer | None = None) -> str:
    """``P6Y`` -> ``6 years``; ``P1Y6M`` -> ``1 year and 6 months`` (date part of ISO 8601 durations)."""
    return (loc or localizer()).duration(period)


def retention_text(retention: Retention, loc: Localizer | None = None) -> str:
    """One plain sentence fragment for a retention declaration."""
    loc = loc or localizer()
    if retention.indefinite:
        return loc.gettext("kept indefinitely")
    if retention.period and retention.criterion:
        return f"{humanize_duration(retention.period, loc)} ({retention.criterion})"
    if retention.period:
        return humanize_duration(retention.period, loc)
    return retention.criterion or ""


@cache
def _entity_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for info in entities().values():
        labels.setdefault(info.category, info.label)
    return labels


def example_label(category: str, loc: Localizer | None = None) -> str:
    """Plain-language example for a category: policy wording, the detector label, else the fideslang name."""
    loc = loc or localizer()
    label = language()["example_labels"].get(category) or _entity_labels().get(category)
    return loc.term(label) if label else loc.term(category_label(category)).lower()


def group_of(category: str) -> dict:
    """The ``category_groups`` entry a category belongs to (first prefix match)."""
    for group in language()["category_groups"]:
        if any(category_matches(p, category) for p in group["prefixes"]):
            return group
    return language()["category_groups"][-1]


def _unique(items) -> list:
    return list(dict.fromkeys(i for i in items if i))


def _country(code: str, loc: Localizer) -> str:
    name = language()["country_names"].get(code.upper())
    return loc.term(name) if name else code.upper()


def _group_labels(loc: Localizer) -> list[str]:
    """The category groups' labels in the policy's order and language."""
    return [loc.term(g["label"]) for g in language()["category_groups"]]


# --- the view model ---------------------------------------------------------------------------

@dataclass
class ContactView:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    postal_address: str | None = None

    @classmethod
    def of(cls, c: Contact | None) -> ContactView | None:
        return None if c is None else cls(c.name, c.email, c.phone, c.url, c.postal_address)


@dataclass
class CategoryGroup:
    key: str
    label: str
    description: str
    examples: list[str]
    categories: list[str]
    sensitive: bool
    sources: list[str]
    purposes: list[str]
    retention: list[str]


@dataclass
class SourceView:
    key: str
    label: str
    description: str
    groups: list[str]


@dataclass
class PurposeView:
    id: str
    description: str
    data_use: str
    legal_basis: str
    legal_basis_citation: str
    legitimate_interest: str | None
    consent_mechanism: str | None
    opt_out: str | None
    automated_decision_making: str | None
    groups: list[str]


@dataclass
class RecipientView:
    id: str
    name: str
    type: str
    type_label: str
    disclosure: str
    disclosure_label: str
    groups: list[str]
    purposes: list[str]
    country: str
    country_name: str
    third_country: bool
    transfer_safeguard: str | None


@dataclass
class CategorySharing:
    group: str
    sold_or_shared_to: list[str]
    disclosed_to: list[str]


@dataclass
class Right:
    key: str
    label: str
    text: str
    citation: str


@dataclass
class MarketingView:
    description: str
    consent_mechanism: str | None
    opt_out: str | None
    honoured_within_business_days: int | None
    identifies_as_advertisement: bool
    sender_identified: bool


@dataclass
class Section:
    id: str
    number: int
    title: str


@dataclass
class PolicyContext:
    """Everything the policy templates render, in plain language."""

    effective_date: str | None
    version: str | None
    organization: dict
    contact: ContactView
    dpo: ContactView | None
    representative: ContactView | None
    facts: dict[str, bool]
    jurisdictions: list[str]
    category_groups: list[CategoryGroup]
    sources: list[SourceView]
    purposes: list[PurposeView]
    recipients: list[RecipientView]
    sharing_by_category: list[CategorySharing]
    sold_or_shared_groups: list[str]
    retention_fallback: str | None
    security: list[str]
    children: dict
    health: dict
    marketing: list[MarketingView]
    gdpr_rights: list[Right]
    ccpa_rights: list[Right]
    requests: dict
    notices: dict
    sections: list[Section] = field(default_factory=list)

    def has(self, section_id: str) -> bool:
        """True when the section is part of this policy."""
        return any(s.id == section_id for s in self.sections)

    def section(self, section_id: str) -> Section:
        """The numbered section ``section_id``."""
        return next(s for s in self.sections if s.id == section_id)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (stored beside each saved version)."""
        return asdict(self)


def _groups(inv: Inventory, loc: Localizer) -> list[CategoryGroup]:
    order = [g["key"] for g in language()["category_groups"]]
    found: dict[str, dict] = {}
    src = language()["sources"]
    for ds, fld in personal_fields(inv):
        g = group_of(fld.category)
        slot = found.setdefault(g["key"], {"group": g, "cats": [], "sources": [], "purposes": [], "retention": []})
        slot["cats"].append(fld.category)
        slot["sources"].append(loc.term(src[fld.source]["label"]))
        slot["purposes"] += [inv.purpose(p).description for p in fld.purposes if inv.purpose(p)]
        retention = fld.retention or ds.retention
        what = (ds.description.split(";")[0].rstrip(".") or ds.id)
        kept = retention_text(retention, loc) if retention else (
            loc.gettext("no fixed period; see the criterion below") if inv.notices.retention_criteria
            else loc.gettext("no period declared"))
        slot["retention"].append(f"{what}: {kept}")
    out = []
    for key in sorted(found, key=order.index):
        slot, g = found[key], found[key]["group"]
        cats = _unique(slot["cats"])
        out.append(CategoryGroup(
            key=key, label=loc.term(g["label"]), description=loc.term(g["description"]),
            examples=_unique(example_label(c, loc) for c in cats), categories=cats,
            sensitive=any(is_sensitive(c) for c in cats), sources=_unique(slot["sources"]),
            purposes=_unique(slot["purposes"]), retention=_unique(slot["retention"]),
        ))
    return out


def _sources(inv: Inventory, loc: Localizer) -> list[SourceView]:
    by_source: dict[str, list[str]] = {}
    for _, fld in personal_fields(inv):
        by_source.setdefault(fld.source, []).append(loc.term(group_of(fld.category)["label"]))
    order = list(language()["sources"])
    groups = _group_labels(loc)
    return [SourceView(s, loc.term(language()["sources"][s]["label"]), loc.term(language()["sources"][s]["description"]),
                       sorted(_unique(g), key=groups.index))
            for s, g in sorted(by_source.items(), key=lambda kv: order.index(kv[0]))]


def _purposes(inv: Inventory, loc: Localizer) -> list[PurposeView]:
    bases = language()["legal_bases"]
    groups: dict[str, list[str]] = {}
    for _, fld in personal_fields(inv):
        for pid in fld.purposes:
            groups.setdefault(pid, []).append(loc.term(group_of(fld.category)["label"]))
    return [PurposeView(
        id=p.id, description=p.description, data_use=data_uses().get(p.data_use, {}).get("name", p.data_use),
        legal_basis=loc.term(bases[p.legal_basis]["label"]) if p.legal_basis else loc.gettext("not declared"),
        legal_basis_citation=bases[p.legal_basis]["citation"] if p.legal_basis else "GDPR Art. 6(1)",
        legitimate_interest=p.legitimate_interest, consent_mechanism=p.consent_mechanism,
        opt_out=p.opt_out.mechanism if p.opt_out else None, automated_decision_making=p.automated_decision_making,
        groups=_unique(groups.get(p.id, [])),
    ) for p in inv.purposes]


def _recipients(inv: Inventory, loc: Localizer) -> list[RecipientView]:
    lang = language()
    return [RecipientView(
        id=r.id, name=r.name, type=r.type, type_label=loc.term(lang["recipient_types"][r.type]),
        disclosure=r.disclosure, disclosure_label=loc.term(lang["disclosures"][r.disclosure]),
        groups=_unique(loc.term(group_of(c)["label"]) for c in r.categories),
        purposes=_unique(inv.purpose(p).description for p in r.purposes if inv.purpose(p)),
        country=r.country.upper(), country_name=_country(r.country, loc), third_country=third_country(r.country),
        transfer_safeguard=r.transfer_safeguard,
    ) for r in inv.recipients]


def _sharing_by_category(recipients: list[RecipientView], loc: Localizer) -> list[CategorySharing]:
    table: dict[str, CategorySharing] = {}
    for r in recipients:
        for g in r.groups:
            row = table.setdefault(g, CategorySharing(g, [], []))
            target = row.sold_or_shared_to if r.disclosure in ("sale", "sharing") else row.disclosed_to
            if r.disclosure != "none" and r.type_label not in target:
                target.append(r.type_label)
    order = _group_labels(loc)
    return sorted(table.values(), key=lambda row: order.index(row.group))


def _children(inv: Inventory, on: bool, loc: Localizer) -> dict:
    if not on:
        return {"applies": False}
    child_sets = [ds for ds in inv.datasets if ds.contains_children_data] or list(inv.datasets)
    cats = _unique(f.category for ds in child_sets for f in ds.fields if f.personal and f.category)
    purposes = _unique(inv.purpose(p).description for ds in child_sets for f in ds.fields for p in f.purposes
                       if f.personal and inv.purpose(p))
    recipients = _unique(r.name for r in inv.recipients
                         if any(category_matches(rc, c) or category_matches(c, rc) for rc in r.categories for c in cats))
    ch = inv.children
    return {
        "applies": True,
        "examples": _unique(example_label(c, loc) for c in cats),
        "purposes": purposes,
        "recipients": recipients,
        "consent_method": ch.verifiable_parental_consent if ch else None,
        "separate_third_party_consent": bool(ch and ch.separate_consent_for_third_party_disclosure),
        "retention_policy": ch.retention_policy if ch else None,
    }


def _jurisdiction(code: str, loc: Localizer) -> str:
    label = language()["jurisdictions"].get(code.upper(), {}).get("label")
    return loc.term(label) if label else code


def _health(inv: Inventory, on: bool) -> dict:
    return {"applies": on, "hipaa_role": inv.organization.hipaa_role, "notice": inv.notices.hipaa_notice}


def _marketing(inv: Inventory) -> list[MarketingView]:
    return [MarketingView(
        description=p.description, consent_mechanism=p.consent_mechanism,
        opt_out=p.opt_out.mechanism if p.opt_out else None,
        honoured_within_business_days=p.opt_out.honoured_within_business_days if p.opt_out else None,
        identifies_as_advertisement=bool(p.email_identifies_as_advertisement),
        sender_identified=bool(p.email_sender_identified),
    ) for p in inv.purposes if p.commercial_email or category_matches("marketing.communications", p.data_use)]


def _rights(law: str, on: bool, fact_values: dict[str, bool], loc: Localizer) -> list[Right]:
    if not on:
        return []
    return [Right(r["key"], loc.term(r["label"]), loc.term(r["text"]), r["citation"]) for r in language()["rights"][law]
            if fact_values.get(r.get("when", ""), True)]


def _sections(fact_values: dict[str, bool], loc: Localizer) -> list[Section]:
    shown = [s for s in language()["sections"] if fact_values.get(s.get("when", ""), True)]
    return [Section(s["id"], i, loc.term(s["title"])) for i, s in enumerate(shown, start=1)]


def build_context(loaded: LoadedInventory, lang: str = "en") -> PolicyContext:
    """The plain-language view of ``loaded`` that the policy templates render, worded in ``lang``.

    The organisation's own sentences are taken in ``lang`` where the inventory gives them
    (``{en: ..., fa: ...}``), in English otherwise (see :func:`untranslated`).
    """
    from governance.inventory.localized import translated

    loc = localizer(lang)
    inv = translated(loaded.inventory, lang)[0]
    org = inv.organization
    fv = facts(inv)
    security = inv.security
    recipients = _recipients(inv, loc)
    sold = _unique(g for r in recipients if r.disclosure in ("sale", "sharing") for g in r.groups)
    return PolicyContext(
        effective_date=inv.notices.effective_date.isoformat() if inv.notices.effective_date else None,
        version=inv.notices.version,
        organization={
            "name": org.name, "legal_name": org.legal_name, "postal_address": org.postal_address,
            "website": org.website, "hipaa_role": org.hipaa_role,
            "directed_to_children": org.directed_to_children,
            "actual_knowledge_under_13": org.actual_knowledge_under_13,
            "sells_personal_information_of_under_16": org.sells_personal_information_of_under_16,
        },
        contact=ContactView.of(org.privacy_contact),
        dpo=ContactView.of(org.dpo),
        representative=ContactView.of(org.eu_representative),
        facts=fv,
        jurisdictions=[_jurisdiction(j, loc) for j in org.jurisdictions],
        category_groups=_groups(inv, loc),
        sources=_sources(inv, loc),
        purposes=_purposes(inv, loc),
        recipients=recipients,
        sharing_by_category=_sharing_by_category(recipients, loc),
        sold_or_shared_groups=sold,
        retention_fallback=inv.notices.retention_criteria,
        security=list(security.measures) or [loc.term(text) for flag, text in language()["security_flags"].items()
                                             if getattr(security, flag)],
        children=_children(inv, fv["children"], loc),
        health=_health(inv, fv["health_section"]),
        marketing=_marketing(inv),
        gdpr_rights=_rights("gdpr", fv["gdpr"], fv, loc),
        ccpa_rights=_rights("ccpa", fv["ccpa"], fv, loc),
        requests={"methods": list(inv.requests.methods), "verification": inv.requests.verification,
                  "authorised_agents": inv.requests.authorised_agents},
        notices=inv.notices.model_dump(mode="json", exclude={"effective_date", "version"}),
        sections=_sections(fv, loc),
    )
