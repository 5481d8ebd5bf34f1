"""The scan result model: what every reader feeds and every reporter, rule and request reads.

A finding never holds raw personal data: ``examples`` are masked by the detector
before a finding is built (see :mod:`governance.masking`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Literal

from governance.taxonomy import category_severity

REPORT_SCHEMA_VERSION = "1.1"

FindingKind = Literal["column", "leak"]


@dataclass
class AgeFacts:
    """For a date-of-birth column: how many values imply a child's age on the scan date."""

    as_of: date
    valid_dates: int
    under_13: int
    under_16: int
    over_89: int = 0


@dataclass
class Finding:
    """Personal data found in one column (``kind='column'``) or leaked into free-text cells (``kind='leak'``).

    ``source`` is a file path or a database URL with its password masked; ``table``
    is the table, sheet or file-internal name (empty for a single-table file);
    ``column`` is the column name or the dotted JSON path. ``carried_over``: taken
    from an earlier run because its table had not changed (see ``TableSummary``).
    """

    source: str
    table: str
    column: str
    category: str
    entity: str
    confidence: float
    matched: int
    non_empty: int
    rows_scanned: int
    kind: FindingKind = "column"
    detectors: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)
    age_facts: AgeFacts | None = None
    severity: str = ""
    carried_over: bool = False

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = category_severity(self.category)

    @property
    def share(self) -> float:
        """Share of non-empty values that matched (0..1)."""
        return self.matched / self.non_empty if self.non_empty else 0.0

    @property
    def identity(self) -> str:
        """Stable identity for baselines and waivers: no row offsets, so it survives edits."""
        return f"{self.source}|{self.table}|{self.column}|{self.kind}|{self.entity}"

    @property
    def location(self) -> str:
        """Human-readable place: ``source › table › column``."""
        parts = [self.source] + ([self.table] if self.table else []) + [self.column]
        return " › ".join(parts)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["share"] = round(self.share, 4)
        data["confidence"] = round(self.confidence, 4)
        if self.age_facts is not None:
            data["age_facts"]["as_of"] = self.age_facts.as_of.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        """The finding :meth:`to_dict` wrote (``share`` is derived, so it is dropped)."""
        fields = {k: v for k, v in data.items() if k != "share"}
        facts = fields.get("age_facts")
        if facts is not None:
            fields["age_facts"] = AgeFacts(**{**facts, "as_of": date.fromisoformat(facts["as_of"])})
        return cls(**fields)


@dataclass
class TableSummary:
    """One table (or file) that was read: how many rows and which columns.

    ``carried_over``: not read in this run; an incremental scan (``--state``) found it
    unchanged since the run that read it, and took that run's summary and findings.
    """

    source: str
    table: str
    rows_scanned: int
    columns: list[str]
    sampled: bool = False
    carried_over: bool = False


@dataclass
class SourceError:
    """A source that could not be scanned, with the one-line reason (never raw data or passwords)."""

    source: str
    message: str


@dataclass
class ScanResult:
    """Everything one scan found, across all its sources."""

    started_at: str
    finished_at: str = ""
    scan_date: date = field(default_factory=date.today)
    findings: list[Finding] = field(default_factory=list)
    tables: list[TableSummary] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    options: dict = field(default_factory=dict)

    def findings_at_or_above(self, severity: str) -> list[Finding]:
        """Findings whose severity is at least ``severity``."""
        from governance.taxonomy import severity_rank

        floor = severity_rank(severity)
        return [f for f in self.findings if severity_rank(f.severity) >= floor]

    def to_dict(self) -> dict:
        """The versioned JSON report (schema: governance/schemas/scan-report.schema.json)."""
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "governance", "version": _version()},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "scan_date": self.scan_date.isoformat(),
            "options": self.options,
            "summary": {
                "sources": len({t.source for t in self.tables} | {e.source for e in self.errors}),
                "tables": len(self.tables),
                "rows_scanned": sum(t.rows_scanned for t in self.tables if not t.carried_over),
                "findings": len(self.findings),
                "errors": len(self.errors),
                "carried_over": sum(t.carried_over for t in self.tables),
            },
            "tables": [asdict(t) for t in self.tables],
            "findings": [f.to_dict() for f in self.findings],
            "errors": [asdict(e) for e in self.errors],
        }


def _version() -> str:
    from governance import __version__

    return __version__
