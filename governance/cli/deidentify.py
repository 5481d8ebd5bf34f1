"""``governance deidentify``: write a de-identified copy of a table. Parses options and prints the summary."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from governance.cli.declared import dataset_options, resolve
from governance.errors import ConfigError

KEY_VARIABLE = "GOVERNANCE_PSEUDONYM_KEY"
EXIT_CODES = """\b
Exit codes:
  0  written, every check passed
  1  the transformed table failed a check (k, Safe Harbor forms, the scanner); nothing written
  2  bad usage, spec or source"""


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _key(key_file: str | None) -> bytes | None:
    if key_file:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the key file ({exc.__class__.__name__})", where=key_file) from None
        if not key:
            raise ConfigError("the key file is empty", where=key_file)
        return key
    value = os.environ.get(KEY_VARIABLE)
    return value.encode("utf-8") if value else None


@click.command("deidentify", epilog=EXIT_CODES)
@click.argument("source", required=False)
@dataset_options
@click.option("--profile", "profile_text", required=True, metavar="safe-harbor|k:N|safe-harbor+k:N",
              help="HIPAA Safe Harbor transformations (45 CFR 164.514(b)(2)), generalisation to k-anonymity, or both.")
@click.option("--spec", type=click.Path(dir_okay=False), default=None,
              help="YAML spec: a transformation per column, quasi_identifiers, sensitive, max_suppression.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Output file (.csv or .parquet).")
@click.option("--table", default=None, help="Table, sheet or file-internal name when the source holds several.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date ages are reckoned on (birth years implying an age over 89 become 90+) [default: today].")
@click.option("--key-file", type=click.Path(dir_okay=False), default=None,
              help=f"Key of the pseudonymise transformation [default: the {KEY_VARIABLE} environment variable].")
@click.option("--ner/--no-ner", default=False, show_default=True,
              help="Load the spaCy model when scanning (finds names in free text; slower).")
def deidentify_command(source, inventory, dataset, profile_text, spec, output, table, as_of, key_file, ner):
    """Write a de-identified copy of SOURCE (a file or database URL, or a --dataset of the
    inventory: its declared identifier fields and quasi_identifiers make the spec) to OUTPUT.

    \b
    Transformations (per column in --spec; under safe-harbor the scanner's findings
    choose them for columns the spec leaves out):
      drop, keep, zip3, year, birth_year, age, redact, pseudonymise

    The output is checked before it is moved into place: risk must find k of at least N,
    and under safe-harbor the scanner must find none of the 18 identifiers outside
    columns whose every value has the Safe Harbor form. Each passed check is printed.
    """
    from governance.risk.deidentify import deidentify
    from governance.risk.spec import Profile, load_spec
    from governance.risk.transforms import TRANSFORMS

    profile = Profile.parse(profile_text)
    declared, source = resolve(source, inventory, dataset)
    chosen = load_spec(spec) if spec or declared is None else declared.spec
    if declared is not None:
        table = table or declared.table
    outcome = deidentify(source, output, profile, chosen, table=table,
                         as_of=as_of.date() if as_of else date.today(), key=_key(key_file), ner=ner)
    click.echo(f"wrote {outcome.rows_out} of {outcome.rows_in} rows to {outcome.output} (profile {profile})")
    for column, plan in outcome.columns.items():
        level = f", generalised to {TRANSFORMS[plan.transform].level_names[plan.level]}" if plan.level else ""
        click.echo(f"  {_printable(column)}: {plan.transform}{level} ({plan.reason})")
    if outcome.suppressed:
        click.echo(f"  {outcome.suppressed} row(s) removed: they stayed in classes below k={profile.k}")
    for fact in outcome.verified:
        click.echo(f"verified: {fact}")
    for gap in outcome.not_verified:
        click.echo(f"not verified: {gap}")
