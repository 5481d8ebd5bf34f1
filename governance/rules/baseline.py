"""Baselines: adopt the tool on an existing estate and fail only on new violations.

A baseline records the identity of each open violation (rule id + target, no line
numbers, so it survives edits). Violations found in the baseline get status
``baseline``; anything else stays open.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from governance.errors import ConfigError
from governance.fileio import atomic_write
from governance.rules.results import Violation
from governance.yamlio import load_yaml

BASELINE_VERSION = 1


def write_baseline(violations: list[Violation], path: str | Path) -> int:
    """Write the identities of the open violations to ``path`` (atomically); return how many."""
    entries = sorted(
        {v.identity: {"rule": v.rule.id, "target": v.target, "message": v.message}
         for v in violations if v.status == "open"}.items()
    )
    doc = {
        "baseline_version": BASELINE_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "violations": [entry for _, entry in entries],
    }
    with atomic_write(path) as fh:
        fh.write("# governance baseline: violations accepted when the tool was adopted.\n")
        fh.write("# `governance check --baseline FILE` reports only violations not listed here.\n")
        yaml.safe_dump(doc, fh, sort_keys=False, allow_unicode=True, width=120)
    return len(entries)


def load_baseline(path: str | Path) -> set[str]:
    """Identities (``RULE-ID|target``) recorded in a baseline file."""
    doc = load_yaml(path)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("violations"), list):
        raise ConfigError("not a baseline file: expected a 'violations' list", where=f"{doc.path}:1",
                          hint="write one with `governance check --write-baseline FILE`")
    identities = set()
    for i, entry in enumerate(data["violations"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str) or not isinstance(entry.get("target"), str):
            raise ConfigError("each entry needs 'rule' and 'target'", where=f"{doc.path}:{doc.line_of(('violations', i)) or 1}: violations[{i}]")
        identities.add(f"{entry['rule']}|{entry['target']}")
    return identities


def apply_baseline(violations: list[Violation], identities: set[str]) -> None:
    """Open violations already in the baseline get status ``baseline``."""
    for violation in violations:
        if violation.status == "open" and violation.identity in identities:
            violation.status = "baseline"
