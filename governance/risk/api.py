"""``governance risk`` as a library call: read a table, measure its re-identification risk."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from governance.errors import InputError
from governance.risk.measures import RiskReport, assess, class_counts
from governance.risk.tables import batches, open_table, propose_quasi_identifiers, require_columns
from governance.scan.sources import source_display


def measure_risk(
    source: str,
    quasi: Sequence[str] | None = None,
    *,
    table: str | None = None,
    sensitive: str | None = None,
    population: str | None = None,
    population_table: str | None = None,
    population_count: str | None = None,
) -> RiskReport:
    """The risk report of one table; quasi-identifiers proposed from a scan when none are given."""
    quasi = list(quasi) if quasi else propose_quasi_identifiers(source, table)
    if not quasi:
        raise InputError("the scanner proposes no quasi-identifier", where=source_display(source),
                         hint="name them with --quasi COL,COL")
    stream = open_table(source, table)
    require_columns(stream, quasi, "--quasi")
    if sensitive:
        require_columns(stream, [sensitive], "--sensitive")
        if sensitive in quasi:
            raise InputError(f"--sensitive: '{sensitive}' is also a quasi-identifier", hint="choose another column")
    counts = class_counts(batches(stream, [*quasi, *([sensitive] if sensitive else [])]), quasi, sensitive)
    pop_counts = None
    if population:
        pop = open_table(population, population_table)
        require_columns(pop, quasi, "--quasi (in the population table)")
        if population_count:
            require_columns(pop, [population_count], "--population-count")
        columns = [*quasi, *([population_count] if population_count else [])]
        try:
            pop_counts = class_counts(batches(pop, columns), quasi, weight=population_count)
        except pl.exceptions.PolarsError as exc:  # a count that is not a whole number
            raise InputError(f"--population-count: column '{population_count}' holds a value that is not a whole number",
                             where=source_display(population)) from exc
    return assess(counts, quasi, sensitive, pop_counts)
