"""The required-disclosure catalogue, and the inventory facts and key paths it is written in.

``governance/data/required_disclosures.yaml`` lists what a privacy policy must say
and which inventory keys supply it. This module loads it, decides which
disclosures apply to an inventory (jurisdictions and named facts) and finds the
keys that are missing. The facts (``FACTS``) are also what the policy templates
use to choose sections, so the document and the check agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel

from governance.errors import ConfigError
from governance.inventory.models import Dataset, FieldDecl, Inventory
from governance.resources import data_file
from governance.taxonomy import category_matches

Loc = tuple[Any, ...]


@cache
def language() -> dict:
    """The plain-language wording of ``governance/data/policy_language.yaml``."""
    with open(data_file("policy_language.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --- facts about an inventory -------------------------------------------------------------

_NOT_IDENTIFIABLE = {"safe_harbor", "expert_determination", "aggregated"}


def personal_fields(inv: Inventory) -> Iterator[tuple[Dataset, FieldDecl]]:
    """Every declared personal field with a category, with its dataset."""
    for ds in inv.datasets:
        for fld in ds.fields:
            if fld.personal and fld.category:
                yield ds, fld


def _identifiable(ds: Dataset, fld: FieldDecl) -> bool:
    return ds.deidentified not in _NOT_IDENTIFIABLE and (fld.deidentified or "none") not in _NOT_IDENTIFIABLE


def is_sensitive(category: str) -> bool:
    """Sensitive personal information under Cal. Civ. Code 1798.140(ae) (policy_language.yaml)."""
    return any(category_matches(p, category) for p in language()["sensitive_categories"])


def _sensitive_fields(inv: Inventory) -> Iterator[tuple[Dataset, FieldDecl]]:
    return ((ds, f) for ds, f in personal_fields(inv) if _identifiable(ds, f) and is_sensitive(f.category))


def _sensitive_beyond_permitted(inv: Inventory) -> bool:
    permitted = language()["permitted_sensitive_uses"]
    for _, fld in _sensitive_fields(inv):
        for pid in fld.purposes:
            purpose = inv.purpose(pid)
            if purpose and not any(category_matches(p, purpose.data_use) for p in permitted):
                return True
    return False


def third_country(country: str) -> bool:
    """True for a country outside the European Economic Area."""
    return country.upper() not in language()["eea_countries"]


def serves(inv: Inventory, jurisdictions: tuple[str, ...] | list[str]) -> bool:
    """True when the organisation serves any of ``jurisdictions`` ("US" also matches "US-CA")."""
    declared = [j.upper() for j in inv.organization.jurisdictions]
    return any(j == r or j.startswith(r + "-") for r in jurisdictions for j in declared)


def _children(inv: Inventory) -> bool:
    org = inv.organization
    return (org.directed_to_children or org.actual_knowledge_under_13
            or any(ds.contains_children_data for ds in inv.datasets)
            or any(category_matches("user.childrens", f.category) for _, f in personal_fields(inv)))


def _gdpr(inv: Inventory) -> bool:
    return serves(inv, [k for k, v in language()["jurisdictions"].items() if v.get("gdpr")])


def _ccpa(inv: Inventory) -> bool:
    return serves(inv, [k for k, v in language()["jurisdictions"].items() if v.get("ccpa")])


#: fact name -> test on the inventory. Disclosures (`applies.when`), rights and sections refer to these names.
FACTS: dict[str, Callable[[Inventory], bool]] = {
    "gdpr": _gdpr,
    "ccpa": _ccpa,
    "children": _children,
    "dpo_declared": lambda inv: inv.organization.dpo is not None,
    "legitimate_interests": lambda inv: any(p.legal_basis == "legitimate_interests" for p in inv.purposes),
    "consent_basis": lambda inv: any(p.legal_basis == "consent" for p in inv.purposes)
    or any(f.legal_basis == "consent" for _, f in personal_fields(inv)),
    "third_country_recipients": lambda inv: any(third_country(r.country) for r in inv.recipients),
    "sells_or_shares": lambda inv: any(r.disclosure in ("sale", "sharing") for r in inv.recipients),
    "third_party_recipients": lambda inv: any(r.type == "third_party" and r.disclosure != "none"
                                              for r in inv.recipients),
    "discloses_for_business_purpose": lambda inv: any(r.disclosure == "business_purpose" for r in inv.recipients),
    "sensitive_pi": lambda inv: next(_sensitive_fields(inv), None) is not None,
    "sensitive_beyond_permitted": _sensitive_beyond_permitted,
    "sells_under_16": lambda inv: inv.organization.sells_personal_information_of_under_16,
    "hipaa_covered_entity": lambda inv: inv.organization.hipaa_role == "covered_entity",
    "transfers_section": lambda inv: bool(inv.notices.international_transfers)
    or (_gdpr(inv) and any(third_country(r.country) for r in inv.recipients)),
    "health_section": lambda inv: inv.organization.hipaa_role != "none"
    or any(category_matches("user.health_and_medical", f.category) for _, f in personal_fields(inv)),
    "marketing_section": lambda inv: any(
        p.commercial_email or category_matches("marketing.communications", p.data_use) for p in inv.purposes),
}


def facts(inv: Inventory) -> dict[str, bool]:
    """Every fact of :data:`FACTS` for ``inv``."""
    return {name: bool(test(inv)) for name, test in FACTS.items()}


# --- key paths ------------------------------------------------------------------------------

#: item filter name -> test on one list item (used as ``datasets[personal]``)
ITEM_FILTERS: dict[str, Callable[[Any], bool]] = {
    "personal": lambda ds: any(f.personal and f.category for f in ds.fields),
}

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<filter>[^\]]*)\])?$")


@dataclass(frozen=True)
class Segment:
    name: str
    filter: str | None  # None: not a list step; "": every item; "a=b|c" or a named filter

    def matches(self, item: Any) -> bool:
        if not self.filter:
            return True
        if "=" in self.filter:
            attr, values = self.filter.split("=", 1)
            return str(getattr(item, attr, None)) in values.split("|")
        return ITEM_FILTERS[self.filter](item)


def parse_path(path: str) -> tuple[Segment, ...]:
    """``recipients[disclosure=sale|sharing].categories`` -> segments; raises ValueError when malformed."""
    segments = []
    for part in path.split("."):
        m = _SEGMENT.match(part)
        if not m:
            raise ValueError(f"bad key path segment '{part}' in '{path}'")
        flt = m.group("filter")
        if flt and "=" not in flt and flt not in ITEM_FILTERS:
            raise ValueError(f"unknown item filter '{flt}' in '{path}'; known: {', '.join(ITEM_FILTERS)}")
        segments.append(Segment(m.group("name"), flt))
    return tuple(segments)


def _present(parent: Any, name: str, value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):  # a yes/no statement counts only when written
        return not isinstance(parent, BaseModel) or name in parent.model_fields_set
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def missing_locations(inv: Inventory, path: str) -> list[Loc]:
    """Where ``path`` is missing in ``inv`` (empty: it is supplied everywhere it must be)."""
    gaps: list[Loc] = []

    def walk(node: Any, segments: tuple[Segment, ...], loc: Loc) -> None:
        seg, rest = segments[0], segments[1:]
        value = getattr(node, seg.name)
        here = loc + (seg.name,)
        if seg.filter is not None:
            for i, item in enumerate(value or []):
                if rest and seg.matches(item):
                    walk(item, rest, here + (i,))
            return
        if not rest:
            if not _present(node, seg.name, value):
                gaps.append(here)
            return
        if value is None:
            gaps.append(here)
            return
        walk(value, rest, here)

    walk(inv, parse_path(path), ())
    return gaps


# --- the catalogue --------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyRef:
    """One entry of a disclosure's ``keys``: a path, a declared section, or alternatives."""

    kind: str  # "path" | "declared" | "any_of"
    paths: tuple[str, ...]

    def label(self) -> str:
        return " or ".join(f"`{p}`" for p in self.paths)

    def missing(self, inv: Inventory) -> list[Loc]:
        """Locations to fix; empty when this entry is supplied."""
        if self.kind == "declared":
            return [] if self.paths[0] in inv.model_fields_set else [(self.paths[0],)]
        gaps = [missing_locations(inv, p) for p in self.paths]
        if self.kind == "any_of":
            return [] if any(not g for g in gaps) else gaps[0]
        return gaps[0]


@dataclass(frozen=True)
class Disclosure:
    """One required disclosure of ``required_disclosures.yaml``."""

    id: str
    law: str
    citation: str
    title: str
    text: str
    jurisdictions: tuple[str, ...]
    when: tuple[str, ...]
    keys: tuple[KeyRef, ...]
    section: str
    note: str = ""
    severity: str = "medium"

    @property
    def rule_id(self) -> str:
        return "DISCLOSE-" + self.id.upper()

    def applies(self, inv: Inventory, proven: frozenset[str] = frozenset()) -> bool:
        """True when the organisation serves one of the jurisdictions and every ``when`` fact holds.

        ``proven`` names facts the scanned data shows although the inventory does not
        declare them (``children``: dates of birth of children under 13).
        """
        return serves(inv, self.jurisdictions) and all(name in proven or FACTS[name](inv) for name in self.when)


_FIELDS = {"id", "law", "citation", "title", "text", "applies", "keys", "section", "note", "severity"}


def _key_ref(raw: Any, where: str) -> KeyRef:
    if isinstance(raw, str):
        parse_path(raw)
        return KeyRef("path", (raw,))
    if isinstance(raw, dict) and set(raw) == {"declared"}:
        if raw["declared"] not in Inventory.model_fields:
            raise ValueError(f"{where}: '{raw['declared']}' is not an inventory section")
        return KeyRef("declared", (raw["declared"],))
    if isinstance(raw, dict) and set(raw) == {"any_of"} and raw["any_of"]:
        for p in raw["any_of"]:
            parse_path(p)
        return KeyRef("any_of", tuple(raw["any_of"]))
    raise ValueError(f"{where}: a key is a path, {{declared: section}} or {{any_of: [paths]}}")


def load_disclosures(path=None) -> list[Disclosure]:
    """Load and validate the catalogue (default: the shipped data file)."""
    path = path or data_file("required_disclosures.yaml")
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    out: list[Disclosure] = []
    problems: list[str] = []
    for i, item in enumerate(raw.get("disclosures", [])):
        where = f"{path}: disclosures[{i}]"
        try:
            unknown = set(item) - _FIELDS
            if unknown:
                raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
            applies = item.get("applies") or {}
            when = tuple(applies.get("when", []))
            bad = [w for w in when if w not in FACTS]
            if bad:
                raise ValueError(f"{where}: unknown condition {bad}; known: {', '.join(FACTS)}")
            out.append(Disclosure(
                id=item["id"], law=item["law"], citation=item["citation"], title=item["title"],
                text=" ".join(str(item["text"]).split()), jurisdictions=tuple(applies.get("jurisdictions", [])),
                when=when, keys=tuple(_key_ref(k, where) for k in item.get("keys", [])),
                section=item["section"], note=item.get("note", ""), severity=item.get("severity", "medium"),
            ))
        except (KeyError, ValueError) as exc:
            problems.append(str(exc) if isinstance(exc, ValueError) else f"{where}: missing key {exc}")
    ids = [d.id for d in out]
    problems += [f"{path}: duplicate disclosure id '{i}'" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ConfigError(f"{len(problems)} problems in the required-disclosure catalogue", details=problems)
    return out


@cache
def disclosures() -> tuple[Disclosure, ...]:
    """The shipped catalogue, loaded once."""
    return tuple(load_disclosures())
