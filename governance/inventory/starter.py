"""Write a commented starter inventory (``governance init``) from a scan or a Fides manifest.

The starter is a draft for a person to finish: it fills in what the data shows
(columns, the categories the scanner found, references between tables) and marks
with ``TODO`` everything only the organisation can say (purposes, retention, legal
bases). It always loads with :func:`governance.inventory.loader.load_inventory`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from governance.errors import ConfigError
from governance.fileio import atomic_write
from governance.masking import mask_url_password
from governance.scan.models import Finding, ScanResult
from governance.taxonomy import entities

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "none", "y", "n", "~"}


#: categories of the columns proposed as identity fields (what a data-subject request looks people up by)
IDENTITY_CATEGORIES = ("user.contact.email", "user.contact.phone_number")


@dataclass
class StarterField:
    name: str
    category: str | None = None
    purposes: list[str] = field(default_factory=list)
    comment: str = ""


@dataclass
class StarterReference:
    field: str
    dataset: str
    to_field: str
    confirmed: bool
    comment: str = ""


@dataclass
class StarterDataset:
    id: str
    location: dict[str, str]
    description: str = ""
    fields: list[StarterField] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    identity_fields: list[str] = field(default_factory=list)
    references: list[StarterReference] = field(default_factory=list)
    contains_children_data: bool = False
    comment: str = ""


@dataclass
class StarterPurpose:
    id: str
    data_use: str
    description: str
    legal_basis: str
    special_category_condition: str | None = None
    comment: str = ""


@dataclass
class Starter:
    """Everything a starter inventory declares."""

    datasets: list[StarterDataset] = field(default_factory=list)
    purposes: list[StarterPurpose] = field(default_factory=list)
    origin: str = ""


# --------------------------------------------------------------------------- from a scan


def identifier(name: str, taken: set[str]) -> str:
    """A unique inventory id (``[A-Za-z0-9][A-Za-z0-9_.-]*``) made from a table or file name."""
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.-") or "dataset"
    if not base[0].isalnum():
        base = "d" + base
    candidate, n = base[:90], 2
    while candidate in taken:
        candidate, n = f"{base[:86]}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _location(source: str, table: str, original: str, base_dir: Path) -> dict[str, str]:
    if "://" not in source:
        loc = {"path": os.path.relpath(Path(source).resolve(), base_dir.resolve())}
        return {**loc, "table": table} if table else loc
    url = original
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if parsed.database and parsed.database != ":memory:":
            url = parsed.set(database=os.path.relpath(Path(parsed.database).resolve(), base_dir.resolve())).render_as_string(
                hide_password=False)
    return {"url": mask_url_password(url), "table": table}


def _best(findings: list[Finding]) -> Finding:
    return max(findings, key=lambda f: (f.kind == "column", f.confidence, f.matched))


def _field_from_findings(column: str, findings: list[Finding]) -> StarterField:
    if not findings:
        return StarterField(column, comment="no personal data found: check, then keep personal: false")
    labels = {e: info.label for e, info in entities().items()}
    best = _best(findings)
    seen = ", ".join(f"{labels.get(f.entity, f.entity)} {f.matched}/{f.non_empty}" for f in findings)
    if best.kind == "leak":
        return StarterField(column, "user.content.private",
                            comment=f"free text holding {seen}: TODO confirm the category; redact what should not be there")
    note = f"found: {seen} (confidence {best.confidence:.2f})"
    if best.age_facts is not None and best.age_facts.under_13:
        note += f"; {best.age_facts.under_13} dates of birth are of children under 13 (COPPA)"
    return StarterField(column, best.category, comment=note + "; TODO purposes")


def starter_from_scan(
    scan: ScanResult,
    sources: Iterable[str],
    base_dir: Path,
    references: dict[str, dict[str, list[StarterReference]]] | None = None,
    primary_keys: dict[str, dict[str, list[str]]] | None = None,
) -> Starter:
    """One dataset per table the scan read; references and primary keys by ``masked URL -> table``."""
    originals = {mask_url_password(s): s for s in sources if "://" in s}
    by_column: dict[tuple[str, str, str], list[Finding]] = {}
    for f in scan.findings:
        by_column.setdefault((f.source, f.table, f.column), []).append(f)
    starter, taken = Starter(origin="a scan of " + ", ".join(mask_url_password(s) for s in sources)), set()
    table_ids: dict[tuple[str, str], str] = {}
    for table in scan.tables:
        name = table.table or Path(table.source).stem
        table_ids[(table.source, table.table)] = identifier(name, taken)
    for table in scan.tables:
        ds = StarterDataset(
            id=table_ids[(table.source, table.table)],
            location=_location(table.source, table.table, originals.get(table.source, table.source), base_dir),
            comment=f"{table.rows_scanned} rows scanned" + (" (sampled)" if table.sampled else ""),
        )
        for column in table.columns:
            found = by_column.get((table.source, table.table, column), [])
            ds.fields.append(_field_from_findings(column, found))
            ds.contains_children_data |= any(f.age_facts is not None and f.age_facts.under_13 for f in found)
        ds.primary_key = (primary_keys or {}).get(table.source, {}).get(table.table, [])
        ds.identity_fields = [f.name for f in ds.fields if f.category in IDENTITY_CATEGORIES]
        for ref in (references or {}).get(table.source, {}).get(table.table, []):
            target = table_ids.get((table.source, ref.dataset))
            if target:
                ds.references.append(StarterReference(ref.field, target, ref.to_field, ref.confirmed, ref.comment))
        starter.datasets.append(ds)
    return starter


# --------------------------------------------------------------------------- rendering


def _y(value) -> str:
    """A YAML scalar or flow sequence (JSON strings are valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_y(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return f"  # {text}" if text else ""


HEADER = """\
# Starter inventory written by `governance init` on {today} from {origin}.
# It is a draft: finish every TODO, then run `governance check --inventory {target}`.
# Categories, data uses and data subjects are fideslang keys: `governance taxonomy data-categories`.
# Schema: governance/schemas/inventory.schema.json. Paths are relative to this file.

organization:
  name: TODO your organisation's name
  postal_address: TODO street or registered box address  # shown in commercial e-mail (CAN-SPAM)
  privacy_contact:
    email: TODO privacy contact e-mail
  jurisdictions: []  # TODO where your customers are, e.g. [US, US-CA, EU]
  hipaa_role: none  # or covered_entity / business_associate
  directed_to_children: false
  actual_knowledge_under_13: false

security:
  encryption_at_rest: false  # TODO declare the controls you have
  written_security_program: false
  written_retention_policy: false
"""


def render_starter(starter: Starter, target: str) -> str:
    """The starter inventory as commented YAML."""
    out = [HEADER.format(today=date.today().isoformat(), origin=starter.origin or "nothing", target=target)]
    out.append("purposes:" + ("" if starter.purposes else " []  # TODO why you process personal data"))
    for p in starter.purposes:
        out.append(f"  - id: {_y(p.id)}{_comment(p.comment)}")
        out.append(f"    data_use: {_y(p.data_use)}")
        out.append(f"    description: {_y(p.description)}")
        out.append(f"    legal_basis: {_y(p.legal_basis)}")
        if p.special_category_condition:
            out.append(f"    special_category_condition: {_y(p.special_category_condition)}")
    out.append("")
    out.append("datasets:" + ("" if starter.datasets else " []"))
    for ds in starter.datasets:
        out.append(f"  - id: {_y(ds.id)}{_comment(ds.comment)}")
        out.append(f"    description: {_y(ds.description or 'TODO what this dataset holds')}")
        loc = ", ".join(f"{k}: {_y(v)}" for k, v in ds.location.items())
        out.append(f"    location: {{{loc}}}{_comment(_location_note(ds.location))}")
        out.append("    # retention: P3Y  # TODO how long you keep it (ISO 8601 period or a criterion)")
        if ds.primary_key:
            out.append(f"    primary_key: {_y(ds.primary_key)}")
        if ds.identity_fields:
            out.append(f"    identity_fields: {_y(ds.identity_fields)}  # proposed from the scan: columns a "
                       "data-subject request looks people up by; TODO confirm")
        if ds.contains_children_data:
            out.append("    contains_children_data: true  # the data holds dates of birth of children under 13")
        if ds.references:
            out.append("    references:")
            for r in ds.references:
                out.append(f"      - {{field: {_y(r.field)}, dataset: {_y(r.dataset)}, to_field: {_y(r.to_field)}, "
                           f"confirmed: {_y(r.confirmed)}}}{_comment(r.comment)}")
        out.append("    fields:" + ("" if ds.fields else " []"))
        for f in ds.fields:
            if f.category is None:
                out.append(f"      - {{name: {_y(f.name)}, personal: false}}{_comment(f.comment)}")
            else:
                out.append(f"      - {{name: {_y(f.name)}, category: {_y(f.category)}, purposes: {_y(f.purposes)}}}"
                           f"{_comment(f.comment)}")
    return "\n".join(out) + "\n"


def _location_note(location: dict[str, str]) -> str:
    if "***@" in location.get("url", ""):
        return "TODO the password was removed: put it back or use a password file (e.g. ~/.pgpass)"
    if location.get("url", "").startswith("TODO"):
        return "TODO the database URL of this collection"
    return ""


def write_starter(text: str, output: str | Path, force: bool = False) -> Path:
    """Write the starter atomically; refuse to replace an existing file unless ``force``."""
    output = Path(output)
    if output.exists() and not force:
        raise ConfigError("the file already exists", where=str(output), hint="use --force to replace it")
    with atomic_write(output) as fh:
        fh.write(text)
    return output
