"""Scan sources for personal data: the library entry point behind ``governance scan``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timezone

from governance.errors import GovernanceError, as_error
from governance.scan.estimates import expected_rows
from governance.scan.models import Finding, ScanResult, SourceError, TableSummary
from governance.scan.options import ScanOptions
from governance.scan.sources import Unit, is_database_url, iter_units, source_display, source_key
from governance.scan.state import Fingerprint, ScanState, UnitRecord

log = logging.getLogger(__name__)

#: progress(event, detail): "table" (its name) when a table starts, then "expected" (its estimated row count
#: or None), then "rows" with the rows read so far as it goes.
ProgressCallback = Callable[[str, object], None]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def scan(
    sources: Iterable[str],
    options: ScanOptions | None = None,
    progress: ProgressCallback | None = None,
    *,
    state: ScanState | None = None,
    full: bool = False,
    change_columns: Mapping[str, str] | None = None,
) -> ScanResult:
    """Scan files, directories and database URLs; one bad source never stops the others.

    Returns a :class:`ScanResult` whose errors list each source (each file of a
    folder, each table that failed while being read) that could not be read.

    With ``state`` the scan is incremental: a file or table whose fingerprint is the
    one in ``state`` is not read, and its stored summary and findings are reported
    with ``carried_over`` set; ``full`` reads everything. On return ``state.units``
    holds this run's units (those that could be read and fingerprinted).
    ``change_columns`` (table or ``*`` -> column) fingerprints tables by that column's maximum.
    """
    from governance.scan.engine import TableScanner

    options = options or ScanOptions()
    result = ScanResult(started_at=_now(), scan_date=options.scan_date, options=options.to_dict())
    scanner = TableScanner(options)
    units: dict[str, UnitRecord] = {}
    seen: set[str] = set()  # a file named and also inside a named folder is read once
    for source in sources:

        def record(exc: GovernanceError, source: str = source) -> None:
            log.debug("source failed", exc_info=exc)
            result.errors.append(SourceError(exc.where or source_display(source), _reason(exc)))

        try:
            for unit in iter_units(source, options, change_columns=change_columns, on_error=record):
                same = unit.key if is_database_url(unit.key) else source_key(unit.key)
                if same in seen:
                    continue
                seen.add(same)
                fingerprint = _fingerprint(unit, state, full) if state is not None else None
                kept = state.reusable(unit.key, fingerprint, options.scan_date) if fingerprint and not full else None
                if kept is not None:
                    units[unit.key] = _carry_over(kept, fingerprint, result)
                    continue
                read = _read(unit, scanner, result, record, progress)
                if read is not None and fingerprint is not None:
                    units[unit.key] = UnitRecord(fingerprint, _now(), options.scan_date, *read)
        except Exception as exc:  # whatever went wrong, this source is an error and the others go on
            record(as_error(exc))
    if state is not None:
        state.units = units
    result.finished_at = _now()
    return result


def _fingerprint(unit: Unit, state: ScanState, full: bool) -> Fingerprint | None:
    """The unit's fingerprint, or ``None`` (with a warning) when it cannot be taken: then it is read, not kept."""
    previous = None if full else state.units.get(unit.key)
    try:
        return unit.fingerprint(previous.fingerprint if previous else None)
    except (GovernanceError, OSError) as exc:
        text = exc.one_line() if isinstance(exc, GovernanceError) else f"{unit.key}: {exc.strerror or exc}"
        log.warning("no fingerprint, so it will be read again next time: %s", text)
        return None


def _carry_over(kept: UnitRecord, fingerprint: Fingerprint, result: ScanResult) -> UnitRecord:
    """Report a unchanged unit's stored tables and findings, marked as carried over."""
    result.tables.extend(replace(t, carried_over=True) for t in kept.tables)
    result.findings.extend(replace(f, carried_over=True) for f in kept.findings)
    return replace(kept, fingerprint=fingerprint)


def _read(
    unit: Unit, scanner, result: ScanResult, record: Callable[..., None], progress: ProgressCallback | None
) -> tuple[list[TableSummary], list[Finding]] | None:
    """Scan every table of the unit into ``result``; its tables and findings, or ``None`` if any failed."""
    tables: list[TableSummary] = []
    findings: list[Finding] = []
    failed = False
    try:
        for stream in unit.open():
            if progress:
                progress("table", f"{stream.source} {stream.name}".strip())
                progress("expected", expected_rows(stream))
            try:
                outcome = scanner.scan(stream, progress=progress)
            except Exception as exc:  # a reader failing mid-table: that table is an error, the rest goes on
                record(as_error(exc), stream.source)
                failed = True
                continue
            findings.extend(outcome.findings)
            tables.append(
                TableSummary(stream.source, stream.name, outcome.rows_scanned, list(stream.columns), stream.sampled)
            )
    except Exception as exc:
        record(as_error(exc))
        failed = True
    result.findings.extend(findings)
    result.tables.extend(tables)
    return None if failed else (tables, findings)


def _reason(exc: GovernanceError) -> str:
    """The error without its ``where`` (a :class:`SourceError` names the source itself)."""
    if not exc.where:
        return exc.one_line()
    return f"{exc.message} ({exc.hint})" if exc.hint else exc.message
