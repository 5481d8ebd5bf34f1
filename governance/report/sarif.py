"""SARIF 2.1.0 report, as GitHub code scanning accepts it.

A scan has one rule per detector entity and one result per finding; a check has one
rule per :class:`~governance.rules.results.RuleInfo` and one result per violation.
Results carry ``partialFingerprints`` derived from the finding's or violation's
identity (no row offsets), so code scanning tracks them across edits.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from governance import __version__
from governance.report import view
from governance.rules.results import CheckResult, RuleInfo, RuleState, Violation
from governance.scan.models import Finding, ScanResult, SourceError
from governance.taxonomy import category_label, category_severity, entities, entity_category

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
#: Used when the installed package declares no home page: the taxonomy the rules are named by.
FALLBACK_INFORMATION_URI = "https://ethyca.github.io/fideslang/"

#: The one severity table: our severity -> SARIF level and GitHub's numeric security-severity.
SEVERITY_LEVELS: dict[str, tuple[str, str]] = {
    "critical": ("error", "9.5"),
    "high": ("error", "8.0"),
    "medium": ("warning", "5.5"),
    "low": ("note", "3.0"),
    "info": ("note", "0.0"),
}

#: partialFingerprints key; bump the suffix if the identity format ever changes.
FINGERPRINT_KEY = "governanceIdentity/v1"

_FILE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")


def level(severity: str) -> str:
    """SARIF level of a severity."""
    return SEVERITY_LEVELS[severity][0]


def render(report, out: TextIO, *, base_dir: str | Path | None = None, **_options) -> None:
    """Write ``report`` as one SARIF 2.1.0 run; file paths are made relative to ``base_dir`` (default: cwd)."""
    base = Path(base_dir or Path.cwd()).resolve()
    if isinstance(report, CheckResult):
        rules, results = _check_run(report, base)
        errors = report.scan.errors if report.scan else []
    else:
        rules, results = _scan_run(report, base)
        errors = report.errors
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "governance",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": information_uri(),
                        "rules": rules,
                    }
                },
                "invocations": [_invocation(errors)],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    json.dump(log, out, indent=2, ensure_ascii=False)
    out.write("\n")


def information_uri() -> str:
    """The package's home page from its metadata (``[project.urls]``), else the fideslang docs."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("governance")
    except PackageNotFoundError:
        return FALLBACK_INFORMATION_URI
    for entry in meta.get_all("Project-URL") or []:
        _label, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            return url.strip()
    home = meta.get("Home-page") or ""
    return home if home.startswith("https://") else FALLBACK_INFORMATION_URI


def _invocation(errors: list[SourceError]) -> dict:
    """The run's invocation: unsuccessful, with one error notification per source that could not be read."""
    invocation: dict = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"{e.source}: {e.message}"}, "descriptor": {"id": "source-error"}}
            for e in errors
        ]
    return invocation


def _fingerprint(identity: str) -> dict[str, str]:
    return {FINGERPRINT_KEY: hashlib.sha256(identity.encode("utf-8")).hexdigest()}


def artifact_uri(source: str, table: str, base: Path) -> str:
    """Where a source lives, as a SARIF artifact URI.

    A file under ``base`` becomes a relative POSIX path (so code scanning links it to
    the repository); other files become ``file://`` URIs; a database becomes its
    password-masked URL with the table as fragment.
    """
    if "://" in source:
        return source + (f"#{quote(table, safe='')}" if table else "")
    path = Path(source)
    resolved = path.resolve() if path.is_absolute() or path.exists() else (base / path).resolve()
    try:
        return quote(resolved.relative_to(base).as_posix())
    except ValueError:
        return resolved.as_uri()


def _logical(table: str, column: str) -> list[dict]:
    locations = []
    if table:
        locations.append({"name": table, "fullyQualifiedName": table, "kind": "table"})
    if column:
        qualified = f"{table}.{column}" if table else column
        locations.append({"name": column, "fullyQualifiedName": qualified, "kind": "column"})
    return locations


def _location(uri: str, table: str, column: str, line: int | None = None) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri}}
    if line:
        physical["region"] = {"startLine": line}
    location: dict = {"physicalLocation": physical}
    logical = _logical(table, column)
    if logical:
        location["logicalLocations"] = logical
    return location


# --- scans -----------------------------------------------------------------


def _entity_rule_id(entity: str) -> str:
    return f"personal-data/{entity}"


def _entity_rule(entity: str) -> dict:
    label = view.entity_label(entity)
    category = entity_category(entity)
    severity = category_severity(category)
    name = "".join(part.capitalize() for part in entity.split("_"))
    return {
        "id": _entity_rule_id(entity),
        "name": name,
        "shortDescription": {"text": f"Personal data: {label}"},
        "fullDescription": {
            "text": (
                f"Personal data of the kind '{label}' was found in a column or in free text. In the fideslang "
                f"taxonomy this is {category} ({category_label(category)}); its default severity is {severity}."
            )
        },
        "help": {
            "text": (
                f"Check that holding {label} here is declared in the data inventory (policies/), has a purpose "
                f"and a retention period, and is protected as its category requires. Remove or mask it where it "
                f"is not needed; leaked values in free text should be deleted at the source."
            )
        },
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "tags": ["privacy", "personal-data", category],
            "security-severity": SEVERITY_LEVELS[severity][1],
        },
    }


def _scan_run(result: ScanResult, base: Path) -> tuple[list[dict], list[dict]]:
    catalogue = list(entities())
    found = [e for e in dict.fromkeys(f.entity for f in result.findings) if e not in catalogue]
    rule_ids = catalogue + sorted(found)
    index = {entity: i for i, entity in enumerate(rule_ids)}
    rules = [_entity_rule(entity) for entity in rule_ids]
    ordered = [f for source in view.scan_view(result) for table in source.tables for f in table.findings]
    results = [_finding_result(f, index[f.entity], base) for f in ordered]
    return rules, results


def _finding_result(finding: Finding, rule_index: int, base: Path) -> dict:
    message = view.finding_sentence(finding)
    if finding.examples:
        message += f" Masked examples: {', '.join(finding.examples)}."
    return {
        "ruleId": _entity_rule_id(finding.entity),
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(finding.severity),
        "message": {"text": message},
        "locations": [_location(artifact_uri(finding.source, finding.table, base), finding.table, finding.column)],
        "partialFingerprints": _fingerprint(finding.identity),
        "properties": {
            "identity": finding.identity,
            "severity": finding.severity,
            "category": finding.category,
            "findingKind": finding.kind,
            "confidence": round(finding.confidence, 4),
            "matched": finding.matched,
            "nonEmpty": finding.non_empty,
            "share": round(finding.share, 4),
            "carriedOver": finding.carried_over,
            "security-severity": SEVERITY_LEVELS[finding.severity][1],
        },
    }


# --- checks ----------------------------------------------------------------


def _check_rule(rule: RuleInfo) -> dict:
    help_text = f"{rule.law}: {rule.citation}." if rule.law else f"{rule.citation}."
    if rule.remediation:
        help_text += f"\n\nHow to fix: {rule.remediation}"
    descriptor = {
        "id": rule.id,
        "name": rule.title,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "tags": ["privacy", "compliance", rule.pack],
            "law": rule.law,
            "citation": rule.citation,
            "security-severity": SEVERITY_LEVELS[rule.severity][1],
        },
    }
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def _check_run(result: CheckResult, base: Path) -> tuple[list[dict], list[dict]]:
    rules = view.all_rules(result)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [_violation_result(v, index[v.rule.id], base) for v in result.violations]
    results += [_state_result(rule, result.state(rule.id), index[rule.id]) for rule in rules
                if result.state(rule.id).status != "violated"]
    return [_check_rule(r) for r in rules], results


def _state_result(rule: RuleInfo, state: RuleState, rule_index: int) -> dict:
    """A rule that holds (``kind: pass``) or has nothing to check (``kind: notApplicable``), as a SARIF result."""
    if state.status == "holds":
        kind, text = "pass", f"{rule.id} holds: its check ran on {state.checked} item(s) and held on each."
    else:
        kind, text = "notApplicable", f"{rule.id} is not applicable: {state.reason}."
    return {"ruleId": rule.id, "ruleIndex": rule_index, "kind": kind, "level": "none", "message": {"text": text}}


def violation_location(violation: Violation, base: Path) -> dict:
    """Inventory ``file:line`` -> file and region; ``source › table › column`` -> data location."""
    parts = violation.location.split(" › ")
    if len(parts) > 1:
        source, column = parts[0], parts[-1]
        table = parts[1] if len(parts) > 2 else ""
        return _location(artifact_uri(source, table, base), table, column)
    match = _FILE_LINE.match(violation.location)
    if match and "://" not in violation.location:
        return _location(artifact_uri(match["path"], "", base), "", "", int(match["line"]))
    return _location(artifact_uri(violation.location, "", base), "", "")


def _violation_result(violation: Violation, rule_index: int, base: Path) -> dict:
    result = {
        "ruleId": violation.rule.id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(violation.severity),
        "message": {"text": view.violation_sentence(violation)},
        "locations": [violation_location(violation, base)],
        "partialFingerprints": _fingerprint(violation.identity),
        "properties": {
            "identity": violation.identity,
            "severity": violation.severity,
            "status": violation.status,
            "target": violation.target,
            "security-severity": SEVERITY_LEVELS[violation.severity][1],
        },
    }
    if violation.status == "waived":
        suppression = {"kind": "external", "state": "accepted"}
        if violation.waiver:
            suppression["justification"] = (
                f"{violation.waiver.reason} (owner {violation.waiver.owner}, expires {violation.waiver.expires})"
            )
        result["suppressions"] = [suppression]
    elif violation.status == "baseline":
        result["baselineState"] = "unchanged"
    return result
