"""``governance risk``: re-identification risk of a table (k-anonymity, l-diversity, k-map). Parses and prints."""

from __future__ import annotations

import sys

import click

from governance.cli.declared import dataset_options, resolve
from governance.risk.report import RENDERERS

EXIT_CODES = """\b
Exit codes:
  0  k is at least --fail-below (or no --fail-below given)
  1  k is below --fail-below
  2  bad usage or a source that cannot be read"""


def _columns(value: str | None) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()] if value else []


@click.command("risk", epilog=EXIT_CODES)
@click.argument("source", required=False)
@dataset_options
@click.option("--table", default=None, help="Table, sheet or file-internal name when the source holds several.")
@click.option("--quasi", default=None, metavar="COL,COL",
              help="Quasi-identifier columns [default: proposed from a scan: postal codes, dates of birth, ages, gender, city, occupation].")
@click.option("--sensitive", default=None, metavar="COL", help="Sensitive column for l-diversity.")
@click.option("--population", default=None, metavar="SOURCE", help="Population table for k-map (same quasi-identifier columns).")
@click.option("--population-table", default=None, help="Table of the population source, when it holds several.")
@click.option("--population-count", default=None, metavar="COL",
              help="Column of the population table holding how many people each row stands for [default: one per row].")
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to FILE.")
@click.option("--fail-below", type=click.IntRange(min=1), default=None, metavar="K",
              help="Exit with 1 when the smallest class has fewer than K records.")
def risk_command(source, inventory, dataset, table, quasi, sensitive, population, population_table, population_count, fmt, output, fail_below):
    """Measure how identifiable the records of SOURCE (a file or database URL, or a --dataset
    of the inventory with its declared quasi_identifiers) are on their
    quasi-identifiers: k-anonymity, the share of unique records and of records in classes
    below k=2, 5 and 11, l-diversity of a sensitive column, and k-map against a population.

    The report shows counts and shares only, never a value or a class key.
    """
    from governance.risk.api import measure_risk

    declared, source = resolve(source, inventory, dataset)
    if declared is not None:
        table = table or declared.table
        quasi = quasi or ",".join(declared.quasi_identifiers)
    report = measure_risk(
        source, _columns(quasi), table=table, sensitive=sensitive, population=population,
        population_table=population_table, population_count=population_count,
    )
    if output:
        from governance.fileio import atomic_write

        with atomic_write(output) as fh:
            RENDERERS[fmt](report, fh)
        click.echo(f"{fmt} risk report written to {output}", err=True)
    else:
        RENDERERS[fmt](report, sys.stdout)
    sys.exit(1 if fail_below is not None and report.k < fail_below else 0)
