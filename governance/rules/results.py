"""What a rule evaluation produces: violations, with the rule metadata reporters need.

Built by the rule engine (``governance.rules.engine``), rendered by every reporter
in ``governance.report``, and read by CI (JSON schema: governance/schemas/check-report.schema.json).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from governance.scan.models import ScanResult

ViolationStatus = Literal["open", "waived", "baseline"]


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


@dataclass
class CheckResult:
    """The outcome of ``governance check``: the scan it ran and the rule violations."""

    inventory: str
    scan: ScanResult | None
    rules: list[RuleInfo] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

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
            },
            "rules": [asdict(r) for r in self.rules],
            "violations": [v.to_dict() for v in self.violations],
            "scan": self.scan.to_dict() if self.scan else None,
        }
