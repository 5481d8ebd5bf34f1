"""Deletion requests: plan the erasure of each field by its declared strategy, honour legal holds, prove the result.

How a field of one of the subject's records is treated, in order:

1. a field under an active legal hold is kept (a hold without ``fields`` keeps the whole record);
2. a declared ``erasure`` is used: ``delete_row``, ``null``, ``hash`` (HMAC-SHA256 with the
   ledger's secret), ``redact`` (presidio-anonymizer's ``replace`` operator) or ``keep``;
3. fields that are not personal, primary keys and fields that link records are kept, except a
   key that is itself personal data (a visit log keyed by e-mail address): its row is deleted;
4. other personal fields: the row is deleted when the dataset declares no erasure at all,
   otherwise the field is set to null.

A row is deleted only when none of its fields is held and no record that stays refers to
it; otherwise its ``delete_row`` fields are erased in place. ``null`` on a NOT NULL text
column redacts instead. After the changes are applied, :func:`governance.dsr.verify.prove_erasure`
checks the stored data.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date

from governance.dsr.changes import Change
from governance.dsr.datasets import ColumnInfo, Record, Workspace
from governance.dsr.graph import RowIndex, SubjectRecords, referrers
from governance.errors import DsrError
from governance.inventory.models import Dataset, LegalHold

REDACTED = "[REDACTED]"
HASH_PREFIX = "hmac-sha256:"


def _redact(value: object) -> str:
    from presidio_anonymizer.operators import Replace

    return Replace().operate(str(value), {"new_value": REDACTED})


def _hash(value: object, secret: bytes) -> str:
    return HASH_PREFIX + hmac.new(secret, str(value).encode(), hashlib.sha256).hexdigest()


def is_erased(value: object) -> bool:
    """Whether a value is already the result of an erasure (redacted or hashed)."""
    return isinstance(value, str) and (value == REDACTED or value.startswith(HASH_PREFIX))


@dataclass(frozen=True)
class HeldRecords:
    """Records (or fields of them) kept under a legal hold, with its stated basis."""

    dataset: str
    records: int
    reason: str
    basis: str
    fields: list[str]  # empty = the whole record
    until: str | None = None


@dataclass
class DeletionPlan:
    """What a deletion changes, what it keeps and why."""

    changes: list[Change] = field(default_factory=list)
    held: list[HeldRecords] = field(default_factory=list)
    kept_keys: list[str] = field(default_factory=list)  # "dataset.field" kept because they link records
    undeclared: list[str] = field(default_factory=list)  # "dataset.column" not declared, left as they are
    erased_categories: set[str] = field(default_factory=set)
    #: for files without a declared key: every record's position before the changes (rows move up after a deletion)
    positions: dict[str, list[tuple]] = field(default_factory=dict, repr=False)
    _moved: dict[str, dict[tuple, tuple]] = field(default_factory=dict, repr=False)

    def key_after(self, dataset: str, key: tuple) -> tuple | None:
        """Where a record is after the changes: positional keys shift past deleted rows (None: deleted)."""
        if dataset not in self.positions:
            return key
        if dataset not in self._moved:
            deleted = {c.key for c in self.changes if c.dataset == dataset and c.action == "delete_row"}
            survivors = [k for k in self.positions[dataset] if k not in deleted]
            self._moved[dataset] = {k: (i,) for i, k in enumerate(survivors, start=1)}
        return self._moved[dataset].get(key)

    @property
    def rows_deleted(self) -> int:
        return sum(1 for c in self.changes if c.action == "delete_row")

    @property
    def fields_erased(self) -> int:
        return sum(1 for c in self.changes if c.action != "delete_row")


def active_holds(ds: Dataset, today: date) -> list[LegalHold]:
    """Legal holds of ``ds`` that have not ended (``until`` an ISO date in the past ends a hold)."""
    out = []
    for hold in ds.legal_holds:
        try:
            ended = hold.until is not None and date.fromisoformat(hold.until) < today
        except ValueError:
            ended = False  # a criterion in words ("until the claim is settled") keeps the hold
        if not ended:
            out.append(hold)
    return out


def _field_value(value: object, action: str, col: ColumnInfo, secret: bytes, where: str) -> object:
    """New value of a field erased by ``action`` (``null``/``hash``/``redact``), respecting the column."""
    if action == "null" and not col.nullable:
        action = "redact"
    if action in ("hash", "redact") and not col.text:
        if not col.nullable:
            raise DsrError(f"cannot {action} a non-text column that does not allow NULL", where=where,
                           hint="declare erasure: keep or delete_row for this field")
        action = "null"
    if action == "null":
        return None
    if action == "hash":
        return _hash(value, secret)
    return _redact(value)


class _Planner:
    def __init__(self, workspace: Workspace, found: SubjectRecords, secret: bytes, today: date):
        self.workspace = workspace
        self.found = found
        self.secret = secret
        self.today = today
        self.links = found.link_fields()
        self.index = RowIndex(workspace)
        self.plan = DeletionPlan()

    def field_action(self, ds: Dataset, name: str, keys: set[str], held: set[str]) -> str:
        decl = ds.field(name)
        if name in held:
            return "keep"
        if decl.erasure:
            return decl.erasure
        if not decl.personal:
            return "keep"
        if name in keys and name in self.workspace.adapter(ds.id).personal_keys([name]):
            return "delete_row"  # the key is the person's e-mail address or the like: only the row can go
        if name in keys or (ds.id, name) in self.links:
            return "keep_key"
        return "delete_row" if not any(f.erasure for f in ds.fields) else "null"

    def referenced_by_staying(self, rec: Record, deleting: set[tuple[str, tuple]]) -> bool:
        return any((ref.dataset, ref.key) not in deleting for ref in referrers(rec, self.found.links, self.index))

    def run(self) -> DeletionPlan:
        per_record: list[tuple[Dataset, Record, dict[str, str], bool]] = []
        for ds_id, records in self.found.records.items():
            ds = self.workspace.loaded.inventory.dataset(ds_id)
            holds = active_holds(ds, self.today)
            if any(not h.fields for h in holds):
                for h in holds:
                    self.plan.held.append(HeldRecords(ds_id, len(records), h.reason, h.basis, list(h.fields), h.until))
                continue
            held = {f for h in holds for f in h.fields}
            for h in holds:
                self.plan.held.append(HeldRecords(ds_id, len(records), h.reason, h.basis, list(h.fields), h.until))
            adapter = self.workspace.adapter(ds_id)
            keys = set(adapter.key_fields())
            declared = {f.name for f in ds.fields}
            for col in sorted({c for r in records for c in r.data} - declared):
                if not any(c.startswith(col + ".") or col.startswith(c + ".") for c in declared):
                    self.plan.undeclared.append(f"{ds_id}.{col}")
            for rec in records:
                actions = {name: self.field_action(ds, name, keys, held) for name in declared}
                per_record.append((ds, rec, actions, bool(held)))

        deleting = {(rec.dataset, rec.key) for ds, rec, actions, partly_held in per_record
                    if not partly_held and "delete_row" in actions.values()}
        changed = True
        while changed:  # a record something that stays refers to cannot go
            changed = False
            for _ds, rec, _a, _h in per_record:
                ident = (rec.dataset, rec.key)
                if ident in deleting and self.referenced_by_staying(rec, deleting):
                    deleting.discard(ident)
                    changed = True

        for ds_id in self.found.records:
            if not self.workspace.adapter(ds_id).key_fields():
                self.plan.positions[ds_id] = [r.key for r in self.workspace.records(ds_id)]
        for ds, rec, actions, _held in per_record:
            if (rec.dataset, rec.key) in deleting:
                self.plan.changes.append(Change(ds.id, rec.key, rec.label, None, "delete_row"))
                self.plan.erased_categories.update(f.category for f in ds.fields if f.personal and f.category)
                continue
            adapter = self.workspace.adapter(ds.id)
            for name, action in actions.items():
                if action == "delete_row" and name in adapter.key_fields():
                    action = "keep_key"  # a key cannot be nulled; the check after the erasure reports it
                if action == "keep_key":
                    self.plan.kept_keys.append(f"{ds.id}.{name}")
                if action in ("keep", "keep_key"):
                    continue
                action = "null" if action == "delete_row" else action
                value = rec.get(name)
                if value in (None, "") or is_erased(value):
                    continue
                where = f"{ds.id}.{name}"
                new = _field_value(value, action, adapter.column(name), self.secret, where)
                self.plan.changes.append(Change(ds.id, rec.key, rec.label, name, action, new))
                decl = ds.field(name)
                if decl.category:
                    self.plan.erased_categories.add(decl.category)
        self.plan.kept_keys = sorted(set(self.plan.kept_keys))
        return self.plan


def plan_deletion(workspace: Workspace, found: SubjectRecords, secret: bytes, today: date) -> DeletionPlan:
    """Every change that erasing ``found`` makes, plus what is kept and why. Changes nothing."""
    return _Planner(workspace, found, secret, today).run()
