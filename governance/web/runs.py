"""Check runs for the dashboard: each run is the JSON check report, kept as ``<runs dir>/check-<UTC time>.json``.

:func:`run_check_now` runs :func:`governance.rules.check.run_check` and writes its report
with the JSON reporter; a report written by ``governance check --format json -o`` into the
same directory is read the same way. :func:`dashboard` counts the open violations of the
latest run per dataset and severity, and the open count of every run for the trend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from governance.fileio import atomic_write
from governance.report import render
from governance.rules.check import CheckOptions, run_check
from governance.scan.options import ScanOptions
from governance.taxonomy import SEVERITIES

PREFIX = "check-"
#: the key of violations about the whole inventory rather than one dataset
WHOLE_INVENTORY = ""


@dataclass(frozen=True)
class Run:
    name: str
    report: dict


@dataclass
class DatasetRow:
    dataset: str
    counts: dict[str, int]  # severity -> open violations, most severe first
    violations: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Dashboard:
    latest: Run | None
    datasets: list[DatasetRow]
    by_severity: dict[str, int]
    trend: list[tuple[str, int]]  # (run name, open violations), oldest first
    unreadable: list[str]


def run_check_now(inventory: Path, runs_dir: Path, scan: bool, now: datetime) -> Path:
    """Run the check (scanning the declared data without NER when ``scan``) and keep its report."""
    result = run_check(inventory, CheckOptions(scan=scan, scan_options=ScanOptions(ner=False)))
    path = runs_dir / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}.json"
    with atomic_write(path) as fh:
        render(result, "json", fh)
    return path


def load_runs(runs_dir: Path) -> tuple[list[Run], list[str]]:
    """Every readable check report, oldest first, and the names of those that are not."""
    runs, bad = [], []
    for path in sorted(runs_dir.glob("*.json")) if runs_dir.is_dir() else []:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(report, dict) or not isinstance(report.get("violations"), list):
                raise ValueError
        except (OSError, ValueError):
            bad.append(path.name)
            continue
        runs.append(Run(path.stem, report))
    return runs, bad


def _open(report: dict) -> list[dict]:
    return [v for v in report["violations"] if isinstance(v, dict) and v.get("status") == "open"]


def dashboard(runs_dir: Path, dataset_ids: list[str]) -> Dashboard:
    """The latest run per dataset (every declared dataset listed, clean ones with zeros) and the trend."""
    runs, bad = load_runs(runs_dir)
    latest = runs[-1] if runs else None
    order = list(reversed(SEVERITIES))
    rows = {ds: DatasetRow(ds, dict.fromkeys(order, 0)) for ds in [*dataset_ids, WHOLE_INVENTORY]}
    by_severity = dict.fromkeys(order, 0)
    for v in _open(latest.report) if latest else []:
        row = rows.setdefault(v.get("dataset") or WHOLE_INVENTORY,
                              DatasetRow(v.get("dataset") or WHOLE_INVENTORY, dict.fromkeys(order, 0)))
        severity = v.get("severity") if v.get("severity") in by_severity else "info"
        row.counts[severity] += 1
        row.violations.append(v)
        by_severity[severity] += 1
    return Dashboard(latest, list(rows.values()), by_severity, [(r.name, len(_open(r.report))) for r in runs], bad)
