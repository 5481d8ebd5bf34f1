"""Output formats. Each format is one module with ``render(report, out, **options)``.

``report`` is a :class:`governance.scan.models.ScanResult` (from ``scan``) or a
:class:`governance.rules.results.CheckResult` (from ``check``). Adding a format is
adding one module and one line in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from typing import TextIO

#: format name -> module path
FORMATS: dict[str, str] = {
    "table": "governance.report.table",
    "json": "governance.report.json_report",
    "sarif": "governance.report.sarif",
    "junit": "governance.report.junit",
    "html": "governance.report.html",
    "csv": "governance.report.csv_report",
}


def render(report, fmt: str, out: TextIO, **options) -> None:
    """Write ``report`` to ``out`` in format ``fmt``."""
    try:
        module = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}") from None
    importlib.import_module(module).render(report, out, **options)
