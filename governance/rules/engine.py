"""Evaluate rules against an inventory and (optionally) scan findings."""

from __future__ import annotations

from collections.abc import Iterable

from governance.inventory.loader import LoadedInventory
from governance.rules.conditions import render_message
from governance.rules.facts import View, build_facts
from governance.rules.loader import Rule, RuleSet
from governance.rules.results import RuleState, Violation
from governance.scan.models import ScanResult
from governance.taxonomy import severity_rank


def evaluate(loaded: LoadedInventory, scan: ScanResult | None, rules: RuleSet | Iterable[Rule]) -> list[Violation]:
    """Every place where a rule applies and its check does not hold, most severe first.

    Without a scan (``scan=None``) rules on findings have nothing to iterate over and
    conditions about findings see an empty list.
    """
    return assess(loaded, scan, rules)[0]


def assess(
    loaded: LoadedInventory, scan: ScanResult | None, rules: RuleSet | Iterable[Rule]
) -> tuple[list[Violation], dict[str, RuleState]]:
    """The violations (as :func:`evaluate`) and each rule's state: violated, holds, or not applicable and why."""
    facts = build_facts(loaded, scan)
    root = facts.root()
    packs: dict[str, bool] = {}
    violations: list[Violation] = []
    states: dict[str, RuleState] = {}
    for rule in rules.rules if isinstance(rules, RuleSet) else rules:
        pack = rule.pack
        if pack.name not in packs:
            packs[pack.name] = pack.applies_when is None or pack.applies_when.holds(root)
        if not packs[pack.name]:
            states[rule.id] = RuleState("not_applicable", reason=f"the {pack.title} pack does not apply to this inventory")
            continue
        checked = failed = 0
        for item in facts.targets(rule.spec.target):
            ctx = {**root, **(item.bindings() if item is not None else {})}
            if rule.applies_when is not None and not rule.applies_when.holds(ctx):
                continue
            checked += 1
            if not rule.check.holds(ctx):
                failed += 1
                violations.append(_violation(rule, item, ctx, loaded))
        states[rule.id] = (
            RuleState("violated", checked) if failed
            else RuleState("holds", checked) if checked
            else RuleState("not_applicable", reason=_nothing_to_check(rule, facts))
        )
    violations.sort(key=lambda v: (-severity_rank(v.severity), v.rule.pack, v.rule.id, v.target))
    return violations, states


def _nothing_to_check(rule: Rule, facts) -> str:
    target = rule.spec.target
    if target == "finding" and not facts.scanned:
        return "the data was not scanned (--no-scan)"
    if target == "organization":
        return "its condition does not apply to this organisation"
    if not facts.targets(target):
        return f"no {target} is declared" if target != "finding" else "the scan found nothing it looks at"
    evidence = " or the data shows" if facts.scanned else " (the data was not scanned, so nothing read from it counts)"
    return f"no {target} it applies to is declared{evidence}"


def _violation(rule: Rule, item: View | None, ctx: dict, loaded: LoadedInventory) -> Violation:
    dataset, field, finding = ctx.get("dataset"), ctx.get("field"), ctx.get("finding")
    return Violation(
        rule=rule.info,
        message=render_message(rule.spec.message, ctx).strip(),
        location=item.anchor if item is not None else loaded.where(("organization",)),
        target=item.key if item is not None else "organization",
        dataset=dataset.id if dataset is not None else None,
        field=(field.name if field is not None else finding.column if finding is not None else None),
        finding=finding.identity if finding is not None else None,
    )
