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
    """A rich progress bar on stderr fed by the scan's ``progress(event, detail)`` callback.

    One line per table: rows read of the expected count (database statistics, Parquet
    metadata, or an estimate from a file's first bytes), percentage, rate and time left.
    Without an expected count it shows the rows read and the time spent.
    """

    def __init__(self):
        from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        from governance.terminal import safe_console

        self.progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=24),
            TaskProgressColumn(),
            TextColumn("{task.fields[rows]}", markup=False),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=safe_console(stderr=True),
            refresh_per_second=4,
        )
        self.task = None

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self._finish()
        self.progress.stop()

    def __call__(self, event: str, detail: object) -> None:
        if event == "table":
            self._finish()
            self.task = self.progress.add_task(f"{detail}", total=None, rows="")
        elif self.task is None:
            return
        elif event == "expected":
            self.progress.update(self.task, total=detail if isinstance(detail, int) and detail > 0 else None)
        elif event == "rows" and isinstance(detail, int):  # rows read so far in the current table
            task = self.progress.tasks[-1]
            total = task.total
            if total is not None and detail > total:  # the estimate was low
                total = detail
            shown = f"{detail:,} of ~{total:,} rows" if total else f"{detail:,} rows"
            self.progress.update(self.task, completed=detail, total=total, rows=shown)

    def _finish(self) -> None:
        """Mark the table before as done: its line stays, at 100 %."""
        if self.task is not None:
            task = self.progress.tasks[-1]
            self.progress.update(self.task, total=task.completed or 1, completed=task.completed or 1)


def _columns(values: tuple[str, ...]) -> dict[str, str]:
    """``--change-column`` values: ``TABLE=COLUMN`` for one table, ``COLUMN`` for every table that has it."""
    from governance.scan.fingerprints import ANY_TABLE

    columns: dict[str, str] = {}
    for value in values:
        table, _, column = value.rpartition("=")
        if not column.strip():
            raise click.BadParameter(f"'{value}' names no column", param_hint="--change-column")
        columns[table.strip() or ANY_TABLE] = column.strip()
    return columns


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
    "--statement-timeout",
    type=click.FloatRange(min=0),
    default=ScanOptions.statement_timeout,
    show_default=True,
    metavar="SECONDS",
    help="Stop reading a database table after this long and report it as that table's error; "
    "the other tables go on. 0: no limit.",
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
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Incremental scan: read only files and tables changed since the run that wrote FILE, carry over "
    "the findings of the others (marked as carried over), then rewrite FILE.",
)
@click.option("--full", is_flag=True, help="With --state: read everything again and rewrite the state file.")
@click.option(
    "--change-column",
    "change_columns",
    multiple=True,
    metavar="[TABLE=]COLUMN",
    help="With --state: tell a table changed by its row count and this column's maximum (e.g. updated_at) "
    "instead of a checksum of every row; without TABLE= for every table that has the column. Repeatable.",
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
    statement_timeout: float,
    quiet: bool,
    scan_date: datetime | None,
    state_file: Path | None,
    full: bool,
    change_columns: tuple[str, ...],
) -> None:
    """Find personal data in each SOURCE and report it.

    A SOURCE is a file (CSV, JSON, JSON Lines, Parquet, Excel, SQLite), a folder
    (every such file in it), or a database URL such as
    postgresql://user@host/db or mysql://user@host/db (password from GOVERNANCE_DB_PASSWORD; see README).
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
    from governance.scan.state import load_state, save_state
    from governance.terminal import terminal_safe

    if (full or change_columns) and state_file is None:
        raise click.UsageError("--full and --change-column need --state FILE")
    if not no_ner:
        resolve_model(model)  # fail before reading anything, not at the first free-text column
    options = ScanOptions(
        ner=not no_ner,
        model=model,
        sample_rows=sample,
        include_views=include_views,
        batch_size=batch_size,
        statement_timeout=statement_timeout or None,
        **({"scan_date": scan_date.date()} if scan_date else {}),
    )
    state = None
    if state_file is not None:
        state, matches = load_state(state_file, options)
        if not matches and not full and not quiet:
            click.echo(f"note: {state_file} was written with other settings or version: everything is read again", err=True)
    bar = _ProgressBar() if sys.stderr.isatty() and not quiet else None
    with bar or nullcontext():
        result = scan(sources, options, progress=bar, state=state, full=full, change_columns=_columns(change_columns))
    if state is not None:
        save_state(state_file, state)

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
