"""JUnit XML report, for CI systems that show test results.

A scan has one ``<testsuite>`` per source and one ``<testcase>`` per column read: a
column fails when it holds a finding at or above ``fail_on``; a source that could not
be read is an ``<error>``. A check has one suite per rule pack and one case per rule:
a rule fails when it has an open violation at or above ``fail_on``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import TextIO, TypeVar

from governance.report import view
from governance.rules.results import CheckResult
from governance.scan.models import Finding, ScanResult
from governance.taxonomy import severity_rank

T = TypeVar("T")

#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report, out: TextIO, *, fail_on: str = "high", **_options) -> None:
    """Write ``report`` as JUnit XML; ``fail_on`` (a severity or ``none``) decides what is a failure."""
    floor = None if fail_on == "none" else severity_rank(fail_on)
    if isinstance(report, CheckResult):
        root = _check_suites(report, floor)
    else:
        root = _scan_suites(report, floor)
    _totals(root)
    _clean(root)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def _fails(severity: str, floor: int | None) -> bool:
    return floor is not None and severity_rank(severity) >= floor


def _partition(items: Iterable[T], fails: Callable[[T], bool]) -> tuple[list[T], list[T]]:
    failing, passing = [], []
    for item in items:
        (failing if fails(item) else passing).append(item)
    return failing, passing


def _clean(root: ET.Element) -> None:
    """Replace characters XML cannot hold (control characters in column names, say) with U+FFFD."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, _NOT_XML.sub("\ufffd", value))
        if element.text:
            element.text = _NOT_XML.sub("\ufffd", element.text)


def _totals(root: ET.Element) -> None:
    """Set tests/failures/errors counts on every suite and on the root."""
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))


def _suite(root: ET.Element, name: str, timestamp: str = "") -> ET.Element:
    suite = ET.SubElement(root, "testsuite", name=name)
    if timestamp:
        suite.set("timestamp", timestamp)
    return suite


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=classname, name=name)


def _finding_line(finding: Finding) -> str:
    examples = f" Masked examples: {', '.join(finding.examples)}." if finding.examples else ""
    return f"[{finding.severity}] {view.finding_sentence(finding)}{examples}"


def _scan_suites(result: ScanResult, floor: int | None) -> ET.Element:
    root = ET.Element("testsuites", name="governance scan")
    for source in view.scan_view(result):
        suite = _suite(root, source.source, result.started_at)
        for table in source.tables:
            classname = f"{source.source}.{table.name}" if table.name else source.source
            by_column: dict[str, list[Finding]] = {name: [] for name in table.columns}
            for finding in table.findings:
                by_column.setdefault(finding.column, []).append(finding)
            for column, findings in by_column.items():
                case = _case(suite, classname, column)
                failing, passing = _partition(findings, lambda f: _fails(f.severity, floor))
                if failing:
                    worst = failing[0]
                    failure = ET.SubElement(
                        case,
                        "failure",
                        message=f"{view.entity_label(worst.entity)} ({worst.severity}) in {worst.location}",
                        type=worst.severity,
                    )
                    failure.text = "\n".join(_finding_line(f) for f in failing)
                if passing:
                    ET.SubElement(case, "system-out").text = "\n".join(_finding_line(f) for f in passing)
        for error in source.errors:
            case = _case(suite, source.source, "read source")
            ET.SubElement(
                case, "error", message=error.message, type="SourceError"
            ).text = f"{error.source}: {error.message}"
    return root


def _check_suites(result: CheckResult, floor: int | None) -> ET.Element:
    root = ET.Element("testsuites", name="governance check")
    for pack in view.check_view(result):
        suite = _suite(root, pack.pack)
        for rule_view in pack.rules:
            rule = rule_view.rule
            case = _case(suite, pack.pack, f"{rule.id}: {rule.title}")
            if rule_view.not_applicable:
                ET.SubElement(case, "skipped", message=f"not applicable: {rule_view.state.reason}")
                continue
            failing, others = _partition(
                rule_view.violations, lambda v: v.status == "open" and _fails(v.severity, floor)
            )
            if failing:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(failing)} open violation(s) of {rule.id} ({rule.citation})",
                    type=rule.severity,
                )
                lines = [f"{v.location}: {view.violation_sentence(v)}" for v in failing]
                if rule.remediation:
                    lines.append(f"How to fix: {rule.remediation}")
                failure.text = "\n".join(lines)
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(
                    f"[{v.status}] {v.location}: {view.violation_sentence(v)}" for v in others
                )
    if result.scan is not None and result.scan.errors:
        suite = _suite(root, "sources")
        for error in result.scan.errors:
            case = _case(suite, "sources", error.source)
            ET.SubElement(
                case, "error", message=error.message, type="SourceError"
            ).text = f"{error.source}: {error.message}"
    return root
