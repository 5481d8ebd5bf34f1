"""What every reporter shows, computed once: results grouped by source and table, in plain language.

Reporters format these views; they never re-derive groupings or wording of their own,
so the terminal table, HTML, JUnit and CSV outputs say the same thing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from governance.rules.results import CheckResult, RuleInfo, RuleState, Violation
from governance.scan.models import Finding, ScanResult, SourceError, TableSummary
from governance.taxonomy import SEVERITIES, category_label, entities, severity_rank

#: Severities, most severe first (the order reports list them in).
SEVERITIES_DESC: tuple[str, ...] = tuple(reversed(SEVERITIES))

#: How a carried-over finding or table is marked (incremental scans, ``--state``).
CARRIED_OVER = "Carried over: unchanged since the last scan, not read again"

#: How many row keys a leak shows before "…".
ROW_KEYS_SHOWN = 5


def entity_label(entity: str) -> str:
    """Plain-language name of a detector entity (``EMAIL_ADDRESS`` -> ``e-mail address``)."""
    info = entities().get(entity)
    return info.label if info else entity.replace("_", " ").lower()


def severity_counts(items) -> dict[str, int]:
    """Count of ``items`` (anything with ``.severity``) per severity, most severe first, zeros included."""
    counts = Counter(item.severity for item in items)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES_DESC}


def counts_text(counts: dict[str, int]) -> str:
    """``{'critical': 2, 'high': 0, 'low': 1}`` -> ``2 critical, 1 low`` (``none`` when all are zero)."""
    parts = [f"{n} {severity}" for severity, n in counts.items() if n]
    return ", ".join(parts) or "none"


def percent(share: float) -> str:
    """A share (0..1) as a whole percentage; tiny non-zero shares show as ``<1%``."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share * 100:.0f}%"


def row_keys_text(keys: list[str], total: int | None = None) -> str:
    """First row keys of a leak, with ``…`` when more rows matched than are listed."""
    shown = keys[:ROW_KEYS_SHOWN]
    more = (total if total is not None else len(keys)) > len(shown)
    return ", ".join(shown) + (", …" if more and shown else "")


def finding_sentence(finding: Finding) -> str:
    """One plain-language sentence about a finding, for messages (SARIF, JUnit)."""
    label = entity_label(finding.entity)
    where = finding.location
    if finding.kind == "leak":
        rows = row_keys_text(finding.row_keys, finding.matched)
        text = f"{label} found in {finding.matched} free-text cell(s) of {where}"
        text += f" (rows: {rows})." if rows else "."
    else:
        text = (
            f"{where} holds {label} ({category_label(finding.category)}, {finding.category}): "
            f"{finding.matched} of {finding.non_empty} non-empty values matched ({percent(finding.share)})."
        )
    return text + (f" {CARRIED_OVER}." if finding.carried_over else "")


def sort_findings(findings: list[Finding], columns: list[str]) -> list[Finding]:
    """Most severe first, then in the table's column order, then by entity."""
    position = {name: i for i, name in enumerate(columns)}
    return sorted(
        findings,
        key=lambda f: (-severity_rank(f.severity), position.get(f.column, len(position)), f.column, f.kind, f.entity),
    )


@dataclass
class TableView:
    """One table (or single-table file) of a source with its findings."""

    name: str
    rows_scanned: int
    columns: list[str]
    sampled: bool
    findings: list[Finding] = field(default_factory=list)
    carried_over: bool = False

    @property
    def title(self) -> str:
        return self.name or "(whole file)"

    @property
    def marked_title(self) -> str:
        """The title, with ``(carried over)`` when an incremental scan did not read the table again."""
        return self.title + (" (carried over)" if self.carried_over else "")


@dataclass
class SourceView:
    """One scanned source: its tables, their findings, and the errors reading it."""

    source: str
    tables: list[TableView] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.tables for f in t.findings]

    @property
    def rows_scanned(self) -> int:
        return sum(t.rows_scanned for t in self.tables)

    @property
    def counts(self) -> dict[str, int]:
        return severity_counts(self.findings)

    @property
    def summary(self) -> str:
        """``3 tables, 1,200 rows read, 5 findings (2 critical, 3 medium)``."""
        if not self.tables and self.errors:
            return "could not be read"
        findings = self.findings
        kept = [t for t in self.tables if t.carried_over]
        read = sum(t.rows_scanned for t in self.tables if not t.carried_over)
        text = f"{len(self.tables)} table(s), {read:,} rows read, {len(findings)} finding(s)"
        if findings:
            text += f" ({counts_text(self.counts)})"
        if kept:
            text += f"; {len(kept)} table(s) unchanged since the last scan, their findings carried over"
        return text


def scan_view(result: ScanResult) -> list[SourceView]:
    """Group a scan result by source (in scan order), then by table (in read order)."""
    sources: dict[str, SourceView] = {}

    def view(source: str) -> SourceView:
        return sources.setdefault(source, SourceView(source))

    tables: dict[tuple[str, str], TableView] = {}
    for summary in result.tables:
        table = _table_view(summary)
        tables[(summary.source, summary.table)] = table
        view(summary.source).tables.append(table)
    for finding in result.findings:
        key = (finding.source, finding.table)
        if key not in tables:  # a finding for a table the summary does not list: still report it
            tables[key] = TableView(finding.table, finding.rows_scanned, [], False, carried_over=finding.carried_over)
            view(finding.source).tables.append(tables[key])
        tables[key].findings.append(finding)
    for table in tables.values():
        table.findings = sort_findings(table.findings, table.columns)
    for error in result.errors:
        view(error.source).errors.append(error)
    return list(sources.values())


def _table_view(summary: TableSummary) -> TableView:
    return TableView(
        summary.table, summary.rows_scanned, list(summary.columns), summary.sampled, carried_over=summary.carried_over
    )


def threshold_note(fail_on: str, at_or_above: int, what: str = "finding", unreadable: int = 0) -> str:
    """What the exit code will be, in words (the CLI computes the code itself).

    ``unreadable`` sources make it 2 whatever was found; otherwise it is 1 when
    ``at_or_above`` items reach ``fail_on``, else 0.
    """
    found = f"{at_or_above} {what}(s) at or above '{fail_on}'"
    if unreadable:
        detail = "" if fail_on == "none" else f" ({found})"
        return f"{unreadable} source(s) could not be read: the command exits with 2{detail}."
    if fail_on == "none":
        return f"--fail-on none: {what}s never fail the run, so the command exits with 0."
    if at_or_above:
        return f"{found}: the command exits with 1 (0 would mean nothing at or above '{fail_on}')."
    return f"No {what} at or above '{fail_on}': the command exits with 0."


def scan_at_or_above(result: ScanResult, fail_on: str) -> list[Finding]:
    """Findings that fail the run at ``fail_on`` (none for ``fail_on='none'``)."""
    return [] if fail_on == "none" else result.findings_at_or_above(fail_on)


def check_at_or_above(result: CheckResult, fail_on: str) -> list[Violation]:
    """Open violations that fail the run at ``fail_on`` (none for ``fail_on='none'``)."""
    return [] if fail_on == "none" else result.open_at_or_above(fail_on)


@dataclass
class RuleView:
    """One rule of a check and its violations."""

    rule: RuleInfo
    violations: list[Violation] = field(default_factory=list)
    state: RuleState = RuleState("not_applicable", reason="not evaluated")

    @property
    def holds(self) -> bool:
        return self.state.status == "holds" and not self.violations

    @property
    def not_applicable(self) -> bool:
        return self.state.status == "not_applicable" and not self.violations

    @property
    def open(self) -> list[Violation]:
        return [v for v in self.violations if v.status == "open"]


@dataclass
class PackView:
    """One rule pack of a check: its rules and their violations."""

    pack: str
    rules: list[RuleView] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.rules for v in r.violations]

    @property
    def counts(self) -> dict[str, int]:
        """Open violations per severity."""
        return severity_counts([v for v in self.violations if v.status == "open"])


def check_view(result: CheckResult) -> list[PackView]:
    """Group a check result by rule pack, then by rule (rules without violations included)."""
    rules: dict[str, RuleView] = {}
    for rule in result.rules:
        rules.setdefault(rule.id, RuleView(rule))
    for violation in result.violations:
        rules.setdefault(violation.rule.id, RuleView(violation.rule)).violations.append(violation)
    packs: dict[str, PackView] = {}
    for rule_view in rules.values():
        packs.setdefault(rule_view.rule.pack, PackView(rule_view.rule.pack)).rules.append(rule_view)
    for pack in packs.values():
        pack.rules.sort(key=lambda r: r.rule.id)
        for rule_view in pack.rules:
            rule_view.state = result.state(rule_view.rule.id)
    return [packs[name] for name in sorted(packs)]


def all_rules(result: CheckResult) -> list[RuleInfo]:
    """Every rule of a check: the evaluated rules plus any only named by a violation, by id."""
    rules = {r.id: r for r in result.rules}
    for violation in result.violations:
        rules.setdefault(violation.rule.id, violation.rule)
    return [rules[k] for k in sorted(rules)]


def violation_sentence(violation: Violation) -> str:
    """The violation message with its legal citation, as one line."""
    text = violation.message.rstrip()
    if violation.rule.citation:
        text += f" [{violation.rule.citation}]"
    if violation.status == "waived" and violation.waiver:
        text += f" (waived until {violation.waiver.expires} by {violation.waiver.owner}: {violation.waiver.reason})"
    elif violation.status == "baseline":
        text += " (accepted in the baseline)"
    return text
