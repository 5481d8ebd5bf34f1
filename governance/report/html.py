"""HTML report: one self-contained page (inline CSS and SVG charts, no external resources).

Rendered through the sandboxed, autoescaping environment of :mod:`governance.templating`
from ``templates/report/scan.html.j2`` or ``check.html.j2``; a user's template directory
(``template_dir``) may override them. The view passed to the template is plain data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from governance import __version__
from governance.report import view
from governance.rules.results import CheckResult
from governance.scan.models import Finding, ScanResult
from governance.taxonomy import category_label
from governance.templating import environment, render as render_template, template

#: Geometry of the per-source severity bar chart, in SVG user units.
CHART = {"label_width": 80, "bar_max": 260, "bar_height": 18, "gap": 6, "width": 400}


def render(report, out: TextIO, *, template_dir: str | Path | None = None, fail_on: str = "high", **_options) -> None:
    """Write ``report`` as one HTML page."""
    if isinstance(report, CheckResult):
        name, context = "report/check.html.j2", _check_context(report, fail_on)
    else:
        name, context = "report/scan.html.j2", _scan_context(report, fail_on)
    out.write(render_template(template(environment(template_dir), name), **context))


def bar_chart(counts: dict[str, int], caption: str) -> dict:
    """Bars (one per severity, most severe first) scaled to the largest count."""
    top = max(counts.values(), default=0) or 1
    step = CHART["bar_height"] + CHART["gap"]
    bars = [
        {
            "severity": severity,
            "count": count,
            "y": i * step,
            "width": round(CHART["bar_max"] * count / top, 1),
        }
        for i, (severity, count) in enumerate(counts.items())
    ]
    return {**CHART, "height": len(bars) * step, "bars": bars, "caption": caption}


def _finding(f: Finding) -> dict:
    age = ""
    if f.age_facts is not None:
        a = f.age_facts
        age = f"{a.under_13:,} under 13 and {a.under_16:,} under 16 on {a.as_of.isoformat()}"
    return {
        "column": f.column,
        "label": view.entity_label(f.entity),
        "entity": f.entity,
        "leak": f.kind == "leak",
        "category": f.category,
        "category_name": category_label(f.category),
        "severity": f.severity,
        "share": view.percent(f.share),
        "rows": f"{f.matched:,} cell(s)" if f.kind == "leak" else f"{f.matched:,} of {f.non_empty:,}",
        "examples": list(f.examples),
        "row_keys": view.row_keys_text(f.row_keys, f.matched) if f.kind == "leak" else "",
        "age": age,
    }


def _scan_context(result: ScanResult, fail_on: str) -> dict:
    sources = []
    for i, source in enumerate(view.scan_view(result), start=1):
        sources.append(
            {
                "id": f"source-{i}",
                "name": source.source,
                "summary": source.summary,
                "chart": bar_chart(
                    source.counts, f"Findings by severity in {source.source}: {view.counts_text(source.counts)}"
                ),
                "tables": [
                    {
                        "title": t.marked_title,
                        "rows": f"{t.rows_scanned:,}",
                        "sampled": t.sampled,
                        "findings": [_finding(f) for f in t.findings],
                    }
                    for t in source.tables
                    if t.findings
                ],
                "clean": [t.marked_title for t in source.tables if not t.findings],
                "errors": [e.message for e in source.errors],
            }
        )
    summary = result.to_dict()["summary"]
    return {
        "title": f"Personal data scan of {result.scan_date.isoformat()}",
        "version": __version__,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "summary": summary,
        "rows_read": f"{summary['rows_scanned']:,}",
        "counts": view.counts_text(view.severity_counts(result.findings)),
        "threshold_note": view.threshold_note(
            fail_on, len(view.scan_at_or_above(result, fail_on)), unreadable=len(result.errors)
        ),
        "sources": sources,
        "errors": [{"source": e.source, "message": e.message} for e in result.errors],
    }


def _check_context(result: CheckResult, fail_on: str) -> dict:
    packs = []
    for i, pack in enumerate(view.check_view(result), start=1):
        packs.append(
            {
                "id": f"pack-{i}",
                "name": pack.pack,
                "chart": bar_chart(
                    pack.counts, f"Open violations by severity in {pack.pack}: {view.counts_text(pack.counts)}"
                ),
                "violations": [
                    {
                        "rule": r.rule.id,
                        "title": r.rule.title,
                        "law": r.rule.law,
                        "citation": r.rule.citation,
                        "severity": r.rule.severity,
                        "status": v.status,
                        "location": v.location,
                        "message": v.message,
                        "remediation": r.rule.remediation,
                        "waiver": (
                            f"Waived until {v.waiver.expires} by {v.waiver.owner}: {v.waiver.reason}"
                            if v.waiver
                            else ""
                        ),
                    }
                    for r in pack.rules
                    for v in r.violations
                ],
                "holds": [
                    {"rule": r.rule.id, "title": r.rule.title, "citation": r.rule.citation}
                    for r in pack.rules
                    if r.holds
                ],
                "not_applicable": [
                    {"rule": r.rule.id, "title": r.rule.title, "reason": r.state.reason}
                    for r in pack.rules
                    if r.not_applicable
                ],
            }
        )
    return {
        "title": f"Compliance check of {result.inventory}",
        "version": __version__,
        "summary": result.to_dict()["summary"],
        "threshold_note": view.threshold_note(fail_on, len(view.check_at_or_above(result, fail_on)), "open violation"),
        "packs": packs,
        "errors": [{"source": e.source, "message": e.message} for e in (result.scan.errors if result.scan else [])],
    }
