"""`governance policy check` as a library call: completeness plus, optionally, a hand-written policy."""

from __future__ import annotations

from pathlib import Path

from governance.i18n import localizer
from governance.inventory.loader import load_inventory
from governance.policy.completeness import applicable_rules, check_completeness
from governance.policy.contradictions import (
    check_contradictions,
    contradiction_rules,
    read_policy,
)
from governance.rules.results import CheckResult


def run_policy_check(inventory: str | Path, policy_file: str | Path | None = None, lang: str = "en") -> CheckResult:
    """Missing disclosures of ``inventory`` and, with ``policy_file`` (written in ``lang``), its contradictions."""
    localizer(lang)  # an unknown language fails before any work, naming the available ones
    loaded = load_inventory(inventory)
    rules = applicable_rules(loaded)
    violations = check_completeness(loaded)
    if policy_file is not None:
        rules += contradiction_rules()
        violations += check_contradictions(loaded, read_policy(policy_file), str(policy_file), lang)
    return CheckResult(inventory=str(inventory), scan=None, rules=rules, violations=violations)
