"""Which datasets a request actually searched, so no letter claims a search that did not happen.

A dataset about the subject's type is searched when one of its identity fields takes an
identifier the requester gave, or a confirmed reference links it to a dataset that is
searched. Anything else was not searched, and the request must say so:

* a dataset that declares no identity field and no reference (as ``governance init``
  writes them) is an inventory gap: the request stops, naming the dataset and what to declare;
* so is a dataset holding a declared field of a given identifier's kind (an e-mail column
  for ``email=...``) that is not one of its identity fields;
* a dataset only the requester's other identifiers would find, or one linked through an
  unconfirmed reference, is listed as not searched; when nothing was found at all the request
  stops rather than answer "no data", unless the only gaps are unconfirmed references (those
  lead only from the subject's records, and there are none).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.dsr.subjects import Subject, field_kind
from governance.inventory.models import Dataset

#: identifier kind -> how messages name its fields
KIND_NAMES = {"email": "e-mail", "phone": "telephone", "exact": "identifier"}


@dataclass(frozen=True)
class Gap:
    """A dataset the request did not search: why, and what the inventory should declare."""

    dataset: str
    reason: str
    fix: str
    blocking: bool  # an inventory gap: no request may be answered until it is fixed
    unconfirmed: bool = False  # reachable through an unconfirmed reference only

    def line(self) -> str:
        return f"dataset '{self.dataset}' was not searched: {self.reason}; {self.fix}"


@dataclass
class Coverage:
    """How each dataset of the subject's type was searched (``identity``, ``reference``) and the gaps."""

    searched: dict[str, str] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def not_searched(self, unconfirmed: bool = True) -> list[str]:
        """Datasets not searched; without those linked through unconfirmed references when ``unconfirmed`` is
        False (an erasure check lists their records as remaining)."""
        return [g.dataset for g in self.gaps if unconfirmed or not g.unconfirmed]

    def stops(self, found_count: int) -> list[Gap]:
        """The gaps that forbid answering: inventory gaps always, and with nothing found every other
        gap but unconfirmed references."""
        if found_count:
            return [g for g in self.gaps if g.blocking]
        return [g for g in self.gaps if g.blocking or not g.unconfirmed]


def _searchable_by(ds: Dataset, subject: Subject) -> list[str]:
    return [name for name in ds.identity_fields
            if any(i.applies_to(ds, name, field_kind(ds.field(name))) for i in subject.identifiers)]


def _kind_fields(ds: Dataset, subject: Subject) -> list[tuple[str, str]]:
    """(field, kind) of declared fields of the kinds of the given e-mail/phone identifiers, not identity fields."""
    kinds = {i.kind for i in subject.identifiers} - {"exact"}
    return [(f.name, field_kind(f)) for f in ds.fields
            if f.personal and field_kind(f) in kinds and f.name not in ds.identity_fields]


def coverage(datasets: list[Dataset], subject: Subject, links: list) -> Coverage:
    """What a search of ``datasets`` (those of the subject's type) for ``subject`` covers, given the links."""
    out = Coverage()
    for ds in datasets:
        fields = _searchable_by(ds, subject)
        if fields:
            out.searched[ds.id] = "identity"
    ids = {ds.id for ds in datasets}
    pairs = [(link.from_dataset, link.to_dataset, link.confirmed) for link in links
             if link.from_dataset in ids and link.to_dataset in ids]
    grew = True
    while grew:
        grew = False
        for a, b, confirmed in pairs:
            for x, y in ((a, b), (b, a)):
                if confirmed and x in out.searched and y not in out.searched:
                    out.searched[y] = "reference"
                    grew = True
    component = _components(ids, pairs)
    identified = {ds.id for ds in datasets if ds.identity_fields}
    for ds in datasets:
        if ds.id in out.searched:
            continue
        kind_fields = _kind_fields(ds, subject)
        if kind_fields:
            name, kind = kind_fields[0]
            out.gaps.append(Gap(ds.id, f"it holds the {KIND_NAMES[kind]} field '{name}' but declares no identity "
                                       f"field for it", f"add '{name}' to identity_fields of dataset '{ds.id}' in the "
                                                        "inventory", blocking=True))
        elif not component[ds.id] & identified:
            out.gaps.append(Gap(ds.id, "neither it nor any dataset linked to it declares an identity field",
                                "declare identity_fields (the e-mail, telephone or customer-number columns) of the "
                                f"dataset that identifies a person, or a reference from '{ds.id}' to it, in the "
                                "inventory", blocking=True))
        elif any(ds.id in p[:2] and (p[0] in out.searched or p[1] in out.searched) for p in pairs):
            out.gaps.append(Gap(ds.id, "it is linked only through a reference marked confirmed: false",
                                "check the reference and set confirmed: true", blocking=False, unconfirmed=True))
        else:
            by = ", ".join(sorted({f"{d}.{f}" for d in component[ds.id] for f in _identity(datasets, d)}))
            out.gaps.append(Gap(ds.id, f"it is found through {by}, and no identifier of that kind was given",
                                "give that identifier too (--subject)", blocking=False))
    return out


def _identity(datasets: list[Dataset], dataset_id: str) -> list[str]:
    return next(ds.identity_fields for ds in datasets if ds.id == dataset_id)


def _components(ids: set[str], pairs: list[tuple[str, str, bool]]) -> dict[str, set[str]]:
    """Each dataset's connected component over every link, confirmed or not."""
    group = {d: {d} for d in ids}
    for a, b, _confirmed in pairs:
        if group[a] is not group[b]:
            merged = group[a] | group[b]
            for d in merged:
                group[d] = merged
    return group
