"""Scan sources for personal data: the library entry point behind ``governance scan``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from governance.errors import GovernanceError, as_error
from governance.scan.models import ScanResult, SourceError, TableSummary
from governance.scan.options import ScanOptions
from governance.scan.sources import iter_tables, source_display

log = logging.getLogger(__name__)

#: progress(event, detail): "table" when a table starts, "rows" with a row count as it goes.
ProgressCallback = Callable[[str, object], None]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def scan(
    sources: Iterable[str],
    options: ScanOptions | None = None,
    progress: ProgressCallback | None = None,
) -> ScanResult:
    """Scan files, directories and database URLs; one bad source never stops the others.

    Returns a :class:`ScanResult` whose errors list each source (each file of a
    folder, each table that failed while being read) that could not be read.
    """
    from governance.scan.engine import TableScanner

    options = options or ScanOptions()
    result = ScanResult(started_at=_now(), scan_date=options.scan_date, options=options.to_dict())
    scanner = TableScanner(options)
    for source in sources:

        def record(exc: GovernanceError, source: str = source) -> None:
            log.debug("source failed", exc_info=exc)
            result.errors.append(SourceError(exc.where or source_display(source), _reason(exc)))

        try:
            for stream in iter_tables(source, options, on_error=record):
                if progress:
                    progress("table", f"{stream.source} {stream.name}".strip())
                try:
                    outcome = scanner.scan(stream, progress=progress)
                except Exception as exc:  # a reader failing mid-table: that table is an error, the rest goes on
                    record(as_error(exc), stream.source)
                    continue
                result.findings.extend(outcome.findings)
                result.tables.append(
                    TableSummary(stream.source, stream.name, outcome.rows_scanned, list(stream.columns), stream.sampled)
                )
        except Exception as exc:
            record(as_error(exc))
    result.finished_at = _now()
    return result


def _reason(exc: GovernanceError) -> str:
    """The error without its ``where`` (a :class:`SourceError` names the source itself)."""
    if not exc.where:
        return exc.one_line()
    return f"{exc.message} ({exc.hint})" if exc.hint else exc.message
