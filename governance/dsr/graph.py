"""Find every record of one data subject: identity matches, then the records related to them.

Relations are the inventory's declared ``references`` plus, for databases, the foreign
keys the schema declares. From the records that match the subject's identifiers the
search goes *down* to records that refer to them (customer -> orders -> order items,
payment cards) and *up* to records they refer to (customer -> address). A record found
going up belongs to the subject only when no other person's record refers to it through
any reference into its dataset (confirmed or not, whichever link the search arrived by);
otherwise it is **shared** (a household's address) and is neither disclosed nor
changed. Records found going up are never used to go down again, so the search cannot
climb from a shared record to other people. References marked ``confirmed: false`` are
not followed; the result warns about them. Only datasets holding data about the subject's
type (:meth:`Subject.covers`) are searched, and references into other datasets are not
followed (a service request's ``employee_id`` leads to a member of staff, not to the customer).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from governance.dsr.coverage import Coverage, coverage
from governance.dsr.datasets import Record, Workspace
from governance.dsr.subjects import Subject


@dataclass(frozen=True)
class Link:
    """``from_dataset.field`` refers to ``to_dataset.to_field``."""

    from_dataset: str
    field: str
    to_dataset: str
    to_field: str
    origin: str = "inventory"  # inventory | schema
    confirmed: bool = True

    def __str__(self) -> str:
        return f"{self.from_dataset}.{self.field} -> {self.to_dataset}.{self.to_field}"


@dataclass(frozen=True)
class SharedRecord:
    """A record related to the subject that other people's records refer to as well."""

    dataset: str
    label: str
    via: Link
    key: tuple = ()


@dataclass
class SubjectRecords:
    """The subject's records by dataset, how each was found, and what was left out and why."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    found_by: dict[tuple[str, tuple], str] = field(default_factory=dict)
    shared: list[SharedRecord] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    #: references not followed because they lead to datasets about other data subjects
    other_subjects: list[Link] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    warnings: list[str] = field(default_factory=list)

    def add(self, rec: Record, how: str) -> bool:
        ident = (rec.dataset, rec.key)
        if ident in self.found_by:
            return False
        self.found_by[ident] = how
        self.records.setdefault(rec.dataset, []).append(rec)
        return True

    def owns(self, rec: Record) -> bool:
        return (rec.dataset, rec.key) in self.found_by

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.records.values())

    def link_fields(self) -> set[tuple[str, str]]:
        """(dataset, field) pairs that hold keys linking records (both ends of every link)."""
        out = set()
        for link in self.links:
            out.update({(link.from_dataset, link.field), (link.to_dataset, link.to_field)})
        return out


def _norm(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def relations(workspace: Workspace) -> list[Link]:
    """Declared references plus database foreign keys between declared datasets, without duplicates."""
    links: dict[tuple, Link] = {}
    known = {ds.id for ds in workspace.datasets}
    for ds in workspace.datasets:
        for ref in ds.references:
            if ref.dataset in known:
                links[(ds.id, ref.field, ref.dataset, ref.to_field)] = Link(ds.id, ref.field, ref.dataset, ref.to_field,
                                                                             "inventory", ref.confirmed)
    for ds in workspace.datasets:
        adapter = workspace.adapter(ds.id)
        if not adapter.is_database:
            continue
        for fk in adapter.schema_links():
            target = workspace.find_table(adapter.url, fk.to_table, fk.to_schema)
            if target is not None:
                links[(ds.id, fk.field, target, fk.to_field)] = Link(ds.id, fk.field, target, fk.to_field, "schema")
    return list(links.values())


class RowIndex:
    """Rows of each dataset by the normalised value of one field, built on first use."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._by: dict[tuple[str, str], dict[str, list[Record]]] = {}

    def lookup(self, dataset: str, field_name: str, value: object) -> list[Record]:
        key = (dataset, field_name)
        if key not in self._by:
            table: dict[str, list[Record]] = {}
            for rec in self.workspace.records(dataset):
                v = _norm(rec.get(field_name))
                if v is not None:
                    table.setdefault(v, []).append(rec)
            self._by[key] = table
        norm = _norm(value)
        return self._by[key].get(norm, []) if norm is not None else []


def referrers(rec: Record, links: list[Link], index: RowIndex) -> list[Record]:
    """Every record that refers to ``rec`` through any of ``links`` (confirmed or not), from any dataset."""
    out = []
    for link in links:
        if link.to_dataset == rec.dataset:
            out += index.lookup(link.from_dataset, link.field, rec.get(link.to_field))
    return out


def find_subject(workspace: Workspace, subject: Subject) -> SubjectRecords:
    """Every record of ``subject`` across the inventory's datasets, and the shared records left out."""
    result = SubjectRecords(links=relations(workspace))
    scope = {ds.id for ds in workspace.datasets if subject.covers(ds)}
    within = [link for link in result.links if link.from_dataset in scope and link.to_dataset in scope]
    result.other_subjects = [link for link in result.links if link not in within
                             and (link.from_dataset in scope or link.to_dataset in scope)]
    followed = [link for link in within if link.confirmed]
    result.coverage = coverage([ds for ds in workspace.datasets if ds.id in scope], subject, result.links)
    index = RowIndex(workspace)

    # 1. identity matches
    queue: deque[Record] = deque()
    for ds in workspace.datasets:
        if not ds.identity_fields or ds.id not in scope:
            continue
        for rec in workspace.records(ds.id):
            for name in ds.identity_fields:
                ident = subject.match(ds, name, rec.get(name))
                if ident is not None:
                    if result.add(rec, f"matches {ident.key} ({ds.id}.{name})"):
                        queue.append(rec)
                    break

    # 2. down: records that refer to the subject's records
    while queue:
        rec = queue.popleft()
        for link in followed:
            if link.to_dataset != rec.dataset:
                continue
            for child in index.lookup(link.from_dataset, link.field, rec.get(link.to_field)):
                if result.add(child, f"refers to {link.to_dataset} {rec.label} ({link})"):
                    queue.append(child)

    # 3. up: records the subject's records refer to, unless someone else's record refers to them too
    pending = deque(r for rows in result.records.values() for r in rows)
    shared_seen: set[tuple[str, tuple]] = set()
    while pending:
        rec = pending.popleft()
        for link in followed:
            if link.from_dataset != rec.dataset:
                continue
            for parent in index.lookup(link.to_dataset, link.to_field, rec.get(link.field)):
                if result.owns(parent) or (parent.dataset, parent.key) in shared_seen:
                    continue
                if any(not result.owns(r) for r in referrers(parent, result.links, index)):
                    shared_seen.add((parent.dataset, parent.key))
                    result.shared.append(SharedRecord(parent.dataset, parent.label, link, parent.key))
                    continue
                result.add(parent, f"referred to by {rec.dataset} {rec.label} ({link})")
                pending.append(parent)

    for link in within:
        if not link.confirmed and (link.from_dataset in result.records or link.to_dataset in result.records):
            result.warnings.append(
                f"reference {link} is not confirmed (confirmed: false), so records reached only through it "
                "were not included; check it and set confirmed: true in the inventory")
    result.warnings += [gap.line() for gap in result.coverage.gaps if not gap.unconfirmed]
    return result
