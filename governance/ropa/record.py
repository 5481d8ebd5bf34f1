"""The record of processing activities (GDPR Art. 30), built from the declared inventory.

One row per purpose for the controller's record (Art. 30(1)) and one row per
processing carried out for another controller (Art. 30(2)). The columns and their
headings come from ``governance/data/ropa_columns.yaml`` (the CNIL record template).
An item the record must hold but the inventory does not declare is written as
``MISSING: ...`` and listed in the row's ``gaps``; ``governance check`` reports the
gaps of each purpose through rule GDPR-RECORD-OF-PROCESSING.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from governance.inventory.models import Contact, Inventory, ProcessingOnBehalf, Purpose, Recipient, Retention, Transfer
from governance.policy.requirements import third_country
from governance.resources import data_file
from governance.taxonomy import category_label, data_subjects, data_uses

MISSING = "MISSING: "
LEGAL_BASES = {
    "consent": "consent (Art. 6(1)(a))",
    "contract": "contract (Art. 6(1)(b))",
    "legal_obligation": "legal obligation (Art. 6(1)(c))",
    "vital_interests": "vital interests (Art. 6(1)(d))",
    "public_task": "public task (Art. 6(1)(e))",
    "legitimate_interests": "legitimate interests (Art. 6(1)(f))",
}


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    article: str

    @property
    def title(self) -> str:
        """The heading with the point of the law it answers: ``Recipients (Art. 30(1)(d))``."""
        return f"{self.heading} ({self.article})"


@dataclass(frozen=True)
class Gap:
    """An item of the record the inventory does not declare: its column and what is missing."""

    column: str
    text: str


@dataclass
class Row:
    """One processing activity: a cell per column key, and the items it lacks."""

    cells: dict[str, str]
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[Row]
    empty: str = ""  # what an empty sheet says


@dataclass
class Record:
    """The whole record: the controller's sheet and the processor's sheet."""

    organisation: str
    template: str
    controller: Sheet
    processor: Sheet

    @property
    def sheets(self) -> list[Sheet]:
        return [self.controller, self.processor]

    @property
    def gaps(self) -> list[Gap]:
        return [g for sheet in self.sheets for row in sheet.rows for g in row.gaps]


@cache
def _columns() -> dict:
    return yaml.safe_load(data_file("ropa_columns.yaml").read_text(encoding="utf-8"))


def columns(kind: str) -> list[Column]:
    """The columns of the ``controller`` or ``processor`` sheet."""
    return [Column(**c) for c in _columns()[kind]]


class _Cells:
    """Collects a row's cells and the gaps of the cells marked missing."""

    def __init__(self) -> None:
        self.row = Row({})

    def put(self, key: str, text: str) -> None:
        self.row.cells[key] = text

    def missing(self, key: str, what: str, article: str) -> str:
        self.row.gaps.append(Gap(key, f"{what} ({article})"))
        return f"{MISSING}{what} ({article})"


def contact_text(contact: Contact | None) -> str:
    """``name, e-mail, telephone, address, url`` of a contact, the parts given."""
    if contact is None:
        return ""
    parts = [contact.name, contact.email, contact.phone, contact.postal_address, contact.url]
    return "; ".join(p for p in parts if p)


def _retention_text(retention: Retention) -> str:
    parts = [p for p in (retention.period, retention.criterion) if p]
    if retention.indefinite:
        parts.append("kept indefinitely")
    return ", ".join(parts)


def _transfer_safeguard(cells: _Cells, name: str, safeguard: str | None, clause_49: bool,
                        documentation: str | None, point: str) -> str:
    """The safeguard of one transfer; an Art. 49(1) second-subparagraph transfer needs its documentation."""
    if clause_49 and documentation:
        return f"{name}: compelling legitimate interests (Art. 49(1) second subparagraph); {documentation}"
    if clause_49:
        return cells.missing("safeguards", f"documentation of suitable safeguards for the transfer to {name}",
                             f"Art. {point}, Art. 49(1) second subparagraph")
    if safeguard:
        return f"{name}: {safeguard}"
    return cells.missing("safeguards", f"safeguard for the transfer to {name}", f"Art. {point}, Art. 46")


def _controller_row(inv: Inventory, purpose: Purpose) -> Row:
    org = inv.organization
    cells = _Cells()
    cells.put("activity", purpose.id)
    name = org.name + (f" ({org.legal_name})" if org.legal_name and org.legal_name != org.name else "")
    contact = contact_text(org.privacy_contact)
    cells.put("controller", f"{name}; {org.postal_address}" + (f"; {contact}" if contact else ""))
    cells.put("joint_controller", contact_text(purpose.joint_controller) or "None declared")
    cells.put("representative", contact_text(org.eu_representative) or "None declared")
    cells.put("dpo", contact_text(org.dpo) or "None designated")
    use = data_uses().get(purpose.data_use, {}).get("name", purpose.data_use)
    cells.put("purposes", f"{purpose.description} ({use})")
    if purpose.legal_basis is None:
        basis = cells.missing("legal_basis", "the lawful basis", "Art. 6(1)")
    else:
        basis = LEGAL_BASES[purpose.legal_basis]
        if purpose.legitimate_interest:
            basis += f": {purpose.legitimate_interest}"
    cells.put("legal_basis", basis)

    holding = [(ds, [f for f in ds.fields if f.personal and purpose.id in f.purposes]) for ds in inv.datasets]
    holding = [(ds, fields) for ds, fields in holding if fields]
    subjects = sorted({s for ds, _ in holding for s in ds.data_subjects})
    cells.put("data_subjects", "; ".join(data_subjects().get(s, {}).get("name", s) for s in subjects) or cells.missing(
        "data_subjects", "categories of data subjects: no declared personal field serves this purpose", "Art. 30(1)(c)"))
    categories = sorted({f.category for _, fields in holding for f in fields if f.category})
    cells.put("data_categories", "; ".join(f"{category_label(c)} ({c})" for c in categories) or cells.missing(
        "data_categories", "categories of personal data: no declared personal field serves this purpose", "Art. 30(1)(c)"))

    recipients = [r for r in inv.recipients if purpose.id in r.purposes]
    cells.put("recipients", "; ".join(f"{r.name} ({r.type.replace('_', ' ')}, {r.country})" for r in recipients)
              or "None: no recipient receives data for this purpose")
    abroad = [r for r in recipients if third_country(r.country)]
    cells.put("transfers", "; ".join(f"{r.country}: {r.name}" for r in abroad) or "None")
    cells.put("safeguards", "; ".join(_recipient_safeguard(cells, r) for r in abroad) or "Not applicable: no transfers")

    retention = []
    for ds, fields in holding:
        own = [f"{f.name}: {_retention_text(f.retention)}" for f in fields if f.retention is not None]
        if ds.retention is not None:
            retention.append(f"{ds.id}: {_retention_text(ds.retention)}" + (f" ({'; '.join(own)})" if own else ""))
        elif own and len(own) == len(fields):
            retention.append(f"{ds.id}: {'; '.join(own)}")
        else:
            retention.append(cells.missing("retention", f"time limit for erasure of dataset '{ds.id}'", "Art. 30(1)(f)"))
    cells.put("retention", "; ".join(retention) or "Not applicable: no declared personal field serves this purpose")
    cells.put("security", _security(inv, cells, "30(1)(g)"))
    return cells.row


def _recipient_safeguard(cells: _Cells, r: Recipient) -> str:
    return _transfer_safeguard(cells, r.name, r.transfer_safeguard, r.compelling_legitimate_interests,
                               r.safeguards_documentation, "30(1)(e)")


def _security(inv: Inventory, cells: _Cells, point: str) -> str:
    measures = inv.security.measures
    if measures:
        return "; ".join(measures)
    return cells.missing("security", "description of the technical and organisational security measures",
                         f"Art. {point}, Art. 32(1)")


def _processor_row(inv: Inventory, activity: ProcessingOnBehalf) -> Row:
    org = inv.organization
    cells = _Cells()
    cells.put("activity", activity.id)
    contact = contact_text(org.privacy_contact)
    cells.put("processor", f"{org.name}; {org.postal_address}" + (f"; {contact}" if contact else ""))
    ctrl = activity.controller
    reachable = any((ctrl.email, ctrl.phone, ctrl.postal_address, ctrl.url))
    cells.put("controller", contact_text(ctrl) if ctrl.name and reachable else cells.missing(
        "controller", "name and contact details of the controller", "Art. 30(2)(a)"))
    cells.put("representative", contact_text(activity.controller_representative) or "None declared")
    cells.put("dpo", contact_text(org.dpo) or "None designated")
    cells.put("categories_of_processing", "; ".join(activity.categories_of_processing) or cells.missing(
        "categories_of_processing", "categories of processing carried out for the controller", "Art. 30(2)(b)"))
    abroad = [t for t in activity.transfers if third_country(t.country)]
    cells.put("transfers", "; ".join(t.country for t in abroad) or "None")
    cells.put("safeguards", "; ".join(_transfer_text(cells, t) for t in abroad) or "Not applicable: no transfers")
    cells.put("security", _security(inv, cells, "30(2)(d)"))
    return cells.row


def _transfer_text(cells: _Cells, t: Transfer) -> str:
    clause_49 = t.safeguard is None and t.safeguards_documentation is not None
    return _transfer_safeguard(cells, t.country, t.safeguard, clause_49, t.safeguards_documentation, "30(2)(c)")


def build_record(inv: Inventory) -> Record:
    """The record of processing activities of ``inv``."""
    controller = Sheet("Controller (Art. 30(1))", columns("controller"), [_controller_row(inv, p) for p in inv.purposes],
                       "The inventory declares no purpose (purposes).")
    processor = Sheet("Processor (Art. 30(2))", columns("processor"),
                      [_processor_row(inv, a) for a in inv.processing_on_behalf],
                      "The inventory declares no processing carried out on behalf of another controller "
                      "(processing_on_behalf).")
    return Record(inv.organization.name, _columns()["source"], controller, processor)


def purpose_gaps(inv: Inventory, purpose: Purpose) -> list[str]:
    """What the record lacks for this purpose, leaving out the organisation-wide security measures
    (rule GDPR-RECORDS reports those once)."""
    return [g.text for g in _controller_row(inv, purpose).gaps if g.column != "security"]
