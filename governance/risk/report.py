"""Risk reports as a table, JSON or one HTML page; reporters are pure functions of a :class:`RiskReport`.

They print counts and shares only: no quasi-identifier value and no equivalence-class key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

from governance import __version__
from governance.risk.measures import RiskReport


def _printable(text: str) -> str:
    """Column names as they are, but control characters shown as escapes (no terminal codes)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def lines(report: RiskReport) -> list[tuple[str, str]]:
    """(measure, value) pairs, in the order every format shows them."""
    rows = [
        ("quasi-identifiers", ", ".join(_printable(q) for q in report.quasi_identifiers)),
        ("records", str(report.records)),
        ("equivalence classes", str(report.classes)),
        ("k-anonymity (smallest class)", str(report.k)),
        ("unique records (class of 1)", f"{report.unique_records} ({_pct(report.unique_share)})"),
    ]
    rows += [(f"records in classes below k={t}", _pct(s)) for t, s in report.records_in_classes_below.items()]
    rows += [(f"classes of {band} records", str(n)) for band, n in report.class_sizes.items()]
    if report.sensitive:
        rows.append((f"l-diversity of {_printable(report.sensitive)} (fewest distinct values in a class)", str(report.l_diversity)))
        rows.append(("classes with one sensitive value (l<2)", str(report.classes_below_l2)))
    if report.k_map is not None:
        km = report.k_map
        rows.append(("k-map (smallest population count of a class)", str(km.k_map)))
        rows.append(("classes absent from the population", str(km.classes_absent_from_population)))
        rows += [(f"records whose population class is below {t}", _pct(s)) for t, s in km.records_in_classes_below.items()]
    return rows


def render_table(report: RiskReport, out: TextIO) -> None:
    width = max(len(m) for m, _ in lines(report))
    out.write("Re-identification risk (counts only; no values are shown)\n")
    for measure, value in lines(report):
        out.write(f"  {measure.ljust(width)}  {value}\n")


def render_json(report: RiskReport, out: TextIO) -> None:
    data = {"tool": {"name": "governance", "version": __version__}, **report.to_dict()}
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def render_html(report: RiskReport, out: TextIO) -> None:
    from governance.templating import environment

    out.write(environment().get_template("report/risk.html.j2").render(
        title="Re-identification risk", version=__version__, rows=lines(report), k=report.k))


#: format name -> reporter.
RENDERERS: dict[str, Callable[[RiskReport, TextIO], None]] = {
    "table": render_table,
    "json": render_json,
    "html": render_html,
}
