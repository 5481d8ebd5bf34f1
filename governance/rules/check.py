"""``governance check`` as a library call: load, scan the declared datasets, evaluate, waive, baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from governance.inventory.loader import LoadedInventory, load_inventory
from governance.rules.baseline import apply_baseline, load_baseline
from governance.rules.engine import assess
from governance.rules.facts import dataset_source
from governance.rules.loader import load_rules
from governance.rules.results import CheckResult, RuleState
from governance.rules.waivers import apply_waivers, load_waivers
from governance.scan.models import ScanResult
from governance.scan.options import ScanOptions

#: Files next to a directory inventory that ``check`` uses when no option names them.
DEFAULT_WAIVERS = "waivers.yaml"
DEFAULT_BASELINE = "baseline.yaml"


@dataclass
class CheckOptions:
    """What ``run_check`` loads and how."""

    rules_dirs: list[str | Path] = field(default_factory=list)
    builtin_rules: bool = True
    disable: list[str] = field(default_factory=list)
    waivers: str | Path | None = None
    baseline: str | Path | None = None
    scan: bool = True
    disclosures: bool = True
    scan_options: ScanOptions | None = None
    today: date | None = None


def declared_sources(loaded: LoadedInventory) -> list[str]:
    """The distinct sources to scan for the declared datasets (one per file or database)."""
    seen: dict[str, None] = {}
    for dataset in loaded.inventory.datasets:
        seen.setdefault(dataset_source(loaded, dataset), None)
    return list(seen)


def run_check(
    inventory_path: str | Path,
    options: CheckOptions | None = None,
    progress: Callable[[str, object], None] | None = None,
) -> CheckResult:
    """Check an inventory (file or directory) and its data against the rule packs."""
    options = options or CheckOptions()
    inventory_path = Path(inventory_path)
    loaded = load_inventory(inventory_path)
    disclosure_names = _disclosure_names() if options.disclosures else set()
    disabled = {name.casefold() for name in options.disable}
    rule_disable = [name for name in options.disable if name.casefold() not in disclosure_names]
    rules = load_rules(options.rules_dirs, builtin=options.builtin_rules, disable=rule_disable)
    scan_result = _scan(loaded, options, progress) if options.scan else None
    violations, states = assess(loaded, scan_result, rules)
    infos = rules.infos()
    if options.disclosures and "disclosures" not in disabled:
        disclosure_rules, disclosure_violations = _disclosures(loaded, disabled, proven_facts(scan_result))
        infos += disclosure_rules
        violations += disclosure_violations
        failing = {v.rule.id for v in disclosure_violations}
        states |= {r.id: RuleState("violated" if r.id in failing else "holds", 1) for r in disclosure_rules}
    waivers = _default(inventory_path, options.waivers, DEFAULT_WAIVERS)
    if waivers is not None:
        apply_waivers(violations, load_waivers(waivers), options.today)
    baseline = _default(inventory_path, options.baseline, DEFAULT_BASELINE)
    if baseline is not None:
        apply_baseline(violations, load_baseline(baseline))
    return CheckResult(inventory=str(inventory_path), scan=scan_result, rules=infos, violations=violations, states=states)


def _disclosure_names() -> set[str]:
    """Names ``--disable`` accepts for the disclosures pack: the pack and each disclosure rule id (case-folded)."""
    from governance.policy.requirements import disclosures

    return {"disclosures"} | {d.rule_id.casefold() for d in disclosures()}


def proven_facts(scan: ScanResult | None) -> frozenset[str]:
    """Disclosure facts the scanned data proves: ``children`` when dates of birth show children under 13
    (actual knowledge, 16 CFR 312.2), whatever the inventory declares."""
    children = scan is not None and any(f.age_facts is not None and f.age_facts.under_13 > 0 for f in scan.findings)
    return frozenset({"children"} if children else ())


def _disclosures(loaded: LoadedInventory, disabled: set[str], proven: frozenset[str]):
    """The privacy-policy completeness check (pack ``disclosures``), as rules and violations."""
    from governance.policy.completeness import applicable_rules, check_completeness

    rules = [r for r in applicable_rules(loaded, proven) if r.id.casefold() not in disabled]
    violations = [v for v in check_completeness(loaded, proven) if v.rule.id.casefold() not in disabled]
    return rules, violations


def _scan(loaded: LoadedInventory, options: CheckOptions, progress) -> ScanResult:
    from governance.scan.api import scan

    scan_options = options.scan_options or ScanOptions()
    if options.today is not None:
        scan_options.scan_date = options.today
    return scan(declared_sources(loaded), scan_options, progress)


def _default(inventory_path: Path, given: str | Path | None, name: str) -> Path | None:
    if given is not None:
        return Path(given)
    candidate = inventory_path / name
    return candidate if inventory_path.is_dir() and candidate.exists() else None


def check_exit_code(result: CheckResult, fail_on: str) -> int:
    """1 when an open violation is at or above ``fail_on`` (``none``: never), else 0."""
    return 1 if fail_on != "none" and result.open_at_or_above(fail_on) else 0

