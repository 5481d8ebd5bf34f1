"""Access requests: the subject's records as a machine-readable export, minus what must never be disclosed.

Values in the categories of ``governance/data/never_disclose.yaml`` (11 CCR 7024(d):
government ids, financial account and card numbers, passwords, security answers,
health insurance and medical ids, biometrics) and fields declared
``disclose_on_access: false`` are left out of the export; such values the scanner's free-text
recognisers find inside other text (an SSN typed into a note) are masked there. The letter
says what is held and not sent.
Each dataset is exported as JSON (records as stored, nested objects kept) and CSV
(nested objects flattened to dotted column names), one file of each per dataset.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from governance.dsr.datasets import Record
from governance.dsr.graph import SubjectRecords
from governance.fileio import atomic_write
from governance.i18n import Localizer, localizer
from governance.inventory.models import Dataset, FieldDecl, Inventory
from governance.resources import data_file
from governance.taxonomy import category_label, category_matches, entity_category


@lru_cache(maxsize=None)
def never_disclose() -> dict:
    """The never-disclose table: ``{"basis": str, "categories": {category: label}}``."""
    with open(data_file("never_disclose.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def never_disclosed(category: str) -> str | None:
    """The never-disclose category (of ``never_disclose.yaml``) that ``category`` falls in, if any."""
    return next((prefix for prefix in never_disclose()["categories"] if category_matches(prefix, category)), None)


def category_reason(prefix: str, loc: Localizer | None = None) -> str:
    """``payment card numbers (11 CCR 7024(d))`` for a never-disclose category, in ``loc``'s language."""
    table = never_disclose()
    return f"{(loc or localizer()).term(table['categories'][prefix])} ({table['basis']})"


def withheld_reason(decl: FieldDecl, loc: Localizer | None = None) -> str | None:
    """Why a field's value is not sent back on access (None when it is disclosed), worded in ``loc``'s language."""
    loc = loc or localizer()
    prefix = never_disclosed(decl.category) if decl.category else None
    if prefix:
        return category_reason(prefix, loc)
    if not decl.disclose_on_access:
        label = loc.term(category_label(decl.category)) if decl.category else decl.name
        return loc.gettext("%(what)s (declared not to be disclosed on access)") % {"what": label}
    return None


@dataclass(frozen=True)
class WithheldField:
    """A field held about the subject whose value is not disclosed (or, with ``in_text``, values of the
    never-disclose category ``category`` found inside its text and masked there)."""

    dataset: str
    field: str
    reason: str
    records: int
    in_text: bool = False
    category: str | None = None


#: what replaces a value withheld from inside a text
WITHHELD_TEXT = "[WITHHELD]"


@lru_cache(maxsize=1)
def _text_screens() -> tuple:
    """The scanner's free-text recognisers of never-disclose values (SSNs, card numbers, IBANs, passwords ...),
    with the never-disclose category of each."""
    from governance.scan.recognizers import leak_recognizers

    out = []
    for recognizer in leak_recognizers():
        prefix = never_disclosed(entity_category(recognizer.ENTITY))
        if prefix:
            out.append((recognizer, prefix))
    return tuple(out)


def mask_text(text: str) -> tuple[str, set[str]]:
    """``text`` with every never-disclose value the scanner finds in it replaced, and their categories."""
    spans: list[tuple[int, int]] = []
    found: set[str] = set()
    for recognizer, prefix in _text_screens():
        for start, end, _value in recognizer.find(text):
            if not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
                found.add(prefix)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + WITHHELD_TEXT + text[end:]
    return text, found


def _mask_texts(data: dict, prefix: str = "") -> dict[str, set[str]]:
    """Mask never-disclose values inside the strings of ``data`` in place; {field: categories found}."""
    out: dict[str, set[str]] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_mask_texts(value, name + "."))
        elif isinstance(value, str) and value:
            masked, found = mask_text(value)
            if found:
                data[key] = masked
                out[name] = found
    return out


@dataclass
class DatasetExport:
    """One dataset's share of the export."""

    dataset: str
    description: str
    rows: list[dict]
    files: list[str] = field(default_factory=list)


@dataclass
class AccessExport:
    """The export and what was withheld from it."""

    datasets: list[DatasetExport]
    withheld: list[WithheldField]

    @property
    def files(self) -> list[str]:
        return [f for d in self.datasets for f in d.files]


def _delete_path(data: dict, name: str) -> None:
    if name in data:
        del data[name]
        return
    node = data
    *parents, last = name.split(".")
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(last, None)


def _disclosable(rec: Record, withheld_names: list[str]) -> dict:
    data = copy.deepcopy(rec.data)
    for name in withheld_names:
        _delete_path(data, name)
    return data


def build_export(found: SubjectRecords, inventory: Inventory) -> AccessExport:
    """The subject's records per dataset, without the fields that must be withheld."""
    datasets, withheld = [], []
    for ds_id, records in found.records.items():
        ds: Dataset = inventory.dataset(ds_id)
        names = []
        for decl in ds.fields:
            reason = withheld_reason(decl)
            if reason is None:
                continue
            count = sum(1 for r in records if r.get(decl.name) not in (None, ""))
            names.append(decl.name)
            if count:
                withheld.append(WithheldField(ds_id, decl.name, reason, count))
        rows = [_disclosable(r, names) for r in records]
        in_text: dict[tuple[str, str], int] = {}
        for row in rows:
            for name, found in _mask_texts(row).items():
                for category in found:
                    in_text[(name, category)] = in_text.get((name, category), 0) + 1
        withheld += [WithheldField(ds_id, name, category_reason(category), count, True, category)
                     for (name, category), count in sorted(in_text.items())]
        datasets.append(DatasetExport(ds_id, ds.description, rows))
    return AccessExport(datasets, withheld)


def _flatten(data: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[name] = value
    return out


def _csv_text(rows: list[dict]) -> str:
    flat = [_flatten(r) for r in rows]
    header = list(dict.fromkeys(k for r in flat for k in r))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for r in flat:
        writer.writerow({k: "" if r.get(k) is None else r.get(k) for k in header})
    return out.getvalue()


def write_export(export: AccessExport, directory: Path) -> None:
    """Write ``<dataset>.json`` and ``<dataset>.csv`` for each dataset (file names recorded on the export)."""
    for ds in export.datasets:
        json_path, csv_path = directory / f"{ds.dataset}.json", directory / f"{ds.dataset}.csv"
        with atomic_write(json_path) as fh:
            json.dump({"dataset": ds.dataset, "description": ds.description, "records": ds.rows}, fh,
                      indent=2, ensure_ascii=False, default=str)
            fh.write("\n")
        with atomic_write(csv_path, newline="") as fh:
            fh.write(_csv_text(ds.rows))
        ds.files = [json_path.name, csv_path.name]
