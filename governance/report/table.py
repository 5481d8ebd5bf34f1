"""Terminal report: readable tables for people who are not programmers (rich).

A scan shows, per source, a summary line and then one table per table/file of
what was found; a check shows, per rule pack, the rules that do not hold. Every
value shown is already masked; text from the data is never read as rich markup.
"""

from __future__ import annotations

import io
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from governance.report import view
from governance.rules.results import CheckResult, RuleInfo
from governance.scan.models import Finding, ScanResult
from governance.taxonomy import category_label
from governance.terminal import safe_console

#: rich style of each severity.
SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}


def render(
    report, out: TextIO, *, width: int | None = None, color: bool | None = None, fail_on: str = "high", **_options
) -> None:
    """Write ``report`` as terminal tables.

    ``color=None`` colours only a terminal; ``width`` fixes the width (default: the
    terminal's, or 80). Lines carry no trailing spaces, so the output diffs cleanly.
    """
    probe = Console(file=out)
    terminal = probe.is_terminal if color is None else color
    buffer = io.StringIO()
    console = safe_console(
        file=buffer,
        width=width or probe.width,
        force_terminal=terminal,
        color_system="auto" if terminal else None,
        no_color=not terminal,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    if isinstance(report, CheckResult):
        _render_check(report, console, fail_on)
    else:
        _render_scan(report, console, fail_on)
    out.writelines(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _severity(severity: str) -> Text:
    return Text(severity, style=SEVERITY_STYLE.get(severity, ""))


def _render_scan(result: ScanResult, console: Console, fail_on: str) -> None:
    console.print(Text(f"Personal data scan of {result.scan_date.isoformat()}", style="bold"))
    sources = view.scan_view(result)
    if not sources:
        console.print("Nothing was scanned.")
    for source in sources:
        console.print()
        console.print(Text(source.source, style="bold underline"))
        console.print(Text(f"  {source.summary}"))
        clean = [t.marked_title for t in source.tables if not t.findings and t.rows_scanned]
        empty = [t for t in source.tables if not t.findings and not t.rows_scanned]
        for table in source.tables:
            if table.findings:
                console.print(_findings_table(table))
        if clean:
            console.print(_listed("No personal data found in", clean, "green"))
        for table in empty:
            what = "only a header, no rows" if table.columns else "no data at all"
            console.print(Text(f"  Empty, nothing to scan in {table.marked_title}: {what}", style="yellow"))
    _render_errors(result.errors, console)
    console.print()
    sources_read = sum(1 for s in sources if any(not t.carried_over for t in s.tables))
    kept = sum(1 for s in sources if s.tables and all(t.carried_over for t in s.tables))
    total = f"Total: {len(result.findings)} finding(s) in {sources_read} source(s) read"
    if kept:
        total += f" and {kept} carried over unchanged"
    total += f" ({view.counts_text(view.severity_counts(result.findings))})"
    if result.errors:
        total += f"; {len(result.errors)} source(s) could not be read"
    console.print(Text(total + ".", style="bold"))
    console.print(
        Text(view.threshold_note(fail_on, len(view.scan_at_or_above(result, fail_on)), unreadable=len(result.errors)))
    )


def _findings_table(table: view.TableView) -> Table:
    sampled = ", sampled" if table.sampled else ""
    title = Text(f"{table.title} · {table.rows_scanned:,} rows{sampled}", style="bold")
    if table.carried_over:
        title.append(f" · {view.CARRIED_OVER}", style="italic")
    grid = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        expand=True,  # every table of a report has the same width
    )
    longest = max(len(f.column) for f in table.findings)
    grid.add_column("Column", overflow="fold", min_width=min(longest, 22))
    grid.add_column("What it is", overflow="fold", ratio=3)
    grid.add_column("Severity", no_wrap=True)
    grid.add_column("Found", no_wrap=True)
    grid.add_column("Examples (masked)", overflow="fold", ratio=3)
    for finding in table.findings:
        grid.add_row(*_finding_cells(finding))
    return grid


def _finding_cells(finding: Finding) -> list[Text]:
    what = Text(view.entity_label(finding.entity))
    examples = Text("\n".join(finding.examples))
    share = view.percent(finding.share)
    if finding.kind == "leak":
        what.append(" in free text", style="italic")
        found = Text(f"{finding.matched:,} cell(s)\n{share} of values")
        keys = view.row_keys_text(finding.row_keys, finding.matched)
        if keys:
            examples.append(("\n" if finding.examples else "") + f"rows: {keys}", style="dim")
    else:
        found = Text(f"{finding.matched:,} of {finding.non_empty:,}\n{share}")
    what.append(f"\n{category_label(finding.category)}", style="dim")
    if finding.age_facts is not None:
        facts = finding.age_facts
        what.append(
            f"\n{facts.under_13:,} under 13, {facts.under_16:,} under 16 on {facts.as_of.isoformat()}", style="bold"
        )
    return [Text(finding.column), what, _severity(finding.severity), found, examples]


def _render_errors(errors, console: Console) -> None:
    if not errors:
        return
    console.print()
    console.print(Text("Could not be read", style="bold red"))
    for error in errors:
        console.print(_listed("error", [f"{error.source}: {error.message}"], ""))


def _render_check(result: CheckResult, console: Console, fail_on: str) -> None:
    console.print(Text(f"Compliance check of {result.inventory}", style="bold"))
    for pack in view.check_view(result):
        console.print()
        open_count = sum(len(r.open) for r in pack.rules)
        console.print(Text(f"{pack.pack}", style="bold underline"))
        console.print(
            Text(
                f"  {len(pack.rules)} rule(s), {open_count} open violation(s)"
                + (f" ({view.counts_text(pack.counts)})" if open_count else "")
            )
        )
        failing = [r for r in pack.rules if r.violations]
        if failing:
            console.print(_violations(failing))
        passed = [r.rule.id for r in pack.rules if r.holds]
        if passed:
            if failing:
                console.print()
            console.print(_listed("Holds", passed, "green"))
        reasons: dict[str, list[str]] = {}
        for r in pack.rules:
            if r.not_applicable:
                reasons.setdefault(r.state.reason, []).append(r.rule.id)
        for reason, ids in reasons.items():
            console.print(_listed(f"Not applicable ({reason})", ids, "dim"))
    if result.scan is not None:
        _render_errors(result.scan.errors, console)
    summary = result.to_dict()["summary"]
    console.print()
    console.print(
        Text(
            f"Total: {summary['rules']} rule(s), {summary['open']} open violation(s), "
            f"{summary['waived']} waived, {summary['baseline']} in the baseline.",
            style="bold",
        )
    )
    console.print(Text(view.threshold_note(fail_on, len(view.check_at_or_above(result, fail_on)), "open violation")))


def _labelled(rows: list[tuple[str, Text]]) -> Table:
    """Lines of ``Label: value`` whose values wrap under themselves, not under the labels."""
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(f"{label}:", value)
    return grid


def _violation_card(rule: RuleInfo, violation) -> Group:
    """One violation on a few labelled lines: the rule id and the location are never broken."""
    head = Text("  ")
    head.append_text(_severity(rule.severity))
    head.append(f"  {rule.id}", style="bold")
    head.append(f"  {violation.status}")
    rows = [("Rule", Text(rule.title)), ("Where", Text(violation.location)),
            ("Problem", Text(violation.message))]
    if violation.status == "waived" and violation.waiver:
        waiver = violation.waiver
        rows.append(("Waived", Text(f"until {waiver.expires} by {waiver.owner}: {waiver.reason}")))
    if rule.remediation:
        rows.append(("Fix", Text(rule.remediation)))
    rows.append(("Law", Text(", ".join(part for part in (rule.law, rule.citation) if part))))
    return Group(head, Padding(_labelled(rows), (0, 0, 0, 4)))


def _violations(rules: list[view.RuleView]) -> Group:
    cards = [_violation_card(r.rule, v) for r in rules for v in r.violations]
    return Group(*(part for card in cards for part in (Text(""), card)))


def _listed(label: str, items: list[str], style: str) -> Padding:
    """``label: a, b, c`` wrapped under the list, indented two spaces."""
    return Padding(_labelled([(label, Text(", ".join(items), style=style))]), (0, 0, 0, 2))
