"""Dates of birth: vectorised date parsing and the age facts of a column of birth dates.

A column of birth dates is told from other dates by its values (no time of day,
none in the future, ages spread over decades) and its name; :class:`DateStats`
holds the counts, mergeable across batches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from governance.scan.jalali import MONTH_NAME, jalali_dates
from governance.scan.models import AgeFacts
from governance.scan.normalize import normalize_cells

#: The Solar Hijri calendar (``1370/05/12``), read by :func:`governance.scan.jalali.jalali_dates`.
JALALI = "jalali"
#: Date formats tried, in order (Jalali first: ``1370/05/12`` is no Gregorian birth date;
#: month-first before day-first: ``03/04/2015`` is 4 March).
DATE_FORMATS = (
    JALALI,
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%m-%d-%Y",
    "%d-%m-%Y",
    "%Y.%m.%d",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y%m%d",
)

#: A value shaped like a date (checked before the formats are tried).
DATE_SHAPE = (
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{8}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}"
    rf"|\d{{1,2}} [A-Za-z]{{3,9}}\.? \d{{4}}|\d{{1,2}}\s+{MONTH_NAME}\s+\d{{4}})(?:$|[T ])"
)
#: A time of day after the date, with optional fraction and zone.
TIME_SUFFIX = r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AaPp][Mm])?(?:\s?Z|\s?[+-]\d{2}:?\d{2}|\s?UTC)?$"
#: Midnight, as database exports write a DATE stored in a DATETIME.
MIDNIGHT = r"[T ]0{1,2}:00(?::00(?:[.,]0+)?)?(?:\s?Z|\s?[+-]00:?00|\s?UTC)?$"

EARLIEST_BIRTH = date(1900, 1, 1)


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def parse_dates(values: pl.Series, formats: tuple[str, ...] = DATE_FORMATS) -> tuple[pl.Series, pl.Series]:
    """Parse date-shaped strings: (dates, has a time of day other than midnight). Unparsed values are null."""
    has_time = values.str.contains(TIME_SUFFIX) & ~values.str.contains(MIDNIGHT)
    date_part = values.str.replace(TIME_SUFFIX, "").str.strip_chars()
    parsed = pl.select(pl.coalesce([_parse(date_part, fmt) for fmt in formats])).to_series()
    return parsed, has_time


def _parse(values: pl.Series, fmt: str) -> pl.Series:
    """The dates of ``values`` written in one format (null where they are not)."""
    if fmt == JALALI:
        return jalali_dates(values)
    return values.str.to_date(fmt, strict=False, exact=True)


def formats_in_use(values: pl.Series) -> tuple[str, ...]:
    """The date formats that parse at least one of ``values`` (a column writes its dates one or two ways)."""
    date_part = values.str.replace(TIME_SUFFIX, "").str.strip_chars()
    return tuple(fmt for fmt in DATE_FORMATS if _parse(date_part, fmt).is_not_null().any())


@dataclass
class DateStats:
    """What one column's date values look like, summed over batches."""

    date_like: int = 0
    with_time: int = 0
    plausible: int = 0
    future: int = 0
    under_13: int = 0
    under_16: int = 0
    over_89: int = 0
    years: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    #: Formats found in the first date-shaped values; later batches try only these.
    formats: tuple[str, ...] = ()

    def merge(self, other: DateStats, max_examples: int = 3) -> None:
        """Add another batch's (or worker's) counts."""
        for name in ("date_like", "with_time", "plausible", "future", "under_13", "under_16", "over_89"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.years.update(other.years)
        self.formats = tuple(dict.fromkeys(self.formats + other.formats))
        self.examples = (self.examples + other.examples)[:max_examples]

    def add(self, values: pl.Series, as_of: date) -> pl.Series:
        """Count one batch of stripped values; returns the mask of values that parsed as dates."""
        shaped = values.str.contains(DATE_SHAPE)
        parsed = pl.Series(values.name, [None] * len(values), dtype=pl.Date)
        if not shaped.any():
            return parsed.is_not_null()
        if not self.formats:
            self.formats = formats_in_use(values.filter(shaped).head(2_000)) or DATE_FORMATS
        dates, has_time = parse_dates(values, self.formats)
        ok = dates.is_not_null()
        self.date_like += int(ok.sum())
        self.with_time += int((has_time & ok).sum())
        future = dates > as_of
        plausible = ok & ~future & (dates >= EARLIEST_BIRTH)
        self.future += int(future.sum())
        births = dates.filter(plausible)
        self.plausible += len(births)
        self.under_13 += int((births > years_before(as_of, 13)).sum())
        self.under_16 += int((births > years_before(as_of, 16)).sum())
        self.over_89 += int((births <= years_before(as_of, 90)).sum())
        self.years.update(dict(births.dt.year().value_counts().iter_rows()))
        return ok

    def year_quantile(self, q: float) -> int | None:
        """The birth year below which a share ``q`` of the plausible dates fall."""
        total = sum(self.years.values())
        if not total:
            return None
        seen = 0
        for year in sorted(self.years):
            seen += self.years[year]
            if seen >= q * total:
                return year
        return max(self.years)

    def age_facts(self, as_of: date) -> AgeFacts:
        """The column's :class:`AgeFacts` on the scan date."""
        return AgeFacts(as_of, self.plausible, self.under_13, self.under_16, self.over_89)


def ages_agree(ages: pl.Series, births: pl.Series, as_of: date) -> float:
    """Share of rows (with both values) whose number is the age the birth date implied when the
    table was written: the same offset of 0-10 years (±1 for birthdays since) on every row.

    Tells a column of ages from any other small numbers when the same table holds dates of birth.
    """
    born, _ = parse_dates(normalize_cells(births))
    stated = normalize_cells(ages).cast(pl.Int32, strict=False)
    implied = (as_of.year - born.dt.year()).cast(pl.Int32) - (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32) > as_of.month * 100 + as_of.day
    ).cast(pl.Int32)
    offsets = (implied - stated).filter(stated.is_not_null() & implied.is_not_null())
    if offsets.is_empty():
        return 0.0
    common = offsets.mode().min()
    if not 0 <= common <= 10:
        return 0.0
    return int(offsets.is_between(common - 1, common + 1).sum()) / len(offsets)
