"""``governance scan``: find personal data in files, folders and databases, and report it."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

import click

from governance.report import FORMATS
from governance.scan.options import DEFAULT_MODEL, ScanOptions
from governance.taxonomy import SEVERITIES

#: Exit codes of ``governance scan`` (also in its help text).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT_ERROR = 0, 1, 2


def exit_code(result, fail_on: str) -> int:
    """2 if any source could not be read, else 1 if a finding is at or above ``fail_on``, else 0."""
    if result.errors:
        return EXIT_INPUT_ERROR
    if fail_on != "none" and result.findings_at_or_above(fail_on):
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _ProgressBar:
    """A rich progress line on stderr fed by the scan's ``progress(event, detail)`` callback."""

    def __init__(self):
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from governance.terminal import safe_console

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=safe_console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("starting", total=None)

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def __call__(self, event: str, detail: object) -> None:
        if event == "table":
            self.progress.update(self.task, description=f"scanning {detail}", completed=0)
        elif event == "rows" and isinstance(detail, int):  # rows read so far in the current table
            self.progress.update(self.task, completed=detail)


@click.command("scan")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="table",
    show_default=True,
    help="Report format: table (for people), json (for programs), sarif (GitHub code scanning), "
    "junit (CI test results), html (one self-contained page), csv (spreadsheets).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "none"]),
    default="high",
    show_default=True,
    help="Exit with 1 when a finding is at least this severe; 'none' never fails on findings.",
)
@click.option(
    "--no-ner",
    is_flag=True,
    help="Do not use the spaCy language model (faster; names and places in free text are missed).",
)
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    metavar="NAME",
    show_default=True,
    help="spaCy model used to find names, places and organisations.",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    metavar="N",
    help="Read at most N rows per table to classify columns (default: every row). "
    "Free text is still read in full for leaks.",
)
@click.option("--include-views", is_flag=True, help="Also scan database views (default: tables only).")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=ScanOptions.batch_size,
    show_default=True,
    metavar="N",
    help="Rows read from a source at a time; lower it to use less memory.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bar and no notes on standard error (errors are still shown)."
)
@click.option(
    "--scan-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Compute ages (children under 13 or 16) as of this date instead of today, for reproducible reports.",
)
@click.pass_context
def scan_command(
    ctx: click.Context,
    sources: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    no_ner: bool,
    model: str,
    sample: int | None,
    include_views: bool,
    batch_size: int,
    quiet: bool,
    scan_date: datetime | None,
) -> None:
    """Find personal data in each SOURCE and report it.

    A SOURCE is a file (CSV, JSON, JSON Lines, Parquet, Excel, SQLite), a folder
    (every such file in it), or a database URL such as
    postgresql://user:password@host/db or mysql+pymysql://user@host/db.
    Values shown in reports are masked; passwords in URLs are never printed.

    \b
    Exit codes:
      0  nothing at or above --fail-on was found
      1  personal data at or above --fail-on was found (default: high)
      2  bad usage, or a source could not be read (the others are still reported)
    """
    from governance.fileio import atomic_write
    from governance.report import render
    from governance.scan.api import scan
    from governance.scan.nlp import resolve_model
    from governance.terminal import terminal_safe

    if not no_ner:
        resolve_model(model)  # fail before reading anything, not at the first free-text column
    options = ScanOptions(
        ner=not no_ner,
        model=model,
        sample_rows=sample,
        include_views=include_views,
        batch_size=batch_size,
        **({"scan_date": scan_date.date()} if scan_date else {}),
    )
    bar = _ProgressBar() if sys.stderr.isatty() and not quiet else None
    with bar or nullcontext():
        result = scan(sources, options, progress=bar)

    for error in result.errors:
        click.echo(terminal_safe(f"error: {error.source}: {error.message}"), err=True)

    report_options = {"fail_on": fail_on}
    if output is None:
        render(result, fmt, sys.stdout, **report_options)
    else:
        if fmt == "table":
            report_options["color"] = False
        with atomic_write(output, newline="") as fh:
            render(result, fmt, fh, **report_options)
        if not quiet:
            click.echo(f"{fmt} report written to {output}", err=True)
    ctx.exit(exit_code(result, fail_on))
