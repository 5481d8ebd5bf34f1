"""Marketing opt-out: add the subject's e-mail addresses and telephone numbers to the suppression list.

The list is the CSV file named by ``requests.suppression_list`` in the inventory
(relative to the inventory directory), with the columns ``email, phone, added_on,
request_id``: one row per address or number, normalised (case-folded e-mail, E.164
telephone). Marketing systems and the marketing-email rules read it. Adding is
idempotent: a value already listed is not added again. The file is rewritten atomically.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from governance.dsr.datasets import Workspace
from governance.dsr.graph import SubjectRecords
from governance.dsr.subjects import NORMALISERS, Subject, field_kind
from governance.errors import DsrError, InputError
from governance.fileio import atomic_write
from governance.limits import current
from governance.masking import mask

COLUMNS = ["email", "phone", "added_on", "request_id"]
_KINDS = ("email", "phone")
_MASK_ENTITY = {"email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER"}


@dataclass
class OptOutResult:
    """What the opt-out added to the suppression list and what was there already (masked)."""

    path: Path
    added: list[str] = field(default_factory=list)
    already_listed: list[str] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list, repr=False)  # (kind, normalised value)


def suppression_path(workspace: Workspace) -> Path:
    """The suppression list file declared in the inventory."""
    declared = workspace.loaded.inventory.requests.suppression_list
    if not declared:
        raise DsrError("the inventory declares no suppression list", where=workspace.loaded.where(("requests",)),
                       hint="add requests.suppression_list: data/suppression_list.csv")
    return workspace.loaded.resolve_path(declared)


def _contact_values(subject: Subject, found: SubjectRecords, workspace: Workspace) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = [(k, v) for k in _KINDS for v in subject.values_of_kind(k) if v]
    for ds_id, records in found.records.items():
        ds = workspace.loaded.inventory.dataset(ds_id)
        for decl in ds.fields:
            kind = field_kind(decl) if decl.personal else "exact"
            if kind not in _KINDS:
                continue
            for rec in records:
                norm = NORMALISERS[kind](rec.get(decl.name), subject.region) if rec.get(decl.name) else None
                if norm:
                    values.append((kind, norm))
    return list(dict.fromkeys(values))


def read_suppression_list(path: Path) -> list[dict]:
    """Rows of the suppression list (empty when the file does not exist yet)."""
    if not path.exists():
        return []
    csv.field_size_limit(current().max_cell_bytes)
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"the suppression list cannot be read ({exc.__class__.__name__})", where=str(path)) from None
    if reader.fieldnames and not {"email", "phone"} <= set(reader.fieldnames):
        raise InputError("the suppression list has no email and phone columns", where=f"{path}:1",
                         hint=f"its header must be {','.join(COLUMNS)}")
    return rows


def plan_opt_out(workspace: Workspace, subject: Subject, found: SubjectRecords) -> OptOutResult:
    """Which values the opt-out adds. Changes nothing."""
    path = suppression_path(workspace)
    rows = read_suppression_list(path)
    listed = {(k, r.get(k, "").strip().casefold()) for r in rows for k in _KINDS if r.get(k, "").strip()}
    result = OptOutResult(path)
    for kind, value in _contact_values(subject, found, workspace):
        shown = mask(value, _MASK_ENTITY[kind])
        if (kind, value.casefold()) in listed:
            result.already_listed.append(shown)
        else:
            result.added.append(shown)
            result.pending.append((kind, value))
    return result


def apply_opt_out(result: OptOutResult, request_id: str, today: date) -> None:
    """Append the pending values to the suppression list, rewriting it atomically."""
    if not result.pending:
        return
    rows = read_suppression_list(result.path)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in COLUMNS})
    for kind, value in result.pending:
        writer.writerow({"email": value if kind == "email" else "", "phone": value if kind == "phone" else "",
                         "added_on": today.isoformat(), "request_id": request_id})
    with atomic_write(result.path, newline="") as fh:
        fh.write(out.getvalue())
    result.pending = []
