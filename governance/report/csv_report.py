"""CSV report: one row per finding (scan) or per violation (check), for spreadsheets.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return) are prefixed with ``'`` (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
from typing import TextIO

from governance.report import view
from governance.rules.results import CheckResult
from governance.scan.models import Finding, ScanResult, SourceError
from governance.taxonomy import category_label

SCAN_COLUMNS = [
    "source", "table", "column", "kind", "entity", "what_it_is", "category", "category_name", "severity",
    "confidence", "matched", "non_empty", "rows_scanned", "share", "detectors", "examples", "row_keys", "error",
]  # fmt: skip

CHECK_COLUMNS = [
    "pack", "rule_id", "title", "law", "citation", "severity", "status", "location", "target",
    "dataset", "field", "message", "remediation", "waiver_owner", "waiver_expires", "waiver_reason",
]  # fmt: skip

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with a leading ``'`` when a spreadsheet would run the text as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(report, out: TextIO, **_options) -> None:
    """Write ``report`` as CSV with a header row."""
    writer = csv.writer(out, lineterminator="\n")
    if isinstance(report, CheckResult):
        writer.writerow(CHECK_COLUMNS)
        rows = _check_rows(report)
    else:
        writer.writerow(SCAN_COLUMNS)
        rows = _scan_rows(report)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def _scan_rows(result: ScanResult):
    for source in view.scan_view(result):
        for table in source.tables:
            for finding in table.findings:
                yield _finding_row(finding)
        for error in source.errors:
            yield _error_row(error)


def _finding_row(f: Finding) -> list:
    return [
        f.source, f.table, f.column, f.kind, f.entity, view.entity_label(f.entity), f.category,
        category_label(f.category), f.severity, round(f.confidence, 4), f.matched, f.non_empty,
        f.rows_scanned, round(f.share, 4), ";".join(f.detectors), " | ".join(f.examples),
        "; ".join(f.row_keys) if f.kind == "leak" else "", "",
    ]  # fmt: skip


def _error_row(error: SourceError) -> list:
    return [error.source] + [""] * (len(SCAN_COLUMNS) - 2) + [error.message]


def _check_rows(result: CheckResult):
    for pack in view.check_view(result):
        for rule_view in pack.rules:
            rule = rule_view.rule
            for v in rule_view.violations:
                waiver = v.waiver
                yield [
                    rule.pack, rule.id, rule.title, rule.law, rule.citation, rule.severity, v.status, v.location,
                    v.target, v.dataset or "", v.field or "", v.message, rule.remediation,
                    waiver.owner if waiver else "", waiver.expires if waiver else "", waiver.reason if waiver else "",
                ]  # fmt: skip
