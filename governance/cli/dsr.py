"""``governance dsr``: data-subject requests. Parses options, calls :mod:`governance.dsr.service`, prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

EXIT_CODES = """\b
Exit codes:
  0  the request was carried out (or, with --dry-run, planned)
  1  the audit log is broken (verify-log), the user declined the changes,
     or the check after a deletion found data that remains (erasure incomplete)
  2  bad usage, an invalid inventory, an unreadable dataset, a dataset the
     request could not search (nothing is answered), or a change that
     failed (then nothing was changed)"""


def _date(_ctx, _param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


def _ledger_default(inventory: str) -> Path:
    path = Path(inventory)
    return (path if path.is_dir() else path.parent) / ".dsr" / "ledger.db"


def request_options(fn):
    """The options every request command takes."""
    options = [
        click.option("--subject", "subject", multiple=True, required=True, metavar="KEY=VALUE",
                     help="Who the request is about: email=..., phone=... or an identity field such as "
                          "id=42 or customers.id=42 (repeatable)."),
        click.option("--subject-type", "subject_types", multiple=True, default=("customer",), show_default=True,
                     metavar="TYPE",
                     help="Data-subject type of the person (fideslang: customer, employee, patient, prospect ...); "
                          "only datasets declaring it in data_subjects are searched (repeatable)."),
        click.option("--inventory", default="policies", show_default=True, type=click.Path(),
                     help="Inventory YAML file, or a directory of them."),
        click.option("--jurisdiction", default=None, metavar="GDPR|CCPA|HIPAA|CAN-SPAM|VN",
                     help="Law the request is made under; sets the deadlines and the letter's wording "
                          "[default: the one law of the inventory's organization.jurisdictions; an error "
                          "when they name several]."),
        click.option("--received", callback=_date, metavar="YYYY-MM-DD",
                     help="Day the request was received [default: today]."),
        click.option("--request-id", default=None, help="Request id [default: a new DSR-<date>-<random> id]."),
        click.option("--verification", type=click.Choice(["verified", "unverified"]), default="verified",
                     show_default=True,
                     help="Whether the requester's identity is verified; an unverified request is only "
                          "recorded and acknowledged."),
        click.option("--output-dir", type=click.Path(), default=None,
                     help="Where letters and exports go [default: ./dsr-requests/<request id>]."),
        click.option("--ledger", default=None, metavar="PATH|URL",
                     help="Request ledger: a SQLite file or a database URL [default: <inventory dir>/.dsr/ledger.db]."),
        click.option("--phone-region", default="US", show_default=True,
                     help="Country assumed for telephone numbers written without a country code."),
        click.option("--templates", "templates_dir", type=click.Path(), default=None,
                     help="Directory of letter templates overriding the built-in ones."),
        click.option("--lang", default="en", show_default=True, metavar="LANG",
                     help="Language of the letters: en, or any language with a catalog in governance/locale (fa, vi)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _options(kw: dict, dry_run: bool = False):
    from governance.dsr.service import RequestOptions

    return RequestOptions(subject=list(kw["subject"]), subject_types=list(kw["subject_types"]), inventory=kw["inventory"], jurisdiction=kw["jurisdiction"],
                          received=kw["received"], request_id=kw["request_id"], output_dir=kw["output_dir"],
                          ledger=kw["ledger"], dry_run=dry_run, phone_region=kw["phone_region"],
                          verification=kw["verification"], templates_dir=kw["templates_dir"], lang=kw["lang"])


def _console():
    from governance.terminal import safe_console

    return safe_console(soft_wrap=True)  # no markup: request ids and stored values are printed as they are


def _styled(*parts):
    """A line of plain text and ``(text, style)`` parts (styles are ours; the text may come from data)."""
    from rich.text import Text

    return Text.assemble(*parts)


def _changes_table(changes):
    from rich.table import Table

    table = Table(title=f"{len(changes)} change(s)", title_justify="left")
    for col in ("Dataset", "Row", "Field", "Action"):
        table.add_column(col)
    for c in changes:
        table.add_row(c.dataset, c.row_label, c.field or "(whole row)", c.action.replace("_", " "))
    return table


def _confirm(yes: bool):
    if yes:
        return None

    def ask(changes) -> bool:
        _console().print(_changes_table(changes))
        return click.confirm(f"Apply these {len(changes)} changes?", default=False)

    return ask


def _report(outcome) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    rec = outcome.request
    console.print(_styled((rec.request_id, "bold"), f" {rec.request_type.replace('_', '-')} request "
                          f"({rec.jurisdiction}, received {rec.received}): ",
                          (outcome.status.replace("_", " "), "bold")))
    for d in rec.deadlines:
        console.print(f"  {d.kind} by {d.due} ({d.basis})")
    if outcome.found is not None:
        table = Table(title="Records found", title_justify="left")
        table.add_column("Dataset")
        table.add_column("Records", justify="right")
        table.add_column("Found because")
        for ds_id, records in outcome.found.records.items():
            how = outcome.found.found_by[(ds_id, records[0].key)]
            table.add_row(ds_id, str(len(records)), how)
        console.print(table if outcome.found.records else "No records of this subject were found.")
        for s in outcome.found.shared:
            console.print(f"  shared, left out: {s.dataset} {s.label} (also referred to by others via {s.via})")
        for link in outcome.found.other_subjects:
            if link.from_dataset in outcome.found.records or link.to_dataset in outcome.found.records:
                console.print(f"  not followed: {link} (leads to data about other data subjects)")
    if outcome.export is not None:
        for w in outcome.export.withheld:
            console.print(f"  withheld: {w.dataset}.{w.field}: {w.reason}")
    if outcome.deletion is not None:
        plan = outcome.deletion
        if outcome.dry_run:
            console.print(_changes_table(plan.changes))
        for h in plan.held:
            console.print(f"  kept: {h.dataset} ({', '.join(h.fields) or 'whole record'}): {h.reason}; {h.basis}")
    if outcome.correction is not None:
        if outcome.dry_run:
            console.print(_changes_table(outcome.correction.changes))
        for name in outcome.correction.not_found:
            console.print(f"  not found in the subject's records: {name}")
    if outcome.proof is not None:
        proof = outcome.proof
        if proof.ok:
            console.print(f"Erasure verified: {proof.changes_verified} change(s) checked; searching every dataset "
                          f"again for {proof.identifiers} e-mail address(es) and telephone number(s) of the subject "
                          "finds no personal data outside legal holds, shared records and linking keys.")
        else:
            console.print(_styled(("Erasure incomplete:", "red"), f" {proof.changes_verified} change(s) verified; "
                                  f"{len(proof.residual)} item(s) remain:"))
            for line in proof.residual:
                console.print(f"  {escape(line)}")
    if outcome.opt_out is not None:
        o = outcome.opt_out
        verb = "would add" if outcome.dry_run else "added"
        console.print(f"Suppression list {o.path}: {verb} {', '.join(o.added) or 'nothing'}"
                      + (f"; already listed: {', '.join(o.already_listed)}" if o.already_listed else ""))
    for warning in outcome.warnings:
        console.print(_styled(("warning:", "yellow"), f" {warning}"))
    if outcome.files:
        console.print(f"Wrote {len(outcome.files)} file(s) to {outcome.output_dir}:")
        for path in outcome.files:
            console.print(f"  {path.name if path.parent == outcome.output_dir else path}")


@click.group("dsr", epilog=EXIT_CODES)
def dsr_group():
    """Answer data-subject requests: access, deletion, correction and marketing opt-out.

    Each request is found across every dataset of the inventory (identity fields, then
    related records), recorded in a ledger with its statutory deadlines and a
    hash-chained audit log, and answered with a letter (Markdown and HTML).
    """


@dsr_group.command("access", epilog=EXIT_CODES)
@request_options
def access_command(**kw):
    """Send a subject a copy of their data: JSON and CSV per dataset, and the access letter.

    Values the law forbids sending back (11 CCR 7024(d): government ids, account and
    card numbers, passwords, medical ids, ...) are withheld; the letter says they are held.
    """
    from governance.dsr.service import access

    _report(access(_options(kw)))


@dsr_group.command("delete", epilog=EXIT_CODES)
@request_options
@click.option("--dry-run", is_flag=True, help="Show exactly what would change (dataset, row, field, action); change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation before changing data.")
def delete_command(dry_run, yes, **kw):
    """Erase a subject's data by each field's declared erasure strategy.

    Legal holds and shared records are kept. All changes to one database run in one
    transaction and files are replaced atomically: on any error nothing is changed.
    The data is searched again afterwards to prove the erasure.
    """
    from governance.dsr.service import delete

    outcome = delete(_options(kw, dry_run), confirm=None if dry_run else _confirm(yes))
    _report(outcome)
    if outcome.status in ("withdrawn", "erasure_incomplete"):
        raise SystemExit(1)


@dsr_group.command("correct", epilog=EXIT_CODES)
@request_options
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help="New value of a field: dataset.field=VALUE or field=VALUE (repeatable). "
                   "E-mail addresses, telephone numbers and dates are validated.")
@click.option("--dry-run", is_flag=True, help="Show exactly what would change; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation before changing data.")
def correct_command(assignments, dry_run, yes, **kw):
    """Correct a subject's data: set named fields to validated new values."""
    from governance.dsr.service import correct

    outcome = correct(_options(kw, dry_run), list(assignments), confirm=None if dry_run else _confirm(yes))
    _report(outcome)
    if outcome.status == "withdrawn":
        raise SystemExit(1)


@dsr_group.command("opt-out", epilog=EXIT_CODES)
@request_options
@click.option("--dry-run", is_flag=True, help="Show what would be added to the suppression list; change nothing.")
def opt_out_command(dry_run, **kw):
    """Stop marketing to a subject: add their e-mail addresses and telephone numbers to the
    suppression list named by requests.suppression_list in the inventory."""
    from governance.dsr.service import opt_out

    _report(opt_out(_options(kw, dry_run)))


@dsr_group.command("list")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory file or directory (its .dsr/ledger.db is the default ledger).")
@click.option("--ledger", default=None, metavar="PATH|URL", help="Request ledger [default: <inventory dir>/.dsr/ledger.db].")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD", help="Count days left from this day [default: today].")
@click.option("--status", type=click.Choice(["open", "done", "all"]), default="open", show_default=True,
              help="Which requests: open ones, done ones (completed or withdrawn), or all.")
def list_command(inventory, ledger, today, status):
    """Show requests with the days left to answer them, overdue first."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from governance.dsr.service import open_requests

    rows = open_requests(ledger or _ledger_default(inventory), today, status)
    console = _console()
    label = {"open": "open ", "done": "done ", "all": ""}[status]
    if not rows:
        console.print(f"No {label}requests.")
        return
    narrow = console.width < 100  # below 100 columns the received day gives way to the rest
    table = Table(title=f"{len(rows)} {label}request(s)", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for col in ("Request", "Type", "Law", "Received", "Answer by", "Days left", "Status"):
        if col == "Received" and narrow:
            continue
        table.add_column(col, justify="right" if col == "Days left" else "left", no_wrap=col != "Status",
                         overflow="fold")
    for rec, left in rows:
        due = rec.deadline("respond")
        shown = Text("-") if left is None else (Text(f"{-left} overdue", style="red") if left < 0 else Text(str(left)))
        cells = [rec.request_id, rec.request_type.replace("_", "-"), rec.jurisdiction, str(rec.received),
                 str(due.due) if due else "-", shown, rec.status.replace("_", " ")]
        if narrow:
            del cells[3]
        table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))
    console.print(table)


@dsr_group.command("verify-log")
@click.option("--inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory file or directory (its .dsr/ledger.db is the default ledger).")
@click.option("--ledger", default=None, metavar="PATH|URL", help="Request ledger [default: <inventory dir>/.dsr/ledger.db].")
def verify_log_command(inventory, ledger):
    """Recompute the audit log's hash chain; exit 1 at the first broken entry."""
    from governance.dsr.service import verify_log

    check = verify_log(ledger or _ledger_default(inventory))
    if check.ok:
        click.echo(f"audit log intact: {check.entries} entries verified")
        return
    click.echo(f"audit log broken at entry {check.first_broken}: {check.reason}", err=True)
    raise SystemExit(1)
