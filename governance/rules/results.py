"""What a rule evaluation produces: violations, with the rule metadata reporters need.

Built by the rule engine (``governance.rules.engine``), rendered by every reporter
in ``governance.report``, and read by CI (JSON schema: governance/schemas/check-report.schema.json).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from governance.scan.models import ScanResult

ViolationStatus = Literal["open", "waived", "baseline"]
RuleStatus = Literal["violated", "holds", "not_applicable"]


@dataclass(frozen=True)
class RuleInfo:
    """Metadata of one rule, for SARIF rule descriptors and readable reports."""

    id: str
    title: str
    pack: str
    law: str
    citation: str
    severity: str
    description: str = ""
    remediation: str = ""
    help_uri: str = ""


@dataclass(frozen=True)
class RuleState:
    """What evaluating one rule showed: ``violated``, ``holds`` (its check ran on ``checked``
    items and held on each) or ``not_applicable`` (nothing to check, with the ``reason``)."""

    status: RuleStatus
    checked: int = 0
    reason: str = ""


@dataclass
class Waiver:
    """An accepted violation: who accepted it, why, and until when."""

    rule: str
    target: str
    reason: str
    owner: str
    expires: str


@dataclass
class Violation:
    """One rule that does not hold, at one place.

    ``location`` is where to fix it: an inventory ``file:line`` or a data location
    (``source › table › column``). ``message`` is already rendered and never holds raw
    personal data. ``identity`` (rule + target) is stable across edits, for waivers and baselines.
    """

    rule: RuleInfo
    message: str
    location: str
    target: str
    dataset: str | None = None
    field: str | None = None
    finding: str | None = None
    status: ViolationStatus = "open"
    waiver: Waiver | None = None

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def identity(self) -> str:
        return f"{self.rule.id}|{self.target}"

    def to_dict(self) -> dict:
        return {
            "rule_id": self.rule.id,
            "pack": self.rule.pack,
            "title": self.rule.title,
            "law": self.rule.law,
            "citation": self.rule.citation,
            "severity": self.rule.severity,
            "message": self.message,
            "remediation": self.rule.remediation,
            "location": self.location,
            "target": self.target,
            "dataset": self.dataset,
            "field": self.field,
            "finding": self.finding,
            "status": self.status,
            "waiver": asdict(self.waiver) if self.waiver else None,
        }


def _state_dict(state: RuleState) -> dict:
    return {"status": state.status, "checked": state.checked, "reason": state.reason}


@dataclass
class CheckResult:
    """The outcome of ``governance check``: the scan it ran and the rule violations."""

    inventory: str
    scan: ScanResult | None
    rules: list[RuleInfo] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    states: dict[str, RuleState] = field(default_factory=dict)

    def state(self, rule_id: str) -> RuleState:
        """The rule's state; a rule only named by a violation (or not evaluated here) counts as violated or not applicable."""
        if any(v.rule.id == rule_id for v in self.violations):
            return RuleState("violated", self.states.get(rule_id, RuleState("violated")).checked)
        return self.states.get(rule_id, RuleState("not_applicable", reason="not evaluated"))

    def open_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.status == "open"]

    def open_at_or_above(self, severity: str) -> list[Violation]:
        """Open (not waived, not in the baseline) violations at least as severe as ``severity``."""
        from governance.taxonomy import severity_rank

        floor = severity_rank(severity)
        return [v for v in self.open_violations() if severity_rank(v.severity) >= floor]

    def to_dict(self) -> dict:
        return {
            "schema_version": "1.0",
            "inventory": self.inventory,
            "summary": {
                "rules": len(self.rules),
                "violations": len(self.violations),
                "open": len(self.open_violations()),
                "waived": sum(v.status == "waived" for v in self.violations),
                "baseline": sum(v.status == "baseline" for v in self.violations),
                **{status: sum(self.state(r.id).status == status for r in self.rules)
                   for status in ("violated", "holds", "not_applicable")},
            },
            "rules": [{**asdict(r), **_state_dict(self.state(r.id))} for r in self.rules],
            "violations": [v.to_dict() for v in self.violations],
            "scan": self.scan.to_dict() if self.scan else None,
        }
