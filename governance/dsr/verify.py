"""Check an erasure against the stored data after it ran, and say exactly what remains and why.

Each check fails when something is left:

1. every planned change is in the stored data (deleted rows gone, erased fields hold their new values);
2. every record of the subject, as found before the erasure and as found by searching again, is
   read back: a personal value outside legal holds and record-linking keys, a value in a column
   the inventory does not describe, or a key that is itself personal data remains;
3. every column of every dataset about the subject's type is searched for each e-mail address and
   telephone number of the subject (those given and those found in their records before the
   erasure), also inside free text: a hit outside a legal hold or a shared record remains;
4. records linked to the subject's records through an unconfirmed reference remain, not searched.

Shared records and legal holds are not "remaining": the letter states them with their reasons.
Lines name datasets, fields and masked row labels, never a value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import phonenumbers

from governance.dsr.datasets import Record, Workspace
from governance.dsr.delete import DeletionPlan, active_holds, is_erased
from governance.dsr.graph import RowIndex, SubjectRecords, find_subject
from governance.dsr.subjects import NORMALISERS, Subject, field_kind

#: why something remains after an erasure
REASONS = ("personal", "undeclared", "unconfirmed")


@dataclass(frozen=True)
class Remaining:
    """Records of one dataset that still hold the subject's data, for one reason."""

    dataset: str
    reason: str  # one of REASONS
    records: int
    detail: str  # field names, or the unconfirmed reference


@dataclass
class ErasureProof:
    """The result of checking the stored data after the changes."""

    searched: list[str]  # the identifiers given, masked
    identifiers: int  # distinct e-mail addresses and telephone numbers searched for in every column
    records_found_again: int
    changes_verified: int
    residual: list[str]
    remaining: list[Remaining] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.residual


def _leaves(data: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            yield f"{prefix}{key}", json.dumps(value, ensure_ascii=False, default=str)
        else:
            yield f"{prefix}{key}", value


class _Check:
    def __init__(self, workspace: Workspace, subject: Subject, found: SubjectRecords, plan: DeletionPlan,
                 today: date):
        self.workspace, self.subject, self.found, self.plan = workspace, subject, found, plan
        self.today = today
        self.scope = [ds for ds in workspace.datasets if subject.covers(ds)]
        self.seen: set[tuple] = set()
        self.residual: list[str] = []
        self.groups: dict[tuple[str, str], tuple[set, set]] = {}
        self.by_key: dict[str, dict[tuple, Record]] = {}
        self.verified = 0

    def left(self, rec: Record | None, dataset: str, key: tuple, name: str, reason: str, line: str) -> None:
        if (dataset, key, name) in self.seen:
            return
        self.seen.add((dataset, key, name))
        rows, details = self.groups.setdefault((dataset, reason), (set(), set()))
        rows.add(key)
        details.add(name)
        self.residual.append(f"{dataset} {rec.label if rec else 'row'}: {line}")

    def holds(self, dataset: str) -> tuple[bool, set[str]]:
        """(whole records held, held fields) of a dataset."""
        holds = active_holds(self.workspace.loaded.inventory.dataset(dataset), self.today)
        return any(not h.fields for h in holds), {f for h in holds for f in h.fields}

    def changes(self) -> None:
        deleted = {(c.dataset, c.key) for c in self.plan.changes if c.action == "delete_row"}
        for ds_id in sorted({d for d, _k in deleted}):
            gone = {k for d, k in deleted if d == ds_id}
            rows = self.workspace.records(ds_id)
            if ds_id in self.plan.positions:
                expected = len(self.plan.positions[ds_id]) - len(gone)
                if len(rows) != expected:
                    self.left(None, ds_id, ("count",), "(whole row)", "personal",
                              f"holds {len(rows)} rows, {expected} expected after deleting")
                else:
                    self.verified += len(gone)
                continue
            present = {r.key: r for r in rows}
            for key in gone:
                if key in present:
                    self.left(present[key], ds_id, key, "(whole row)", "personal", "the row still exists")
                else:
                    self.verified += 1
        for c in self.plan.changes:
            if not c.field:
                continue
            rec = self.reread(c.dataset, c.key)
            stored = rec.get(c.field) if rec is not None else None
            if rec is None or (stored != c.new_value and not (stored in (None, "") and c.new_value is None)):
                self.left(rec, c.dataset, c.key, c.field, "personal", f"{c.field} does not hold its erased value")
            else:
                self.verified += 1

    def reread(self, dataset: str, key: tuple) -> Record | None:
        """The stored record that was ``key`` before the changes (None when it is gone)."""
        if dataset not in self.by_key:
            self.by_key[dataset] = {r.key: r for r in self.workspace.records(dataset)}
        return self.by_key[dataset].get(self.plan.key_after(dataset, key))

    def records(self, again: SubjectRecords) -> None:
        deleted = {(c.dataset, c.key) for c in self.plan.changes if c.action == "delete_row"}
        stored: dict[tuple, Record] = {}
        for ds_id, recs in self.found.records.items():
            for rec in recs:
                if (ds_id, rec.key) not in deleted:
                    now = self.reread(ds_id, rec.key)
                    if now is not None:
                        stored[(ds_id, now.key)] = now
        for ds_id, recs in again.records.items():
            stored.update({(ds_id, r.key): r for r in recs})
        links = self.found.link_fields() | again.link_fields()
        for (ds_id, _key), rec in sorted(stored.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            whole, held = self.holds(ds_id)
            if whole:
                continue
            ds = self.workspace.loaded.inventory.dataset(ds_id)
            adapter = self.workspace.adapter(ds_id)
            keys = set(adapter.key_fields())
            personal_keys = adapter.personal_keys(sorted(keys))
            declared = {f.name for f in ds.fields}
            for name, value in _leaves(rec.data):
                if value in (None, "") or is_erased(value) or name in held:
                    continue
                decl = ds.field(name)
                if decl is None:
                    if not any(d.startswith(name + ".") or name.startswith(d + ".") for d in declared):
                        self.left(rec, ds_id, rec.key, name, "undeclared",
                                  f"{name} is not declared in the inventory and still holds a value")
                    continue
                if not decl.personal or decl.erasure == "keep":
                    continue
                if (name in keys or (ds_id, name) in links) and name not in personal_keys:
                    continue
                self.left(rec, ds_id, rec.key, name, "personal", f"{name} still holds a personal value")

    def identifiers(self) -> tuple[set[str], set[str]]:
        """The subject's e-mail addresses and telephone numbers (E.164): given, and in their records."""
        region = self.subject.region
        values = {"email": set(self.subject.values_of_kind("email")), "phone": set(self.subject.values_of_kind("phone"))}
        for ds_id, recs in self.found.records.items():
            ds = self.workspace.loaded.inventory.dataset(ds_id)
            for decl in ds.fields:
                kind = field_kind(decl)
                if kind in values:
                    values[kind].update(NORMALISERS[kind](r.get(decl.name), region)
                                        for r in recs if r.get(decl.name) not in (None, ""))
        return {v for v in values["email"] if v}, {v for v in values["phone"] if v}

    def sweep(self) -> int:
        emails, phones = self.identifiers()
        region = self.subject.region
        shared = {(s.dataset, s.key) for s in self.found.shared}
        mine = {(d, r.key) for d, recs in self.found.records.items() for r in recs}
        for ds in self.scope:
            whole, held = self.holds(ds.id)
            for rec in self.workspace.records(ds.id):
                ident = (ds.id, rec.key)
                if ident in shared or (ident in mine and whole):
                    continue
                for name, value in _leaves(rec.data):
                    if value in (None, "") or is_erased(value) or (ident in mine and name in held):
                        continue
                    text = str(value)
                    if any(e in text.casefold() for e in emails) or (
                            phones and sum(ch.isdigit() for ch in text) >= 7 and _phones_in(text, region) & phones):
                        self.left(rec, ds.id, rec.key, name, "personal",
                                  f"{name} still holds one of the subject's e-mail addresses or telephone numbers")
        return len(emails) + len(phones)

    def unconfirmed(self) -> None:
        index = RowIndex(self.workspace)
        ids = {ds.id for ds in self.scope}
        for link in self.found.links:
            if link.confirmed or link.from_dataset not in ids or link.to_dataset not in ids:
                continue
            ends = [(link.to_dataset, link.to_field, link.from_dataset, link.field),
                    (link.from_dataset, link.field, link.to_dataset, link.to_field)]
            for have, have_field, other, other_field in ends:
                for rec in self.found.records.get(have, []):
                    for row in index.lookup(other, other_field, rec.get(have_field)):
                        if not self.found.owns(row):
                            self.left(row, other, row.key, str(link), "unconfirmed",
                                      f"linked through the unconfirmed reference {link}; not searched or changed")

    def remaining(self) -> list[Remaining]:
        return [Remaining(ds, reason, len(rows), ", ".join(sorted(details)))
                for (ds, reason), (rows, details) in sorted(self.groups.items())]


def _phones_in(text: str, region: str) -> set[str]:
    found = {phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
             for m in phonenumbers.PhoneNumberMatcher(text, region)}
    whole = NORMALISERS["phone"](text, region)
    return found | ({whole} if whole else set())


def prove_erasure(workspace: Workspace, subject: Subject, found: SubjectRecords, plan: DeletionPlan,
                  today: date) -> ErasureProof:
    """Read the stored data again after ``plan`` was applied to the records ``found`` before it, and list
    everything of the subject that remains (see the module docstring)."""
    workspace.refresh()
    check = _Check(workspace, subject, found, plan, today)
    check.changes()
    again = find_subject(workspace, subject)
    check.records(again)
    count = check.sweep()
    check.unconfirmed()
    return ErasureProof(subject.masked(), count, again.count, check.verified, check.residual, check.remaining())
