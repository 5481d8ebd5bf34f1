"""Every built-in rule against its passing and failing fixture (tests/fixtures/rules/<RULE-ID>/).

The failing inventory must fail for the stated reason: the violation names the rule,
the target in expected.yaml, and every message fragment listed there. The passing
inventory must not violate the rule although the rule applies to it (checked by
evaluating the rule with its check inverted).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from rules_support import load_scan

from governance.inventory.loader import load_inventory
from governance.rules.conditions import Not
from governance.rules.engine import evaluate
from governance.rules.loader import load_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
RULES = load_rules()


def _scan(directory: Path, which: str):
    sidecar = directory / f"{which}.findings.yaml"
    return load_scan(sidecar) if sidecar.exists() else None


def test_every_builtin_rule_has_fixtures():
    assert sorted(r.id for r in RULES.rules) == sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def test_every_pack_is_present():
    assert {p.name for p in RULES.packs} == {"canspam", "coppa", "hipaa", "general", "gdpr", "ccpa", "vietnam"}


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_failing_fixture_fails_for_the_stated_reason(rule):
    directory = FIXTURES / rule.id
    expected = yaml.safe_load((directory / "expected.yaml").read_text(encoding="utf-8"))
    loaded = load_inventory(directory / "fail.yaml")
    violations = [v for v in evaluate(loaded, _scan(directory, "fail"), RULES) if v.rule.id == rule.id]
    assert [v.target for v in violations] == [expected["target"]], [v.message for v in violations]
    (violation,) = violations
    for fragment in expected["message"]:
        assert fragment in violation.message, f"{fragment!r} not in {violation.message!r}"
    assert violation.rule.citation == rule.spec.citation and violation.rule.pack == rule.pack.name
    if rule.spec.target == "finding":
        assert violation.location.endswith(f" › {violation.field}") and violation.finding
    else:
        assert re.fullmatch(re.escape(str(directory / "fail.yaml")) + r":\d+", violation.location), violation.location


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.id)
def test_passing_fixture_passes_although_the_rule_applies(rule):
    directory = FIXTURES / rule.id
    loaded = load_inventory(directory / "pass.yaml")
    scan = _scan(directory, "pass")
    assert [v.message for v in evaluate(loaded, scan, RULES) if v.rule.id == rule.id] == []
    inverted = dataclasses.replace(rule, check=Not(rule.check))
    assert evaluate(loaded, scan, [inverted]), f"{rule.id} does not apply to its passing fixture"
