"""The entry points the CLI calls: :func:`access`, :func:`delete`, :func:`correct`, :func:`opt_out`.

Each one records the request in the ledger (with its statutory deadlines and the
subject's identifiers hashed), writes the acknowledgement letter for a new request,
finds the subject's records, acts, logs every step in the hash-chained audit log and
writes the response letter. ``dry_run`` computes and returns the changes without
touching any dataset, the output directory or the ledger's records (a missing ledger is
still created, for the secret that hashed values are computed with). A request whose identity is
``unverified`` is recorded and acknowledged, and nothing else is done until it is run
again as verified (an opt-out of sale/sharing is not a verifiable request, 11 CCR 7026).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from governance.dsr import access as access_mod
from governance.dsr import summary
from governance.dsr.changes import Change, apply_changes
from governance.dsr.correct import CorrectionPlan, parse_assignments, plan_correction
from governance.dsr.datasets import Workspace
from governance.dsr.deadlines import jurisdiction_name, statutory_deadlines
from governance.dsr.delete import DeletionPlan, ErasureProof, plan_deletion, prove_erasure
from governance.dsr.graph import SubjectRecords, find_subject
from governance.dsr.ledger import Ledger, RequestRecord
from governance.dsr.letters import write_letter
from governance.dsr.optout import OptOutResult, apply_opt_out, plan_opt_out
from governance.dsr.subjects import Subject, parse_subject
from governance.errors import DsrError, GovernanceError
from governance.i18n import N_, SOURCE_LANGUAGE, localizer
from governance.inventory.loader import LoadedInventory, load_inventory
from governance.masking import mask
from governance.taxonomy import entities

TYPE_LABELS = {"access": N_("access"), "delete": N_("deletion"), "correct": N_("correction"),
               "opt_out": N_("marketing opt-out")}
LETTER_KIND = {"access": "access", "delete": "deletion", "correct": "correction", "opt_out": "opt_out"}
DEADLINE_LABELS = {"acknowledge": N_("We confirm receipt by"), "respond": N_("We answer by"),
                   "extended": N_("At the latest, if we extend the deadline with notice")}
#: how letters address the subject
SALUTATION = N_("customer")
VERIFICATION = ("verified", "unverified")


#: a request id names a folder (``dsr-requests/<id>``) and is printed: letters, digits and ``._-`` only
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _checked_id(request_id: str | None) -> str | None:
    if request_id is not None and not _REQUEST_ID.fullmatch(request_id):
        raise DsrError("a request id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                       where="--request-id", hint="for example DSR-2026-0042")
    return request_id


@dataclass
class RequestOptions:
    """What every request command takes."""

    subject: list[str]
    inventory: str | Path | LoadedInventory = "policies"
    jurisdiction: str = "GDPR"
    received: date | None = None
    request_id: str | None = None
    output_dir: str | Path | None = None
    ledger: str | Path | None = None
    dry_run: bool = False
    phone_region: str = "US"
    verification: str = "verified"
    templates_dir: str | Path | None = None
    lang: str = SOURCE_LANGUAGE  # language of the letters (governance.i18n.available_languages())
    today: date | None = None
    now: Callable[[], datetime] | None = None  # the ledger's clock (tests fix it)


@dataclass
class Outcome:
    """What a request did: the ledger record, the records found, the files written, and per-type results."""

    request: RequestRecord
    output_dir: Path
    dry_run: bool
    status: str
    found: SubjectRecords | None = None
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    export: access_mod.AccessExport | None = None
    deletion: DeletionPlan | None = None
    proof: ErasureProof | None = None
    correction: CorrectionPlan | None = None
    opt_out: OptOutResult | None = None

    @property
    def changes(self) -> list[Change]:
        plan = self.deletion or self.correction
        return plan.changes if plan else []


class _Run:
    """One request being carried out: inventory, subject, ledger, workspace."""

    def __init__(self, request_type: str, opts: RequestOptions):
        if opts.verification not in VERIFICATION:
            raise DsrError(f"unknown verification status '{opts.verification}'", hint=f"use {' or '.join(VERIFICATION)}")
        self.type = request_type
        self.opts = opts
        self.loc = localizer(opts.lang)
        self.loaded = opts.inventory if isinstance(opts.inventory, LoadedInventory) else load_inventory(opts.inventory)
        self.inventory = self.loaded.inventory
        self.subject: Subject = parse_subject(opts.subject, self.inventory, opts.phone_region)
        self.today = opts.today or date.today()
        received = opts.received or self.today
        if received > self.today:
            raise DsrError(f"the received date {received} is in the future", where="--received")
        self.ledger = Ledger(opts.ledger or self.loaded.base_dir / ".dsr" / "ledger.db", now=opts.now)
        request_id = _checked_id(opts.request_id) or f"DSR-{self.today:%Y%m%d}-{secrets.token_hex(3).upper()}"
        existing = self.ledger.get(request_id)
        self.record = existing or RequestRecord(
            request_id, request_type, opts.jurisdiction, received, opts.verification, "open",
            statutory_deadlines(opts.jurisdiction, request_type, received), self.subject.hashes(self.ledger.secret))
        if existing is not None:
            self._check_same(existing)
        self.output_dir = Path(opts.output_dir) if opts.output_dir else Path.cwd() / "dsr-requests" / request_id
        self.workspace = Workspace(self.loaded)
        self.outcome = Outcome(self.record, self.output_dir, opts.dry_run, self.record.status,
                               warnings=list(self.workspace.skipped))

    def _check_same(self, existing: RequestRecord) -> None:
        if existing.request_type != self.type:
            raise DsrError(f"request {existing.request_id} is already recorded as a {existing.request_type} request",
                           where=self.ledger.where, hint="use another --request-id")
        if existing.subject_hashes != self.subject.hashes(self.ledger.secret):
            raise DsrError(f"request {existing.request_id} was recorded with other subject identifiers",
                           where=self.ledger.where, hint="give the same --subject values, or another --request-id")
        if existing.status == "completed":
            raise DsrError(f"request {existing.request_id} is already completed", where=self.ledger.where,
                           hint="use another --request-id for a new request")

    def begin(self) -> bool:
        """Record the request (acknowledging a new one); False when it must wait for identity verification."""
        if self.opts.dry_run:
            return True
        if self.ledger.record_request(self.record):
            self.outcome.files += write_letter("acknowledgement", self.context(), self.output_dir,
                                               self.opts.templates_dir, self.opts.lang)
            self.ledger.append(self.record.request_id, "letter", {"kind": "acknowledgement"})
        elif self.opts.verification == "verified" and self.record.verification != "verified":
            self.ledger.mark_verified(self.record.request_id)
        if self.opts.verification != "verified" and self.type != "opt_out":
            self.ledger.set_status(self.record.request_id, "awaiting_verification")
            self.outcome.status = "awaiting_verification"
            return False
        return True

    def search(self) -> SubjectRecords:
        found = find_subject(self.workspace, self.subject)
        self.outcome.found = found
        self.outcome.warnings += found.warnings
        self.log("searched", {"records": {k: len(v) for k, v in found.records.items()},
                              "shared_records_left_out": len(found.shared)})
        return found

    def log(self, action: str, details: dict) -> None:
        if not self.opts.dry_run:
            self.ledger.append(self.record.request_id, action, details)

    def apply(self, changes: list[Change], confirm: Callable[[list[Change]], bool] | None) -> bool:
        """Apply changes all-or-nothing after confirmation; log the outcome. False when the user declined."""
        if self.opts.dry_run or not changes:
            return True
        if confirm is not None and not confirm(changes):
            self.log("cancelled", {"planned_changes": len(changes)})
            self.outcome.status = "cancelled"
            return False
        try:
            apply_changes(self.workspace, changes, self.outcome.found.links, self.record.request_id)
        except GovernanceError as exc:
            self.log("failed", {"error": exc.one_line(), "planned_changes": len(changes)})
            raise
        self.log("changed", _change_counts(changes))
        return True

    def finish(self, details: dict) -> None:
        kind = LETTER_KIND[self.type]
        if self.opts.dry_run:
            self.outcome.status = "dry_run"
            return
        self.outcome.files += write_letter(kind, self.context(**details), self.output_dir, self.opts.templates_dir,
                                           self.opts.lang)
        self.ledger.append(self.record.request_id, "letter", {"kind": kind})
        self.ledger.set_status(self.record.request_id, "completed")
        self.outcome.status = "completed"

    def context(self, **extra) -> dict:
        """What the letter templates render, worded and dated in the letter's language."""
        rec, loc = self.record, self.loc
        request = {
            "id": rec.request_id, "type": rec.request_type, "type_label": loc.term(TYPE_LABELS[rec.request_type]),
            "jurisdiction": rec.jurisdiction, "jurisdiction_name": loc.term(jurisdiction_name(rec.jurisdiction)),
            "received": loc.date(rec.received), "verification": self.opts.verification,
            "deadlines": [{"kind": d.kind, "label": loc.term(DEADLINE_LABELS[d.kind]), "due": loc.date(d.due),
                           "basis": loc.term(d.basis)} for d in rec.deadlines],
        }
        return {"org": self.inventory.organization, "notices": self.inventory.notices,
                "requests_info": self.inventory.requests, "request": request, "today": loc.date(self.today),
                "subject": self.subject.masked(), "salutation": loc.term(SALUTATION), **extra}

    def close(self) -> None:
        self.workspace.close()
        self.ledger.close()


def _change_counts(changes: list[Change]) -> dict:
    out: dict[str, dict[str, int]] = {}
    for c in changes:
        out.setdefault(c.dataset, {}).setdefault(c.action, 0)
        out[c.dataset][c.action] += 1
    return out


def _run(request_type: str, opts: RequestOptions, body: Callable[[_Run], None]) -> Outcome:
    run = _Run(request_type, opts)
    try:
        if run.begin():
            body(run)
        return run.outcome
    finally:
        run.close()


def _entity(category: str | None) -> str | None:
    """The detector entity of a category, to mask its values in the right style."""
    return next((e.entity for e in entities().values() if e.category == category), None)


def _recipients(categories: set[str], run: _Run) -> list[dict]:
    return [asdict(r) for r in summary.recipients_for(categories, run.inventory, run.loc)]


def _withheld(export: access_mod.AccessExport, run: _Run) -> list[dict]:
    """The export's withheld fields with their reasons in the letter's language."""
    return [{**asdict(w), "reason": access_mod.withheld_reason(run.inventory.dataset(w.dataset).field(w.field), run.loc)}
            for w in export.withheld]


def access(opts: RequestOptions) -> Outcome:
    """Answer an access request: export the subject's records (JSON and CSV per dataset) and write the letter."""

    def body(run: _Run) -> None:
        found = run.search()
        export = access_mod.build_export(found, run.inventory)
        run.outcome.export = export
        if not opts.dry_run:
            access_mod.write_export(export, run.output_dir)
            run.outcome.files += [run.output_dir / f for f in export.files]
            run.log("exported", {"files": export.files, "withheld_fields": [f"{w.dataset}.{w.field}"
                                                                             for w in export.withheld]})
        fields = summary.personal_fields(found, run.inventory)
        cats = {f.category for _, f in fields}
        run.finish({
            "found_count": found.count, "datasets_searched": len(run.workspace.datasets), "export": export,
            "withheld": _withheld(export, run), "shared": found.shared,
            "categories": summary.categories(fields, run.loc), "purposes": summary.purposes(fields, run.inventory, run.loc),
            "recipients": _recipients(cats, run), "retention": summary.retention(found, run.inventory, run.loc),
            "sources": summary.sources(fields, run.loc)})

    return _run("access", opts, body)


def delete(opts: RequestOptions, confirm: Callable[[list[Change]], bool] | None = None) -> Outcome:
    """Carry out a deletion request: erase by declared strategy, keep held records, prove the result."""

    def body(run: _Run) -> None:
        found = run.search()
        plan = plan_deletion(run.workspace, found, run.ledger.secret, run.today)
        run.outcome.deletion = plan
        run.outcome.warnings += [f"{c}: not declared in the inventory; left as it is" for c in plan.undeclared]
        run.log("planned", {"changes": _change_counts(plan.changes),
                            "held": [f"{h.dataset}: {h.basis}" for h in plan.held]})
        if not run.apply(plan.changes, confirm) or opts.dry_run:
            run.outcome.status = "dry_run" if opts.dry_run else run.outcome.status
            return
        proof = prove_erasure(run.workspace, run.subject, plan, run.today)
        run.outcome.proof = proof
        run.log("verified_erasure", {"ok": proof.ok, "changes_verified": proof.changes_verified,
                                     "records_found_again": proof.records_found_again,
                                     "residual": len(proof.residual)})
        deleted = []
        for ds_id in found.records:
            rows = sum(1 for c in plan.changes if c.dataset == ds_id and c.action == "delete_row")
            values = sum(1 for c in plan.changes if c.dataset == ds_id and c.action != "delete_row")
            if rows or values:
                deleted.append({"dataset": ds_id, "description": run.inventory.dataset(ds_id).description or ds_id,
                                "rows_deleted": rows, "fields_erased": values})
        run.finish({"found_count": found.count, "deleted": deleted, "held": plan.held, "kept_keys": plan.kept_keys,
                    "shared": found.shared, "proof": proof,
                    "recipients": _recipients(plan.erased_categories, run)})

    return _run("delete", opts, body)


def correct(opts: RequestOptions, assignments: list[str],
            confirm: Callable[[list[Change]], bool] | None = None) -> Outcome:
    """Carry out a correction request: validate and set ``FIELD=VALUE`` on the subject's records."""
    pairs = parse_assignments(assignments)

    def body(run: _Run) -> None:
        found = run.search()
        plan = plan_correction(run.workspace, found, pairs, opts.phone_region)
        run.outcome.correction = plan
        if not run.apply(plan.changes, confirm) or opts.dry_run:
            run.outcome.status = "dry_run" if opts.dry_run else run.outcome.status
            return
        corrections: dict[tuple[str, str], dict] = {}
        for c in plan.changes:
            decl = run.inventory.dataset(c.dataset).field(c.field)
            entry = corrections.setdefault((c.dataset, c.field), {"dataset": c.dataset, "field": c.field,
                                                                   "value": mask(c.new_value, _entity(decl.category)),
                                                                   "records": 0})
            entry["records"] += 1
        run.finish({"corrections": list(corrections.values()), "not_found": plan.not_found,
                    "recipients": _recipients(plan.categories, run)})

    return _run("correct", opts, body)


def opt_out(opts: RequestOptions) -> Outcome:
    """Carry out a marketing opt-out: add the subject's contact values to the suppression list."""

    def body(run: _Run) -> None:
        found = run.search()
        result = plan_opt_out(run.workspace, run.subject, found)
        run.outcome.opt_out = result
        if opts.dry_run:
            run.outcome.status = "dry_run"
            return
        apply_opt_out(result, run.record.request_id, run.today)
        run.outcome.files.append(result.path)
        run.log("suppressed", {"added": len(result.added), "already_listed": len(result.already_listed)})
        marketing = [{"description": p.description,
                      "days": p.opt_out.honoured_within_business_days if p.opt_out else None}
                     for p in run.inventory.purposes if p.commercial_email or p.data_use.startswith("marketing")]
        recipients = [{"name": r.name, "type": summary.recipient_type_label(r.type, run.loc), "country": r.country}
                      for r in run.inventory.recipients
                      if r.sends_email_on_our_behalf or r.disclosure in ("sale", "sharing")]
        run.finish({"added": result.added, "already": result.already_listed, "marketing": marketing,
                    "recipients": recipients})

    return _run("opt_out", opts, body)


def _existing_ledger(location: str | Path) -> Ledger:
    if "://" not in str(location) and not Path(location).exists():
        raise DsrError("no request ledger here yet", where=str(location),
                       hint="run a request first, or give --ledger PATH|URL")
    return Ledger(location)


def open_requests(ledger: str | Path, today: date | None = None) -> list[tuple[RequestRecord, int | None]]:
    """Open requests with the days left to their answer deadline, overdue first (no deadline last)."""
    today = today or date.today()
    book = _existing_ledger(ledger)
    try:
        rows = []
        for rec in book.requests(open_only=True):
            due = rec.deadline("respond")
            rows.append((rec, due.days_left(today) if due else None))
    finally:
        book.close()
    return sorted(rows, key=lambda r: (r[1] is None, r[1] if r[1] is not None else 0, r[0].request_id))


def verify_log(ledger: str | Path):
    """Recompute the audit log's hash chain (see :meth:`Ledger.verify_log`)."""
    book = _existing_ledger(ledger)
    try:
        return book.verify_log()
    finally:
        book.close()
