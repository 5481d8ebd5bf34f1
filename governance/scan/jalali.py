"""Solar Hijri (Jalali) dates, the civil calendar of Iran, read as Gregorian dates (vectorised).

The first six months have 31 days, the next five 30, and Esfand 29 (30 in a leap
year); a year starts at Nowruz. The Gregorian day of each Nowruz comes from
``jdatetime`` (the 33-year arithmetic rule); the days within a year are counted here,
so a whole column converts with a handful of polars expressions.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

#: Jalali years read (1200 AP is 1821 AD, 1499 AP is 2120 AD). Gregorian birth years are 1900 and later,
#: so a ``13xx/mm/dd`` or ``14xx-mm-dd`` date of birth is Jalali.
FIRST_YEAR, LAST_YEAR = 1200, 1499
#: A date written year first with a Jalali year.
JALALI_SHAPE = r"^(1[2-4]\d\d)[-/.](\d{1,2})[-/.](\d{1,2})$"
#: The months by name, Farvardin to Esfand (Mordad is also written Amordad), as numbers.
MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5,
    "شهریور": 6, "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}  # fmt: skip
MONTH_NAME = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
#: A date written day first with the month's name: ``12 فروردین 1370`` (after normalisation: ASCII digits).
NAMED_MONTH_SHAPE = rf"^(\d{{1,2}})\s+({MONTH_NAME})\s+(1[2-4]\d\d)$"
_EPOCH = date(1970, 1, 1)


@lru_cache(maxsize=1)
def _nowruz_days() -> dict[int, int]:
    """Days from 1970-01-01 to 1 Farvardin of each year (one year more, for the length of the last)."""
    import jdatetime

    return {
        year: (jdatetime.date(year, 1, 1).togregorian() - _EPOCH).days for year in range(FIRST_YEAR, LAST_YEAR + 2)
    }


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """One Jalali date as a Gregorian date (``ValueError`` when it does not exist)."""
    converted = jalali_dates(pl.Series([f"{year}/{month}/{day}"]))[0]
    if converted is None:
        raise ValueError(f"no such Jalali date: {year}/{month}/{day}")
    return converted


def jalali_dates(values: pl.Series) -> pl.Series:
    """Gregorian dates of the Jalali dates in ``values``, written ``yyyy/mm/dd`` (or ``-``, ``.``) or
    ``dd <month name> yyyy``; null elsewhere."""
    nowruz = _nowruz_days()
    next_years = {year - 1: days for year, days in nowruz.items()}
    parts = values.str.extract_groups(JALALI_SHAPE)
    named = values.str.extract_groups(NAMED_MONTH_SHAPE)
    month = named.struct.field("2").replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
    frame = pl.DataFrame(
        {
            "y": parts.struct.field("1").cast(pl.Int32).fill_null(named.struct.field("3").cast(pl.Int32)),
            "m": parts.struct.field("2").cast(pl.Int32).fill_null(month),
            "d": parts.struct.field("3").cast(pl.Int32).fill_null(named.struct.field("1").cast(pl.Int32)),
        }
    )
    start = pl.col("y").replace_strict(nowruz, default=None, return_dtype=pl.Int32)
    year_length = pl.col("y").replace_strict(next_years, default=None, return_dtype=pl.Int32) - start
    month_length = pl.when(pl.col("m") <= 6).then(31).when(pl.col("m") <= 11).then(30).otherwise(year_length - 336)
    before = pl.when(pl.col("m") <= 6).then((pl.col("m") - 1) * 31).otherwise(186 + (pl.col("m") - 7) * 30)
    valid = pl.col("m").is_between(1, 12) & pl.col("d").is_between(1, month_length)
    return frame.select(
        pl.when(valid).then(start + before + pl.col("d") - 1).otherwise(None).cast(pl.Date).alias(values.name)
    ).to_series()
