"""``governance check``: the CI gate. Parses options, calls :func:`governance.rules.check.run_check`, prints."""

from __future__ import annotations

import sys

import click

from governance.report import FORMATS
from governance.taxonomy import SEVERITIES

EXIT_CODES = """\b
Exit codes:
  0  no open violation at or above --fail-on (default: high)
  1  open violations at or above --fail-on
  2  bad usage, an invalid inventory, rule, waiver or baseline file,
     or a declared dataset that could not be scanned"""


@click.command("check", epilog=EXIT_CODES)
@click.option("--inventory", "inventory", default="policies", show_default=True, type=click.Path(),
              help="Inventory YAML file, or a directory of them.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(),
              help="Extra rule pack directory (repeatable).")
@click.option("--disable", multiple=True, metavar="PACK|RULE-ID",
              help="Switch off a rule pack or a single rule (repeatable).")
@click.option("--waivers", type=click.Path(), default=None,
              help="Waiver file [default: waivers.yaml in the inventory directory, if present].")
@click.option("--baseline", type=click.Path(), default=None,
              help="Baseline file: only violations not in it count [default: baseline.yaml in the inventory directory, if present].")
@click.option("--write-baseline", type=click.Path(), default=None,
              help="Record the current open violations as the new baseline in FILE.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True,
              help="Report format.")
@click.option("--output", "-o", type=click.Path(), default=None, help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "none"]), default="high", show_default=True,
              help="Exit with 1 when an open violation is at least this severe; 'none' never fails on violations.")
@click.option("--no-ner", is_flag=True, help="Do not load the spaCy model (faster; names and places in free text are missed).")
@click.option("--no-scan", is_flag=True, help="Check the declarations only; do not read the datasets.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Check as of this day (children's ages, waiver expiry) instead of today, for reproducible reports.")
def check_command(inventory, rules_dirs, disable, waivers, baseline, write_baseline, fmt, output, fail_on, no_ner, no_scan,
                  as_of):
    """Check the declared inventory and the data it describes against the rule packs
    (CAN-SPAM, COPPA, HIPAA, GDPR, CCPA and general practice).

    Scans every dataset the inventory declares (paths and SQLite URLs are relative to
    the inventory directory), evaluates the rules, applies waivers and the baseline,
    and reports the violations.
    """
    from governance.report import render
    from governance.rules.baseline import apply_baseline, write_baseline as write_baseline_file
    from governance.rules.check import CheckOptions, check_exit_code, run_check
    from governance.scan.options import ScanOptions

    options = CheckOptions(
        rules_dirs=list(rules_dirs), disable=list(disable), waivers=waivers, baseline=baseline,
        scan=not no_scan, scan_options=ScanOptions(ner=not no_ner), today=as_of.date() if as_of else None,
    )
    result = run_check(inventory, options)
    if write_baseline:
        count = write_baseline_file(result.violations, write_baseline)
        apply_baseline(result.violations, {v.identity for v in result.violations})
        click.echo(f"wrote a baseline of {count} violations to {write_baseline}", err=True)
    report_options = {"fail_on": fail_on}
    if output:
        from governance.fileio import atomic_write

        with atomic_write(output, newline="") as fh:
            render(result, fmt, fh, **report_options, **({"color": False} if fmt == "table" else {}))
        click.echo(f"{fmt} report written to {output}", err=True)
    else:
        render(result, fmt, sys.stdout, **report_options)
    errors = result.scan.errors if result.scan else []
    for error in errors:
        click.echo(f"error: {error.source}: {error.message}", err=True)
    sys.exit(2 if errors else check_exit_code(result, fail_on))
