"""Evidence one column gives about another in the same rows.

Some personal data cannot be told from other numbers by its values alone: a
Vietnamese citizen identity number has no check digit, a five-digit postal code
looks like any amount. What gives them away is how they agree with the rest of
the row: the identity number carries its holder's birth year, the postal code's
first digit follows the province. Each function here measures one such agreement
on the rows of a table's first batch; the engine (:mod:`governance.scan.engine`)
turns a strong agreement into a column verdict.
"""

from __future__ import annotations

import polars as pl

from governance.scan.ages import parse_dates
from governance.scan.normalize import normalize_cells

#: Rows a place must fill before the first digits of its postal codes count (fewer prove nothing).
PLACE_MIN_ROWS = 10


def birth_years_agree(id_years: pl.Series, births: pl.Series) -> float:
    """Share of rows (with both values) whose identity number states the year of the row's birth date.

    ``id_years`` holds the birth year each identity number encodes (null where it encodes none);
    ``births`` the raw cells of a date-of-birth column of the same rows.
    """
    born, _ = parse_dates(normalize_cells(births))
    both = id_years.is_not_null() & born.is_not_null()
    if not both.any():
        return 0.0
    same = (id_years.cast(pl.Int32) == born.dt.year().cast(pl.Int32)) & both
    return int(same.sum()) / int(both.sum())


def codes_follow_places(codes: pl.Series, places: pl.Series) -> float:
    """How far the first digit of a numeric code is fixed by the place in the same row: for each place
    (with at least :data:`PLACE_MIN_ROWS` rows) and code length, the share of its rows whose code starts
    with the place's most common digit. 0.0 when the table is about one place, or all codes start alike:
    then agreement proves nothing.

    Postal codes are assigned by area (Vietnam's 2018 codes: the first digit is the region, the first
    two the province, Decision 2475/QĐ-BTTTT; a US ZIP code's first digit is a group of states), so a
    column of them follows the customers' provinces; order totals, quantities or ids do not.
    """
    frame = pl.DataFrame({"code": normalize_cells(codes), "place": normalize_cells(places)}).filter(
        pl.col("code").is_not_null() & (pl.col("code") != "") & pl.col("place").is_not_null() & (pl.col("place") != "")
    )
    frame = frame.with_columns(lead=pl.col("code").str.slice(0, 1), size=pl.col("code").str.len_chars())
    groups = frame.group_by("place", "size").agg(rows=pl.len(), top=pl.col("lead").value_counts(sort=True).first())
    groups = groups.filter(pl.col("rows") >= PLACE_MIN_ROWS)
    covered = int(groups["rows"].sum()) if len(groups) else 0
    if groups["place"].n_unique() < 3 or covered < 0.5 * len(frame):
        return 0.0
    leads = frame.filter(pl.col("place").is_in(groups["place"].implode()))["lead"]
    if leads.value_counts(sort=True)["count"][0] > 0.7 * len(leads):
        return 0.0  # nearly every code starts with the same digit: nothing to follow
    agreeing = int(groups["top"].struct.field("count").sum())
    return agreeing / covered
