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

from functools import lru_cache

import polars as pl

from governance.scan.ages import parse_dates
from governance.resources import data_file
from governance.scan.normalize import normalize_cells
from governance.yamlio import load_yaml

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


#: Languages whose country names a country column may be written in (Babel's CLDR data).
COUNTRY_NAME_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb", "fi", "cs", "sk", "hu", "ro", "el", "hr", "sl", "pl", "et", "lv", "lt", "tr")


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Lower-case country name, alpha-2 or alpha-3 code -> ISO alpha-2 code."""
    import pycountry
    from babel import Locale

    codes: dict[str, str] = {}
    for language in COUNTRY_NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code.isalpha() and len(code) == 2:
                codes.setdefault(name.lower(), code)
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", None), getattr(country, "common_name", None), country.alpha_3):
            if name:
                codes.setdefault(name.lower(), country.alpha_2)
        codes.setdefault(country.alpha_2.lower(), country.alpha_2)
    return codes


@lru_cache(maxsize=1)
def postal_formats() -> dict[str, str]:
    """ISO alpha-2 code -> anchored, case-insensitive regex of its postal codes (``postal_codes.yaml``)."""
    by_country: dict[str, list[str]] = {}
    for regex, countries in load_yaml(data_file("postal_codes.yaml")).data.items():
        for code in countries:
            by_country.setdefault(code, []).append(regex)
    return {code: "(?i)^(?:" + "|".join(regexes) + ")$" for code, regexes in by_country.items()}


def codes_fit_countries(codes: pl.Series, countries: pl.Series) -> float:
    """Share of rows (with a code and a known country) whose code has the postal-code format of the
    row's country; 0.0 when fewer than :data:`PLACE_MIN_ROWS` rows have both."""
    frame = pl.DataFrame({"code": normalize_cells(codes), "country": normalize_cells(countries).str.to_lowercase()})
    frame = frame.with_columns(iso=pl.col("country").replace_strict(country_codes(), default=None, return_dtype=pl.Utf8))
    frame = frame.filter(pl.col("code").is_not_null() & (pl.col("code") != "") & pl.col("iso").is_in(list(postal_formats())))
    if len(frame) < PLACE_MIN_ROWS:
        return 0.0
    fitting = 0
    for (iso,), group in frame.group_by("iso"):
        fitting += int(group["code"].str.contains(postal_formats()[iso]).sum())
    return fitting / len(frame)
