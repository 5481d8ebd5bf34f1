"""What the inventory declares about the data found for one subject, in the terms letters need.

GDPR Art. 15(1)(a)-(h) and the CCPA (Civil Code 1798.110, 11 CCR 7024) ask for the
purposes, the categories, the recipients, the retention, the sources and any automated
decision-making; these functions compute each list from the declared fields of the
datasets in which the subject's records were found, worded in the letter's language
(``loc``, English by default).
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.dsr.graph import SubjectRecords
from governance.i18n import N_, Localizer, localizer
from governance.inventory.models import Dataset, FieldDecl, Inventory, Recipient, Retention
from governance.taxonomy import category_label, category_overlaps

#: declared field source -> how a letter names it
SOURCE_LABELS = {
    "direct": N_("you, when you gave it to us"),
    "third_party": N_("other companies that shared it with us"),
    "purchased_list": N_("a list we bought from a list vendor"),
    "public": N_("publicly available sources"),
    "inferred": N_("our own inferences from other data we hold"),
    "harvested": N_("collection from websites"),
    "observed": N_("our observation of how you use our services"),
}

LEGAL_BASIS_LABELS = {
    "consent": N_("your consent (GDPR Art. 6(1)(a))"),
    "contract": N_("performance of a contract with you (GDPR Art. 6(1)(b))"),
    "legal_obligation": N_("a legal obligation (GDPR Art. 6(1)(c))"),
    "vital_interests": N_("vital interests (GDPR Art. 6(1)(d))"),
    "public_task": N_("a task in the public interest (GDPR Art. 6(1)(e))"),
    "legitimate_interests": N_("our legitimate interests (GDPR Art. 6(1)(f))"),
}

#: declared recipient type -> how a letter names it (other types: the key with spaces)
RECIPIENT_TYPE_LABELS = {
    "processor": N_("processor"),
    "service_provider": N_("service provider"),
    "contractor": N_("contractor"),
    "third_party": N_("third party"),
    "government": N_("government"),
    "affiliate": N_("affiliate"),
}


@dataclass(frozen=True)
class CategoryItem:
    key: str
    label: str


@dataclass(frozen=True)
class PurposeItem:
    id: str
    description: str
    legal_basis: str
    legitimate_interest: str | None
    automated_decision_making: str | None


@dataclass(frozen=True)
class RecipientItem:
    name: str
    type: str
    disclosure: str
    country: str
    transfer_safeguard: str | None
    categories: list[str]


@dataclass(frozen=True)
class RetentionItem:
    dataset: str
    description: str
    text: str


def personal_fields(found: SubjectRecords, inventory: Inventory) -> list[tuple[Dataset, FieldDecl]]:
    """Declared personal fields of the datasets holding the subject's records, with a value in some record."""
    out = []
    for ds_id, records in found.records.items():
        ds = inventory.dataset(ds_id)
        for decl in ds.fields:
            if not decl.personal or decl.category is None:
                continue
            if all(r.get(decl.name) in (None, "") for r in records):
                continue
            out.append((ds, decl))
    return out


def categories(fields: list[tuple[Dataset, FieldDecl]], loc: Localizer | None = None) -> list[CategoryItem]:
    loc = loc or localizer()
    keys = sorted({f.category for _, f in fields})
    return [CategoryItem(k, loc.term(category_label(k))) for k in keys]


def purposes(fields: list[tuple[Dataset, FieldDecl]], inventory: Inventory,
             loc: Localizer | None = None) -> list[PurposeItem]:
    loc = loc or localizer()
    ids = list(dict.fromkeys(p for _, f in fields for p in f.purposes))
    out = []
    for pid in ids:
        p = inventory.purpose(pid)
        if p is not None:
            out.append(PurposeItem(p.id, p.description, loc.term(LEGAL_BASIS_LABELS[p.legal_basis]) if p.legal_basis else loc.gettext("not declared"),
                                   p.legitimate_interest,
                                   p.automated_decision_making))
    return out


def recipient_type_label(recipient_type: str, loc: Localizer | None = None) -> str:
    """How a letter names a kind of recipient (``third_party`` -> ``third party``)."""
    label = RECIPIENT_TYPE_LABELS.get(recipient_type)
    return (loc or localizer()).term(label) if label else recipient_type.replace("_", " ")


def recipients_for(category_keys: set[str], inventory: Inventory, loc: Localizer | None = None) -> list[RecipientItem]:
    """Recipients that received any of ``category_keys`` (hierarchical match), with the categories they got."""
    loc = loc or localizer()
    out = []
    for rec in inventory.recipients:
        got = sorted({c for c in rec.categories for k in category_keys if category_overlaps(c, k)})
        if got:
            out.append(_recipient_item(rec, got, loc))
    return out


def _recipient_item(rec: Recipient, got: list[str], loc: Localizer) -> RecipientItem:
    return RecipientItem(rec.name, recipient_type_label(rec.type, loc), rec.disclosure.replace("_", " "), rec.country,
                         rec.transfer_safeguard, [loc.term(category_label(c)) for c in got])


def _retention_text(ret: Retention, loc: Localizer) -> str:
    parts = []
    if ret.period:
        # English letters have always shown the ISO 8601 period itself (P6Y); other languages get it in words
        period = ret.period if loc.is_source else loc.duration(ret.period)
        parts.append(loc.gettext("period %(period)s") % {"period": period})
    if ret.criterion:
        parts.append(ret.criterion)
    if ret.indefinite:
        parts.append(loc.gettext("kept without a fixed end"))
    return loc.clause_separator.join(parts)


def retention(found: SubjectRecords, inventory: Inventory, loc: Localizer | None = None) -> list[RetentionItem]:
    loc = loc or localizer()
    out = []
    for ds_id in found.records:
        ds = inventory.dataset(ds_id)
        text = (_retention_text(ds.retention, loc) if ds.retention
                else loc.gettext("no retention period is declared for these records"))
        out.append(RetentionItem(ds.id, ds.description or ds.id, text))
    return out


def sources(fields: list[tuple[Dataset, FieldDecl]], loc: Localizer | None = None) -> list[str]:
    loc = loc or localizer()
    return [loc.term(SOURCE_LABELS[s]) for s in dict.fromkeys(f.source for _, f in fields)]
