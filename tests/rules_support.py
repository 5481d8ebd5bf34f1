"""Test support for rule tests: fixture scan findings built as real Finding objects from a YAML sidecar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from governance.scan.databases import resolve_url
from governance.scan.models import AgeFacts, Finding, ScanResult
from governance.taxonomy import entity_category


def load_scan(path: Path) -> ScanResult:
    """A ScanResult holding the findings listed in ``path`` (sources relative to its directory)."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    base = path.parent
    findings = []
    for row in rows:
        source = row["source"]
        source = resolve_url(source, base) if "://" in source else str(base / source)
        ages = row.get("age_facts")
        findings.append(Finding(
            source=source,
            table=row.get("table", ""),
            column=row["column"],
            category=row.get("category", entity_category(row["entity"])),
            entity=row["entity"],
            confidence=row.get("confidence", 0.9),
            matched=row["matched"],
            non_empty=row["non_empty"],
            rows_scanned=row.get("rows_scanned", row["non_empty"]),
            kind=row.get("kind", "column"),
            detectors=["fixture"],
            age_facts=AgeFacts(**{**ages, "as_of": date.fromisoformat(str(ages["as_of"]))}) if ages else None,
        ))
    return ScanResult(started_at="2026-11-01T00:00:00+00:00", scan_date=date(2026, 11, 1), findings=findings)
