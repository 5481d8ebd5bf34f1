"""JSON report: exactly ``report.to_dict()``, pretty-printed.

Schemas: ``governance/schemas/scan-report.schema.json`` (a :class:`ScanResult`) and
``governance/schemas/check-report.schema.json`` (a :class:`CheckResult`).
"""

from __future__ import annotations

import json
from typing import TextIO


def render(report, out: TextIO, **_options) -> None:
    """Write ``report.to_dict()`` as indented UTF-8 JSON with a final newline."""
    json.dump(report.to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
